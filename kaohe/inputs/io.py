"""Reading a data set: CSV folders and Excel workbooks into raw string tables.

A data set is a folder of CSV files, a folder of workbooks, one ``.xlsx`` workbook, or
several such paths. Every table keeps the file and sheet it came from and the row number
the user sees (CSV line, Excel row), so every later problem can name them. Cells are
trimmed; only empty or blank cells become missing (``NA``, ``NULL``, ``#N/A`` are the text
typed); nothing else is interpreted here. A file that cannot be read honestly (an encoding
other than UTF-8 or GB18030, another separator, a broken sheet) gets one problem of its own,
and the table is left out (:attr:`RawDataset.broken`) so that later checks do not pile up
problems that only follow from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kaohe.core import columns, contract, problems
from kaohe.core.errors import DataError, os_reason
from kaohe.core.i18n import _, ngettext

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
csv.field_size_limit(2**31 - 1)  # a long note is text, not an error


@dataclass
class RawTable:
    """One table as read from one file or sheet: string cells, user row numbers."""

    name: str  # canonical table name
    file: str  # file name as shown to the user
    sheet: str | None  # sheet name, None for CSV
    frame: pd.DataFrame  # canonical column names; str cells, missing = NA
    rows: np.ndarray  # row number the user sees, per frame row
    headers: dict[str, str] = field(default_factory=dict)  # canonical → as written
    encoding: str = ""

    def label(self, column: str) -> str:
        """A column as the user wrote it, with the contract name when different."""
        written = self.headers.get(column, column)
        if written == column:
            zh = contract.column(self.name, column).zh if column in self.headers else ""
            return f"{column} ({zh})" if zh else column
        return f"{written} ({column})"


@dataclass
class RawDataset:
    paths: list[Path]
    tables: list[RawTable]
    problems: pd.DataFrame
    broken: dict[str, list[str]] = field(default_factory=dict)  # table → files that could not be read

    def table(self, name: str) -> list[RawTable]:
        return [t for t in self.tables if t.name == name]


class Unreadable(Exception):
    """A file or sheet that cannot be read honestly: one problem, the table left out."""

    def __init__(self, problem: pd.DataFrame):
        super().__init__(problem["expected"].iloc[0])
        self.problem = problem


# ------------------------------------------------------------------ file discovery
def _expand(paths: list[Path]) -> tuple[list[Path], list[pd.DataFrame]]:
    files, probs = [], []
    for p in paths:
        if p.is_dir():
            found = sorted(
                f for f in p.iterdir()
                if f.is_file() and not f.name.startswith(("~$", "."))
                and (f.suffix.lower() == ".csv" or f.suffix.lower() in WORKBOOK_SUFFIXES)
            )
            if not found:
                probs.append(problems.one(str(p), None, None, "", "", _(
                    "a folder with CSV files (units.csv, ledger.csv, goals.csv) or .xlsx workbooks"),
                    "not_a_dataset"))
            files.extend(found)
        elif p.is_file():
            if p.suffix.lower() == ".csv" or p.suffix.lower() in WORKBOOK_SUFFIXES:
                files.append(p)
            elif p.suffix.lower() in (".xls", ".et", ".ods"):
                probs.append(problems.one(p.name, None, None, "", "", _(
                    "an .xlsx workbook or CSV files; save {suffix} as .xlsx (Excel/WPS: Save As → .xlsx)")
                    .format(suffix=p.suffix), "unsupported_file"))
            else:
                probs.append(problems.one(p.name, None, None, "", "",
                                          _("a folder, a .csv file or an .xlsx workbook"), "unsupported_file"))
        else:
            probs.append(problems.one(str(p), None, None, "", "", _("an existing folder or file (this path does not exist)"),
                                      "missing_path"))
    return files, probs


def _display_names(files: list[Path]) -> dict[Path, str]:
    """Short names for files; the parent folder is added where names would collide."""
    names = {}
    counts: dict[str, int] = {}
    for f in files:
        counts[f.name] = counts.get(f.name, 0) + 1
    for f in files:
        names[f] = f.name if counts[f.name] == 1 else f"{f.parent.name}/{f.name}"
    return names


def read_dataset(paths) -> RawDataset:
    """Read every table of a data set (one path or several) as raw strings."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p) for p in paths]
    files, probs = _expand(paths)
    names = _display_names(files)
    tables: list[RawTable] = []
    broken: dict[str, list[str]] = {}
    known = contract.table_names()
    for f in files:
        try:
            if f.suffix.lower() == ".csv":
                tname = known.get(f.stem.strip()) or known.get(f.stem.strip().lower())
                if tname is None:
                    probs.append(problems.one(names[f], None, None, "", "", _("a table name: {tables}")
                                              .format(tables=", ".join(_table_list())), "unknown_file"))
                    continue
                try:
                    t, p = read_csv_table(f, tname, names[f])
                except Unreadable as e:
                    probs.append(e.problem)
                    broken.setdefault(tname, []).append(names[f])
                    continue
                probs.extend(p)
                if t is not None:
                    tables.append(t)
            else:
                ts, p, b = read_workbook(f, names[f])
                tables.extend(ts)
                probs.extend(p)
                for tname, where in b.items():
                    broken.setdefault(tname, []).extend(where)
        except OSError as e:
            probs.append(problems.one(names[f], None, None, "", "", _("a readable file ({reason})")
                                      .format(reason=os_reason(e)), "unreadable_file"))
    present = {t.name for t in tables} | set(broken)
    where = ", ".join(str(p) for p in paths)
    # a path that is missing or holds no data files is the problem: the tables it lacks follow
    lacking = any(p["code"].iloc[0] in ("missing_path", "not_a_dataset") for p in probs if len(p))
    for req in contract.REQUIRED_TABLES:
        if req not in present and not lacking:
            zh = contract.TABLES[req][0]
            probs.append(problems.one(where, None, None, "", "", _(
                "a table {name} ({zh}): {name}.csv / {zh}.csv, or a sheet named {name} or {zh}")
                .format(name=req, zh=zh), "missing_table"))
    return RawDataset(paths, tables, problems.combine(probs), broken)


