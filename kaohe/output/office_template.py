"""The data-entry template: a workbook an office fills in (Excel, WPS or LibreOffice).

Built from the data contract (:mod:`kaohe.contract`: sheets, Chinese headers, column kinds)
and the rulebook (:func:`kaohe.rules.load`: items, clauses, values, the columns each item
needs), so it can never disagree with what ``kaohe validate`` accepts. Sheets:

- ``说明``: how to fill in, every column, every item (name, code, clause, values in words,
  required and optional columns);
- ``单位``, ``目标``, ``台账``: Chinese headers on row 1 (frozen), an input message on
  each header cell, dropdowns (data validation) for 事项, 角色, 单位, 完成 and 重大修改,
  date and number formats and checks on the columns;
- ``选项`` (hidden): the dropdown lists, referenced through workbook names.

With a previous data set the 单位 sheet is pre-filled with its latest year's units (with
the new year) and the 单位 dropdown lists them; otherwise it lists the 单位 sheet itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from kaohe.core import contract, files
from kaohe.core.i18n import _
from kaohe.engine.reasons import num
from kaohe.output.excel import A4_MM, FONT, HEAD_FONT, MARGINS_IN, SLACK, document_time, text_width
from kaohe.rulebook import rules

SHEET_HELP = "说明"
SHEET_LISTS = "选项"
ENTRY_ROWS = 5000  # rows below the header that get the checks and dropdowns
TABLE_ORDER = ("units", "goals", "ledger")  # the sheets an office fills in, in this order
MIN_SCALE = 0.7  # an entry sheet is shrunk to one page width only down to this; else two widths
TITLE_COLUMNS = 3  # 日期, 单位, 事项: repeated on the second page width

# Names of the dropdown lists (workbook-level defined names, valid in Excel/WPS/LibreOffice).
LIST_NAMES = {"item": "kaohe_items", "role": "kaohe_roles", "yesno": "kaohe_yesno", "unit": "kaohe_units"}

# What a kind of column takes, in words (the kinds are kaohe.contract's).
KIND_ZH = {
    "int": "整数", "number": "数字", "date": "日期，写作 {example}", "text": "文字",
    "yesno": "{yes}/{no}", "item": "事项名称（下拉选择）或事项代码", "role": "{roles}（下拉选择）",
    "unit": "单位名称（下拉选择）",
}
# The contract's range and default of a column, in words (see data-contract.md).
RANGE_ZH = {
    ("units", "year"): "，考核年度",
    ("units", "staff"): "，大于 0，可为小数（全年平均人数）",
    ("goals", "year"): "，考核年度",
    ("goals", "completed"): "，是否完成",
    ("ledger", "date"): "；日期所在年份即考核年度",
    ("ledger", "quantity"): "，≥ 1，不填为 1",
    ("ledger", "role"): "，不填为{organizer}",
    ("ledger", "days"): "，大于 0，最多两位小数",
    ("ledger", "participants"): "，≥ 0",
    ("ledger", "chars"): "，≥ 0",
    ("ledger", "missing_steps"): "，≥ 0，不填为 0（未缺项）",
    ("ledger", "errors"): "，≥ 0，不填为 0（无失误）",
    ("ledger", "major_revision"): "，不填为{no}",
    ("ledger", "published"): "；未发布则不填",
    ("ledger", "points"): f"，最多 {rules.VALUE_DECIMALS} 位小数",
}
OPS_ZH = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "="}
# Mechanisms of the named rules (kaohe/score.py), in words; their values come from params.
RULE_ZH = {
    "leave_allowance": "按人按年累计，超过上限的天数扣分",
    "reading_once": "同一机构的一审、二审且二审未重大修改，只加一次分",
    "once_per_year": "每年只计一次",
    "lateness": "未按时编发倒扣",
}
AMOUNT_ZH = {"quantity": "每次（× 数量）：", "days": "每天（× 天数）：", "once": "",
             "points": "按分值列（主任会议确定）"}
FREE_TEXT_NOTE = "人员、事由、文号、备注任何事项都可填写"


def _first_cjk(words) -> str:
    return next(w for w in words if any(ord(ch) > 0x2E80 for ch in w))


YES_ZH = _first_cjk(contract.YES)
NO_ZH = _first_cjk(contract.NO)


# ------------------------------------------------------------------ words from the rulebook
def _zh(col: str) -> str:
    return contract.column("ledger", col).zh


def _cols_zh(cols) -> str:
    order = [c.name for c in contract.columns("ledger")]
    return "、".join(_zh(c) for c in sorted(cols, key=order.index)) or "—"


def _role_zh(role: str) -> str:
    return rules.ROLE_ZH[role]


def _value_words(rb: rules.Rulebook, name: str, per_role: bool, verb: str) -> str:
    if per_role:
        return "，".join(f"{_role_zh(r)}{verb} {num(rb[f'{name}.{r}'])} 分" for r in rules.ROLES)
    return f"{verb} {num(rb[name])} 分"


def value_text(rb: rules.Rulebook, code: str) -> str:
    """An item's values in words: base value per role, tiers with their thresholds,
    deductions per missing step and error, the item's own parameters."""
    it = rb.items[code]
    verb = "扣" if it.effect == "deduct" else "加"
    parts = []
    if it.amount == "points":
        parts.append(f"{verb}分{AMOUNT_ZH['points']}")
    elif it.has_value:
        parts.append(AMOUNT_ZH[it.amount] + _value_words(rb, code, it.per_role, verb))
    for t in it.tiers:
        conds = "且".join(
            f"{_zh(c)} {OPS_ZH[rb[f'{code}.{t.name}.{c}.op']]} {num(rb[f'{code}.{t.name}.{c}'])}"
            for c in t.columns)
        how = "再加" if t.mode == "add" else verb
        parts.append(f"{t.title}（{conds}）：{_value_words(rb, f'{code}.{t.name}', t.per_role, how)}")
    if it.missing_step:
        parts.append(f"每缺一项扣 {num(rb[f'{code}.missing_step'])} 分")
    if it.error:
        parts.append(f"每次失误扣 {num(rb[f'{code}.error'])} 分")
    if it.rule:
        parts.append(RULE_ZH[it.rule])
    own = {f"{code}.{r}" for r in rules.ROLES} | {code, f"{code}.missing_step", f"{code}.error"}
    own |= {n for n in rb.params if any(n.startswith(f"{code}.{t.name}") for t in it.tiers)}
    for name, p in rb.params.items():
        if p.item == code and name not in own:
            v = rb[name]
            shown = (YES_ZH if v else NO_ZH) if isinstance(v, bool) else num(v)
            parts.append(f"{p.zh}：{shown}")
    return "；".join(parts)


