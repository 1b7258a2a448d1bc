"""The working-day deadlines, all dates at once, are the ones a day-by-day search finds, with
the calendar table's holidays and workdays, and the same years nobody covers."""

from __future__ import annotations

import datetime as dt

import chinese_calendar as cc
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.inputs.workdays import WorkCalendar

LAST = max(d.year for d in cc.holidays)  # the library's last year: the next ones are nobody's
DAYS = st.dates(dt.date(LAST - 2, 1, 1), dt.date(LAST + 3, 12, 31))


def _one_by_one(cal: WorkCalendar, day: dt.date, n: int):
    try:
        return np.datetime64(cal.deadline(day, n), "D"), -1
    except LookupError as e:
        return np.datetime64("NaT", "D"), e.args[0]


@given(st.lists(DAYS, min_size=1, max_size=30), st.integers(0, 12),
       st.lists(st.tuples(st.integers(0, 29), st.integers(0, 15), st.sampled_from(["holiday", "workday"])),
                max_size=25))
@settings(max_examples=150, deadline=None)
def test_deadlines_at_once_are_the_day_by_day_ones(days, n, table):
    # the table's days fall within the searches: a few days after the dates asked about
    listed = [days[i % len(days)] + dt.timedelta(days=k) for i, k, _ in table]
    cal = WorkCalendar(pd.DataFrame({"date": np.array(listed, dtype="datetime64[D]"),
                                     "kind": [kind for _, _, kind in table]}))
    dates = np.array(days, dtype="datetime64[D]")
    due, year = cal._deadlines(dates, n)
    want = [_one_by_one(cal, d, n) for d in days]
    assert due.tolist() == np.array([w[0] for w in want], dtype="datetime64[D]").tolist()
    assert year.tolist() == [w[1] for w in want]
    assert cal.uncovered_for_deadlines(dates, n).tolist() == [w[1] >= 0 for w in want]


def test_a_known_deadline_and_an_uncovered_year():
    cal = WorkCalendar()
    # 2024-09-30 (Monday) + 1 working day: the National Day week is off, 2024-10-08 is the next
    assert cal.deadlines(np.array(["2024-09-30"], dtype="datetime64[D]"), 1).tolist() == [dt.date(2024, 10, 8)]
    late = np.array([f"{LAST}-12-31"], dtype="datetime64[D]")
    assert cal.uncovered_for_deadlines(late, 5).tolist() == [True]
    try:
        cal.deadlines(late, 5)
    except LookupError as e:
        assert e.args[0] == LAST + 1
    else:
        raise AssertionError("no LookupError")