def _table_list() -> list[str]:
    return [_("{name} ({zh})").format(name=n, zh=zh) for n, (zh, _t) in contract.TABLES.items()]


# ------------------------------------------------------------------ CSV
BOM = b"\xef\xbb\xbf"
def _save_utf8() -> str:
    return _("save it as CSV UTF-8 (Excel: Save As → CSV UTF-8 (Comma delimited))")


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of CSV bytes: UTF-8 (with or without BOM), else GB18030/GBK."""
    if data.startswith(BOM):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def _line_of(data: bytes, pos: int) -> int:
    """The line (1-based, as an editor counts) holding byte ``pos``."""
    return data.count(b"\n", 0, pos) + 1


def _bad_encoding(file: str, line: int | None, value: str, expected: str):
    return Unreadable(problems.one(file, None, line, "", value, expected, "encoding"))


def _utf8_or_gb18030(data: bytes, file: str) -> tuple[bytes, str]:
    """The body as UTF-8 bytes and the encoding it was saved in; :class:`Unreadable` when it is
    neither UTF-8 nor GB18030 (UTF-16, Big5, a stray byte), naming the line of the first bad byte."""
    _not_utf16(data, file)
    if data.startswith(BOM):
        try:
            data[3:].decode("utf-8")
        except UnicodeDecodeError as e:
            raise _utf8_error(data, e.start + 3, file) from None
        return data[3:], "utf-8-sig"
    try:
        data.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    # Mostly good UTF-8 with a few bad bytes is a UTF-8 file with damage, not GB18030.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = _non_ascii(text) - bad
    if good > 2 * bad:
        raise _utf8_error(data, first_bad, file)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise _bad_encoding(file, _line_of(data, e.start), _byte(data, e.start),
                            _("text saved as UTF-8 or GB18030/GBK: this line holds a byte that is "
                              "neither; {save}").format(save=_save_utf8())) from None
    if _looks_big5(data, text):
        raise _bad_encoding(file, None, "", _("text saved as UTF-8 or GB18030/GBK: this file looks like "
                                              "Big5 (traditional Chinese); {save}").format(save=_save_utf8()))
    return text.encode("utf-8"), "gb18030"


def _looks_utf16(head: bytes) -> bool:
    """A UTF-16 byte-order mark, or many zero bytes in the first 4000."""
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:4000].count(b"\x00") > len(head[:4000]) // 10


def _not_utf16(data: bytes, file: str) -> None:
    if _looks_utf16(data):
        raise _bad_encoding(file, None, "", _("text saved as UTF-8 or GB18030, not UTF-16 (Unicode text): {save}")
                            .format(save=_save_utf8()))


def _byte(data: bytes, pos: int) -> str:
    return data[pos: pos + 1].hex(" ").upper().join(("0x", ""))


def _utf8_error(data: bytes, pos: int, file: str) -> Unreadable:
    return _bad_encoding(file, _line_of(data, pos), _byte(data, pos),
                         _("UTF-8 text: this line holds a byte that is not UTF-8 (a character pasted "
                           "from another program?); retype it or {save}").format(save=_save_utf8()))


def _looks_big5(data: bytes, text: str) -> bool:
    """GB18030 text whose Chinese characters are mostly outside GB2312 while the bytes read as
    Big5: a traditional-Chinese file decoded as simplified gibberish."""
    sample = text[:1_000_000]
    wide = _non_ascii(sample)
    if wide < 4:
        return False
    rare = sample.encode("gb2312", errors="replace").count(b"?") - sample.count("?")
    if rare * 4 < wide:
        return False
    try:
        data.decode("big5")
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _map_headers(header: list[str], tname: str, file: str, sheet: str | None, row: int):
    """Header cells → canonical names; problems for unknown, duplicate and missing ones."""
    lookup = contract.header_names(tname)
    probs = []
    mapping: dict[int, str] = {}
    written: dict[str, str] = {}
    for i, h in enumerate(header):
        h = (h or "").strip()
        if not h:
            continue
        name = lookup.get(h) or lookup.get(h.lower())
        if name is None:
            allowed = ", ".join(f"{c.name}/{c.zh}" for c in contract.columns(tname))
            probs.append(problems.one(file, sheet, row, h, h, _("a column of {table}: {allowed}")
                                      .format(table=contract.table_label(tname), allowed=allowed), "unknown_column"))
            continue
        if name in written:
            probs.append(problems.one(file, sheet, row, h, h, _("each column once ({name} is also column {other!r})")
                                      .format(name=contract.column_label(tname, name), other=written[name]),
                                      "duplicate_column"))
            continue
        mapping[i] = name
        written[name] = h
    for c in contract.columns(tname):
        if c.required and c.name not in written:
            probs.append(problems.one(file, sheet, row, contract.column_label(tname, c.name), "",
                                      _("a required column {name} / {zh} (the header row lacks it)").format(name=c.name, zh=c.zh),
                                      "missing_column"))
    return mapping, written, probs


STREAM_BYTES = 64 << 20  # a UTF-8 file larger than this is parsed from disk, not held in memory
_CHUNK = 8 << 20


def _has_quote(path: Path) -> bool:
    """Whether the file holds a double quote anywhere (read in 8 MB chunks into one buffer)."""
    buf = bytearray(_CHUNK)
    with open(path, "rb") as f:
        while n := f.readinto(buf):
            if buf.find(b'"', 0, n) >= 0:
                return True
    return False


def read_csv_table(path: Path, tname: str, file: str):
    """Read one CSV table (UTF-8 with or without BOM, else GB18030/GBK); exact line numbers.
    Raises :class:`Unreadable` for a file that cannot be read honestly."""
    if path.stat().st_size > STREAM_BYTES:
        got = _read_utf8_from_disk(path, tname, file)
        if got is not None:
            return got
    data = path.read_bytes()
    _not_utf16(data, file)
    body, enc = (data[3:], "utf-8-sig") if data.startswith(BOM) else (data, "utf-8")
    try:  # UTF-8 is checked while parsing: a file that is not UTF-8 fails here
        return _read_utf8(_line_ends(body), tname, file, enc)
    except UnicodeDecodeError:
        pass
    body, enc = _utf8_or_gb18030(data, file)
    return _read_utf8(_line_ends(body), tname, file, enc)


def _line_ends(body: bytes) -> bytes:
    """Old Mac line ends (CR only) as LF."""
    if b"\r" in body and re.search(b"\r(?!\n)", body):
        return body.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return body


def _check_separator(header: list[str], tname: str, file: str) -> None:
    if len(header) > 1:
        return
    lookup = contract.header_names(tname)
    line = header[0] if header else ""
    for sep, word in ((";", _("semicolons (;)")), ("\t", _("tabs")), ("|", "|"), ("；", "；")):
        parts = [h.strip() for h in line.split(sep)]
        if len(parts) > 1 and sum((h in lookup or h.lower() in lookup) for h in parts) >= 2:
            raise Unreadable(problems.one(file, None, 1, "", "", _(
                "columns separated by commas; this file separates them by {sep}: save it as CSV "
                "(Excel: Save As → CSV UTF-8 (Comma delimited))").format(sep=word), "separator"))


def _read_utf8(data: bytes, tname: str, file: str, enc: str):
    nl = data.find(b"\n")
    head = data if nl < 0 else data[:nl]
    return _csv_table(head.decode("utf-8"), tname, file, enc,
                      lambda ncols, trim, probs: _parse_csv_body(data, nl, ncols, file, probs, trim))


def _csv_table(header_line: str, tname: str, file: str, enc: str, parse):
    """A CSV table from its header line and ``parse(ncols, trim, probs)`` → ``(frame, rows)``
    of the body (None: not this way): columns named as the contract's, blank rows dropped."""
    header = next(csv.reader([header_line.rstrip("\r")]), [])
    _check_separator(header, tname, file)
    mapping, written, probs = _map_headers(header, tname, file, None, 1)
    trim = _text_columns(tname, mapping)
    got = parse(len(header), trim, probs)
    if got is None:
        return None
    frame, rows = got
    frame = frame[[i for i in mapping if i in frame.columns]]
    frame.columns = [mapping[i] for i in frame.columns]
    frame, rows = _drop_blank(frame, rows, {mapping[i] for i in trim})
    return RawTable(tname, file, None, frame, rows, written, enc), probs


