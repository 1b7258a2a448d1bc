"""Labels: the one home of every Chinese and English label a reader sees — tables, columns,
components, sections, items, parameters and choices. Column *names* stay English (the
contract); their headers come from here, in the language in use (:mod:`kaohe.core.i18n`).

Tables and the contract's columns are labelled from :mod:`kaohe.core.contract`; components,
sections, items, parameters and choices from the rulebook, passed in as an argument (the
core imports no other layer). Everything else is a ``(中文, English)`` pair below.
"""

from __future__ import annotations

from collections.abc import Mapping

from kaohe.core import contract
from kaohe.core.i18n import language

# the denominators of the daily-work points (四(三)) a what-if can choose (daily.denominator)
DENOMINATORS = ("staff", "none", "sqrt_staff", "log_staff")


def zh() -> bool:
    """True when the reader reads Chinese."""
    return language() != "en"


def pick(pair: tuple[str, str]) -> str:
    """The label of a ``(中文, English)`` pair in the language in use."""
    return pair[0] if zh() else pair[1]


# ------------------------------------------------------------------ the rulebook's words
def component(rb, comp: str) -> str:
    """共性工作指标 / common work."""
    c = rb.components[comp]
    return c["name"] if zh() else c.get("en", comp)


def section(rb, code: str) -> str:
    """依法履职 / duties under the law (the section's name without its clause)."""
    return rb.sections.get(code, code) if zh() else rb.sections_en.get(code, code)


def section_label(rb, code: str) -> str:
    """「四(三)1 依法履职」."""
    return f"{code} {section(rb, code)}"


PSEUDO_ITEMS = {  # audit lines that are not ledger items
    "common.full": ("共性工作指标满分", "common work full marks"),
    "goals.full": ("年度工作目标满分", "annual goals full marks"),
    "goals.per_missed": ("年度工作目标未完成", "annual goal not completed"),
    "common.floor": ("共性工作指标保底", "common work floor"),
    "goals.floor": ("年度工作目标保底", "annual goals floor"),
}


def item(rb, code: str) -> str:
    """An item's (or pseudo-item's) name: 组织常委会会议 / standing-committee meeting organised."""
    it = rb.items.get(code)
    if it is not None:
        return it.name if zh() else (it.en or code)
    return pick(PSEUDO_ITEMS[code]) if code in PSEUDO_ITEMS else code


def items(rb) -> dict[str, str]:
    """Item code (and pseudo-item) → name."""
    return {**{c: item(rb, c) for c in rb.items}, **{c: pick(p) for c, p in PSEUDO_ITEMS.items()}}


def tier(t) -> str:
    """A tier's title: 一天以上的会议 / meeting of more than a day."""
    return t.title if zh() else (t.en or t.name)


def param(p) -> str:
    """A parameter's name: 组织常委会会议分值 / standing-committee meeting organised: points."""
    return p.zh if zh() else (p.en or p.name)


# what a parameter's number counts, by the last part of its code or else by its kind
_UNITS = {"workdays": ("个工作日", "working day", "working days"), "days": ("天", "day", "days"),
          "participants": ("人", "participant", "participants"), "chars": ("字", "character", "characters"),
          "points": ("分", "point", "points")}


def _unit(p) -> tuple[str, str, str] | None:
    return _UNITS.get(p.name.rsplit(".", 1)[-1]) or _UNITS.get(p.kind)


def unit_word(p) -> str:
    """What a parameter's number counts (分, 天 … / points, days …); empty when not known."""
    unit = _unit(p)
    return "" if unit is None else unit[0] if zh() else unit[2]


def number_or_text(text):
    """``"40"`` → 40, ``"0.5"`` → Decimal("0.5"); other text unchanged (a workbook's numbers are
    numbers)."""
    from decimal import Decimal, InvalidOperation

    try:
        d = Decimal(str(text))
    except InvalidOperation:
        return text
    if not d.is_finite():
        return text
    return int(d) if d == d.to_integral_value() else d


