"""What a report notebook displays: escaped HTML tables with Chinese headers, headings,
notes and charts with fixed ids (stable outputs for nbval, offline HTML export).

Every function returns an ``IPython.display.HTML`` object; a notebook cell just calls one.
"""

from __future__ import annotations

import html as _html
from decimal import Decimal

import numpy as np
import pandas as pd

from kaohe.charts import style
from kaohe.charts.style import number, percent
from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.output.views import HEADERS, Annual

CSS = """
.kaohe, .kaohe-table, .kaohe-title, .kaohe-note, .kaohe-details { font-family: FONT_STACK; }
.kaohe-title h1 { font-size: 1.7em; margin: 0.2em 0 0.3em 0; }
.kaohe-title p { color: #555; margin: 0.15em 0; }
.kaohe-table { border-collapse: collapse; margin: 0.4em 0 1em 0; font-size: 13px; }
.kaohe-table caption { caption-side: top; text-align: left; font-weight: bold; padding: 4px 0; }
table.kaohe-table th { background: #D9E1F2; border: 1px solid #8EA9DB; padding: 4px 8px;
                        white-space: nowrap; text-align: center !important; }
table.kaohe-table td { border: 1px solid #BFBFBF; padding: 3px 8px; text-align: left !important;
                        white-space: nowrap; }
table.kaohe-table td.long { white-space: normal; min-width: 14em; }
table.kaohe-table td.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kaohe-table tr.hi td { background: #FCE4D6; }
.kaohe-note { color: #555; font-size: 13px; margin: 0.3em 0 0.8em 0; }
.kaohe-details summary { cursor: pointer; color: #2F5597; margin: 0.4em 0; }
@media screen { .kaohe-details > table > caption { display: none; } }
.kaohe-overview { font-size: 15px; line-height: 1.8; max-width: 60em; margin: 0.4em 0 1em 0; }
.kaohe-profile { border-top: 1px solid #BFBFBF; margin: 0.8em 0; }
.kaohe-profile h3 { margin: 0.5em 0 0.2em 0; }
.kaohe-profile-parts { display: flex; flex-wrap: wrap; gap: 0 1.5em; align-items: flex-start; }
""".replace("FONT_STACK", style.FONT_STACK)


LONG = 24  # text longer than this may wrap in its cell


def _html_obj(text: str):
    from IPython.display import HTML

    return HTML(text)