def _read_utf8_from_disk(path: Path, tname: str, file: str):
    """:func:`_read_utf8` of a large UTF-8 file straight from disk (pyarrow reads it block by
    block; the bytes are never held whole). None when the file needs the in-memory path: not
    UTF-8, or a body that is not one record per line."""
    with open(path, "rb") as f:
        head = f.read(65536)
    bom = head.startswith(BOM)
    nl = head.find(b"\n")
    if _looks_utf16(head) or nl < 0:
        return None
    try:
        header_line = head[3 if bom else 0:nl].decode("utf-8")
        # one row per line (blank lines too, dropped after): the rows are the lines
        return _csv_table(header_line, tname, file, "utf-8-sig" if bom else "utf-8",
                          lambda ncols, trim, _probs: _arrow_csv(str(path), ncols, trim, _has_quote(path), None))
    except UnicodeDecodeError:
        return None  # the in-memory path reads GB18030 or names the bad byte


def _text_columns(tname: str, mapping: dict[int, str]) -> dict[int, str]:
    """Text columns (position → kind) are trimmed while reading; the others are parsed (and
    trimmed) per distinct value later, and keep their spaces until then (in both CSV paths
    alike)."""
    kinds = {c.name: "unit" if c.names_unit else c.kind for c in contract.columns(tname)}  # unit names encoded
    return {i: kinds[name] for i, name in mapping.items() if kinds[name] in ("text", "unit")}


