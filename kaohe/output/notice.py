"""The draft 考核结果报告 (or, for the half-year, the 督查情况通报) as a Word document laid out
by GB/T 9704-2012 党政机关公文格式 (python-docx).

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a document grid of 22 lines of
28 characters; title 2号 (22 pt) 方正小标宋简体 (fallback 宋体, bold, named in the font
table); body 3号 (16 pt) 仿宋_GB2312 (fallback 仿宋/FangSong); headings 一、 in 黑体 (Heading 1)
and （一） in 楷体 (Heading 2); page numbers 「— 1 —」 in 4号 宋体, odd pages right, even pages
left. Every figure is a published figure (:mod:`kaohe.output.views`); the attachment is the
published table as a Word table. The same input gives the same bytes (fixed document time,
fixed zip entry dates); the file is written under a temporary name and renamed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kaohe.core import files, labels
from kaohe.core.i18n import _
from kaohe.engine.reasons import num
from kaohe.output import excel, views
from kaohe.output.views import Annual

# Fonts: the name the document asks for → the fallback named in its font table.
TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体", "宋体"
FALLBACK = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", H2_FONT: "KaiTi", H1_FONT: "SimHei", PAGE_FONT: "SimSun"}
TITLE_PT, BODY_PT, PAGE_PT, TABLE_PT = 22, 16, 14, 10.5
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
TEXT_MM = (210 - 28 - 26, 297 - 37 - 35)  # 版心 156 × 225 mm
LINE_PITCH_TWIPS = int(TEXT_MM[1] / 25.4 * 1440 / LINES)  # 579: 22 lines fit 225 mm
CHAR_SPACING_TWIPS = int((TEXT_MM[0] / 25.4 * 72 / CHARS - BODY_PT) * 20) - 1  # −5: 28 characters a line
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def name(year: int, period: str = "year") -> str:
    """The file name beside the year's workbook."""
    return (_("Assessment results report {year}.docx") if period == "year"
            else _("Half-year inspection notice {year}.docx")).format(year=year)


def title(year: int, period: str = "year") -> str:
    return (_("Report on the results of the {year} target-responsibility assessment of the organ")
            if period == "year" else
            _("Notice on the half-year inspection of the {year} target-responsibility assessment"))\
        .format(year=year)


TITLE_CHARS = int(TEXT_MM[0] / (TITLE_PT * 25.4 / 72))  # 20 characters of 2号 a line
# where a Chinese title may wrap (GB/T 9704 7.3.3: between words, lines of sensible length):
# after 考核 or a closing bracket, before an opening one
_TITLE_BREAKS = re.compile(r"(?<=考核)|(?<=）)|(?=（)")


def title_lines(text: str, chars: int = TITLE_CHARS) -> list[str]:
    """A title as the lines it is set in: one line when it fits; else two, broken at a word
    boundary (:data:`_TITLE_BREAKS`) into the most even pair of lines that fit. A title
    without such a boundary, or in Latin script, is left to the word processor's wrapping."""
    width = excel.text_width(text) / 2
    if width <= chars:
        return [text]
    cuts = [m.start() for m in _TITLE_BREAKS.finditer(text) if 0 < m.start() < len(text)]
    fits = [(abs(excel.text_width(text[:c]) - excel.text_width(text[c:])), c) for c in cuts
            if max(excel.text_width(text[:c]), excel.text_width(text[c:])) / 2 <= chars]
    if not fits:
        return [text]
    c = min(fits)[1]
    return [text[:c], text[c:]]


def _title(doc, text: str) -> None:
    """A title paragraph, its lines broken where :func:`title_lines` says."""
    p = doc.add_paragraph("", style="Title")
    for i, line in enumerate(title_lines(text)):
        r = p.add_run()
        if i:
            r.add_break()  # a line break within the title (no new paragraph)
        r.add_text(line)


def _d(v) -> str:
    return str(v)


