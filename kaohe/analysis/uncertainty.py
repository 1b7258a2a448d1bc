"""Monte Carlo over the rule values: how sure is each unit's rank?

Each *rule value* is multiplied by an independent uniform factor in [1 − spread, 1 + spread]
(optionally the denominator is also drawn at random among a few options); every sample is
scored and ranked, and per unit the nominal rank is set against the mean, median, 5 % and
95 % quantiles of its ranks (the JRC/COINr "rank interval" of a composite indicator).

*Rule values* are the point values that reach some unit's points in the year: item
values (per role and tier), step and error deductions, the goals' per-missed deduction.
Not the full marks (40/40: the frame of the scale, not a valuation) nor the floors, and
not values that are 0 (a factor leaves them at 0). Thresholds and the leave allowance are
not varied (they decide which value a line gets; see :mod:`.counts`).

A sample is scored as matrix algebra on the year's counts matrix (samples × values times
values × units), not by re-scoring the data set; ranks are taken on totals rounded half up
to the published decimals with the rulebook's ties, as the published ranking is, so that
``spread = 0`` gives every unit its published rank in every sample. Quantiles are ranks
that occurred (numpy's ``inverted_cdf``), so they are whole ranks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kaohe.analysis.counts import COMPONENTS, Counts, float_denominator
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _
from kaohe.core.labels import DENOMINATORS

COLUMNS = ["unit", "nominal", "mean", "median", "q5", "q95"]
RANDOM_DENOMINATORS = ("staff", "none", "sqrt_staff")


def rule_values(c: Counts) -> list[str]:
    """The parameters the Monte Carlo varies (see the module docstring)."""
    used = c.used()
    marks = {f"{comp}.full" for comp in COMPONENTS}
    return [n for i, n in enumerate(c.params) if used[i] and c.values_u[i] != 0 and n not in marks]


def check(samples: int, spread: float, denominators) -> None:
    """Reject impossible settings with a clear message."""
    problems = []
    if not isinstance(samples, (int, np.integer)) or samples < 1:
        problems.append(_("samples: expected a whole number ≥ 1 (got {value!r})").format(value=samples))
    if not (0 <= spread <= 1):
        problems.append(_("spread: expected a number from 0 to 1 (got {value!r}); 0.2 means each value "
                          "varies by ±20 %").format(value=spread))
    bad = [d for d in denominators or () if d not in DENOMINATORS]
    if bad:
        problems.append(_("denominators: unknown {bad}; expected some of {choices}").format(
            bad=", ".join(bad), choices=", ".join(DENOMINATORS)))
    if problems:
        raise KaoheError(_("invalid uncertainty settings"), problems)


class Model:
    """Totals and ranks of a year for many samples of factors (the fast evaluator)."""

    def __init__(self, c: Counts, params: list[str] | None = None, denominators=None):
        self.counts = c
        self.params = list(params) if params is not None else rule_values(c)
        pos = c.pos
        self.idx = np.array([pos[n] for n in self.params], dtype=np.int64)
        base = c.values[self.idx]
        self.M = base[:, None] * c.matrix()[self.idx]  # a factor's effect per unit of (factor − 1)
        self.denominators = tuple(denominators) if denominators else None
        if self.denominators:
            self.D = np.stack([float_denominator(c.staff_float, d) for d in self.denominators])
        self.nominal = c.nominal_ranks()

    def totals(self, factors: np.ndarray, den_idx: np.ndarray | None = None) -> np.ndarray:
        """Float totals (samples × units) for value factors (samples × params)."""
        den = None if den_idx is None else self.D[den_idx]
        return self.counts.finish((factors - 1.0) @ self.M, den).total

    def ranks(self, factors: np.ndarray, den_idx: np.ndarray | None = None) -> np.ndarray:
        return self.counts.ranks(self.totals(factors, den_idx))


@dataclass
class MonteCarlo:
    """The samples' ranks of a year and their summary (:meth:`table`)."""

    counts: Counts
    params: list[str]
    samples: int
    spread: float
    seed: int | None
    denominators: tuple[str, ...] | None
    ranks: np.ndarray = field(repr=False)  # samples × units
    nominal: np.ndarray = field(repr=False)
    factors: np.ndarray = field(repr=False)
    den_idx: np.ndarray | None = field(default=None, repr=False)

    def table(self) -> pd.DataFrame:
        """The contract's table: unit, nominal, mean, median, q5, q95 (ranks), best nominal first."""
        q = np.quantile(self.ranks, [0.05, 0.5, 0.95], axis=0, method="inverted_cdf")
        out = pd.DataFrame({
            "unit": list(self.counts.units), "nominal": self.nominal,
            "mean": np.round(self.ranks.mean(axis=0), 2), "median": q[1].astype(np.int64),
            "q5": q[0].astype(np.int64), "q95": q[2].astype(np.int64),
        })
        order = np.lexsort((np.arange(len(out)), out["nominal"].to_numpy()))
        return out.iloc[order].reset_index(drop=True)[COLUMNS]

    def rank_shift(self) -> np.ndarray:
        """Per sample: the mean absolute rank shift against the nominal ranking."""
        return np.abs(self.ranks - self.nominal[None, :]).mean(axis=1)

    def extra(self) -> pd.DataFrame:
        """Per unit, beyond the contract: share of samples at the nominal rank, width Q95 − Q5."""
        t = self.table().set_index("unit")
        u = list(self.counts.units)
        at = pd.Series((self.ranks == self.nominal[None, :]).mean(axis=0), index=u)
        t["at_nominal"] = at.loc[t.index].round(3)
        t["width"] = t["q95"] - t["q5"]
        return t.reset_index()


def draw(n_params: int, samples: int, spread: float, rng: np.random.Generator,
         n_den: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
    """Factors (samples × params) uniform in [1 − spread, 1 + spread], and denominator choices."""
    factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(samples, n_params))
    den = rng.integers(0, n_den, size=samples) if n_den else None
    return factors, den


def simulate(c: Counts, samples: int = 10_000, spread: float = 0.2, seed: int | None = 0,
             denominators=None, params: list[str] | None = None) -> MonteCarlo:
    """Run the Monte Carlo on a year's counts (reproducible by ``seed``)."""
    check(samples, spread, denominators)
    model = Model(c, params, denominators)
    rng = np.random.default_rng(seed)
    factors, den = draw(len(model.params), int(samples), float(spread), rng,
                        len(model.denominators or ()))
    ranks = model.ranks(factors, den)
    return MonteCarlo(c, model.params, int(samples), float(spread), seed, model.denominators, ranks,
                      model.nominal, factors, den)
