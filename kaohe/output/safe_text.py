"""Text as it goes into a spreadsheet or CSV: never a formula; fixed decimals; true/false."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd


def safe_text(s: str) -> str:
    """Text a spreadsheet can never take as a formula (leading = + - @ tab CR → quoted)."""
    return "'" + s if isinstance(s, str) and s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def for_csv(table: pd.DataFrame) -> pd.DataFrame:
    """Strings as they go into a CSV: fixed decimals, true/false, formula-safe text."""
    out = table.copy()
    for col in out.columns:
        s = out[col]
        if len(s) and isinstance(s.iloc[0], Decimal):
            out[col] = [format(v, "f") for v in s]
        elif s.dtype == bool:
            out[col] = np.where(s, "true", "false")
        elif s.dtype == object or str(s.dtype) == "str":
            out[col] = [safe_text(v) for v in s]
    return out
