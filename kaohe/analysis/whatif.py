"""Interactive what-if: sliders for the main rule values, the ranking re-computed live.

:class:`WhatIf` evaluates one scenario of *values* (plus the denominator and the tie
method) on the counts matrix — well under a millisecond — and, for parameters that change
which value a line gets (the leave allowance: kind ``days``), re-scores once per new value
(cached). :meth:`WhatIf.table` is the evaluation as a table (tests, static reports);
:func:`kaohe.report.panel.whatif_panel` puts it behind ipywidgets sliders in JupyterLab.

The "main" values are chosen from the data: the point values that move most points in
the year (Σ over units of |count × value|), unless a list is given.
"""

from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
import pandas as pd

from kaohe.analysis.counts import (
    Counts,
    float_denominator,
    rank_rows,
    round_rows,
)
from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.engine.score import Scores
from kaohe.rulebook.rules import SCALE

TABLE_COLUMNS = ["rank", "unit", "total", "daily", "rank_rule", "rank_change"]


def table_headers() -> dict[str, str]:
    """The headers of :meth:`WhatIf.table`'s columns, in the language in use."""
    return {c: labels.header(c) for c in TABLE_COLUMNS}


def main_values(c: Counts, k: int = 12) -> list[str]:
    """The ``k`` point values that move most points this year (largest first)."""
    moved = np.abs(c.C100 * c.values_u[None, None, :]).sum(axis=(0, 1))
    marks = {f"{comp}.full" for comp in ("common", "goals")}
    order = [i for i in np.argsort(-moved, kind="stable") if moved[i] > 0 and c.params[i] not in marks]
    return [c.params[i] for i in order[:k]]


def rerun_params(c: Counts) -> list[str]:
    """Parameters the panel offers that need a re-scoring: the day allowances (kind ``days``)."""
    return [n for n, p in c.rulebook.params.items() if p.kind == "days"]


def flow_frame(t: pd.DataFrame) -> pd.DataFrame:
    """Rule rank → what-if rank as a flow frame (unit, stage, rank) for a bump chart."""
    return pd.concat([pd.DataFrame({"unit": t["unit"], "stage": _("the rule"), "rank": t["rank_rule"]}),
                      pd.DataFrame({"unit": t["unit"], "stage": _("adjusted"), "rank": t["rank"]})],
                     ignore_index=True)


class WhatIf:
    """One year's live what-if on values, denominator, ties (and the leave allowance)."""

    def __init__(self, sc: Scores, year: int, keys: list[str] | None = None):
        self.scores = sc
        self.year = year
        self.base = Counts.from_scores(sc, year)
        self.keys = keys or main_values(self.base)
        self.slow = rerun_params(self.base)
        self._counts: dict[tuple, Counts] = {(): self.base}
        self.rule_ranks = self.base.nominal_ranks()
        self.last_ms = 0.0

    def counts_for(self, slow: dict | None = None) -> Counts:
        """The counts after re-scoring with the given slow parameters (cached)."""
        key = tuple(sorted((n, Decimal(str(v))) for n, v in (slow or {}).items()
                           if Decimal(str(v)) != self.base.rulebook[n]))
        if key not in self._counts:
            self._counts[key] = self.base.rerun(dict(key))
        return self._counts[key]

    def evaluate(self, values: dict | None = None, denominator: str | None = None,
                 ties: str | None = None, slow: dict | None = None) -> pd.DataFrame:
        """The ranking under changed values (points), denominator, ties; best first."""
        t0 = time.perf_counter()
        c = self.counts_for(slow)
        pos = c.pos
        delta = np.zeros(len(c.params))
        for n, v in (values or {}).items():
            delta[pos[n]] = float(v) - c.values_u[pos[n]] / SCALE
        ev = c.evaluate(delta=delta[None, :], denominator=float_denominator(
            c.staff_float, denominator or c.denominator)[None, :])
        ties = ties or c.ties
        rank = rank_rows(ev.total, ties, c.decimals)[0]
        scale = 10.0**c.decimals
        out = pd.DataFrame({
            "rank": rank, "unit": list(c.units),
            "total": round_rows(ev.total, c.decimals)[0] / scale,
            "daily": round_rows(ev.daily, c.decimals)[0] / scale,
            "rank_rule": self.rule_ranks, "rank_change": self.rule_ranks - rank,
        })
        out = out.sort_values(["rank", "rank_rule"], kind="stable").reset_index(drop=True)
        self.last_ms = (time.perf_counter() - t0) * 1000
        return out[TABLE_COLUMNS]

    def table(self, overrides: dict | None = None) -> pd.DataFrame:
        """:meth:`evaluate` from scenario-style overrides (values, denominator, ties, allowance)."""
        o = dict(overrides or {})
        den = o.pop("daily.denominator", None)
        ties = o.pop("ranking.ties", None)
        slow = {n: o.pop(n) for n in list(o) if n in self.slow}
        self.base.rulebook.with_overrides(o)  # names and values checked as in a scenario
        bad = [n for n in o if n not in self.base.pos]
        if bad:
            raise ValueError(f"not offered in the what-if (use a scenario file): {', '.join(bad)}")
        return self.evaluate(o, den, ties, slow)
