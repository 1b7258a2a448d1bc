"""Problems found in a data set: one row each, named as the user sees the data."""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["file", "sheet", "row", "column", "value", "expected"]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})


def make(file: str, sheet: str | None, rows, column: str, values, expected) -> pd.DataFrame:
    """Problems for many cells of one column at once (``rows``/``values`` array-like)."""
    rows = np.asarray(rows)
    n = len(rows)
    values = np.asarray(values, dtype=object) if not np.isscalar(values) else [values] * n
    exp = np.asarray(expected, dtype=object) if not isinstance(expected, str) else [expected] * n
    return pd.DataFrame(
        {
            "file": [file] * n,
            "sheet": [sheet] * n,
            "row": rows.astype("int64") if n else np.array([], dtype="int64"),
            "column": [column] * n,
            "value": ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                      for v in values],
            "expected": list(exp),
        },
        columns=COLUMNS,
    )


def one(file: str, sheet: str | None, row: int | None, column: str, value: str, expected: str):
    return pd.DataFrame([[file, sheet, row, column, value, expected]], columns=COLUMNS)


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty()
    out = pd.concat(frames, ignore_index=True)
    out["_r"] = pd.to_numeric(out["row"], errors="coerce").fillna(0)
    out = out.sort_values(["file", "sheet", "_r", "column"], kind="stable", na_position="first")
    return out.drop(columns="_r").reset_index(drop=True)


def where(file: str, sheet: str | None, row) -> str:
    """``ledger.csv, line 12`` or ``book.xlsx, sheet 台账, row 12``."""
    parts = [file]
    if sheet:
        parts.append(f"sheet {sheet}")
    if row is not None and not (isinstance(row, float) and np.isnan(row)) and str(row) != "":
        parts.append(f"{'row' if sheet else 'line'} {int(row)}")
    return ", ".join(parts)


def detail(r) -> str:
    """``, column X, value 'v': what was expected`` of a problem row."""
    col = f", column {r.column}" if r.column else ""
    val = f", value {r.value!r}" if r.value != "" else (", empty" if r.column else "")
    return f"{col}{val}: {r.expected}"


def format_problems(df: pd.DataFrame, limit: int | None = None) -> list[str]:
    """One readable line per problem: where, column, value, what was expected."""
    lines = []
    shown = df if limit is None else df.head(limit)
    for r in shown.itertuples(index=False):
        sheet = r.sheet if isinstance(r.sheet, str) and r.sheet else None
        row = None if r.row is None or pd.isna(r.row) else r.row
        lines.append(where(r.file, sheet, row) + detail(r))
    if limit is not None and len(df) > limit:
        lines.append(f"… and {len(df) - limit} more problems (write them all with --problems FILE)")
    return lines