def param_cell(rb, value):
    """A parameter's value as a workbook cell: a number as a number (its unit goes in a column
    of its own: :func:`unit_word`), anything else in words (:func:`choice`)."""
    number = number_or_text(value)
    return choice(rb, value) if isinstance(number, str) or isinstance(value, bool) else number


def param_cells(rb, name: str) -> dict:
    """A parameter's workbook cells: ``value_label`` (in force), ``default_label`` (the
    rulebook's), and ``unit`` (what a number counts; empty for words)."""
    value = param_cell(rb, rb[name])
    return {"value_label": value, "default_label": param_cell(rb, rb.params[name].default),
            "unit": "" if isinstance(value, str) else unit_word(rb.params[name])}


def param_unit(p, value) -> str:
    """The unit after a parameter's number in words: 15 → 「15天」 / "15 days", 1 → "1 working
    day"; the value alone when it is not a number or its unit is not known."""
    text = str(value)
    unit = _unit(p)
    try:
        number = float(text)
    except ValueError:
        return text
    if unit is None:
        return text
    return text + unit[0] if zh() else f"{text} {unit[1] if number == 1 else unit[2]}"


def param_note(p) -> str:
    return p.note if zh() else (p.note_en or p.note)


ROLES = {"organizer": ("承办", "organizer"), "coordinator": ("协调", "coordinator")}


def role(code: str) -> str:
    return pick(ROLES[code]) if code in ROLES else code


_CHOICE_WORDS: dict[str, tuple[str, str]] = {}


_GENERATION = [0]


def register_choice_words(words: dict[str, tuple[str, str]]) -> None:
    """The shipped rulebook's choice words, for labels that have no rulebook at hand."""
    _CHOICE_WORDS.update(words)
    _GENERATION[0] += 1  # headers built before are built again


def choice(rb, value) -> str:
    """A parameter's value in words: staff → 除以实际工作人员人数, min → 并列占位（1,2,2,4）,
    true → 是; numbers and other values unchanged (``rb`` None: the shipped rulebook's words)."""
    key = ("true" if value else "false") if isinstance(value, bool) else str(value).lower()
    words = (getattr(rb, "choice_words", None) or _CHOICE_WORDS).get(key)
    if words is None:
        return str(value)
    return words[0] if zh() else words[1]


def denominator(rb, how: str) -> str:
    """A denominator in words (the rulebook's choice words)."""
    return choice(rb, how)


def yes_no(flag: bool) -> str:
    return pick(("是", "yes") if flag else ("否", "no"))


# ------------------------------------------------------------------ the contract
def table(name: str) -> str:
    """台账 / ledger (a table of the contract)."""
    return contract.TABLES[name][0] if zh() and name in contract.TABLES else name


TABLE_ORDER = tuple(contract.TABLES)


# ------------------------------------------------------------------ column headers
_CONTRACT_COLUMNS = {c.name: c.zh for t in ("units", "goals", "ledger") for c in contract.columns(t)}

