"""Writing workbooks for official use (xlsxwriter).

Each sheet gets a merged title row, a bordered and filled header that repeats on every
printed page, frozen panes, A4 paper, columns sized to their content within the printable
width (long text wraps instead of shrinking the page), numbers written as numbers (already
rounded: a number format never hides digits) padded from the next column, dates as dates,
and text written as strings so that no cell can ever become a formula. A sheet marked
``one_page`` is an official table: larger type, every row on one A4 page, the note and the
制表 block at its foot.

The same sheets give the same bytes: the document time is fixed (``SOURCE_DATE_EPOCH``, else
the document's date, else :data:`FIXED_TIME`) and xlsxwriter stamps its zip entries with a
fixed date. The file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from kaohe.core import files, labels
from kaohe.core.i18n import _
from kaohe.output.safe_text import FORMULA_START

FONT = "宋体"
HEAD_FONT = "黑体"
FIXED_TIME = dt.datetime(2000, 1, 1)

# Type sizes (pt): the official table prints at 五号 (10.5) or more, annexes at 9 or more.
OFFICIAL_PT, OFFICIAL_TITLE_PT = 10.5, 18
ANNEX_SIZES, ANNEX_TITLE_PT = (10, 9.5, 9), 14
# A4 in mm (portrait) and the margins in inches.
A4_MM = (210.0, 297.0)
MARGINS_IN = {"left": 0.3, "right": 0.3, "top": 0.55, "bottom": 0.6}
WRAP_OVER = 8  # half-widths an annex's text column holds before it may wrap (4 CJK characters)
SLACK = 0.96  # share of the printable width the columns may take (renderers differ a little)
_WORD = re.compile(r"[^\s\u2e80-\uffff]+")  # a run a line cannot break
_TOKEN = re.compile(r"(\s*)([\u2e80-\uffff]|[^\s\u2e80-\uffff]+)")  # (space before, CJK character or word)
LATIN = 1.2  # a Latin letter of a header (bold, proportional stand-in fonts) against half a CJK character


@dataclass
class Sheet:
    name: str
    frame: pd.DataFrame
    title: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # column → header shown
    decimals: dict[str, int] = field(default_factory=dict)  # column → decimals shown
    highlight: pd.Series | None = None  # rows to fill (e.g. refused rows)
    note: str = ""
    formats: dict[str, str] = field(default_factory=dict)  # column → number format (e.g. 升降 arrows)
    one_page: bool = False  # an official table: every row on one A4 page, larger type
    foot: list[tuple[str, ...]] = field(default_factory=list)  # rows under the table (制表 block)
    portrait: bool = False
    nowrap: tuple[str, ...] = ()  # text columns kept on one line (e.g. unit names)
    print_rows: int | None = None  # only the first rows print (the print area); columns sized for them
    least: dict[str, float] = field(default_factory=dict)  # column → half-widths it gets at least


def text_width(s: str) -> int:
    """Display width: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, Decimal, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _is_date(v) -> bool:
    return isinstance(v, (dt.date, pd.Timestamp)) and not pd.isna(v)


