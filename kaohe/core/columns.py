"""Lookups of text columns in lists of names, by hashing in Arrow (linear, no call per value).

pandas' own ``isin`` and ``Categorical(values, categories=…)`` on Arrow-backed text build a
Python object per name; with tens of thousands of units that costs more than the scoring.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _arrow(values) -> pa.Array | pa.ChunkedArray:
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(str)
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    arr = pa.array(values, from_pandas=True)
    return arr if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) else arr.cast(pa.string())


def name_array(names, like: pa.DataType) -> pa.Array:
    """``names`` (a list, an index, a series or Arrow text) as one Arrow array of type ``like``."""
    if isinstance(names, (pd.Index, pd.Series)):
        arr = pa.array(names, from_pandas=True)  # Arrow-backed text: no copy
    elif isinstance(names, (pa.Array, pa.ChunkedArray)):
        arr = names
    else:
        arr = pa.array(list(names), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == like else arr.cast(like)


def positions(values, names) -> np.ndarray:
    """Each value's position in ``names`` (-1: not there), as int64."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        lut = np.append(positions(pd.Series(values.cat.categories, dtype=object), names), -1)
        return lut[values.cat.codes.to_numpy()]
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    arr = _arrow(values)
    pos = pc.index_in(arr, value_set=name_array(names, arr.type))
    return pc.fill_null(pos, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def member(values, names) -> np.ndarray:
    """Whether each value is one of ``names`` (missing values: False), as a bool array."""
    return positions(values, names) >= 0


def category_in(s: pd.Series, values) -> np.ndarray:
    """Whether each cell of a categorical column is one of ``values``: the categories are
    looked up, then each row's code in a table of them (no hashing per row)."""
    at = s.cat.categories.get_indexer(list(values))
    hit = np.zeros(len(s.cat.categories) + 1, dtype=bool)  # the last: a missing cell's code -1
    hit[at[at >= 0]] = True
    return hit[s.cat.codes.to_numpy()]


def categorical(codes: np.ndarray, names: pd.Index) -> pd.Categorical:
    """A categorical of ``codes`` (-1: missing) into ``names``, which are known distinct and
    filled (from a hash encoding or :func:`sorted_distinct`): pandas would check that once
    more, converting each name to a Python object (milliseconds per 10⁴ names)."""
    try:
        dtype = pd.CategoricalDtype._from_fastpath(names, False)  # the public constructor, less the checks
    except AttributeError:  # a pandas without it
        dtype = pd.CategoricalDtype(names)
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def stable_order(*keys: np.ndarray) -> np.ndarray:
    """The order of rows by integer ``keys`` (the first the most significant), equal rows in
    their order, as ``np.lexsort`` of the reversed keys: one stable sort of one combined key
    when the keys' ranges multiply below 2**62 (a third less time), else that lexsort."""
    if not len(keys[0]):
        return np.zeros(0, dtype=np.intp)
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - lo + 1 for k, lo in zip(keys, lows)]
    if math.prod(spans) >= 2**62:
        return np.lexsort(keys[::-1])
    key = np.zeros(len(keys[0]), dtype=np.int64)
    for k, lo, span in zip(keys, lows, spans):
        key *= span
        key += k  # (in int64: no narrower dtype's overflow)
        key -= lo
    return np.argsort(key, kind="stable")


def repeats(*keys: np.ndarray) -> np.ndarray:
    """Whether each row repeats an earlier row's integer ``keys`` (as pandas' ``duplicated``):
    one stable sort, then neighbours compared, without a hash table of a row each (a third
    of the memory it touches)."""
    n = len(keys[0])
    order = stable_order(*keys)
    again = np.zeros(n, dtype=bool)
    if n > 1:
        again[1:] = np.logical_and.reduce([k[order][1:] == k[order][:-1] for k in keys])
    out = np.zeros(n, dtype=bool)
    out[order] = again
    return out


def sorted_distinct(values) -> pd.Index:
    """The distinct non-missing texts, sorted by code point (as Python's ``sorted``), as an
    Arrow-backed index (no Python object per name)."""
    arr = pc.drop_null(pc.unique(_arrow(values)))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pd.Index(arr.take(pc.sort_indices(arr)).cast(pa.large_string()).to_pandas(), dtype="str")


def _encoded(values) -> pa.DictionaryArray:
    arr = _arrow(values)
    return pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)


def codes(values) -> np.ndarray:
    """Each text's code among the distinct texts (in order of first appearance; -1: missing),
    from one hash pass in Arrow: equal codes, equal texts."""
    return pc.fill_null(_encoded(values).indices, -1).to_numpy(zero_copy_only=False)


def sorted_codes(values) -> tuple[pd.Index, np.ndarray]:
    """:func:`sorted_distinct` of ``values`` and each value's position in it (-1: missing),
    from one hash pass."""
    enc = _encoded(values)
    order = pc.sort_indices(enc.dictionary).to_numpy()
    rank = np.empty(len(order) + 1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    rank[-1] = -1  # a missing value's code -1 looks up the last
    names = pd.Index(enc.dictionary.take(order).cast(pa.large_string()).to_pandas(), dtype="str")
    return names, rank[pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False)]


def text_bytes(arr: pa.Array) -> memoryview:
    """The bytes of an Arrow text array's values end to end, without a copy (a null's bytes
    too, if it has any)."""
    buffers = arr.buffers()
    if not len(arr) or buffers[2] is None:
        return memoryview(b"")
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=width)[arr.offset: arr.offset + len(arr) + 1]
    return memoryview(buffers[2])[int(offsets[0]): int(offsets[-1])]


def years(dates: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """The year of each date (``datetime64[D]``) where ``ok``, 0 elsewhere: looked up in a table
    of the days from the first date to the last (a ledger's dates span a year or a few), not
    converted per row through the calendar."""
    days = dates.view(np.int64)
    if not ok.any():
        return np.zeros(len(dates), dtype=np.int64)
    lo, hi = int(days[ok].min()), int(days[ok].max())
    if hi - lo > max(len(dates), 1 << 16):  # dates spread over centuries: per row
        return np.where(ok, dates.astype("datetime64[Y]").astype(np.int64) + 1970, 0)
    table = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    return np.where(ok, table[np.clip(days - lo, 0, hi - lo)], 0)
