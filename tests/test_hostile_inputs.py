"""Hostile and accidental input (issue 12, the input side): no traceback, no crash, no silent
misreading. Each test reproduces one item of the issue; problems are asserted by their code."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from kit import write_dataset

from kaohe import cli
from kaohe.core import contract, i18n
from kaohe.core.errors import DataError
from kaohe.inputs import dataset, io

UNITS = "year,unit,staff\n2024,办公厅,3\n"
LEDGER = "date,unit,item,quantity,note\n2024-03-05,办公厅,petition_letter,,\n"
GOALS = "year,unit,goal,completed\n2024,办公厅,完成年度任务,是\n"


def mkbase(d: Path, units: str = UNITS, ledger: str = LEDGER, goals: str = GOALS) -> Path:
    """The issue's valid data set (units, ledger, goals as CSV text)."""
    d.mkdir(parents=True, exist_ok=True)
    for name, text in (("units", units), ("ledger", ledger), ("goals", goals)):
        (d / f"{name}.csv").write_text(text, encoding="utf-8")
    return d


def problems(path) -> pd.DataFrame:
    with pytest.raises(DataError) as e:
        dataset.load(path)
    return e.value.problems


def codes(path) -> list[tuple]:
    p = problems(path)
    return sorted(zip(p["file"], p["row"].astype(object).where(p["row"].notna(), None), p["code"]))


def run(*args) -> tuple[int, str]:
    """``kaohe ARGS`` in-process: exit code and stderr+stdout; never a traceback."""
    import contextlib
    import io as _io

    out, err = _io.StringIO(), _io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main([str(a) for a in args])
    return rc, err.getvalue() + out.getvalue()


def book(path: Path, sheets: dict[str, list[list]], formulas=()) -> Path:
    """A workbook with xlsxwriter: sheet name → rows; formulas: (sheet, row, col, formula, cached)."""
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is not None:
                    ws.write(i, j, v)
        for s, r, c, f, cached in formulas:
            if s == name:
                ws.write_formula(r, c, f, None, cached)
    wb.close()
    return path


BOOK = {"单位": [["year", "unit", "staff"], [2024, "办公厅", 3]],
        "台账": [["date", "unit", "item"], ["2024-03-05", "办公厅", "petition_letter"]]}


def is_column(r, table, name):
    return r["column"] in (name, contract.column(table, name).zh)


# ------------------------------------------------------------------ 3: null words are text
NULL_WORDS = ["#N/A", "N/A", "NA", "NULL", "nan", "NaN", "None", "null", "-NaN", "n/a", "#NA", "-1.#IND", "<NA>"]


@pytest.mark.parametrize("word", NULL_WORDS)
@pytest.mark.parametrize("blank_line", [False, True])  # True: the exact CSV path
def test_null_words_are_what_was_typed(tmp_path, word, blank_line):
    tail = "\n" if blank_line else ""
    d = mkbase(tmp_path, ledger=f"date,unit,item,quantity,note\n2024-03-05,办公厅,petition_letter,{word},\n{tail}",
               goals=f"year,unit,goal,completed\n2024,办公厅,完成年度任务,{word}\n{tail}")
    p = problems(d)
    got = {(r["file"], r["row"]): r for _, r in p.iterrows()}
    q, g = got[("ledger.csv", 2)], got[("goals.csv", 2)]
    assert q["value"] == word and is_column(q, "ledger", "quantity")
    assert q["code"] in ("bad_number", "error_value")
    assert g["value"] == word and g["code"] in ("bad_yesno", "error_value")


@pytest.mark.parametrize("word", ["NA", "NULL", "None", "nan"])
def test_a_unit_named_like_a_null_word_is_a_unit(tmp_path, word):
    d = mkbase(tmp_path, units=f"year,unit,staff\n2024,{word},3\n",
               ledger=f"date,unit,item,person,days\n2024-03-05,{word},leave,NULL,2\n",
               goals=f"year,unit,goal,completed\n2024,{word},完成年度任务,是\n")
    ds = dataset.load(d)
    assert list(ds.units["unit"]) == [word]
    assert ds.ledger["person"].tolist() == ["NULL"]  # a person typed NULL is a person named NULL


