"""Effective weights: how much each component actually drives a year's totals and ranks.

The rulebook gives common work and goals 40 points each and daily work no cap; what
decides the ranking is how much each component *varies* between units. Per component:

- ``var_share``: its share of the variance of the total, Cov(component, total) / Var(total)
  (the shares add up to 1; a component equal for every unit has 0, whatever its nominal
  weight);
- ``corr``: Pearson correlation with the total; ``rank_corr``: Spearman with the total;
- ``rank_shift_without``: the mean absolute rank change if this component were the same
  (its mean) for every unit — how much of the ranking it decides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from kaohe.analysis.counts import COMPONENTS, Counts, rank_rows
from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.engine.score import Scores

COLUMNS = ["component", "zh", "nominal_max", "mean", "sd", "min", "max", "var_share", "corr",
           "rank_corr", "rank_shift_without"]


def effective_weights(sc: Scores, year: int) -> pd.DataFrame:
    """One row per component (common, goals, daily) of a year; see the module docstring."""
    c = Counts.from_scores(sc, year)
    ex = c.exact()
    comps = {k: np.array([float(x) for x in ex[k]]) for k in ("common", "goals", "daily")}
    total = sum(comps.values())
    var_t = total.var()
    nominal = c.nominal_ranks()
    rb = sc.rulebook
    rows = []
    for comp in COMPONENTS:
        x = comps[comp]
        cov = float(np.mean((x - x.mean()) * (total - total.mean())))
        flat = total - x + x.mean()
        shift = np.abs(rank_rows(flat, c.ties, c.decimals) - nominal).mean()
        rows.append({
            "component": comp, "zh": labels.component(rb, comp),
            "nominal_max": float(rb[f"{comp}.full"]) if f"{comp}.full" in rb.params else np.nan,
            "mean": x.mean(), "sd": x.std(), "min": x.min(), "max": x.max(),
            "var_share": cov / var_t if var_t > 0 else np.nan,
            "corr": _corr(x, total), "rank_corr": _spearman(x, total),
            "rank_shift_without": float(shift),
        })
    return pd.DataFrame(rows, columns=COLUMNS).round(3)


def _corr(x, y) -> float:
    return float(np.corrcoef(x, y)[0, 1]) if np.ptp(x) > 0 and np.ptp(y) > 0 else np.nan


def _spearman(x, y) -> float:
    return float(spearmanr(x, y).statistic) if np.ptp(x) > 0 and np.ptp(y) > 0 else np.nan


def reading(w: pd.DataFrame) -> str:
    """One sentence: which component decides the ranking (for the report)."""
    w = w.dropna(subset=["var_share"])
    if not len(w):
        return _("Every unit has the same total: the parts' effective weights cannot be told apart.")
    sep = labels.pick(("，", ", "))
    shares = sep.join(f"{r.zh} {r.var_share:.0%}".replace("-", "−") for r in w.itertuples())
    shifts = sep.join(_("{part} {n} places").format(part=r.zh, n=f"{r.rank_shift_without:.2f}")
                      for r in w.itertuples())
    top = w.sort_values("var_share", ascending=False).iloc[0]
    return _("Where the totals differ: {shares}; the largest share is “{top}”. If one part were the same "
             "for every unit, ranks would move on average: {shifts}.").format(
        shares=shares, top=top["zh"], shifts=shifts)