def _trimmed(arr: pa.ChunkedArray, kind: str) -> pd.Series:
    """A text column trimmed per distinct value: empty and blank cells missing (and nothing
    else: ``NA`` is text). A unit column (read as text, encoded here once) stays encoded (a
    categorical of the distinct trimmed names: units are looked up per name, not per row);
    other text (dictionary-encoded) is decoded."""
    if kind == "unit":
        return _categorical(pc.dictionary_encode(arr) if pa.types.is_string(arr.type) else arr.unify_dictionaries())
    chunks = [pa.DictionaryArray.from_arrays(ch.indices, _trim(ch.dictionary)).dictionary_decode()
              .cast(pa.large_string()) for ch in arr.chunks]
    return pa.chunked_array(chunks, type=pa.large_string()).to_pandas()


def _trim(texts: pa.Array) -> pa.Array:
    """Texts without their leading and trailing blanks; empty ones missing."""
    texts = pc.utf8_trim_whitespace(texts)
    return pc.if_else(pc.equal(texts, ""), pa.scalar(None, texts.type), texts)


def _categorical(arr: pa.ChunkedArray) -> pd.Series:
    """Dictionary chunks sharing one dictionary as a categorical of its trimmed texts (a
    trimmed name that two texts share is one category); missing: -1."""
    if not arr.num_chunks:
        return pd.Series(pd.Categorical([], categories=pd.Index([], dtype="str")))
    enc = pc.dictionary_encode(_trim(arr.chunk(0).dictionary))
    lut = np.append(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), -1).astype(np.int32)
    codes = np.concatenate([lut[pc.fill_null(ch.indices, -1).to_numpy(zero_copy_only=False)] for ch in arr.chunks])
    names = pd.Index(enc.dictionary.to_pandas(), dtype="str")
    return pd.Series(columns.categorical(codes, names))