# ------------------------------------------------------------------ what the document says
@dataclass
class Facts:
    """The figures the text quotes, all taken from the published table."""

    table: pd.DataFrame  # views.ranking
    per_capita: pd.DataFrame
    ineligible: pd.DataFrame
    goals: int
    ledger_rows: int


def facts(report: Annual) -> Facts:
    sc, year = report.scores, report.year
    c = sc.dataset.counts
    rows = c[c["year"] == year].groupby(c["table"].astype(str))["rows"].sum()  # rows read per table
    return Facts(views.ranking(sc, year), views.per_capita(sc, year), views.ineligible(sc, year),
                 int(rows.get("goals", 0)), int(rows.get("ledger", 0)))


def _names(units) -> str:
    return labels.pick(("、", ", ")).join(units)


def _ties(t: pd.DataFrame) -> list[str]:
    groups = t.groupby("rank", sort=True)["unit"].apply(list)
    return [_("{units} have the same total and share rank {rank}").format(units=_names(u), rank=r)
            for r, u in groups.items() if len(u) > 1]


def commended(t: pd.DataFrame, n: int | None) -> pd.DataFrame:
    """The first ``n`` eligible units by rank (a tie at the cut keeps every tied unit)."""
    ok = t[t["eligible"].astype(bool)]
    if not n or n <= 0 or ok.empty:
        return ok.iloc[:0]
    cut = ok["rank"].iloc[min(n, len(ok)) - 1]
    return ok[ok["rank"] <= cut]


def commend_note(report: Annual, n: int | None) -> str | None:
    """What a user should know when the draft proposes another number of units than
    ``--commend N``: fewer are eligible, or a tie at the cut brings in more; else None."""
    if not n or report.period != "year":
        return None
    t = views.ranking(report.scores, report.year)
    k = int(t["eligible"].astype(bool).sum())
    if n > k:
        return _("--commend {n}: only {k} units are eligible for commendation in {year}; the draft "
                 "proposes all {k}").format(n=n, k=k, year=report.year)
    chosen = commended(t, n)
    if len(chosen) > n:
        last = int(chosen["rank"].max())
        return _("--commend {n}: {tied} units tie at rank {rank}; the draft proposes them all, {k} "
                 "units").format(n=n, tied=int((chosen["rank"] == last).sum()), rank=last, k=len(chosen))
    return None


def results_paragraphs(f: Facts, period: str) -> list[str]:
    t = f.table
    top, low = t.iloc[0], t.iloc[-1]
    spread = top["total"] - low["total"]
    first = t[t["rank"] == t["rank"].min()]
    if len(t) == 1:
        text = [_("{unit}, the only unit, scores {total} points.").format(unit=top["unit"], total=_d(top["total"]))]
    elif spread == 0:
        text = [_("All {n} units score {total} points and share first place.").format(n=len(t), total=_d(top["total"]))]
    else:
        text = [_("The totals of the {n} units range from {low} to {high} points, {spread} points apart. "
                  "{first} ranks first with {total} points.").format(
            n=len(t), low=_d(low["total"]), high=_d(top["total"]), spread=_d(spread),
            first=_names(first["unit"]), total=_d(top["total"]))]
        ties = _ties(t)
        text[0] += (_(" {ties}.").format(ties=_("; ").join(ties)) if ties else _(" No two units share a rank."))
    full_goals = int((t["goals"] == t["goals"].max()).sum())
    no_cut = int((t["common"] == t["common"].max()).sum())
    text.append(_("{g} units scored the full {gmax} points for the annual work goals and {c} units "
                  "the highest common-indicator score, {cmax} points.").format(
        g=full_goals, gmax=_d(t["goals"].max()), c=no_cut, cmax=_d(t["common"].max())))
    return text


