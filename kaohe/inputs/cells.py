"""Cell parsers: what an office may type in a cell → a value, or ``BAD`` with no value.

Each parser takes one trimmed, non-empty cell text. Columns are parsed through their
distinct values only (:func:`parse_series`), so a million rows cost a few thousand calls.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kaohe.core import columns, contract

BAD = object()
BLANK = object()  # a cell of spaces only: missing

_INT = re.compile(r"[+-]?\d+(\.0*)?")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of day: allowed, ignored
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME)
_DATE8 = re.compile(r"(\d{4})(\d{2})(\d{2})" + _TIME)
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
MAX_DIGITS = 40  # longer integers are out of every range: kept as ±10**40, never parsed
# what Excel shows for a formula that failed (calamine reads them as empty; io names them)
ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (32874, 73050)  # 1990-01-01 … 2099-12-31 as Excel serial numbers


def norm(s: str) -> str:
    """NFKC (full-width digits and letters → ASCII), trimmed."""
    return unicodedata.normalize("NFKC", s).strip()


def to_int(s: str):
    """A whole number as written (``12``, ``12.0``, ``１２``); no separators (``1,000`` and
    ``1_000`` are refused, not guessed)."""
    t = norm(s)
    if not _INT.fullmatch(t):
        return BAD
    digits = t.split(".")[0]
    if len(digits.lstrip("+-")) > MAX_DIGITS:
        return -(10**MAX_DIGITS) if digits.startswith("-") else 10**MAX_DIGITS
    return int(digits)


def to_decimal(s: str):
    """A number as written (``2.5``, ``1e3``); no separators, no ``nan``/``inf``."""
    t = norm(s)
    if not _NUMBER.fullmatch(t):
        return BAD
    try:
        d = Decimal(t)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return BAD
    return d if d.is_finite() else BAD


def decimals(d: Decimal) -> int:
    """Decimals written (``2.50`` → 2, ``1e-300`` → 300)."""
    return max(0, -d.as_tuple().exponent)


def to_date(s: str):
    """``YYYY-MM-DD`` and its usual variants, ``YYYYMMDD``, or an Excel serial number; a time
    of day after the date (``2024-03-05 10:00``, ``2024-03-05T00:00:00``) is allowed and ignored."""
    t = norm(s)
    m = _DATE.fullmatch(t)
    if m:
        y, mo, d = (int(g) for g in m.groups()[:3])
    elif _DATE8.fullmatch(t):
        y, mo, d = (int(g) for g in _DATE8.fullmatch(t).groups())
    elif _SERIAL.fullmatch(t) and SERIAL_RANGE[0] <= float(t) <= SERIAL_RANGE[1]:
        return np.datetime64(_EXCEL_EPOCH + dt.timedelta(days=int(float(t))), "D")
    else:
        return BAD
    try:
        return np.datetime64(dt.date(y, mo, d), "D")
    except ValueError:
        return BAD


_YES = {norm(w).lower() for w in contract.YES}
_NO = {norm(w).lower() for w in contract.NO}


def to_bool(s: str):
    t = norm(s).lower()
    if t in _YES:
        return True
    if t in _NO:
        return False
    return BAD


def lookup(table: dict[str, str]):
    """A parser that maps a word (as written, NFKC, case-insensitive) through ``table``."""

    def parse(s: str):
        t = norm(s)
        return table.get(t, table.get(t.lower(), table.get(re.sub(r"\s+", "", t), BAD)))

    return parse


def parse_series(s: pd.Series, parser, missing, dtype=object):
    """Parse a column through its distinct values.

    Returns ``(values, present, bad)``: values (``missing`` where empty or bad) as a numpy
    array of ``dtype``, a mask of filled cells and a mask of cells the parser refused.
    Mostly empty columns are encoded on their filled cells only.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):  # dictionary-encoded already (see io)
        return _parse_codes(s.cat.codes.to_numpy(), s.cat.categories.tolist(), parser, missing, dtype)
    arr = _arrow(s)
    n = len(arr)
    where = None
    if arr.null_count > n // 2:  # sparse: encode the filled cells only
        where = np.flatnonzero(pc.is_valid(arr).to_numpy(zero_copy_only=False))
        arr = arr.take(where)
    enc = pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False)  # one hash pass
    if where is not None:
        full = np.full(n, -1, dtype=codes.dtype)
        full[where] = codes
        codes = full
    return _parse_codes(codes, enc.dictionary.to_pylist(), parser, missing, dtype)


def codes_in(s: pd.Series, names) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the trimmed cells in ``names`` (-1: not there or empty) and the mask of
    filled cells — one vectorized lookup (no call per distinct value); a categorical's
    categories are looked up, not its rows."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        pos, present = codes_in(pd.Series(s.cat.categories), names)
        at = s.cat.codes.to_numpy()
        return np.append(pos, -1)[at], np.append(present, False)[at]
    arr = pc.utf8_trim_whitespace(_arrow(s))
    present = pc.fill_null(pc.greater(pc.utf8_length(arr), 0), False).to_numpy(zero_copy_only=False)
    pos = pc.index_in(arr, value_set=columns.name_array(names, arr.type))
    return pc.fill_null(pos, -1).to_numpy(zero_copy_only=False).astype(np.int64), present


def _parse_codes(codes: np.ndarray, texts: list[str], parser, missing, dtype):
    """:func:`parse_series` of a column given as codes (-1: empty) into distinct texts. The
    masks are comparisons when every distinct text is filled and good (the usual case), and
    looked up per row only otherwise."""
    parsed = [_fits(parser(u), dtype) if u.strip() else BLANK for u in texts]
    vals = np.empty(len(parsed) + 1, dtype=dtype)
    for i, p in enumerate(parsed):
        vals[i] = missing if p is BAD or p is BLANK else p
    vals[-1] = missing
    ok = np.fromiter((p is not BAD for p in parsed), dtype=bool, count=len(parsed))
    filled = np.fromiter((p is not BLANK for p in parsed), dtype=bool, count=len(parsed))
    codes = np.asarray(codes).astype(np.intp, copy=False)  # converted once for the lookups
    present = codes >= 0 if filled.all() else np.append(filled, False)[codes]
    bad = np.zeros(len(codes), dtype=bool) if ok.all() else ~np.append(ok, True)[codes]
    return vals[codes], present, bad


def any_starts_with(s: pd.Series, prefix: str) -> bool:
    """Whether a filled cell of a text column starts with ``prefix`` (a categorical's names
    are looked at, an Arrow column in Arrow)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return bool(s.cat.categories.str.startswith(prefix).any())
    return bool(pc.any(pc.starts_with(_arrow(s), prefix)).as_py())


def _fits(p, dtype):
    """BAD for an integer the column's dtype cannot hold (bounds are checked before; this keeps
    any other parser from overflowing)."""
    if isinstance(p, int) and not isinstance(p, bool) and np.dtype(dtype).kind == "i":
        info = np.iinfo(dtype)
        if not info.min <= p <= info.max:
            return BAD
    return p


def _arrow(s: pd.Series) -> pa.ChunkedArray:
    """The column as Arrow strings (zero-copy for Arrow-backed string columns)."""
    a = s.array
    if hasattr(a, "__arrow_array__"):
        arr = a.__arrow_array__()
        if isinstance(arr, pa.Array):
            arr = pa.chunked_array([arr])
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            return arr
    return pa.chunked_array([pa.array(s.astype(object).where(s.notna(), None).tolist(), type=pa.string())])
