"""``kaohe notice``: the draft report as .docx in the GB/T 9704-2012 layout, read back with
python-docx (page, margins, grid, fonts and sizes per style, heading levels, the annex table
equal to the published table), identical bytes on reruns, and converted by LibreOffice to an
A4 PDF holding the title, every unit with its total and the page-number mark (a screenshot of
the first page under reports/browser-test/official/)."""

import datetime as dt
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from office_kit import MISSING, PDFTOPPM, SOFFICE, page_size, pdf_text, screenshot, to_pdf
from test_views import small_dataset

from kaohe import cli, sample_dir
from kaohe.engine.score import score
from kaohe.inputs import dataset
from kaohe.output import notice, views

TITLE = "关于2024年度机关目标责任考核结果的报告"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("notice")
    path = d / "报告.docx"
    assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--out", str(path), "--issuer",
                     "市人大常委会机关目标责任考核工作组", "--date", "2025-01-10", "--commend", "3"]) == 0
    return path


def east(style_or_run_el) -> str:
    rpr = style_or_run_el.find(qn("w:rPr"))
    return rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_margins_and_grid(made):
    doc = Document(made)
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines
    normal = doc.styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(28.95) or abs(normal.paragraph_format.line_spacing.pt - 28.95) < 0.05
    # 28 characters of 16 pt (with the character spacing) fit the 156 mm line
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + spacing) <= Mm(156).pt < 29 * (16 + spacing)


def test_fonts_and_sizes_per_style_and_heading_levels(made):
    doc = Document(made)
    want = {"Title": ("方正小标宋简体", 22), "Normal": ("仿宋_GB2312", 16), "Heading 1": ("黑体", 16),
            "Heading 2": ("楷体", 16), "Footer": ("宋体", 14)}
    for name, (font, size) in want.items():
        st = doc.styles[name]
        assert east(st.element) == font and st.font.size == Pt(size), name
        assert not st.font.italic
    paras = doc.paragraphs
    assert paras[0].text == TITLE and paras[0].style.name == "Title"
    h1 = [p.text for p in paras if p.style.name == "Heading 1"]
    h2 = [p.text for p in paras if p.style.name == "Heading 2"]
    assert h1 == ["一、考核依据和过程", "二、考核结果", "三、表彰建议"]
    assert h2[0] == "（一）总体情况" and all(t.startswith("（") for t in h2)
    table = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob.decode()
    assert 'w:name="方正小标宋简体"' in table and '<w:altName w:val="宋体"/>' in table
    assert '<w:altName w:val="仿宋"/>' in table
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = doc.sections[0].footer.paragraphs[0], doc.sections[0].even_page_footer.paragraphs[0]
    assert "PAGE" in odd._p.xml and odd.alignment == 2 and even.alignment == 0  # right, left


def test_content_from_the_published_table(made):
    doc = Document(made)
    text = "\n".join(p.text for p in doc.paragraphs)
    t = views.ranking(views.annual(sample_dir(), 2024).scores, 2024)
    assert "《机关目标责任考核办法》" in text and "机关党组：" in text
    ds = views.annual(sample_dir(), 2024).scores.dataset
    goals, ledger = (ds.goals["year"] == 2024).sum(), (ds.ledger["date"].dt.year == 2024).sum()
    assert goals > 0 and f"年度考核指标{goals}项" in text and f"共记录台账{ledger}条" in text
    assert f"{t['unit'].iloc[0]}以{t['total'].iloc[0]}分位列第一" in text
    assert f"在{t['total'].iloc[-1]}分至{t['total'].iloc[0]}分之间" in text
    for unit in t.loc[~t["eligible"].astype(bool), "unit"]:
        assert f"{unit}：" in text and "取消当年各类评先评优资格" in text
    first3 = t[t["eligible"].astype(bool)].head(3)
    assert all(u in text.split("三、表彰建议")[1] for u in first3["unit"])
    assert "附件：2024年度机关目标责任考核结果表" in text
    assert "市人大常委会机关目标责任考核工作组" in text and "2025年1月10日" in text
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["名次", "单位", "共性工作指标", "年度工作目标", "日常工作指标得分", "总分", "评先评优资格"]
    assert rows[1:] == [[r.rank_label, r.unit, str(r.common), str(r.goals), str(r.daily), str(r.total),
                         "是" if r.eligible else "否（取消）"] for r in t.itertuples()]


