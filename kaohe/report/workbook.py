"""A year's Excel workbook for official use (via :mod:`kaohe.output.excel`).

Sheets: 考核结果 (the published table as an official table: every unit on one A4 page, 上年名次
and 升降, the note and the 制表 block at its foot), 分项得分 (the components with the points of
every section), 审计明细 (every audit line: where it came from, why, and its exact points),
扣分与违规, 数据与规则. One tie convention throughout: 名次 a number, 并列 in the column beside
it. Rounded numbers are written as numbers, dates as dates, text as strings that can never
become formulas.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pandas as pd

from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.engine.exact import round_half_up
from kaohe.output import excel, views
from kaohe.output.views import HEADERS, Annual

UNIT_ONE_LINE = 28  # half-widths: 民族宗教侨务外事工作委员会 (13 characters) and a little more
RISE = '"↑"0;"↓"0;"—"'  # 升降: up, down, unchanged (the value stays a number)


def _heads(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**HEADERS, **(extra or {})}


def _tie_marks(rank: pd.Series) -> list[str]:
    counts = rank.map(rank.value_counts())
    return [_("tied") if c > 1 else "" for c in counts]


def previous_ranks(sc, year: int, period: str = "year") -> pd.Series:
    """Unit → its published rank in the year before — for the half-year view in the first
    half of the year before (empty when the data set lacks it)."""
    if (year - 1) not in set(int(y) for y in sc.units["year"].unique()):
        return pd.Series(dtype=object)
    before = views.ranking_in(sc, year - 1, year, period)
    return pd.Series(dtype=object) if before is None else before.set_index("unit")["rank"]


def results(sc, year: int, period: str = "year") -> pd.DataFrame:
    """The published table with the tie mark, last year's rank (H1: in the first half of last
    year) and the movement (columns: rank, tie, unit, staff, common, goals, daily_points,
    daily, total, rank_last, rise, eligible_label, ineligible_because)."""
    t = views.ranking(sc, year)
    last = previous_ranks(sc, year, period)
    before = [last.get(u) for u in t["unit"]]
    t["tie"] = _tie_marks(t["rank"])
    t["rank_last"] = pd.Series([None if b is None or pd.isna(b) else int(b) for b in before], dtype=object)
    # a unit not ranked the year before is 新列入 (as on the pages) when there is a year before
    fresh = _("new") if len(last) else None
    t["rise"] = pd.Series([fresh if b is None else int(b) - int(r) for b, r in zip(t["rank_last"], t["rank"])],
                          dtype=object)
    return t[["rank", "tie", "unit", "staff", "common", "goals", "daily_points", "daily", "total",
              "rank_last", "rise", "eligible_label", "ineligible_because"]]


def foot(issuer: str = "", day: dt.date | None = None) -> list[tuple[str, ...]]:
    """The 制表 block: issuing office, reviewer (left blank to sign), date."""
    when = excel.chinese_date(excel.document_date(day))
    return [(_("Prepared by: {issuer}").format(issuer=issuer).rstrip(), _("Reviewed by:"),
             _("Date: {date}").format(date=when))]


def what_if_changes(rb) -> str:
    """The parameters a scenario changed, each with its value in words (empty: none)."""
    return _("; ").join(_("{param}: {value}").format(param=labels.param(rb.params[n]), value=labels.choice(rb, v))
                        for n, v in rb.changed().items())


def what_if_note(rb) -> str:
    """For a rulebook with changed parameters (a scenario): the words that say the table is a
    what-if, with each change; empty for the rulebook as it is."""
    changes = what_if_changes(rb)
    if not changes:
        return ""
    return _("A what-if, not the official result: computed with changed rules ({changes}). ").format(changes=changes)


def _rank_last_note(half: bool, what_if: bool) -> str:
    """How the table's figures, ranks, 上年名次 and 升降 are arrived at. In a what-if the year
    before is scored under the same scenario (the fair comparison), and the note says so."""
    if what_if:
        return (_("Figures are rounded half up to 2 decimals once, at publication; ranks follow the "
                  "published totals and tied units share a rank; the rank in H1 last year is computed "
                  "for the first half of the year before (to 30 June) under the same scenario, the change "
                  "its movement (↑ up, ↓ down, — unchanged).") if half else
                _("Figures are rounded half up to 2 decimals once, at publication; ranks follow the "
                  "published totals and tied units share a rank; the rank last year is computed for the "
                  "year before under the same scenario, the change its movement (↑ up, ↓ down, — unchanged)."))
    return (_("Figures are rounded half up to 2 decimals once, at publication; ranks follow the "
              "published totals and tied units share a rank; the rank in H1 last year is the rank in the "
              "first half of the year before (to 30 June, counted the same way), the change its "
              "movement (↑ up, ↓ down, — unchanged).") if half else
            _("Figures are rounded half up to 2 decimals once, at publication; ranks follow the "
              "published totals and tied units share a rank; the rank last year is the published "
              "rank of the year before, the change its movement (↑ up, ↓ down, — unchanged)."))


def result_sheet(sc, year: int, title: str, period: str = "year", issuer: str = "",
                 day: dt.date | None = None) -> excel.Sheet:
    """考核结果 as an official table (one A4 page)."""
    table = results(sc, year, period)
    half = period == "H1"
    what_if = what_if_note(sc.rulebook)
    note = (what_if + _rank_last_note(half, bool(what_if))
            + (_(" New: not ranked the year before.") if (table["rise"] == _("new")).any() else "")
            + (_(" Counted to 30 June; the year's goals count as in progress.") if half else ""))
    return excel.Sheet(
        _("Results"), table, title,
        _heads({"tie": _("Tied"), "rank_last": _("Rank in H1 last year") if half else _("Rank last year"),
                "rise": _("Change")}),
        decimals={"staff": 2, "rank_last": 0}, formats={"rise": RISE},
        highlight=~views.ranking(sc, year)["eligible"].astype(bool),
        note=_("Note: ") + note, one_page=True, foot=foot(issuer, day),
        # unit names on one line, unless one is so long that the page would shrink below 五号
        nowrap=("unit",) if max(map(excel.text_width, table["unit"]), default=0) <= UNIT_ONE_LINE else ())


def _breakdown(sc, year: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """分项得分: rank (number) and 并列, the section points next to their component, the
    divisor with 2 decimals; headers that cannot be mistaken for the components."""
    rb = sc.rulebook
    b = views.component_breakdown(sc, year)
    t = views.ranking(sc, year)
    sections = list(views.section_points(sc, year).columns)
    comp_names = {labels.component(rb, c) for c in rb.components}
    heads = {}
    for s in sections:
        name = labels.section(rb, s)
        heads[s] = (_("{clause} deductions").format(clause=s) if name in comp_names
                    else views.section_labels(rb)[s])
    b.insert(0, "rank", t["rank"].to_numpy())
    b.insert(1, "tie", _tie_marks(t["rank"]))
    u = sc.units[sc.units["year"] == year].set_index("unit")["denominator"]
    b["denominator"] = [round_half_up(Fraction(u.at[x]), 2) for x in b["unit"]]
    order = ["rank", "tie", "unit"]
    rest = [c for c in b.columns if c not in order and c != "rank_label"]
    first = [s for s in sections if labels.section(rb, s) in comp_names]
    lead = []
    for comp, s in zip(("common", "goals"), first):
        lead += [s, comp]
    out = b[order + lead + [c for c in rest if c not in lead]]
    return out, heads


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date text (YYYY-MM-DD) as dates."""
    if "date" in frame:
        frame = frame.copy()
        d = pd.to_datetime(frame["date"].replace("", None), errors="coerce", format="%Y-%m-%d")
        frame["date"] = pd.Series([None if pd.isna(v) else v.date() for v in d], dtype=object,
                                  index=frame.index)
    return frame


