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

import html as _html_mod
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from kaohe.core.i18n import _

FONT_STACK = '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif'
COLORS = {"common": "#4472C4", "goals": "#70AD47", "daily": "#ED7D31", "base": "#7F7F7F",
          "scenario": "#C00000"}
# The toolbar cut to what a reader needs (下载图片, 缩放, 复原), in the page's language (the zh-CN
# locale is registered by the page; see ``config``); no button or link that can send a chart anywhere.
CONFIG = {"displaylogo": False, "responsive": True, "locale": "zh-CN", "showLink": False,
          "showSendToCloud": False, "showEditInChartStudio": False, "plotlyServerURL": "",
          "modeBarButtons": [["toImage", "zoom2d", "resetScale2d"]],
          "toImageButtonOptions": {"format": "png", "scale": 2}}
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def config() -> dict:
    """:data:`CONFIG` for the language in use (the toolbar's words: Chinese or English)."""
    from kaohe.core import labels

    return CONFIG if labels.zh() else {**CONFIG, "locale": "en"}
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


_JS_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
               0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(obj) -> str:
    """JSON safe inside an HTML <script> element: ``<``, ``>``, ``&``, U+2028 and U+2029 as
    ``\\uXXXX`` escapes, so no text (a unit named ``</script>…``) can end the script."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).translate(_JS_ESCAPES)


def _html(spec: dict, div_id: str) -> str:
    """A figure's JSON spec as an HTML div with a fixed id that draws it (plotly.js is
    loaded by the page, once)."""
    height = spec.get("layout", {}).get("height")
    size = f"height:{height}px; width:100%;" if height else "height:100%; width:100%;"
    args = ", ".join(script_json(spec.get(k, {})) for k in ("data", "layout"))
    key = script_json(div_id)
    return (f'<div id="{_html_mod.escape(div_id)}" class="plotly-graph-div" style="{size}"></div>'
            f'<script type="text/javascript">if (document.getElementById({key})) '
            f'{{Plotly.newPlot({key}, {args}, {script_json(config())});}}</script>')


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
        return {PLOTLY_MIME: {**spec, "config": config()}, "text/html": _html(spec, self.div_id),
                "text/plain": _("<chart {id}>").format(id=self.div_id)}

    def _repr_html_(self) -> str:
        return html(self.fig, self.div_id)


def show(fig: go.Figure, div_id: str) -> Chart:
    """Display a figure with a stable id (see the module docstring)."""
    return Chart(fig, div_id)


def plotlyjs_script() -> str:
    """plotly.js with its Chinese locale as inline <script> elements (see ``bundle``)."""
    from kaohe.charts import bundle

    return bundle.script()


# Twelve colours a reader can tell apart (Tableau 10 and two more), with marker symbols as a
# second cue for the colour-blind and for print in grey.
DISTINCT = ["#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
            "#9C755F", "#BAB0AC", "#1F3A93", "#8C564B"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star",
           "hexagon", "pentagon", "circle-open", "square-open"]


def label_positions(x, y, texts, width: int = 900, height: int = 480, size: int = 11) -> list[str]:
    """A text position per labelled point such that labels overlap neither each other nor
    other points, as far as four places around each point allow (estimated in pixels from
    the data ranges and the plot size; CJK characters ≈ one font size wide); "" where none
    of the four is free."""
    xs, ys = [float(v) for v in x], [float(v) for v in y]
    if not xs:
        return []
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    sx = (width - 160) / ((x1 - x0) or 1) / 1.2
    sy = (height - 140) / ((y1 - y0) or 1) / 1.2
    pts = [((a - x0) * sx, (y1 - b) * sy) for a, b in zip(xs, ys)]
    boxes: list[tuple[float, float, float, float]] = [(px - 6, py - 6, px + 6, py + 6) for px, py in pts]
    order = sorted(range(len(pts)), key=lambda i: (-ys[i], xs[i]))
    out = ["top center"] * len(pts)

    def box(i: int, where: str):
        px, py = pts[i]
        w, h = size * len(str(texts[i])) + 4, size + 4
        return {"top center": (px - w / 2, py - 8 - h, px + w / 2, py - 8),
                "bottom center": (px - w / 2, py + 8, px + w / 2, py + 8 + h),
                "middle right": (px + 8, py - h / 2, px + 8 + w, py + h / 2),
                "middle left": (px - 8 - w, py - h / 2, px - 8, py + h / 2)}[where]

    def clash(b) -> int:
        return sum(not (b[2] <= c[0] or c[2] <= b[0] or b[3] <= c[1] or c[3] <= b[1]) for c in boxes)

    for i in order:
        choices = ("top center", "bottom center", "middle right", "middle left")
        best = min(choices, key=lambda w: (clash(box(i, w)), choices.index(w)))
        if clash(box(i, best)):
            out[i] = ""  # no room: the name is in the hover label (and the table beside)
            continue
        out[i] = best
        boxes.append(box(i, best))
    return out


def placed_labels(x, y, texts, width: int = 900, height: int = 480, size: int = 11) -> dict:
    """``text`` and ``textposition`` for a scatter trace from :func:`label_positions` (a
    label without room left out)."""
    pos = label_positions(x, y, texts, width, height, size)
    return {"text": [t if p else "" for t, p in zip(texts, pos)],
            "textposition": [p or "top center" for p in pos]}


def number(v, decimals: int = 2) -> str:
    """A figure as text, alike in text, tables and charts: floats to ``decimals`` places,
    exact Decimals as they are, never 「-0.00」, a minus sign for negatives."""
    text = f"{float(v):.{decimals}f}" if isinstance(v, (float, np.floating)) else str(v)
    if text.startswith("-") and not text.strip("-0.").strip():
        text = text[1:]
    return text.replace("-", "−")


def percent(v, decimals: int = 0) -> str:
    """A share as a percentage: 0.31 → 「31%」."""
    return number(float(v) * 100, decimals) + "%"