def test_the_annex_table_repeats_its_header_row_on_every_page(made):
    """w:tblHeader on the table's first row (Word and LibreOffice repeat it at each page top),
    on no other row; read from the document's XML."""
    from lxml import etree

    with zipfile.ZipFile(made) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    tables = body.findall(".//" + qn("w:tbl"))
    assert len(tables) == 1
    rows = tables[0].findall(qn("w:tr"))
    assert len(rows) > 2
    header = [r.find(qn("w:trPr")) for r in rows]
    assert header[0] is not None and header[0].find(qn("w:tblHeader")) is not None
    assert header[0].find(qn("w:tblHeader")).get(qn("w:val")) in (None, "1", "true", "on")
    assert all(h is None or h.find(qn("w:tblHeader")) is None for h in header[1:])
    assert "".join(t.text or "" for t in rows[0].iter(qn("w:t"))) == "".join(
        ["名次", "单位", "共性工作指标", "年度工作目标", "日常工作指标得分", "总分", "评先评优资格"])


def test_no_commendation_list_without_commend_and_ties_in_words(tmp_path):
    ds = small_dataset(tmp_path / "ds")
    out = notice.write(views.annual(ds, 2024), tmp_path / "n.docx", day=dt.date(2025, 1, 10))
    doc = Document(out)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "甲委、乙委总分相同，并列第1名" in text
    assert "建议对" not in text and "由机关党组研究并提请主任办公会议审定" in text
    assert [c.text for c in doc.tables[0].rows[1].cells][0] == "并列1"


def test_half_year_writes_the_inspection_notice(tmp_path):
    out = tmp_path / "h1.docx"
    assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--period", "H1", "--out", str(out),
                     "--date", "2024-07-10"]) == 0
    doc = Document(out)
    # GB/T 9704 7.3.3: a title too long for a line wraps between words
    assert doc.paragraphs[0].text == "关于2024年上半年机关目标责任考核\n集中督查情况的通报"
    assert "2024年上半年（半年集中督查）\n机关目标责任考核情况表" in [p.text for p in doc.paragraphs]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "各工作机构：" in text and "年度工作目标按进行中计" in text and "表彰建议" not in text
    assert "（发文机关署名）" in text  # no --issuer: the signature's place is kept
    assert text.endswith("总分相同者名次并列。统计截至6月30日，年度工作目标按进行中计。")  # the annex's note


def test_titles_wrap_between_words_into_even_lines():
    assert notice.title_lines("关于2024年度机关目标责任考核结果的报告") == ["关于2024年度机关目标责任考核结果的报告"]
    assert notice.title_lines("关于2024年上半年机关目标责任考核集中督查情况的通报") == [
        "关于2024年上半年机关目标责任考核", "集中督查情况的通报"]
    assert notice.title_lines("2024年上半年（半年集中督查）机关目标责任考核情况表") == [
        "2024年上半年（半年集中督查）", "机关目标责任考核情况表"]
    long = "关于" + "某某" * 20 + "的报告"  # no boundary: left to the word processor
    assert notice.title_lines(long) == [long]
    assert notice.title_lines("A notice on the half-year inspection of the 2024 assessment") == [
        "A notice on the half-year inspection of the 2024 assessment"]


def test_same_input_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1736467200")
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for p in (a, b):
        assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--out", str(p)]) == 0
    assert a.read_bytes() == b.read_bytes()
    doc = Document(a)
    assert doc.core_properties.created.replace(tzinfo=None) == dt.datetime(2025, 1, 10)
    assert "2025年1月10日" in "\n".join(p.text for p in doc.paragraphs)


def test_bad_options_are_clear(tmp_path, capsys):
    assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--date", "2025-13-01"]) == 1
    assert "--date" in capsys.readouterr().err
    assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--out", str(tmp_path / "x.pdf")]) == 1
    assert ".docx" in capsys.readouterr().err


