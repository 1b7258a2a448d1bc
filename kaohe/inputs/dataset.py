"""A validated data set: typed tables, or every problem at once.

:func:`load` reads (``kaohe.io``), parses each cell (``kaohe.cells``) and checks each row
against the data contract and the rulebook: unknown units, items and roles, columns an
item does not use, bad numbers and dates, missing required columns, duplicate units, years
the holiday calendar does not cover. It raises :class:`~kaohe.errors.DataError` listing
every problem with file, sheet, row, column, value and what was expected.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from kaohe.core import columns, contract, i18n, problems
from kaohe.core.errors import DataError, KaoheError
from kaohe.core.i18n import _, ngettext
from kaohe.inputs import cells, duplicates
from kaohe.inputs.workdays import WorkCalendar
from kaohe.rulebook import rules

if TYPE_CHECKING:  # read when loading only: a data set handed over (pickled) never needs it
    from kaohe.inputs import io

NAT = np.datetime64("NaT", "D")


@dataclass
class Dataset:
    """Typed, validated tables of one data set (all its years)."""

    units: pd.DataFrame  # year, unit, staff (Decimal), _file, _sheet, _row
    goals: pd.DataFrame  # year, unit, goal, completed, _file, _sheet, _row
    ledger: pd.DataFrame  # see LEDGER_DTYPES; item is the rulebook's item code
    calendar: WorkCalendar
    paths: list[Path] = field(default_factory=list)
    rulebook: rules.Rulebook | None = None
    read: pd.DataFrame | None = None  # rows read per table, file and sheet (see read_counts)
    _counts: pd.DataFrame | None = field(default=None, repr=False)
    # table → (its frame, the ledger's unit names, its rows' positions in them), as validation found them
    _unit_codes: dict = field(default_factory=dict, repr=False)

    def unit_codes(self, table: str) -> np.ndarray | None:
        """The positions of a table's units among the ledger's unit categories, as validation
        found them; None once the table or those categories are not the ones validated (a
        what-if that replaces a table)."""
        frame, names, codes = self._unit_codes.get(table, (None, None, None))
        ok = frame is getattr(self, table) and names is self.ledger["unit"].cat.categories
        return codes if ok else None

    @property
    def counts(self) -> pd.DataFrame:
        """Rows kept per table, file, sheet and year (counted when first asked for)."""
        if self._counts is None:
            self._counts = _counts(self.units, self.goals, self.ledger)
        return self._counts

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.units["year"].unique())

    @property
    def name(self) -> str:
        return ", ".join(p.name or str(p) for p in self.paths)

    def until(self, day) -> Dataset:
        """The data set as it stood on ``day`` (e.g. the half-year inspection, 半年集中督查):
        ledger rows up to that day; the goals of that day's year are in progress, not missed."""
        from dataclasses import replace

        day = np.datetime64(day, "D")
        year = int(day.astype("datetime64[Y]").astype(int) + 1970)
        ledger = self.ledger[self.ledger["date"].to_numpy() <= day].reset_index(drop=True)
        goals = self.goals.copy()
        if day < np.datetime64(f"{year}-12-31"):
            goals["in_progress"] = goals["year"].to_numpy() == year
        return replace(self, ledger=ledger, goals=goals, _counts=None)

    def check_year(self, year: int) -> int:
        if year not in self.years:
            raise KaoheError(ngettext("year {years} is not in the data set", "years {years} are not in the data set",
                                      1).format(years=year),
                             [_("the units table lists the years {years}")
                              .format(years=", ".join(map(str, self.years)))])
        return year


