"""The rulebook as data: load ``rulebook.yaml``, validate it, expose its parameters.

Every value, threshold, comparison, floor and choice of the rulebook is a :class:`Param`
with a dotted name. A :class:`Rulebook` is immutable; :meth:`Rulebook.with_overrides`
returns a new one with some parameters changed (a scenario), validated the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

from kaohe.core import contract, labels
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _

SCALE = 1_000_000  # exact points are integers in millionths of a point
VALUE_DECIMALS = 4  # rule values and 分值 carry at most this many decimals
OPS = (">", ">=", "<", "<=", "==")
ROLES = ("organizer", "coordinator")
ROLE_ZH = {"organizer": "承办", "coordinator": "协调"}
COMPONENTS = ("common", "goals", "daily")
AMOUNTS = ("quantity", "days", "points", "once")
RULES = ("leave_allowance", "reading_once", "once_per_year", "lateness")


class RulebookError(KaoheError):
    """The rulebook file or a scenario's overrides are invalid."""


@dataclass(frozen=True)
class Param:
    """One rule parameter: dotted name, default, clause, Chinese name, kind."""

    name: str
    default: Any
    clause: str
    zh: str
    kind: str  # points | threshold | days | op | choice | bool | int
    choices: tuple[str, ...] = ()
    note: str = ""
    item: str | None = None
    section: str = ""
    en: str = ""
    note_en: str = ""
    lo: Any = None  # bounds (from the rulebook's `bounds` by kind, or the parameter's own)
    hi: Any = None

    def _in_bounds(self, v) -> None:
        if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
            raise ValueError(_("expected a number from {lo} to {hi}").format(
                lo=_show(self.lo), hi=_show(self.hi)))

    def coerce(self, value: Any) -> Any:
        """Check and convert a value for this parameter; raise ValueError with a reason."""
        if self.kind in ("points", "threshold", "days"):
            if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
                raise ValueError(_("expected a number"))
            try:
                text = str(value).strip()
                if len(text) > 40:  # no rule value needs more digits
                    raise ValueError(text)
                d = Decimal(text)
            except (InvalidOperation, ValueError):  # ValueError: also an int of > 4300 digits
                raise ValueError(_("expected a number")) from None
            if not d.is_finite() or d < 0:
                raise ValueError(_("expected a number ≥ 0"))
            self._in_bounds(d)
            if self.kind == "points" and -d.as_tuple().exponent > VALUE_DECIMALS:
                raise ValueError(_("expected at most {n} decimals").format(n=VALUE_DECIMALS))
            if self.kind == "days" and -d.as_tuple().exponent > 2:
                raise ValueError(_("expected a number of days with at most 2 decimals"))
            return d
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(_("expected a whole number ≥ 0"))
            self._in_bounds(value)
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(_("expected true or false"))
            return value
        if self.kind == "op":
            if value not in OPS:
                raise ValueError(_("expected one of {choices}").format(choices=", ".join(OPS)))
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(_("expected one of {choices}").format(choices=", ".join(self.choices)))
            return value
        raise AssertionError(self.kind)


@dataclass(frozen=True)
class Tier:
    """A tier of an item: when all conditions hold, its value replaces or adds to the base."""

    name: str
    title: str
    mode: str  # replace | add
    columns: tuple[str, ...]
    per_role: bool
    en: str = ""


@dataclass(frozen=True)
class Item:
    """One ledger item of the rulebook (its values live in the rulebook's params)."""

    code: str
    clause: str
    name: str
    component: str
    effect: str
    amount: str
    per_role: bool
    has_value: bool
    tiers: tuple[Tier, ...]
    defaults: dict = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    rule: str | None = None
    missing_step: bool = False
    error: bool = False
    after: str | None = None
    en: str = ""

    @property
    def section(self) -> str:
        """Clause group: 四(一) for common items, 四(三)1 … 四(三)5 for daily work."""
        return section_of(self.clause)

    @property
    def sign(self) -> int:
        return -1 if self.effect == "deduct" else 1

    @cached_property
    def uses(self) -> frozenset[str]:
        """Ledger columns this item reads (besides date, unit, item and free text)."""
        cols = set()
        if self.amount in ("quantity", "once"):
            cols.add("quantity")
        if self.amount == "days":
            cols.add("days")
        if self.amount == "points":
            cols.add("points")
        if self.per_role:
            cols.add("role")
        for t in self.tiers:
            cols.update(t.columns)
        cols.update(self.defaults)
        if self.missing_step:
            cols.add("missing_steps")
        if self.error:
            cols.add("errors")
        if self.rule == "reading_once":
            cols.add("major_revision")
        if self.rule == "lateness":
            cols.add("published")
        return frozenset(cols)

    @cached_property
    def required(self) -> frozenset[str]:
        """Ledger columns that must be filled on this item's rows."""
        req = set(self.requires)
        if self.amount == "days":
            req.add("days")
        if self.amount == "points":
            req.add("points")
        for t in self.tiers:
            req.update(c for c in t.columns if c not in self.defaults)
        return frozenset(req)


