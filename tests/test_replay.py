"""Runs can be written and replayed: a scenario dumps and loads back to the same rulebook;
re-scoring with no overrides changes nothing (COINr's regen test)."""

from decimal import Decimal

import pandas as pd
import pytest
from kit import SAMPLE

from kaohe import load_dataset, load_rulebook, score
from kaohe.rulebook import scenario
from kaohe.rulebook.scenario import Scenario


@pytest.fixture(scope="module")
def sc():
    return score(load_dataset([SAMPLE]), with_reasons=False)


def test_scenario_round_trip(tmp_path):
    rb = load_rulebook().with_overrides({"petition_letter": "0.2", "deputy_inspection.coordinator": 3,
                                         "daily.denominator": "sqrt_staff", "ranking.ties": "dense",
                                         "leave.allowance": 10})
    s = Scenario.from_rulebook(rb, "会议加分提高", "说明")
    s.dump(tmp_path / "s.yaml")
    back = scenario.load(tmp_path / "s.yaml")
    assert back.name == "会议加分提高" and back.description == "说明"
    assert back.apply().values == rb.values
    assert "petition_letter: 0.2\n" in (tmp_path / "s.yaml").read_text(encoding="utf-8")


def test_default_rulebook_dumps_no_overrides():
    assert Scenario.from_rulebook(load_rulebook()).overrides == {}


def test_every_sample_scenario_replays(tmp_path):
    for path in sorted((SAMPLE.parent.parent / "data" / "scenarios").glob("*.yaml")) or sorted(
            (SAMPLE.parent / "scenarios").glob("*.yaml")):
        s = scenario.load(path)
        again = Scenario.from_rulebook(s.apply(), s.name)
        again.dump(tmp_path / path.name)
        assert scenario.load(tmp_path / path.name).apply().values == s.apply().values


def test_rerun_with_nothing_changes_nothing(sc):
    again = sc.rerun({})
    for year in sc.dataset.years:
        pd.testing.assert_frame_equal(again.table(year), sc.table(year))
    pd.testing.assert_frame_equal(again.audit.reset_index(drop=True), sc.audit.reset_index(drop=True))


def test_rerun_refuses_overrides_and_a_rulebook_together(sc):
    with pytest.raises(ValueError, match="not both"):
        sc.rerun({"petition_letter": Decimal("0.2")}, rulebook=load_rulebook())
    assert sc.rerun(rulebook=load_rulebook()).table(2024).equals(sc.table(2024))
