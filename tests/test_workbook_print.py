"""The results workbook prints as an official table: print set-up read back from the file,
名次 numeric in every sheet, byte-identical reruns, and the LibreOffice-rendered first page
(every unit at ≥ 10.5 pt; a screenshot under reports/browser-test/official/)."""

import datetime as dt

import numpy as np
import openpyxl
import pytest
from office_kit import MISSING, PDFTOPPM, SOFFICE, char_sizes, page_size, pdf_text, screenshot, to_pdf
from test_views import small_dataset

from kaohe import cli, sample_dir
from kaohe.output import excel, views
from kaohe.report import workbook

DAY = dt.date(2025, 1, 10)


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "考核结果_2024.xlsx"
    workbook.write(views.annual(sample_dir(), 2024), path, "市人大常委会办公厅", DAY)
    return path


@pytest.fixture(scope="module")
def small_book(tmp_path_factory):
    d = tmp_path_factory.mktemp("wbs")
    path = d / "small.xlsx"
    workbook.write(views.annual(small_dataset(d / "ds"), 2024), path, "", DAY)
    return path


def header_row(ws):
    return next(r for r in range(1, 6) if ws.cell(r, 1).value in ("名次", "单位", "参数"))


def test_results_sheet_fits_one_a4_page_at_official_sizes(sample_book):
    ws = openpyxl.load_workbook(sample_book)["考核结果"]
    ps = ws.page_setup
    fit = (ps.fitToWidth if ps.fitToWidth is not None else 1, ps.fitToHeight if ps.fitToHeight is not None else 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and fit == (1, 1)  # (1 is the file's default)
    assert int(ps.paperSize) == 9 and ps.orientation == "landscape"
    assert ws["A1"].font.sz >= 16
    h = header_row(ws)
    heads = [c.value for c in ws[h]]
    assert heads[:3] == ["名次", "并列", "单位"] and "上年名次" in heads and "升降" in heads
    body = [c for row in ws.iter_rows(min_row=h + 1, max_row=h + 12) for c in row]
    assert min(c.font.sz for c in body) >= 10.5 and not any(c.font.i for c in ws._cells.values())
    reason = heads.index("取消资格原因") + 1
    assert ws.cell(h + 1, reason).alignment.wrap_text
    # the columns fit the printable width without shrinking (≈1.96 mm a unit as LibreOffice prints)
    widths = sum((d.max - d.min + 1) * d.width for d in ws.column_dimensions.values() if d.min and d.min <= len(heads))
    assert widths * 1.96 <= 297 - 25.4 * (ws.page_margins.left + ws.page_margins.right)
    texts = [str(c.value) for row in ws.iter_rows(min_row=h + 13) for c in row if c.value]
    assert any(t.startswith("制表单位：市人大常委会办公厅") for t in texts)
    assert "审核：" in texts and "日期：2025年1月10日" in texts


def test_rank_is_a_number_with_ties_beside_it_in_every_sheet(small_book):
    wb = openpyxl.load_workbook(small_book)
    for name in ("考核结果", "分项得分"):
        ws = wb[name]
        h = header_row(ws)
        heads = [c.value for c in ws[h]]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=h + 1, max_row=h + 3)]
        assert [r[:3] for r in rows] == [[1, "并列", "甲委"], [1, "并列", "乙委"], [3, None, "丙委"]], name
        assert heads.count("共性工作指标") == 1 and len(set(heads)) == len(heads), heads
    comp = wb["分项得分"]
    heads = [c.value for c in comp[header_row(comp)]]
    assert comp.cell(header_row(comp) + 1, heads.index("除数") + 1).number_format.startswith("0.00")