def items_table(rb: rules.Rulebook) -> pd.DataFrame:
    """Every item of the rulebook: Chinese name, code, clause, section, values in words,
    required and optional ledger columns (besides 日期, 单位, 事项)."""
    rows = []
    for code, it in rb.items.items():
        optional = set(it.uses) - set(it.required)
        rows.append({
            "name": it.name, "code": code, "clause": it.clause,
            "section": rb.sections.get(it.section, it.section),
            "values": value_text(rb, code),
            "required": _cols_zh(it.required), "optional": _cols_zh(optional),
        })
    return pd.DataFrame(rows)


ITEMS_HEADERS = {"name": "事项", "code": "代码", "clause": "条款", "section": "类别", "values": "分值",
                 "required": "需填列", "optional": "可填列"}


def column_hint(rb: rules.Rulebook, table: str, col: contract.Column, year: int) -> str:
    """What goes in a column, in words (the header cell's input message)."""
    kind = KIND_ZH[col.kind].format(
        example=f"{year}-03-05", yes=YES_ZH, no=NO_ZH,
        roles="/".join(_role_zh(r) for r in rules.ROLES))
    rng = RANGE_ZH.get((table, col.name), "").format(organizer=_role_zh("organizer"), no=NO_ZH)
    text = f"{kind}{rng}。"
    if col.required:
        return text + "必填。"
    if table != "ledger":
        return text
    req = [it.name for it in rb.items.values() if col.name in it.required]
    use = [it.name for it in rb.items.values() if col.name in it.uses and col.name not in it.required]
    if col.name in contract.FREE_TEXT or not (req or use):
        text += "任何事项都可填写。"
    else:
        text += "其他事项不填。"
    if req:
        text += _listing("必填：", req)
    if len(use) > len(rb.items) / 2:
        others = [it.name for it in rb.items.values() if col.name not in it.uses]
        text += _listing("可填：除", others, suffix="外的各事项")
    elif use:
        text += _listing("可填：", use)
    return text


def _listing(label: str, names: list[str], budget: int = 90, suffix: str = "") -> str:
    out, used = [], 0
    for n in names:
        if used + len(n) > budget:
            return f"{label}{'、'.join(out)} 等 {len(names)} 项{suffix}（见说明表）。"
        out.append(n)
        used += len(n) + 1
    return f"{label}{'、'.join(out)}{suffix}。"


