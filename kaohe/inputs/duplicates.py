"""The same fact entered in two workbooks (or CSV files) of one data set.

Offices fill in their own workbooks and the 办公厅 reads them together, so a fact may
arrive twice: once in an office's workbook and once in a colleague's, or in the half-year
and the full-year workbook. Such a row would be counted twice; it is reported instead, on
both rows, each naming the other.

**The same fact** (ledger): rows of *different files* with the same date, unit, item,
事由 (subject) and 人员 (person) — text compared after NFKC normalization and without
spaces, so ``１０`` and ``10`` or a stray space do not hide a repeat. Their other columns may
differ (one says 2 days, the other 3): that is the same fact entered twice with a
conflict, and still reported. When a row has neither 事由 nor 人员 (a letter, a news
report), date, unit and item say too little, so every other column that carries a value
must match as well: 数量, 角色, 天数, 参加人数, 字数, 缺项, 失误, 重大修改, 发布日期,
分值 and 文号 (not 备注). Rows *within one file* are never compared: two identical rows
of one workbook are two facts (two letters registered the same day).

**Units** (单位): every office's template carries the same 单位 sheet, so identical rows
(same year, unit and staff) in several files are accepted once. The same unit and year
with a different staff count in another file is a conflict reported on both rows; two
rows for a unit and year in one file are reported as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kaohe.core import columns
from kaohe.core.i18n import _
from kaohe.core.problems import where

LEDGER_KEY = ("date", "unit", "item", "subject", "person")
LEDGER_DETAIL = ("quantity", "role", "days_c", "participants", "chars", "missing_steps", "errors",
                 "major_revision", "published", "points_u", "ref")


def _text_codes(s: pd.Series) -> np.ndarray:
    """Codes of normalized texts (NFKC, without spaces); -1 for empty cells."""
    arr = pa.array(s.astype(object).where(s.notna(), None), type=pa.large_string()) \
        if not hasattr(s.array, "__arrow_array__") else s.array.__arrow_array__()
    arr = pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKC"), r"\s+", "")
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    return pd.factorize(arr.to_pandas(), use_na_sentinel=True)[0].astype(np.int64)


def _codes(s: pd.Series) -> np.ndarray:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64)
    a = s.to_numpy()
    if np.issubdtype(a.dtype, np.datetime64):
        return np.where(np.isnat(a), NAT, a.astype("datetime64[D]").astype(np.int64))
    return pd.factorize(s, use_na_sentinel=True)[0].astype(np.int64)


NAT = np.iinfo(np.int64).min  # a missing date's code


def _spans_files(keys: pd.DataFrame, file: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Rows (among ``ok``) whose key occurs in more than one file."""
    out = np.zeros(len(keys), dtype=bool)
    sel = np.flatnonzero(ok)
    if len(sel):
        g = keys.iloc[sel].groupby(list(keys.columns), sort=False).ngroup().to_numpy()
        out[sel] = pd.Series(file[sel]).groupby(g).transform("nunique").to_numpy() > 1
    return out


def _locations(frame: pd.DataFrame, pos: np.ndarray) -> np.ndarray:
    """``file, sheet S, row R`` of the rows at positions ``pos``."""
    files = frame["_file"].astype(str).to_numpy()[pos]
    sheets = frame["_sheet"].astype(str).to_numpy()[pos]
    rows = frame["_row"].to_numpy()[pos]
    return np.array([where(f, s or None, r) for f, s, r in zip(files, sheets, rows, strict=True)],
                    dtype=object)


def _pair_other(group: np.ndarray, file: np.ndarray, pos: np.ndarray):
    """For rows (already restricted to groups spanning several files): the position of the
    first row of the group in another file, and how many other files the group spans."""
    t = pd.DataFrame({"g": group, "f": file, "p": pos})
    first = t.groupby(["g", "f"], sort=False)["p"].min().reset_index().sort_values(["g", "p"])
    a = first.groupby("g").nth(0).set_index("g")
    b = first.groupby("g").nth(1).set_index("g")
    nfiles = first.groupby("g").size()
    af = a["f"].reindex(group).to_numpy()
    other = np.where(file == af, b["p"].reindex(group).to_numpy(), a["p"].reindex(group).to_numpy())
    return other.astype(np.int64), nfiles.reindex(group).to_numpy() - 1


