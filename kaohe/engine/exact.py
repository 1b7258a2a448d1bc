"""Publication: exact unit results, rounding half up (四舍五入) once, ranks with ties (并列)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _
from kaohe.rulebook import rules
from kaohe.rulebook.rules import Rulebook

TABLE_COLUMNS = ["rank", "unit", "staff", "common", "goals", "daily_points", "daily", "total",
                 "eligible"]
NUMBER_COLUMNS = ["staff", "common", "goals", "daily_points", "daily", "total"]


def round_half_up(x, decimals: int = 2) -> Decimal:
    """Round an exact value half away from zero, as 四舍五入 and Excel's ROUND do."""
    f = Fraction(x)
    q = 10**decimals
    n, d = abs(f.numerator) * q, f.denominator
    r = (2 * n + d) // (2 * d)
    return Decimal(r if f >= 0 else -r).scaleb(-decimals).quantize(Decimal(1).scaleb(-decimals))


def denominator(staff: Decimal, how: str) -> Fraction:
    """What daily points are divided by: staff (the regulation's rule), 1, √staff, 1 + ln staff."""
    if how == "staff":
        return Fraction(staff)
    if how == "none":
        return Fraction(1)
    with decimal.localcontext() as ctx:
        ctx.prec = 50
        if how == "sqrt_staff":
            return Fraction(staff.sqrt())
        if how == "log_staff":
            den = 1 + staff.ln()
            if den <= 0:
                raise KaoheError(_("daily.denominator log_staff: 1 + ln(staff) is {value} ≤ 0 for a staff of "
                                   "{staff}; choose another divisor").format(value=f"{den:.3f}", staff=staff))
            return Fraction(den)
    raise ValueError(how)


def disqualifying_items(rb: Rulebook) -> list[str]:
    """Items whose rows cost the unit its eligibility for commendation this year."""
    return [c for c in rb.items if rb.values.get(f"{c}.disqualifies") is True]


def exact_summary(sums: pd.DataFrame, audit: pd.DataFrame, rb: Rulebook) -> pd.DataFrame:
    """One row per unit and year with exact (Fraction) components, total and eligibility."""
    how = rb["daily.denominator"]
    bad_items = disqualifying_items(rb)
    bad = audit[audit["item"].isin(bad_items)]
    why: dict = {}
    for r in bad.itertuples(index=False):  # a few violations at most
        why.setdefault((r.year, r.unit), []).append(f"{r.item} {r.clause} {str(r.date)[:10]}")
    why = {k: "; ".join(v) for k, v in why.items()}
    rows = []
    for r in sums.itertuples(index=False):  # one per unit and year
        daily_points = Fraction(int(r.daily), rules.SCALE)
        den = denominator(r.staff, how)
        daily = daily_points / den
        common = Fraction(int(r.common), rules.SCALE)
        goals = Fraction(int(r.goals), rules.SCALE)
        reason = why.get((r.year, r.unit), "")
        rows.append({"year": int(r.year), "unit": r.unit, "staff": r.staff,
                     "common": common, "goals": goals, "daily_points": daily_points,
                     "denominator": den, "daily": daily, "total": common + goals + daily,
                     "eligible": not reason, "ineligible_because": reason})
    return pd.DataFrame(rows, columns=["year", "unit", "staff", "common", "goals", "daily_points",
                                       "denominator", "daily", "total", "eligible",
                                       "ineligible_because"])


def rank(values, ties: str = "min") -> np.ndarray:
    """Rank 1 = highest; ``min`` gives 1,2,2,4 (并列, next skips), ``dense`` 1,2,2,3."""
    keys = [Fraction(v) for v in values]
    if ties not in ("min", "dense"):
        raise ValueError(ties)
    desc = sorted(set(keys), reverse=True)
    if ties == "dense":
        pos = {v: i + 1 for i, v in enumerate(desc)}
    else:
        counts = {v: keys.count(v) for v in desc}
        pos, above = {}, 0
        for v in desc:
            pos[v] = above + 1
            above += counts[v]
    return np.array([pos[v] for v in keys], dtype=np.int64)


def published_table(units: pd.DataFrame, year: int, rb: Rulebook) -> pd.DataFrame:
    """The contract's published table for a year, best first (Decimals rounded half up)."""
    d = rb["ranking.decimals"]
    u = units[units["year"] == year].reset_index(drop=True)
    out = pd.DataFrame({"unit": u["unit"]})
    for col in NUMBER_COLUMNS:
        out[col] = [round_half_up(Fraction(v), d) for v in u[col]]
    out["eligible"] = u["eligible"].astype(bool)
    out.insert(0, "rank", rank(out["total"], rb["ranking.ties"]))
    out = out.sort_values("rank", kind="stable").reset_index(drop=True)
    return out[TABLE_COLUMNS]


def exact_points(points_u) -> list[Decimal]:
    """Exact points (millionths) as Decimals without trailing zeros, e.g. 12.5, −0.25."""
    return [(Decimal(int(u)) / rules.SCALE).normalize() + 0 for u in points_u]
