"""The counts matrix reproduces the scorer exactly and re-evaluates like a re-scoring."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kit import SAMPLE

from kaohe.analysis.counts import Counts, float_denominator, rank_rows, round_rows
from kaohe.engine import exact as publish
from kaohe.engine import score
from kaohe.inputs import dataset
from kaohe.rulebook import rules


@pytest.fixture(scope="module")
def sc():
    return score.score(dataset.load(SAMPLE), with_reasons=False)


def _units(s, year):
    return s.units[s.units["year"] == year].reset_index(drop=True)


def test_default_values_reproduce_every_year_exactly(sc):
    for year in sc.dataset.years:
        c = Counts.from_scores(sc, year)
        ex, u = c.exact(), _units(sc, year)
        assert list(ex["unit"]) == list(u["unit"])
        for col in ("common", "goals", "daily_points", "daily", "total"):
            assert list(ex[col]) == list(u[col]), (year, col)
        ev = c.evaluate()
        assert np.allclose(ev.total[0], [float(t) for t in u["total"]], rtol=0, atol=1e-9)
        pub = sc.table(year).set_index("unit").loc[list(c.units)]
        assert list(c.nominal_ranks()) == list(pub["rank"])
        assert list(c.ranks(ev.total)[0]) == list(pub["rank"])
        assert list(c.published()["total"]) == list(pub["total"])


def test_matrix_matches_rerun_for_random_value_overrides(sc):
    rng = np.random.default_rng(5)
    year = sc.dataset.years[-1]
    c = Counts.from_scores(sc, year)
    names = [n for n, used in zip(c.params, c.used()) if used]
    for _ in range(5):
        pick = rng.choice(names, size=12, replace=False)
        overrides = {str(n): Decimal(str(round(float(rng.uniform(0, 8)), 2))) for n in pick}
        rerun = sc.rerun(overrides, with_reasons=False)
        vals = c.values_u.copy()
        for n, v in overrides.items():
            vals[c.pos[n]] = rules.micro(v)
        ex = c.exact(vals)
        u = _units(rerun, year)
        assert list(ex["total"]) == list(u["total"])
        delta = (vals - c.values_u) / rules.SCALE
        ev = c.evaluate(delta=delta[None, :])
        assert np.allclose(ev.total[0], [float(t) for t in u["total"]], atol=1e-9)
        assert np.allclose(c.evaluate(values=vals / rules.SCALE).total, ev.total, atol=1e-9)
        # the same through with_values (a scenario the counts can express)
        assert list(c.with_values(overrides).published()["rank"]) == list(
            rerun.table(year).set_index("unit").loc[list(c.units), "rank"])


def test_floors_are_recomputed_not_counted(sc):
    year = sc.dataset.years[-1]
    high = sc.rerun({"common.floor": 39, "goals.floor": 38}, with_reasons=False)
    assert high.audit["item"].isin(["common.floor", "goals.floor"]).any()
    c = Counts.from_scores(high, year)
    assert list(c.exact()["total"]) == list(_units(high, year)["total"])
    ev = c.evaluate()
    assert (ev.common >= 39).all() and (ev.goals >= 38).all()
    # the floors bind: some units are below them by the rule
    base = Counts.from_scores(sc, year)
    assert (base.evaluate().common < 39).any()


def test_with_values_only_takes_what_the_matrix_can_express(sc):
    c = Counts.from_scores(sc, sc.dataset.years[-1])
    assert c.with_values({"daily.denominator": "none"}).denominator == "none"
    with pytest.raises(ValueError, match="leave.allowance"):
        c.with_values({"leave.allowance": 10})
    with pytest.raises(rules.RulebookError):
        c.with_values({"no_such_item": 1})


def test_rerun_path_follows_thresholds(sc):
    year = sc.dataset.years[-1]
    c = Counts.from_scores(sc, year).rerun({"leave.allowance": 5})
    assert list(c.exact()["total"]) == list(_units(sc.rerun({"leave.allowance": 5}), year)["total"])


def test_denominators_are_the_rulebooks_choices():
    from kaohe.core import labels
    from kaohe.core.labels import DENOMINATORS

    rb = rules.load()
    assert rb.params["daily.denominator"].choices == DENOMINATORS
    assert all(labels.denominator(rb, d) != d for d in DENOMINATORS)  # each has words


def test_denominators_match_the_exact_ones():
    staff = [Decimal("2"), Decimal("5.5"), Decimal("18")]
    for how in ("staff", "none", "sqrt_staff", "log_staff"):
        f = float_denominator(np.array([float(s) for s in staff]), how)
        assert np.allclose(f, [float(publish.denominator(s, how)) for s in staff])
    with pytest.raises(ValueError):
        float_denominator(np.ones(2), "cube")


def test_round_rows_is_half_up_like_publication():
    xs = np.array([1.005, 2.675, 0.125, -1.005, 86.465, 0.0049999])
    got = round_rows(xs, 2)
    want = [int(publish.round_half_up(Fraction(Decimal(str(x))), 2) * 100) for x in xs]
    assert list(got) == want


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-2000, 12000), min_size=1, max_size=15), st.sampled_from(["min", "dense"]))
def test_rank_rows_equals_the_published_ranking(cents, ties):
    totals = np.array(cents) / 100.0
    want = publish.rank([Decimal(c).scaleb(-2) for c in cents], ties)
    assert list(rank_rows(totals[None, :], ties, 2)[0]) == list(want)
    assert list(rank_rows(np.stack([totals, totals]), ties, 2)[1]) == list(want)