def per_capita_sentence(f: Facts) -> str:
    """One sentence on what dividing by staff does, from the published figures only."""
    p = f.per_capita
    tops = p[p["daily_points"] == p["daily_points"].max()]  # every unit tied for the most points
    bests = p[p["daily"] == p["daily"].max()]  # … and for the highest per-capita score
    if len(p) == 1:
        return _("Daily-work points are divided by the unit's staff: {points} accumulated points, "
                 "{daily} per capita.").format(points=_d(p["daily_points"].iloc[0]), daily=_d(p["daily"].iloc[0]))
    if len(tops) == len(p) and len(bests) == len(p):  # all alike: nothing to compare
        return _("Daily-work points are divided by each unit's staff: accumulated points {points}, "
                 "{daily} per capita, the same for every unit.").format(
            points=_d(p["daily_points"].iloc[0]), daily=_d(p["daily"].iloc[0]))
    most = tops.sort_values(["rank_daily", "unit"], kind="stable").iloc[0]
    if set(tops["unit"]) == set(bests["unit"]):
        return _("Daily-work points are divided by each unit's staff: {unit} has both the most "
                 "accumulated points ({points}) and the highest per-capita score ({daily}).").format(
            unit=_names(tops["unit"]), points=_d(most["daily_points"]), daily=_d(most["daily"]))
    return _("Daily-work points are divided by each unit's staff: {unit}, with the most accumulated "
             "points ({points}, staff {staff}), scores {daily} per capita and ranks {rank} on the "
             "daily-work indicator, which {best} leads with {best_daily}.").format(
        unit=most["unit"], points=_d(most["daily_points"]), staff=_d(most["staff"]),
        daily=_d(most["daily"]), rank=int(most["rank_daily"]), best=_names(bests["unit"]),
        best_daily=_d(bests["daily"].iloc[0]))


def ineligible_paragraphs(f: Facts, law: str) -> list[str]:
    if f.ineligible.empty:
        return [_("No unit lost its eligibility for commendation this period.")]
    out = []
    for r in f.ineligible.itertuples(index=False):
        day = excel.chinese_date(dt.date.fromisoformat(r.date)) if r.date else ""
        clause = str(r.clause).replace("(", _("(")).replace(")", _(")"))
        if r.subject:  # what happened, then the item it falls under
            text = _("{unit}: {what} ({item}, {day}); under clause {clause} of {law} it loses "
                     "every commendation of the year.").format(
                unit=r.unit, what=r.subject, item=r.item_zh, day=day, law=law, clause=clause)
        else:  # the item alone, named once
            text = _("{unit}: {item} ({day}); under clause {clause} of {law} it loses every "
                     "commendation of the year.").format(unit=r.unit, item=r.item_zh, day=day, law=law,
                                                         clause=clause)
        out.append(text)
    return out


