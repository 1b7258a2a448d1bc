"""Fairness and what-if analysis of a year's ranking.

Everything here starts from a year's *counts matrix* (:mod:`.counts`): every unit's common,
goals and daily points as a linear map of the rulebook's point values, read off the audit
table. On top of it:

- :mod:`.denominators` — per-capita or not: daily score and rank per denominator, size bias;
- :mod:`.weights` — how much each component actually drives the totals and the ranking;
- :mod:`.compare` — scenarios against the rule (exact, via ``Scores.rerun``), side by side;
- :mod:`.uncertainty` — Monte Carlo over the rule values: rank intervals per unit;
- :mod:`.sensitivity` — which part of the rulebook the ranking is most sensitive to;
- :mod:`.whatif` — an ipywidgets panel that re-ranks live;
- :mod:`.labels` — Chinese headers of these tables.

The notebooks ``notebooks/fairness.ipynb`` and ``notebooks/whatif.ipynb`` and the commands
``kaohe compare|uncertainty|fairness|weights|sensitivity`` (:mod:`kaohe.cli_analysis`)
show them; ``benchmarks/bench_uncertainty.py`` measures the evaluator.
"""
