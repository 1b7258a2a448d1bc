"""Problems found in a data set: one row each, named as the user sees the data.

Each problem carries a stable ``code`` (its kind: ``unknown_unit``, ``bad_date``, …, see
:data:`CODES`) beside the human text, so that tests and the import workbook can count
problems by kind while the wording (and the language) changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaohe.core.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["file", "sheet", "row", "column", "value", "expected", "code"]

# code → what it means (shown in the import workbook's count table)
CODES = {
    "missing_path": N_("a path that does not exist"),
    "not_a_dataset": N_("a folder without data files"),
    "unsupported_file": N_("a file kaohe cannot read (.xls, .et, …)"),
    "unknown_file": N_("a CSV file that names no table"),
    "unreadable_file": N_("a file that cannot be read"),
    "bad_workbook": N_("a broken workbook"),
    "bad_sheet": N_("a broken sheet"),
    "no_table_sheets": N_("a workbook without table sheets"),
    "duplicate_table": N_("two sheets for one table"),
    "missing_table": N_("a required table is missing"),
    "encoding": N_("text not saved as UTF-8 or GB18030"),
    "separator": N_("columns not separated by commas"),
    "unknown_column": N_("an unknown column"),
    "duplicate_column": N_("a column twice"),
    "missing_column": N_("a required column is missing"),
    "extra_cell": N_("a cell beyond the last column"),
    "stray_cell": N_("a cell far outside the table"),
    "missing_value": N_("a required value is empty"),
    "error_value": N_("a formula error in a cell"),
    "bad_number": N_("not a number"),
    "out_of_range": N_("a number out of range"),
    "bad_date": N_("not a date"),
    "bad_yesno": N_("not yes or no"),
    "bad_choice": N_("not one of the choices"),
    "unknown_unit": N_("a unit not listed for the year"),
    "unknown_year": N_("a year the units table does not list"),
    "unknown_item": N_("an unknown item"),
    "unused_column": N_("a column the item does not use"),
    "once_a_year": N_("an item counted once a year"),
    "duplicate_unit": N_("a unit twice in a year"),
    "duplicate_goal": N_("a goal twice"),
    "duplicate_fact": N_("the same fact in two files"),
    "duplicate_date": N_("a calendar date twice"),
    "calendar_missing": N_("a year the working-day calendar lacks"),
    "not_checked": N_("cells not checked because of another problem"),
}


def empty() -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out["row"] = pd.Series(dtype="Int64")
    return out


def make(file: str, sheet: str | None, rows, column: str, values, expected, code: str = "") -> pd.DataFrame:
    """Problems for many cells of one column at once (``rows``/``values`` array-like)."""
    import numpy as np
    import pandas as pd

    rows = np.asarray(rows)
    n = len(rows)
    values = np.asarray(values, dtype=object) if not np.isscalar(values) else [values] * n
    exp = np.asarray(expected, dtype=object) if not isinstance(expected, str) else [expected] * n
    return pd.DataFrame(
        {
            "file": [file] * n,
            "sheet": [sheet] * n,
            "row": pd.array(rows.astype("int64") if n else np.array([], dtype="int64"), dtype="Int64"),
            "column": [column] * n,
            "value": ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                      for v in values],
            "expected": list(exp),
            "code": [code] * n,
        },
        columns=COLUMNS,
    )


def one(file: str, sheet: str | None, row: int | None, column: str, value: str, expected: str,
        code: str = ""):
    import pandas as pd

    out = pd.DataFrame([[file, sheet, row, column, value, expected, code]], columns=COLUMNS)
    out["row"] = out["row"].astype("Int64")
    return out


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    frames = [f if "code" in f.columns else f.assign(code="") for f in frames if len(f)]
    if not frames:
        return empty()
    out = pd.concat(frames, ignore_index=True)
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    out["_r"] = out["row"].fillna(0)
    out = out.sort_values(["file", "sheet", "_r", "column"], kind="stable", na_position="first")
    return out.drop(columns="_r").reset_index(drop=True)[COLUMNS]


def _has_row(row) -> bool:
    import numpy as np
    import pandas as pd

    return row is not None and not (row is pd.NA or (isinstance(row, float) and np.isnan(row))) \
        and str(row) != ""


def where(file: str, sheet: str | None, row) -> str:
    """``ledger.csv, line 12`` or ``book.xlsx, sheet 台账, row 12`` (台账.csv 第12行 in Chinese)."""
    row = int(row) if _has_row(row) else None
    if sheet and row is not None:
        return _("{file}, sheet {sheet}, row {row}").format(file=file, sheet=sheet, row=row)
    if sheet:
        return _("{file}, sheet {sheet}").format(file=file, sheet=sheet)
    if row is not None:
        return _("{file}, line {row}").format(file=file, row=row)
    return str(file)


# problems about a whole column (its cells are not empty: the column is missing or unchecked)
WHOLE_COLUMN = ("missing_column", "not_checked")


def detail(r) -> str:
    """``, column X, value 'v': what was expected`` of a problem row."""
    if r.column and r.value == "" and getattr(r, "code", "") in WHOLE_COLUMN:  # not an empty cell
        return _(": {expected}").format(expected=r.expected)
    if r.column and r.value != "":
        return _(", column {column}, value {value!r}: {expected}").format(
            column=r.column, value=r.value, expected=r.expected)
    if r.column:
        return _(", column {column}, empty: {expected}").format(column=r.column, expected=r.expected)
    if r.value != "":
        return _(", value {value!r}: {expected}").format(value=r.value, expected=r.expected)
    return _(": {expected}").format(expected=r.expected)


def line(r) -> str:
    """One readable line for a problem row: where, column, value, what was expected."""
    sheet = r.sheet if isinstance(r.sheet, str) and r.sheet else None
    row = r.row if _has_row(r.row) else None
    return where(r.file, sheet, row) + detail(r)


def format_problems(df: pd.DataFrame, limit: int | None = None) -> list[str]:
    """One readable line per problem (the first ``limit`` only: lines are made for those shown)."""
    shown = df if limit is None else df.head(limit)
    lines = [line(r) for r in shown.itertuples(index=False)]
    if limit is not None and len(df) > limit:
        lines.append(_("… and {n} more problems (write them all with --problems FILE)")
                     .format(n=len(df) - limit))
    return lines


def counts(df: pd.DataFrame) -> pd.DataFrame:
    """Problems per kind: ``code, problems, meaning`` (most frequent first)."""
    import numpy as np
    import pandas as pd

    if not len(df):
        return pd.DataFrame({"code": pd.Series(dtype=object), "problems": pd.Series(dtype="int64"),
                             "meaning": pd.Series(dtype=object)})
    n = df["code"].fillna("").value_counts(sort=False)
    out = pd.DataFrame({"code": n.index.astype(object), "problems": n.to_numpy(dtype=np.int64)})
    out = out.sort_values(["problems", "code"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out["meaning"] = [_(CODES[c]) if c in CODES else "" for c in out["code"]]
    return out


def first_per_kind(df: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first ``n`` problems of each kind in each file and sheet (a bounded list to show)."""
    if len(df) <= n:
        return df
    key = [df["file"].astype(str), df["sheet"].fillna("").astype(str), df["code"].fillna("").astype(str)]
    return df[df.groupby(key, sort=False).cumcount().to_numpy() < n]
