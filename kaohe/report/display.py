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
""".replace("FONT_STACK", style.FONT_STACK)


LONG = 24  # text longer than this may wrap in its cell


def _html_obj(text: str):
    from IPython.display import HTML

    return HTML(text)


def _cell(v) -> tuple[str, bool]:
    """(escaped text, is a number)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return "", False
    if isinstance(v, (bool, np.bool_)):
        return labels.yes_no(bool(v)), False
    if isinstance(v, (int, Decimal)) or hasattr(v, "dtype"):
        return _html.escape(str(v)).replace("-", "−"), True  # one minus sign: −
    if isinstance(v, float):
        return f"{v:.2f}".replace("-", "−"), True
    return _html.escape(str(v)), False


def table_html(df: pd.DataFrame, headers: dict[str, str] | None = None, caption: str = "",
               highlight=None, index: bool = False) -> str:
    """A DataFrame as an escaped HTML table with Chinese headers (numbers right-aligned)."""
    heads = {**HEADERS, **(headers or {})}
    if index:
        df = df.reset_index()
    cols = list(df.columns)
    out = ['<table class="kaohe-table">']
    if caption:
        out.append(f"<caption>{_html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{_html.escape(heads.get(str(c), str(c)))}</th>" for c in cols)
               + "</tr></thead><tbody>")
    marks = list(highlight) if highlight is not None else [False] * len(df)
    for row, hi in zip(df.itertuples(index=False), marks):
        cells = []
        for v in row:
            text, num = _cell(v)
            cls = ' class="num"' if num else (' class="long"' if len(text) > LONG else "")
            cells.append(f"<td{cls}>{text}</td>")
        out.append(("<tr class=\"hi\">" if hi else "<tr>") + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def table(df: pd.DataFrame, headers: dict[str, str] | None = None, caption: str = "", highlight=None,
          collapsed: str = "", note: str = "", index: bool = False, hide=(), empty: str = ""):
    """Display a table. ``highlight``: a boolean column's name (or a mask) marking rows to
    fill; ``hide``: columns not shown; ``collapsed="…"``: in a <details> block with that
    summary; ``empty``: the note shown instead of a table without rows."""
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


def heading(report: Annual):
    """The report's title, data set, period and whether rule parameters were changed."""
    rb = report.scores.rulebook
    changed = rb.changed()
    lines = [_("Data set: {source}").format(source=report.source),
             _("Period: {period}").format(period=(
                 _("1 January to 30 June {year} (annual goals count as in progress, none as missed)")
                 if report.period == "H1" else _("the whole year {year}")).format(year=report.year))]
    rules = _("Rules: {title}").format(title=rb.title if labels.zh() else _("the assessment regulation"))
    lines.append(rules + (_("; {n} parameters changed").format(n=len(changed)) if changed
                          else _(" (every parameter as the regulation sets it)")))
    body = "".join(f"<p>{_html.escape(s)}</p>" for s in lines)
    return _html_obj(f'<div class="kaohe-title"><h1>{_html.escape(report.title)}</h1>{body}</div>')


def figure(fig, div_id: str, empty: str = ""):
    """A chart as a stable HTML div (or a note when ``fig`` is None)."""
    if fig is None:
        return note(empty or _("No data to show."))
    return style.show(fig, div_id)