def _line_break_in_a_value(tbl: pa.Table) -> bool:
    """Whether a cell holds a line break (then a record spans lines): one search over each
    chunk's text bytes (its dictionary's), not a call per value."""
    for col in tbl.columns:
        for ch in col.chunks:
            vals = ch.dictionary if pa.types.is_dictionary(ch.type) else ch
            text = bytes(columns.text_bytes(vals))  # a copy, then two memchr scans: faster than a regex
            if text.find(b"\n") >= 0 or text.find(b"\r") >= 0:
                return True
    return False


_DICT = pa.dictionary(pa.int32(), pa.string())
CSV_BLOCK = 4 << 20  # bytes pyarrow parses at a time (on both cores)
THREADED_ROWS = 200_000  # a table this long converts its columns on two threads


def _parse_csv_body(data: bytes, nl: int, ncols: int, file: str, probs: list, trim: dict[int, str]):
    """The records below the header (at byte ``nl``) and their line numbers."""
    if nl < 0 or not re.search(rb"[^\s,]", data[nl + 1: nl + 1 + 65536]) and not data[nl + 1:].strip(b" \t\r\n,"):
        return (pd.DataFrame({i: pd.Series(dtype="str") for i in range(ncols)}),
                np.array([], dtype=np.int64))
    # Fast path, when every line is one record (no blank lines, no newline inside quotes).
    nlines = data.count(b"\n", nl + 1) + (0 if data.endswith(b"\n") else 1)
    got = _arrow_csv(pa.BufferReader(pa.py_buffer(data)), ncols, trim, data.find(b'"', nl) >= 0, nlines)
    if got is not None:
        return got
    return _parse_csv_exact(data[nl + 1:].decode("utf-8"), ncols, file, probs, trim)


def _arrow_csv(source, ncols: int, trim: dict[int, str], quotes: bool, nlines: int | None):
    """The records below the header line with pyarrow's reader, when they are exactly
    ``nlines`` (one record per line); None otherwise (ragged rows, blank lines: the exact path
    reports them). ``nlines`` None: blank lines are read as rows (every line is a row) and
    a record that spans lines (a line break inside quotes) gives None. UnicodeDecodeError for
    text that is not UTF-8.

    Text cells are read as text and trimmed here; cells that are parsed later (numbers, dates,
    items, roles, yes/no) are read dictionary-encoded (categoricals: 4 bytes a cell, each
    distinct text once) and trimmed and parsed per distinct value. Only an empty cell is
    missing (no "NA"/"NULL" null words)."""
    names = [str(i) for i in range(ncols)]
    try:
        tbl = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=CSV_BLOCK),
            # blocks cut at every line end (a third faster than looking for quotes): a record
            # that spans lines then fails, or leaves a line break in a value, checked below
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=nlines is not None),
            convert_options=pacsv.ConvertOptions(
                # a unit column is encoded once after reading (no dictionary per block to unify)
                column_types={n: pa.string() if trim.get(int(n)) == "unit" else _DICT for n in names},
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
    except pa.ArrowInvalid as e:
        if "utf8" in str(e).lower():
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(e)) from None
        return None  # ragged rows and the like: the exact path reports them
    if (nlines is not None and tbl.num_rows != nlines) or (quotes and _line_break_in_a_value(tbl)):
        return None
    n = tbl.num_rows
    arrays = tbl.columns
    del tbl

    def convert(i: int) -> pd.Series:
        col, arrays[i] = arrays[i], None  # each Arrow column let go once converted
        return _trimmed(col, trim[i]) if i in trim else col.to_pandas()

    # Arrow converts without the interpreter's lock: a large table's columns on two threads
    if n < THREADED_ROWS or (os.cpu_count() or 1) < 2:
        cols = [convert(i) for i in range(ncols)]
    else:
        with ThreadPoolExecutor(2) as pool:
            cols = list(pool.map(convert, range(ncols)))
    return pd.DataFrame(dict(enumerate(cols)), copy=False), np.arange(2, n + 2, dtype=np.int64)


