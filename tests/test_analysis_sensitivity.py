"""Variance-based sensitivity: estimators, groups, design size."""

import numpy as np
import pytest
from kit import SAMPLE

from kaohe.analysis import sensitivity as sen
from kaohe.analysis.counts import Counts
from kaohe.analysis.uncertainty import rule_values
from kaohe.engine import score
from kaohe.inputs import dataset


@pytest.fixture(scope="module")
def c():
    return Counts.from_scores(score.score(dataset.load(SAMPLE), with_reasons=False), 2024)


def _analytic(f, n=40_000, seed=0):
    rng = np.random.default_rng(seed)
    A, B = rng.random((n, 2)), rng.random((n, 2))
    fAB = []
    for j in range(2):
        ab = A.copy()
        ab[:, j] = B[:, j]
        fAB.append(f(ab))
    fA, fB = f(A), f(B)
    return sen._indices(fA, fB, np.stack(fAB), np.var(np.concatenate([fA, fB])))


def test_estimators_on_an_additive_function():
    S1, ST = _analytic(lambda x: x[:, 0] + 2 * x[:, 1])
    assert pytest.approx([0.2, 0.8], abs=0.03) == S1
    assert pytest.approx([0.2, 0.8], abs=0.03) == ST


def test_estimators_on_an_interaction():
    S1, ST = _analytic(lambda x: x[:, 0] * x[:, 1])  # S1 = 3/7, ST = 4/7 each
    assert pytest.approx([3 / 7] * 2, abs=0.03) == S1
    assert pytest.approx([4 / 7] * 2, abs=0.03) == ST


def test_groups_are_the_rulebook_sections(c):
    params = rule_values(c)
    g = sen.groups(c, params)
    assert sorted(j for cols in g.values() for j in cols) == list(range(len(params)))
    assert {"四(一)", "四(三)1", "四(三)2", "四(三)4"} <= set(g)
    assert all(c.rulebook.params[params[j]].section == key for key, cols in g.items() for j in cols)
    assert list(g) == [s for s in c.rulebook.sections if s in g]


def test_design_size_and_a_fixed_rulebook(c):
    s = sen.sobol(c, samples=300, spread=0.0, seed=1)
    G = len(s.table)
    assert s.evaluations == 300 * (G + 2)
    t = s.table.set_index("group")
    assert t.loc["denominator", "STi"] > 0.5
    others = t.drop(index="denominator")
    assert (others["STi"] == 0).all() and (others["Si"] == 0).all()


def test_values_only_and_reproducible(c):
    a = sen.sobol(c, samples=500, spread=0.3, seed=4, denominators=None, bootstrap=50)
    b = sen.sobol(c, samples=500, spread=0.3, seed=4, denominators=None, bootstrap=50)
    assert a.table.equals(b.table)
    assert "denominator" not in set(a.table["group"])
    assert a.table["STi"].max() > 0
    ok = a.table.dropna()
    assert (ok["STi_lo"] <= ok["STi_hi"]).all()
    assert "最敏感" in sen.reading(a)


def test_reading_when_the_ranking_never_moves(c):
    s = sen.sobol(c, samples=50, spread=0.0, seed=1, denominators=None)
    assert s.variance == 0 and "不随" in sen.reading(s)


def test_per_unit(c):
    t = sen.per_unit(c, samples=300, spread=0.3, seed=2, denominators=None)
    assert list(t.index) == list(c.units)
    assert t.shape[1] == len(sen.groups(c, rule_values(c)))
