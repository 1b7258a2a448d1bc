"""Text as it goes into a spreadsheet or CSV: never a formula; fixed decimals; true/false."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(s: str) -> str:
    """Text a spreadsheet can never take as a formula (leading = + - @ tab CR → quoted)."""
    return "'" + s if isinstance(s, str) and s[:1] in FORMULA_START else s


def for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """Strings as they go into a CSV: fixed decimals, true/false, formula-safe text (columns of
    dates, floats or categories as they are, their text cells formula-safe)."""
    import pandas as pd

    out = table.copy()
    for col in out.columns:
        s = out[col]
        arr = _text_column(s)
        if arr is not None:
            out[col] = pd.Series(arr.to_pandas().array, index=s.index, copy=False)
        elif s.dtype == object:
            out[col] = [safe_text(v) for v in s]
    return out


_NEEDS_QUOTES = r'[,"\r\n]'


def _text_column(s: pd.Series) -> pa.Array | None:
    """A column's CSV cells as Arrow text (formula-safe, nulls as empty), or None for a dtype
    that pandas formats its own way (dates, floats, categories)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(s.dtype, pd.ArrowDtype) and pa.types.is_decimal(s.dtype.pyarrow_dtype):
        return pc.fill_null(pc.cast(pa.array(s), pa.string()), "")  # "12.50", as str(Decimal)
    if len(s) and isinstance(s.iloc[0], Decimal):
        values = s.to_numpy(dtype=object)
        text = pa.array(list(map(str, values)), type=pa.string())
        sci = pc.match_substring(text, "E")  # str writes an exponent for very small or large values
        if pc.any(sci).as_py():
            text = pa.array([format(v, "f") if e else t for v, t, e in
                             zip(values, text.to_pylist(), sci.to_pylist())], type=pa.string())
        return text
    if s.dtype == bool:
        return pc.if_else(pa.array(s.to_numpy()), "true", "false")
    if s.dtype.kind in "iu":  # numpy or nullable integers (a missing one empty)
        return pc.fill_null(pc.cast(pa.array(s, from_pandas=True), pa.string()), "")
    if str(s.dtype) == "str":
        arr = pa.array(s, from_pandas=True)
    elif s.dtype == object and all(v is None or isinstance(v, str) for v in s):
        arr = pa.array([safe_text(v) for v in s], type=pa.string())
        return pc.fill_null(arr, "")
    else:
        return None
    arr = (arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr).cast(pa.string())
    risky = pc.fill_null(pc.match_substring_regex(arr, r"^[=+\-@\t\r]"), False)
    if pc.any(risky).as_py():
        arr = pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)
    return pc.fill_null(arr, "")


def _quoted(arr: pa.Array) -> pa.Array:
    """Cells that hold a comma, quote or line break quoted as CSV wants (quotes doubled)."""
    import pyarrow.compute as pc

    need = pc.match_substring_regex(arr, _NEEDS_QUOTES)
    if not pc.any(need).as_py():
        return arr
    q = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
    return pc.if_else(need, q, arr)


def csv_text(table: pd.DataFrame, lineterminator: str = "\n") -> str:
    """The table as CSV text (header, then one line per row) with :func:`for_csv`'s cells,
    joined column by column in Arrow; the same text as pandas' ``to_csv(index=False)``."""
    return csv_bytes(table, lineterminator).decode("utf-8")


def csv_bytes(table: pd.DataFrame, lineterminator: str = "\n") -> bytes:
    """:func:`csv_text` as UTF-8 bytes (straight from Arrow's buffers)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cols = [_text_column(table[c]) for c in table.columns]
    if any(c is None for c in cols) or not len(table.columns):
        return for_csv(table).to_csv(index=False, lineterminator=lineterminator).encode("utf-8")
    header = ",".join(_quoted(pa.array([str(c) for c in table.columns], type=pa.string())).to_pylist())
    if not len(table):
        return (header + lineterminator).encode("utf-8")
    text = [str(table[c].dtype) == "str" or table[c].dtype == object for c in table.columns]
    lines = pc.binary_join_element_wise(*[_quoted(c) if t else c for c, t in zip(cols, text)], ",")
    lines = pc.binary_join_element_wise(lines, "", lineterminator)  # each line with its end
    from kaohe.core.columns import text_bytes

    return b"".join(((header + lineterminator).encode("utf-8"), text_bytes(lines)))  # one copy


def csv_rows(columns: list[str], rows: list[list], lineterminator: str = "\n") -> str:
    """A few rows of text cells as CSV (formula-safe, quoted where needed): :func:`csv_text`
    for a table too small to be worth pandas."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow(columns)
    w.writerows([["" if v is None else safe_text(v) if isinstance(v, str) else v for v in r] for r in rows])
    return buf.getvalue()
