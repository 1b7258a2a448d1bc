"""Fairness and what-if analysis of a year's ranking.

Everything here starts from a year's *counts matrix* (:mod:`.counts`): every unit's common,
goals and daily points as a linear map of the rulebook's point values, read off the audit
table. On top of it:

- :mod:`.denominators` — per-capita or not: daily score and rank per denominator, size bias;
- :mod:`.weights` — how much each component actually drives the totals and the ranking;
- :mod:`.compare` — scenarios against the rule (exact, via ``Scores.rerun``), side by side;
- :mod:`.uncertainty` — Monte Carlo over the rule values: rank intervals per unit;
- :mod:`.sensitivity` — which part of the rulebook the ranking is most sensitive to;
- :mod:`.whatif` — the live what-if evaluator (its JupyterLab panel is :mod:`kaohe.report.panel`).

The verbs below are the public front of this layer (loaded on first use). The notebooks
``fairness.ipynb`` and ``whatif.ipynb`` and the commands ``kaohe compare|uncertainty|fairness|
weights|sensitivity`` (:mod:`kaohe.cli.analysis`) show them; ``benchmarks/bench_uncertainty.py``
measures the evaluator.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Counts": "counts",
    "compare_many": "compare", "side_by_side": "compare", "rank_flow": "compare",
    "long_table": "denominators", "wide_table": "denominators", "size_bias": "denominators",
    "shift_summary": "denominators",
    "effective_weights": "weights",
    "simulate": "uncertainty", "MonteCarlo": "uncertainty",
    "sobol": "sensitivity", "Sensitivity": "sensitivity",
    "WhatIf": "whatif", "flow_frame": "whatif",
}
_MODULES = ("counts", "compare", "denominators", "weights", "uncertainty", "sensitivity", "whatif")
__all__ = sorted([*_EXPORTS, *_MODULES])


def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
