"""Labels: Chinese names of tables, columns, components and choices (columns keep their English
names). The base of kaohe: every layer reads its labels from here."""

from __future__ import annotations

# the denominators of the daily-work points (四(三)) a what-if can choose (daily.denominator)
DENOMINATORS = ("staff", "none", "sqrt_staff", "log_staff")
DENOMINATOR_ZH = {"staff": "除以人数(规则)", "none": "不除", "sqrt_staff": "除以人数平方根",
                  "log_staff": "除以(1+ln人数)"}

HEADERS = {
    # compare
    "scenario": "情景", "unit": "单位", "total_base": "规则总分", "rank_base": "规则名次",
    "total_scenario": "情景总分", "rank_scenario": "情景名次", "diff": "总分变化",
    "rank_change": "名次变化", "mean_abs_rank_change": "平均名次变动", "units_moved": "名次变动单位数",
    "max_gain": "上升最多", "max_loss": "下降最多", "first": "第一名", "parameter": "参数",
    "zh": "中文名", "rule": "规则取值", "value": "情景取值",
    # uncertainty
    "nominal": "规则名次", "mean": "平均名次", "median": "名次中位数", "q5": "5%分位名次",
    "q95": "95%分位名次", "at_nominal": "保持规则名次的比例", "width": "区间宽度",
    # denominators
    "staff": "实际工作人员人数", "daily_points": "日常工作累计积分", "denominator": "除数",
    "daily": "日常工作指标得分", "total": "总分", "rank": "名次", "rank_rule": "规则名次",
    "mean_abs_rank_shift": "平均名次变动", "max_up": "最大上升", "max_up_unit": "上升最多的单位",
    "max_down": "最大下降", "max_down_unit": "下降最多的单位", "spearman_with_rule": "与规则名次的相关",
    "measure": "指标", "rho": "Spearman ρ", "p": "p 值", "strength": "相关程度", "reading": "解读",
    # weights
    "component": "指标", "nominal_max": "名义满分", "sd": "标准差", "min": "最低", "max": "最高",
    "var_share": "总分方差占比", "corr": "与总分相关系数", "rank_corr": "与总分秩相关",
    "rank_shift_without": "拉平后名次平均变动",
    # sensitivity
    "group": "规则部分", "values": "数值个数", "Si": "一阶指数 Si", "Si_lo": "Si 下限", "Si_hi": "Si 上限",
    "STi": "总效应指数 STi", "STi_lo": "STi 下限", "STi_hi": "STi 上限",
}
for _d in DENOMINATORS:
    HEADERS[f"daily_{_d}"] = f"日常得分·{DENOMINATOR_ZH[_d]}"
    HEADERS[f"rank_{_d}"] = f"名次·{DENOMINATOR_ZH[_d]}"
WEIGHT_HEADERS = {**HEADERS, "mean": "平均分", "zh": "指标"}


def flat_headers(columns) -> dict[str, str]:
    """Headers for :func:`compare.side_by_side` flat columns (``total:<name>`` → ``<name>·总分``)."""
    out = {}
    for c in columns:
        what, sep, name = str(c).partition(":")
        if sep:
            out[c] = f"{name}·{HEADERS.get(what, what)}"
    return {**HEADERS, **out}