def test_fast_and_exact_csv_paths_agree(tmp_path):
    rows = "".join(f"2024-03-05,办公厅,petition_letter,{w}, {w} \n" for w in NULL_WORDS)
    a = problems(mkbase(tmp_path / "a", ledger="date,unit,item,quantity,note\n" + rows))
    b = problems(mkbase(tmp_path / "b", ledger="date,unit,item,quantity,note\n" + rows + "\n\n"))
    assert a.equals(b)


# ------------------------------------------------------------------ 4: two sheets, one table
def test_two_sheets_for_one_table_is_an_error(tmp_path):
    path = book(tmp_path / "b.xlsx", {**BOOK, "ledger": BOOK["台账"]})
    p = problems(path)
    assert list(p["code"]) == ["duplicate_table"]
    assert "台账" in p["expected"].iloc[0] and "ledger" in p["expected"].iloc[0]


# ------------------------------------------------------------------ 5, 6: encodings, separators
def test_big5_is_not_read_as_gb18030(tmp_path):
    d = mkbase(tmp_path)
    (d / "units.csv").write_bytes("year,unit,staff\n2024,辦公廳,3\n2024,研究室,4\n2024,法制工作委員會,5\n"
                                  .encode("big5"))
    p = problems(d)
    enc = p[p["code"] == "encoding"]
    assert list(enc["file"]) == ["units.csv"] and "Big5" in enc["expected"].iloc[0] or "繁体" in enc["expected"].iloc[0]
    # the ledger's and goals' units are not checked against an unreadable table: one line says so
    assert set(p["code"]) == {"encoding", "not_checked"}


