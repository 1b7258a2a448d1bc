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

from kaohe.analysis.counts import Counts
from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.core.labels import DENOMINATORS
from kaohe.engine.exact import round_half_up
from kaohe.engine.score import Scores
from kaohe.rulebook import rules

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
        sep = labels.pick(("、", ", "))  # every unit tied for the largest move is named
        rho = _spearmanr(g["rank"], g["rank_rule"]).statistic if g["rank"].nunique() > 1 else np.nan
        rows.append({
            "denominator": how, "zh": labels.denominator(rules.load(), how),
            "mean_abs_rank_shift": round(float(np.abs(ch).mean()), 2),
            "units_moved": int((ch != 0).sum()), "max_up": int(ch.max()),
            "max_up_unit": sep.join(g.loc[ch == ch.max(), "unit"]) if ch.max() > 0 else "", "max_down": int(ch.min()),
            "max_down_unit": sep.join(g.loc[ch == ch.min(), "unit"]) if ch.min() < 0 else "",
            "spearman_with_rule": round(float(rho), 3),
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- size bias
def strength(rho: float) -> str:
    """Plain words for the size of a correlation."""
    a = abs(rho)
    if np.isnan(a):
        return _("cannot be computed")
    if a < 0.2:
        return _("almost none")
    word = (_("weak") if a < 0.4 else _("moderate") if a < 0.6 else _("fairly strong") if a < 0.8
            else _("very strong"))
    return (_("{strength} positive correlation") if rho > 0 else _("{strength} negative correlation")).format(
        strength=word)


def _reading(rho: float, p: float, what: str) -> str:
    if np.isnan(rho):
        return _("{what}: no correlation can be computed (all values are equal).").format(what=what)
    if abs(rho) < 0.2:
        trend = _("{what} hardly depends on staff").format(what=what)
    elif rho > 0:
        trend = _("the more staff a unit has, the higher its {what}").format(what=what)
    else:
        trend = _("the more staff a unit has, the lower its {what}").format(what=what)
    ptext = "p < 0.01" if p < 0.01 else f"p = {p:.2f}"
    rho_text = f"{rho:.2f}".replace("-", "−")
    if p >= 0.05:  # a result that is not significant draws no conclusion
        return _("ρ = {rho} ({strength}, {p}): no significant correlation (few units: read with care).").format(
            rho=rho_text, strength=strength(rho), p=ptext)
    return _("ρ = {rho} ({strength}, {p}, statistically significant): {trend}.").format(
        rho=rho_text, strength=strength(rho), p=ptext, trend=trend)


def size_bias(sc: Scores, year: int, options=DENOMINATORS) -> pd.DataFrame:
    """Spearman correlation with staff of daily points and of the daily score per denominator.

    One row per measure: measure, rho, p, strength (words), reading (a sentence).
    """
    c = Counts.from_scores(sc, year)
    staff = c.staff_float
    rows = []
    ex = c.exact(denominator="none")
    measures = [("daily_points", labels.header("daily_points"), np.array([float(x) for x in ex["daily_points"]]))]
    for how in options:
        if how == "none":
            continue
        e = c.exact(denominator=how)
        label = (_("daily score per head") if how == "staff"
                 else _("daily score ({divisor})").format(divisor=labels.denominator(sc.rulebook, how)))
        measures.append((f"daily_{how}", label, np.array([float(x) for x in e["daily"]])))
    for name, label, x in measures:
        if np.ptp(x) == 0 or np.ptp(staff) == 0:
            rho, p = float("nan"), float("nan")
        else:
            r = _spearmanr(staff, x)
            rho, p = float(r.statistic), float(r.pvalue)
        rows.append({"measure": name, "zh": label, "rho": round(rho, 3), "p": round(p, 3),
                     "strength": strength(rho), "reading": _reading(rho, p, label)})
    return pd.DataFrame(rows)


def size_bias_text(bias: pd.DataFrame, summary: pd.DataFrame | None = None) -> str:
    """Two or three sentences on the size bias, for the report."""
    r = bias.set_index("measure")
    pts, per = r.loc["daily_points"], r.loc["daily_staff"] if "daily_staff" in r.index else None
    out = [_("Daily points and staff: {reading}").format(reading=pts["reading"])]
    if per is not None:
        out.append(_("Daily score per head (divided by staff) and staff: {reading}").format(reading=per["reading"]))
        sig = per["p"] < 0.05  # firm words only for a significant correlation
        if abs(pts["rho"]) >= 0.4 and per["rho"] <= -0.4 and sig:
            out.append(_("Dividing by staff removes the advantage of size and even favours small units "
                         "(over-correction)."))
        elif abs(pts["rho"]) >= 0.4 and (abs(per["rho"]) < 0.4 or not sig):
            out.append(_("After dividing by staff, no significant advantage of size is seen."))
        elif per["rho"] >= 0.4 and sig:
            out.append(_("After dividing by staff, big units still have the advantage."))
    if summary is not None:
        s = summary.set_index("denominator")
        parts = [_("{divisor}: ranks move {shift} places on average").format(
            divisor=s.loc[h, "zh"], shift=f"{s.loc[h, 'mean_abs_rank_shift']:.2f}")
                 for h in s.index if h != "staff"]
        if parts:
            out.append(_("Against the rule (divided by staff): {parts}.").format(
                parts=labels.pick(("；", "; ")).join(parts)))
    return labels.pick(("", " ")).join(out)


def _spearmanr(x, y):
    from scipy.stats import spearmanr  # scipy only when a fairness table is asked for

    return spearmanr(x, y)