def _parse_csv_exact(body: str, ncols: int, file: str, probs: list, trim: dict[int, str]):
    reader = csv.reader(_io.StringIO(body, newline=""))
    records, rows = [], []
    prev = 0
    for rec in reader:
        start = prev + 2  # header is line 1
        prev = reader.line_num
        if not rec or all(not c.strip() for c in rec):
            continue
        if len(rec) > ncols and any(c.strip() for c in rec[ncols:]):
            at, extra = next((j, c) for j, c in enumerate(rec) if j >= ncols and c.strip())
            from kaohe.inputs.sheetscan import col_letters  # (its zip and XML readers load for workbooks)

            probs.append(problems.one(file, None, start, col_letters(at + 1), extra,
                                      _("no cell beyond the last header column"), "extra_cell"))
        rec = (rec + [""] * ncols)[:ncols]
        records.append([(c.strip() if j in trim else c) if c.strip() else None for j, c in enumerate(rec)])
        rows.append(start)
    frame = pd.DataFrame(records, columns=list(range(ncols)), dtype="str")
    return frame, np.asarray(rows, dtype=np.int64)


def _drop_blank(frame: pd.DataFrame, rows: np.ndarray, trimmed: set[str] | None = None):
    """Without the rows whose cells are all empty or blank (untrimmed columns are looked at
    only on rows whose trimmed ones are empty)."""
    if frame.shape[1] == 0:
        return frame.iloc[:0], rows[:0]
    cand = np.ones(len(frame), dtype=bool)  # all the trimmed cells empty (and'ed in place)
    for c in frame.columns:
        if trimmed is None or c in trimmed:
            cand &= frame[c].isna().to_numpy()
            if not cand.any():  # every row has a filled cell (the usual case): nothing to drop
                return frame, rows
    blank = cand.copy()
    for c in frame.columns:
        if trimmed is not None and c not in trimmed:
            blank &= frame[c].isna().to_numpy()
    if trimmed is not None:
        loose = [c for c in frame.columns if c not in trimmed]
        cand &= ~blank
        if loose and cand.any():
            idx = np.flatnonzero(cand)
            sub = np.logical_and.reduce([frame[c].iloc[idx].fillna("").str.strip().eq("").to_numpy()
                                         for c in loose])
            blank[idx[sub]] = True
    if blank.any():
        keep = ~blank
        return frame.loc[keep].reset_index(drop=True), rows[keep]
    return frame, rows