COLUMNS: dict[str, tuple[str, str]] = {
    # the published table
    "rank": ("名次", "rank"), "rank_label": ("名次", "rank"), "unit": ("单位", "unit"),
    "staff": ("实际工作人员人数", "staff"), "common": ("共性工作指标", "common work"),
    "goals": ("年度工作目标", "annual goals"), "daily_points": ("日常工作累计积分", "daily points"),
    "daily": ("日常工作指标得分", "daily work score"), "total": ("总分", "total"),
    "eligible": ("评先评优资格", "eligible"), "eligible_label": ("评先评优资格", "eligible"),
    "ineligible_because": ("取消资格原因", "why not eligible"),
    # views
    "rank_points": ("累计积分名次", "rank by points"), "rank_daily": ("人均得分名次", "rank per head"),
    "year": ("年度", "year"), "period": ("期间", "period"), "component": ("指标", "component"),
    "section": ("条款组", "section"), "clause": ("条款", "clause"), "item": ("代码", "code"),
    "item_zh": ("事项", "item"), "file": ("文件", "file"), "sheet": ("工作表", "sheet"),
    "row": ("行号", "row"), "date": ("日期", "date"), "person": ("人员", "person"),
    "subject": ("事由", "subject"), "ref": ("文号", "reference"), "reason": ("计分依据", "reason"),
    "points": ("分值", "points"), "disqualifies": ("取消评优", "loses eligibility"),
    "table": ("数据表", "table"), "rows": ("读入行数", "rows read"),
    "rows_all": ("全部年度行数", "rows, all years"), "name": ("代码", "code"),
    "zh": ("名称", "name"), "label_zh": ("名称", "name"), "value": ("取值", "value"),
    "value_label": ("取值", "value"), "default": ("默认值", "default"),
    "default_label": ("默认值", "default"), "changed": ("已调整", "changed"),
    "goals_total": ("目标数", "goals"), "completed": ("已完成", "completed"),
    "in_progress": ("进行中", "in progress"), "missed": ("未完成", "missed"),
    "denominator": ("除数", "divisor"), "label": ("年度", "year"), "note": ("说明", "note"),
    "kind": ("类型", "kind"), "parameter": ("代码", "code"),
    # compare
    "scenario": ("情景", "scenario"), "total_base": ("规则总分", "total by the rule"),
    "rank_base": ("规则名次", "rank by the rule"), "total_scenario": ("情景总分", "total in the scenario"),
    "rank_scenario": ("情景名次", "rank in the scenario"), "diff": ("总分变化", "change of total"),
    "rank_change": ("名次变化", "rank change"), "mean_abs_rank_change": ("平均名次变动", "mean rank shift"),
    "units_moved": ("名次变动单位数", "units moved"), "max_gain": ("上升最多", "largest gain"),
    "max_loss": ("下降最多", "largest loss"), "first": ("第一名", "first"),
    "rule": ("规则取值", "rule value"), "rule_label": ("规则取值", "rule value"),
    # uncertainty
    "nominal": ("规则名次", "rank by the rule"), "mean": ("平均名次", "mean rank"),
    "median": ("名次中位数", "median rank"), "q5": ("5%分位名次", "5% rank"),
    "q95": ("95%分位名次", "95% rank"), "at_nominal": ("保持规则名次的比例", "share at the rule's rank"),
    "width": ("区间宽度", "interval width"),
    # denominators
    "rank_rule": ("规则名次", "rank by the rule"), "mean_abs_rank_shift": ("平均名次变动", "mean rank shift"),
    "max_up": ("最大上升", "largest rise"), "max_up_unit": ("上升最多的单位", "unit rising most"),
    "max_down": ("最大下降", "largest fall"), "max_down_unit": ("下降最多的单位", "unit falling most"),
    "spearman_with_rule": ("与规则名次的相关（Spearman）", "Spearman correlation with the rule's ranks"),
    "measure": ("指标", "measure"), "rho": ("Spearman ρ（秩相关）", "Spearman ρ"), "p": ("p 值", "p value"),
    "strength": ("相关程度", "strength"), "reading": ("解读", "reading"),
    # weights
    "nominal_max": ("名义满分", "nominal maximum"), "sd": ("标准差", "standard deviation"),
    "min": ("最低", "minimum"), "max": ("最高", "maximum"), "var_share": ("总分方差占比", "share of variance"),
    "corr": ("与总分相关系数", "correlation with the total"),
    "rank_corr": ("与总分秩相关", "rank correlation with the total"),
    "rank_shift_without": ("拉平后名次平均变动", "mean rank shift when levelled"),
    # sensitivity
    "group": ("规则部分", "part of the rulebook"), "values": ("数值个数", "values"),
    "Si": ("一阶指数 Si", "first-order index Si"), "Si_lo": ("Si 下限", "Si low"),
    "Si_hi": ("Si 上限", "Si high"), "STi": ("总效应指数 STi", "total index STi"),
    "STi_lo": ("STi 下限", "STi low"), "STi_hi": ("STi 上限", "STi high"),
}

