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
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

AREA_LIMIT = 30_000_000  # cells of a sheet's used range (a million rows × 28 columns)
CHUNK = 8 << 20
_ROW = re.compile(rb'<(?:\w{1,10}:)?row\b[^>]*?\sr="(\d{1,9})"')
_DIM = re.compile(rb'<(?:\w{1,10}:)?dimension\s+ref="([A-Z0-9:$]{1,30})"')
_WIDE = re.compile(rb'r="([A-Z]{2,3})(\d{1,9})"')  # cells of column AA and beyond
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


def _ref(ref: bytes) -> tuple[int, int]:
    """``B12`` → (12, 2)."""
    m = re.fullmatch(rb"\$?([A-Z]{1,3})\$?(\d{1,9})", ref)
    return (int(m.group(2)), col_number(m.group(1))) if m else (0, 0)


def _scan_part(f) -> Scan:
    """One pass over a sheet's XML. The extent comes from its ``<dimension>`` (what Excel and
    WPS write) checked against the last row; without one, every cell beyond column Z is looked at."""
    sc = Scan()
    wide: list[tuple[int, int, str]] = []
    dim: tuple[int, int] | None = None
    last_row = 0
    tail = b""
    first = True
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
        if first:
            first = False
            m = _DIM.search(part[:4096])
            if m:
                dim = _ref(m.group(1).split(b":")[-1])
        k = max(part.rfind(b"<row "), part.rfind(b":row "))  # rows are in order: the last is the largest
        if k >= 0:
            m = _ROW.match(part, part.rfind(b"<", 0, k + 1))
            if m:
                last_row = max(last_row, int(m.group(1)))
        if dim is None:
            for letters, row in _WIDE.findall(part):
                wide.append((col_number(letters), int(row), (letters + row).decode()))
        if b't="e"' in part:
            for letters, row, word in _ERROR.findall(part):
                sc.errors[(int(row) - 1, col_number(letters) - 1)] = word.decode("utf-8", "replace")
    if dim is not None and last_row <= dim[0]:
        sc.rows, sc.cols = max(dim[0], 1), max(dim[1], 1)
        far = [_letters(dim[1]) + str(dim[0])]
    elif dim is not None:  # the dimension is wrong: the columns are unknown
        sc.rows, sc.cols = last_row, 16384
        far = [f"{_letters(dim[1])}{last_row}"]
    else:
        sc.cols = max([26, *(c for c, _r, _ref in wide)])
        sc.rows = max([last_row, *(r for _c, r, _ref in wide)])
        far = [ref for _c, _r, ref in sorted(wide, key=lambda w: -(w[0] * max(w[1], 1)))[:3]] \
            or [f"{_letters(sc.cols)}{sc.rows}"]
    if sc.rows * sc.cols > AREA_LIMIT:
        sc.far = far
    return sc


def _letters(n: int) -> str:
    """16384 → ``XFD``."""
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
                except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
                    continue
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError,
            ElementTree.ParseError):
        return {}
    return out
