"""A year's units × rule-values counts matrix, and a fast evaluator on top of it.

Every audit line's points are linear in the rule values (see :mod:`kaohe.score`)::

    points = coef_c/100 × (v[p1] + v[p2]) − ms × v[ms_p] − err × v[er_p] + const

so, summed per unit and component, ``points[comp, unit] = C[comp, unit, :] · v + const``
with ``C`` the *counts*: how many times each parameter's value lands in a unit's points
(in hundredths; deductions negative). The floors are not linear (``max(floor, …)``); they
are applied after the sum, as the scorer does, and the floor pseudo-lines are left out.

With ``C`` a year's re-scoring under other *values* is a matrix product: thousands of
value vectors per millisecond instead of one re-scoring of the data set per vector. What
``C`` cannot express is a change of *which* parameter a line uses (thresholds, comparisons,
the leave allowance, choices other than the denominator): for those, re-score with
``Scores.rerun`` and build the counts again (:meth:`Counts.rerun`).

Two evaluators: :meth:`Counts.exact` (integers and Fractions; reproduces ``Scores.units``)
and :meth:`Counts.evaluate` (float64, vectorized over samples; for Monte Carlo and the
what-if panel). Ranks of float totals are taken on totals rounded half up to the
rulebook's published decimals, as the published ranking is (see :func:`rank_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from kaohe.core.labels import DENOMINATORS
from kaohe.engine.exact import denominator as exact_denominator
from kaohe.engine.exact import rank as exact_rank
from kaohe.engine.exact import round_half_up
from kaohe.engine.score import NONE, PARAM_COLUMNS, Scores
from kaohe.rulebook import rules

COMPONENTS = rules.COMPONENTS  # common, goals, daily
FLOORED = ("common", "goals")
FLOOR_ITEMS = ("common.floor", "goals.floor")
_EPS = 1e-6  # float slack when rounding half up to the published decimals


def float_denominator(staff: np.ndarray, how: str) -> np.ndarray:
    """What daily points are divided by, as floats (see ``publish.denominator``)."""
    staff = np.asarray(staff, dtype=float)
    if how == "staff":
        return staff.copy()
    if how == "none":
        return np.ones_like(staff)
    if how == "sqrt_staff":
        return np.sqrt(staff)
    if how == "log_staff":
        return 1 + np.log(staff)
    raise ValueError(f"unknown denominator {how!r}; expected one of {', '.join(DENOMINATORS)}")


def round_rows(totals: np.ndarray, decimals: int) -> np.ndarray:
    """Float totals rounded half up (away from zero) to ``decimals``, as integers."""
    scaled = np.abs(totals) * 10.0**decimals
    return (np.sign(totals) * np.floor(scaled + 0.5 + _EPS)).astype(np.int64)


def rank_rows(totals: np.ndarray, ties: str = "min", decimals: int | None = 2) -> np.ndarray:
    """Ranks (1 = best) of each row of ``totals`` (samples × units).

    Totals are rounded half up to ``decimals`` first (``None``: exact float ranks), so
    that values equal when published share a rank, ``ties`` ``min`` (1,2,2,4) or
    ``dense`` (1,2,2,3) as the rulebook's ``ranking.ties``.
    """
    keys = round_rows(totals, decimals) if decimals is not None else np.asarray(totals, dtype=float)
    return rank_last_axis(-keys, ties)


def rank_last_axis(x: np.ndarray, ties: str = "min") -> np.ndarray:
    """Ranks 1 … n along the last axis, lowest first; ties ``min`` (1,2,2,4) or ``dense``
    (1,2,2,3) — scipy's ``rankdata(x, method, axis=-1)`` by one sort per row."""
    if ties not in ("min", "dense"):
        raise ValueError(ties)
    x = np.asarray(x)
    if x.shape[-1] == 0:
        return np.zeros(x.shape, dtype=np.int64)
    order = np.argsort(x, axis=-1, kind="stable")
    s = np.take_along_axis(x, order, axis=-1)
    new = np.ones(s.shape, dtype=bool)
    new[..., 1:] = s[..., 1:] != s[..., :-1]
    if ties == "dense":
        r = np.cumsum(new, axis=-1, dtype=np.int64)
    else:
        idx = np.broadcast_to(np.arange(s.shape[-1], dtype=np.int64), s.shape)
        r = np.maximum.accumulate(np.where(new, idx, 0), axis=-1) + 1
    out = np.empty(s.shape, dtype=np.int64)
    np.put_along_axis(out, order, r, axis=-1)
    return out


