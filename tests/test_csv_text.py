"""The CSV that ``kaohe score``/``explain`` write, built column by column in Arrow, is the CSV
the standard library's writer makes of the same cells (formula-safe, quoted where needed)."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from kaohe.engine.exact import decimal_column
from kaohe.output import safe_text

PIECES = ["办公厅", "a", ",", '"', "\n", "\r\n", " ", "=", "+", "-", "@", "\t", "x,y", "1E5", "'", "＝"]


def _reference(table: pd.DataFrame, terminator: str) -> str:
    """The cells as the contract writes them, through csv.writer (an independent path)."""
    def cell(v):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return ""
        if isinstance(v, (bool, np.bool_)):
            return "true" if v else "false"
        if isinstance(v, Decimal):
            return format(v, "f")
        if isinstance(v, str):
            return safe_text.safe_text(v)
        return str(v)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL)
    w.writerow(list(table.columns))
    for row in table.itertuples(index=False):
        w.writerow([cell(v) for v in row])
    return buf.getvalue()


def _text(rng: random.Random) -> str | None:
    if rng.random() < 0.1:
        return None
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))


@pytest.mark.parametrize("seed", range(20))
def test_csv_text_is_what_the_csv_module_writes(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 40)
    dec = [Decimal(rng.randint(-10**6, 10**6)).scaleb(-2) for _ in range(n)]
    table = pd.DataFrame({
        "rank": np.array([rng.randint(1, 9) for _ in range(n)], dtype=np.int64),
        "unit": pd.Series([_text(rng) for _ in range(n)], dtype="str"),
        "note": pd.Series([_text(rng) for _ in range(n)], dtype=object),
        "total": pd.Series(decimal_column(dec, 2)) if n else pd.Series([], dtype=object),
        "points": pd.Series([Decimal(rng.choice(["12.5", "-0.25", "1E-7", "40", "0.00"])) for _ in range(n)],
                            dtype=object),
        "eligible": np.array([rng.random() < 0.5 for _ in range(n)], dtype=bool),
    })
    for terminator in ("\n", "\r\n"):
        assert safe_text.csv_text(table, terminator) == _reference(table, terminator)


def test_published_decimals_print_with_their_places():
    col = pd.Series(decimal_column([Decimal("12.50"), Decimal("-0.05"), Decimal("0.00")], 2))
    assert list(col) == [Decimal("12.50"), Decimal("-0.05"), Decimal("0.00")]
    assert safe_text.csv_text(pd.DataFrame({"total": col})) == "total\n12.50\n-0.05\n0.00\n"


def test_a_table_with_dates_and_a_filtered_index_keeps_its_rows_together():
    t = pd.DataFrame({"unit": pd.Series(["=a", "b", "c"], dtype="str"),
                      "date": pd.to_datetime(["2024-01-02", "2024-03-04", "2024-05-06"]),
                      "points": [Decimal("1.5"), Decimal("-2"), Decimal("3")]}).iloc[[2, 0]]
    assert safe_text.csv_text(t) == "unit,date,points\nc,2024-05-06,3\n'=a,2024-01-02,1.5\n"


@pytest.mark.parametrize("seed", range(5))
def test_rows_of_words_are_written_as_a_table_of_them(seed):
    rng = random.Random(seed)
    cols = ["name", "zh", "note"]
    rows = [[_text(rng) or "" for _ in cols] for _ in range(rng.randint(0, 12))]
    table = pd.DataFrame(rows, columns=cols, dtype="str")
    for terminator in ("\n", "\r\n"):
        assert safe_text.csv_rows(cols, rows, terminator) == safe_text.csv_text(table, terminator)