def _cell(v, kind: str = "") -> tuple[str, bool]:
    """(escaped text, is a number); ``kind``: "p" (p values), "%" (shares)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return "", False
    if isinstance(v, (bool, np.bool_)):
        return labels.yes_no(bool(v)), False
    if kind == "p" and isinstance(v, (float, np.floating, Decimal)):
        return ("&lt; 0.01" if float(v) < 0.01 else f"{float(v):.2f}"), True
    if kind == "%" and isinstance(v, (float, np.floating, Decimal, int)):
        return percent(v), True
    if isinstance(v, (int, Decimal, float, np.floating)) or hasattr(v, "dtype"):
        return _html.escape(number(v)), True
    return _html.escape(str(v)), False


STICKY = ("unit", "scenario", "zh")  # the first of these columns stays in view in a wide table
P_COLUMNS = ("p",)
SHARE_COLUMNS = ("var_share",)
WHOLE_ROWS = 20  # a table of no more rows prints on one page (class kaohe-whole)


def table_html(df: pd.DataFrame, headers: dict[str, str] | None = None, caption: str = "",
               highlight=None, index: bool = False, colors=None) -> str:
    """A DataFrame as an escaped HTML table with Chinese headers (numbers right-aligned, p
    values and shares formatted, the unit column sticky; a short table marked to print
    whole). ``colors``: a frame of CSS background colours (or "") aligned with ``df``."""
    heads = {**HEADERS, **(headers or {})}
    if index:
        df = df.reset_index()
    cols = list(df.columns)
    kinds = ["p" if str(c) in P_COLUMNS else "%" if str(c) in SHARE_COLUMNS else "" for c in cols]
    sticky = next((i for i, c in enumerate(cols) if str(c) in STICKY), None)
    out = ['<table class="kaohe-table kaohe-whole">' if len(df) <= WHOLE_ROWS else '<table class="kaohe-table">']
    if caption:
        out.append(f"<caption>{_html.escape(caption)}</caption>")
    sticky_th = ' class="sticky"'
    out.append("<thead><tr>" + "".join(
        f"<th{sticky_th if i == sticky else ''}>{_html.escape(heads.get(str(c), str(c)))}</th>"
        for i, c in enumerate(cols)) + "</tr></thead><tbody>")
    marks = list(highlight) if highlight is not None else [False] * len(df)
    fills = colors.to_numpy() if colors is not None else None
    for r, (row, hi) in enumerate(zip(df.itertuples(index=False), marks)):
        cells = []
        for i, v in enumerate(row):
            text, num = _cell(v, kinds[i])
            cls = ["num"] if num else (["long"] if len(text) > LONG else [])
            if i == sticky:
                cls.append("sticky")
            attr = f' class="{" ".join(cls)}"' if cls else ""
            if fills is not None and fills[r, i]:
                attr += f' style="background:{fills[r, i]}"'
            cells.append(f"<td{attr}>{text}</td>")
        out.append(("<tr class=\"hi\">" if hi else "<tr>") + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def table(df: pd.DataFrame, headers: dict[str, str] | None = None, caption: str = "", highlight=None,
          collapsed: str = "", note: str = "", index: bool = False, hide=(), empty: str = ""):
    """Display a table. ``highlight``: a boolean column's name (or a mask) marking rows to
    fill; ``hide``: columns not shown; ``collapsed="…"``: in a <details> block with that
    summary (printed open, titled by ``caption``, which the screen leaves to the summary); ``empty``: the note shown instead of a table without rows."""
    if empty and not len(df):
        return _html_obj(_note(empty))
    if isinstance(highlight, str):
        hide = (*hide, highlight)
        highlight = df[highlight].to_numpy(dtype=bool)
    if hide:
        df = df.drop(columns=list(hide))
    body = table_html(df, headers, caption, highlight, index)
    if collapsed:
        body = (f'<details class="kaohe-details"><summary>{_html.escape(collapsed)}</summary>'
                f"{body}</details>")
    if note:
        body += _note(note)
    return _html_obj(body)


def _note(text: str) -> str:
    return f'<p class="kaohe-note">{_html.escape(text)}</p>'


def note(text: str):
    """A short explanatory line."""
    return _html_obj(_note(text))


def setup():
    """The report's style sheet: the first output (plotly.js goes into the exported page's
    head, see ``kaohe.report.generation.export_html``)."""
    return _html_obj(f"<style>{CSS}</style>")


def _title_lines(title: str) -> list[str]:
    return [_("Data set: {title}").format(title=title)] if title else []


def heading(report: Annual, title: str = ""):
    """The report's H1 (the page's title too), the data set's title (``kaohe report
    --title``), period and whether rule parameters were changed."""
    rb = report.scores.rulebook
    changed = rb.changed()
    lines = [*_title_lines(title),
             _("Period: {period}").format(period=(
                 _("1 January to 30 June {year} (annual goals count as in progress, none as missed)")
                 if report.period == "H1" else _("the whole year {year}")).format(year=report.year))]
    rules = _("Rules: {title}").format(title=rb.title if labels.zh() else _("the assessment regulation"))
    lines.append(rules + (_("; {n} parameters changed").format(n=len(changed)) if changed
                          else _(" (every parameter as the regulation sets it)")))
    body = "".join(f"<p>{_html.escape(s)}</p>" for s in lines)
    return _html_obj(f'<div class="kaohe-title"><h1>{_html.escape(report.title)}</h1>{body}</div>')


def page_heading(report: Annual, what: str, title: str = "", line: str = ""):
    """H1 「2024年度考核公平性分析」 (``what``: the page's subject), the data set's title and
    one line more."""
    lines = [*_title_lines(title), *([line] if line else [])]
    body = "".join(f"<p>{_html.escape(s)}</p>" for s in lines)
    from kaohe.output.views import page_title

    heading = page_title(what, report.year, report.period)
    return _html_obj(f'<div class="kaohe-title"><h1>{_html.escape(heading)}</h1>{body}</div>')


def scenario_files(value=None) -> list:
    """The what-if notebook's scenario files: ``value`` as given, or kaohe's example scenarios
    for None (:func:`kaohe.report.defaults.scenarios`)."""
    from kaohe.report import defaults

    return defaults.scenarios(value)


# ------------------------------------------------------------------ the annual report's words
def overview(report: Annual):
    """The 综述 paragraph (see :func:`kaohe.output.summary.overview`)."""
    from kaohe.output import summary

    text = labels.pick(("", " ")).join(summary.overview(report.scores, report.year, report.period))
    return _html_obj(f'<p class="kaohe-overview">{_html.escape(text)}</p>')


def results(report: Annual):
    """The results table with 上年名次 and 升降 (a first year says once that there is no
    earlier year)."""
    from kaohe.output import views

    sc, year, period = report.scores, report.year, report.period
    t = views.results(sc, year, period)
    notes = [_("Total = common indicators + annual goals + daily work score; each figure is published "
               "rounded half up to two decimals, ranks follow the published totals, tied units share a "
               "rank. Units that lost eligibility for commendation are shaded.")]
    prev = views.compared_with(sc, year, period)
    half = period == "H1"
    if prev is not None:  # a first year says so once, under 历年比较
        notes.append((_("Rank {prev}: the rank in the first half of {prev} (to 30 June, counted the same "
                        "way); move: ↑ up, ↓ down, — unchanged, new: not ranked then.") if half
                      else _("Rank {prev}: the rank in {prev}; move: ↑ up, ↓ down, — unchanged, new: not "
                             "ranked in {prev}.")).format(prev=prev))
    head = (_("rank H1 {prev}") if half else _("rank {prev}")).format(prev=prev) if prev else ""
    return table(t, {"prev_rank": head, "move": _("move")},
                 highlight="ineligible", note=labels.pick(("", " ")).join(notes))


def _tint(values, rgb: tuple[int, int, int]) -> list[str]:
    """Background colours: the larger |v| the stronger, any non-zero value at least faintly
    (a −0.2 deduction stays visible next to −5)."""
    v = np.abs(np.array([float(x) for x in values], dtype=float))
    top = v.max() if len(v) and v.max() > 0 else 1.0
    alpha = np.where(v > 0, 0.12 + 0.68 * np.sqrt(v / top), 0.0)
    return ["" if a == 0 else f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{a:.2f})" for a in alpha]


def heat_table(df: pd.DataFrame, caption: str, rgb: tuple[int, int, int], note: str = ""):
    """A units × clause table whose cells are tinted by size (scale of that table alone)."""
    flat = _tint(df.to_numpy().ravel(), rgb)
    colors = pd.DataFrame(np.array(flat, dtype=object).reshape(df.shape), index=df.index, columns=df.columns)
    colors.insert(0, "unit", "")
    body = table_html(df.reset_index(), caption=caption, colors=colors)
    return _html_obj(body + (_note(note) if note else ""))


def sections(report: Annual):
    """Where the points come from: deductions (by clause) and per-capita daily points (by
    clause group) in two tables, each on its own colour scale."""
    from kaohe.core import labels as kaohe_labels
    from kaohe.output import views

    sc, year = report.scores, report.year
    ded, per = views.section_split(sc, year)
    rb = sc.rulebook
    covers = {}
    for code, it in rb.items.items():
        covers.setdefault(it.clause, []).append(kaohe_labels.item(rb, code))
    semi, colon, comma = (kaohe_labels.pick(p) for p in (("；", "; "), ("：", ": "), ("、", ", ")))
    what = semi.join(f"{c}{colon}{comma.join(covers.get(c, []))}" for c in ded.columns if c in covers)
    labels = views.section_labels(rb)
    per = per.rename(columns=lambda c: labels.get(c, c))
    return (heat_table(ded, _("Deductions by clause (records of the year; red: the larger the "
                              "deduction the darker)"), (192, 0, 0), what),
            heat_table(per, _("Daily-work points by clause group, divided by the unit's staff as the rule "
                              "divides (blue: the more the darker)"), (68, 114, 196)))


def profiles(report: Annual):
    """A profile for every unit: its three parts, points by clause group with subtotals (the
    daily-work points as accumulated, then ÷ staff = the daily-work score), each
    deduction with its reason, its rank over the years, and against the median unit."""
    from kaohe.output import views

    sc, year = report.scores, report.year
    daily = labels.component(sc.rulebook, "daily")
    out = []
    for p in views.profiles(sc, year, report.period):
        r = p.row
        head = (f'<h3>{_html.escape(p.unit)}</h3><p class="kaohe-note">'
                + _html.escape(_("Rank {rank} · total {total} = common {common} + goals {goals} + daily "
                                 "{daily} (daily points {points} ÷ staff {staff}) · eligible: {eligible}").format(
                    rank=r["rank_label"], total=r["total"], common=r["common"], goals=r["goals"],
                    daily=r["daily"], points=r["daily_points"], staff=r["staff"], eligible=r["eligible_label"]))
                + "</p>")
        rows = []
        for comp, g in p.groups.groupby("component", sort=False):
            rows += [{"component": comp, "section": s, "points": v} for s, v in zip(g["section"], g["points"])]
            total = sum(g["points"], Decimal(0))
            if comp != daily:
                rows.append({"component": comp, "section": _("subtotal"), "points": total})
                continue
            # daily-work points are accumulated, then divided by staff: both lines, so the sum
            # is not read as the score
            rows += [{"component": comp, "section": _("accumulated points"), "points": total},
                     {"component": comp, "section": _("÷ staff {staff} = daily-work score").format(
                         staff=r["staff"]), "points": r["daily"]}]
        groups = pd.DataFrame(rows)
        # 分值: the points the rules give (deductions, full marks, accumulated daily points), not the score
        parts = [table_html(groups, {"section": _("clause group"), "points": _("points counted")},
                            _("Points by clause group"))]
        hist = p.history.rename(columns={"label": "year"})
        if len(hist):
            parts.append(table_html(hist, caption=_("Rank over the years")))
        med = p.median.rename(columns={"value": "unit_value"})
        med["diff"] = [f"+{d}" if d > 0 else number(d) for d in med["diff"]]
        parts.append(table_html(med, {"unit_value": p.unit, "median": _("median unit"),
                                      "diff": _("difference")}, _("Against the median unit")))
        ded = p.deductions[["clause", "item_zh", "date", "reason", "points"]]
        parts.append(table_html(ded, caption=_("Deductions and violations")) if len(ded)
                     else _note(_("No deduction this period.")))
        out.append(f'<section class="kaohe-profile">{head}<div class="kaohe-profile-parts">'
                   + "".join(f"<div>{x}</div>" for x in parts) + "</div></section>")
    return _html_obj("".join(out))


def history(report: Annual):
    """Ranks and totals over the years — or, for the data set's first year, one line that
    there is no earlier year to compare with."""
    from kaohe.charts import annual as charts
    from kaohe.output import views

    sc, year, period = report.scores, report.year, report.period
    years = views.over_years(sc, year, period)
    if not len(years):
        if views.previous_year(sc, year) is not None:  # H1: no earlier first half to set beside it
            return (note(_("The data set holds no record of the first half of an earlier year: there is "
                           "nothing to compare this half-year with.")),)
        return (note(_("{year} is the first year of the data set: there is no earlier year to compare "
                       "with.").format(year=year)),)
    if period == "H1":
        return (figure(charts.rank_bump(years, _("ranks in the first half of each year")), "fig-bump"),
                figure(charts.totals_over_time(years, _("totals in the first half of each year")), "fig-totals"))
    return (figure(charts.rank_bump(years), "fig-bump"), figure(charts.totals_over_time(years), "fig-totals"))


def scenarios(long: pd.DataFrame):
    """The what-if comparison readable at 1 400 px: one compact table of ranks (rule and each
    scenario, with its move), then one small block per scenario with the totals."""
    from kaohe.core.i18n import _
    from kaohe.output.views import move_label

    names = list(dict.fromkeys(long["scenario"]))
    first = long[long["scenario"] == names[0]].sort_values(["rank_base", "unit"], kind="stable")
    compact = pd.DataFrame({"unit": first["unit"].to_numpy(), "total_base": first["total_base"].to_numpy(),
                            "rank_base": first["rank_base"].to_numpy()})
    blocks = []
    for n in names:
        g = long[long["scenario"] == n].set_index("unit").loc[compact["unit"]]
        compact[n] = [_("{rank} ({move})").format(rank=r, move=move_label(b, r))
                      for r, b in zip(g["rank_scenario"], g["rank_base"])]
        block = pd.DataFrame({"unit": compact["unit"], "total_base": g["total_base"].to_numpy(),
                              "total_scenario": g["total_scenario"].to_numpy(),
                              "rank_base": g["rank_base"].to_numpy(), "rank_scenario": g["rank_scenario"].to_numpy(),
                              "move": [move_label(b, r) for r, b in zip(g["rank_scenario"], g["rank_base"])]})
        blocks.append(table_html(block, {"total_base": _("total (rule)"), "total_scenario": _("total"),
                                         "rank_base": _("rank (rule)"), "rank_scenario": _("rank"),
                                         "move": _("move")}, _("Scenario: {name}").format(name=n)))
    head = table_html(compact, {"total_base": _("total (rule)"), "rank_base": _("rank (rule)")},
                      _("Rank under each scenario (move against the rule)"))
    return _html_obj(head + '<div class="kaohe-profile-parts">' + "".join(f"<div>{b}</div>" for b in blocks)
                     + "</div>")


def rank_correlations(flow: pd.DataFrame, caption: str):
    """Kendall τ (lower triangle) and Spearman ρ (upper triangle) between the rankings of a
    long frame (unit, stage, rank; the rule first), cells tinted by agreement."""
    from kaohe.output import views

    stages = list(dict.fromkeys(flow["stage"]))
    ranks = flow.pivot(index="unit", columns="stage", values="rank")[stages]
    m = views.rank_correlations(ranks)
    colors = pd.DataFrame("", index=m.index, columns=m.columns, dtype=object)
    for i in range(len(m.index)):
        for j in range(len(m.columns)):
            v = m.iat[i, j]
            if isinstance(v, float) and v == v and i != j:
                colors.iat[i, j] = f"rgba(68,114,196,{0.08 + 0.6 * max(v, 0):.2f})"
    text = m.map(lambda v: "—" if not isinstance(v, float) or v != v else number(v))
    colors.insert(0, "name", "")
    body = table_html(text.reset_index(names="name"), {"name": ""}, caption, colors=colors)
    return _html_obj(body + _note(_("Below the diagonal: Kendall τ; above it: Spearman ρ (1: the same order; "
                                    "0: unrelated).")))


def figure(fig, div_id: str, empty: str = ""):
    """A chart as a stable HTML div (or a note when ``fig`` is None)."""
    if fig is None:
        return note(empty or _("No data to show."))
    return style.show(fig, div_id)
