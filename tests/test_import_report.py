"""``kaohe validate``: rows read, accepted and refused per workbook and sheet, the problems,
per-unit ledger rows and points when all is fine, and the same as a workbook."""

from decimal import Decimal

import openpyxl
import pytest
from workbook_kit import fill

from kaohe import cli
from kaohe.engine import score
from kaohe.inputs import dataset
from kaohe.output import import_report as validate_report

UNITS = [{"year": "2024", "unit": "办公厅", "staff": "10"}, {"year": "2024", "unit": "研究室", "staff": "3"}]
OFFICE = [  # 办公厅: daily 2 + 2 + 0.3 = 4.3; common: 16 days of leave, 1 over 15 × 0.5 = −0.5
    {"date": "2024-03-01", "unit": "办公厅", "item": "lecture", "subject": "讲座一"},
    {"date": "2024-04-01", "unit": "办公厅", "item": "lecture", "subject": "讲座二"},
    {"date": "2024-05-06", "unit": "办公厅", "item": "leave", "person": "张三", "days": "16"},
    {"date": "2024-05-07", "unit": "办公厅", "item": "petition_letter", "quantity": "3"},
]
RESEARCH = [{"date": "2024-06-03", "unit": "研究室", "item": "deputy_inspection", "role": "coordinator"}]
GOALS = [{"year": "2024", "unit": "办公厅", "goal": "目标一", "completed": "是"},
         {"year": "2024", "unit": "办公厅", "goal": "目标二", "completed": "否"}]