# ------------------------------------------------------------------ problem helpers
class _Collector:
    def __init__(self):
        self.frames: list[pd.DataFrame] = []

    def add(self, frame: pd.DataFrame, mask, column: str, values, expected, code: str = "") -> None:
        """Problems (of kind ``code``) for the rows of ``frame`` (with _file/_sheet/_row) where
        ``mask``."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        sub = frame.loc[mask, ["_file", "_sheet", "_row"]]
        vals = np.asarray(values, dtype=object)[mask] if not isinstance(values, str) else values
        exp = np.asarray(expected, dtype=object)[mask] if not isinstance(expected, str) else expected
        n = len(sub)
        self.frames.append(pd.DataFrame({
            "file": sub["_file"].astype(object).to_numpy(),
            "sheet": sub["_sheet"].astype(object).to_numpy(),
            "row": sub["_row"].to_numpy(),
            "column": [column] * n,
            "value": _texts(vals, n),
            "expected": [exp] * n if isinstance(exp, str) else list(exp),
            "code": [code] * n,
        }))

    def extend(self, frame: pd.DataFrame) -> None:
        self.frames.append(frame)

    def result(self) -> pd.DataFrame:
        """Every problem, one per cell (the first found: a formula error before the number it
        is not, a bad number before the range it misses)."""
        out = problems.combine(self.frames)
        cell = (out["column"] != "") & out["row"].notna()
        if cell.any():
            dup = out[cell].duplicated(["file", "sheet", "row", "column"]).reindex(out.index, fill_value=False)
            if dup.any():
                out = out[~dup.to_numpy()].reset_index(drop=True)
        return out


def _texts(vals, n):
    if isinstance(vals, str):
        return [vals] * n
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v) for v in vals]


def _stack(tables: list[io.RawTable], name: str) -> pd.DataFrame:
    """Concatenate the raw tables of one kind, with _file/_sheet/_row/_order columns."""
    cols = [c.name for c in contract.columns(name)]
    frames = []
    for t in tables:
        f = t.frame.reindex(columns=cols)
        n = len(f)
        f["_file"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[t.file])
        f["_sheet"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[t.sheet or ""])
        f["_row"] = t.rows
        frames.append(f)
    if not frames:
        f = pd.DataFrame({c: pd.Series(dtype="str") for c in cols})
        f["_file"] = pd.Categorical([], categories=[""])
        f["_sheet"] = pd.Categorical([], categories=[""])
        f["_row"] = pd.Series(dtype="int64")
        return f
    if len(frames) > 1:
        _same_categories(frames, cols)
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for c in ("_file", "_sheet"):
        out[c] = out[c].astype("category")
    # rows whose file lacks a column (reported once as missing_column, not once per row)
    out.attrs["lacks"] = {c: np.concatenate([np.full(len(t.frame), c not in t.headers) for t in tables])
                          for c in cols if any(c not in t.headers for t in tables)}
    return out


def _same_categories(frames: list[pd.DataFrame], cols: list[str]) -> None:
    """Columns read dictionary-encoded (categoricals) in some files: one category list for
    all, so that they stay categoricals when the files are stacked (no text per row)."""
    for c in cols:
        if not any(isinstance(f[c].dtype, pd.CategoricalDtype) for f in frames):
            continue
        texts = [f[c].cat.categories if isinstance(f[c].dtype, pd.CategoricalDtype)
                 else pd.Index(f[c].dropna().unique()) for f in frames]
        cats = pd.Index(pd.unique(np.concatenate([t.astype(str).to_numpy(dtype=object) for t in texts])))
        for f in frames:
            f[c] = pd.Categorical(f[c].astype(object) if not isinstance(f[c].dtype, pd.CategoricalDtype)
                                  else f[c], categories=cats)


def _empty(f: pd.DataFrame, col: str) -> np.ndarray:
    """Empty cells of a column in the files that have it."""
    miss = f[col].isna().to_numpy()
    lacks = f.attrs.get("lacks", {}).get(col)
    return miss if lacks is None else miss & ~lacks


def _label(table: str, col: str) -> str:
    return contract.column_label(table, col)


_CODES = {"int": "bad_number", "number": "bad_number", "date": "bad_date", "yesno": "bad_yesno"}


def _bounded(parser, table: str, col: str, outs: set):
    """``parser`` within the contract's bounds of the column: numbers outside them (or with
    more decimals) are BAD, and their texts go to ``outs`` (out of range)."""
    lo, hi, lo_open, dec = contract.bounds(table, col)
    if lo is None and hi is None and dec is None:
        return parser

    def parse(s: str):
        d = cells.to_decimal(s)
        if d is not cells.BAD:
            if (lo is not None and (d < lo or (lo_open and d == lo))) or (hi is not None and d > hi):
                outs.add(s)
                return cells.BAD
            if dec is not None and cells.decimals(d) > dec:
                return cells.BAD
        return parser(s)

    fast = getattr(parser, "fast", None)
    if fast is not None:  # plain forms within the bounds; the others take the way above
        least = None if lo is None else math.floor(lo) + 1 if lo_open else math.ceil(lo)
        most = None if hi is None else math.floor(hi)

        def parse_fast(texts):  # whole numbers: the bounds as whole numbers
            got, which = fast(texts)
            if got.dtype.kind != "i":
                return got, np.zeros(len(got), dtype=bool)
            if least is not None:
                which &= got >= least
            if most is not None:
                which &= got <= most
            return got, which

        parse.fast = parse_fast
    return parse


def range_text(table: str, col: str) -> str:
    """``a number from 1 to 100000`` / ``a number > 0 and ≤ 366``: a column's bounds in words."""
    lo, hi, lo_open, _dec = contract.bounds(table, col)
    if lo_open:
        return _("a number > {lo} and ≤ {hi}").format(lo=lo, hi=hi)
    return _("a number from {lo} to {hi}").format(lo=lo, hi=hi)


