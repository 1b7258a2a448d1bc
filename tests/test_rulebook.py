"""The rulebook file holds exactly the spec's items with their clauses and values."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kaohe.core.errors import KaoheError
from kaohe.rulebook import rules

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "docs" / "spec" / "rules.md"  # a copy of shared/spec/rules.md
SHARED = ROOT.parent / "shared" / "spec" / "rules.md"


def spec_items() -> dict[str, tuple[str, str]]:
    """item code → (clause as written in the spec table, value cell)."""
    out = {}
    section = ""
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"### (\d) ", line)
        if m:
            section = m.group(1)
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"`[a-z_]+`", cells[1]):
            out[cells[1].strip("`")] = (cells[0], cells[2] if section else cells[3])
    return out


def test_spec_copy_is_current():
    if not SHARED.exists():
        pytest.skip("shared/spec not next to this checkout")
    assert SPEC.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8")


def test_item_set_is_exactly_the_specs():
    assert set(rules.load().items) == set(spec_items())


def test_clauses_match_the_spec():
    rb = rules.load()
    for code, (clause, _) in spec_items().items():
        full = clause if clause.startswith("四") else f"四(三){clause}"
        assert rb.items[code].clause == full, code


def test_single_values_match_the_spec():
    rb = rules.load()
    checked = 0
    for code, (_, cell) in spec_items().items():
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(?: per .*)?", cell)
        if m and not rb.items[code].per_role and code in rb.params:
            assert rb[code] == Decimal(m.group(1)), code
            checked += 1
    assert checked > 35


def test_role_values_match_the_spec():
    rb = rules.load()
    for code, (_, cell) in spec_items().items():
        m = re.fullmatch(r"organizer (\d+(?:\.\d+)?), coordinator (\d+(?:\.\d+)?)", cell)
        if m:
            assert (rb[f"{code}.organizer"], rb[f"{code}.coordinator"]) == tuple(map(Decimal, m.groups()))


def test_thresholds_and_comparisons_are_parameters():
    rb = rules.load()
    assert rb["sc_meeting.long.days"] == 1 and rb["sc_meeting.long.days.op"] == ">"
    assert rb["study_program.large.participants"] == 60 and rb["study_program.large.participants.op"] == ">="
    assert rb["study_program.large.days"] == 5
    assert rb["deputy_training.large.participants"] == 100 and rb["deputy_training.large.days"] == 2
    assert (rb["speech_draft.medium.chars"], rb["speech_draft.medium.chars.op"]) == (1000, ">")
    assert (rb["speech_draft.long.chars"], rb["speech_draft.long.chars.op"]) == (2500, ">=")
    assert rb["leave.allowance"] == 15 and rb["goals.per_missed"] == 5
    assert rb["common.full"] == rb["goals.full"] == 40 and rb["common.floor"] == 0
    assert rb["daily.denominator"] == "staff" and rb["ranking.ties"] == "min"


def test_every_parameter_has_clause_and_chinese_name():
    for p in rules.load().params.values():
        assert p.clause.startswith(("四", "三")), p.name
        assert re.search(r"[\u4e00-\u9fff]", p.zh), p.name


def test_overrides_are_checked_and_every_problem_named():
    rb = rules.load()
    with pytest.raises(KaoheError) as e:
        rb.with_overrides({"petition_letter": "abc", "no_such.thing": 1, "daily.denominator": "median",
                           "sc_meeting.long.days.op": "~", "petition_visit": 0.12345})
    text = str(e.value)
    for name in ("petition_letter", "no_such.thing", "daily.denominator", "sc_meeting.long.days.op",
                 "petition_visit"):
        assert name in text
    new = rb.with_overrides({"petition_letter": 0.2, "deputy_inspection.coordinator": 3})
    assert new["petition_letter"] == Decimal("0.2") and rb["petition_letter"] == Decimal("0.1")
    assert new.changed() == {"petition_letter": Decimal("0.2"), "deputy_inspection.coordinator": Decimal(3)}


def test_a_broken_rulebook_file_is_refused(tmp_path):
    import yaml

    data = yaml.safe_load((ROOT / "kaohe" / "rulebook" / "rulebook.yaml").read_text(encoding="utf-8"))
    data["items"]["lecture"]["component"] = "bonus"
    data["items"]["lecture"]["value"] = -2
    data["items"]["study_visit"]["name"] = data["items"]["lecture"]["name"]
    path = tmp_path / "rb.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(rules.RulebookError) as e:
        rules.load(path)
    assert len(e.value.details) >= 3