def _blank(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def document_time(day: dt.date | None = None) -> dt.datetime:
    """The time written into a document's properties: ``SOURCE_DATE_EPOCH`` when set, else
    the document's date (midnight), else :data:`FIXED_TIME` — never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    if day is not None:
        return dt.datetime(day.year, day.month, day.day)
    return FIXED_TIME


def document_date(day: dt.date | None = None) -> dt.date:
    """The date a document carries: ``day``, else ``SOURCE_DATE_EPOCH``'s, else today."""
    if day is not None:
        return day
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def chinese_date(day: dt.date) -> str:
    """「2025年1月10日」 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return _("{y}-{m:02d}-{d:02d}").format(y=day.year, m=day.month, d=day.day)


# ------------------------------------------------------------------ layout
def width_units(half_widths: float, pt: float) -> float:
    """Excel column width (units of the default font's digit) for text of that many
    half-width characters at ``pt`` points."""
    return half_widths * pt / 10.5


def printable_units(sh: Sheet, ncol: int) -> float:
    """Column width units the printable page width holds. A column of width w is stored as
    w + 0.71 and printed at about 1.85 mm per stored unit by Excel, 1.96 mm by LibreOffice
    (with Carlito for Calibri, the workbook's default font): the wider one decides."""
    paper = A4_MM[0] if sh.portrait else A4_MM[1]
    mm = paper - (MARGINS_IN["left"] + MARGINS_IN["right"]) * 25.4
    return mm * SLACK / 1.96 - 0.71 * ncol


def _cap(natural: list[float], wrappable: list[bool], floor: list[float], budget: float) -> list[float]:
    """Narrow the wrappable columns (widest first, never below their floor) until the row
    fits ``budget``."""
    if sum(natural) <= budget:
        return natural
    lo, hi = 0.0, max(natural)
    for _step in range(40):  # bisect the common cap
        mid = (lo + hi) / 2
        total = sum(max(f, min(w, mid)) if wr else w for w, wr, f in zip(natural, wrappable, floor))
        lo, hi = (mid, hi) if total <= budget else (lo, mid)
    return [max(f, min(w, lo)) if wr else w for w, wr, f in zip(natural, wrappable, floor)]


def longest_word(texts: list[str]) -> int:
    """The longest run a line cannot break (Latin letters, digits and marks between spaces)."""
    return max((len(w) for t in texts for w in _WORD.findall(t)), default=0)


def head_lines(text: str, room: float) -> int:
    """Lines a header takes in ``room`` half-widths, wrapped as a renderer does: between CJK
    characters or at spaces, never inside a Latin word (a word longer than the room breaks)."""
    lines, cur = 1, 0.0
    for space, tok in _TOKEN.findall(text):
        w = text_width(tok) if ord(tok[0]) > 0x2E80 else len(tok) * LATIN
        if cur == 0:
            lines += max(math.ceil(w / room) - 1, 0) if room > 0 else 0
            cur = w if w <= room else w % room or room
        elif cur + (1 if space else 0) + w <= room:
            cur += (1 if space else 0) + w
        else:
            lines += 1 + (max(math.ceil(w / room) - 1, 0) if room > 0 else 0)
            cur = w if w <= room else w % room or room
    return lines


def head_room(text: str, lines: int) -> float:
    """The fewest half-widths that hold a header in ``lines`` lines without breaking a Latin
    word (CJK may break between any two characters)."""
    words = [text_width(t) if ord(t[0]) > 0x2E80 else len(t) * LATIN for _s, t in _TOKEN.findall(text)]
    lo = max(words, default=0.0)
    hi = max(lo, text_width(text) * LATIN)
    if head_lines(text, lo) <= lines:
        return lo
    for _step in range(30):  # bisect: lines only fall as the room grows
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if head_lines(text, mid) <= lines else (mid, hi)
    return hi


def _head_units(half: float, pt: float) -> float:
    """The half-widths a column of ``half`` units holds for its header (the inverse of the
    line estimate of :func:`_lines`)."""
    return max(half - 1.0, 1.0) * 10.5 / pt / 1.04


def _widths(half: list[np.ndarray], head_half: list[float], numeric: list[bool], wrappable: list[bool],
            pt: float, budget: float, words: list[int], least: list[float] | None = None) -> list[float]:
    """Column widths at ``pt``: each column's content on one line and its header in as few
    lines as allowed (``head_half``: what that needs, :func:`head_room`); when the row is wider
    than ``budget``, the wrappable text columns share what is left by their content
    (:func:`_share`), none below 4 characters, its header's need, its longest word or its
    ``least`` half-widths (the text a reader must read, e.g. the problems of a refused row)."""
    least = least or [0.0] * len(half)
    natural = [max(width_units(max(h.max(), hw * 1.04), pt), 3) + (1.5 if num else 2)
               for h, hw, num in zip(half, head_half, numeric)]
    # no narrower than 4 characters, or than half a short label (日常工作/指标), or its longest word
    floor = [max(width_units(hw * 1.04, pt), width_units(min(8, math.ceil(h.max() / 2)), pt),
                 width_units(w * 1.2, pt), width_units(m * 1.04, pt)) + 2
             for h, hw, w, m in zip(half, head_half, words, least)]
    if sum(natural) <= budget or not any(wrappable):
        return natural
    idx = [j for j, wr in enumerate(wrappable) if wr]
    lo = np.array([min(floor[j], natural[j]) for j in idx])
    room = budget - sum(w for w, wr in zip(natural, wrappable) if not wr)
    if lo.sum() >= room:
        return _cap(natural, wrappable, floor, budget)
    got = _share(np.stack([half[j] for j in idx], axis=1), lo, np.array([natural[j] for j in idx]), room, pt)
    out = list(natural)
    for j, w in zip(idx, got):
        out[j] = float(w)
    return out


SAMPLE_ROWS = 4000  # rows a column allocation looks at (evenly spread over a longer sheet)


def _share(half: np.ndarray, lo: np.ndarray, hi: np.ndarray, room: float, pt: float) -> np.ndarray:
    """Widths (between ``lo`` and ``hi``, summing to at most ``room``) of the wrappable columns
    (``half``: rows × columns of half-width counts) that make the printed rows lowest: a
    row is as high as its most-wrapped cell, so a column filled in a few rows (文号) stays
    narrow and the long text (计分依据, 事由) gets the width. Starts from widths in
    proportion to each column's mean content, then moves width between columns while that
    lowers the rows (ties: fewer short labels wrapped, then fewer lines), then narrows each column
    to what its lines need (日常工作指标 wraps as 日常工作/指标, not 日常工作指/标) and gives
    what is left to the longest text; deterministic."""
    if len(half) > SAMPLE_ROWS:
        half = half[np.linspace(0, len(half) - 1, SAMPLE_ROWS).astype(int)]
    need = width_units(half, pt) * 1.04

    def lines(w: np.ndarray) -> np.ndarray:
        return np.maximum(1, np.ceil(need / np.maximum(w - 1.0, 1.0)))

    label = half.max(axis=0) <= 12  # a short label (否（取消）) kept whole unless that costs rows

    def cost(w: np.ndarray) -> float:
        n = lines(w)
        return float(n.max(axis=1).sum() + 1e-2 * (n[:, label] > 1).mean(axis=0).sum() + 1e-4 * n.mean())

    want = np.maximum(width_units(half.mean(axis=0), pt) + 2 - lo, 0) + 1e-9
    w = np.minimum(lo + (room - lo.sum()) * want / want.sum(), hi)
    best = cost(w)
    k = len(w)
    for step in (8.0, 4.0, 2.0, 1.0, 0.5, 0.25):
        for _round in range(200):
            moved = False
            for a in range(-1, k):  # -1: the room not yet given
                for b in range(k):
                    spare = room - w.sum() if a < 0 else w[a] - lo[a]
                    give = min(step, spare, hi[b] - w[b])
                    if a == b or give <= 1e-9:
                        continue
                    trial = w.copy()
                    if a >= 0:
                        trial[a] -= give
                    trial[b] += give
                    c = cost(trial)
                    if c < best - 1e-9:
                        w, best, moved = trial, c, True
            if not moved:
                break
    snug = np.maximum(lo, 1.0 + (need / lines(w)).max(axis=0) + 1e-6)  # the same lines, no wider
    longest = int(np.argmax(half.mean(axis=0)))
    snug[longest] = min(hi[longest], snug[longest] + room - snug.sum())
    return snug


def _lines(half_widths: np.ndarray, col_units: float, pt: float) -> np.ndarray:
    """Lines a wrapped text takes in a column (a little spare for breaks at spaces)."""
    usable = max(col_units - 1.0, 1.0)
    return np.maximum(1, np.ceil(width_units(half_widths, pt) * 1.04 / usable)).astype(int)


def _row_lines(half: list[np.ndarray], widths: list[float], wrappable: list[bool], pt: float) -> np.ndarray:
    """Lines of each row: those of its most-wrapped cell."""
    out = np.ones(len(half[0]) if half else 0, dtype=int)
    for h, w, wr in zip(half, widths, wrappable):
        if wr:
            out = np.maximum(out, _lines(h, w, pt))
    return out


def _pages(sh: Sheet, nrows: int, row_lines: np.ndarray, pt: float) -> int:
    """Pages the rows print on (about: the title, the note and a header row taken off)."""
    if not nrows:
        return 1
    paper = A4_MM[1] if sh.portrait else A4_MM[0]
    height = (paper / 25.4 - MARGINS_IN["top"] - MARGINS_IN["bottom"]) * 72 - 3 * 3 * pt * 1.35
    rows = row_lines[:nrows] * pt * 1.35 + (9 if sh.one_page else 4)
    return int(math.ceil(rows.sum() / height))


def _cell_text(v, decimals: int) -> str:
    if _blank(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return labels.yes_no(bool(v))
    if _is_date(v):
        return "0000-00-00"
    if _is_number(v):
        return f"{float(v):.{decimals}f}"
    return str(v)


# ------------------------------------------------------------------ writing
def write(path: str | Path, sheets: list[Sheet], created: dt.datetime | None = None) -> Path:
    """Write sheets to an .xlsx workbook, atomically (whole or not at all); ``created``: the
    document time (default :func:`document_time`), so the same input gives the same bytes."""
    import xlsxwriter

    path = Path(path)
    with files.atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "nan_inf_to_errors": True})
        wb.set_properties({"created": created or document_time(), "author": "kaohe"})
        _Book(wb).add(sheets)
        wb.close()
    return path


class _Book:
    """Formats of one workbook, made once per (size, kind, highlight)."""

    def __init__(self, wb):
        self.wb = wb
        self._formats: dict[tuple, object] = {}

    def fmt(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def cell(self, pt: float, hi: bool, **extra):
        base = {"font_name": FONT, "font_size": pt, "border": 1, "valign": "vcenter"}
        return self.fmt(**base, **({"bg_color": "#FCE4D6"} if hi else {}), **extra)

    def add(self, sheets: list[Sheet]) -> None:
        for sh in sheets:
            self.sheet(sh)

    # one sheet
    def sheet(self, sh: Sheet) -> None:
        ws = self.wb.add_worksheet(sh.name[:31])
        df = sh.frame
        cols = list(df.columns)
        ncol = max(len(cols), 1)
        title_pt = OFFICIAL_TITLE_PT if sh.one_page else ANNEX_TITLE_PT
        heads = [sh.headers.get(c, str(c)) for c in cols]
        values = [list(df[c].astype(object)) for c in cols]
        decs = [sh.decimals.get(c, 0 if all(isinstance(v, (int, np.integer)) or _blank(v)
                                             for v in vals) else 2) for c, vals in zip(cols, values)]
        texts = [[_cell_text(v, d) for v in vals] for vals, d in zip(values, decs)]
        half = [np.array([text_width(s) for s in t] or [0], dtype=float) for t in texts]
        printed = len(df) if sh.print_rows is None else min(sh.print_rows, len(df))
        lay = [h[:max(printed, 1)] for h in half]  # what the columns are sized for: the printed rows
        numeric = [any(_is_number(v) or _is_date(v) for v in vals if not _blank(v)) for vals in values]
        # a text column wraps when it is longer than a narrow column holds (an annex's short
        # labels too, when the row does not fit: its lines are as many as its longest cell's)
        short = 12 if sh.one_page else WRAP_OVER
        wrappable = [not num and bool(len(vals)) and h.max() > short and c not in sh.nowrap
                     for c, vals, h, num in zip(cols, values, half, numeric)]
        max_head = 2 if sh.one_page else 3
        head_half = [head_room(h, max_head) for h in heads]
        words = [longest_word(t[:max(printed, 1)]) if wr else 0 for t, wr in zip(texts, wrappable)]
        budget = printable_units(sh, ncol)
        fits = []
        for pt in ((OFFICIAL_PT,) if sh.one_page else ANNEX_SIZES):
            widths = _widths(lay, head_half, numeric, wrappable, pt, budget, words,
                             [float(min(sh.least.get(c, 0), h.max())) for c, h in zip(cols, lay)])
            if sum(widths) <= budget:
                wrapped = sum(int((_lines(h, w, pt) > 1).sum()) for h, w, wr in zip(lay, widths, wrappable)
                              if wr and h.max() <= 12)  # short labels (否（取消）) broken
                fits.append((_pages(sh, printed, _row_lines(lay, widths, wrappable, pt), pt), wrapped, -pt, widths))
        if fits:  # the fewest pages, then the fewest broken labels, then the largest type
            _n, _w, pt, widths = min(fits, key=lambda f: f[:3])
            pt = -pt

        top = 0
        if sh.title:
            title_f = self.fmt(bold=True, font_size=title_pt, font_name=HEAD_FONT, align="center",
                               valign="vcenter")
            if ncol > 1:
                ws.merge_range(0, 0, 0, ncol - 1, sh.title, title_f)
            else:
                ws.write_string(0, 0, sh.title, title_f)
            ws.set_row(0, title_pt * 2)
            top = 1
        note_pt = pt
        note_f = self.fmt(font_name=FONT, font_size=note_pt, text_wrap=True, valign="top")
        total_units = sum(widths)
        if sh.note and not sh.one_page:
            top = self._merged(ws, top, ncol, sh.note, note_f, total_units, note_pt)

        head_f = self.fmt(bold=True, font_name=HEAD_FONT, font_size=pt, border=1, bg_color="#D9E1F2",
                          text_wrap=True, align="center", valign="vcenter")
        n_head = max((head_lines(h, _head_units(w, pt)) for h, w in zip(heads, widths)), default=1)
        for j, h in enumerate(heads):
            ws.write_string(top, j, h, head_f)
        ws.set_row(top, n_head * pt * 1.35 + 6)

        marks = sh.highlight.to_numpy(dtype=bool) if sh.highlight is not None else np.zeros(len(df), bool)
        row_lines = _row_lines(half, widths, wrappable, pt) if len(df) else np.ones(0, dtype=int)
        line_h = pt * 1.35
        pad = 9 if sh.one_page else 4
        for i in range(len(df)):
            ws.set_row(top + 1 + i, row_lines[i] * line_h + pad)
        for j, c in enumerate(cols):
            self._column(ws, top + 1, j, values[j], decs[j], sh.formats.get(c), wrappable[j], marks,
                         pt, sh.one_page)
            ws.set_column(j, j, widths[j])

        end = top + len(df)
        if sh.one_page:
            r = end + 1
            if sh.note:
                r = self._merged(ws, r, ncol, sh.note, note_f, total_units, note_pt)
            foot_f = self.fmt(font_name=FONT, font_size=pt, valign="vcenter")
            for parts in sh.foot:
                r += 1
                self._spread(ws, r, ncol, parts, foot_f)
                ws.set_row(r, pt * 2.2)
        ws.freeze_panes(top + 1, 0)
        ws.repeat_rows(top, top)
        if printed < len(df):
            ws.print_area(0, 0, top + printed, ncol - 1)
        if not sh.portrait:
            ws.set_landscape()
        ws.set_paper(9)  # A4
        if sh.one_page:
            ws.fit_to_pages(1, 1)
        elif sum(widths) > budget:  # too many columns even at the smallest type: shrink to the width
            ws.fit_to_pages(1, 0)
        if sh.one_page:
            ws.center_horizontally()
        ws.set_margins(**MARGINS_IN)
        ws.set_footer("&C" + _("page &P of &N"))
        if len(df) and not sh.one_page:
            ws.autofilter(top, 0, end, ncol - 1)

    def _column(self, ws, first: int, j: int, vals: list, decimals: int, number_format: str | None,
                wrap: bool, marks: np.ndarray, pt: float, official: bool) -> None:
        num = number_format or ("0" if decimals == 0 else "0." + "0" * decimals)
        align = {"align": "center"} if official else {"align": "right"}
        if not official and not number_format:
            num += "_ "  # a space's width between the digits and the next column
        short = None  # an official column of short texts is centred (measured once, if it has text)
        for i, v in enumerate(vals):
            hi = bool(marks[i])
            r = first + i
            if _blank(v):
                ws.write_blank(r, j, None, self.cell(pt, hi, **({"text_wrap": True} if wrap else {})))
            elif isinstance(v, (bool, np.bool_)):
                ws.write_string(r, j, labels.yes_no(bool(v)), self.cell(pt, hi, align="center"))
            elif _is_date(v):
                d = v.to_pydatetime() if isinstance(v, pd.Timestamp) else v
                if not isinstance(d, dt.datetime):
                    d = dt.datetime(d.year, d.month, d.day)
                ws.write_datetime(r, j, d, self.cell(pt, hi, num_format="yyyy-mm-dd", align="center"))
            elif _is_number(v):
                ws.write_number(r, j, float(v), self.cell(pt, hi, num_format=num, **align))
            else:
                if short is None:
                    short = official and max(text_width(str(x)) for x in vals if not _blank(x)) <= 10
                extra = {"text_wrap": True} if wrap else ({"align": "center"} if short else {})
                text = str(v)
                if text[:1] in FORMULA_START:  # =…, @…: Excel's quote prefix keeps it text even when edited
                    extra["quote_prefix"] = True
                ws.write_string(r, j, text, self.cell(pt, hi, **extra))

    @staticmethod
    def _merged(ws, row: int, ncol: int, text: str, f, total_units: float, pt: float) -> int:
        """A wrapped text across the table's width; returns the next row."""
        lines = int(_lines(np.array([text_width(text)]), total_units, pt)[0])
        if ncol > 1:
            ws.merge_range(row, 0, row, ncol - 1, text, f)
        else:
            ws.write_string(row, 0, text, f)
        ws.set_row(row, lines * pt * 1.35 + 4)
        return row + 1

    @staticmethod
    def _spread(ws, row: int, ncol: int, parts: tuple[str, ...], f) -> None:
        """Parts of one line spread across the table's width (the 制表 block)."""
        n = len(parts)
        bounds = [round(k * ncol / n) for k in range(n + 1)]
        for text, a, b in zip(parts, bounds, bounds[1:]):
            if b - 1 > a:
                ws.merge_range(row, a, row, b - 1, text, f)
            else:
                ws.write_string(row, a, text, f)
