"""The charts of the annual report, built from the frames of :mod:`kaohe.views`.

Each function takes a view and returns a styled plotly figure (or ``None`` when there is
nothing to draw, e.g. a trend over a single year). Numbers are the published ones.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kaohe.charts.style import COLORS, DISTINCT, SYMBOLS, number, placed_labels, style
from kaohe.core import labels
from kaohe.core.i18n import _

ROW_PX = 34  # height per unit row in horizontal charts


def _f(values) -> list[float]:
    return [float(v) for v in values]


def _nth(value, rank) -> str:
    """「44.50（第7）」: a figure with its rank."""
    return _("{value} (rank {rank})").format(value=f"{value:.2f}", rank=rank)


def _height(n: int, extra: int = 140) -> int:
    return max(320, n * ROW_PX + extra)


def components_bar(comp, title: str | None = None) -> go.Figure:
    """Stacked horizontal bars per unit: common / goals / daily, best unit on top."""
    title = title or _("the three parts of the total (by rank)")
    units = list(comp["unit"])
    fig = go.Figure()
    for col in ("common", "goals", "daily"):
        name = labels.header(col)  # the components' names: one home, kaohe.core.labels
        fig.add_trace(go.Bar(
            y=units, x=_f(comp[col]), name=name, orientation="h", marker_color=COLORS[col],
            text=[f"{v:.2f}" for v in comp[col]], textposition="inside", insidetextanchor="middle",
            hovertemplate="%{y}<br>" + name + _(": ") + "%{x:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        y=units, x=_f(comp["total"]), mode="text", text=[f"{v:.2f}" for v in comp["total"]],
        textposition="middle right", name=labels.header("total"), showlegend=False,
        hovertemplate="%{y}<br>" + labels.header("total") + _(": ") + "%{x:.2f}<extra></extra>"))
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text=_("points"), range=[0, float(max(comp["total"], default=0)) * 1.08 + 1])
    fig = style(fig, title, _height(len(units)))
    fig.update_layout(legend={"x": 1, "xanchor": "right"})  # clear of the title
    return fig


def per_capita_bars(pc, title: str | None = None) -> go.Figure:
    """Daily points before division (left) and the per-capita score after it (right)."""
    title = title or _("daily work points: before and after division by staff")
    units = list(pc["unit"])
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=(_("daily points (before division by staff)"), _("daily work score (after division by staff)")))
    fig.add_trace(go.Bar(
        y=units, x=_f(pc["daily_points"]), orientation="h", marker_color=COLORS["base"],
        name=_("daily points"), text=[_nth(v, r) for v, r in zip(pc["daily_points"], pc["rank_points"])],
        textposition="auto", hovertemplate="%{y}<br>" + _("daily points") + _(": ") + "%{x:.2f}<extra></extra>"), 1, 1)
    fig.add_trace(go.Bar(
        y=units, x=_f(pc["daily"]), orientation="h", marker_color=COLORS["daily"],
        name=_("score per head"), text=[_nth(v, r) for v, r in zip(pc["daily"], pc["rank_daily"])],
        textposition="auto", hovertemplate="%{y}<br>" + _("score per head") + _(": ") + "%{x:.2f}<extra></extra>"), 1, 2)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(showlegend=False)
    return style(fig, title, _height(len(units)))


def staff_scatter(pc, title: str | None = None) -> go.Figure:
    """Staff (x) against the per-capita daily score (y), one labelled point per unit (labels
    placed clear of each other); the marker area shows the points before division."""
    title = title or _("staff and the daily work score per head")
    pts = _f(pc["daily_points"])
    top = max(pts, default=1) or 1
    xs, ys, names = _f(pc["staff"]), _f(pc["daily"]), list(pc["unit"])
    fig = go.Figure(go.Scatter(
        x=xs, y=ys, mode="markers+text", cliponaxis=False, **placed_labels(xs, ys, names, 1000, 560),
        textfont={"size": 11}, hovertext=names,
        marker={"size": [10 + 30 * (max(p, 0) / top) ** 0.5 for p in pts], "color": COLORS["daily"],
                "opacity": 0.75, "line": {"width": 1, "color": "white"}},
        customdata=[number(p) for p in pts],
        hovertemplate="%{hovertext}<br>" + _("staff") + _(": ") + "%{x:.2f}<br>" + _("score per head") + _(": ") + "%{y:.2f}<br>"
                      + _("daily points") + _(": ") + "%{customdata}<extra></extra>"))
    fig.update_xaxes(title_text=labels.header("staff"), range=_padded(xs, 0.15))
    fig.update_yaxes(title_text=_("daily work score (per head)"), range=_padded(ys, 0.12))
    return style(fig, title, 560)


def _padded(values, share: float) -> list[float]:
    lo, hi = min(values, default=0), max(values, default=1)
    pad = (hi - lo) * share or 1
    return [lo - pad, hi + pad]


def _by_last_rank(years):
    """(unit, its rows) in the order of the latest period's ranks; units gone by then last."""
    periods = list(dict.fromkeys(years["label"]))
    last = years[years["label"] == periods[-1]].sort_values("rank", kind="stable")
    for unit in last["unit"].tolist() + sorted(set(years["unit"]) - set(last["unit"])):
        yield unit, years[years["unit"] == unit]