def test_annex_sheets_wrap_dates_and_sizes(sample_book):
    wb = openpyxl.load_workbook(sample_book)
    for name in ("分项得分", "审计明细", "扣分与违规", "数据与规则"):
        ws = wb[name]
        h = header_row(ws)
        cells = [c for row in ws.iter_rows(min_row=h, max_row=min(ws.max_row, h + 30)) for c in row]
        assert min(c.font.sz for c in cells if c.value is not None) >= 9, name
        ncol = ws.max_column
        widths = sum((d.max - d.min + 1) * d.width for d in ws.column_dimensions.values() if d.min and d.min <= ncol)
        fits = widths * 1.96 <= 297 - 25.4 * (ws.page_margins.left + ws.page_margins.right)
        shrinks = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        assert fits and not shrinks, name  # printed at 100 %: the type sizes are the printed sizes
    audit = wb["审计明细"]
    h = header_row(audit)
    heads = [c.value for c in audit[h]]
    dates = [audit.cell(r, heads.index("日期") + 1).value for r in range(h + 1, audit.max_row + 1)]
    assert any(isinstance(d, dt.datetime) for d in dates)
    subject = audit.cell(h + 1, heads.index("计分依据") + 1)
    assert subject.alignment.wrap_text


def test_same_data_same_bytes(tmp_path, monkeypatch):
    report = views.annual(sample_dir(), 2024)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    workbook.write(report, a, "办公厅", DAY)
    workbook.write(views.annual(sample_dir(), 2024), b, "办公厅", DAY)
    assert a.read_bytes() == b.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736467200")  # 2025-01-10
    assert excel.document_time() == dt.datetime(2025, 1, 10)
    c, d = tmp_path / "c.xlsx", tmp_path / "d.xlsx"
    for p in (c, d):
        assert cli.main(["score", str(sample_dir()), "--year", "2024", "--out", str(p)]) == 0
    assert c.read_bytes() == d.read_bytes()
    ws = openpyxl.load_workbook(c)["考核结果"]
    assert ws.page_setup.fitToHeight in (None, 1)
    assert ws.parent.properties.created == dt.datetime(2025, 1, 10)


@pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None, reason=MISSING)
def test_rendered_first_page_holds_every_unit_at_official_size(sample_book, tmp_path):
    pdf = to_pdf(sample_book, tmp_path / "pdf")
    w, h = page_size(pdf)
    assert (round(w), round(h)) == (842, 595)  # A4 landscape
    text = pdf_text(pdf, 1, 1)
    table = views.ranking(views.annual(sample_dir(), 2024).scores, 2024)
    for unit, total in zip(table["unit"], table["total"]):
        assert unit in text and str(total) in text, unit
    assert "制表单位" in text and "审核" in text
    sizes = char_sizes(pdf, 0)
    assert sorted(sizes)[len(sizes) // 10] >= 10.4  # not shrunk: the body at 五号 (10.5 pt)
    assert max(sizes) >= 16 * 0.99
    assert min(char_sizes(pdf, 1)) >= 9 * 0.99  # the first annex sheet, not shrunk below 9 pt
    png = screenshot(pdf, "考核结果_2024")
    assert png.exists() and png.stat().st_size > 20_000


def test_audit_sheet_gives_the_width_to_the_long_text_and_little_to_a_sparse_column(sample_book):
    """计分依据 (every row, ~17 characters typical) gets the width; 文号 (a few rows) stays narrow;
    日常工作指标 wraps in two even lines if at all; a clause code never wraps."""
    ws = openpyxl.load_workbook(sample_book)["审计明细"]
    h = header_row(ws)
    heads = [c.value for c in ws[h]]
    width = {name: ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width
             for j, name in enumerate(heads)}
    reasons = sorted(excel.text_width(str(ws.cell(r, heads.index("计分依据") + 1).value))
                     for r in range(h + 1, ws.max_row + 1))
    pt = ws.cell(h + 1, 1).font.sz
    # the median reason in at most two lines (the workbook's own estimate of a line)
    assert excel._lines(np.array([reasons[len(reasons) // 2]]), width["计分依据"] - 0.71, pt)[0] <= 2
    assert width["文号"] <= 0.5 * width["计分依据"] and width["文号"] < width["事由"]
    assert excel._lines(np.array([12]), width["指标"] - 0.71, pt)[0] <= 2  # 日常工作指标
    clause = heads.index("条款") + 1
    assert not ws.cell(h + 1, clause).alignment.wrap_text


@pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None, reason=MISSING)
def test_audit_sheet_prints_a_dozen_rows_or_more_a_page(tmp_path):
    """The sample's 561 audit lines printed by LibreOffice: at most 45 A4 pages (70 when every
    wrapped column got the same width), each at 9 pt or more."""
    import subprocess

    sheet = workbook.sheets(views.annual(sample_dir(), 2024))[2]
    sheet.frame = workbook._blanks(sheet.frame)
    path = excel.write(tmp_path / "审计明细.xlsx", [sheet])
    pdf = to_pdf(path, tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert len(sheet.frame) == 561 and pages <= 45, pages
    assert min(char_sizes(pdf, 1)) >= 9 * 0.99
    assert "第2页，共" in pdf_text(pdf, 2, 2).replace(" ", "")


def test_a_header_wraps_between_words_never_inside_one():
    """Latin headers break at spaces (CJK between any two characters): a column is at least as
    wide as a header's longest word, and the header row as tall as its wrapped lines."""
    L = excel.LATIN
    assert excel.head_lines("common work", 6 * L) == 2 and excel.head_lines("common work", 11 * L) == 1
    assert excel.head_lines("standard deviation", 9 * L) == 2
    assert excel.head_lines("日常工作指标", 4) == 3  # 日常/工作/指标
    assert excel.head_room("common work", 3) >= 6 * L  # not commo/n work
    assert excel.head_room("missing_steps", 3) >= 13 * L
    assert excel.head_room("日常工作指标", 3) == pytest.approx(4)
    assert excel.head_room("rank correlation with the total", 3) >= 11 * L


def _text_lines(pdf):
    """The first page's text lines as pdfminer finds them: (text, top, bottom)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    lines = []
    for p in extract_pages(str(pdf), page_numbers=[0]):
        for el in p:
            if isinstance(el, LTTextContainer):
                lines += [(ln.get_text().strip(), ln.y1, ln.y0) for ln in el]
    return lines


@pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None, reason=MISSING)
@pytest.mark.parametrize("command", ["weights", "score"])
def test_english_headers_keep_their_words_whole_inside_the_header_row(command, tmp_path):
    """``--lang en``: no header word is split (commo/n work, Chan/ge) and no header runs past its
    cell (nominal maximum, standard deviation over the title or the first row)."""
    import re

    from kaohe.core import i18n

    path = tmp_path / f"{command}.xlsx"
    try:
        assert cli.main([command, str(sample_dir()), "--year", "2024", "--out", str(path), "--lang", "en",
                         *(["--date", "2025-01-10"] if command == "score" else [])]) == 0
    finally:
        i18n.set_language("zh_CN")
    ws = openpyxl.load_workbook(path).worksheets[0]
    h = next(r for r in range(1, 6) if ws.cell(r, 1).fill.fgColor.rgb == "FFD9E1F2")
    heads = [str(c.value) for c in ws[h] if c.value]
    pdf = to_pdf(path, tmp_path / "pdf")
    lines = _text_lines(pdf)
    words = {w for ln in lines for w in re.findall(r"[A-Za-z]+", ln[0])}
    for head in heads:
        for word in re.findall(r"[A-Za-z]+", head):
            assert word in words, (head, word)
    title = next(ln for ln in lines if ln[0] == ws.cell(1, 1).value)
    first = str(ws.cell(h + 1, 1).value)  # the first row's rank or component
    row1 = max(ln[1] for ln in lines if ln[0].startswith(first) and ln[1] < title[2])
    head_words = {w for head in heads for w in head.split()}
    for text, top, bottom in lines:
        if text and set(text.split()) <= head_words:  # a header's line
            assert bottom > row1 and top < title[2], (text, top, bottom, row1, title[2])