# ------------------------------------------------------------------ the workbook
@dataclass
class Prefill:
    """Units to pre-fill: (unit, staff) of a previous year, written with the new year."""

    year: int
    units: list[tuple[str, Decimal]]


def prefill_from(ds, year: int) -> Prefill:
    """The units of the data set's latest year up to ``year`` (else its latest year)."""
    years = [y for y in ds.years if y <= year] or ds.years
    src = max(years)
    u = ds.units[ds.units["year"] == src]
    return Prefill(src, list(zip(u["unit"], u["staff"], strict=True)))


def _widths(col: contract.Column, lists: dict[str, list[str]]) -> int:
    w = text_width(col.zh) + 4
    if col.kind == "item":
        w = max(w, max(text_width(s) for s in lists["item"]) + 3)
    elif col.names_unit:
        w = max(w, max((text_width(s) for s in lists.get("unit", [])), default=16) + 3)
    elif col.kind == "date":
        w = max(w, 12)
    elif col.kind == "text":
        w = max(w, 24 if col.name in ("subject", "note", "goal") else 14)
    return min(w, 48)


def write(path: str | Path, year: int, prefill: Prefill | None = None,
          rb: rules.Rulebook | None = None, rows: int = ENTRY_ROWS) -> Path:
    """Write the template workbook for ``year`` (atomically: whole or not at all)."""
    with files.atomic_path(path) as tmp:
        _write(tmp, year, prefill, rb, rows)
    return Path(path)


def _write(path: Path, year: int, prefill: Prefill | None, rb: rules.Rulebook | None, rows: int) -> Path:
    import xlsxwriter

    rb = rb or rules.load()
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": f"{year}年度{rb.title}台账填报模板", "comments": "generated by kaohe template",
                       "created": document_time()})  # not the clock: the same input, the same bytes
    f = _Formats(wb)
    lists = {
        "item": [it.name for it in rb.items.values()],
        "role": [_role_zh(r) for r in rules.ROLES],
        "yesno": [YES_ZH, NO_ZH],
    }
    if prefill:
        lists["unit"] = [u for u, _ in prefill.units]

    help_ws = wb.add_worksheet(SHEET_HELP)
    sheets = {t: wb.add_worksheet(contract.TABLES[t][0]) for t in TABLE_ORDER}
    lists_ws = wb.add_worksheet(SHEET_LISTS)
    _write_lists(wb, lists_ws, lists, f)
    if not prefill:  # the 单位 dropdown follows the 单位 sheet
        ucol = [c.name for c in contract.columns("units")].index("unit")
        letter = chr(ord("A") + ucol)
        wb.define_name(LIST_NAMES["unit"], f"='{contract.TABLES['units'][0]}'!${letter}$2:${letter}${rows + 1}")
    for t, ws in sheets.items():
        _entry_sheet(ws, t, year, rb, lists, f, rows)
    if prefill:
        ws = sheets["units"]
        for i, (unit, staff) in enumerate(prefill.units, start=1):
            ws.write_number(i, 0, year, f.cell["int"])
            ws.write_string(i, 1, unit, f.cell["text"])
            ws.write_number(i, 2, float(staff), f.cell["number"])
    _help_sheet(help_ws, year, rb, prefill, f)
    help_ws.activate()
    wb.close()
    return path


class _Formats:
    def __init__(self, wb):
        base = {"font_name": FONT, "valign": "vcenter"}
        head = {"bold": True, "font_name": HEAD_FONT, "border": 1, "text_wrap": True,
                "align": "center", "valign": "vcenter"}
        self.head = wb.add_format({**head, "bg_color": "#D9E1F2"})
        self.head_req = wb.add_format({**head, "bg_color": "#F8CBAD"})
        self.cell = {
            "int": wb.add_format({**base, "num_format": "0"}),
            "number": wb.add_format({**base, "num_format": "General"}),
            "date": wb.add_format({**base, "num_format": "yyyy-mm-dd"}),
            "text": wb.add_format({**base, "num_format": "@"}),
        }
        self.title = wb.add_format({"bold": True, "font_size": 14, "font_name": HEAD_FONT})
        self.sub = wb.add_format({"bold": True, "font_size": 11, "font_name": HEAD_FONT})
        self.para = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.td = wb.add_format({**base, "text_wrap": True, "valign": "top", "border": 1})
        self.th = wb.add_format({**head, "bg_color": "#D9E1F2"})
        self.list = wb.add_format({**base, "num_format": "@"})


def _cell_kind(col: contract.Column) -> str:
    if col.kind == "int":
        return "int"
    if col.kind == "number":
        return "number"
    if col.kind == "date":
        return "date"
    return "text"


