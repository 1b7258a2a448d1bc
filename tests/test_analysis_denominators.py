"""Denominators: exact per-option tables, rank shifts, the size-bias check."""

from fractions import Fraction

import numpy as np
import pytest
from kit import SAMPLE

from kaohe.analysis import denominators as den
from kaohe.engine import exact as publish
from kaohe.engine import score
from kaohe.inputs import dataset


@pytest.fixture(scope="module")
def sc():
    return score.score(dataset.load(SAMPLE), with_reasons=False)


@pytest.fixture(scope="module")
def long(sc):
    return den.long_table(sc, 2024)


def test_each_option_is_what_kaohe_score_publishes_with_it(sc, long):
    for how in ("staff", "none", "sqrt_staff", "log_staff"):
        pub = sc.rerun({"daily.denominator": how}, with_reasons=False).table(2024).set_index("unit")
        g = long[long["denominator"] == how].set_index("unit").loc[pub.index]
        assert list(g["total"]) == list(pub["total"])
        assert list(g["daily"]) == list(pub["daily"])
        assert list(g["rank"]) == list(pub["rank"])
        assert list(g["rank_rule"]) == list(sc.table(2024).set_index("unit").loc[pub.index, "rank"])


def test_no_division_total_is_the_sum_of_the_parts(sc, long):
    u = sc.units[sc.units["year"] == 2024].set_index("unit")
    g = long[long["denominator"] == "none"].set_index("unit")
    for unit, r in u.iterrows():
        assert g.loc[unit, "total"] == publish.round_half_up(r["common"] + r["goals"] + r["daily_points"], 2)


def test_rank_change_and_summary(long):
    assert (long["rank_change"] == long["rank_rule"] - long["rank"]).all()
    s = den.shift_summary(long).set_index("denominator")
    rule = s.loc["staff"]
    assert rule["mean_abs_rank_shift"] == 0 and rule["units_moved"] == 0
    g = long[long["denominator"] == "none"]
    assert s.loc["none", "mean_abs_rank_shift"] == round(float(np.abs(g["rank_change"]).mean()), 2)
    for how, r in s.iterrows():  # every unit tied for the largest move is named
        g = long[long["denominator"] == how]
        if r["max_up"] > 0:
            assert r["max_up_unit"].split("、") == list(g.loc[g["rank_change"] == r["max_up"], "unit"])
    wide = den.wide_table(long)
    assert list(wide["rank_rule"]) == sorted(wide["rank_rule"])
    assert {"rank_none", "daily_sqrt_staff"} <= set(wide.columns)


def test_size_bias_is_spearman_with_staff(sc):
    from scipy.stats import spearmanr

    b = den.size_bias(sc, 2024).set_index("measure")
    u = sc.units[sc.units["year"] == 2024]
    staff = [float(s) for s in u["staff"]]
    want = spearmanr(staff, [float(x) for x in u["daily_points"]]).statistic
    assert b.loc["daily_points", "rho"] == round(want, 3)
    want = spearmanr(staff, [float(Fraction(x)) for x in u["daily"]]).statistic
    assert b.loc["daily_staff", "rho"] == round(want, 3)
    assert "daily_none" not in b.index
    text = den.size_bias_text(b.reset_index(), den.shift_summary(den.long_table(sc, 2024)))
    assert "ρ" in text and "人均日常得分" in text


@pytest.mark.parametrize(("rho", "words"), [(0.05, "几乎无关"), (0.3, "弱正相关"), (-0.5, "中等负相关"),
                                            (0.7, "较强正相关"), (-0.9, "很强负相关")])
def test_strength_words(rho, words):
    assert den.strength(rho) == words


def test_reading_names_direction_and_significance():
    assert "反而越低" in den._reading(-0.7, 0.01, "X") and "统计上显著" in den._reading(-0.7, 0.01, "X")
    assert "未见显著的相关" in den._reading(0.5, 0.2, "X")  # never a conclusion from p ≥ 0.05
    assert "越" not in den._reading(0.5, 0.2, "X")
    assert "未见显著的相关" in den._reading(0.1, 0.7, "X")
    assert "p < 0.01" in den._reading(-0.7, 0.004, "X") and "p = 0.00" not in den._reading(-0.7, 0.004, "X")