# ------------------------------------------------------------------ Excel
def _cell_text(v) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def read_workbook(path: Path, file: str):
    """Read every contract sheet of a workbook; other sheets (e.g. 说明) are ignored.

    Returns tables, problems and the tables whose sheet could not be read (table → where).
    """
    from python_calamine import CalamineWorkbook

    known = contract.table_names()
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet_names = list(wb.sheet_names)
    except Exception as e:  # noqa: BLE001 — any failure to open is the file's problem
        return [], [problems.one(file, None, None, "", "", _("a readable .xlsx workbook ({reason})")
                                 .format(reason=_short(e)), "bad_workbook")], {}
    tables, probs, broken = [], [], {}

    from kaohe.inputs import sheetscan

    scans = sheetscan.scan(path)
    seen: dict[str, str] = {}
    for sname in sheet_names:
        tname = known.get(sname.strip()) or known.get(sname.strip().lower())
        if tname is None:
            continue
        if tname in seen:
            probs.append(problems.one(file, sname, None, "", "", _(
                "one sheet per table: sheets {first} and {second} both hold the table {table}; "
                "merge them into one sheet").format(first=seen[tname], second=sname, table=contract.table_label(tname)),
                "duplicate_table"))
            broken.setdefault(tname, []).append(problems.where(file, sname, None))
            continue
        seen[tname] = sname
        scan = scans.get(sname)
        if scan is not None and scan.far:
            probs.append(problems.one(file, sname, None, "", ", ".join(scan.far), _(
                "cells within the table: this sheet has a value far outside it (at {cells}); delete "
                "it (Ctrl+End shows it) and save again").format(cells=", ".join(scan.far)), "stray_cell"))
            broken.setdefault(tname, []).append(problems.where(file, sname, None))
            continue
        try:
            sheet = wb.get_sheet_by_name(sname)
            t, p = _sheet_table(sheet, tname, file, sname, scan.errors if scan else {})
        except Exception as e:  # noqa: BLE001 — a broken sheet (XML) inside a valid zip
            probs.append(problems.one(file, sname, None, "", "", _("a readable sheet ({reason}); open the "
                                                                   "workbook in Excel/WPS and save it again")
                                      .format(reason=_short(e)), "bad_sheet"))
            broken.setdefault(tname, []).append(problems.where(file, sname, None))
            continue
        tables.append(t)
        probs.extend(p)
    if not tables and not broken:
        probs.append(problems.one(file, None, None, "", "", _("sheets named {names} (found: {found})")
                                  .format(names=", ".join(_table_list()), found=", ".join(sheet_names)),
                                  "no_table_sheets"))
    return tables, probs, broken


def _short(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:200] or type(e).__name__


HEADER_ROWS = 10  # the header is the first of these rows naming ≥ 2 columns


def _sheet_table(sheet, tname: str, file: str, sname: str, errors: dict[tuple[int, int], str]):
    """One sheet as a raw table, read row by row (no whole-range copy); ``errors`` holds the
    formula errors (#DIV/0!, …) by (row, column), which calamine reads as empty."""
    lookup = contract.header_names(tname)
    left = sheet.start[1] if sheet.start else 0
    rows_iter = sheet.iter_rows()
    head: list[list] = []
    for row in rows_iter:
        head.append([None] * left + list(row))
        if len(head) >= HEADER_ROWS:
            break
    hdr_i = 0
    for i, row in enumerate(head):
        cells = [str(c).strip() for c in row if c not in (None, "")]
        if sum((c in lookup or c.lower() in lookup) for c in cells) >= 2:
            hdr_i = i
            break
    header = [_cell_text(c) or "" for c in (head[hdr_i] if head else [])]
    mapping, written, probs = _map_headers(header, tname, file, sname, hdr_i + 1)
    records, rows = [], []
    cols = list(mapping)
    width = max([0, *(j + 1 for j, h in enumerate(header) if h)])  # the range may pad the header
    err_rows = {r for r, _c in errors}

    def take(i: int, row: list) -> None:
        cells = [_cell_text(c) for c in row]
        if i in err_rows:
            for (r, c), word in errors.items():
                if r == i:
                    cells.extend([None] * (c + 1 - len(cells)))
                    cells[c] = word
        if all(c is None for c in cells):
            return
        at, extra = next(((j, c) for j, c in enumerate(cells) if j >= width and c is not None), (0, None))
        if extra is not None:
            from kaohe.inputs.sheetscan import col_letters

            probs.append(problems.one(file, sname, i + 1, col_letters(at + 1), extra,
                                      _("no cell beyond the last header column"), "extra_cell"))
        rec = [cells[j] if j < len(cells) else None for j in cols]
        if any(c is not None for c in rec):  # a row of stray cells only is not a record
            records.append(rec)
            rows.append(i + 1)

    for i in range(hdr_i + 1, len(head)):
        take(i, head[i])
    for i, row in enumerate(rows_iter, start=len(head)):
        take(i, [None] * left + list(row) if left else row)
    frame = pd.DataFrame(records, columns=list(mapping.values()), dtype="str")
    return RawTable(tname, file, sname, frame, np.asarray(rows, dtype=np.int64), written, "xlsx"), probs


def read_or_raise(paths) -> RawDataset:
    raw = read_dataset(paths)
    if len(raw.problems):
        raise DataError(ngettext("{n} problem reading the data set", "{n} problems reading the data set",
                                  len(raw.problems)).format(n=len(raw.problems)), raw.problems)
    return raw