def _drop_empty(frame: pd.DataFrame, cols: tuple[str, ...]) -> pd.DataFrame:
    """Columns with nothing in any row (e.g. 工作表 for CSV data) left out."""
    gone = [c for c in cols if c in frame and frame[c].astype(object).map(
        lambda v: v is None or (isinstance(v, float) and v != v) or str(v) == "").all()]
    return frame.drop(columns=gone)


def sheets(report: Annual, issuer: str = "", day: dt.date | None = None) -> list[excel.Sheet]:
    """The workbook's sheets for a year's report."""
    sc, year = report.scores, report.year
    label = report.label
    rb = sc.rulebook
    breakdown, section_heads = _breakdown(sc, year)
    audit = _drop_empty(_dates(views.audit_lines(sc, year)).drop(columns=["item"]), ("sheet", "ref"))
    cuts = _drop_empty(_dates(views.deductions(sc, year)).drop(columns=["item"]), ("person", "ref"))
    params = views.params_sheet(rb)
    summary = views.data_summary(sc, year)
    point_decimals = max((-p.as_tuple().exponent for p in audit["points"]), default=2)
    pts = {"points": max(point_decimals, 2), "row": 0}
    return [
        result_sheet(sc, year, report.title, report.period, issuer, day),
        excel.Sheet(_("Components"), breakdown, _("{label} assessment: the components").format(label=label),
                    _heads({**section_heads, "tie": _("Tied"), "denominator": _("Divisor")}),
                    decimals={"denominator": 2, "staff": 2},
                    highlight=~views.ranking(sc, year)["eligible"].astype(bool),
                    note=_("Section columns: the points of this period's ledger records and goals "
                           "(negative: deductions), without the full marks.")),
        excel.Sheet(_("Audit lines"), audit, _("{label} assessment: every audit line").format(label=label),
                    _heads(), decimals=pts, nowrap=("clause",),
                    note=_("Each component of a unit = the sum of its lines here; the daily-work score = "
                           "its accumulated points ÷ the divisor.")),
        excel.Sheet(_("Deductions"), cuts, _("{label}: deductions and violations").format(label=label),
                    _heads(), decimals=pts, highlight=cuts["disqualifies"], nowrap=("clause",)),
        excel.Sheet(_("Data and rules"), params, _("{label}: the rule parameters in force").format(label=label),
                    _heads(labels.headers("params")), highlight=params["changed"],
                    formats=dict.fromkeys(("value_label", "default_label"), "General"),  # 40, 0.2, 15 as written
                    note=_("Data: ") + labels.pick(("；", "; ")).join(
                        _("{table} {file} {rows} rows").format(table=r.table, file=r.file, rows=r.rows)
                        for r in summary.itertuples())),
    ]


def _blanks(frame):
    """Empty text as blank cells (not empty strings)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) == "str":
            out[col] = out[col].astype(object).where(out[col].astype(object) != "", None)
    return out


def write(report: Annual, path: str | Path, issuer: str = "", day: dt.date | None = None) -> Path:
    """Write the year's workbook (``issuer``, ``day``: the 制表 block; the document time is
    the date shown, or ``SOURCE_DATE_EPOCH``)."""
    out = sheets(report, issuer, day)
    for sh in out:
        sh.frame = _blanks(sh.frame)
    return excel.write(path, out, excel.document_time(excel.document_date(day)))


def write_results(sc, year: int, path: str | Path, title: str, issuer: str = "",
                  day: dt.date | None = None) -> Path:
    """The published table alone, as the official one-page table (``kaohe score --out x.xlsx``)."""
    sh = result_sheet(sc, year, title, "year", issuer, day)
    sh.frame = _blanks(sh.frame)
    return excel.write(path, [sh], excel.document_time(excel.document_date(day)))