@pytest.fixture(scope="module")
def tpl(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "t.xlsx"
    assert cli.main(["template", "--year", "2024", "--out", str(path)]) == 0
    return path


@pytest.fixture
def good(tpl, tmp_path):
    a = fill(tpl, tmp_path / "办公厅.xlsx", units=UNITS, goals=GOALS, ledger=OFFICE)
    b = fill(tpl, tmp_path / "研究室.xlsx", units=UNITS, ledger=RESEARCH)
    return a, b


def test_per_unit_figures_are_the_exact_ledger_points(good):
    fig = validate_report.unit_figures(score.score(dataset.load(list(good)))).set_index("unit")
    assert fig.loc["办公厅", ["ledger_rows", "goals", "completed"]].tolist() == [4, 2, 1]
    assert fig.loc["办公厅", "common"] == Decimal("-0.5") and fig.loc["办公厅", "daily"] == Decimal("4.3")
    assert fig.loc["办公厅", "files"] == "办公厅.xlsx (4)"
    assert fig.loc["研究室", ["ledger_rows", "goals", "completed"]].tolist() == [1, 0, 0]
    assert fig.loc["研究室", "daily"] == Decimal(2) and fig.loc["研究室", "common"] == 0
    assert fig.loc["研究室", "files"] == "研究室.xlsx (1)"


def test_text_report_when_all_is_fine(good, capsys):
    assert cli.main(["validate", *map(str, good)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("通过：")
    assert "办公厅.xlsx 工作表「台账」 — 台账：读取 4 行，接受 4 行，拒收 0 行" in out
    assert "研究室.xlsx 工作表「台账」 — 台账：读取 1 行，接受 1 行，拒收 0 行" in out
    # both workbooks carry the same 单位 sheet: the second one's rows are counted once
    assert ("研究室.xlsx 工作表「单位」 — 单位：读取 2 行，接受 2 行，拒收 0 行"
            "（2 行与另一文件相同，只计一次）") in out
    line = next(s for s in out.splitlines() if " 办公厅 " in s)
    assert line.split()[:7] == ["2024", "办公厅", "4", "−0.5", "4.3", "2", "1"]


BAD = [
    OFFICE[0],
    {**OFFICE[1], "date": "2024-13-01"},  # bad date
    {**OFFICE[2], "person": ""},  # leave without a person
    {**OFFICE[3], "item": "来信", "role": "协调"},  # unknown item; role then not checked
    {"date": "2024-05-08", "unit": "办公厅", "item": "lecture", "role": "coordinator", "quantity": "0"},
]


def test_text_report_counts_refused_rows_and_lists_their_problems(tpl, tmp_path, capsys):
    a = fill(tpl, tmp_path / "办公厅.xlsx", units=UNITS, goals=GOALS, ledger=BAD)
    b = fill(tpl, tmp_path / "研究室.xlsx", ledger=RESEARCH, drop_units_sheet=True)
    assert cli.main(["validate", str(a), str(b)]) == 1
    out, err = capsys.readouterr()
    assert "个问题" in err
    assert "办公厅.xlsx 工作表「台账」 — 台账：读取 5 行，接受 1 行，拒收 4 行" in out
    assert "研究室.xlsx 工作表「台账」 — 台账：读取 1 行，接受 1 行，拒收 0 行" in out
    assert "办公厅.xlsx 工作表「目标」 — 目标：读取 2 行，接受 2 行，拒收 0 行" in out
    block = out.split("办公厅.xlsx 工作表「台账」")[1].split("研究室.xlsx")[0]
    assert "  第3行「日期」列，值「2024-13-01」" in block
    assert "  第4行「人员」列为空：请假须填写人员" in block
    assert "  第5行「事项」列，值「来信」" in block
    assert "  第6行「角色」列，值「协调」" in block
    assert "  第6行「数量」列，值「0」" in block
    assert "问题分类：" in out
    assert "各单位（" not in out  # no figures while anything is wrong


def test_header_and_file_problems_are_listed_too(tpl, tmp_path, capsys):
    a = fill(tpl, tmp_path / "a.xlsx", units=UNITS, ledger=OFFICE)
    wb = openpyxl.load_workbook(a)
    wb["台账"]["R1"] = "说明列"  # a column the contract does not have
    wb.save(a)
    (tmp_path / "old.xls").write_bytes(b"")
    assert cli.main(["validate", str(a), str(tmp_path / "old.xls")]) == 1
    out = capsys.readouterr().out
    assert "a.xlsx 工作表「台账」 — 台账：读取 4 行，接受 4 行，拒收 0 行" in out
    assert "  第1行「说明列」列，值「说明列」：「台账」表的列" in out
    assert "其他问题：" in out and "old.xls" in out and "另存为 .xlsx" in out
    book = tmp_path / "report.xlsx"
    assert cli.main(["validate", str(a), str(tmp_path / "old.xls"), "--out", str(book)]) == 1
    rows = list(openpyxl.load_workbook(book)["导入情况"].iter_rows(values_only=True))
    old = next(r for r in rows if r[0] == "old.xls")  # a file not read is listed, with why
    assert old[3:6] == (None, None, None) and old[6] == 1 and old[7].startswith("未读入：") and "另存为 .xlsx" in old[7]


def fills(ws):
    """Excel row → fill colour of its first cell, for the data rows of a report sheet."""
    out = {}
    for row in ws.iter_rows(min_row=3):
        if isinstance(row[0].value, int):
            out[row[0].value] = row[0].fill.fgColor.rgb
    return out


def test_xlsx_report_highlights_the_refused_rows(tpl, tmp_path, capsys):
    a = fill(tpl, tmp_path / "办公厅.xlsx", units=UNITS, goals=GOALS, ledger=BAD)
    b = fill(tpl, tmp_path / "研究室.xlsx", ledger=RESEARCH, drop_units_sheet=True)
    out = tmp_path / "report.xlsx"
    probs = tmp_path / "problems.csv"
    assert cli.main(["validate", str(a), str(b), "--format", "xlsx", "--out", str(out),
                     "--problems", str(probs)]) == 1
    capsys.readouterr()
    assert probs.exists() and "2024-13-01" in probs.read_text(encoding="utf-8-sig")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["导入情况", "问题清单", "问题分类", "办公厅·台账"]
    kinds = {r[0].value: r[1].value for r in wb["问题分类"].iter_rows(min_row=3)}
    assert sum(kinds.values()) == 5 and kinds["bad_date"] == 1
    summary = [[c.value for c in r] for r in wb["导入情况"].iter_rows(min_row=4)]
    assert ["办公厅.xlsx", "台账", "台账", 5, 1, 4, 5, None] in summary
    assert ["研究室.xlsx", "台账", "台账", 1, 1, 0, 0, None] in summary
    ws = wb["办公厅·台账"]
    assert "被拒收的 4 行排在最前" in ws["A2"].value  # the note: what prints
    heads = [c.value for c in ws[3]]
    assert heads[:3] == ["行号", "问题", "日期"]
    assert [ws.cell(r, 1).value for r in range(4, 9)] == [3, 4, 5, 6, 2]  # the refused rows first
    assert ws.print_area == "'办公厅·台账'!$A$1:$" + openpyxl.utils.get_column_letter(ws.max_column) + "$7"
    colours = fills(ws)
    assert set(colours) == {2, 3, 4, 5, 6}  # the rows as the office sees them
    refused = {r for r, c in colours.items() if c.endswith("FCE4D6")}
    assert refused == {3, 4, 5, 6}
    texts = {r[0].value: r[1].value for r in ws.iter_rows(min_row=3)}
    assert "日期" in texts[3] or "date" in texts[3]
    assert texts[2] is None
    assert "角色" in texts[6] and "数量" in texts[6]
    assert len(list(wb["问题清单"].iter_rows(min_row=3))) == 5


def test_xlsx_report_when_all_is_fine_has_the_unit_figures(good, tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    assert cli.main(["validate", *map(str, good), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["导入情况", "各单位汇总"]
    rows = {r[1].value: [c.value for c in r] for r in wb["各单位汇总"].iter_rows(min_row=3)}
    assert rows["办公厅"][:7] == [2024, "办公厅", 4, -0.5, 4.3, 2, 1]
    assert wb["各单位汇总"]["E4"].number_format.split("_")[0] == "0.0"  # the digits the figures have (then a pad)


@pytest.mark.parametrize("args,words", [(["--format", "xlsx"], "--out 文件.xlsx"),
                                        (["--out", "r.csv"], "文件.xlsx")])
def test_report_options(good, tmp_path, capsys, args, words):
    args = [str(tmp_path / a) if a.startswith("r.") else a for a in args]
    assert cli.main(["validate", *map(str, good), *args]) == 1
    assert words in capsys.readouterr().err


def test_per_unit_figures_follow_the_units_tables_order():
    import csv

    from kaohe import sample_dir

    with open(sample_dir() / "units.csv", encoding="utf-8") as f:
        listed = [(int(r["year"]), r["unit"]) for r in csv.DictReader(f)]
    figures = validate_report.unit_figures(score.score(dataset.load(sample_dir())))
    assert list(zip(figures["year"], figures["unit"])) == sorted(listed, key=lambda r: r[0])


def test_english_words_are_not_said_twice(tmp_path, english, capsys):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "units.csv").write_text("year,unit,staff\n2024,a,2\n2024,b,x\n", encoding="utf-8")
    (folder / "ledger.csv").write_text("date,unit,item\n2024-03-01,a,lecture\n", encoding="utf-8")
    book = tmp_path / "v.xlsx"
    assert cli.main(["validate", str(folder), "--out", str(book)]) == 1
    assert "units" in openpyxl.load_workbook(book).sheetnames  # not units·units
    capsys.readouterr()
    assert cli.main(["validate", str(folder)]) == 1
    assert "1 problem in the data set" in capsys.readouterr().err


@pytest.fixture(scope="module")
def sample_with_mistakes(tmp_path_factory):
    """The sample data with three mistakes in ledger.csv: a bad date, an unknown unit, a blank
    required cell (rows 10, 11 and 201 as the office sees them)."""
    import shutil

    from kaohe import sample_dir

    folder = tmp_path_factory.mktemp("bad") / "data"
    shutil.copytree(sample_dir(), folder)
    path = folder / "ledger.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[9] = lines[9].replace("2022-01-07", "2022-13-07")
    lines[10] = lines[10].replace("人事代表工作委员会", "人事代表委员会")
    cells = lines[200].split(",")
    cells[2] = ""
    lines[200] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


def test_the_refused_rows_of_a_long_ledger_are_what_prints(sample_with_mistakes, tmp_path, capsys):
    """1,468 ledger rows, 3 refused: the sheet keeps every row on screen, but prints the three
    (with their row numbers and problems, the problem text wide enough for a line or two) —
    4 A4 pages for the whole workbook, not 130; no header broken inside a word."""
    import re
    import subprocess

    from office_kit import MISSING, PDFTOPPM, SOFFICE, pdf_text, to_pdf

    out = tmp_path / "v.xlsx"
    assert cli.main(["validate", str(sample_with_mistakes), "--format", "xlsx", "--out", str(out)]) == 1
    capsys.readouterr()
    ws = openpyxl.load_workbook(out)["ledger·台账"]
    assert ws.max_row == 3 + 1468
    assert [ws.cell(r, 1).value for r in (4, 5, 6)] == [10, 11, 201]
    assert ws.print_area.endswith("$6")
    problem = ws.column_dimensions["B"].width
    assert problem >= 2 * max(ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width
                              for j in range(3, ws.max_column + 1) if ws.cell(3, j).value != "事项")
    if SOFFICE is None or PDFTOPPM is None:
        pytest.skip(MISSING)
    pdf = to_pdf(out, tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages <= 5, pages
    text = pdf_text(pdf, pages, pages)
    flat = text.replace(" ", "")
    assert "2022-13-07" in text and "2022-05-19" in text and "事项（必填）" in flat
    assert "单位表中2022年度的单位" in flat  # the problem on a line or two, not five
    for word in ("quanti", "missing_", "major_"):
        assert word not in text  # the headers as the problems name the columns (数量, 缺项), whole


def test_a_table_without_a_required_column_accepts_none_of_its_rows(tmp_path, capsys):
    from kit import write_dataset

    folder = write_dataset(tmp_path / "d", [(2024, "办公厅", 10), (2024, "研究室", 3)])
    units = folder / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace("staff", "staf", 1), encoding="utf-8")
    book = tmp_path / "r.xlsx"
    assert cli.main(["validate", str(folder), "--out", str(book)]) == 1
    out = capsys.readouterr().out
    assert "units.csv — 单位：读取 2 行，接受 0 行，拒收 2 行" in out
    summary = [[c.value for c in r] for r in openpyxl.load_workbook(book)["导入情况"].iter_rows(min_row=4)]
    assert ["units.csv", "", "单位", 2, 0, 2, 2, None] in summary
    ws = openpyxl.load_workbook(book)["units·单位"]
    colours = fills(ws)
    assert set(colours) == {2, 3} and all(c.endswith("FCE4D6") for c in colours.values())  # both refused


@pytest.mark.parametrize("lang, title, line", [
    ("zh_CN", "bad.xlsx 工作表「单位」 — 单位：拒收 1 行", "bad.xlsx 工作表「单位」 — 单位：读取 2 行，接受 1 行，拒收 1 行"),
    ("en", "bad.xlsx, sheet 单位 — units: 1 row refused", "bad.xlsx, sheet 单位 — units: 2 rows read, 1 accepted, 1 refused")])
def test_a_refused_tables_sheet_is_titled_in_the_users_language_with_plurals(tpl, tmp_path, capsys, lang, title, line):
    from kaohe.core import i18n

    units = [UNITS[0], {**UNITS[1], "staff": "x"}]
    bad = fill(tpl, tmp_path / "bad.xlsx", units=units, ledger=OFFICE)
    out = tmp_path / "r.xlsx"
    try:
        assert cli.main(["--lang", lang, "validate", str(bad), "--out", str(out)]) == 1
    finally:
        i18n.set_language()
    assert line in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb[wb.sheetnames[-1]]["A1"].value == title
