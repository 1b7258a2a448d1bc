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


def _plain_int(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """:func:`to_int` of the texts in its plainest form (ASCII digits only), in Arrow:
    ``(values, which)``; the other texts are for the parser."""
    which = pc.fill_null(pc.match_substring_regex(texts, r"^[0-9]{1,18}$"), False)
    values = pc.cast(pc.if_else(which, texts, "0"), pa.int64())
    return values.to_numpy(zero_copy_only=False), which.to_numpy(zero_copy_only=False)


to_int.fast = _plain_int


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


def _iso_date(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """:func:`to_date` of the texts written ``YYYY-MM-DD`` (years 1000 to 9999), in Arrow:
    ``(values, which)``; the other texts (and impossible days) are for the parser."""
    iso = pc.fill_null(pc.match_substring_regex(texts, r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$"), False)
    days = pc.strptime(pc.if_else(iso, texts, "2000-01-01"), format="%Y-%m-%d", unit="s", error_is_null=True)
    # a day that does not exist (2023-02-29) is moved on by strptime: only what reads back the same
    which = pc.fill_null(pc.and_(iso, pc.equal(pc.strftime(days, format="%Y-%m-%d"), texts)), False)
    values = pc.cast(pc.fill_null(days, 0), pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    return values, which.to_numpy(zero_copy_only=False)


to_date.fast = _iso_date


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
        return _parse_codes(s.cat.codes.to_numpy(), s.cat.categories, parser, missing, dtype)
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
    return _parse_codes(codes, enc.dictionary, parser, missing, dtype)


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


FAST_FROM = 64  # distinct texts from which a parser's plain forms are read in Arrow first


def _parse_codes(codes: np.ndarray, texts, parser, missing, dtype):
    """:func:`parse_series` of a column given as codes (-1: empty) into distinct texts (an
    Arrow array or an index of texts). A parser's plain forms (its ``fast``: ``1200``,
    ``2024-03-05``) are read in Arrow, the rest one by one. The masks are comparisons when
    every distinct text is filled and good (the usual case), and looked up per row only
    otherwise."""
    n = len(texts)
    vals = np.empty(n + 1, dtype=dtype)
    vals[-1] = missing
    ok = np.ones(n, dtype=bool)
    filled = np.ones(n, dtype=bool)
    rest = np.arange(n)
    # an integer the column's dtype cannot hold is BAD (the contract's bounds are checked before)
    lo, hi = (np.iinfo(dtype).min, np.iinfo(dtype).max) if np.dtype(dtype).kind == "i" else (None, None)
    fast = getattr(parser, "fast", None)
    if fast is not None and n >= FAST_FROM:
        arr = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.string())
        got, which = fast(arr)
        if lo is not None:
            which &= (got >= lo) & (got <= hi)
        vals[:-1][which] = got[which].astype(dtype)
        rest = np.flatnonzero(~which)
        texts = arr.take(rest)
    words = texts.to_pylist() if isinstance(texts, pa.Array) else list(texts)
    for i, u in zip(rest.tolist(), words):
        p = parser(u) if u.strip() else BLANK
        if lo is not None and isinstance(p, int) and not isinstance(p, bool) and not lo <= p <= hi:
            p = BAD
        vals[i] = missing if p is BAD or p is BLANK else p
        ok[i] = p is not BAD
        filled[i] = p is not BLANK
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
