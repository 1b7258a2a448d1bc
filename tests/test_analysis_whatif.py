"""The what-if evaluator and its widget panel."""

from decimal import Decimal

import pytest
from kit import SAMPLE

from kaohe.analysis import compare as cmp
from kaohe.analysis.whatif import TABLE_COLUMNS, WhatIf, flow_frame, main_values, table_headers
from kaohe.engine import score
from kaohe.inputs import dataset


@pytest.fixture(scope="module")
def sc():
    return score.score(dataset.load(SAMPLE), with_reasons=False)


@pytest.fixture(scope="module")
def wi(sc):
    return WhatIf(sc, 2024)


def _as_published(t):
    return {r.unit: (Decimal(f"{r.total:.2f}"), r.rank) for r in t.itertuples()}


def test_main_values(wi):
    keys = main_values(wi.base)
    assert len(keys) == 12 and len(set(keys)) == 12
    assert "common.full" not in keys and all(wi.base.rulebook.params[k].kind == "points" for k in keys)
    assert wi.slow == ["leave.allowance"]


def test_unchanged_is_the_published_table(sc, wi):
    t = wi.evaluate()
    assert list(t.columns) == TABLE_COLUMNS and set(table_headers()) == set(TABLE_COLUMNS)
    pub = sc.table(2024)
    assert _as_published(t) == {r.unit: (r.total, r.rank) for r in pub.itertuples()}
    assert (t["rank_change"] == 0).all() and list(t["rank"]) == sorted(t["rank"])


@pytest.mark.parametrize("overrides", [
    {"daily.denominator": "none"},
    {"petition_letter": 0.3, "info_article": 1.25, "ranking.ties": "dense"},
    {"leave.allowance": 8, "sc_meeting": 4},
])
def test_same_as_an_exact_comparison(sc, wi, overrides):
    t = wi.table(overrides)
    exact = cmp.compare(sc, 2024, overrides)
    assert _as_published(t) == {r.unit: (r.total_scenario, r.rank_scenario) for r in exact.itertuples()}
    assert wi.last_ms > 0


def test_bad_overrides(wi):
    from kaohe.rulebook.rules import RulebookError

    with pytest.raises(RulebookError):
        wi.table({"petition_letter": "a lot"})
    with pytest.raises(ValueError, match="scenario file"):
        wi.table({"sc_meeting.long.days": 2})


def test_panel_updates_on_change(wi):
    pytest.importorskip("ipywidgets")
    from kaohe.report.panel import whatif_panel

    box = whatif_panel(wi)
    assert box.children
    w = wi.widgets
    assert len(w["sliders"]) == 12 and "status" not in w  # no developer timing
    shown = w["table"].outputs[0]["data"]["text/html"]
    assert "取消评优" in shown and "ms<" not in shown
    assert {s.style.description_width for s in [*w["sliders"].values(), *w["slow"].values()]} == {"15em"}
    assert w["slow"]["leave.allowance"].readout_format == ".0f"  # whole days: 15, not 15.00
    before = wi.current.copy()
    w["denominator"].value = "none"
    assert wi.current.equals(wi.table({"daily.denominator": "none"}))
    assert not wi.current.equals(before)
    key = wi.keys[0]
    w["sliders"][key].value = w["sliders"][key].value * 2
    assert wi.current.equals(wi.table({"daily.denominator": "none", key: w["sliders"][key].value}))
    w["denominator"].value = "staff"
    w["sliders"][key].value = float(wi.base.rulebook[key])
    assert wi.current.equals(before)
    w["denominator"].value, w["ties"].value = "sqrt_staff", "dense"
    w["slow"]["leave.allowance"].value = 5
    assert not wi.current.equals(before)
    box.children[0].children[-1].click()  # 恢复规则值
    assert wi.current.equals(before)
    assert w["denominator"].value == "staff" and w["slow"]["leave.allowance"].value == 15


def test_flow_frame(wi):
    f = flow_frame(wi.evaluate())
    assert list(dict.fromkeys(f["stage"])) == ["现行规则", "调整后"] and len(f) == 24
