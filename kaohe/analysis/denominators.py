"""Is dividing daily-work points by headcount fair? Scores and ranks per denominator.

The rule (四(三)) divides a unit's daily-work points by its staff. The alternatives:

- ``none``: no division — total work counts, big units gain;
- ``sqrt_staff``: ÷ √staff — half-way on a log scale between the two (a common compromise
  for size effects, e.g. in per-capita composite indicators);
- ``log_staff``: ÷ (1 + ln staff) — an even milder correction.

Figures are exact and published as ``kaohe score`` would publish them with
``daily.denominator`` set to the option (rounded half up, ranks on published totals, the
rulebook's ties). The *size-bias check* correlates daily points and the per-capita daily
score with staff (Spearman's ρ: rank correlation, robust with a dozen units).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from kaohe.analysis.counts import Counts
from kaohe.core.labels import DENOMINATOR_ZH, DENOMINATORS
from kaohe.engine.exact import round_half_up
from kaohe.engine.score import Scores

LONG_COLUMNS = ["unit", "staff", "daily_points", "denominator", "daily", "total", "rank", "rank_rule",
                "rank_change"]


def long_table(sc: Scores, year: int, options=DENOMINATORS) -> pd.DataFrame:
    """One row per unit and denominator: daily score, total, rank, rank change against the rule.

    ``rank_change`` = rule rank − rank under the option (moving up is positive).
    """
    c = Counts.from_scores(sc, year)
    rule = c.published()
    d = c.decimals
    frames = []
    for how in options:
        ex = c.exact(denominator=how)
        pub = c.published(denominator=how)
        frames.append(pd.DataFrame({
            "unit": ex["unit"], "staff": [round_half_up(s, d) for s in ex["staff"]],
            "daily_points": [round_half_up(x, d) for x in ex["daily_points"]], "denominator": how,
            "daily": [round_half_up(x, d) for x in ex["daily"]], "total": pub["total"],
            "rank": pub["rank"], "rank_rule": rule["rank"],
            "rank_change": rule["rank"].to_numpy() - pub["rank"].to_numpy(),
        }))
    return pd.concat(frames, ignore_index=True)[LONG_COLUMNS]


def wide_table(long: pd.DataFrame) -> pd.DataFrame:
    """Per unit: staff, daily points, then rank (and daily score) under each denominator, rule order."""
    first = long.drop_duplicates("unit").set_index("unit")
    out = first[["staff", "daily_points", "rank_rule"]].copy()
    for how, g in long.groupby("denominator", sort=False):
        g = g.set_index("unit")
        out[f"daily_{how}"] = g["daily"]
        out[f"rank_{how}"] = g["rank"]
    return out.sort_values(["rank_rule"], kind="stable").reset_index()


def shift_summary(long: pd.DataFrame) -> pd.DataFrame:
    """Per denominator: mean absolute rank shift against the rule, units moved, largest move."""
    rows = []
    for how, g in long.groupby("denominator", sort=False):
        ch = g["rank_change"].to_numpy()
        up = g.loc[g["rank_change"].idxmax()]
        down = g.loc[g["rank_change"].idxmin()]
        rho = spearmanr(g["rank"], g["rank_rule"]).statistic if g["rank"].nunique() > 1 else np.nan
        rows.append({
            "denominator": how, "zh": DENOMINATOR_ZH.get(how, how),
            "mean_abs_rank_shift": round(float(np.abs(ch).mean()), 2),
            "units_moved": int((ch != 0).sum()), "max_up": int(ch.max()),
            "max_up_unit": up["unit"] if ch.max() > 0 else "", "max_down": int(ch.min()),
            "max_down_unit": down["unit"] if ch.min() < 0 else "",
            "spearman_with_rule": round(float(rho), 3),
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- size bias
def strength(rho: float) -> str:
    """Plain words for the size of a correlation."""
    a = abs(rho)
    if np.isnan(a):
        return "无法计算"
    word = ("几乎无关" if a < 0.2 else "弱" if a < 0.4 else "中等" if a < 0.6 else "较强" if a < 0.8
            else "很强")
    if a < 0.2:
        return word
    return word + ("正相关" if rho > 0 else "负相关")


def _reading(rho: float, p: float, what: str) -> str:
    if np.isnan(rho):
        return f"{what}无法计算相关（数值全部相同）。"
    if abs(rho) < 0.2:
        trend = f"{what}与人数基本无关"
    elif rho > 0:
        trend = f"人数越多的单位，{what}越高"
    else:
        trend = f"人数越多的单位，{what}反而越低"
    ptext = "p < 0.01" if p < 0.01 else f"p = {p:.2f}"
    if p >= 0.05:  # a result that is not significant draws no conclusion
        return f"ρ = {rho:.2f}（{strength(rho)}，{ptext}）：未见显著的相关（单位较少，结论需谨慎）。"
    return f"ρ = {rho:.2f}（{strength(rho)}，{ptext}，统计上显著）：{trend}。"


def size_bias(sc: Scores, year: int, options=DENOMINATORS) -> pd.DataFrame:
    """Spearman correlation with staff of daily points and of the daily score per denominator.

    One row per measure: measure, rho, p, strength (words), reading (a sentence).
    """
    c = Counts.from_scores(sc, year)
    staff = c.staff_float
    rows = []
    ex = c.exact(denominator="none")
    measures = [("daily_points", "日常工作累计积分", np.array([float(x) for x in ex["daily_points"]]))]
    for how in options:
        if how == "none":
            continue
        e = c.exact(denominator=how)
        label = "人均日常得分" if how == "staff" else f"日常得分（{DENOMINATOR_ZH[how]}）"
        measures.append((f"daily_{how}", label, np.array([float(x) for x in e["daily"]])))
    for name, label, x in measures:
        if np.ptp(x) == 0 or np.ptp(staff) == 0:
            rho, p = float("nan"), float("nan")
        else:
            r = spearmanr(staff, x)
            rho, p = float(r.statistic), float(r.pvalue)
        rows.append({"measure": name, "zh": label, "rho": round(rho, 3), "p": round(p, 3),
                     "strength": strength(rho), "reading": _reading(rho, p, label)})
    return pd.DataFrame(rows)


def size_bias_text(bias: pd.DataFrame, summary: pd.DataFrame | None = None) -> str:
    """Two or three sentences on the size bias, for the report."""
    r = bias.set_index("measure")
    pts, per = r.loc["daily_points"], r.loc["daily_staff"] if "daily_staff" in r.index else None
    out = [f"日常工作累计积分与人数：{pts['reading']}"]
    if per is not None:
        out.append(f"除以人数后的人均日常得分与人数：{per['reading']}")
        sig = per["p"] < 0.05  # firm words only for a significant correlation
        if abs(pts["rho"]) >= 0.4 and per["rho"] <= -0.4 and sig:
            out.append("除以人数不仅消除了规模优势，还使小单位占优（过度校正）。")
        elif abs(pts["rho"]) >= 0.4 and (abs(per["rho"]) < 0.4 or not sig):
            out.append("除以人数后，未见显著的规模优势。")
        elif per["rho"] >= 0.4 and sig:
            out.append("除以人数后大单位仍然占优。")
    if summary is not None:
        s = summary.set_index("denominator")
        parts = [f"{s.loc[h, 'zh']}平均变动 {s.loc[h, 'mean_abs_rank_shift']:.2f} 位"
                 for h in s.index if h != "staff"]
        if parts:
            out.append("与规则（除以人数）相比，名次" + "，".join(parts) + "。")
    return "".join(out)