def rank_bump(years, title: str | None = None) -> go.Figure | None:
    """A bump chart: each unit's published rank per year (1 on top, axis 1…N), each line
    labelled with the unit at both ends, colours and marker symbols told apart."""
    title = title or _("ranks over the years")
    if not len(years):
        return None
    fig = go.Figure()
    periods = list(dict.fromkeys(years["label"]))
    notes = []
    for i, (unit, u) in enumerate(_by_last_rank(years)):
        color = DISTINCT[i % len(DISTINCT)]
        fig.add_trace(go.Scatter(
            x=list(u["label"]), y=[int(r) for r in u["rank"]], mode="lines+markers", name=unit,
            marker={"size": 11, "symbol": SYMBOLS[i % len(SYMBOLS)], "color": color}, line={"width": 2.5, "color": color},
            hovertemplate=unit + "<br>%{x}" + _(": ") + _("rank %{y}") + "<extra></extra>"))
        for pos, side in ((0, "right"), (len(periods) - 1, "left")):
            at = u[u["label"] == periods[pos]]
            if len(at):
                r = int(at["rank"].iloc[0])
                # the category's index: a label like "2024" would be read as index 2024
                notes.append({"x": pos, "y": r, "text": f"{unit} {r}" if side == "left" else f"{r} {unit}",
                              "xanchor": side, "xshift": 12 if side == "left" else -12, "showarrow": False,
                              "font": {"size": 11, "color": color}})
    n = int(years["rank"].max())
    fig.update_yaxes(autorange=False, title_text=labels.header("rank"), dtick=1, range=[n + 0.5, 0.5], tick0=1)
    fig.update_xaxes(type="category", title_text=labels.header("year"))
    fig = style(fig, title, max(420, n * 32 + 120))
    fig.update_layout(showlegend=False, margin={"l": 230, "r": 230}, annotations=notes)
    return fig


def totals_over_time(years, title: str | None = None) -> go.Figure | None:
    """Each unit's published total per year."""
    title = title or _("totals over the years")
    if not len(years):
        return None
    fig = go.Figure()
    for unit, u in _by_last_rank(years):
        fig.add_trace(go.Scatter(
            x=list(u["label"]), y=_f(u["total"]), mode="lines+markers", name=unit,
            hovertemplate=unit + "<br>%{x}" + _(": ") + "%{y:.2f}<extra></extra>"))
    fig.update_xaxes(type="category", title_text=labels.header("year"))
    fig.update_yaxes(title_text=labels.header("total"))
    fig = style(fig, title, 460)
    fig.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1, "yanchor": "top"},
                      margin={"r": 220})
    return fig


def section_heatmap(points, labels: dict[str, str], title: str | None = None) -> go.Figure:
    """Units × sections: points of the year's records (negative: deductions)."""
    title = title or _("where the points come from: units × clause groups")
    cols = list(points.columns)
    z = [[float(v) for v in row] for row in points.to_numpy()]
    text = [[("" if v == 0 else f"{float(v):.2f}") for v in row] for row in points.to_numpy()]
    span = max((abs(v) for row in z for v in row), default=1) or 1
    fig = go.Figure(go.Heatmap(
        z=z, x=[labels.get(c, c) for c in cols], y=list(points.index), text=text,
        texttemplate="%{text}", colorscale="RdBu", zmid=0, zmin=-span, zmax=span,
        colorbar={"title": {"text": _("pts")}},
        hovertemplate="%{y}<br>%{x}" + _(": ") + "%{z:.2f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", tickangle=0)
    return style(fig, title, _height(len(points), 180))
