"""Reading a data set: CSV folders and Excel workbooks into raw string tables.

A data set is a folder of CSV files, a folder of workbooks, one ``.xlsx`` workbook, or
several such paths. Every table keeps the file and sheet it came from and the row number
the user sees (CSV line, Excel row), so every later problem can name them. Cells are
trimmed; empty cells become missing; nothing else is interpreted here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kaohe.core import contract, problems
from kaohe.core.errors import DataError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


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

    def table(self, name: str) -> list[RawTable]:
        return [t for t in self.tables if t.name == name]


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
                probs.append(problems.one(str(p), None, None, "", "",
                                          "a folder with CSV files (units.csv, ledger.csv, goals.csv) or .xlsx workbooks"))
            files.extend(found)
        elif p.is_file():
            if p.suffix.lower() == ".csv" or p.suffix.lower() in WORKBOOK_SUFFIXES:
                files.append(p)
            elif p.suffix.lower() in (".xls", ".et", ".ods"):
                probs.append(problems.one(p.name, None, None, "", "",
                                          f"an .xlsx workbook or CSV files; save {p.suffix} as .xlsx (Excel/WPS: 另存为 .xlsx)"))
            else:
                probs.append(problems.one(p.name, None, None, "", "", "a folder, a .csv file or an .xlsx workbook"))
        else:
            probs.append(problems.one(str(p), None, None, "", "", "an existing folder or file"))
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
    known = contract.table_names()
    for f in files:
        try:
            if f.suffix.lower() == ".csv":
                tname = known.get(f.stem.strip()) or known.get(f.stem.strip().lower())
                if tname is None:
                    probs.append(problems.one(names[f], None, None, "", "",
                                              "a table name: " + ", ".join(_table_list())))
                    continue
                t, p = read_csv_table(f, tname, names[f])
                probs.extend(p)
                if t is not None:
                    tables.append(t)
            else:
                ts, p = read_workbook(f, names[f])
                tables.extend(ts)
                probs.extend(p)
        except OSError as e:
            probs.append(problems.one(names[f], None, None, "", "", f"a readable file ({e.strerror})"))
    present = {t.name for t in tables}
    where = ", ".join(str(p) for p in paths)
    for req in contract.REQUIRED_TABLES:
        if req not in present:
            zh = contract.TABLES[req][0]
            probs.append(problems.one(where, None, None, "", "",
                                      f"a table {req} ({zh}): {req}.csv / {zh}.csv, or a sheet named {req} or {zh}"))
    return RawDataset(paths, tables, problems.combine(probs))


def _table_list() -> list[str]:
    return [f"{n} ({zh})" for n, (zh, _) in contract.TABLES.items()]


# ------------------------------------------------------------------ CSV
BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of CSV bytes: UTF-8 (with or without BOM), else GB18030/GBK."""
    if data.startswith(BOM):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


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
            probs.append(problems.one(file, sheet, row, h, h, f"a column of {tname}: {allowed}"))
            continue
        if name in written:
            probs.append(problems.one(file, sheet, row, h, h,
                                      f"each column once ({name} is also column {written[name]!r})"))
            continue
        mapping[i] = name
        written[name] = h
    for c in contract.columns(tname):
        if c.required and c.name not in written:
            probs.append(problems.one(file, sheet, row, f"{c.name} ({c.zh})", "",
                                      f"a required column {c.name} / {c.zh}"))
    return mapping, written, probs


def read_csv_table(path: Path, tname: str, file: str):
    """Read one CSV table (UTF-8 with or without BOM, else GB18030/GBK); exact line numbers."""
    data = path.read_bytes()
    bom = data.startswith(BOM)
    candidates = [("utf-8-sig", data[3:])] if bom else [("utf-8", data), ("gb18030", None)]
    for enc, body in candidates:
        if body is None:
            try:
                body = data.decode("gb18030").encode("utf-8")
            except UnicodeDecodeError as e:
                line = data[: e.start].count(b"\n") + 1
                return None, [problems.one(file, None, line, "", "",
                                           "text saved as UTF-8 or GB18030/GBK (Excel: CSV UTF-8)")]
        try:
            return _read_utf8(body, tname, file, enc)
        except UnicodeDecodeError:
            continue
    return None, [problems.one(file, None, None, "", "", "text saved as UTF-8 (Excel: CSV UTF-8)")]


def _read_utf8(data: bytes, tname: str, file: str, enc: str):
    nl = data.find(b"\n")
    head = data if nl < 0 else data[:nl]
    header = next(csv.reader([head.decode("utf-8").rstrip("\r")]), [])
    mapping, written, probs = _map_headers(header, tname, file, None, 1)
    frame, rows = _parse_csv_body(data, nl, len(header), file, probs, _text_columns(tname, mapping))
    frame = frame[[i for i in mapping if i in frame.columns]]
    frame.columns = [mapping[i] for i in frame.columns]
    frame, rows = _drop_blank(frame, rows)
    return RawTable(tname, file, None, frame, rows, written, enc), probs


def _trimmed(arr: pa.ChunkedArray) -> pd.Series:
    """Cells trimmed; empty and blank cells missing."""
    return _blank_null(pc.utf8_trim_whitespace(arr))


def _blank_null(arr: pa.ChunkedArray) -> pd.Series:
    empty = pc.equal(arr, "")
    if pc.any(empty).as_py():
        arr = pc.if_else(empty, pa.scalar(None, arr.type), arr)
    return arr.to_pandas()


_DICT = pa.dictionary(pa.int32(), pa.string())


