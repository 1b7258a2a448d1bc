"""Figures of the fairness analysis: built from the analysis tables, labelled, offline."""

import pytest
from kit import SAMPLE

from kaohe.analysis import compare as cmp
from kaohe.analysis import denominators as den
from kaohe.analysis import sensitivity as sen
from kaohe.analysis import uncertainty as unc
from kaohe.analysis import weights
from kaohe.analysis.counts import Counts
from kaohe.charts import fairness as ch
from kaohe.charts import style
from kaohe.engine import score
from kaohe.inputs import dataset


@pytest.fixture(scope="module")
def sc():
    return score.score(dataset.load(SAMPLE), with_reasons=False)


def test_rank_flow_has_one_line_per_unit_through_every_stage(sc):
    long = cmp.compare_many(sc, 2024, [{"daily.denominator": "none"}, {"petition_letter": 1}])
    fig = ch.rank_flow_figure(cmp.rank_flow(long), "名次")
    assert len(fig.data) == 12
    assert all(len(t.x) == 3 for t in fig.data)
    assert fig.layout.yaxis.range == (12.5, 0.5)  # rank 1 on top
    html = style.html(fig, "flow")
    assert 'id="flow"' in html and "cdn" not in html


def test_denominator_and_size_bias(sc):
    long = den.long_table(sc, 2024)
    fig = ch.denominator_figure(long)
    # independent alternatives as a dot plot: one trace per denominator, markers only, the rule last
    assert [d.name for d in fig.data] == ["不除", "除以人数的平方根", "除以(1+ln人数)", "除以实际工作人员人数"]
    assert all(d.mode == "markers" and len(d.x) == 12 for d in fig.data)
    assert list(fig.layout.yaxis.ticktext) == list(long[long["denominator"] == "staff"].sort_values(
        "rank", kind="stable")["unit"])
    fig = ch.size_bias_figure(long)
    assert len(fig.data) == 2 and len(fig.data[0].x) == 12  # no fitted line (ρ is a rank statistic)
    for d in fig.data:  # every label placed clear of the others, or left to the hover label
        shown = [t for t in d.text if t]
        assert len(shown) >= 6 and set(d.hovertext) == set(long["unit"])


def test_uncertainty_sensitivity_weights(sc):
    c = Counts.from_scores(sc, 2024)
    t = unc.simulate(c, 500, 0.2, seed=1).table()
    fig = ch.uncertainty_figure(t)
    assert list(fig.data[0].y) == list(t.sort_values("nominal")["unit"])
    assert list(fig.data[0].error_x.array) == list(t["q95"] - t["median"])
    s = sen.sobol(c, 200, 0.2, seed=1, bootstrap=20)
    fig = ch.sensitivity_figure(s.table)
    assert [d.name for d in fig.data] == ["一阶指数 Si", "总效应指数 STi"]
    w = weights.effective_weights(sc, 2024)
    fig = ch.weights_figure(w)
    assert len(fig.data) == 2 and "不设上限" in fig.data[0].x[2]


def test_weights_of_equal_totals_show_no_nan(tmp_path):
    from kit import write_dataset

    folder = write_dataset(tmp_path / "one", [(2024, "甲", 2)])
    w = weights.effective_weights(score.score(dataset.load(folder)), 2024)
    fig = ch.weights_figure(w)
    texts = [t for d in fig.data for t in d.text]
    assert "nan" not in " ".join(texts).lower() and set(texts) == {"—"}
    assert any("总分相同" in a.text for a in fig.layout.annotations)