def section_of(clause: str) -> str:
    m = re.match(r"四\(三\)\d+", clause)
    return m.group(0) if m else clause[:4]


def _num(x: Any) -> Decimal:
    return Decimal(str(x))


def shown(raw: Any, width: int = 60) -> str:
    """A value as a message shows it: repr, cut to ``width`` characters."""
    try:
        text = repr(raw)
    except ValueError:  # an int too long to print
        text = "<a number too long to print>"
    return text if len(text) <= width else text[:width - 1] + "…"


_CMP = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b, "==": lambda a, b: a == b}


_OP_SHOWN = {"<=": "≤", ">=": "≥", "==": "="}


def _compare(a, op: str, b) -> bool:
    return _CMP[op](a, b)


def _interval(op: str, t):
    """The values a condition ``x op t`` takes: (low, low included, high, high included)."""
    inf = Decimal("Infinity")
    return {">": (t, False, inf, False), ">=": (t, True, inf, False), "<": (-inf, False, t, False),
            "<=": (-inf, False, t, True), "==": (t, True, t, True)}[op]


def _inside(a, b) -> bool:
    """Interval ``a`` lies within interval ``b``."""
    alo, ali, ahi, ahi_in = a
    blo, bli, bhi, bhi_in = b
    low = alo > blo or (alo == blo and (bli or not ali))
    high = ahi < bhi or (ahi == bhi and (bhi_in or not ahi_in))
    return low and high


def _covers(values: dict, code: str, earlier: Tier, later: Tier) -> bool:
    """Every row meeting ``later``'s conditions meets ``earlier``'s (first match wins)."""
    if not earlier.columns:
        return True
    for col in earlier.columns:
        if col not in later.columns:
            return False
        e = _interval(values[f"{code}.{earlier.name}.{col}.op"], values[f"{code}.{earlier.name}.{col}"])
        lt = _interval(values[f"{code}.{later.name}.{col}.op"], values[f"{code}.{later.name}.{col}"])
        if not _inside(lt, e):
            return False
    return True


