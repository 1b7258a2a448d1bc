"""A year's Excel workbook for official use (via :mod:`kaohe.excel`).

Sheets: 考核结果 (the published table; ranks as numbers, 并列 in a column of its own),
分项得分 (the components with the points of every section), 审计明细 (every audit line:
where it came from, why, and its exact points), 扣分与违规, 数据与规则. Rounded numbers
are written as numbers, text as strings that can never become formulas.
"""

from __future__ import annotations

from pathlib import Path

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
    published = ranking.assign(tie=["并列" if r.startswith("并列") else "" for r in ranking["rank_label"]])[
        ["rank", "tie", "unit", "staff", "common", "goals", "daily_points", "daily", "total",
         "eligible_label", "ineligible_because"]]
    breakdown = views.component_breakdown(sc, year)
    sections = views.section_labels(rb)
    audit = views.audit_lines(sc, year)
    cuts = views.deductions(sc, year).drop(columns=["item"])
    params = views.params_in_force(rb)
    summary = views.data_summary(sc, year)
    point_decimals = max((-p.as_tuple().exponent for p in audit["points"]), default=2)
    note = ("各项按四舍五入保留两位小数公布；名次按公布总分排定，并列者名次相同"
            + ("；统计截至6月30日，年度目标按进行中计" if report.period == "H1" else ""))
    return [
        excel.Sheet("考核结果", published, report.title, _heads({"tie": "并列"}),
                    decimals={"staff": 2}, highlight=~ranking["eligible"].astype(bool), note=note),
        excel.Sheet("分项得分", breakdown, f"{label}考核分项得分", _heads(sections),
                    decimals={"denominator": 4}, note="各条款组为本期台账记录与年度目标的得分（负数为扣分），不含满分基数"),
        excel.Sheet("审计明细", audit, f"{label}考核审计明细（每条计分记录）", _heads(),
                    decimals={"points": max(point_decimals, 2), "row": 0},
                    note="每个单位各项指标 = 本表对应各行分值之和；日常工作指标得分 = 累计积分 ÷ 除数"),
        excel.Sheet("扣分与违规", cuts, f"{label}扣分与违规记录", _heads(),
                    decimals={"points": max(point_decimals, 2), "row": 0}, highlight=cuts["disqualifies"]),
        excel.Sheet("数据与规则", params, f"{label}现行考核规则参数", _heads(),
                    highlight=params["changed"],
                    note="数据：" + "；".join(f"{r.table} {r.file} {r.rows} 行" for r in summary.itertuples())),
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