def _error_values(c: _Collector, f: pd.DataFrame, table: str, col: str, mask=None) -> None:
    """Problems for cells holding a formula error (``#DIV/0!``): named, not read as text/empty."""
    s = f[col] if mask is None else f[col][mask]
    if not len(s):
        return
    hit = s.isin(cells.ERRORS).to_numpy()
    if hit.any():
        full = np.zeros(len(f), dtype=bool)
        full[np.flatnonzero(mask) if mask is not None else np.arange(len(f))] = hit
        c.add(f, full, _label(table, col), f[col],
              _("a value, not a formula error: correct the formula or type the value"), "error_value")


def _text_errors(c: _Collector, f: pd.DataFrame, table: str, cols) -> None:
    """Formula errors in text columns (cheap: only columns with a cell starting with #)."""
    for col in cols:
        if col in f.columns and cells.any_starts_with(f[col], "#"):
            _error_values(c, f, table, col)


def _parse(c: _Collector, f: pd.DataFrame, table: str, col: str, parser, missing, dtype,
           expected: str, required: bool = False, filled: dict | None = None):
    """Parse a column; problems for formula errors, bad, out-of-range (and, if required,
    missing) cells.

    Returns values, a mask of good filled cells and a mask of bad cells; ``filled`` (if
    given) receives the mask of filled (non-blank) cells under the column's name.
    """
    outs: set[str] = set()
    vals, present, bad = cells.parse_series(f[col], _bounded(parser, table, col, outs), missing, dtype)
    if bad.any():
        _error_values(c, f, table, col, bad)
        if outs:
            out = bad & f[col].isin(outs).to_numpy()
            c.add(f, out, _label(table, col), f[col], range_text(table, col), "out_of_range")
        kind = contract.column(table, col).kind
        c.add(f, bad, _label(table, col), f[col], expected, _CODES.get(kind, "bad_choice"))
    if required:
        lacks = f.attrs.get("lacks", {}).get(col)
        c.add(f, ~present if lacks is None else ~present & ~lacks, _label(table, col), "",
              _("a value (required)"), "missing_value")
    if filled is not None:
        filled[col] = present
    return vals, present & ~bad, bad


def _codes(f: pd.DataFrame, col: str) -> np.ndarray | None:
    """A text column's codes as the reader encoded it (a categorical of distinct trimmed
    names: equal codes, equal texts), or None."""
    s = f[col]
    return s.cat.codes.to_numpy() if isinstance(s.dtype, pd.CategoricalDtype) else None


def _text(f: pd.DataFrame, col: str):
    """A text column as an array, without index alignment (a plain text column as it is, a
    categorical's names decoded in Arrow)."""
    s = f[col]
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        names = pa.array(s.cat.categories, from_pandas=True)
        arr = pa.DictionaryArray.from_arrays(pa.array(codes, mask=codes < 0), names).dictionary_decode()
        return pd.Series(arr, dtype="str", copy=False).array
    return s.astype("str").array


