"""The what-if panel for JupyterLab: ipywidgets sliders over a :class:`~kaohe.analysis.whatif.WhatIf`;
the ranking table and chart update live."""

from __future__ import annotations

from kaohe.analysis.whatif import WhatIf, flow_frame, table_headers
from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.core.labels import DENOMINATORS


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



def _number(v) -> str:
    """A table cell: numbers to 2 decimals (integers as they are), one minus sign (−)."""
    if isinstance(v, float):
        return f"{v:.2f}".replace("-", "−")
    return str(v).replace("-", "−") if isinstance(v, int) or hasattr(v, "dtype") else str(v)


def whatif_panel(self: WhatIf, figure=None):
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
                                   description=labels.param(rb.params[n]), style=style,
                                   readout_format=".2f", continuous_update=True,
                                   layout=W.Layout(width="420px"))
    slow = {n: W.FloatSlider(value=float(rb[n]), min=0.0, max=max(4 * float(rb[n]), 10.0), step=1.0,
                             description=labels.param(rb.params[n]), style=style, continuous_update=False,
                             layout=W.Layout(width="420px")) for n in self.slow}
    den = W.Dropdown(options=[(labels.denominator(rb, d), d) for d in DENOMINATORS],
                     value=self.base.denominator, description=labels.param(rb.params["daily.denominator"]),
                     style=style)
    ties = W.Dropdown(options=[(labels.choice(rb, t), t) for t in rb.params["ranking.ties"].choices],
                      value=self.base.ties, description=labels.param(rb.params["ranking.ties"]), style=style)
    reset = W.Button(description=_("Back to the rule's values"), icon="undo")
    status = W.HTML()
    out_table, out_chart = W.Output(), W.Output()

    resetting = []

    def update(*_args):
        if resetting:
            return
        t = self.evaluate({n: s.value for n, s in sliders.items()}, den.value, ties.value,
                          {n: s.value for n, s in slow.items()})
        self.current, ms = t, self.last_ms
        status.value = "<small>" + _("evaluated in {ms} ms").format(ms=f"{ms:.2f}") + "</small>"
        show_in(out_table, t.rename(columns=table_headers()).style.hide(axis="index").format(_number)
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
    controls = W.VBox([*sliders.values(), *slow.values(), W.HBox([den, ties]), W.HBox([reset, status])])
    self.widgets = {"sliders": sliders, "slow": slow, "denominator": den, "ties": ties,
                    "table": out_table, "chart": out_chart, "status": status}
    out_chart.layout = W.Layout(min_width="680px")
    return W.VBox([controls, W.HBox([out_table, out_chart])])
