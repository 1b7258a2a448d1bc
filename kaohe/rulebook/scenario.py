"""Scenarios: small YAML files that override rulebook parameters for a what-if.

    name: 会议加分提高
    overrides:
      petition_letter: 0.2
      deputy_inspection.coordinator: 3
      daily.denominator: none
      ranking.ties: dense
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from kaohe.core import files
from kaohe.core.errors import KaoheError, os_reason
from kaohe.core.i18n import _
from kaohe.rulebook import rules, yamltext


@dataclass
class Scenario:
    name: str
    overrides: dict = field(default_factory=dict)
    path: Path | None = None
    description: str = ""

    def apply(self, rb: rules.Rulebook | None = None) -> rules.Rulebook:
        """The rulebook with this scenario's overrides (every bad name or value reported)."""
        rb = rb or rules.load()
        return rb.with_overrides(self.overrides, origin=str(self.path or self.name))

    @classmethod
    def from_rulebook(cls, rb: rules.Rulebook, name: str = "", description: str = "") -> Scenario:
        """The scenario that turns the default rulebook into ``rb`` (its changed parameters),
        so a run's settings (the what-if panel's, a workbook's rules) can be saved and replayed.

        >>> rb = rules.load().with_overrides({"daily.denominator": "none"})
        >>> Scenario.from_rulebook(rb, "不除").overrides
        {'daily.denominator': 'none'}
        """
        return cls(name or "scenario", dict(rb.changed()), None, description)

    def dump(self, path: str | Path | None = None) -> str:
        """The scenario as YAML (what :func:`load` reads back); written to ``path`` when given."""
        data = {"name": self.name}
        if self.description:
            data["description"] = self.description
        data["overrides"] = {k: _plain(v) for k, v in self.overrides.items()}
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
        if path is not None:
            files.write_text_atomic(path, text)
        return text


class _Dumper(yaml.SafeDumper):
    """YAML with exact decimals: 0.2 stays 0.2, 5 stays 5; never an alias (load refuses them)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _plain(v):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else v
    return v


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v.normalize(), "f")))


MAX_BYTES = 1_000_000  # a scenario overrides some of ~100 parameters: a few kB
MAX_TEXT = 500  # characters of a name or description


def _read(p: Path) -> str:
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise KaoheError(_("{path}: cannot read the scenario file ({reason})").format(
            path=p, reason=os_reason(e))) from None
    if len(raw) > MAX_BYTES:
        raise KaoheError(_("{path}: a scenario file is at most {n} bytes").format(path=p, n=MAX_BYTES))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise KaoheError(_("{path}: not UTF-8 text (byte {byte} on line {line}): save the scenario "
                           "as UTF-8").format(path=p, byte=f"0x{raw[e.start]:02x}", line=line)) from None


def _text(data: dict, key: str, problems: list[str]) -> str:
    v = data.get(key)
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        problems.append(_("{key}: expected a line of text").format(key=key))
        return ""
    v = str(v)
    if len(v) > MAX_TEXT:
        problems.append(_("{key}: at most {n} characters").format(key=key, n=MAX_TEXT))
    return v[:MAX_TEXT]


def load(path: str | Path) -> Scenario:
    """Read and check a scenario file."""
    p = Path(path)
    text = _read(p)
    try:
        data = yamltext.strict_yaml(text)
    except yaml.YAMLError as e:
        raise KaoheError(_("{path}: not valid YAML").format(path=p), [yamltext.yaml_problem(e)]) from None
    if not isinstance(data, dict):
        raise KaoheError(_("{path}: a scenario is a mapping with `name` and `overrides`").format(path=p))
    unknown = sorted(map(str, set(data) - {"name", "overrides", "description"}))
    problems = [_("{key}: unknown key (expected name, overrides, description)").format(key=rules.shown(k))
                for k in unknown]
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict):
        problems.append(_("overrides: expected a mapping of parameter: value"))
        overrides = {}
    name, description = _text(data, "name", problems), _text(data, "description", problems)
    if problems:
        raise KaoheError(_("{path}: invalid scenario").format(path=p), problems)
    sc = Scenario(name or p.stem, {str(k): v for k, v in overrides.items()}, p, description)
    sc.apply()  # validate names and values now
    return sc