def _write_lists(wb, ws, lists: dict[str, list[str]], f: _Formats) -> None:
    heads = {"item": "事项", "role": "角色", "yesno": "是否", "unit": "单位"}
    for j, (key, values) in enumerate(lists.items()):
        ws.write_string(0, j, heads[key], f.head)
        for i, v in enumerate(values, start=1):
            ws.write_string(i, j, v, f.list)
        letter = chr(ord("A") + j)
        wb.define_name(LIST_NAMES[key], f"='{SHEET_LISTS}'!${letter}$2:${letter}${len(values) + 1}")
        ws.set_column(j, j, max(text_width(v) for v in [heads[key], *values]) + 2)
    ws.hide()


def _list_key(table: str, col: contract.Column) -> str | None:
    if col.kind in ("item", "role", "yesno", "unit"):
        return col.kind
    return None


def _entry_sheet(ws, table: str, year: int, rb: rules.Rulebook, lists, f: _Formats, rows: int) -> None:
    cols = contract.columns(table)
    last = rows  # 0-based last row with checks
    for j, col in enumerate(cols):
        kind = _cell_kind(col)
        ws.set_column(j, j, _widths(col, lists), f.cell[kind])
        ws.write_string(0, j, col.zh, f.head_req if col.required else f.head)
        hint = column_hint(rb, table, col, year)
        ws.data_validation(0, j, 0, j, {
            "validate": "any", "input_title": _title(col), "input_message": hint[:255]})
        check = _check(table, col, year)
        key = _list_key(table, col)
        if key:
            check = {"validate": "list", "source": f"={LIST_NAMES[key]}",
                     "error_type": "warning", "error_title": f"{col.zh}",
                     "error_message": f"请从下拉列表中选择{col.zh}。"}
        if check:
            ws.data_validation(1, j, last, j, check)
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, len(cols) - 1)
    _print_setup(ws, [_widths(col, lists) for col in cols])


def print_layout(widths: list[float]) -> tuple[float, int | None]:
    """How an entry sheet prints on A4 landscape: ``(scale, None)`` when its columns fit one
    page width at ``MIN_SCALE`` or more, else ``(scale, k)``: two page widths, the second from
    column ``k`` on with the first :data:`TITLE_COLUMNS` repeated, split where the scale is largest."""
    room = (A4_MM[1] - (MARGINS_IN["left"] + MARGINS_IN["right"]) * 25.4) * SLACK / 1.96
    stored = [w + 0.71 for w in widths]  # as LibreOffice prints a column (excel.printable_units)
    one = min(1.0, room / sum(stored))
    if one >= MIN_SCALE or len(stored) <= TITLE_COLUMNS + 1:
        return one, None
    titles = sum(stored[:TITLE_COLUMNS])
    best = max(((min(1.0, room / max(sum(stored[:k]), titles + sum(stored[k:]))), k)
                for k in range(TITLE_COLUMNS + 1, len(stored))), key=lambda sk: (sk[0], -sk[1]))
    return best