@pytest.mark.skipif(SOFFICE is None or PDFTOPPM is None, reason=MISSING)
def test_libreoffice_renders_an_a4_pdf_with_every_unit(made, tmp_path):
    pdf = to_pdf(made, tmp_path / "pdf")
    w, h = page_size(pdf)
    assert (round(w), round(h)) == (595, 842)
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert TITLE in flat
    for r in views.ranking(views.annual(sample_dir(), 2024).scores, 2024).itertuples():
        assert any(r.unit in line and str(r.total) in line for line in text.splitlines()), r.unit
    assert "—1—" in flat and "—2—" in flat
    assert any(line.split()[-1:] == ["评先评优资格"] for line in text.splitlines())  # the annex header on one line
    png = screenshot(pdf, "考核结果报告_2024")
    assert png.exists() and png.stat().st_size > 20_000


def test_commending_more_units_than_are_eligible_says_so(tmp_path, capsys):
    out = tmp_path / "n.docx"
    assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--commend", "50", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    k = int(views.ranking(score(dataset.load(sample_dir())), 2024)["eligible"].sum())
    assert f"--commend 50：2024 年度只有 {k} 个单位有表彰资格" in err
    assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--commend", "3", "--out", str(out)]) == 0
    assert "表彰资格" not in capsys.readouterr().err


def _notice_text(tmp_path, units, ledger, *args):
    from kit import write_dataset

    folder = write_dataset(tmp_path / "ds", units, ledger)
    out = tmp_path / "n.docx"
    assert cli.main(["notice", str(folder), "--year", "2024", "--out", str(out), *args]) == 0
    return [p.text for p in Document(out).paragraphs], Document(out)


def test_a_notice_for_one_unit_or_all_tied_says_so(tmp_path, capsys):
    one, _doc = _notice_text(tmp_path / "a", [(2024, "甲委员会", 2)], [])
    assert "甲委员会为唯一参加考核的工作机构，总分80.00分。" in one
    assert not any("分之间" in p or "均为最高" in p for p in one)
    lecture = {"date": "2024-03-01", "item": "lecture"}
    tied, _doc = _notice_text(tmp_path / "b", [(2024, "甲", 2), (2024, "乙", 2), (2024, "丙", 2)],
                              [{**lecture, "unit": u} for u in ("甲", "乙", "丙")], "--commend", "1")
    assert "3个工作机构总分均为81.00分，并列第1名。" in tied
    assert any("各机构累计积分均为2.00分，人均得分均为1.00分" in p for p in tied)
    assert "--commend 1：第 1 名有 3 个单位并列，均列入建议表彰名单，共 3 个单位" in capsys.readouterr().err


def test_a_withdrawn_eligibility_names_the_item_once_and_no_page_is_blank(tmp_path):
    paras, doc = _notice_text(tmp_path, [(2024, "甲", 2), (2024, "乙", 2)],
                              [{"date": "2024-05-01", "unit": "甲", "item": "style_violation"}])
    line = next(p for p in paras if "取消当年各类评先评优资格" in p)
    assert line.startswith("甲：违反作风建设规定（2024年5月1日），") and line.count("违反作风建设规定") == 1
    annex = next(p for p in doc.paragraphs if p.text == "附件")
    assert annex.paragraph_format.page_break_before  # the annex's page begins with it: no empty paragraph spills
    assert not any(p.text == "" and "w:br" in p._p.xml and 'w:type="page"' in p._p.xml for p in doc.paragraphs)


def test_heading_replaces_the_documents_heading_and_title_is_not_a_notice_option(tmp_path, capsys):
    out = tmp_path / "n.docx"
    assert cli.main(["notice", str(sample_dir()), "--year", "2024", "--out", str(out), "--heading", "关于考核结果的报告"]) == 0
    assert Document(out).paragraphs[0].text == "关于考核结果的报告"
    with pytest.raises(SystemExit):  # --title is the data set's name (kaohe report); a notice shows none
        cli.main(["notice", str(sample_dir()), "--year", "2024", "--out", str(out), "--title", "X"])
    assert "--title" in capsys.readouterr().err
