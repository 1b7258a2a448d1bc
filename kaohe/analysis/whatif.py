"""Interactive what-if: sliders for the main rule values, the ranking re-computed live.

:class:`WhatIf` evaluates one scenario of *values* (plus the denominator and the tie
method) on the counts matrix — well under a millisecond — and, for parameters that change
which value a line gets (the leave allowance: kind ``days``), re-scores once per new value
(cached). :meth:`WhatIf.panel` builds the ipywidgets panel for JupyterLab; :meth:`WhatIf.table`
is the same evaluation without widgets (tests, static reports).

The "main" values are chosen from the data: the point values that move most points in
the year (Σ over units of |count × value|), unless a list is given.
"""

from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
import pandas as pd

from ..rules import SCALE
from ..score import Scores
from .counts import DENOMINATOR_ZH, DENOMINATORS, Counts, float_denominator, rank_rows, round_rows

TABLE_COLUMNS = ["rank", "unit", "total", "daily", "rank_rule", "rank_change"]
HEADERS_ZH = {"rank": "名次", "unit": "单位", "total": "总分", "daily": "日常工作指标得分",
              "rank_rule": "规则名次", "rank_change": "名次变化"}


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
    return pd.concat([pd.DataFrame({"unit": t["unit"], "stage": "规则", "rank": t["rank_rule"]}),
                      pd.DataFrame({"unit": t["unit"], "stage": "调整后", "rank": t["rank"]})],
                     ignore_index=True)


def show_in(out, obj) -> None:
    """Replace an Output widget's content by ``obj`` in one state update.

    Set as widget state rather than captured with ``with out:``: a capture makes
    papermill/nbclient's Output-widget mimic send messages to the kernel while the cell
    runs, which can stall the cell until its timeout (jupyter/nbclient#312).
    """
    if hasattr(obj, "to_plotly_json"):  # a plotly figure: its JSON mimetype (JupyterLab renders it)
        import plotly.io as pio

        data, metadata = pio.renderers["plotly_mimetype"].to_mimebundle(obj.to_dict()), {}
    else:
        from IPython.core.formatters import format_display_data

        data, metadata = format_display_data(obj)
    out.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)


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

    # ------------------------------------------------------------ widgets
    def panel(self, figure=None):
        """The ipywidgets panel: sliders, dropdowns, a reset button; table and chart update live.

        ``figure``: a function (flow frame: unit, stage, rank; title=…, width=…) → plotly figure,
        e.g. ``kaohe.charts.fairness.rank_flow_figure`` (analysis does not import charts).
        """
        import ipywidgets as W

        rb = self.base.rulebook
        style = {"description_width": "initial"}
        sliders = {}
        for n in self.keys:
            v = float(rb[n])
            step = 0.01 if v < 1 else 0.1
            sliders[n] = W.FloatSlider(value=v, min=0.0, max=max(3 * v, 1.0), step=step,
                                       description=f"{rb.params[n].zh}", style=style,
                                       readout_format=".2f", continuous_update=True,
                                       layout=W.Layout(width="420px"))
        slow = {n: W.FloatSlider(value=float(rb[n]), min=0.0, max=max(4 * float(rb[n]), 10.0), step=1.0,
                                 description=rb.params[n].zh, style=style, continuous_update=False,
                                 layout=W.Layout(width="420px")) for n in self.slow}
        den = W.Dropdown(options=[(DENOMINATOR_ZH[d], d) for d in DENOMINATORS],
                         value=self.base.denominator, description="累计积分除数", style=style)
        ties = W.Dropdown(options=[("1,2,2,4 (min)", "min"), ("1,2,2,3 (dense)", "dense")],
                          value=self.base.ties, description="并列名次", style=style)
        reset = W.Button(description="恢复规则值", icon="undo")
        status = W.HTML()
        out_table, out_chart = W.Output(), W.Output()

        resetting = []

        def update(*_):
            if resetting:
                return
            t = self.evaluate({n: s.value for n, s in sliders.items()}, den.value, ties.value,
                              {n: s.value for n, s in slow.items()})
            self.current, ms = t, self.last_ms
            status.value = f"<small>评估用时 {ms:.2f} ms</small>"
            show_in(out_table, t.rename(columns=HEADERS_ZH).style.hide(axis="index").format(precision=2)
                    .set_properties(**{"white-space": "nowrap"})
                    .set_table_styles([{"selector": "th", "props": "white-space: nowrap;"}]).set_uuid("whatif"))
            if figure is not None:
                show_in(out_chart, figure(flow_frame(t), title="名次：规则 → 调整后", width=660))

        def do_reset(_):
            resetting.append(True)  # one update at the end, not one per widget
            try:
                for n, s in {**sliders, **slow}.items():
                    s.value = float(rb[n])
                den.value, ties.value = self.base.denominator, self.base.ties
            finally:
                resetting.clear()
            update()

        for w in [*sliders.values(), *slow.values(), den, ties]:
            w.observe(update, names="value")
        reset.on_click(do_reset)
        update()
        controls = W.VBox([*sliders.values(), *slow.values(), W.HBox([den, ties]), W.HBox([reset, status])])
        self.widgets = {"sliders": sliders, "slow": slow, "denominator": den, "ties": ties,
                        "table": out_table, "chart": out_chart, "status": status}
        out_chart.layout = W.Layout(min_width="680px")
        return W.VBox([controls, W.HBox([out_table, out_chart])])