# a column whose header depends on the table it is in
CONTEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "per_capita": {"rank_change": ("名次变化（除后−除前）", "rank change (after − before division)")},
    "weights": {"mean": ("平均分", "mean"), "zh": ("指标", "component")},
    "compare": {"value": ("情景取值", "scenario value"), "value_label": ("情景取值", "scenario value"),
                "zh": ("参数", "parameter")},
    "params": {"zh": ("参数", "parameter"), "value_label": ("现行取值", "value in force"),
               "default_label": ("办法规定", "rulebook value"), "unit": ("计量单位", "unit of the value")},
    "denominators": {"zh": ("除数", "divisor")},
    "bias": {"zh": ("指标", "measure")},
    # the import report (kaohe validate)
    "import_summary": {"file": ("工作簿/文件", "workbook/file"), "sheet": ("表", "sheet"),
                       "table": ("数据表", "table"), "read": ("读取行数", "rows read"),
                       "accepted": ("接受行数", "rows accepted"), "refused": ("拒收行数", "rows refused"),
                       "problems": ("问题数", "problems"), "note": ("说明", "note")},
    "import_problems": {"file": ("工作簿/文件", "workbook/file"), "sheet": ("表", "sheet"),
                        "row": ("行", "row"), "column": ("列", "column"), "value": ("填写内容", "value"),
                        "expected": ("应为", "expected"), "code": ("代码", "code")},
    "import_kinds": {"code": ("代码", "code"), "problems": ("问题数", "problems"), "meaning": ("说明", "meaning")},
    "import_units": {"year": ("年度", "year"), "unit": ("单位", "unit"), "ledger_rows": ("台账行数", "ledger rows"),
                     "common": ("共性工作扣分（台账）", "common work deductions (ledger)"),
                     "daily": ("日常工作积分", "daily points"), "goals": ("目标数", "goals"),
                     "completed": ("已完成目标", "goals completed"), "files": ("来源", "from")},
}


def sentence_case(text: str) -> str:
    """An English header in sentence case (Rank, Unit, Daily points); Chinese unchanged."""
    return text if zh() else text[:1].upper() + text[1:]


def header(col: str, context: str | None = None) -> str:
    """The header of a column, in sentence case in English (English names of contract columns
    under ``--lang en``, as written)."""
    pair = CONTEXTS.get(context or "", {}).get(col) or COLUMNS.get(col)
    if pair is None:
        if col in _CONTRACT_COLUMNS:
            return _CONTRACT_COLUMNS[col] if zh() else col
        return col
    return sentence_case(pick(pair))


def headers(context: str | None = None, columns=()) -> dict[str, str]:
    """Column → header for every known column (and ``columns``, e.g. flat compare columns)."""
    out = {c: header(c, context) for c in (*COLUMNS, *_CONTRACT_COLUMNS)}
    out.update(denominator_headers(None))
    for c in columns:
        what, sep, name = str(c).partition(":")
        out[c] = f"{name}·{header(what, context)}" if sep else header(c, context)
    return out


def flat_headers(columns) -> dict[str, str]:
    """Headers for :func:`compare.side_by_side` flat columns (``total:<name>`` → ``<name>·总分``)."""
    return headers("compare", columns)


def denominator_headers(rb) -> dict[str, str]:
    """``daily_<how>`` / ``rank_<how>`` columns of the denominator comparison."""
    out = {}
    for d in DENOMINATORS:
        out[f"daily_{d}"] = pick(("日常得分·", "Daily score · ")) + denominator(rb, d)
        out[f"rank_{d}"] = pick(("总分名次·", "Rank of the total · ")) + denominator(rb, d)  # not the daily score's
    return out


class Headers(Mapping):
    """Column → header, read in the language in use at the time of reading (a constant that can
    be imported before the language is chosen)."""

    def __init__(self, context: str | None = None):
        self.context = context
        self._cache: dict[str, dict[str, str]] = {}

    def _now(self) -> dict[str, str]:
        from kaohe.core.i18n import language

        key = f"{language()}/{_GENERATION[0]}"  # built once per language, not on every lookup
        if key not in self._cache:
            self._cache[key] = headers(self.context)
        return self._cache[key]

    def __getitem__(self, col):
        return self._now()[col]

    def __iter__(self):
        return iter(self._now())

    def __len__(self):
        return len(self._now())


HEADERS = Headers()
WEIGHT_HEADERS = Headers("weights")
