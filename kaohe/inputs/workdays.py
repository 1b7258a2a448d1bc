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


def _dates(days) -> np.ndarray:
    return np.array(sorted(days), dtype="datetime64[D]")


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
        """:meth:`deadline` of each of the datetime64[D] ``dates`` (all at once); LookupError
        naming the first year nobody covers that a search meets."""
        due, year = self._deadlines(dates, n)
        if (year >= 0).any():
            raise LookupError(int(year[year >= 0][0]))
        return due

    def uncovered_for_deadlines(self, dates: np.ndarray, n: int = 1) -> np.ndarray:
        """Mask of dates whose deadline search needs a year nobody covers."""
        return self._deadlines(dates, n)[1] >= 0

    def _deadlines(self, dates: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Each date's deadline as :meth:`deadline` finds it, over one array of days (not a
        call per day), and the year of the first day nobody covers that the search meets
        before it (-1: none; the deadline is then NaT)."""
        dates = np.asarray(dates, dtype="datetime64[D]")
        uniq, inv = np.unique(dates, return_inverse=True)
        if not len(uniq):
            return dates.copy(), np.zeros(0, dtype=np.int64)
        margin = 3 * n + 60
        while True:
            days, work, known = self._days(uniq[0], uniq[-1] + np.timedelta64(margin, "D"))
            at = (uniq - uniq[0]).astype(np.int64)
            worked = np.concatenate([[0], np.cumsum(work)])  # working days before each day
            unknown = np.concatenate([[0], np.cumsum(~known)])
            first = at + (1 if n else 0)  # the first day the search looks at
            due = np.searchsorted(worked, worked[first] + max(n, 1), side="left") - 1
            end = np.minimum(due, len(days) - 1)
            met = unknown[end + 1] > unknown[first]  # a day nobody covers before the deadline
            if (met | (due < len(days))).all():
                break
            margin *= 2
        year = np.full(len(uniq), -1, dtype=np.int64)
        if met.any():
            k = np.searchsorted(unknown, unknown[first[met]] + 1, side="left") - 1
            year[met] = days[k].astype("datetime64[Y]").astype(np.int64) + 1970
        out = np.where(met, np.datetime64("NaT", "D"), days[np.minimum(due, len(days) - 1)])
        return out[inv], year[inv]

    def _days(self, lo: np.datetime64, hi: np.datetime64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every day from ``lo`` to ``hi``: whether it is a working day (as :meth:`is_workday`
        says) and whether anyone covers it (a day nobody covers is not a working day here)."""
        days = np.arange(lo, hi + np.timedelta64(1, "D"), dtype="datetime64[D]")
        years = days.astype("datetime64[Y]").astype(np.int64) + 1970
        library = np.isin(years, self.library_years)
        known = library | np.isin(years, sorted(self.table_years))
        work = (days.astype(np.int64) + 3) % 7 < 5  # Monday to Friday (1970-01-01 was a Thursday)
        work &= ~(library & np.isin(days, _dates(cc.holidays)))
        work |= library & np.isin(days, _dates(cc.workdays))
        work[np.isin(days, _dates(self.holidays))] = False
        work[np.isin(days, _dates(self.workdays))] = True
        return days, work & known, known

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