def _print_setup(ws, widths: list[float]) -> None:
    """A4 landscape, the header on every page, page numbers in the footer; one page width when
    the type stays legible (≥ 70 %), else two with the first columns repeated, page by page
    across (a row's two halves on consecutive pages)."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(**MARGINS_IN)
    ws.repeat_rows(0, 0)
    scale, split = print_layout(widths)
    if split is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(int(scale * 100))
        ws.set_v_pagebreaks([split])
        ws.repeat_columns(0, TITLE_COLUMNS - 1)
        ws.print_across()
    ws.set_footer("&C" + _("page &P of &N"))


def _title(col: contract.Column) -> str:
    t = f"{col.zh}（{col.name}）"
    return t if len(t) <= 32 else col.zh[:32]


def _check(table: str, col: contract.Column, year: int) -> dict | None:
    """A data check on a column (warning style: the office may go on; kaohe validate decides)."""
    warn = {"error_type": "warning", "error_title": col.zh}
    if col.kind == "date":
        if table == "ledger" and col.name == "date":
            lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
            return {"validate": "date", "criteria": "between", "minimum": lo, "maximum": hi, **warn,
                    "error_message": f"请填写 {year} 年内的日期，如 {year}-03-05。"}
        return {"validate": "date", "criteria": ">=", "value": dt.date(year, 1, 1), **warn,
                "error_message": f"请填写日期，如 {year}-03-05。"}
    if col.kind == "int" and col.name == "year":
        return {"validate": "integer", "criteria": "between", "minimum": 1990, "maximum": 2100, **warn,
                "error_message": f"请填写年度，如 {year}。"}
    if col.kind == "int":
        low = 1 if col.name == "quantity" else 0
        return {"validate": "integer", "criteria": ">=", "value": low, **warn,
                "error_message": f"请填写不小于 {low} 的整数。"}
    if col.kind == "number" and col.name in ("staff", "days"):
        return {"validate": "decimal", "criteria": ">", "value": 0, **warn,
                "error_message": "请填写大于 0 的数字。"}
    if col.kind == "number":
        return {"validate": "decimal", "criteria": "between", "minimum": -1e6, "maximum": 1e6, **warn,
                "error_message": "请填写数字。"}
    return None


def _help_sheet(ws, year: int, rb: rules.Rulebook, prefill: Prefill | None, f: _Formats) -> None:
    names = {t: contract.TABLES[t][0] for t in TABLE_ORDER}
    items = items_table(rb)
    widths = [34, 24, 12, 12, 56, 22, 26]
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    r = 0
    ws.write_string(r, 0, f"{year}年度{rb.title} — 台账填报说明", f.title)
    ws.set_row(r, 26)
    r += 2
    src = (f"「{names['units']}」表已按 {prefill.year} 年度的单位和人数预填为 {year} 年度，请核对人数。"
           if prefill else f"「{names['units']}」表每个单位一行：年度、单位名称、实际工作人员人数。")
    steps = [
        f"本工作簿供 {year} 年度填报：「{names['units']}」「{names['goals']}」「{names['ledger']}」三张表，"
        "每行一条记录；表名和第一行列名不要改动，不要插入标题行或合并单元格。",
        src + "各工作机构可只交「目标」「台账」，单位表由办公厅统一提供。",
        "「目标」表每项年度工作目标一行，完成填 是/否。「台账」表每件事一行；同一事项发生多次可分行填写，也可填数量。",
        f"带下拉箭头的列（事项、角色、单位、完成、重大修改）请从下拉列表选择；日期写作 {year}-03-05；"
        "列名为橙色的列必填，其他列按下表「需填列」「可填列」填写，不用的列留空。鼠标停在列名上可看到填写提示。",
        "交回后，办公厅用 kaohe validate 检查：每个有问题的单元格都会列出工作簿、表、行和列。",
    ]
    for i, s in enumerate(steps, start=1):
        ws.merge_range(r, 0, r, len(widths) - 1, f"{i}. {s}", f.para)
        ws.set_row(r, 32)
        r += 1
    r = _help_columns(ws, r + 1, year, rb, names, widths, f)
    r = _help_items(ws, r + 1, items, widths, f)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&C" + _("page &P of &N"))


def _help_columns(ws, r: int, year: int, rb: rules.Rulebook, names, widths, f: _Formats) -> int:
    ws.write_string(r, 0, "各表的列（列名为橙色的必填）", f.sub)
    r += 1
    for j, h in enumerate(["列名", "英文列名", "所在表", "必填", "填写内容"]):
        if j == 4:
            ws.merge_range(r, 4, r, len(widths) - 1, h, f.th)
        else:
            ws.write_string(r, j, h, f.th)
    r += 1
    for t in TABLE_ORDER:
        for col in contract.columns(t):
            hint = column_hint(rb, t, col, year)
            ws.write_string(r, 0, col.zh, f.td)
            ws.write_string(r, 1, col.name, f.td)
            ws.write_string(r, 2, names[t], f.td)
            ws.write_string(r, 3, YES_ZH if col.required else "", f.td)
            ws.merge_range(r, 4, r, len(widths) - 1, hint, f.td)
            lines = max(text_width(hint) // (sum(widths[4:]) - 4) + 1, 1)
            ws.set_row(r, 15 * lines + 3)
            r += 1
    return r


def _help_items(ws, r: int, items: pd.DataFrame, widths, f: _Formats) -> int:
    ws.write_string(r, 0, f"事项一览（共 {len(items)} 项；分值按现行规则；{FREE_TEXT_NOTE}）", f.sub)
    r += 1
    for j, c in enumerate(ITEMS_HEADERS):
        ws.write_string(r, j, ITEMS_HEADERS[c], f.th)
    ws.repeat_rows(r, r)
    r += 1
    for rec in items.itertuples(index=False):
        for j, c in enumerate(ITEMS_HEADERS):
            ws.write_string(r, j, str(getattr(rec, c)), f.td)
        lines = max(text_width(rec.values) // (widths[4] - 2) + 1, 1)
        ws.set_row(r, 15 * lines + 3)
        r += 1
    return r
