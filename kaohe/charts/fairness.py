"""Figures of the fairness and what-if analysis (plotly; Chinese labels; see ``style``)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kaohe.charts.style import COLORS, SYMBOLS, placed_labels, style
from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.rulebook import rules

PALETTE = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E",
           "#636363", "#997300", "#255E91", "#43682B", "#698ED0", "#F1975A", "#B7B7B7", "#FFCD33"]


def rank_flow_figure(flow: pd.DataFrame, title: str | None = None, height: int | None = None,
                     width: int | None = None) -> go.Figure:
    """Bump chart: one line per unit through the stages (columns unit, stage, rank), rank 1 on top."""
    title = title or _("rank changes")
    stages = list(dict.fromkeys(flow["stage"]))
    fig = go.Figure()
    first = flow[flow["stage"] == stages[0]].set_index("unit")["rank"]
    units = list(first.sort_values(kind="stable").index)
    n = flow["rank"].max()
    for i, unit in enumerate(units):
        g = flow[flow["unit"] == unit].set_index("stage").loc[stages]
        r = g["rank"].to_numpy()
        fig.add_trace(go.Scatter(
            x=stages, y=r, mode="lines+markers", name=unit, line={"width": 2, "color": PALETTE[i % 16]},
            marker={"size": 9}, hovertemplate=f"{unit}<br>%{{x}}" + _(": ") + _("rank %{y}") + "<extra></extra>"))
    for side, stage, anchor in ((0, stages[0], "right"), (1, stages[-1], "left")):
        col = flow[flow["stage"] == stage]
        for r in col.itertuples():
            fig.add_annotation(x=stage, y=r.rank, text=f"{r.rank} {r.unit}" if side == 0 else f"{r.unit} {r.rank}",
                               xanchor=anchor, showarrow=False, xshift=-10 if side == 0 else 10,
                               font={"size": 11})
    fig.update_yaxes(autorange=False, range=[n + 0.5, 0.5], dtick=1, showticklabels=False, title=None)
    fig.update_xaxes(type="category")
    style(fig, title, height or max(360, 28 * n + 120))
    fig.update_layout(showlegend=False, margin={"l": 190, "r": 190}, **({"width": width} if width else {}))
    return fig


def rank_dots(flow: pd.DataFrame, title: str, base: str | None = None) -> go.Figure:
    """Independent alternatives as a dot plot: one row per unit (ordered by the first stage,
    the rule), its rank under the rule (open diamond) and under each alternative (a marker
    of its own), never a line through the alternatives as if they were a sequence."""
    stages = list(dict.fromkeys(flow["stage"]))
    base = base or stages[0]
    first = flow[flow["stage"] == base].set_index("unit")["rank"]
    units = list(first.sort_values(kind="stable").index)
    row = {u: i for i, u in enumerate(units)}
    others = [s for s in stages if s != base]
    n = int(flow["rank"].max())
    fig = go.Figure()
    width = 0.6
    for k, stage in enumerate(others):
        g = flow[flow["stage"] == stage]
        off = (k - (len(others) - 1) / 2) * (width / max(len(others), 1))
        fig.add_trace(go.Scatter(
            x=[int(r) for r in g["rank"]], y=[row[u] + off for u in g["unit"]], mode="markers", name=stage,
            marker={"size": 9, "color": PALETTE[(k + 1) % 16], "symbol": SYMBOLS[(k + 1) % len(SYMBOLS)]},
            customdata=list(g["unit"]), hovertemplate="%{customdata}<br>" + stage + _(": ") + _("rank %{x}") + "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[int(first[u]) for u in units], y=list(range(len(units))), mode="markers", name=base,
        marker={"size": 15, "symbol": "diamond-open", "color": "#262626", "line": {"width": 2}},
        customdata=units, hovertemplate="%{customdata}<br>" + base + _(": ") + _("rank %{x}") + "<extra></extra>"))
    fig.update_xaxes(range=[0.5, n + 0.5], dtick=1, title=_("rank (1 is best)"))
    fig.update_yaxes(tickvals=list(range(len(units))), ticktext=units, autorange=False,
                     range=[len(units) - 0.5, -0.5], showgrid=False)
    style(fig, title, max(380, 34 * len(units) + 160))
    fig.update_layout(margin={"t": 90 if title else 50})
    return fig


def denominator_figure(long: pd.DataFrame) -> go.Figure:
    """The ranks under each denominator against the rule's (a dot plot)."""
    flow = long.assign(stage=long["denominator"].map(lambda d: labels.denominator(rules.load(), d)))
    return rank_dots(flow[["unit", "stage", "rank"]], _("ranks under each divisor"),
                     base=labels.denominator(rules.load(), "staff"))


