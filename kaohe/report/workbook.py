"""A year's Excel workbook for official use (via :mod:`kaohe.excel`).

Sheets: 考核结果 (the published table; ranks as numbers, 并列 in a column of its own),
分项得分 (the components with the points of every section), 审计明细 (every audit line:
where it came from, why, and its exact points), 扣分与违规, 数据与规则. Rounded numbers
are written as numbers, text as strings that can never become formulas.
"""

from __future__ import annotations

from pathlib import Path

from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.output import excel, views
from kaohe.output.views import HEADERS, Annual


def _heads(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**HEADERS, **(extra or {})}


def sheets(report: Annual) -> list[excel.Sheet]:
    """The workbook's sheets for a year's report."""
    sc, year = report.scores, report.year
    label = report.label
    rb = sc.rulebook
    ranking = views.ranking(sc, year)
    tied = _("tied")
    counts = ranking["rank"].map(ranking["rank"].value_counts())
    published = ranking.assign(tie=[tied if c > 1 else "" for c in counts])[
        ["rank", "tie", "unit", "staff", "common", "goals", "daily_points", "daily", "total",
         "eligible_label", "ineligible_because"]]
    breakdown = views.component_breakdown(sc, year)
    sections = views.section_labels(rb)
    audit = views.audit_lines(sc, year)
    cuts = views.deductions(sc, year).drop(columns=["item"])
    params = views.params_in_force(rb)
    summary = views.data_summary(sc, year)
    point_decimals = max((-p.as_tuple().exponent for p in audit["points"]), default=2)
    note = (_("Figures rounded half up to two decimals; ranks by the published totals, ties share a rank")
            + (_("; counted to 30 June, annual goals in progress") if report.period == "H1" else ""))
    sep = labels.pick(("；", "; "))
    return [
        excel.Sheet(_("Results"), published, report.title, _heads({"tie": _("tied")}),
                    decimals={"staff": 2}, highlight=~ranking["eligible"].astype(bool), note=note),
        excel.Sheet(_("Components"), breakdown, _("{period}: points by part").format(period=label), _heads(sections),
                    decimals={"denominator": 4},
                    note=_("Each clause group: the points of this period's ledger rows and goals (negative: "
                           "deductions), full marks not included")),
        excel.Sheet(_("Audit lines"), audit, _("{period}: every audit line").format(period=label),
                    _heads(),
                    decimals={"points": max(point_decimals, 2), "row": 0},
                    note=_("Each unit's parts = the sum of its lines' points here; daily work score = "
                           "daily points ÷ divisor")),
        excel.Sheet(_("Deductions"), cuts, _("{period}: deductions and violations").format(period=label), _heads(),
                    decimals={"points": max(point_decimals, 2), "row": 0}, highlight=cuts["disqualifies"]),
        excel.Sheet(_("Data and rules"), params, _("{period}: rule parameters in force").format(period=label),
                    _heads(labels.headers("params")), highlight=params["changed"],
                    note=_("Data: {tables}").format(tables=sep.join(
                        _("{table} {file} {n} rows").format(table=r.table, file=r.file, n=r.rows)
                        for r in summary.itertuples()))),
    ]


def _blanks(frame):
    """Empty text as blank cells (not empty strings)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) == "str":
            out[col] = out[col].astype(object).where(out[col].astype(object) != "", None)
    return out


def write(report: Annual, path: str | Path) -> Path:
    """Write the year's workbook."""
    out = sheets(report)
    for sh in out:
        sh.frame = _blanks(sh.frame)
    return excel.write(path, out)
