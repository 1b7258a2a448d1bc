"""Fuzzing the reader (issue 12): valid CSV files and workbooks, mutated in their bytes, cells,
encodings and sheet XML, go through ``kaohe validate`` and ``kaohe score`` in-process. Never an
uncaught exception (exit 0 or 1), never a filled cell read as empty."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe import cli
from kaohe.inputs import io as kio

TABLES = {
    "units": [["year", "unit", "staff"], ["2024", "办公厅", "3"], ["2024", "研究室", "2.5"]],
    "ledger": [["date", "unit", "item", "quantity", "person", "days", "note"],
               ["2024-03-05", "办公厅", "petition_letter", "2", "", "", "来信"],
               ["2024-04-01", "研究室", "leave", "", "张三", "1.5", ""],
               ["2024-05-06", "办公厅", "lecture", "", "", "", "讲座"]],
    "goals": [["year", "unit", "goal", "completed"], ["2024", "办公厅", "完成年度任务", "是"]],
}
HOSTILE = ["#N/A", "NA", "NULL", "nan", "None", "", " ", "0", "-1", "1e308", "-1e308", "1e400", "1_000",
           "1,000", "99999999999999999999", "２０２４", "2024-02-30", "2024-03-05 10:00", "=1+1", "\x00",
           "\x1b[2J", "</script>", "是", "否", "协调", "\ufeff", "\u3000", "#DIV/0!", "'", '"', "\r", "\n",
           "\t", "长" * 300, "0x1F", "inf", "-0", ".5", "1.", "1e-300"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "big5", "cp1252", "latin-1"]


FUZZ = int(os.environ.get("KAOHE_FUZZ", "0"))  # KAOHE_FUZZ=10: ten times the examples, random ones


def SETTINGS(n):  # noqa: N802 — bounded: ~320 examples in all, each running two commands
    return settings(max_examples=n * max(FUZZ, 1), deadline=None, derandomize=not FUZZ,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

cell_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12),
                      st.text(alphabet=st.characters(codec="utf-8"), max_size=6))
position = st.tuples(st.sampled_from(sorted(TABLES)), st.integers(1, 3), st.integers(0, 6))


def _run(args) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main([str(a) for a in args])  # any exception fails the test
    assert rc in (0, 1), (rc, err.getvalue()[-2000:])
    return rc


def _commands(path: Path) -> None:
    _run(["validate", path])
    _run(["score", path, "--year", "2024"])


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _place(tables, where, text):
    """The tables with one cell replaced; ``(table, row, col)`` of the cell, or None."""
    name, r, c = where
    rows = [list(x) for x in tables[name]]
    r = min(r, len(rows) - 1)
    c = min(c, len(rows[0]) - 1)
    rows[r][c] = text
    return {**tables, name: rows}, (name, r, c)


def _filled(text) -> bool:
    """A cell a person filled: something other than spaces and control characters in it."""
    return isinstance(text, str) and any(ch.isalnum() for ch in text)


def _read_cell(path: Path, table: str, r: int, column: str):
    raw = kio.read_dataset(path)
    tables = raw.table(table)
    if not tables:  # the table could not be read: it must say so
        assert len(raw.problems), "a table vanished without a problem"
        return None
    t = tables[0]
    return t.frame[column].iloc[r - 1] if column in t.frame.columns and len(t.frame) >= r else "?"


@pytest.fixture
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


# ------------------------------------------------------------------ CSV
@SETTINGS(80)
@given(where=position, text=cell_text)
def test_csv_cells(folder, where, text):
    tables, (name, r, c) = _place(TABLES, where, text)
    d = folder / "cells"
    d.mkdir(exist_ok=True)
    for n, rows in tables.items():
        (d / f"{n}.csv").write_bytes(_csv_bytes(rows))
    _commands(d)
    if r > 0 and _filled(text) and "\x00" not in text:
        got = _read_cell(d, name, r, tables[name][0][c])
        assert got is None or (isinstance(got, str) and got.strip()), (text, got)


def _edited(data: bytes, ops) -> bytes:
    """``data`` with bytes inserted, replaced or deleted at the given offsets."""
    data = bytearray(data)
    for op, at, b in ops:
        at = min(at, len(data))
        if op == "insert":
            data[at:at] = b
        elif op == "replace":
            data[at:at + len(b)] = b
        else:
            del data[at:at + len(b)]
    return bytes(data)


@SETTINGS(50)
@given(table=st.sampled_from(sorted(TABLES)), ops=st.lists(
    st.tuples(st.sampled_from(["insert", "replace", "delete"]), st.integers(0, 400), st.binary(min_size=1, max_size=4)),
    min_size=1, max_size=4))
def test_csv_bytes(folder, table, ops):
    d = folder / "bytes"
    d.mkdir(exist_ok=True)
    for n, rows in TABLES.items():
        data = _csv_bytes(rows)
        (d / f"{n}.csv").write_bytes(_edited(data, ops) if n == table else data)
    _commands(d)


@SETTINGS(30)
@given(encodings=st.fixed_dictionaries({n: st.sampled_from(ENCODINGS) for n in TABLES}),
       sep=st.sampled_from([",", ";", "\t"]), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_csv_encodings_and_separators(folder, encodings, sep, newline):
    d = folder / "enc"
    d.mkdir(exist_ok=True)
    for n, rows in TABLES.items():
        buf = io.StringIO()
        csv.writer(buf, delimiter=sep, lineterminator=newline).writerows(rows)
        (d / f"{n}.csv").write_bytes(buf.getvalue().encode(encodings[n], errors="replace"))
    _commands(d)


# ------------------------------------------------------------------ workbooks
SHEETS = {"units": "单位", "ledger": "台账", "goals": "目标"}
cell_value = st.one_of(cell_text, st.integers(-10**20, 10**20),
                       st.floats(allow_nan=False, allow_infinity=False), st.booleans())


def _book(path: Path, tables) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    for n, rows in tables.items():
        ws = wb.add_worksheet(SHEETS[n])
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, str):
                    ws.write_string(i, j, v)
                elif isinstance(v, bool):
                    ws.write_boolean(i, j, v)
                else:
                    ws.write_number(i, j, v)
    wb.close()
    return path


@SETTINGS(60)
@given(where=position, value=cell_value)
def test_workbook_cells(folder, where, value):
    tables, (name, r, c) = _place(TABLES, where, value)
    path = _book(folder / "cells.xlsx", tables)
    _commands(path)
    if r > 0 and _filled(value) and "\x00" not in value:
        got = _read_cell(path, name, r, tables[name][0][c])
        assert got is None or (isinstance(got, str) and got.strip()), (value, got)


@SETTINGS(70)
@given(sheet=st.integers(1, 3), ops=st.lists(
    st.tuples(st.sampled_from(["insert", "replace", "delete"]), st.integers(0, 2000),
              st.one_of(st.binary(min_size=1, max_size=3),
                        st.sampled_from([b"<", b">", b'"', b"/", b'r="', b't="e"', b"<v>", b"XFD", b"9"]))),
    min_size=1, max_size=4))
def test_workbook_sheet_xml(folder, sheet, ops):
    src = _book(folder / "src.xlsx", TABLES)
    dst = folder / "xml.xlsx"
    part = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, _edited(data, ops) if item.filename == part else data)
    _commands(dst)


@SETTINGS(30)
@given(ops=st.lists(st.tuples(st.integers(0, 5000), st.binary(min_size=1, max_size=3)), min_size=1, max_size=3))
def test_workbook_zip_bytes(folder, ops):
    data = bytearray(_book(folder / "src.xlsx", TABLES).read_bytes())
    for at, b in ops:
        at = min(at, len(data))
        data[at:at + len(b)] = b
    dst = folder / "zip.xlsx"
    dst.write_bytes(bytes(data))
    _commands(dst)