def test_gbk_is_read(tmp_path):
    d = mkbase(tmp_path)
    for name, text in (("units", UNITS), ("ledger", LEDGER), ("goals", GOALS)):
        (d / f"{name}.csv").write_bytes(text.encode("gbk"))
    assert dataset.load(d).units["unit"].tolist() == ["办公厅"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_one_problem_not_hundreds(tmp_path, encoding):
    ledger = "date,unit,item\n" + "2024-03-05,办公厅,petition_letter\n" * 300
    d = mkbase(tmp_path)
    (d / "ledger.csv").write_bytes(ledger.encode(encoding))
    p = problems(d)
    assert list(zip(p["file"], p["code"])) == [("ledger.csv", "encoding")]
    assert "UTF-16" in p["expected"].iloc[0]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_other_separators_are_named(tmp_path, sep):
    d = mkbase(tmp_path)
    (d / "units.csv").write_text(UNITS.replace(",", sep), encoding="utf-8")
    (d / "ledger.csv").write_text(("date,unit,item\n" + "2024-03-05,办公厅,petition_letter\n" * 200)
                                  .replace(",", sep), encoding="utf-8")
    p = problems(d)
    assert sorted(zip(p["file"], p["code"])) == [("ledger.csv", "separator"), ("units.csv", "separator"),
                                                 ("units.csv", "not_checked")] or \
        set(p["code"]) == {"separator", "not_checked"} and len(p) == 3


def test_an_undecodable_byte_is_reported_on_its_line(tmp_path):
    d = mkbase(tmp_path)
    body = ("date,unit,item,note\n" + "2024-03-05,办公厅,petition_letter,来信\n" * 3).encode("utf-8")
    body += "2024-03-05,办公厅,petition_letter,caf".encode() + b"\xe9\n"  # line 5: a Latin-1 é
    (d / "ledger.csv").write_bytes(body)
    p = problems(d)
    assert list(zip(p["file"], p["row"], p["code"])) == [("ledger.csv", 5, "encoding")]
    assert p["value"].iloc[0] == "0xE9"


def test_a_byte_neither_utf8_nor_gb18030_is_on_its_line(tmp_path):
    d = mkbase(tmp_path)
    body = ("date,unit,item,note\n" + "2024-03-05,办公厅,petition_letter,来信\n" * 3).encode("gbk")
    body += b"2024-03-05,\xff\xff,petition_letter,\n"  # 0xFF is a byte of neither
    (d / "ledger.csv").write_bytes(body)
    p = problems(d)
    assert list(zip(p["row"], p["code"])) == [(5, "encoding")]


# ------------------------------------------------------------------ 8: blank unit names
@pytest.mark.parametrize("unit", ["", "  ", "NA"])
def test_blank_or_na_unit_names_in_units(tmp_path, unit):
    d = mkbase(tmp_path, units=f"year,unit,staff\n2024,办公厅,3\n2024,{unit},4\n")
    if unit == "NA":
        assert dataset.load(d).units["unit"].tolist() == ["办公厅", "NA"]
        return
    assert codes(d) == [("units.csv", 3, "missing_value")]


def test_units_sheet_without_unit_values(tmp_path):
    """A formula without a cached value, a header below row 10, a stray value in D1048576."""
    f1 = book(tmp_path / "formula.xlsx", BOOK, formulas=[("单位", 1, 1, "=A1", "")])
    header_low = {**BOOK, "单位": [[None]] * 12 + BOOK["单位"]}
    f2 = book(tmp_path / "low.xlsx", header_low)
    f3 = book(tmp_path / "stray.xlsx", {**BOOK, "单位": BOOK["单位"] + [[None]] * 1048573 + [[None, None, None, "x"]]})
    for f in (f1, f2):
        rc, out = run("validate", f)
        assert rc == 1 and "Traceback" not in out
    assert "missing_value" in set(problems(f1)["code"])
    assert "missing_column" in set(problems(f2)["code"])
    p = problems(f3)
    assert list(zip(p["row"], p["code"], p["value"])) == [(1048576, "extra_cell", "x")]


# ------------------------------------------------------------------ 9: line ends and long cells
def test_cr_only_line_ends(tmp_path):
    d = mkbase(tmp_path, ledger=LEDGER.replace("\n", "\r") + "2024-03-06,办公厅,petition_letter,2,\r")
    ds = dataset.load(d)
    assert ds.ledger["quantity"].tolist() == [1, 2]
    d2 = mkbase(tmp_path / "bad", ledger=(LEDGER + "2024-03-06,办公厅,petition_letter,x,\n").replace("\n", "\r"))
    assert codes(d2) == [("ledger.csv", 3, "bad_number")]


def test_a_very_long_cell_on_the_exact_path(tmp_path):
    note = "长" * 200_000
    d = mkbase(tmp_path, ledger=f"date,unit,item,quantity,note\n2024-03-05,办公厅,petition_letter,,\"{note}\"\n\n")
    assert dataset.load(d).ledger["note"].iloc[0] == note


# ------------------------------------------------------------------ 10: number bounds
@pytest.mark.parametrize("table,column,value", [
    ("ledger", "quantity", "99999999999999999999"),
    ("ledger", "quantity", "9" * 5000),
    ("ledger", "days", "1e300"),
    ("ledger", "points", "1e308"),
    ("ledger", "points", "-1e308"),
    ("ledger", "participants", "1e400"),
    ("units", "year", "99999999999999999999"),
    ("units", "staff", "1e308"),
    ("units", "staff", "1e400"),
    ("goals", "year", "-99999999999999999999"),
])
def test_numbers_beyond_bounds_are_refused(tmp_path, table, column, value):
    ledger = {"quantity": "date,unit,item,quantity\n2024-03-05,办公厅,petition_letter,{}\n",
              "days": "date,unit,item,person,days\n2024-03-05,办公厅,leave,张三,{}\n",
              "points": "date,unit,item,points,ref\n2024-03-05,办公厅,innovation,{},纪要\n",
              "participants": "date,unit,item,days,participants\n2024-03-05,办公厅,study_program,2,{}\n"}
    texts = {"units": UNITS, "ledger": LEDGER, "goals": GOALS}
    if table == "ledger":
        texts["ledger"] = ledger[column].format(value)
    elif table == "units":
        texts["units"] = UNITS + ("{},研究室,3\n" if column == "year" else "2024,研究室,{}\n").format(value)
    else:
        texts["goals"] = GOALS + f"{value},办公厅,目标二,是\n"
    d = mkbase(tmp_path, **texts)
    p = problems(d)
    mine = p[p["file"] == f"{table}.csv"]
    assert list(zip(mine["row"], mine["code"])) == [(2 if table == "ledger" else 3, "out_of_range")], p
    assert mine["value"].iloc[0] == value
    rc, out = run("score", d, "--year", "2024")
    assert rc == 1 and "Traceback" not in out


@pytest.mark.parametrize("staff", ["1e-300", "0.00001", "1_000", "1,000", "inf", "nan"])
def test_staff_that_cannot_be_published_is_refused(tmp_path, staff):
    d = mkbase(tmp_path, units=f'year,unit,staff\n2024,办公厅,"{staff}"\n')
    assert codes(d) == [("units.csv", 2, "bad_number")]


def test_bounds_live_in_the_contract():
    bounded = {c.name for t in contract.TABLES for c in contract.columns(t) if c.kind in ("int", "number")}
    assert all(contract.column(t, c.name).hi is not None
               for t in contract.TABLES for c in contract.columns(t) if c.name in bounded)


# ------------------------------------------------------------------ 11, 12: broken sheets
def _rewrite(src: Path, dst: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == part else data)
    return dst


def test_broken_sheet_xml_inside_a_valid_zip(tmp_path):
    good = book(tmp_path / "good.xlsx", BOOK)
    bad = _rewrite(good, tmp_path / "bad.xlsx", "xl/worksheets/sheet2.xml", lambda b: b[: len(b) // 2])
    p = problems(bad)
    assert "bad_sheet" in set(p["code"]) and p.loc[p["code"] == "bad_sheet", "sheet"].tolist() == ["台账"]
    rc, out = run("validate", bad)
    assert rc == 1 and "Traceback" not in out


def test_a_stray_cell_at_xfd1048576_does_not_abort(tmp_path):
    path = tmp_path / "stray.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in BOOK.items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            ws.write_row(i, 0, row)
    wb.get_worksheet_by_name("台账").write(1048575, 16383, "x")  # XFD1048576
    wb.close()
    res = subprocess.run([sys.executable, "-m", "kaohe", "validate", str(path)], capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 1, res.stderr[-2000:]
    assert "XFD1048576" in res.stdout + res.stderr and "Traceback" not in res.stderr
    p = problems(path)
    assert list(zip(p["sheet"], p["code"])) == [("台账", "stray_cell")]


# ------------------------------------------------------------------ 22: many problems
def test_problems_beyond_one_sheet_continue_on_the_next(tmp_path, monkeypatch):
    import openpyxl

    from kaohe.cli import common

    monkeypatch.setattr(common, "XLSX_MAX_ROWS", 50)
    rows = "".join(f"2024-03-05,办公厅,petition_letter,x{i},\n" for i in range(120))
    d = mkbase(tmp_path / "d", ledger="date,unit,item,quantity,note\n" + rows)
    out = tmp_path / "p.xlsx"
    rc, _text = run("validate", d, "--problems", out)
    assert rc == 1
    wb = openpyxl.load_workbook(out, read_only=True)
    assert len(wb.sheetnames) == 3
    values = [c for ws in wb for row in ws.iter_rows(values_only=True) for c in row]
    assert all(f"x{i}" in values for i in range(120))


def test_the_import_workbook_is_bounded_and_counts_by_kind(tmp_path, monkeypatch):
    import openpyxl

    from kaohe.output import import_report

    monkeypatch.setattr(import_report, "PER_KIND", 5)
    rows = "".join(f"2024-03-05,办公厅,petition_letter,x{i},\n2024-03-05,外单位,petition_letter,,\n"
                   for i in range(40))
    d = mkbase(tmp_path / "d", ledger="date,unit,item,quantity,note\n" + rows)
    out = tmp_path / "r.xlsx"
    rc, _text = run("validate", d, "--out", out)
    assert rc == 1
    wb = openpyxl.load_workbook(out, read_only=True)
    listed = [r for r in wb["问题清单"].iter_rows(values_only=True) if r and r[-1] in ("bad_number", "unknown_unit")]
    assert len(listed) == 10
    counts = {r[0]: r[1] for r in wb["问题分类"].iter_rows(values_only=True) if r and r[0] in ("bad_number",
                                                                                          "unknown_unit")}
    assert counts == {"bad_number": 40, "unknown_unit": 40}


# ------------------------------------------------------------------ 24: messages
def test_no_placeholder_year_in_messages(tmp_path):
    d = mkbase(tmp_path, units="year,unit,staff\n2024,办公厅,3\nx,办公厅,3\n",
               ledger="date,unit,item\n2023-03-05,办公厅,petition_letter\n")
    p = problems(d)
    # the units row without a valid year is the problem; the ledger's 办公厅 is not blamed again
    assert sorted(p["code"]) == ["bad_number"]
    d = mkbase(tmp_path / "b", units="year,unit,staff\n2024,办公厅,3\nx,研究室,3\n",
               ledger="date,unit,item\n2024-03-05,法制委,petition_letter\n2023-03-05,办公厅,lecture\n")
    p = problems(d)
    assert sorted(p["code"]) == ["bad_number", "unknown_unit", "unknown_year"]
    for msg in p["expected"]:
        assert "0," not in msg and " 0" not in msg and "（0" not in msg, msg
    assert "2024" in p.loc[p["code"] == "unknown_year", "expected"].iloc[0]


def test_a_cached_formula_error_is_named(tmp_path):
    path = book(tmp_path / "b.xlsx", BOOK, formulas=[("单位", 1, 2, "=1/0", "#DIV/0!"),
                                                     ("台账", 1, 1, "=NA()", "#N/A")])
    p = problems(path)
    assert sorted(zip(p["sheet"], p["row"], p["code"], p["value"])) == [
        ("单位", 2, "error_value", "#DIV/0!"), ("台账", 2, "error_value", "#N/A")]


def test_a_formula_error_typed_in_a_csv_unit_cell_is_named(tmp_path):
    """Unit columns are read as a list of names (categorical): the names are checked."""
    d = mkbase(tmp_path, units="year,unit,staff\n2024,办公厅,3\n2024, #REF! ,2\n",
               ledger="date,unit,item\n2024-03-01,#N/A,lecture\n",
               goals="year,unit,goal,completed\n2024,#DIV/0!,g,是\n")
    p = problems(d)
    assert sorted(zip(p["file"], p["row"], p["code"], p["value"])) == [
        ("goals.csv", 2, "error_value", "#DIV/0!"), ("ledger.csv", 2, "error_value", "#N/A"),
        ("units.csv", 3, "error_value", "#REF!")]


def test_problem_rows_are_written_as_integers(tmp_path):
    d = mkbase(tmp_path / "d", ledger=LEDGER + "2024-03-05,办公厅,petition_letter,x,\n")
    (d / "notes.csv").write_text("x\n", encoding="utf-8")  # a problem without a row
    out = tmp_path / "p.csv"
    assert run("validate", d, "--problems", out)[0] == 1
    text = out.read_text(encoding="utf-8-sig")
    assert ",3," in text and "3.0" not in text and "code" in text.splitlines()[0]


def test_one_message_per_cell(tmp_path):
    d = mkbase(tmp_path, units="year,unit,staff\n2024,办公厅,3\n20\x0024,研究室,3\n")
    assert codes(d) == [("units.csv", 3, "bad_number")]


def test_thousands_separators_are_refused(tmp_path):
    d = mkbase(tmp_path, ledger='date,unit,item,quantity\n2024-03-05,办公厅,petition_letter,"1,000"\n'
                                "2024-03-05,办公厅,petition_letter,1_000\n")
    assert codes(d) == [("ledger.csv", 2, "bad_number"), ("ledger.csv", 3, "bad_number")]


@pytest.mark.parametrize("when", ["2024-01-05T00:00:00", "2024-01-05 10:00", "2024-01-05 10:00:00",
                                  "2024/1/5 23:59"])
def test_one_rule_for_times_of_day(tmp_path, when):
    d = mkbase(tmp_path, ledger=f"date,unit,item\n{when},办公厅,petition_letter\n")
    assert dataset.load(d).ledger["date"].iloc[0] == pd.Timestamp("2024-01-05")


def test_raw_cells_keep_what_was_typed(tmp_path):
    d = mkbase(tmp_path, ledger="date,unit,item,note\n2024-03-05,办公厅,petition_letter,NULL\n")
    raw = io.read_dataset(d)
    assert raw.table("ledger")[0].frame["note"].tolist() == ["NULL"]


def test_every_problem_has_a_known_code(tmp_path):
    from kaohe.core.problems import CODES

    d = mkbase(tmp_path, units="year,unit,staff\n2024,办公厅,3\n2024,办公厅,4\nx,,1e9\n",
               ledger="date,unit,item,quantity,role,days,points,ref,note,备注\n"
                      "2024-02-30,外单位,lectures,#DIV/0!,boss,,,,,\n"
                      "2024-03-05,办公厅,leave,2,,,1,,,\n2024-03-05,办公厅,document_management,2,,,,,,\n")
    (d / "other.csv").write_text("x\n", encoding="utf-8")
    p = problems(d)
    assert len(p) >= 10 and set(p["code"]) <= set(CODES) and "" not in set(p["code"]), p


@pytest.mark.parametrize("empty", ["goals", "ledger"])
def test_a_table_file_with_its_header_only_is_an_empty_table(tmp_path, empty, capsys):
    """A header-only goals.csv (or a second ledger file with no rows) scores as if it had no
    rows: no unit misses a goal, every command runs."""
    from kaohe import cli

    d = mkbase(tmp_path)
    (d / f"{empty}.csv").write_text({"goals": "year,unit,goal,completed\n",
                                     "ledger": "date,unit,item\n"}[empty], encoding="utf-8")
    if empty == "ledger":  # the rows in a second file, the first one empty
        (d / "台账.csv").write_text(LEDGER, encoding="utf-8")
    assert cli.main(["score", str(d), "--year", "2024"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("rank,unit") and len(rows) > 1
    for cmd in (["explain", str(d), "--year", "2024", "--unit", "办公厅"], ["validate", str(d)]):
        assert cli.main(cmd) == 0, cmd


@pytest.mark.parametrize("lang, words", [
    ("zh_CN", "第3行「E」列，值「5」：表头最后一列之后不应有内容"),
    ("en", "3, column E, value '5': no cell beyond the last header column")])
def test_a_cell_beyond_the_header_is_named_by_its_column_letter_once(tmp_path, lang, words):
    """The cell's own column (E, past an empty D), worded once: not 「第4列」列 / column column 4."""
    csv_set = write_dataset(tmp_path / "csv", [(2024, "办公厅", 3), (2024, "研究室", 2)])
    units = csv_set / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines()
    units.write_text("\n".join([*lines[:2], lines[2] + ",,5"]) + "\n", encoding="utf-8")
    xlsx = book(tmp_path / "b.xlsx", {**BOOK, "单位": [*BOOK["单位"], [2024, "研究室", 2, None, 5]]})
    try:
        for data in (csv_set, xlsx):
            rc, out = run("--lang", lang, "validate", data)
            assert rc == 1 and words in out, out
    finally:
        i18n.set_language()
