"""The data contract as data: tables, columns, their Chinese names and vocabularies.

Mirrors ``docs/spec/data-contract.md``; number columns carry the bounds a person would write
(``lo``/``hi``, checked by the reader); readers, validators, templates and reports take
names from here so that English and Chinese headers are accepted everywhere alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a table: English name, Chinese name, kind, and what it is for."""

    name: str
    zh: str
    kind: str  # int | number | date | text | yesno | item | role | unit | calendar_kind
    required: bool = False
    doc: str = ""
    lo: str | None = None  # bounds of a number a person would write (Decimal text), inclusive
    hi: str | None = None
    lo_open: bool = False  # True: the number must be > lo
    decimals: int | None = None  # at most this many decimals
    aliases: tuple[str, ...] = ()  # other headers people write for it (accepted as well)

    @property
    def names_unit(self) -> bool:
        """Whether its cells are unit names: a unit of that year (kind ``unit``), or the
        units table's own list of them."""
        return self.kind == "unit" or self.name == "unit"


TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "units": (
        "单位",
        (
            Column("year", "年度", "int", True, "assessment year", "1990", "2100"),
            Column("unit", "单位", "text", True, "unit name"),
            Column("staff", "实际工作人员人数", "number", True, "staff (> 0, may be fractional)", "0", "100000",
                   lo_open=True, decimals=4),
        ),
    ),
    "goals": (
        "目标",
        (
            Column("year", "年度", "int", True, "assessment year", "1990", "2100"),
            Column("unit", "单位", "unit", True, "a unit of that year"),
            Column("goal", "目标", "text", True, "the goal"),
            Column("completed", "完成", "yesno", True, "是/否", aliases=("是否完成", "完成情况")),
        ),
    ),
    "ledger": (
        "台账",
        (
            Column("date", "日期", "date", True, "date of the fact; its year is the assessment year"),
            Column("unit", "单位", "unit", True, "a unit of that year"),
            Column("item", "事项", "item", True, "item code or its Chinese name"),
            Column("quantity", "数量", "int", False, "integer ≥ 1, default 1", "1", "100000"),
            Column("role", "角色", "role", False, "organizer (承办) / coordinator (协调)"),
            Column("person", "人员", "text", False, "the person (absences, leave)"),
            Column("days", "天数", "number", False, "days (> 0)", "0", "366", lo_open=True, decimals=2),
            Column("participants", "参加人数", "int", False, "participants (≥ 0)", "0", "1000000"),
            Column("chars", "字数", "int", False, "characters drafted (≥ 0)", "0", "100000000"),
            Column("missing_steps", "缺项", "int", False, "missing steps (≥ 0)", "0", "10000"),
            Column("errors", "失误", "int", False, "errors (≥ 0)", "0", "10000"),
            Column("subject", "事由", "text", False, "the regulation, report, activity…"),
            Column("major_revision", "重大修改", "yesno", False, "是/否, default 否"),
            Column("published", "发布日期", "date", False, "date the information was published"),
            Column("points", "分值", "number", False, "points decided by the directors' meeting", "-100", "100",
                   decimals=4),
            Column("ref", "文号", "text", False, "reference of the decision / evidence"),
            Column("note", "备注", "text", False, "note"),
        ),
    ),
    "calendar": (
        "日历",
        (
            Column("date", "日期", "date", True, "a day of a year the holiday calendar lacks"),
            Column("kind", "类型", "calendar_kind", True, "holiday (休/节假日) or workday (班/调休上班)"),
            Column("name", "名称", "text", False, "holiday name"),
        ),
    ),
}

REQUIRED_TABLES = ("units", "ledger")
FREE_TEXT = ("person", "subject", "ref", "note")

YES = ("true", "1", "是", "完成", "yes", "y", "已完成", "√", "✓")
NO = ("false", "0", "否", "未完成", "no", "n", "×")
CALENDAR_KINDS = {
    "holiday": ("holiday", "休", "假", "节假日", "放假", "休息"),
    "workday": ("workday", "班", "上班", "调休上班", "工作日", "补班"),
}


def columns(table: str) -> tuple[Column, ...]:
    """The columns of a table."""
    return TABLES[table][1]


def column(table: str, name: str) -> Column:
    """One column of a table by English name."""
    return next(c for c in columns(table) if c.name == name)


def column_label(table: str, name: str) -> str:
    """How messages name a column: its Chinese label (数量) in Chinese, its name (quantity) in
    English; other names (a header as written) as they are."""
    from kaohe.core.i18n import language

    if name in {c.name for c in columns(table)}:
        return column(table, name).zh if language() != "en" else name
    return name


def table_label(name: str) -> str:
    """How messages name a table: 台账 in Chinese, ledger in English."""
    from kaohe.core.i18n import language

    return TABLES[name][0] if language() != "en" else name


def bounds(table: str, name: str):
    """``(lo, hi, lo_open, decimals)`` of a number column (Decimals, or None when unbounded)."""
    from decimal import Decimal

    c = column(table, name)
    return (None if c.lo is None else Decimal(c.lo), None if c.hi is None else Decimal(c.hi),
            c.lo_open, c.decimals)


def table_names() -> dict[str, str]:
    """Every accepted table (file/sheet) name → canonical name."""
    out = {}
    for name, (zh, _) in TABLES.items():
        out[name] = name
        out[zh] = name
    return out


def header_names(table: str) -> dict[str, str]:
    """Every accepted header of a table (English or Chinese, case-insensitive) → name."""
    out = {}
    for c in columns(table):
        out[c.name.lower()] = c.name
        out[c.zh] = c.name
        out.update(dict.fromkeys(c.aliases, c.name))
    return out