def size_bias_figure(long: pd.DataFrame, rule: str = "staff") -> go.Figure:
    """Staff against daily points (left) and against the per-capita daily score (right); no
    fitted line (the text quotes Spearman's ρ, a rank statistic), labels placed apart."""
    g = long[long["denominator"] == rule]
    staff = [float(v) for v in g["staff"]]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels.header("daily_points"),
                                                        _("daily score per head (divided by staff)")),
                        horizontal_spacing=0.12)
    for col, y in ((1, [float(v) for v in g["daily_points"]]), (2, [float(v) for v in g["daily"]])):
        names = list(g["unit"])
        fig.add_trace(go.Scatter(x=staff, y=y, mode="markers+text", cliponaxis=False, hovertext=names,
                                 **placed_labels(staff, y, names, 560, 520, 10), textfont={"size": 10},
                                 marker={"size": 10, "color": COLORS["daily"]},
                                 hovertemplate="%{hovertext}<br>" + _("staff") + " %{x}<br>%{y:.2f}<extra></extra>"),
                      row=1, col=col)
        pad = (max(y) - min(y)) * 0.12 or 1
        fig.update_yaxes(range=[min(y) - pad, max(y) + pad], row=1, col=col)
    pad = (max(staff) - min(staff)) * 0.2 or 1
    fig.update_xaxes(title=labels.header("staff"), range=[min(staff) - pad, max(staff) + pad])
    style(fig, _("size effect: staff and the daily work score"), 520)
    fig.update_layout(showlegend=False)
    return fig


def uncertainty_figure(table: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Median rank with the Q5–Q95 interval per unit, ordered by nominal rank (best on top)."""
    title = title or _("rank intervals (median and 5%–95% quantiles)")
    t = table.sort_values("nominal", kind="stable")
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=t["median"], y=t["unit"], mode="markers", name=_("median"),
        marker={"size": 11, "color": COLORS["scenario"]},
        error_x={"type": "data", "symmetric": False, "array": t["q95"] - t["median"],
                 "arrayminus": t["median"] - t["q5"], "thickness": 2, "width": 6},
        customdata=t[["q5", "q95", "mean"]].to_numpy(),
        hovertemplate="%{y}<br>" + _("median") + " %{x}<br>" + _("interval") + " %{customdata[0]}–%{customdata[1]}"
                      "<br>" + _("mean") + " %{customdata[2]:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=t["nominal"], y=t["unit"], mode="markers", name=labels.header("rank_base"),
                             marker={"symbol": "diamond-open", "size": 12, "color": COLORS["base"],
                                     "line": {"width": 2}}))
    n = int(max(t["q95"].max(), t["nominal"].max()))
    fig.update_xaxes(range=[0.5, n + 0.5], dtick=1, title=labels.header("rank"))
    fig.update_yaxes(autorange="reversed", type="category")
    return style(fig, title, max(360, 30 * len(t) + 120))


def sensitivity_figure(table: pd.DataFrame, title: str | None = None) -> go.Figure:
    """First-order (Si) and total (STi) indices per rulebook part, with bootstrap intervals."""
    title = title or _("sensitivity of the ranks to the parts of the rulebook")
    fig = go.Figure()
    for col, color in (("Si", COLORS["common"]), ("STi", COLORS["daily"])):
        name = labels.header(col)
        lo, hi = table[f"{col}_lo"], table[f"{col}_hi"]
        err = None
        if lo.notna().any():
            err = {"type": "data", "symmetric": False, "array": (hi - table[col]).clip(lower=0),
                   "arrayminus": (table[col] - lo).clip(lower=0)}
        fig.add_trace(go.Bar(x=table["zh"], y=table[col], name=name, marker_color=color, error_y=err))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=_("index (share of variance)"), rangemode="tozero")
    return style(fig, title, 420)


def weights_figure(w: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Per component: share of the total's variance and correlation with the total."""
    title = title or _("effective weights of the parts")
    names = [r.zh + "<br>" + (_("(full marks {n})").format(n=f"{r.nominal_max:g}") if pd.notna(r.nominal_max)
                               else _("(no upper limit)")) for r in w.itertuples()]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=w["var_share"], name=labels.header("var_share"), marker_color=COLORS["daily"],
                         text=[f"{v:.0%}" if pd.notna(v) else "—" for v in w["var_share"]], textposition="outside"))
    fig.add_trace(go.Bar(x=names, y=w["corr"], name=_("correlation with the total"), marker_color=COLORS["common"],
                         text=[f"{v:.2f}" if pd.notna(v) else "—" for v in w["corr"]], textposition="outside"))
    if w["var_share"].isna().all():  # every total the same (one unit, or all tied): nothing to share
        fig.add_annotation(text=_("every unit has the same total: no part decides the ranking"), showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=_("share / correlation"))
    return style(fig, title, 420)
