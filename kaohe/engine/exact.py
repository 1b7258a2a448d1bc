"""Publication: exact unit results, rounding half up (四舍五入) once, ranks with ties (并列)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from kaohe.core import columns
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


def ineligible(audit: pd.DataFrame, rb: Rulebook) -> pd.DataFrame:
    """Units and years that lost eligibility: ``year, unit, why`` (the violations' lines)."""
    bad = audit[audit["item"].isin(disqualifying_items(rb))]
    if not len(bad):
        return pd.DataFrame({"year": [], "unit": [], "why": []})
    text = (bad["item"].astype(str) + " " + bad["clause"].astype(str) + " "
            + bad["date"].astype(str).str[:10])
    t = pd.DataFrame({"year": bad["year"].to_numpy(), "unit": bad["unit"].astype(str).to_numpy(),
                      "why": text.to_numpy(dtype=object)})
    return t.groupby(["year", "unit"], sort=False)["why"].agg("; ".join).reset_index()


def exact_summary(sums: pd.DataFrame, audit: pd.DataFrame, rb: Rulebook) -> pd.DataFrame:
    """One row per unit and year with exact (Fraction) components, total and eligibility."""
    how = rb["daily.denominator"]
    why = {(int(y), u): w for y, u, w in ineligible(audit, rb).itertuples(index=False)}
    dens = {}
    rows = []
    for r in sums.itertuples(index=False):  # one per unit and year
        daily_points = Fraction(int(r.daily), rules.SCALE)
        den = dens.get(r.staff)
        if den is None:
            den = dens[r.staff] = denominator(r.staff, how)
        daily = daily_points / den
        common = Fraction(int(r.common), rules.SCALE)
        goals = Fraction(int(r.goals), rules.SCALE)
        reason = why.get((int(r.year), r.unit), "")
        rows.append({"year": int(r.year), "unit": r.unit, "staff": r.staff,
                     "common": common, "goals": goals, "daily_points": daily_points,
                     "denominator": den, "daily": daily, "total": common + goals + daily,
                     "eligible": not reason, "ineligible_because": reason})
    return pd.DataFrame(rows, columns=["year", "unit", "staff", "common", "goals", "daily_points",
                                       "denominator", "daily", "total", "eligible",
                                       "ineligible_because"])


_WIDE = decimal.Context(prec=1000)


def _int_keys(values: list) -> np.ndarray | None:
    """Exact integer keys on a common scale for int/Decimal values (None for others)."""
    if not all(isinstance(v, (int, np.integer, Decimal)) and not isinstance(v, bool) for v in values):
        return None
    exps = [v.as_tuple().exponent for v in values if isinstance(v, Decimal)]
    if not all(isinstance(e, int) for e in exps):  # NaN, infinity
        return None
    scale = max(0, -min(exps, default=0))
    keys = [int(v.scaleb(scale, _WIDE)) if isinstance(v, Decimal) else int(v) * 10**scale for v in values]
    big = keys and max(abs(min(keys)), abs(max(keys))) >= 2**62
    return np.array(keys, dtype=object if big else np.int64)


def rank(values, ties: str = "min") -> np.ndarray:
    """Rank 1 = highest; ``min`` gives 1,2,2,4 (并列, next skips), ``dense`` 1,2,2,3.

    Exact: Decimals and integers are compared as integers on a common scale, anything else
    as Fractions; by sorting (n log n), never by counting per value."""
    if ties not in ("min", "dense"):
        raise ValueError(ties)
    values = list(values)
    keys = _int_keys(values)
    if keys is None:
        keys = np.array([Fraction(v) for v in values], dtype=object)
    return rank_keys(keys, ties)


def rank_keys(keys: np.ndarray, ties: str = "min") -> np.ndarray:
    """:func:`rank` of exact sortable keys (an integer or object array)."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    uniq, inv = np.unique(keys, return_inverse=True)  # ascending
    inv = np.asarray(inv).reshape(-1)
    if ties == "dense":
        return (len(uniq) - inv).astype(np.int64)
    counts = np.bincount(inv, minlength=len(uniq))
    above = np.cumsum(counts[::-1])[::-1] - counts  # how many are strictly higher
    return (above[inv] + 1).astype(np.int64)


def published_table(units: pd.DataFrame, year: int, rb: Rulebook) -> pd.DataFrame:
    """The contract's published table for a year, best first (Decimals rounded half up)."""
    d = rb["ranking.decimals"]
    u = units[units["year"] == year].reset_index(drop=True)
    out = pd.DataFrame({"unit": u["unit"]})
    for col in NUMBER_COLUMNS:
        out[col] = decimal_column([round_half_up(Fraction(v), d) for v in u[col]], d)
    out["eligible"] = u["eligible"].astype(bool)
    out.insert(0, "rank", rank(out["total"], rb["ranking.ties"]))
    out = out.sort_values("rank", kind="stable").reset_index(drop=True)
    return out[TABLE_COLUMNS]


# ------------------------------------------------------------------ the table from integers
def _round_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` rounded half away from zero (den > 0), exact on integer arrays."""
    r = (2 * np.abs(num) + den) // (2 * den)
    return np.where(num < 0, -r, r)


def _decimals(q: np.ndarray, d: int):
    """Integers in units of 10**-d as exact decimals with d places (``12.50``), in one pass:
    an Arrow decimal column (no Python object per value; its cells are ``Decimal``), or
    Decimal objects where 38 digits could not hold them."""
    q = np.asarray(q)
    if q.dtype == object or d > 30:
        return np.array([Decimal(int(x)).scaleb(-d) for x in q] or [], dtype=object)
    b = np.empty((len(q), 2), dtype=np.int64)
    b[:, 0] = q
    b[:, 1] = q >> 63  # two's complement, 128 bits
    import pyarrow as pa

    arr = pa.Array.from_buffers(pa.decimal128(38, d), len(q), [None, pa.py_buffer(b)])
    return pd.arrays.ArrowExtensionArray(arr)


def decimal_column(values: list, d: int):
    """Decimals rounded to d places as the published table holds them (see :func:`_decimals`)."""
    keys = [int(v.scaleb(d, _WIDE)) for v in values]
    big = keys and max(abs(min(keys)), abs(max(keys))) >= 10**30
    return _decimals(np.array(keys, dtype=object if big else np.int64), d)


def _fraction_parts(staff: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numerators and denominators of exact staff counts (per distinct value)."""
    codes, uniq = pd.factorize(staff)
    fr = [Fraction(v) for v in uniq]
    num, den = [f.numerator for f in fr] + [0], [f.denominator for f in fr] + [1]
    kind = np.int64 if max(map(abs, num + den)) < 2**62 else object  # machine integers when they hold them
    return np.array(num, dtype=kind)[codes], np.array(den, dtype=kind)[codes]


def _amax(x: np.ndarray) -> int:
    """The largest absolute value of an integer array, as a Python integer."""
    return max(abs(int(x.min())), abs(int(x.max()))) if len(x) else 0


def published_from_sums(sums: pd.DataFrame, bad_units, year: int, rb: Rulebook) -> pd.DataFrame | None:
    """The published table straight from the exact integer sums (see ``Scores``), without a
    Fraction per unit: the same numbers as :func:`published_table` on :func:`exact_summary`.
    ``bad_units``: the units of that year that lost eligibility. None for a denominator that
    is not rational (√staff, 1 + ln staff): use :func:`published_table` then."""
    how = rb["daily.denominator"]
    if how not in ("staff", "none"):
        return None
    d = rb["ranking.decimals"]
    u = sums[sums["year"].to_numpy() == year].reset_index(drop=True)
    q, scale = 10**d, rules.SCALE
    staff = _fraction_parts(u["staff"])
    s_num, s_den = staff if how == "staff" else (np.ones(len(u), dtype=np.int64),) * 2
    c, g, p = (u[col].to_numpy() for col in ("common", "goals", "daily"))
    # machine integers when no step can overflow them (Python integers otherwise)
    big = max(_amax(c) + _amax(g), _amax(p)) * max(_amax(s_num), _amax(s_den)) * 2 * q
    kind = np.int64 if 4 * big + 2 * scale * _amax(s_num) * q < 2**63 else object
    c, g, p, s_num, s_den = (np.asarray(x).astype(kind, copy=False) for x in (c, g, p, s_num, s_den))
    staff = tuple(np.asarray(x).astype(kind, copy=False) for x in staff)
    # daily = p / scale / (s_num / s_den); total = (c + g) / scale + daily
    values = {
        "staff": staff,
        "common": (c, scale), "goals": (g, scale), "daily_points": (p, scale),
        "daily": (p * s_den, scale * s_num),
        "total": ((c + g) * s_num + p * s_den, scale * s_num),
    }
    rounded = {}
    for col in NUMBER_COLUMNS:
        num, den = values[col]
        num = np.asarray(num) * q
        den = np.broadcast_to(np.asarray(den, dtype=num.dtype), num.shape)
        h = _round_div(num, den)
        if len(h) and max(abs(int(h.min())), abs(int(h.max()))) < 2**62:
            h = h.astype(np.int64)
        rounded[col] = h
    order, ranks = _best_first(rounded["total"], rb["ranking.ties"])  # the columns are made in this order
    unit = u["unit"].take(order).reset_index(drop=True)
    out = pd.DataFrame({"rank": ranks, "unit": unit,
                        **{col: _decimals(rounded[col][order], d) for col in NUMBER_COLUMNS},
                        "eligible": ~columns.member(unit, bad_units)})
    return out[TABLE_COLUMNS]


def _best_first(keys: np.ndarray, ties: str) -> tuple[np.ndarray, np.ndarray]:
    """The order best first (ties in their order) and the ranks in that order: one sort of
    machine integers (:func:`rank_keys` and a sort by rank otherwise)."""
    if keys.dtype != np.int64:
        ranks = rank_keys(keys, ties)
        order = np.argsort(ranks, kind="stable")
        return order, ranks[order]
    order = np.argsort(-keys, kind="stable")  # |keys| < 2**62: no overflow
    if not len(order):
        return order, np.zeros(0, dtype=np.int64)
    top = keys[order]
    new = np.r_[True, top[1:] != top[:-1]]  # the first of each tie
    if ties == "dense":
        return order, np.cumsum(new).astype(np.int64)
    return order, np.maximum.accumulate(np.where(new, np.arange(len(top)), 0)) + 1


def exact_points(points_u) -> list[Decimal]:
    """Exact points (millionths) as Decimals without trailing zeros, e.g. 12.5, −0.25."""
    return [(Decimal(int(u)) / rules.SCALE).normalize() + 0 for u in points_u]