class Rulebook:
    """The rulebook: items, sections, parameters (with defaults) and current values."""

    def __init__(self, data: dict, source: str = "rulebook.yaml"):
        self.source = source
        self.title = data.get("title", "")
        self.sections: dict[str, str] = dict(data.get("sections", {}))
        self.sections_en: dict[str, str] = dict(data.get("sections_en", {}))
        self.choice_words: dict[str, tuple[str, str]] = {
            str(k).lower(): (str(v[0]), str(v[1])) for k, v in data.get("choice_words", {}).items()}
        self.role_words: dict[str, list[str]] = {k: list(v) for k, v in data["roles"].items()}
        self.components: dict[str, dict] = {}
        self.items: dict[str, Item] = {}
        self.params: dict[str, Param] = {}
        self._values: dict[str, Any] = {}
        problems: list[str] = []
        self._load(data, problems)
        if problems:
            raise RulebookError(f"{source}: invalid rulebook", problems)

    # -------------------------------------------------------------- loading
    def _add(self, problems, name, raw, clause, zh, kind, *, choices=(), note="", item=None, en="",
             note_en="", spec=None):
        if name in self.params:
            problems.append(f"{name}: defined twice")
            return
        lo, hi = self._bounds.get(kind, (None, None))
        if isinstance(spec, dict):
            lo, hi = spec.get("min", lo), spec.get("max", hi)
        if kind in ("points", "threshold", "days"):
            lo, hi = (None if b is None else Decimal(str(b)) for b in (lo, hi))
        p = Param(name, None, clause, zh, kind, tuple(choices), note, item, section_of(clause), lo=lo, hi=hi)
        try:
            value = p.coerce(raw)
        except ValueError as e:
            problems.append(f"{name}: {e} (got {shown(raw)})")
            return
        p = Param(name, value, clause, zh, kind, tuple(choices), note, item, section_of(clause),
                  en or name, note_en or note, lo, hi)
        self.params[name] = p
        self._values[name] = value

    def _load(self, data: dict, problems: list[str]) -> None:
        self._bounds = {}
        for kind, b in (data.get("bounds") or {}).items():
            self._bounds[kind] = (b.get("min"), b.get("max"))
        self.relations = []
        for rel in data.get("relations") or []:
            if not (isinstance(rel, list) and len(rel) == 3 and rel[1] in OPS):
                problems.append(f"relations: {rel!r}: expected [parameter, comparison, parameter]")
                continue
            self.relations.append(tuple(rel))
        for comp, spec in data["components"].items():
            self.components[comp] = {"clause": spec["clause"], "name": spec["name"],
                                     "en": spec.get("en", comp)}
            for pname, pspec in spec["params"].items():
                raw = pspec["value"]
                kind = (
                    "choice" if "choices" in pspec
                    else "int" if pname == "decimals"
                    else "points"
                )
                self._add(problems, f"{comp}.{pname}", raw, spec["clause"], pspec["name"], kind,
                          choices=pspec.get("choices", ()), note=pspec.get("note", ""),
                          en=pspec.get("en", ""), note_en=pspec.get("note_en", ""), spec=pspec)
        names: dict[str, str] = {}
        for code, spec in data["items"].items():
            try:
                item = self._load_item(code, spec, problems)
            except (KeyError, TypeError) as e:
                problems.append(f"items.{code}: missing or malformed field {e}")
                continue
            if item.name in names:
                problems.append(f"items.{code}: Chinese name {item.name} also used by {names[item.name]}")
            names[item.name] = code
            self.items[code] = item
        for code, item in self.items.items():
            if (item.rule == "reading_once") != (item.after is not None) or (
                    item.after is not None and item.after not in self.items):
                problems.append(f"items.{code}: rule reading_once needs `after`, an item code")
        for comp in COMPONENTS:
            if comp not in self.components:
                problems.append(f"components.{comp}: missing")
        for left, _op, right in self.relations:
            for name in (left, right):
                if name not in self.params:
                    problems.append(f"relations: {name} is not a parameter")
        if not problems:
            problems.extend(self.broken_relations(self._values))

    def _load_item(self, code: str, spec: dict, problems: list[str]) -> Item:
        clause, name = spec["clause"], spec["name"]
        en = spec.get("en", code)
        component = spec["component"]
        effect = spec.get("effect", "add")
        amount = spec.get("amount", "quantity")
        rule = spec.get("rule")
        for what, val, allowed in (("component", component, ("common", "daily")),
                                   ("effect", effect, ("add", "deduct")),
                                   ("amount", amount, AMOUNTS), ("rule", rule, (None, *RULES))):
            if val not in allowed:
                problems.append(f"items.{code}.{what}: {val!r} is not one of {allowed}")
        unit_zh = "扣分" if effect == "deduct" else "分值"
        unit_en = "deduction" if effect == "deduct" else "points"
        value = spec.get("value")
        per_role = isinstance(value, dict)
        if per_role:
            for role in ROLES:
                self._add(problems, f"{code}.{role}", value.get(role), clause,
                          f"{name}({ROLE_ZH[role]}){unit_zh}", "points", item=code,
                          en=f"{en} ({role}): {unit_en}")
        elif value is not None:
            self._add(problems, code, value, clause, f"{name}{unit_zh}", "points", item=code,
                      en=f"{en}: {unit_en}")
        elif amount != "points":
            problems.append(f"items.{code}: no value")
        tiers = []
        for t in spec.get("tiers", []):
            mode = "add" if "add" in t else "replace"
            tval = t.get(mode if mode == "add" else "value")
            t_role = isinstance(tval, dict)
            if t_role and not per_role:
                problems.append(f"items.{code}.tiers.{t['name']}: per-role tier on an item with one value")
            base = f"{code}.{t['name']}"
            zh = f"{name}({t.get('title', t['name'])})"
            ten = f"{en} ({t.get('en', t['name'])})"
            if t_role:
                for role in ROLES:
                    self._add(problems, f"{base}.{role}", tval.get(role), clause,
                              f"{zh}{ROLE_ZH[role]}{unit_zh}", "points", item=code,
                              en=f"{ten}, {role}: {unit_en}")
            else:
                self._add(problems, base, tval, clause,
                          zh + ("加分" if mode == "add" else unit_zh), "points", item=code,
                          en=f"{ten}: " + ("added points" if mode == "add" else unit_en))
            cols = []
            for col, (op, threshold) in t["when"].items():
                if col not in ("days", "participants", "chars"):
                    problems.append(f"items.{code}.tiers.{t['name']}: cannot compare column {col}")
                czh = contract.column("ledger", col).zh if col in ("days", "participants", "chars") else col
                self._add(problems, f"{base}.{col}", threshold, clause, f"{zh}{czh}阈值",
                          "threshold", item=code, en=f"{ten}: {col} threshold")
                self._add(problems, f"{base}.{col}.op", op, clause, f"{zh}{czh}比较", "op", item=code,
                          en=f"{ten}: {col} comparison")
                cols.append(col)
            tiers.append(Tier(t["name"], t.get("title", t["name"]), mode, tuple(cols), t_role,
                              t.get("en", t["name"])))
        for key, zh, ken in (("missing_step", "每缺一项扣分", "deduction per missing step"),
                             ("error", "每次失误扣分", "deduction per error")):
            if key in spec:
                self._add(problems, f"{code}.{key}", spec[key], clause, f"{name}{zh}", "points", item=code,
                          en=f"{en}: {ken}")
        for pname, pspec in spec.get("params", {}).items():
            raw = pspec["value"]
            kind = ("bool" if isinstance(raw, bool) else "int" if pname == "workdays"
                    else "days" if pname == "allowance" else "points")
            self._add(problems, f"{code}.{pname}", raw, clause, pspec["name"], kind,
                      note=pspec.get("note", ""), item=code,
                      en=f"{en}: {pspec['en']}" if "en" in pspec else "",
                      note_en=pspec.get("note_en", ""), spec=pspec)
        requires = tuple(spec.get("requires", ()))
        for col in requires:
            if col not in contract.FREE_TEXT:
                problems.append(f"items.{code}.requires: {col} is not a free-text column")
        if not re.match(r"四\([一三]\)", clause):
            problems.append(f"items.{code}.clause: {clause!r} is not a 四(一)/四(三) clause")
        return Item(code, clause, name, component, effect, amount, per_role,
                    value is not None, tuple(tiers), dict(spec.get("defaults", {})), requires,
                    rule, "missing_step" in spec, "error" in spec, spec.get("after"), en)

    # -------------------------------------------------------------- values
    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    @property
    def values(self) -> dict[str, Any]:
        return dict(self._values)

    def value(self, code: str, role: str = "organizer", tier: str | None = None) -> Decimal:
        """An item's value for a role (and tier), as the rulebook states it (≥ 0)."""
        item = self.items[code]
        base = f"{code}.{tier}" if tier else code
        t = next((t for t in item.tiers if t.name == tier), None) if tier else None
        per_role = t.per_role if t else item.per_role
        return self._values[f"{base}.{role}" if per_role else base]

    def with_overrides(self, overrides: dict[str, Any], origin: str = "overrides") -> Rulebook:
        """A new rulebook with parameters changed; every bad name or value is reported."""
        problems = []
        new = dict(self._values)
        for name, raw in overrides.items():
            p = self.params.get(name)
            if p is None:
                close = [n for n in self.params if n.split(".")[0] == str(name).split(".")[0]]
                hint = _(" (did you mean one of: {names})").format(names=", ".join(close[:8])) if close else ""
                problems.append(_("{name}: unknown parameter{hint}; `kaohe params` lists them").format(
                    name=name, hint=hint))
                continue
            try:
                new[name] = p.coerce(raw)
            except ValueError as e:
                problems.append(_("{name}: {reason} (got {value})").format(name=name, reason=e, value=shown(raw)))
        if not problems:
            problems = self.broken_relations(new)
        if problems:
            raise RulebookError(_("{origin}: invalid parameter overrides").format(origin=origin), problems)
        rb = object.__new__(Rulebook)
        rb.__dict__.update(self.__dict__)
        rb._values = new
        rb.__dict__.pop("item_lookup", None)
        return rb

    def broken_relations(self, values: dict[str, Any]) -> list[str]:
        """What ``values`` break: the rulebook's relations, and tiers that can never apply
        (a later tier whose conditions an earlier one always takes first)."""
        out = []
        for left, op, right in self.relations:
            if not _compare(values[left], op, values[right]):
                out.append(_("{left} = {lv} must be {op} {right} = {rv}").format(
                    left=left, lv=_show(values[left]), op=_OP_SHOWN.get(op, op), right=right,
                    rv=_show(values[right])))
        for code, item in self.items.items():
            for i, later in enumerate(item.tiers):
                for earlier in item.tiers[:i]:
                    if _covers(values, code, earlier, later):
                        out.append(_("{code}: tier {later} can never apply: every row it takes is "
                                     "taken first by tier {earlier} (tiers go from the most "
                                     "demanding down)").format(code=code, later=later.name,
                                                               earlier=earlier.name))
        return out

    def changed(self) -> dict[str, Any]:
        """Parameters whose value differs from the rulebook's default."""
        return {n: v for n, v in self._values.items() if v != self.params[n].default}

    # -------------------------------------------------------------- lookups
    @cached_property
    def item_lookup(self) -> dict[str, str]:
        """Every accepted spelling of an item (code or Chinese name) → code."""
        out = {}
        for code, item in self.items.items():
            out[code] = code
            out[code.lower()] = code
            out[item.name] = code
        return out

    @cached_property
    def role_lookup(self) -> dict[str, str]:
        return {w.lower(): role for role, words in self.role_words.items() for w in words}

    def params_table(self):
        """Every parameter: name, default, current value, clause, Chinese name, kind, note."""
        import pandas as pd

        return pd.DataFrame(self.params_rows())

    def params_rows(self) -> list[dict[str, str]]:
        """:meth:`params_table`'s rows as dicts (no pandas: ``kaohe params`` answers at once)."""
        return [
            {
                "name": p.name,
                "default": _show(p.default),
                "value": _show(self._values[p.name]),
                "clause": p.clause,
                "zh": p.zh,
                "kind": p.kind + (f" ({'|'.join(p.choices)})" if p.choices else ""),
                "note": p.note,
            }
            for p in self.params.values()
        ]


