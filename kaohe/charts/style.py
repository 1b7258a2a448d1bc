"""Chart style and offline display: Chinese font stack, one plotly.js per page, stable ids.

In a kernel, plotly ≥ 6 renders as a JSON mimetype that nbconvert drops, so an HTML export
would show empty charts. Notebooks therefore call :func:`plotlyjs` once (the library,
embedded, no CDN) and :func:`show` for each figure (an HTML div with a fixed id, so that
outputs stay stable for nbval).
"""

from __future__ import annotations

import plotly.graph_objects as go

FONT_STACK = '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif'
COLORS = {"common": "#4472C4", "goals": "#70AD47", "daily": "#ED7D31", "base": "#7F7F7F",
          "scenario": "#C00000"}
CONFIG = {"displaylogo": False, "responsive": True,
          "toImageButtonOptions": {"format": "png", "scale": 2}}


def style(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the report style: CJK fonts, white background, title."""
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_STACK, "size": 13},
        title={"text": title, "x": 0.01} if title else None,
        margin={"l": 60, "r": 30, "t": 60 if title else 30, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **({"height": height} if height else {}),
    )
    return fig


def html(fig: go.Figure, div_id: str) -> str:
    """The figure as an HTML fragment with a fixed div id; plotly.js not included."""
    return fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                       div_id=div_id, config=CONFIG)


def plotlyjs():
    """plotly.js embedded once per notebook/page (offline; no CDN)."""
    from IPython.display import HTML
    from plotly.offline import get_plotlyjs

    return HTML(f'<script type="text/javascript">{get_plotlyjs()}</script>')


def show(fig: go.Figure, div_id: str):
    """Display a figure as a stable HTML div (needs :func:`plotlyjs` earlier on the page)."""
    from IPython.display import HTML

    return HTML(html(fig, div_id))
