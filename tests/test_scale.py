"""Scale: the fast paths give exactly what the plain ones give (no timing here: see
benchmarks/), ranks by sorting, and the light commands import only what they use."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.engine import exact
from kaohe.rulebook import rules

STAFF = [D("1"), D("2"), D("3"), D("7"), D("7.5"), D("12"), D("0.3"), D("6.25"), D("13")]


def _naive_rank(values, ties):
    keys = [Fraction(v) for v in values]
    desc = sorted(set(keys), reverse=True)
    if ties == "dense":
        return [desc.index(k) + 1 for k in keys]
    return [sum(1 for o in keys if o > k) + 1 for k in keys]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(-5, 5), st.sampled_from([D("1.5"), D("1.50"), D("-0.25"), D("3")]),
                          st.fractions(max_denominator=7).filter(lambda f: abs(f) < 10)), max_size=30),
       st.sampled_from(["min", "dense"]))
def test_rank_by_sorting_matches_counting(values, ties):
    assert list(exact.rank(values, ties)) == _naive_rank(values, ties)


def test_rank_of_many_ties_is_linear_in_distinct_values():
    values = [D(i % 1000) for i in range(200_000)]  # counting per value would take minutes
    r = exact.rank(values)
    assert r.max() == 199_801 and r.min() == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(STAFF), st.integers(-50_000_000, 40_000_000),
                          st.integers(0, 40_000_000), st.integers(-10**9, 10**10), st.booleans()),
                min_size=1, max_size=25),
       st.sampled_from(["staff", "none", "sqrt_staff"]), st.sampled_from(["min", "dense"]),
       st.sampled_from([0, 1, 2, 3]))
def test_published_from_integer_sums_is_the_exact_table(rows, how, ties, decimals):
    rb = rules.load().with_overrides({"daily.denominator": how, "ranking.ties": ties,
                                      "ranking.decimals": decimals})
    sums = pd.DataFrame({
        "year": 2024, "unit": pd.array([f"单位{i}" for i in range(len(rows))], dtype="str"),
        "staff": [r[0] for r in rows], "common": np.array([r[1] for r in rows], dtype=np.int64),
        "goals": np.array([r[2] for r in rows], dtype=np.int64),
        "daily": np.array([r[3] for r in rows], dtype=np.int64),
    })
    bad = [f"单位{i}" for i, r in enumerate(rows) if r[4]]
    audit = pd.DataFrame({"year": [], "unit": [], "item": [], "clause": [], "date": []})
    units = exact.exact_summary(sums, audit, rb)
    units["eligible"] = ~units["unit"].isin(bad)
    slow = exact.published_table(units, 2024, rb)
    fast = exact.published_from_sums(sums, bad, 2024, rb)
    if how == "sqrt_staff":
        assert fast is None
        return
    pd.testing.assert_frame_equal(fast, slow)
    # the same Decimals, to the exponent (what the CSV and the workbook show)
    for col in exact.NUMBER_COLUMNS:
        assert [str(v) for v in fast[col]] == [str(v) for v in slow[col]]


def test_score_table_is_the_table_of_the_exact_units():
    from kaohe.engine.score import score
    from kaohe.inputs.dataset import load

    sc = score(load("data/sample"), with_reasons=False)
    for year in (2022, 2023, 2024):
        fast = sc.table(year)
        slow = exact.published_table(sc.units, year, sc.rulebook)
        pd.testing.assert_frame_equal(fast, slow)


def test_published_table_needs_no_audit_table():
    from kaohe.engine.score import score
    from kaohe.inputs.dataset import load

    sc = score(load("data/sample"), with_reasons=False)
    table = sc.table(2024)
    assert sc._audit is None  # made on first use only
    assert not table["eligible"].all()  # the ledger's disqualifying rows are found without it
    assert sc.audit["points_u"].sum() == sc.sums[["common", "goals", "daily"]].to_numpy().sum()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-1, 40), st.integers(-(2**40), 2**40)), max_size=60),
       st.booleans())
def test_stable_order_is_lexsort(rows, wide):
    from kaohe.core.columns import stable_order

    keys = [np.array([r[j] for r in rows], dtype=np.int64) for j in range(3)]
    if wide and rows:  # ranges that cannot share one 62-bit key: lexsort itself
        keys[0] = keys[0] * 2**40
    assert (stable_order(*keys) == np.lexsort((np.arange(len(rows)), *keys[::-1]))).all()


def test_unit_codes_kept_from_validation_are_the_lookup_and_drop_with_their_table():
    from dataclasses import replace

    from kaohe.core import columns
    from kaohe.engine.score import score
    from kaohe.inputs.dataset import load

    ds = load("data/sample")
    names = ds.ledger["unit"].cat.categories
    for table in ("units", "goals"):
        kept = ds.unit_codes(table)
        assert kept is not None and (kept == columns.positions(getattr(ds, table)["unit"], names)).all()
    # a what-if that puts other units rows (here: reversed) in place: looked up again, same scores
    flipped = replace(ds, units=ds.units.iloc[::-1].reset_index(drop=True))
    assert flipped.unit_codes("units") is None and flipped.unit_codes("goals") is not None
    pd.testing.assert_frame_equal(score(flipped, with_reasons=False).table(2024),
                                  score(ds, with_reasons=False).table(2024))
    assert ds.until("2024-06-30").unit_codes("goals") is None  # its goals are a new table


@pytest.mark.parametrize("spread", ["year", "centuries"])
def test_years_of_dates_by_table_are_the_calendar_years(spread):
    from kaohe.core.columns import years

    rng = np.random.default_rng(1)
    span = 400 if spread == "year" else 3_000_000
    dates = (np.datetime64("1000-02-28") + rng.integers(0, span, 5000)).astype("datetime64[D]")
    dates[::7] = np.datetime64("NaT")
    ok = ~np.isnat(dates)
    want = np.where(ok, dates.astype("datetime64[Y]").astype(np.int64) + 1970, 0)
    assert (years(dates, ok) == want).all()
    assert (years(dates, np.zeros(len(dates), dtype=bool)) == 0).all()


LIGHT = ["score data/sample --year 2024", "explain data/sample --year 2024 --unit 办公厅",
         "validate data/sample", "params"]
HEAVY = ("plotly", "papermill", "scipy", "ipywidgets", "nbconvert", "nbformat", "jupyter_client",
         "xlsxwriter", "importlib.metadata")  # the last: the version is read only for --version


@pytest.mark.parametrize("command", LIGHT)
def test_light_commands_import_only_what_they_use(command):
    code = ("import io, json, sys, contextlib\n"
            "from kaohe.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            f"    rc = main({command.split()!r})\n"
            "print(json.dumps([rc, sorted(sys.modules)]))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rc, modules = json.loads(res.stdout.strip().splitlines()[-1])
    assert rc == 0
    loaded = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    assert loaded == [], f"kaohe {command} imported {loaded}"


@pytest.mark.parametrize("command", ["params", "params --format csv", "--help", "score --help"])
def test_words_only_commands_answer_without_pandas(command):
    """The parameters and the help are words from the rulebook and the catalog: no table library."""
    code = ("import io, json, sys, contextlib\n"
            "from kaohe.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            "    try:\n"
            f"        rc = main({command.split()!r})\n"
            "    except SystemExit as e:\n"
            "        rc = e.code\n"
            "print(json.dumps([rc, sorted(sys.modules)]))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rc, modules = json.loads(res.stdout.strip().splitlines()[-1])
    assert rc == 0
    assert not {"pandas", "numpy", "pyarrow"} & {m.split(".")[0] for m in modules}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=4, max_size=4), min_size=1, max_size=6),
       st.sampled_from(["min", "dense"]))
def test_rank_rows_without_scipy_match_scipy(rows, ties):
    from scipy.stats import rankdata

    from kaohe.analysis.counts import rank_last_axis

    x = np.array(rows, dtype=np.int64)
    assert (rank_last_axis(x, ties) == rankdata(x, method=ties, axis=-1)).all()
    assert (rank_last_axis(x.astype(float), ties) == rankdata(x, method=ties, axis=-1)).all()


def test_sensitivity_bootstrap_by_weights_is_the_resampling():
    from kaohe.analysis.sensitivity import _bootstrap

    rng = np.random.default_rng(3)
    N, G, b = 50, 3, 40
    fA, fB, fAB = rng.random(N), rng.random(N), rng.random((G, N))
    rows = rng.integers(0, N, size=(b, N))
    got = _bootstrap(fA, fB, fAB, rows, 0.9)
    bA, bB, bAB = fA[rows], fB[rows], fAB[:, rows]  # the resamples themselves
    bV = np.var(np.concatenate([bA, bB], axis=1), axis=1)
    bS1 = np.mean(bB[None] * (bAB - bA[None]), axis=2) / bV
    bST = 0.5 * np.mean((bA[None] - bAB) ** 2, axis=2) / bV
    want = (np.nanquantile(bS1, [0.05, 0.95], axis=1), np.nanquantile(bST, [0.05, 0.95], axis=1))
    np.testing.assert_allclose(got[0], want[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-9, atol=1e-12)


def test_published_from_sums_beyond_machine_integers():
    rb = rules.load()
    sums = pd.DataFrame({"year": 2024, "unit": pd.array(["甲", "乙", "丙"], dtype="str"),
                         "staff": [D("7.5"), D("3"), D("13")],
                         "common": np.array([40_000_000, -2**40, 0], dtype=np.int64),
                         "goals": np.array([35_000_000, 0, 40_000_000], dtype=np.int64),
                         "daily": np.array([2**62, -(2**61), 123_456_789], dtype=np.int64)})
    audit = pd.DataFrame({"year": [], "unit": [], "item": [], "clause": [], "date": []})
    units = exact.exact_summary(sums, audit, rb)
    pd.testing.assert_frame_equal(exact.published_from_sums(sums, [], 2024, rb),
                                  exact.published_table(units, 2024, rb))


_CELL = st.one_of(
    st.integers(-10, 3_000_000_000).map(str),
    st.sampled_from(["0", "007", "+5", "-0", "12.0", "１２", " 12", "", "  ", "1e3", "2147483647", "2147483648",
                     "100000", "100001", "99999999999999999999", "x"]),
    st.dates().map(str),
    st.sampled_from(["0000-01-01", "0999-12-31", "1000-01-01", "9999-12-31", "2024-02-29", "2023-02-29",
                     "2024-13-01", "2024-00-10", "2024-1-5", "2024/01/05", "20240105", "2024-01-05 10:00"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_CELL, min_size=1, max_size=40),
       st.sampled_from([("ledger", "quantity", "int", np.int32), ("ledger", "chars", "int", np.int32),
                        ("ledger", "participants", "int", np.int32), ("units", "year", "int", np.int64),
                        ("ledger", "date", "date", "datetime64[D]"), ("ledger", "published", "date", "datetime64[D]")]))
def test_plain_forms_read_in_arrow_are_what_the_parser_reads(monkeypatch, texts, column):
    from kaohe.inputs import cells
    from kaohe.inputs.dataset import _bounded

    table, col, kind, dtype = column
    missing = np.datetime64("NaT") if kind == "date" else 0
    s = pd.Series(texts, dtype="str").astype("category")
    got = {}
    for way, start in (("python", 1 << 30), ("arrow", 0)):
        monkeypatch.setattr(cells, "FAST_FROM", start)
        outs: set[str] = set()
        parser = _bounded(cells.to_date if kind == "date" else cells.to_int, table, col, outs)
        got[way] = (*cells.parse_series(s, parser, missing, dtype), outs)
    (v1, p1, b1, o1), (v2, p2, b2, o2) = got["python"], got["arrow"]
    assert np.array_equal(v1, v2, equal_nan=kind == "date") and (p1 == p2).all() and (b1 == b2).all() and o1 == o2