# ------------------------------------------------------------------ building the document
def _fonts(el, east: str, latin: str | None = None, size: float | None = None, bold: bool | None = None):
    """Fonts of a style or run: the East Asian one (w:eastAsia) and the Latin one; theme fonts
    removed so that the named fonts apply."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    el.font.name = latin or east
    node = el.element if hasattr(el, "base_style") else el._r
    rpr = node.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:cs"), latin or east)
    if size is not None:
        el.font.size = Pt(size)
    if bold is not None:
        el.font.bold = bold
    el.font.italic = False


def _style(doc, name: str, font: str, size: float, base: str | None = "Normal", *, latin=None, bold=False,
           align=None, indent_chars: float = 0, exact: float | None = None):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and name != base:
        st.base_style = styles[base]
    _fonts(st, font, latin, size, bold)
    st.font.color.rgb = RGBColor(0, 0, 0)
    pf = st.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(BODY_PT * indent_chars)
    pf.left_indent = pf.right_indent = Pt(0)
    if align is not None:
        pf.alignment = align
    if exact is not None:
        from docx.enum.text import WD_LINE_SPACING

        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact)
    pf.keep_with_next = name.startswith("Heading")
    pf.widow_control = True
    return st


def _styles(doc) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.oxml.ns import qn
    from docx.shared import Pt

    pitch = LINE_PITCH_TWIPS / 20  # 28.95 pt: 22 lines a page
    # document defaults: 3号, so the grid's character pitch is computed from 16 pt
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set(qn("w:val"), str(BODY_PT * 2))
    normal = _style(doc, "Normal", BODY_FONT, BODY_PT, None, align=A.JUSTIFY, indent_chars=2, exact=pitch)
    spacing = normal.element.get_or_add_rPr().makeelement(qn("w:spacing"), {qn("w:val"): str(CHAR_SPACING_TWIPS)})
    normal.element.get_or_add_rPr().append(spacing)  # 28 characters of 16 pt in 156 mm
    _style(doc, "Title", TITLE_FONT, TITLE_PT, align=A.CENTER, exact=Pt(TITLE_PT * 1.5).pt)
    _style(doc, "Heading 1", H1_FONT, BODY_PT, indent_chars=2, exact=pitch)
    _style(doc, "Heading 2", H2_FONT, BODY_PT, indent_chars=2, exact=pitch)
    _style(doc, "Salutation", BODY_FONT, BODY_PT, align=A.LEFT, exact=pitch)  # 主送机关: flush left
    _style(doc, "Closing", BODY_FONT, BODY_PT, align=A.RIGHT, exact=pitch)  # 署名 and 成文日期
    table_text = _style(doc, "Table Text", BODY_FONT, TABLE_PT, align=A.CENTER, exact=TABLE_PT * 1.6)
    table_text.element.get_or_add_pPr().append(  # table rows keep their own line height
        table_text.element.makeelement(qn("w:snapToGrid"), {qn("w:val"): "0"}))
    _style(doc, "Footer", PAGE_FONT, PAGE_PT, latin=PAGE_FONT)
    ppr = doc.styles["Title"].element.pPr
    border = ppr.find(qn("w:pBdr")) if ppr is not None else None
    if border is not None:  # the template's Title has a rule under it
        ppr.remove(border)


def _font_table(doc) -> None:
    """Name each font's fallback in the document's font table (w:altName)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for font, alt in FALLBACK.items():
        if font in have:
            continue
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{font}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(section) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(21)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = sect.makeelement(qn("w:docGrid"), {})
        sect.append(grid)
    # the line grid (22 lines); the 28 characters a line come from the body's character
    # spacing (LibreOffice spreads characters over a character grid instead of fitting them)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)