def _text_columns(tname: str, mapping: dict[int, str]) -> set[int]:
    kinds = {c.name: c.kind for c in contract.columns(tname)}
    return {i for i, name in mapping.items() if kinds[name] in ("text", "unit")}


def _parse_csv_body(data: bytes, nl: int, ncols: int, file: str, probs: list, trim: set[int]):
    """The records below the header (at byte ``nl``) and their line numbers."""
    names = [str(i) for i in range(ncols)]
    if nl < 0 or not re.search(rb"[^\s,]", data[nl + 1: nl + 1 + 65536]) and not data[nl + 1:].strip(b" \t\r\n,"):
        return (pd.DataFrame({i: pd.Series(dtype="str") for i in range(ncols)}),
                np.array([], dtype=np.int64))
    # Fast path, when every line is one record (no blank lines, no newline inside quotes).
    nlines = data.count(b"\n", nl + 1) + (0 if data.endswith(b"\n") else 1)
    try:
        # Text cells are read as text and trimmed here; cells that are parsed later (numbers,
        # dates, items, roles, yes/no) are read dictionary-encoded (categoricals: 4 bytes a
        # cell, each distinct text once) and trimmed and parsed per distinct value. Only an
        # empty cell is missing (no "NA"/"NULL" null words).
        tbl = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=4 << 20),
            parse_options=pacsv.ParseOptions(newlines_in_values=data.find(b'"', nl) >= 0),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() if i in trim else _DICT for i, n in enumerate(names)},
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
        if tbl.num_rows == nlines:
            cols = {i: _trimmed(tbl.column(i)) if i in trim else tbl.column(i).to_pandas()
                    for i in range(ncols)}
            return pd.DataFrame(cols), np.arange(2, tbl.num_rows + 2, dtype=np.int64)
    except pa.ArrowInvalid as e:
        if "UTF8" in str(e) or "utf8" in str(e).lower():
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(e)) from None
        # ragged rows and the like: the exact path below reports them
    return _parse_csv_exact(data[nl + 1:].decode("utf-8"), ncols, file, probs)


def _parse_csv_exact(body: str, ncols: int, file: str, probs: list):
    reader = csv.reader(_io.StringIO(body))
    records, rows = [], []
    prev = 0
    for rec in reader:
        start = prev + 2  # header is line 1
        prev = reader.line_num
        if not rec or all(not c.strip() for c in rec):
            continue
        if len(rec) > ncols and any(c.strip() for c in rec[ncols:]):
            extra = next(c for c in rec[ncols:] if c.strip())
            probs.append(problems.one(file, None, start, f"column {ncols + 1}", extra,
                                      "no cell beyond the last header column"))
        rec = (rec + [""] * ncols)[:ncols]
        records.append([c.strip() or None for c in rec])
        rows.append(start)
    frame = pd.DataFrame(records, columns=list(range(ncols)), dtype="str")
    return frame, np.asarray(rows, dtype=np.int64)


def _drop_blank(frame: pd.DataFrame, rows: np.ndarray):
    if frame.shape[1] == 0:
        return frame.iloc[:0], rows[:0]
    blank = np.logical_and.reduce([frame[c].isna().to_numpy() for c in frame.columns])
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
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def read_workbook(path: Path, file: str):
    """Read every contract sheet of a workbook; other sheets (e.g. 说明) are ignored."""
    from python_calamine import CalamineError, CalamineWorkbook

    known = contract.table_names()
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, ValueError, OSError) as e:
        return [], [problems.one(file, None, None, "", "", f"a readable .xlsx workbook ({e})")]
    tables, probs = [], []
    for sname in wb.sheet_names:
        tname = known.get(sname.strip()) or known.get(sname.strip().lower())
        if tname is None:
            continue
        data = wb.get_sheet_by_name(sname).to_python(skip_empty_area=False)
        t, p = _sheet_table(data, tname, file, sname)
        tables.append(t)
        probs.extend(p)
    if not tables:
        probs.append(problems.one(file, None, None, "", "",
                                  "sheets named " + ", ".join(_table_list())
                                  + f" (found: {', '.join(wb.sheet_names)})"))
    return tables, probs


def _sheet_table(data: list[list], tname: str, file: str, sheet: str):
    lookup = contract.header_names(tname)
    hdr_i = 0
    for i, row in enumerate(data[:10]):  # the header is the first row naming ≥ 2 columns
        cells = [str(c).strip() for c in row if c not in (None, "")]
        if sum((c in lookup or c.lower() in lookup) for c in cells) >= 2:
            hdr_i = i
            break
    header = [_cell_text(c) or "" for c in (data[hdr_i] if data else [])]
    mapping, written, probs = _map_headers(header, tname, file, sheet, hdr_i + 1)
    records, rows = [], []
    for i in range(hdr_i + 1, len(data)):
        cells = [_cell_text(c) for c in data[i]]
        if all(c is None for c in cells):
            continue
        extra = [c for j, c in enumerate(cells) if c is not None and j not in mapping and j >= len(header)]
        if extra:
            probs.append(problems.one(file, sheet, i + 1, f"column {len(header) + 1}", extra[0],
                                      "no cell beyond the last header column"))
        records.append([cells[j] if j < len(cells) else None for j in mapping])
        rows.append(i + 1)
    frame = pd.DataFrame(records, columns=list(mapping.values()), dtype="str")
    return RawTable(tname, file, sheet, frame, np.asarray(rows, dtype=np.int64), written, "xlsx"), probs


def read_or_raise(paths) -> RawDataset:
    raw = read_dataset(paths)
    if len(raw.problems):
        raise DataError(f"{len(raw.problems)} problem(s) reading the data set", raw.problems)
    return raw
