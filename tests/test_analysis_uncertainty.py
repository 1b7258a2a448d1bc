"""Monte Carlo rank intervals: contract columns, reproducible, nominal at spread 0, exact model."""

from decimal import Decimal

import numpy as np
import pytest
from kit import SAMPLE

from kaohe.analysis import uncertainty as unc
from kaohe.analysis.counts import Counts
from kaohe.core.errors import KaoheError
from kaohe.engine import score
from kaohe.inputs import dataset


@pytest.fixture(scope="module")
def sc():
    return score.score(dataset.load(SAMPLE), with_reasons=False)


@pytest.fixture(scope="module")
def c(sc):
    return Counts.from_scores(sc, 2024)


def test_columns_order_and_bounds(c, sc):
    t = unc.simulate(c, 3000, 0.3, seed=2).table()
    assert list(t.columns) == ["unit", "nominal", "mean", "median", "q5", "q95"]
    pub = sc.table(2024)
    assert list(t["unit"]) == list(pub["unit"]) and list(t["nominal"]) == list(pub["rank"])
    assert (t["q5"] <= t["median"]).all() and (t["median"] <= t["q95"]).all()
    assert (t["q5"] >= 1).all() and (t["q95"] <= len(t)).all()
    assert t["mean"].between(1, len(t)).all()


def test_spread_zero_gives_nominal_everywhere(c):
    for dens in (None, ("staff",)):
        mc = unc.simulate(c, 500, 0.0, seed=3, denominators=dens)
        t = mc.table()
        for col in ("mean", "median", "q5", "q95"):
            assert (t[col] == t["nominal"]).all(), col
        assert (mc.rank_shift() == 0).all()


def test_same_seed_same_table_other_seed_other_samples(c):
    a = unc.simulate(c, 1000, 0.25, seed=7, denominators=("staff", "none", "sqrt_staff"))
    b = unc.simulate(c, 1000, 0.25, seed=7, denominators=("staff", "none", "sqrt_staff"))
    assert a.table().equals(b.table()) and (a.ranks == b.ranks).all()
    other = unc.simulate(c, 1000, 0.25, seed=8)
    assert not np.array_equal(a.factors, other.factors)
    assert set(np.unique(a.den_idx)) == {0, 1, 2}


def test_factors_are_uniform_in_the_spread(c):
    mc = unc.simulate(c, 4000, 0.2, seed=1)
    assert mc.factors.min() >= 0.8 and mc.factors.max() <= 1.2
    assert mc.factors.mean() == pytest.approx(1, abs=0.01)


def test_rule_values_are_the_used_nonzero_point_values(c):
    names = unc.rule_values(c)
    assert "common.full" not in names and "goals.full" not in names
    assert all(c.rulebook.params[n].kind == "points" for n in names)
    assert all(c.rulebook[n] != 0 for n in names)
    used = {n for n, u in zip(c.params, c.used()) if u}
    assert set(names) <= used
    assert "leave_exempt" not in names  # its value is 0


def test_sample_ranks_are_those_of_a_full_rescoring(c, sc):
    """The matrix model gives, sample by sample, the ranks of re-scoring the data set."""
    model = unc.Model(c, denominators=("staff", "none", "sqrt_staff"))
    rng = np.random.default_rng(11)
    factors, den = unc.draw(len(model.params), 4, 0.3, rng, 3)
    base = c.values[model.idx]
    values = np.round(base[None, :] * factors, 4)  # rule values carry at most 4 decimals
    factors = values / base[None, :]
    ranks = model.ranks(factors, den)
    for i in range(len(factors)):
        overrides = {n: Decimal(str(v)) for n, v in zip(model.params, values[i])}
        overrides["daily.denominator"] = model.denominators[den[i]]
        pub = sc.rerun(overrides, with_reasons=False).table(2024).set_index("unit").loc[list(c.units)]
        assert list(ranks[i]) == list(pub["rank"])


def test_extra_columns(c):
    e = unc.simulate(c, 500, 0.2, seed=1).extra()
    assert (e["width"] == e["q95"] - e["q5"]).all()
    assert e["at_nominal"].between(0, 1).all()


@pytest.mark.parametrize(("kw", "msg"), [({"samples": 0}, "样本数"), ({"spread": 1.5}, "变动幅度"),
                                         ({"spread": -0.1}, "变动幅度"), ({"denominators": ("cube",)}, "cube")])
def test_bad_settings(c, kw, msg):
    with pytest.raises(KaoheError) as e:
        unc.simulate(c, **({"samples": 10} | kw))
    assert msg in str(e.value)