def ledger(L: pd.DataFrame, raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """Problems for ledger rows that repeat a fact of another file (see the module doc).

    ``L`` is the typed ledger (with _file/_sheet/_row); rows whose date, unit or item did
    not parse are left out (they are reported already). ``raw`` (the rows as written)
    gives the value shown; default: the item code.
    """
    from kaohe.core.contract import column_label
    from kaohe.core.problems import empty, make

    if not len(L) or L["_file"].nunique() < 2:
        return empty()
    file_all = _codes(L["_file"])
    cheap = {"date": _codes(L["date"]), "unit": _codes(L["unit"]), "item": _codes(L["item"])}
    ok = (cheap["date"] != NAT) & (cheap["unit"] >= 0) & (cheap["item"] >= 0)
    # candidates: rows whose date, unit and item also occur in another file (few, usually)
    ok &= _spans_files(pd.DataFrame(cheap), file_all, ok)
    if not ok.any():
        return empty()
    sel = np.flatnonzero(ok)
    C = L.iloc[sel]
    cols = {k: v[sel] for k, v in cheap.items()}
    cols.update(subject=_text_codes(C["subject"]), person=_text_codes(C["person"]))
    bare = (cols["subject"] < 0) & (cols["person"] < 0)
    for c in LEDGER_DETAIL:
        v = _text_codes(C[c]) if c == "ref" else _codes(C[c])
        cols[c] = np.where(bare, v, 0)
    keys = pd.DataFrame(cols)
    group = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    file = file_all[sel]
    hit = pd.Series(file).groupby(group).transform("nunique").to_numpy() > 1
    if not hit.any():
        return empty()
    pos = sel[hit]
    other, more = _pair_other(group[hit], file[hit], pos)
    also = _locations(L, other)
    more_text = {m: _(" and {n} more file(s)").format(n=m - 1) for m in np.unique(more) if m > 1}
    extra = [more_text.get(m, "") for m in more]
    what = np.where(bare[hit], _("same 日期, 单位, 事项 and amounts, no 事由/人员 to tell them apart"),
                    _("same 日期, 单位, 事项, 事由 and 人员"))
    msg = _("each fact in one file only: also in {where}{more} ({what}); keep it in one workbook")
    expected = [msg.format(where=a, more=e, what=w) for w, a, e in zip(what, also, extra, strict=True)]
    values = (raw["item"].to_numpy(dtype=object)[pos] if raw is not None
              else L["item"].astype(str).to_numpy()[pos])
    out = []
    sub = L.iloc[pos]
    for (f, s), idx in sub.groupby(["_file", "_sheet"], observed=True, sort=False).indices.items():
        out.append(make(str(f), str(s) or None, sub["_row"].to_numpy()[idx], column_label("ledger", "item"),
                        values[idx], np.asarray(expected, dtype=object)[idx], "duplicate_fact"))
    return pd.concat(out, ignore_index=True)


def units(out: pd.DataFrame, unit_ok: np.ndarray, unit_codes: np.ndarray | None = None):
    """Duplicate units rows: ``(same, bad, expected)``; ``unit_codes``: the rows' units as
    codes, if the reader gave them (equal codes, equal names).

    ``same``: rows identical (year, unit, staff) to a row of an earlier file — accepted
    once, drop them; ``bad``: rows in error (a second row in the same file, or another
    staff count in another file, reported on both rows); ``expected``: the message per row.
    """
    n = len(out)
    same = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    exp = np.empty(n, dtype=object)
    if n < 2:
        return same, bad, exp
    key = ["year", "unit"]
    pos = np.arange(n)
    unit = columns.codes(out["unit"]) if unit_codes is None else unit_codes
    t = pd.DataFrame({"year": out["year"].to_numpy(), "unit": unit,
                      "file": pd.factorize(out["_file"])[0], "p": pos})  # whole numbers
    t = t[unit_ok]
    in_file = pd.Series(columns.repeats(*(t[c].to_numpy() for c in (*key, "file"))), index=t.index)
    if in_file.any():
        first = t.drop_duplicates([*key, "file"]).set_index([*key, "file"])["p"]
        fp = first.reindex(pd.MultiIndex.from_frame(t.loc[in_file, [*key, "file"]])).to_numpy()
        rows = out["_row"].to_numpy()[fp]
        i = t.loc[in_file, "p"].to_numpy()
        bad[i] = True
        msg = _("one row per unit and year ({unit} {year} is already on row {row})")
        names = out["unit"].to_numpy(dtype=object)[i]
        exp[i] = [msg.format(unit=u, year=y, row=r)
                  for u, y, r in zip(names, t.loc[in_file, "year"], rows, strict=True)]
    t = t[~in_file]
    if t["file"].nunique() < 2:  # one file: no row repeats another file's
        return same, bad, exp
    ref = t.groupby(key, sort=False)["p"].transform("min").to_numpy()
    tp = t["p"].to_numpy()
    later = tp != ref
    if not later.any():
        return same, bad, exp
    staff = out["staff"].to_numpy(dtype=object)
    agree = np.array([staff[a] == staff[b] for a, b in zip(tp[later], ref[later], strict=True)], dtype=bool)
    same[tp[later][agree]] = True
    conflict_rows, conflict_ref = tp[later][~agree], ref[later][~agree]
    if len(conflict_rows):
        locs = _locations(out, np.concatenate([conflict_ref, conflict_rows]))
        k = len(conflict_rows)
        for i, j, lj, li in zip(conflict_rows, conflict_ref, locs[:k], locs[k:], strict=True):
            for a, b, loc in ((i, j, lj), (j, i, li)):
                if not bad[a]:
                    bad[a] = True
                    exp[a] = _("one staff count per unit and year: {unit} {year} has {staff} in {where}").format(
                        unit=out["unit"].iat[a], year=out["year"].iat[a], staff=staff[b], where=loc)
    return same, bad, exp


def goals(out: pd.DataFrame, ok: np.ndarray, unit_codes: np.ndarray | None = None):
    """Goals entered twice (same year, unit and goal, in any file): ``(bad, expected)``,
    each repeat naming the first row; ``unit_codes`` as for :func:`units`."""
    n = len(out)
    key = ["year", "unit", "goal"]
    unit = columns.codes(out["unit"]) if unit_codes is None else unit_codes
    bad = columns.repeats(out["year"].to_numpy(), unit, columns.codes(out["goal"])) & ok
    exp = np.empty(n, dtype=object)
    if bad.any():
        p = pd.Series(np.arange(n), index=pd.MultiIndex.from_frame(out[key]))
        first = p[~p.index.duplicated()]
        fp = first.reindex(pd.MultiIndex.from_frame(out.loc[bad, key])).to_numpy()
        msg = _("each goal once per unit and year (already in {where})")
        exp[bad] = [msg.format(where=loc) for loc in _locations(out, fp)]
    return bad, exp