@dataclass(frozen=True)
class Evaluation:
    """Components and totals of units (columns) for one or many value vectors (rows)."""

    common: np.ndarray
    goals: np.ndarray
    daily_points: np.ndarray
    daily: np.ndarray
    total: np.ndarray


@dataclass(frozen=True)
class Counts:
    """A year's counts matrix and what is needed to turn values into totals and ranks.

    ``C100[c, u, p]``: hundredths of parameter ``p``'s value in component ``c`` of unit
    ``u``; ``const_u[c, u]``: the value-independent points (innovation points), in
    millionths. Columns are the rulebook's point parameters (``params``), in the order of
    ``Scores.px``; ``values_u`` their values in millionths.
    """

    year: int
    units: tuple[str, ...]
    staff: tuple[Decimal, ...]
    params: tuple[str, ...]
    C100: np.ndarray
    const_u: np.ndarray
    values_u: np.ndarray
    floors_u: dict
    denominator: str
    ties: str
    decimals: int
    eligible: np.ndarray
    rulebook: rules.Rulebook = field(repr=False)
    scores: Scores | None = field(default=None, repr=False)

    # ------------------------------------------------------------ construction
    @classmethod
    def from_scores(cls, sc: Scores, year: int) -> Counts:
        """The counts of one year of a scored data set (values, floors, choices of its rulebook)."""
        rb = sc.rulebook
        u = sc.units[sc.units["year"] == year].reset_index(drop=True)
        if not len(u):
            raise ValueError(f"no units in {year}")
        units = list(u["unit"])
        a = sc.audit
        a = a[(a["year"] == year) & ~a["item"].isin(FLOOR_ITEMS)]
        pos = {name: i for i, name in enumerate(units)}
        lookup = np.array([pos.get(str(c), -1) for c in a["unit"].cat.categories], dtype=np.int64)
        ui = lookup[a["unit"].cat.codes.to_numpy()]
        assert (ui >= 0).all(), "audit lines of a unit missing from the units table"
        ci = a["component"].cat.codes.to_numpy().astype(np.int64)  # categories == COMPONENTS
        assert list(a["component"].cat.categories) == list(COMPONENTS)
        names = sc.px.names[:-1]
        assert sc.px.names[-1] == NONE
        P = len(names)
        C = np.zeros((3, len(units), P + 1), dtype=np.int64)  # last column: "-" (value 0)
        coef = a["coef_c"].to_numpy()
        weights = {"p1": coef, "p2": coef, "ms_p": -100 * a["ms"].to_numpy(),
                   "er_p": -100 * a["err"].to_numpy()}
        for col in PARAM_COLUMNS:
            np.add.at(C, (ci, ui, a[col].cat.codes.to_numpy().astype(np.int64)), weights[col])
        const = np.zeros((3, len(units)), dtype=np.int64)
        np.add.at(const, (ci, ui), a["const_u"].to_numpy())
        return cls(
            year=int(year), units=tuple(units), staff=tuple(u["staff"]), params=tuple(names),
            C100=C[:, :, :P], const_u=const, values_u=sc.px.values_u(rb)[:P],
            floors_u={c: rules.micro(rb[f"{c}.floor"]) for c in FLOORED},
            denominator=rb["daily.denominator"], ties=rb["ranking.ties"],
            decimals=int(rb["ranking.decimals"]), eligible=u["eligible"].to_numpy(dtype=bool),
            rulebook=rb, scores=sc,
        )

    def rerun(self, overrides: dict) -> Counts:
        """The counts after a full re-scoring with changed parameters (any parameter)."""
        if self.scores is None:
            raise ValueError("these counts were built without their Scores")
        return Counts.from_scores(self.scores.rerun(overrides, with_reasons=False), self.year)

    def with_values(self, overrides: dict) -> Counts:
        """Same counts, other point values / denominator / ties (no re-scoring).

        Only parameters the counts can express: point values, ``daily.denominator``,
        ``ranking.ties``; anything else needs :meth:`rerun`.
        """
        rb = self.rulebook.with_overrides(overrides)
        bad = [n for n in overrides if n not in self.pos and n not in ("daily.denominator", "ranking.ties")]
        if bad:
            raise ValueError(f"not a value the counts matrix can change (use rerun): {', '.join(bad)}")
        vals = np.array([rules.micro(rb[n]) for n in self.params], dtype=np.int64)
        return replace(self, values_u=vals, denominator=rb["daily.denominator"], ties=rb["ranking.ties"],
                       rulebook=rb)

    # ------------------------------------------------------------ lookups
    @property
    def pos(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.params)}

    @property
    def values(self) -> np.ndarray:
        """The current values in points (float)."""
        return self.values_u / rules.SCALE

    @property
    def staff_float(self) -> np.ndarray:
        return np.array([float(s) for s in self.staff])

    def used(self) -> np.ndarray:
        """Mask of parameters whose value reaches some unit's points this year."""
        return (self.C100 != 0).any(axis=(0, 1))

    def matrix(self) -> np.ndarray:
        """``C`` in points per point of value, shape (params, 3 × units) for ``values @ C``."""
        return (self.C100 / 100.0).reshape(3 * len(self.units), -1).T

    # ------------------------------------------------------------ exact evaluation
    def exact(self, values_u: np.ndarray | None = None, denominator: str | None = None) -> pd.DataFrame:
        """Exact components and totals (Fractions), one row per unit, as ``Scores.units``."""
        v = self.values_u if values_u is None else np.asarray(values_u, dtype=np.int64)
        prod = np.einsum("cup,p->cu", self.C100, v)
        assert not (prod % 100).any(), "inexact points: a value with more than 4 decimals"
        pts = prod // 100 + self.const_u
        for j, comp in enumerate(FLOORED):
            pts[j] = np.maximum(self.floors_u[comp], pts[j])
        how = denominator or self.denominator
        rows = []
        for i, unit in enumerate(self.units):
            common, goals, dp = (Fraction(int(pts[j, i]), rules.SCALE) for j in range(3))
            daily = dp / exact_denominator(self.staff[i], how)
            rows.append({"unit": unit, "staff": self.staff[i], "common": common, "goals": goals,
                         "daily_points": dp, "daily": daily, "total": common + goals + daily})
        return pd.DataFrame(rows)

    def published(self, values_u: np.ndarray | None = None, denominator: str | None = None,
                  ties: str | None = None) -> pd.DataFrame:
        """Exact totals rounded half up and ranked as published: unit, total, rank (unit order)."""
        ex = self.exact(values_u, denominator)
        total = [round_half_up(t, self.decimals) for t in ex["total"]]
        return pd.DataFrame({"unit": ex["unit"], "total": total,
                             "rank": exact_rank(total, ties or self.ties)})

    # ------------------------------------------------------------ float evaluation
    def nominal_points(self) -> np.ndarray:
        """Points per component and unit (before floors) at the current values, float (3, U)."""
        prod = np.einsum("cup,p->cu", self.C100, self.values_u)
        return (prod // 100 + self.const_u) / rules.SCALE

    def evaluate(self, values: np.ndarray | None = None, denominator: str | np.ndarray | None = None,
                 delta: np.ndarray | None = None) -> Evaluation:
        """Float components and totals for value vectors (rows of ``values``, in points).

        ``delta`` (samples × params) is added to the current values instead (cheaper and
        exact at zero: a zero delta gives the nominal points to the last bit). The
        ``denominator`` is a name, or an array (samples × units) of divisors.
        """
        if values is not None:
            values = np.atleast_2d(np.asarray(values, dtype=float))
            delta = values - self.values[None, :]
        return self.finish(None if delta is None else np.atleast_2d(delta) @ self.matrix(), denominator)

    def finish(self, points_delta: np.ndarray | None, denominator: str | np.ndarray | None = None) -> Evaluation:
        """Components and totals from changes of the points (samples × 3·units, in points)."""
        U = len(self.units)
        nominal = self.nominal_points().reshape(-1)[None, :]
        pts = nominal if points_delta is None else nominal + points_delta
        pts = pts.reshape(len(pts), 3, U)
        common = np.maximum(self.floors_u["common"] / rules.SCALE, pts[:, 0])
        goals = np.maximum(self.floors_u["goals"] / rules.SCALE, pts[:, 1])
        dp = pts[:, 2]
        den = self.denominator if denominator is None else denominator
        if isinstance(den, str):
            den = float_denominator(self.staff_float, den)[None, :]
        daily = dp / den
        return Evaluation(common, goals, dp, daily, common + goals + daily)

    def ranks(self, totals: np.ndarray, ties: str | None = None) -> np.ndarray:
        """Ranks of float totals as published (rounded to the rulebook's decimals, its ties)."""
        return rank_rows(totals, ties or self.ties, self.decimals)

    def nominal_ranks(self) -> np.ndarray:
        """The published ranks (exact), in unit order."""
        return self.published()["rank"].to_numpy()


def counts(sc: Scores, year: int) -> Counts:
    """Shortcut for :meth:`Counts.from_scores`."""
    return Counts.from_scores(sc, year)