def _page_number(doc, footer, align) -> None:
    """「— N —」 with a PAGE field, one character in from the outer edge."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    p.alignment = align
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    side = Pt(PAGE_PT)
    pf.left_indent, pf.right_indent = (side, Pt(0)) if align == 0 else (Pt(0), side)

    def run(text):
        r = p.add_run(text)
        _fonts(r, PAGE_FONT, PAGE_FONT, PAGE_PT)
        return r

    run("— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    inner = run("1")
    inner._r.getparent().remove(inner._r)
    fld.append(inner._r)
    p._p.append(fld)
    run(" —")


def _table(doc, report: Annual) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Mm

    t = views.ranking(report.scores, report.year)
    heads = [_("Rank"), _("Unit"), _("Common indicators"), _("Annual work goals"), _("Daily work score"),
             _("Total"), _("Eligible for commendation")]
    rows = [[r.rank_label, r.unit, _d(r.common), _d(r.goals), _d(r.daily), _d(r.total),
             _("yes") if r.eligible else _("no (withdrawn)")] for r in t.itertuples(index=False)]
    widths = [16, 52.5, 15.5, 15.5, 15.5, 15, 26]  # mm, 156 in all: unit names, 并列10 and 评先评优资格 on one line
    table = doc.add_table(rows=1 + len(rows), cols=len(heads))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # what ``paragraph.style = …`` sets, looked up once (python-docx scans every style each time)
    text_style = doc.part.get_style_id(doc.styles["Table Text"], WD_STYLE_TYPE.PARAGRAPH)
    for i, values in enumerate([heads, *rows]):
        cells = table.rows[i].cells
        for j, v in enumerate(values):
            cell = cells[j]
            cell.width = Mm(widths[j])
            p = cell.paragraphs[0]
            p._p.style = text_style
            r = p.add_run(str(v))
            if i == 0:
                _fonts(r, H1_FONT, H1_FONT)
    for j, w in enumerate(widths):
        table.columns[j].width = Mm(w)
    # the header row repeats at the top of every page the table runs onto
    table.rows[0]._tr.get_or_add_trPr().append(table.rows[0]._tr.makeelement(qn("w:tblHeader"), {}))


def build(report: Annual, issuer: str = "", day: dt.date | None = None, commend: int | None = None,
          doc_title: str | None = None):
    """The document (python-docx ``Document``)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A
    from docx.shared import Pt

    sc, year, period = report.scores, report.year, report.period
    f = facts(report)
    law = _("《{title}》").format(title=sc.rulebook.title)
    day = excel.document_date(day)
    doc = Document()
    _styles(doc)
    _font_table(doc)
    section = doc.sections[0]
    _page(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(doc, section.footer, A.RIGHT)
    _page_number(doc, section.even_page_footer, A.LEFT)

    head = doc_title or title(year, period)
    _title(doc, head)
    doc.add_paragraph("", style="Salutation")
    half = period == "H1"
    doc.add_paragraph(_("To the organ's Party group:") if not half else _("To every work unit:"),
                      style="Salutation")

    def para(text):
        doc.add_paragraph(text, style="Normal")

    n = len(f.table)
    if not half:
        para(_("Under {law}, the assessment working group assessed how the organ's {n} work units "
               "fulfilled their target responsibilities in {year}. The results are reported as "
               "follows.").format(law=law, n=n, year=year))
    else:
        para(_("Under {law}, the assessment working group inspected how the organ's {n} work units "
               "fulfilled their target responsibilities from 1 January to 30 June {year}. The "
               "findings are circulated as follows.").format(law=law, n=n, year=year))
    doc.add_paragraph(_("I. Basis and process") if not half else _("I. Basis and process of the inspection"),
                      style="Heading 1")
    rb = sc.rulebook  # the parts' values as the rulebook in force says, not written here
    para(_("The assessment scores each unit in three parts, as {law} lays down: the common indicators "
           "({common} points, less deductions), the annual work goals ({goals} points, {missed} points "
           "less for each goal not completed) and the daily-work indicator (the accumulated points "
           "divided by the unit's actual staff).").format(
        law=law, common=num(rb["common.full"]), goals=num(rb["goals.full"]), missed=num(rb["goals.per_missed"])))
    para(_("At the start of the year the units listed their tasks against the standing committee's "
           "work plan, which the general office compiled into {goals} annual goals; daily assessment "
           "by spot checks, the half-year inspection and special checks recorded {rows} ledger "
           "entries; the units reported on their work, and the documents, reports and records were "
           "consulted to verify them.").format(goals=f.goals, rows=f.ledger_rows) if not half else
         _("At the start of the year the units listed their tasks against the standing committee's "
           "work plan, which the general office compiled into {goals} annual goals; up to 30 June "
           "the daily assessment by spot checks and the half-year inspection recorded {rows} ledger "
           "entries. The annual goals count as in progress.").format(goals=f.goals, rows=f.ledger_rows))
    doc.add_paragraph(_("II. Results") if not half else _("II. Standings at 30 June"), style="Heading 1")
    doc.add_paragraph(_("(1) Overall"), style="Heading 2")
    for text in results_paragraphs(f, period):
        para(text)
    doc.add_paragraph(_("(2) The effect of dividing by staff"), style="Heading 2")
    para(per_capita_sentence(f))
    doc.add_paragraph(_("(3) Eligibility for commendation withdrawn"), style="Heading 2")
    for text in ineligible_paragraphs(f, law):
        para(text)
    if not half:
        doc.add_paragraph(_("III. Proposed commendations"), style="Heading 1")
        chosen = commended(f.table, commend)
        if len(chosen):
            tied = chosen["rank"].map(f.table["rank"].value_counts()) > 1
            listed = _names((_("{unit} (rank {rank}, tied, {total} points)") if tie else
                             _("{unit} (rank {rank}, {total} points)")).format(
                unit=r.unit, rank=int(r.rank), total=_d(r.total))
                for r, tie in zip(chosen.itertuples(index=False), tied))
            para(_("By the results, we propose commending the {k} eligible units ranked highest: "
                   "{units}.").format(k=len(chosen), units=listed))
        else:
            para(_("The units to be commended are for the Party group to consider and the directors' "
                   "office meeting to decide, on the basis of these results."))
        para(_("Please consider and approve."))
        doc.paragraphs[-1].paragraph_format.keep_with_next = True  # never alone above the signature
    else:
        doc.add_paragraph(_("III. Next steps"), style="Heading 1")
        para(_("Every unit is to check its tasks against the year's assessment indicators, complete the "
               "goals still in progress and keep its ledger up to date for the year-end assessment."))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph("", style="Normal").paragraph_format.keep_with_next = True
    annex = _("Results of the {label} assessment").format(label=report.label) if not half else \
        _("Standings of the {label} inspection").format(label=report.label)
    pf = doc.add_paragraph(_("Annex: {annex}").format(annex=annex), style="Normal").paragraph_format
    pf.keep_with_next = True
    lead = excel.text_width(_("Annex: {annex}").format(annex="")) / 2  # 「附件：」: a wrapped name aligns after it
    pf.left_indent, pf.first_line_indent = Pt(BODY_PT * (2 + lead)), Pt(-BODY_PT * lead)
    doc.add_paragraph("", style="Normal").paragraph_format.keep_with_next = True
    when = excel.chinese_date(day)
    right = 2 + 2  # characters: 署名 two in from the right; the date's first character two further in
    # a draft without --issuer keeps the place of the signature: 「（发文机关署名）」
    signed = issuer or _("(issuing office)")
    p = doc.add_paragraph(signed, style="Closing")
    p.paragraph_format.right_indent = Pt(BODY_PT * 2)
    p.paragraph_format.keep_with_next = True
    right = max(0, excel.text_width(signed) / 2 - excel.text_width(when) / 2)
    p = doc.add_paragraph(when, style="Closing")
    p.paragraph_format.right_indent = Pt(BODY_PT * right)

    # the annex on a page of its own
    h = doc.add_paragraph(_("Annex"), style="Salutation")
    h.paragraph_format.page_break_before = True  # no paragraph of its own that could spill onto a blank page
    for r in h.runs:
        _fonts(r, H1_FONT, H1_FONT)
    doc.add_paragraph("", style="Salutation")
    _title(doc, annex)
    doc.add_paragraph("", style="Salutation")
    _table(doc, report)
    note = doc.add_paragraph(_("Figures rounded half up to 2 decimals; tied units share a rank.")
                             + (_(" Counted to 30 June; the year's goals count as in progress.") if half else ""),
                             style="Table Text")
    note.alignment = A.LEFT
    _properties(doc, head, issuer, day)
    return doc


def _properties(doc, head: str, issuer: str, day: dt.date) -> None:
    cp = doc.core_properties
    when = excel.document_time(day)
    cp.title, cp.author, cp.last_modified_by = head, issuer or "kaohe", "kaohe"
    cp.created = cp.modified = cp.last_printed = when
    cp.revision = 1
    cp.comments = cp.keywords = cp.subject = ""


def write(report: Annual, path: str | Path, issuer: str = "", day: dt.date | None = None,
          commend: int | None = None, doc_title: str | None = None) -> Path:
    """Write the document; the same input gives the same bytes."""
    path = Path(path)
    buf = io.BytesIO()
    build(report, issuer, day, commend, doc_title).save(buf)
    with files.atomic_path(path) as tmp, zipfile.ZipFile(buf) as src, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():  # python-docx stamps entries with the clock: fix the date
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return path
