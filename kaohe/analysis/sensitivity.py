"""Variance-based sensitivity: which part of the rulebook does the ranking depend on most?

The rule values are grouped by the part of the rulebook they belong to — common-work
deductions 四(一), goals 四(二), the five daily-work sections 四(三)1 … 四(三)5 — plus the
denominator as one discrete factor (drawn among a few options). Factors are as in
:mod:`.uncertainty` (uniform in [1 − spread, 1 + spread] per value).

The output studied is the **mean absolute rank shift** of a sample against the nominal
ranking (0: the ranking is the published one). Per group:

- first-order index ``Si``: the share of the output's variance explained by the group
  alone (Saltelli et al. 2010 estimator);
- total index ``STi``: the share it is involved in, interactions included (Jansen 1999).

``STi`` near 0 means the ranking does not care about that part's exact values. With
``N`` base samples and ``G`` groups the design costs ``N × (G + 2)`` model evaluations
(reported), all done as one matrix product on the counts matrix. Confidence intervals are
bootstrap percentiles over the base samples. :func:`per_unit` gives the total indices of
each unit's own rank instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kaohe.analysis.counts import Counts
from kaohe.analysis.uncertainty import RANDOM_DENOMINATORS, Model, check
from kaohe.core import labels
from kaohe.core.i18n import _

DENOMINATOR_GROUP = "denominator"
COLUMNS = ["group", "zh", "values", "Si", "Si_lo", "Si_hi", "STi", "STi_lo", "STi_hi"]


def groups(c: Counts, params: list[str]) -> dict[str, list[int]]:
    """Factor positions per rulebook section (sections in the rulebook's order)."""
    rb = c.rulebook
    order = {s: i for i, s in enumerate(rb.sections)}
    out: dict[str, list[int]] = {}
    for j, n in enumerate(params):
        out.setdefault(rb.params[n].section, []).append(j)
    return dict(sorted(out.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def group_name(c: Counts, key: str) -> str:
    rb = c.rulebook
    if key == DENOMINATOR_GROUP:
        return labels.param(rb.params["daily.denominator"])
    if key in rb.sections:
        return labels.section_label(rb, key)
    return key


@dataclass
class Sensitivity:
    """Indices per group (:attr:`table`), the number of model evaluations and the design."""

    table: pd.DataFrame
    evaluations: int
    samples: int
    spread: float
    seed: int | None
    variance: float


def _design(model: Model, samples: int, spread: float, seed, gmap: dict[str, list[int]]):
    """The design's blocks as ``(points delta, denominator draws)``: A, B, then each A_B^g
    (group g's columns from B), one block at a time. The model is linear in the factors
    before the floors and the division, so A_B^g's points are A's plus group g's change
    (one product per block of the group's columns, not of every column)."""
    rng = np.random.default_rng(seed)
    F = len(model.params)
    k = len(model.denominators or ())
    width = F + (1 if k else 0)
    A = rng.random((samples, width))
    B = rng.random((samples, width))
    fA = 1.0 - spread + 2.0 * spread * A[:, :F]
    fB = 1.0 - spread + 2.0 * spread * B[:, :F]
    kA = np.minimum((A[:, F] * k).astype(np.int64), k - 1) if k else None
    kB = np.minimum((B[:, F] * k).astype(np.int64), k - 1) if k else None
    del A, B
    dA = (fA - 1.0) @ model.M
    yield dA, kA
    yield (fB - 1.0) @ model.M, kB
    for g, cols in gmap.items():
        if g == DENOMINATOR_GROUP:
            yield dA, kB
        else:
            yield dA + (fB[:, cols] - fA[:, cols]) @ model.M[cols], kA


def _indices(fA, fB, fAB, V):
    """Saltelli 2010 first order, Jansen total; fAB: groups × samples (× outputs)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        S1 = np.mean(fB[None] * (fAB - fA[None]), axis=1) / V
        ST = 0.5 * np.mean((fA[None] - fAB) ** 2, axis=1) / V
    return S1, ST


def _run(c: Counts, samples, spread, seed, denominators, params, output):
    """``output(ranks)`` of every block of the design (A, B, A_B^g …), stacked."""
    check(samples, spread, denominators)
    model = Model(c, params, denominators)
    gmap = groups(c, model.params)
    if model.denominators:
        gmap[DENOMINATOR_GROUP] = []
    ys = [output(model, model.counts.ranks(model.counts.finish(delta, None if den is None else model.D[den]).total))
          for delta, den in _design(model, int(samples), float(spread), seed, gmap)]
    return model, gmap, np.concatenate(ys)


def _bootstrap(fA, fB, fAB, rows, conf):
    """Percentile intervals of S1 and ST over bootstrap resamples of the base samples.

    ``rows`` (resamples × N) are the resampled positions; each resample is taken as the
    count of times each sample occurs in it (weights), so the statistics are weighted
    means: a few matrix products, not arrays of resamples × groups × samples."""
    N = len(fA)
    Y1 = fB[None] * (fAB - fA[None])  # G × N: the first-order terms
    Y2 = 0.5 * (fA[None] - fAB) ** 2  # the total-effect terms
    Y0 = np.stack([fA + fB, fA ** 2 + fB ** 2])  # for the variance of A and B together
    b = len(rows)
    bS1 = np.empty((len(fAB), b))
    bST = np.empty((len(fAB), b))
    step = max(1, (1 << 22) // max(N, 1))
    for lo in range(0, b, step):
        r = rows[lo:lo + step]
        n = len(r)
        W = np.bincount((r + (np.arange(n) * N)[:, None]).ravel(), minlength=n * N).reshape(n, N)
        W = W.astype(np.float64).T  # N × n
        m = (Y0 @ W) / (2 * N)
        bV = m[1] - m[0] ** 2
        with np.errstate(invalid="ignore", divide="ignore"):
            bS1[:, lo:lo + n] = (Y1 @ W) / N / bV
            bST[:, lo:lo + n] = (Y2 @ W) / N / bV
    a = (1 - conf) / 2
    return (np.nanquantile(bS1, [a, 1 - a], axis=1), np.nanquantile(bST, [a, 1 - a], axis=1))


def _shift(model: Model, ranks: np.ndarray) -> np.ndarray:
    return np.abs(ranks - model.nominal[None, :]).mean(axis=1)


def sobol(c: Counts, samples: int = 2000, spread: float = 0.2, seed: int | None = 0,
          denominators=RANDOM_DENOMINATORS, params: list[str] | None = None,
          bootstrap: int = 200, conf: float = 0.95) -> Sensitivity:
    """First-order and total indices of the mean absolute rank shift per rulebook part."""
    model, gmap, y = _run(c, samples, spread, seed, denominators, params, _shift)
    N = int(samples)
    fA, fB = y[:N], y[N:2 * N]
    fAB = y[2 * N:].reshape(len(gmap), N)
    V = np.var(np.concatenate([fA, fB]))
    S1, ST = _indices(fA, fB, fAB, V)
    rng = np.random.default_rng(None if seed is None else seed + 1)
    lo_hi = np.full((2, 2, len(gmap)), np.nan)
    if bootstrap and V > 0:
        lo_hi[0], lo_hi[1] = _bootstrap(fA, fB, fAB, rng.integers(0, N, size=(bootstrap, N)), conf)
    table = pd.DataFrame({
        "group": list(gmap), "zh": [group_name(c, g) for g in gmap],
        "values": [len(v) if g != DENOMINATOR_GROUP else len(model.denominators) for g, v in gmap.items()],
        "Si": S1, "Si_lo": lo_hi[0, 0], "Si_hi": lo_hi[0, 1],
        "STi": ST, "STi_lo": lo_hi[1, 0], "STi_hi": lo_hi[1, 1],
    })[COLUMNS]
    num = ["Si", "Si_lo", "Si_hi", "STi", "STi_lo", "STi_hi"]
    table[num] = table[num].astype(float).round(3) + 0.0  # a rounded -0.0 is shown as 0.0
    return Sensitivity(table, int(len(y)), N, float(spread), seed, float(V))


def per_unit(c: Counts, samples: int = 2000, spread: float = 0.2, seed: int | None = 0,
             denominators=RANDOM_DENOMINATORS, params: list[str] | None = None) -> pd.DataFrame:
    """Total indices STi of each unit's rank per rulebook part (units × groups); NaN: rank fixed."""
    model, gmap, y = _run(c, samples, spread, seed, denominators, params,
                          lambda model, ranks: ranks.astype(float))
    N = int(samples)
    fA, fB = y[:N], y[N:2 * N]
    fAB = y[2 * N:].reshape(len(gmap), N, -1)
    V = np.var(np.concatenate([fA, fB]), axis=0)
    _, ST = _indices(fA, fB, fAB, V)
    out = pd.DataFrame(ST.T, index=list(c.units), columns=[group_name(c, g) for g in gmap])
    out.index.name = "unit"
    return out.round(3)


def reading(s: Sensitivity) -> str:
    """One sentence: the part of the rulebook the ranking is most sensitive to."""
    t = s.table.dropna(subset=["STi"])
    if not len(t) or s.variance == 0:
        return _("Within the range set, the ranks do not change with the rule values.")
    t = t.sort_values("STi", ascending=False)
    top = t.iloc[0]
    rest = labels.pick(("，", ", ")).join(f"{r.zh} {r.STi:.2f}" for r in t.iloc[1:4].itertuples())
    return _("The ranks are most sensitive to “{top}” (total-effect index STi = {sti}), then: {rest}.").format(
        top=top["zh"], sti=f"{top['STi']:.2f}", rest=rest)
