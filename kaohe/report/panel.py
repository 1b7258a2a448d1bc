"""The what-if panel for JupyterLab: ipywidgets sliders over a :class:`~kaohe.analysis.whatif.WhatIf`;
the ranking table and chart update live."""

from __future__ import annotations

import pandas as pd

from kaohe.analysis.whatif import WhatIf, flow_frame
from kaohe.charts.style import number
from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.core.labels import DENOMINATORS
from kaohe.output.views import move_label, ranking

DESCRIPTION_WIDTH = "15em"  # every slider's label as wide: the sliders line up
SLIDER_WIDTH = "470px"


def panel_table(t: pd.DataFrame, ineligible: set[str]) -> pd.DataFrame:
    """The panel's ranking as a reader sees it: 并列 marked, 取消评优 marked, moves as ↑/↓."""
    counts = t["rank"].map(t["rank"].value_counts())
    return pd.DataFrame({
        labels.header("rank"): [_("tied {rank}").format(rank=r) if c > 1 else str(r)
                                for r, c in zip(t["rank"], counts)],
        labels.header("unit"): t["unit"],
        labels.header("total"): [number(v) for v in t["total"]],
        labels.header("daily"): [number(v) for v in t["daily"]],
        labels.header("rank_rule"): t["rank_rule"].astype(int),
        labels.header("rank_change"): [move_label(a, b) for a, b in zip(t["rank_rule"], t["rank"])],
        _("commendation"): [_("disqualified") if u in ineligible else "" for u in t["unit"]],
    })


def show_in(out, obj) -> None:
    """Replace an Output widget's content by ``obj`` in one state update.

    Set as widget state rather than captured with ``with out:``: a capture makes
    papermill/nbclient's Output-widget mimic send messages to the kernel while the cell
    runs, which can stall the cell until its timeout (jupyter/nbclient#312).
    """
    if hasattr(obj, "to_plotly_json"):  # a plotly figure: its JSON mimetype (JupyterLab renders it)
        import plotly.io as pio

        from kaohe.charts.style import PLOTLY_MIME, config

        data, metadata = pio.renderers["plotly_mimetype"].to_mimebundle(obj.to_dict()), {}
        data[PLOTLY_MIME] = {**data[PLOTLY_MIME], "config": config()}  # the same toolbar as the pages
    else:
        from IPython.core.formatters import format_display_data

        data, metadata = format_display_data(obj)
        if "text/html" in data:  # the plain repr carries a memory address: same input, same bytes
            data = {"text/html": data["text/html"]}
    out.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)



def whatif_panel(self: WhatIf, figure=None):
    """The ipywidgets panel: sliders, dropdowns, a reset button; table and chart update live.

    ``figure``: a function (flow frame: unit, stage, rank; title=…, width=…) → plotly figure,
    e.g. ``kaohe.charts.fairness.rank_flow_figure`` (analysis does not import charts).
    """
    import ipywidgets as W

    rb = self.base.rulebook
    style = {"description_width": DESCRIPTION_WIDTH}
    r = ranking(self.scores, self.year)
    ineligible = set(r.loc[~r["eligible"].to_numpy(dtype=bool), "unit"])
    sliders = {}
    for n in self.keys:
        v = float(rb[n])
        step = 0.01 if v < 1 else 0.1
        sliders[n] = W.FloatSlider(value=v, min=0.0, max=max(3 * v, 1.0), step=step,
                                   description=labels.param(rb.params[n]), style=style,
                                   readout_format=".2f", continuous_update=True,
                                   layout=W.Layout(width=SLIDER_WIDTH))
    slow = {n: W.FloatSlider(value=float(rb[n]), min=0.0, max=max(4 * float(rb[n]), 10.0), step=1.0,
                             description=labels.param(rb.params[n]), style=style, continuous_update=False,
                             readout_format=".0f",  # whole days
                             layout=W.Layout(width=SLIDER_WIDTH)) for n in self.slow}
    den = W.Dropdown(options=[(labels.denominator(rb, d), d) for d in DENOMINATORS],
                     value=self.base.denominator, description=labels.param(rb.params["daily.denominator"]),
                     style=style)
    ties = W.Dropdown(options=[(labels.choice(rb, t), t) for t in rb.params["ranking.ties"].choices],
                      value=self.base.ties, description=labels.param(rb.params["ranking.ties"]), style=style)
    reset = W.Button(description=_("Back to the rule's values"), icon="undo")
    out_table, out_chart = W.Output(), W.Output()

    resetting = []

    def update(*_args):
        if resetting:
            return
        t = self.evaluate({n: s.value for n, s in sliders.items()}, den.value, ties.value,
                          {n: s.value for n, s in slow.items()})
        self.current = t
        show_in(out_table, panel_table(t, ineligible).style.hide(axis="index").format(escape="html")
                .set_properties(**{"white-space": "nowrap"})
                .set_table_styles([{"selector": "th", "props": "white-space: nowrap;"}]).set_uuid("whatif"))
        if figure is not None:
            show_in(out_chart, figure(flow_frame(t), title=_("Ranks: the rule → adjusted"), width=660))

    def do_reset(_button):
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
    controls = W.VBox([*sliders.values(), *slow.values(), W.HBox([den, ties]), reset])
    self.widgets = {"sliders": sliders, "slow": slow, "denominator": den, "ties": ties,
                    "table": out_table, "chart": out_chart}
    out_chart.layout = W.Layout(min_width="680px")
    return W.VBox([controls, W.HBox([out_table, out_chart])])