def _show(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")
    return str(v)


def micro(d: Decimal) -> int:
    """Exact points as an integer number of millionths."""
    m = d * SCALE
    if m != m.to_integral_value():
        raise ValueError(f"{d} has more than 6 decimals")
    return int(m)


_DEFAULT: Rulebook | None = None
def _yaml(text: str, source: str):
    import yaml

    from kaohe.rulebook.yamltext import strict_yaml, yaml_problem

    try:
        return strict_yaml(text)
    except yaml.YAMLError as e:
        raise RulebookError(_("{path}: not valid YAML").format(path=source), [yaml_problem(e)]) from None


_CACHE_FORMAT = 1  # bump when what the loader returns changes


def _parsed(text: str, source: str):
    """The shipped rulebook's YAML parsed, kept in kaohe's cache folder under the hash of its
    text (marshal: plain data, nothing that runs); a cache that is missing, unreadable or
    unwritable only means parsing again (and yaml imported: 25 ms a command)."""
    import hashlib
    import marshal
    import os

    from kaohe.core.resources import cache_root

    key = hashlib.sha256(f"{_CACHE_FORMAT}\0{text}".encode()).hexdigest()[:32]
    path = cache_root() / f"rulebook-{key}.marshal"
    try:
        data = marshal.loads(path.read_bytes())
        if isinstance(data, dict):
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = _yaml(text, source)
    try:
        blob = marshal.dumps(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass
    return data


def load(path: str | Path | None = None) -> Rulebook:
    """Load and validate a rulebook file (default: the one shipped in the package)."""
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            text = Path(__file__).with_name("rulebook.yaml").read_text(encoding="utf-8")
            source = "kaohe/rulebook/rulebook.yaml"
            _DEFAULT = Rulebook(_parsed(text, source), source)
            labels.register_choice_words(_DEFAULT.choice_words)
        return _DEFAULT
    p = Path(path)
    return Rulebook(_yaml(p.read_text(encoding="utf-8"), str(p)), str(p))
