"""The annual report's own words (综述) and the statistics they quote.

Every sentence is drawn from the published figures of :mod:`kaohe.output.views` and claims no
more than they show: a correlation is called significant only when p < 0.05, and p is
written 「p < 0.01」 rather than 「p = 0.00」. Spearman's ρ and its p value are computed here
without scipy.stats (whose import costs about 1.5 s in a fresh kernel).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kaohe.engine.score import Scores
from kaohe.output.views import compared_with, moves, per_capita, previous_year, ranking, view


def p_text(p: float) -> str:
    """「p < 0.01」 or 「p = 0.23」 (never 「p = 0.00」)."""
    return "p < 0.01" if p < 0.01 else f"p = {p:.2f}"


@view
def overview(sc: Scores, year: int, period: str = "year") -> list[str]:
    """The 综述: sentences drawn from the numbers only — who is first (and ties), who lost
    eligibility and why, the largest moves since the year before, what dividing by staff did
    to the order of daily work (a correlation is called significant only when p < 0.05)."""
    from kaohe.core.i18n import _, enumeration

    t = ranking(sc, year)
    out = []
    top = t[t["rank"] == t["rank"].min()]
    names = enumeration(top["unit"])
    if len(top) > 1:
        out.append(_("{units} share first place with a total of {total}.").format(
            units=names, total=top["total"].iloc[0]))
    else:
        out.append(_("{units} ranks first with a total of {total}.").format(units=names, total=top["total"].iloc[0]))
    counts = t["rank"].value_counts()
    tied = sorted(r for r, c in counts.items() if c > 1 and r != t["rank"].min())
    if tied:
        groups = _("; ").join(_("rank {rank}: {units}").format(rank=r, units=enumeration(t.loc[t["rank"] == r, "unit"]))
                              for r in tied)
        out.append(_("Tied: {groups}.").format(groups=groups))
    bad = t[~t["eligible"].to_numpy(dtype=bool)]
    if len(bad):
        out.extend(_("{unit} lost its eligibility for commendation: {reason}.").format(
            unit=u, reason=why) for u, why in zip(bad["unit"], bad["ineligible_because"]))
    else:
        out.append(_("No unit lost its eligibility for commendation."))
    out.extend(_against_before(sc, year, period, t))
    out.extend(_per_capita_sentences(sc, year))
    return out


def _against_before(sc: Scores, year: int, period: str, t: pd.DataFrame) -> list[str]:
    """The largest moves since the year compared with — for the half-year view its first half,
    or that there is no such half-year to compare with (never the whole year)."""
    from kaohe.core.i18n import _, enumeration

    prev = previous_year(sc, year)
    if prev is None:
        return []
    if compared_with(sc, year, period) is None:
        return [_("The data set holds no record of the first half of {prev}: there is nothing to compare "
                  "this half-year with.").format(prev=prev)]
    half = period == "H1"
    m = moves(sc, year, period)
    if not len(m):
        return []
    out = []
    if (m["change"] == 0).all():
        out.append((_("Every unit ranked in both half-years kept its rank of the first half of {prev}.") if half
                    else _("Every unit ranked both years kept its rank of {prev}.")).format(prev=prev))
    else:
        up = m[m["change"] == m["change"].max()]
        down = m[m["change"] == m["change"].min()]
        parts = []
        if up["change"].iloc[0] > 0:
            parts.append(_("{units} rose most ({move})").format(
                units=enumeration(up["unit"]), move=f"↑{int(up['change'].iloc[0])}"))
        if down["change"].iloc[0] < 0:
            parts.append(_("{units} fell most ({move})").format(
                units=enumeration(down["unit"]), move=f"↓{-int(down['change'].iloc[0])}"))
        out.append((_("Against the first half of {prev}: {moves}.") if half
                    else _("Against {prev}: {moves}.")).format(prev=prev, moves=_(", ").join(parts)))
    new = sorted(set(t["unit"]) - set(m["unit"]))
    if new:
        out.append((_("Not ranked in the first half of {prev}: {units}.") if half
                    else _("Not ranked in {prev}: {units}.")).format(prev=prev, units=enumeration(new)))
    return out


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    import math

    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def spearman(x, y) -> tuple[float, float]:
    """Spearman's ρ (ties ranked by their mean) and its two-sided p value by the t
    approximation, as ``scipy.stats.spearmanr`` gives them — without importing scipy (≈ 1.5 s
    in a fresh kernel): p = I_{ν/(ν+t²)}(ν/2, 1/2)."""
    rx = pd.Series(np.asarray(x, dtype=float)).rank().to_numpy()
    ry = pd.Series(np.asarray(y, dtype=float)).rank().to_numpy()
    n = len(rx)
    rho = float(np.corrcoef(rx, ry)[0, 1])
    if n < 3 or not np.isfinite(rho):
        return rho, float("nan")
    if abs(rho) >= 1:
        return rho, 0.0
    df = n - 2
    t2 = rho * rho * df / (1 - rho * rho)
    return rho, _betainc(df / 2, 0.5, df / (df + t2))


def _per_capita_sentences(sc: Scores, year: int) -> list[str]:
    from kaohe.core.i18n import _

    pc = per_capita(sc, year)
    moved = pc[pc["rank_change"] != 0]
    out = []
    if not len(moved):
        out.append(_("Dividing daily points by staff changed no unit's rank on daily work."))
    else:
        up = pc.loc[pc["rank_change"].idxmax()]
        down = pc.loc[pc["rank_change"].idxmin()]
        text = _("Dividing daily points by staff changed the rank on daily work of {n} of {total} units").format(
            n=len(moved), total=len(pc))
        parts = []
        if up["rank_change"] > 0:
            parts.append(_("{unit} gained most ({k} places)").format(unit=up["unit"], k=int(up["rank_change"])))
        if down["rank_change"] < 0:
            parts.append(_("{unit} lost most ({k} places)").format(unit=down["unit"], k=-int(down["rank_change"])))
        out.append(text + (_(": ") + _(", ").join(parts) if parts else "") + _("."))
    staff = pc["staff"].astype(float).to_numpy()
    daily = pc["daily"].astype(float).to_numpy()
    if len(pc) >= 3 and np.ptp(staff) > 0 and np.ptp(daily) > 0:
        rho, p = spearman(staff, daily)
        stat = f"ρ = {rho:.2f}".replace("-", "−") + _(", ") + p_text(p)  # one minus sign (−)
        if p < 0.05:
            word = _("larger units score higher per head") if rho > 0 else _("smaller units score higher per head")
            out.append(_("Per-capita daily scores and staff are significantly correlated ({stat}): {word}.").format(
                stat=stat, word=word))
        else:
            out.append(_("No significant correlation between per-capita daily scores and staff ({stat}).").format(
                stat=stat))
    return out
