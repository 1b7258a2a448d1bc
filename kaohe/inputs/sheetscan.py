"""A streaming look at a workbook's sheet XML before it is read.

calamine allocates a sheet's whole used range at once: one stray value at XFD1048576 (Ctrl+End
and a keystroke) asks for 17 billion cells and aborts the process. :func:`scan` reads each
sheet's XML in chunks, without building it, and finds (1) the extent of its cells, so that a
sheet whose cells lie far outside any table is refused with the far cells named, and (2) the
cells holding a formula error (``#DIV/0!``, ``#N/A``…), which calamine reads as empty.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

AREA_LIMIT = 30_000_000  # cells of a sheet's used range (a million rows × 28 columns)
CHUNK = 8 << 20
_ROW = re.compile(rb'<(?:\w{1,10}:)?row\b[^>]*?\sr="(\d{1,9})"')
_FAR = re.compile(rb'r="([A-Z]{2,3}|[A-Z](?=\d{7}))(\d{1,9})"')  # beyond column Z or below row 999 999
_ERROR = re.compile(rb'<(?:\w{1,10}:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d{1,9})"[^>]*?\st="e"[^>]*>'
                    rb'(?:<(?:\w{1,10}:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w{1,10}:)?f>))?<(?:\w{1,10}:)?v>([^<]{1,40})<')
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


@dataclass
class Scan:
    rows: int = 0  # last row number
    cols: int = 0  # last column number (at least 26 when any cell is found)
    far: list[str] = field(default_factory=list)  # the farthest cells when the range is too large
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based → "#DIV/0!"


def col_number(letters: bytes | str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part inside the zip."""
    wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for s in wb.iterfind("m:sheets/m:sheet", _NS):
        t = target.get(s.get(f"{{{_NS['r']}}}id"), "")
        out[s.get("name")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
    return out


def _scan_part(f) -> Scan:
    """One pass over a sheet's XML: the last row, every cell beyond column Z or below row
    999 999 (few: the extent of any sheet within them is safe), and the formula errors."""
    sc = Scan()
    far: list[tuple[int, int, str]] = []
    last_row = 0
    tail = b""
    while True:
        chunk = f.read(CHUNK)
        if not chunk:
            break
        buf = tail + chunk
        cut = buf.rfind(b">") + 1  # scan whole tags only; keep the rest for the next chunk
        if cut <= 0:
            tail = buf[-65536:]
            continue
        part, tail = buf[:cut], buf[cut:][-65536:]
        k = max(part.rfind(b"<row "), part.rfind(b":row "))  # rows are in order: the last is the largest
        if k >= 0:
            m = _ROW.match(part, part.rfind(b"<", 0, k + 1))
            if m:
                last_row = max(last_row, int(m.group(1)))
        for letters, row in _FAR.findall(part):
            far.append((col_number(letters), int(row), (letters + row).decode()))
        if b't="e"' in part:
            for letters, row, word in _ERROR.findall(part):
                sc.errors[(int(row) - 1, col_number(letters) - 1)] = word.decode("utf-8", "replace")
    sc.cols = max([26, *(c for c, _r, _ref in far)])
    sc.rows = max([last_row, *(r for _c, r, _ref in far)])
    if sc.rows * sc.cols > AREA_LIMIT:
        worst = sorted(far, key=lambda w: -(w[0] * max(w[1], 1)))[:3]
        sc.far = [ref for _c, _r, ref in worst] or [f"{col_letters(sc.cols)}{sc.rows}"]
    return sc


def col_letters(n: int) -> str:
    """The spreadsheet letters of the ``n``-th column (1 → ``A``, 28 → ``AB``, 16384 → ``XFD``):
    :func:`col_number` the other way."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out or "A"


def scan(path: str | Path) -> dict[str, Scan]:
    """Each sheet's extent and formula errors; sheets that cannot be scanned are left out (the
    reader then reports them)."""
    out = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name, part in _parts(z).items():
                try:
                    with z.open(part) as f:
                        out[name] = _scan_part(f)
                except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
                        NotImplementedError, zlib.error):
                    continue
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError, zlib.error, ElementTree.ParseError):
        return {}
    return out
