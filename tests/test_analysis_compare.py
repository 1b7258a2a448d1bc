"""Scenario comparisons: exact, contract columns, side by side."""

from pathlib import Path

import pytest
from kit import SAMPLE

from kaohe.analysis import compare as cmp
from kaohe.engine import exact as publish
from kaohe.engine import score
from kaohe.inputs import dataset
from kaohe.rulebook.scenario import Scenario

SCEN = Path(__file__).resolve().parent.parent / "data" / "scenarios"


@pytest.fixture(scope="module")
def sc():
    return score.score(dataset.load(SAMPLE), with_reasons=False)


def test_contract_columns_and_no_division(sc):
    t = cmp.compare(sc, 2024, SCEN / "no_division.yaml")
    assert list(t.columns) == ["unit", "total_base", "rank_base", "total_scenario", "rank_scenario", "diff",
                               "rank_change"]
    u = sc.units[sc.units["year"] == 2024].set_index("unit")
    for r in t.itertuples():
        parts = u.loc[r.unit]
        assert r.total_scenario == publish.round_half_up(parts["common"] + parts["goals"] + parts["daily_points"], 2)
        assert r.diff == r.total_scenario - r.total_base
        assert r.rank_change == r.rank_base - r.rank_scenario
    assert list(t["rank_base"]) == sorted(t["rank_base"])


def test_every_sample_scenario_equals_scoring_with_it(sc):
    files = sorted(SCEN.glob("*.yaml"))
    assert len(files) >= 4
    for f in files:
        s = cmp.as_scenario(f)
        assert s.name and not s.name.isascii()  # Chinese names
        t = cmp.compare(sc, 2024, s).set_index("unit")
        pub = score.score(sc.dataset, s.apply(sc.rulebook), with_reasons=False).table(2024).set_index("unit")
        assert list(t.loc[pub.index, "total_scenario"]) == list(pub["total"])
        assert list(t.loc[pub.index, "rank_scenario"]) == list(pub["rank"])


def test_a_scenario_that_changes_nothing(sc):
    t = cmp.compare(sc, 2024, {})
    assert (t["diff"] == 0).all() and (t["rank_change"] == 0).all()


def test_many_side_by_side_summary_and_flow(sc):
    scs = [SCEN / "no_division.yaml", SCEN / "sqrt_staff.yaml", Scenario("信访", {"petition_letter": 0.3}),
           Scenario("信访", {"petition_letter": 0.4})]
    long = cmp.compare_many(sc, 2024, scs)
    names = list(dict.fromkeys(long["scenario"]))
    assert names[2:] == ["信访", "信访(2)"] and len(long) == 4 * 12
    wide = cmp.side_by_side(long)
    assert wide.shape == (12, 2 + 3 * 4)
    flat = cmp.side_by_side(long, flat=True)
    assert list(flat.columns[:3]) == ["unit", "total_base", "rank_base"]
    assert f"rank:{names[0]}" in flat.columns
    s = cmp.summary(long).set_index("scenario")
    one = long[long["scenario"] == names[0]]
    assert s.loc[names[0], "mean_abs_rank_change"] == round(float(one["rank_change"].abs().mean()), 2)
    for name in names:  # every unit tied for the largest move is named, a loss with a minus sign (−)
        g = long[long["scenario"] == name]
        ch = g["rank_change"]
        if ch.max() > 0:
            assert s.loc[name, "max_gain"] == "、".join(g.loc[ch == ch.max(), "unit"]) + f" +{ch.max()}"
        if ch.min() < 0:
            assert s.loc[name, "max_loss"] == "、".join(g.loc[ch == ch.min(), "unit"]) + f" −{-ch.min()}"
    assert any("、" in x for x in s["max_gain"])  # the sample has a tie (不除: 办公厅、人事代表工作委员会 +7)
    flow = cmp.rank_flow(long)
    assert list(dict.fromkeys(flow["stage"])) == [cmp.base_label(), *names]
    o = cmp.overrides_table(scs, sc.rulebook)
    assert set(o.loc[o["parameter"] == "daily.denominator", "value"]) == {"none", "sqrt_staff"}
    assert o.loc[o["scenario"] == "信访", "rule"].item() == "0.1"