# ------------------------------------------------------------------ units, goals, calendar
def _units(c: _Collector, f: pd.DataFrame) -> pd.DataFrame:
    _text_errors(c, f, "units", ("unit",))
    year, _ok, _bad = _parse(c, f, "units", "year", cells.to_int, 0, np.int64,
                             _("a year such as 2024"), required=True)
    unit_ok = f["unit"].notna().to_numpy()
    c.add(f, _empty(f, "unit"), _label("units", "unit"), "", _("a unit name (required)"), "missing_value")
    staff, staff_ok, staff_bad = _parse(c, f, "units", "staff", cells.to_decimal, None, object,
                                        _("a number of staff > 0, with at most 4 decimals"), required=True)
    out = pd.DataFrame({"year": year, "unit": _text(f, "unit"), "staff": staff,
                        "_file": f["_file"], "_sheet": f["_sheet"], "_row": f["_row"]})
    # identical rows in several files (each office's copy of the 单位 sheet) count once
    same, dup, exp = duplicates.units(out, unit_ok, _codes(f, "unit"))
    c.add(f, dup, _label("units", "unit"), f["unit"], exp, "duplicate_unit")
    return out[~same].reset_index(drop=True) if same.any() else out


def _listed(units: pd.DataFrame) -> pd.DataFrame:
    """The units rows that name a unit and a year (the others are reported already)."""
    ok = units["unit"].notna().to_numpy() & (units["year"].to_numpy() > 0)
    return units if ok.all() else units[ok]


@dataclass
class _UnitIndex:
    """The listed units once for all the tables that name them: sorted names, years, and
    which (year, unit) pairs are listed."""

    units: pd.DataFrame
    names: pd.Index
    years: list[int]
    listed: np.ndarray  # [year position, name position] → listed
    unread: pd.Index  # units whose units row has no valid year (reported there, not again)
    codes: np.ndarray  # the units rows' positions in names

    @classmethod
    def of(cls, units: pd.DataFrame) -> _UnitIndex:
        no_year = units["unit"].notna().to_numpy() & (units["year"].to_numpy() <= 0)
        unread = columns.sorted_distinct(units.loc[no_year, "unit"])
        units = _listed(units)
        names, codes = columns.sorted_codes(units["unit"])
        years = sorted(units["year"].unique())
        listed = np.zeros((len(years) + 1, len(names) + 1), dtype=bool)
        yi = np.searchsorted(years, units["year"].to_numpy())
        listed[yi, codes] = True
        return cls(units, names, years, listed, unread, codes)


def _known_units(c: _Collector, f: pd.DataFrame, table: str, year, units: pd.DataFrame, ok,
                 checked: bool = True, index: _UnitIndex | None = None, year_column: str = "year"):
    """Codes of the rows' units in the sorted unit list; problems for units not listed in
    units for the row's year (-1 where unknown). A year the units table does not list at all
    is reported on ``year_column`` instead, and a unit whose units row has no valid year is
    not reported again. ``checked=False`` (the units table could not be read): codes only,
    no problem per row."""
    ix = index or _UnitIndex.of(units)
    units, names, years, listed = ix.units, ix.names, ix.years, ix.listed
    codes, present = cells.codes_in(f["unit"], names)  # one vectorized lookup
    if not checked:
        return codes
    lut = np.full(10000, len(years), dtype=np.int64)  # year → position in years
    lut[np.asarray(years, dtype=np.int64)] = np.arange(len(years))
    ry = lut[np.clip(np.asarray(year, dtype=np.int64), 0, 9999)]
    known = listed[ry, codes]
    bad = ok & ~known & present
    if not bad.any():
        return codes
    if len(ix.unread):
        bad &= cells.codes_in(f["unit"], ix.unread)[0] < 0
    if years:
        other_year = bad & (ry == len(years))
        listed_years = i18n.enumeration(years)
        expected = (_("a date in a year the units table lists ({years})") if year_column == "date"
                    else _("a year the units table lists ({years})"))
        c.add(f, other_year, _label(table, year_column), f[year_column], expected.format(years=listed_years),
              "unknown_year")
        bad &= ~other_year
    if not bad.any():
        return codes
    years_of = units.groupby("unit")["year"].apply(lambda s: sorted(set(s))).to_dict()
    msgs: dict[tuple[str, int], str] = {}
    exp = np.empty(len(f), dtype=object)
    for i in np.flatnonzero(bad):  # one message per distinct (unit, year)
        u, y = f["unit"].iat[i], int(year[i])
        if (u, y) not in msgs:
            if u in years_of:
                msgs[u, y] = _("a unit listed for {year} in units (it is listed for {years})").format(
                    year=y, years=i18n.enumeration(years_of[u]))
            else:
                near = difflib.get_close_matches(u, names, n=2, cutoff=0.5)
                msgs[u, y] = (_("a unit of the units table for {year}").format(year=y)
                              + (_("; did you mean {names}?").format(names=_(" or ").join(near)) if near else ""))
        exp[i] = msgs[u, y]
    c.add(f, bad, _label(table, "unit"), f["unit"], exp, "unknown_unit")
    return codes


