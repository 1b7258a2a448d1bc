"""Text as it goes into a spreadsheet or CSV: never a formula; fixed decimals; true/false."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(s: str) -> str:
    """Text a spreadsheet can never take as a formula (leading = + - @ tab CR → quoted)."""
    return "'" + s if isinstance(s, str) and s[:1] in FORMULA_START else s


def for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """Strings as they go into a CSV: fixed decimals, true/false, formula-safe text."""
    out = table.copy()
    for col in out.columns:
        s = out[col]
        if len(s) and isinstance(s.iloc[0], Decimal):
            text = list(map(str, s))  # str is format(v, "f") but where it writes an exponent
            out[col] = [format(v, "f") if "E" in t else t for v, t in zip(s, text)]
        elif s.dtype == bool:
            out[col] = np.where(s, "true", "false")
        elif str(s.dtype) == "str":  # vectorized: prefix the few cells that start like a formula
            risky = s.str.slice(0, 1).isin(FORMULA_START).to_numpy(dtype=bool)
            if risky.any():
                out[col] = s.mask(risky, "'" + s)
        elif s.dtype == object:
            out[col] = [safe_text(v) for v in s]
    return out
