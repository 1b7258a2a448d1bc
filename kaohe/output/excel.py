"""Writing workbooks for official use (xlsxwriter).

Each sheet gets a merged title row, a bordered and filled header that repeats on every
printed page, frozen panes, A4 landscape fitted to the page width, widths that fit Chinese
text, numbers written as numbers (already rounded: a number format never hides digits),
and text written as strings so that no cell can ever become a formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kaohe.core import files, labels
from kaohe.core.i18n import _

FONT = "宋体"
HEAD_FONT = "黑体"


@dataclass
class Sheet:
    name: str
    frame: pd.DataFrame
    title: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # column → header shown
    decimals: dict[str, int] = field(default_factory=dict)  # column → decimals shown
    highlight: pd.Series | None = None  # rows to fill (e.g. refused rows)
    note: str = ""


def text_width(s: str) -> int:
    """Display width: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def write(path: str | Path, sheets: list[Sheet]) -> Path:
    """Write sheets to an .xlsx workbook (atomically: whole or not at all)."""
    with files.atomic_path(path) as tmp:
        _write(tmp, sheets)
    return Path(path)


def _write(path: Path, sheets: list[Sheet]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "nan_inf_to_errors": True})
    title_f = wb.add_format({"bold": True, "font_size": 14, "font_name": HEAD_FONT,
                             "align": "center", "valign": "vcenter"})
    note_f = wb.add_format({"font_name": FONT, "font_size": 9, "italic": True})
    head_f = wb.add_format({"bold": True, "font_name": HEAD_FONT, "border": 1, "bg_color": "#D9E1F2",
                            "text_wrap": True, "align": "center", "valign": "vcenter"})
    cell = {"font_name": FONT, "border": 1, "valign": "vcenter"}
    text_f = wb.add_format(cell)
    hi = {"bg_color": "#FCE4D6"}
    text_hi = wb.add_format({**cell, **hi})
    num_fmts: dict[tuple[int, bool], object] = {}

    def num_f(decimals: int, highlight: bool):
        key = (decimals, highlight)
        if key not in num_fmts:
            fmt = "0" if decimals == 0 else "0." + "0" * decimals
            num_fmts[key] = wb.add_format({**cell, **(hi if highlight else {}), "num_format": fmt})
        return num_fmts[key]

    for sh in sheets:
        ws = wb.add_worksheet(sh.name[:31])
        df = sh.frame
        cols = list(df.columns)
        ncol = max(len(cols), 1)
        top = 0
        if sh.title:
            if ncol > 1:
                ws.merge_range(0, 0, 0, ncol - 1, sh.title, title_f)
            else:
                ws.write_string(0, 0, sh.title, title_f)
            ws.set_row(0, 28)
            top = 1
        if sh.note:
            ws.write_string(top, 0, sh.note, note_f)
            top += 1
        widths = []
        for j, c in enumerate(cols):
            head = sh.headers.get(c, str(c))
            ws.write_string(top, j, head, head_f)
            widths.append(text_width(head))
        marks = sh.highlight.to_numpy() if sh.highlight is not None else None
        for i, row in enumerate(df.itertuples(index=False)):
            h = bool(marks[i]) if marks is not None else False
            for j, v in enumerate(row):
                r = top + 1 + i
                if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT:
                    ws.write_blank(r, j, None, text_hi if h else text_f)
                elif isinstance(v, bool):
                    s = labels.yes_no(v)
                    ws.write_string(r, j, s, text_hi if h else text_f)
                    widths[j] = max(widths[j], 4)
                elif _is_number(v):
                    d = sh.decimals.get(cols[j], 0 if isinstance(v, int) else 2)
                    ws.write_number(r, j, float(v), num_f(d, h))
                    widths[j] = max(widths[j], len(f"{float(v):.{d}f}"))
                else:
                    s = str(v)
                    ws.write_string(r, j, s, text_hi if h else text_f)
                    widths[j] = max(widths[j], min(text_width(s), 60))
        for j, w in enumerate(widths):
            ws.set_column(j, j, min(max(w + 2, 6), 62))
        ws.freeze_panes(top + 1, 0)
        ws.repeat_rows(top, top)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C" + _("page &P of &N"))
        if len(df):
            ws.autofilter(top, 0, top + len(df), ncol - 1)
    wb.close()
    return path
