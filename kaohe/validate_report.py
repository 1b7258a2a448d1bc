"""``kaohe validate``: every problem of a data set, or what was read from it."""

from __future__ import annotations

import sys

import pandas as pd

from . import problems as problems_mod
from .errors import DataError


def raw_counts(raw) -> pd.DataFrame:
    """Rows read per table, file and sheet (before any checks)."""
    return pd.DataFrame(
        [{"table": t.name, "file": t.file, "sheet": t.sheet or "", "rows": len(t.frame)} for t in raw.tables],
        columns=["table", "file", "sheet", "rows"],
    )


def _print_counts(counts: pd.DataFrame) -> None:
    print(counts.to_string(index=False))


def run_validate(args) -> int:
    from .cli import load_dataset, write_table

    try:
        ds = load_dataset(args)
    except DataError as e:
        print(e.message, file=sys.stderr)
        for line in problems_mod.format_problems(e.problems, limit=500):
            print("  " + line, file=sys.stderr)
        raw = getattr(e, "raw", None)
        if raw is not None and raw.tables:
            print("\nrows read:")
            _print_counts(raw_counts(raw))
        if args.problems:
            write_table(e.problems, args.problems, "问题", "数据问题清单")
        return 1
    print(f"OK: {ds.name}: no problems")
    print("\nrows read per table and year:")
    _print_counts(ds.counts)
    return 0
