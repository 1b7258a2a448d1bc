"""The official Chinese working-day calendar (chinesecalendar), with a data set's additions.

chinesecalendar knows each year's holidays and adjusted working days (调休) as published by
the State Council; it covers the years up to its release. A data set may supply further
years (or corrections) in an optional ``calendar`` table: listed holidays are days off,
listed workdays are working days, other days follow Monday–Friday.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar as cc
import numpy as np
import pandas as pd

from kaohe.core.i18n import _


def _version() -> str:
    from importlib import metadata  # only when asked (it costs 9 ms to import)

    try:
        return metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "?"


class WorkCalendar:
    """Working days by chinesecalendar, overridden and extended by a calendar table."""

    def __init__(self, table: pd.DataFrame | None = None):
        self.library_years = sorted({d.year for d in cc.holidays})
        self.holidays: set[dt.date] = set()
        self.workdays: set[dt.date] = set()
        if table is not None and len(table):
            for d, kind in zip(table["date"].to_numpy(), table["kind"]):
                if np.isnat(d):
                    continue
                day = pd.Timestamp(d).date()
                (self.holidays if kind == "holiday" else self.workdays).add(day)
        self.table_years = {d.year for d in self.holidays | self.workdays}
        self.years = set(self.library_years) | self.table_years

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in self.library_years:
            return cc.is_workday(day)
        if day.year in self.table_years:
            return day.weekday() < 5
        raise LookupError(day.year)

    def deadline(self, day: dt.date, n: int = 1) -> dt.date:
        """The n-th working day after ``day`` (n = 0: day itself or the next working day)."""
        d = day
        if n == 0:
            while not self.is_workday(d):
                d += dt.timedelta(days=1)
            return d
        found = 0
        while found < n:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                found += 1
        return d

    def deadlines(self, dates: np.ndarray, n: int = 1) -> np.ndarray:
        """Vectorized :meth:`deadline` over datetime64[D] dates (computed per distinct date)."""
        uniq, inv = np.unique(dates, return_inverse=True)
        out = np.array([np.datetime64(self.deadline(pd.Timestamp(u).date(), n), "D") for u in uniq],
                       dtype="datetime64[D]")
        return out[inv]

    def uncovered_for_deadlines(self, dates: np.ndarray, n: int = 1) -> np.ndarray:
        """Mask of dates whose deadline search needs a year nobody covers."""
        uniq, inv = np.unique(dates, return_inverse=True)
        bad = np.zeros(len(uniq), dtype=bool)
        for i, u in enumerate(uniq):
            try:
                self.deadline(pd.Timestamp(u).date(), n)
            except LookupError:
                bad[i] = True
        return bad[inv]

    def coverage_message(self, day) -> str:
        """What to do about a date whose working days nobody knows."""
        day = pd.Timestamp(day).date()
        year = next(y for y in (day.year, day.year + 1) if y not in self.years)
        lo, hi = self.library_years[0], self.library_years[-1]
        return _("a date the working-day calendar covers: {year} is not in chinesecalendar "
                 "{version} (it covers {lo}–{hi}); upgrade it (pip install -U chinesecalendar) "
                 "once the State Council has published {year}'s holidays, or add a calendar (日历) "
                 "table with {year}'s holidays and adjusted workdays "
                 "(columns date/日期, kind/类型 = holiday 休 | workday 班)").format(
            year=year, version=_version(), lo=lo, hi=hi)
