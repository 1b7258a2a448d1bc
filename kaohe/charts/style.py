"""Chart style and display: Chinese font stack, stable figure ids, offline HTML.

A chart is displayed as a mimebundle with two forms: plotly's JSON (JupyterLab draws it
with its plotly extension) and an HTML div with a fixed id that calls ``Plotly.newPlot``
(what nbconvert keeps in an HTML export, where plotly ≥ 6's JSON alone would leave the page
empty). The HTML report embeds plotly.js once, in the page head (``kaohe.report``), so
notebooks stay small and nothing is ever loaded from the network. Fixed ids keep outputs
stable for nbval.

Importing this module makes kaohe's small ``kaohe`` template plotly's default: plotly's own
templates cost ~0.1 s to load in a fresh kernel and put ~10 KB into every figure.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio

FONT_STACK = '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif'
COLORS = {"common": "#4472C4", "goals": "#70AD47", "daily": "#ED7D31", "base": "#7F7F7F",
          "scenario": "#C00000"}
CONFIG = {"displaylogo": False, "responsive": True,
          "toImageButtonOptions": {"format": "png", "scale": 2}}
PLOTLY_MIME = "application/vnd.plotly.v1+json"
GRID = "#E5ECF6"
AXIS = {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": "#BFBFBF", "automargin": True}

pio.templates["kaohe"] = {"layout": {
    "paper_bgcolor": "white", "plot_bgcolor": "white", "xaxis": AXIS, "yaxis": AXIS,
    "font": {"family": FONT_STACK, "size": 13, "color": "#262626"},
    "colorway": ["#4472C4", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#A5A5A5", "#264478",
                 "#9E480E", "#636363", "#997300", "#255E91", "#43682B"],
    "hoverlabel": {"font": {"family": FONT_STACK}},
}}
pio.templates.default = "kaohe"


def style(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the report style: CJK fonts, white background, title."""
    fig.update_layout(
        font={"family": FONT_STACK, "size": 13},
        title={"text": title, "x": 0.01} if title else None,
        margin={"l": 60, "r": 30, "t": 60 if title else 30, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **({"height": height} if height else {}),
    )
    return fig


def _html(spec: dict, div_id: str) -> str:
    """A figure's JSON spec as an HTML div with a fixed id that draws it (plotly.js is
    loaded by the page, once)."""
    height = spec.get("layout", {}).get("height")
    size = f"height:{height}px; width:100%;" if height else "height:100%; width:100%;"
    args = ", ".join(json.dumps(spec.get(k, {}), ensure_ascii=False, separators=(",", ":"))
                     for k in ("data", "layout"))
    config = json.dumps(CONFIG, separators=(",", ":"))
    return (f'<div id="{div_id}" class="plotly-graph-div" style="{size}"></div>'
            f'<script type="text/javascript">if (document.getElementById("{div_id}")) '
            f'{{Plotly.newPlot("{div_id}", {args}, {config});}}</script>')


def html(fig: go.Figure, div_id: str) -> str:
    """The figure as an HTML fragment with a fixed div id; plotly.js not included."""
    return _html(json.loads(fig.to_json()), div_id)


class Chart:
    """A figure as notebooks display it: plotly JSON for JupyterLab, HTML for exports."""

    def __init__(self, fig: go.Figure, div_id: str):
        self.fig = fig
        self.div_id = div_id

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec = json.loads(self.fig.to_json())
        return {PLOTLY_MIME: {**spec, "config": CONFIG}, "text/html": _html(spec, self.div_id),
                "text/plain": f"<图表 {self.div_id}>"}

    def _repr_html_(self) -> str:
        return html(self.fig, self.div_id)


def show(fig: go.Figure, div_id: str) -> Chart:
    """Display a figure with a stable id (see the module docstring)."""
    return Chart(fig, div_id)


def plotlyjs_script() -> str:
    """plotly.js as one inline <script> (≈ 4.8 MB, from the installed plotly package)."""
    from plotly.offline import get_plotlyjs

    return f'<script type="text/javascript">{get_plotlyjs()}</script>'