def _goals(c: _Collector, f: pd.DataFrame, units: pd.DataFrame, checked: bool = True,
           index: _UnitIndex | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """The goals table and its rows' unit positions in the listed units' names."""
    _text_errors(c, f, "goals", ("unit", "goal"))
    year, year_ok, _bad = _parse(c, f, "goals", "year", cells.to_int, 0, np.int64,
                                 _("a year such as 2024"), required=True)
    c.add(f, _empty(f, "unit"), _label("goals", "unit"), "", _("a unit name (required)"),
          "missing_value")
    codes = _known_units(c, f, "goals", year, units, year_ok, checked, index)
    c.add(f, _empty(f, "goal"), _label("goals", "goal"), "", _("the goal (required)"),
          "missing_value")
    done, _ok, _bad = _parse(c, f, "goals", "completed", cells.to_bool, False, bool,
                             _("是/否 (true/false, 1/0, 完成/未完成)"), required=True)
    out = pd.DataFrame({"year": year, "unit": _text(f, "unit"), "goal": _text(f, "goal"),
                        "completed": done, "in_progress": np.zeros(len(f), dtype=bool),
                        "_file": f["_file"], "_sheet": f["_sheet"], "_row": f["_row"]})
    dup, exp = duplicates.goals(out, f["goal"].notna().to_numpy(), _codes(f, "unit"))
    c.add(f, dup, _label("goals", "goal"), f["goal"], exp, "duplicate_goal")
    return out, codes


def _calendar(c: _Collector, f: pd.DataFrame) -> pd.DataFrame:
    kinds = {w.lower(): k for k, words in contract.CALENDAR_KINDS.items() for w in words}
    date, _ok, _bad = _parse(c, f, "calendar", "date", cells.to_date, NAT, "datetime64[D]",
                             _("a date YYYY-MM-DD"), required=True)
    kind, _ok, _bad = _parse(c, f, "calendar", "kind", cells.lookup(kinds), "", object,
                             _("holiday (休) or workday (班)"), required=True)
    out = pd.DataFrame({"date": date, "kind": kind})
    dup = out.duplicated("date").to_numpy() & ~np.isnat(date)
    c.add(f, dup, _label("calendar", "date"), f["date"], _("each date once"), "duplicate_date")
    return out


# ------------------------------------------------------------------ ledger
def _scaled(scale: int, positive: bool = False, decimals: int | None = None):
    """A parser for exact numbers as integers in 1/scale (BAD when not exact or not > 0)."""

    def parse(s: str):
        d = cells.to_decimal(s)
        if d is cells.BAD or (positive and d <= 0):
            return cells.BAD
        if decimals is not None and cells.decimals(d) > decimals:
            return cells.BAD
        m = d * scale
        return int(m) if m == m.to_integral_value() else cells.BAD

    return parse


_OPTIONAL = ("quantity", "role", "days", "participants", "chars", "missing_steps", "errors",
             "major_revision", "published", "points")


def _not_used(it, col: str) -> str:
    """Why ``col`` stays empty on a row of item ``it``."""
    name = contract.column_label("ledger", col)
    if col == "quantity" and it.amount == "days":
        return _("empty: {item} does not use {column} (its amount is days)").format(item=_item(it), column=name)
    if col == "quantity" and it.amount == "points":
        return _("empty: {item} does not use {column} (its amount is points)").format(item=_item(it), column=name)
    if col == "role":
        return _("empty: {item} does not use {column}; only coordinator items take a role").format(
            item=_item(it), column=name)
    return _("empty: {item} does not use {column}").format(item=_item(it), column=name)


def _item(it) -> str:
    """An item as messages name it: ``leave (请假)`` in English, ``请假`` in Chinese."""
    return _("{code} ({name})").format(code=it.code, name=it.name)


def _ledger(c: _Collector, f: pd.DataFrame, units: pd.DataFrame, rb: rules.Rulebook,
            cal: WorkCalendar, checked: bool = True, index: _UnitIndex | None = None) -> pd.DataFrame:
    index = index or _UnitIndex.of(units)
    _text_errors(c, f, "ledger", ("unit", "item", "role", *contract.FREE_TEXT))
    date, date_ok, _bad = _parse(c, f, "ledger", "date", cells.to_date, NAT, "datetime64[D]",
                                 _("a date YYYY-MM-DD (or an Excel date)"), required=True)
    year = columns.years(date, date_ok)
    c.add(f, _empty(f, "unit"), _label("ledger", "unit"), "", _("a unit name (required)"),
          "missing_value")
    unit_codes = _known_units(c, f, "ledger", year, units, date_ok, checked, index, "date")

    codes = list(rb.items)
    code_ix = {code: i for i, code in enumerate(codes)}
    item_words = {w: code_ix[code] for w, code in rb.item_lookup.items()}
    item, present_item, item_bad = cells.parse_series(f["item"], cells.lookup(item_words), -1, np.int64)
    item_ok = present_item & ~item_bad
    lacks = f.attrs.get("lacks", {}).get("item")
    c.add(f, ~present_item if lacks is None else ~present_item & ~lacks, _label("ledger", "item"), "",
          _("an item (required)"), "missing_value")
    if item_bad.any():
        names = list(rb.item_lookup)
        hints: dict[str, str] = {}
        for v in pd.unique(f["item"][item_bad]):
            near = difflib.get_close_matches(cells.norm(v), names, n=3, cutoff=0.5)
            hints[v] = (_("an item code or Chinese name of the rulebook (kaohe params, 说明 sheet)")
                        + (_("; did you mean {names}?").format(names=" / ".join(near)) if near else ""))
        exp = f["item"].map(hints).to_numpy(dtype=object)
        c.add(f, item_bad, _label("ledger", "item"), f["item"], exp, "unknown_item")

    got: dict[str, np.ndarray] = {}  # filled (non-blank) cells per parsed column
    # small whole numbers as int32 (their bounds in the contract fit; the audit keeps them so)
    qty, q_ok, _bad = _parse(c, f, "ledger", "quantity", cells.to_int, 1, np.int32,
                             _("a whole number ≥ 1"), filled=got)
    role_codes = {w: rules.ROLES.index(r) for w, r in rb.role_lookup.items()}
    role, role_ok, _bad = _parse(c, f, "ledger", "role", cells.lookup(role_codes), 0, np.int8,
                                 _("organizer (承办/组织) or coordinator (协调/协办/协助)"), filled=got)
    days_c, days_ok, _bad = _parse(c, f, "ledger", "days", _scaled(100, positive=True), 0, np.int32,
                                   _("a number of days > 0 with at most 2 decimals"), filled=got)
    ints = {}
    for col in ("participants", "chars", "missing_steps", "errors"):
        v, ok, _bad = _parse(c, f, "ledger", col, cells.to_int, -1 if col in ("participants", "chars") else 0,
                             np.int32, _("a whole number ≥ 0"), filled=got)
        ints[col] = (v, ok)
    major, major_ok, _bad = _parse(c, f, "ledger", "major_revision", cells.to_bool, False, bool,
                                   _("是/否 (true/false, 1/0)"), filled=got)
    pub, pub_ok, _bad = _parse(c, f, "ledger", "published", cells.to_date, NAT, "datetime64[D]",
                               _("a date YYYY-MM-DD, or empty when not published"), filled=got)
    points_u, _ok, _bad = _parse(c, f, "ledger", "points", _scaled(rules.SCALE, decimals=rules.VALUE_DECIMALS),
                                 0, np.int64, _("a number with at most {n} decimals").format(n=rules.VALUE_DECIMALS),
                                 filled=got)

    # Which columns each item uses and requires, as boolean tables over item codes.
    filled = dict(got)  # neutral values say "nothing to deduct" / "the unit did it"
    filled["role"] = got["role"] & (role != 0)  # organizer: "the unit did it"
    filled["missing_steps"] = got["missing_steps"] & (ints["missing_steps"][0] != 0)
    filled["errors"] = got["errors"] & (ints["errors"][0] != 0)
    items = [rb.items[code] for code in codes]
    k = np.where(item_ok, item, 0)
    for col in _OPTIONAL:
        uses = np.array([col in it.uses for it in items])
        bad = item_ok & filled[col] & ~uses[k]
        if bad.any():
            exp = np.array([_not_used(it, col) for it in items], dtype=object)[k]
            c.add(f, bad, _label("ledger", col), f[col], exp, "unused_column")
    present = {**got, **{col: f[col].notna().to_numpy() for col in contract.FREE_TEXT}}
    for col in (*_OPTIONAL, *contract.FREE_TEXT):
        req = np.array([col in it.required for it in items])
        miss = item_ok & req[k] & ~present[col]
        if miss.any():
            exp = np.array([_("a value: {item} requires {column}").format(
                item=_item(it), column=contract.column_label("ledger", col)) for it in items], dtype=object)[k]
            c.add(f, miss, _label("ledger", col), "", exp, "missing_value")
    once = np.array([it.amount == "once" for it in items])
    c.add(f, item_ok & once[k] & q_ok & (qty > 1), _label("ledger", "quantity"), f["quantity"],
          _("1 or empty: this item counts once a year; log each error on its own row"), "once_a_year")

    # Days default per item (e.g. a meeting lasts 1 day unless stated).
    dflt = np.array([int(Decimal(str(it.defaults.get("days", 0))) * 100) for it in items], dtype=np.int32)
    days_c = np.where(days_ok, days_c, np.where(item_ok, dflt[k], 0))

    out = pd.DataFrame({
        "date": date, "year": year,
        "unit": columns.categorical(unit_codes, index.names),  # its codes are positions in them
        "item": pd.Categorical.from_codes(np.where(item_ok, item, -1), categories=codes),
        "quantity": qty, "role": pd.Categorical.from_codes(role, categories=list(rules.ROLES)),
        "person": _text(f, "person"), "days_c": days_c,
        "participants": ints["participants"][0], "chars": ints["chars"][0],
        "missing_steps": ints["missing_steps"][0], "errors": ints["errors"][0],
        "subject": _text(f, "subject"), "major_revision": major, "published": pub,
        "points_u": points_u, "ref": _text(f, "ref"), "note": _text(f, "note"),
        "_file": f["_file"].array, "_sheet": f["_sheet"].array, "_row": f["_row"].to_numpy(),
    }, copy=False)
    _check_calendar(c, f, out, item_ok, cal, rb)
    return out


def _check_calendar(c: _Collector, f, ledger: pd.DataFrame, item_ok, cal: WorkCalendar,
                    rb: rules.Rulebook) -> None:
    """A major activity needs the working-day calendar from its date to its deadline."""
    late_items = [code for code, it in rb.items.items() if it.rule == "lateness"]
    rows = item_ok & columns.category_in(ledger["item"], late_items) & ~np.isnat(ledger["date"].to_numpy())
    if not rows.any():
        return
    dates = ledger["date"].to_numpy()[rows]
    n = max(rb[f"{code}.workdays"] for code in late_items)
    missing = cal.uncovered_for_deadlines(dates, n)
    if not missing.any():
        return
    bad = np.zeros(len(ledger), dtype=bool)
    bad[np.flatnonzero(rows)[missing]] = True
    exp = np.empty(len(ledger), dtype=object)
    for i in np.flatnonzero(bad):
        exp[i] = cal.coverage_message(ledger["date"].iat[i])
    c.add(f, bad, _label("ledger", "date"), f["date"], exp, "calendar_missing")


# ------------------------------------------------------------------ entry point
def _not_checked(raw: io.RawDataset) -> pd.DataFrame | None:
    """When the units table could not be read (or is missing), the units of goals and ledger
    rows are not checked: one problem says so instead of one per row."""
    if raw.table("units"):
        return None
    files = raw.broken.get("units")
    where = ", ".join(files) if files else ", ".join(str(p) for p in raw.paths)
    return problems.one(where, None, None, contract.column_label("ledger", "unit"), "", _(
        "units checked against the units table, which could not be read: correct it first; the "
        "units of the goals and ledger rows are checked then"), "not_checked")


def load(paths, rulebook: rules.Rulebook | None = None) -> Dataset:
    """Read and validate a data set; raise DataError with every problem at once."""
    rb = rulebook or rules.load()
    from kaohe.inputs import io

    raw = io.read_dataset(paths)
    _release_arrow_memory()
    c = _Collector()
    c.extend(raw.problems)
    cal_raw = _stack(raw.table("calendar"), "calendar")
    cal = WorkCalendar(_calendar(c, cal_raw))
    units = _units(c, _stack(raw.table("units"), "units"))
    skipped = _not_checked(raw)
    checked = skipped is None
    goals_raw = _stack(raw.table("goals"), "goals")
    index = _UnitIndex.of(units)
    goals, goal_codes = _goals(c, goals_raw, units, checked, index)
    ledger_raw = _stack(raw.table("ledger"), "ledger")
    ledger = _ledger(c, ledger_raw, units, rb, cal, checked, index)
    if not checked and (len(goals_raw) or len(ledger_raw)):
        c.extend(skipped)
    c.extend(duplicates.ledger(ledger, ledger_raw))  # the same fact in two files
    probs = c.result()
    if len(probs):
        err = DataError(ngettext("{n} problem in the data set {name}; nothing was scored",
                                  "{n} problems in the data set {name}; nothing was scored", len(probs)).format(
            n=len(probs), name=", ".join(map(str, raw.paths))), probs)
        err.raw, err.count, err.name = raw, len(probs), ", ".join(map(str, raw.paths))
        raise err
    paths, read = raw.paths, read_counts(raw)
    del raw, ledger_raw, c
    _release_arrow_memory()
    names = ledger["unit"].cat.categories  # index.names: the codes below are positions in them
    codes = {"goals": (goals, names, goal_codes)}
    if index.units is units:  # every units row listed (a valid data set): the index holds their codes
        codes["units"] = (units, names, index.codes)
    return Dataset(units, goals, ledger, cal, paths, rb, read, _unit_codes=codes)


def _release_arrow_memory() -> None:
    """Give the raw tables' Arrow memory back to the system (Arrow's allocator keeps it
    otherwise, and the typed tables that follow are numpy's)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def read_counts(raw: io.RawDataset) -> pd.DataFrame:
    """Rows read per table, file and sheet (before any check)."""
    return pd.DataFrame(
        [{"table": t.name, "file": t.file, "sheet": t.sheet or "", "rows": len(t.frame)}
         for t in raw.tables],
        columns=["table", "file", "sheet", "rows"],
    )


def _counts(units, goals, ledger) -> pd.DataFrame:
    frames = []
    for name, t in (("units", units), ("goals", goals), ("ledger", ledger)):
        g = (t.groupby(["_file", "_sheet", "year"], observed=True).size()
             .rename("rows").reset_index())
        g.insert(0, "table", name)
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    out = out.rename(columns={"_file": "file", "_sheet": "sheet"})
    return out[out["rows"] > 0].reset_index(drop=True)
