"""Scoring as one audit table.

Every ledger row, every goal and every unit's full marks become audit lines. A line's
points are a linear expression over rule values,

    points = coef/100 × (value[param] + value[param_add])
             − missing_steps × value[item.missing_step] − errors × value[item.error] + const

where ``coef`` (signed, in hundredths: quantity × 100 or days × 100) and the chosen
``param`` come from the row and the rule's conditions (tiers, the leave allowance, the
reading rule, once a year, lateness). Points are exact integers in millionths of a point
(``points_u``). Every published figure is a sum over this table, so ``explain`` and the
totals cannot disagree; the uncertainty analysis re-evaluates the same expression with
other values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from kaohe.core import columns
from kaohe.inputs.dataset import Dataset
from kaohe.rulebook import rules
from kaohe.rulebook.rules import Rulebook

NONE = "-"  # the "no parameter" slot (value 0)


class ParamIndex:
    """Positions of the value parameters (kind points) and their exact values in 1e-6."""

    def __init__(self, rb: Rulebook):
        self.names = [n for n, p in rb.params.items() if p.kind == "points"] + [NONE]
        self.pos = {n: i for i, n in enumerate(self.names)}
        self.none = self.pos[NONE]

    def values_u(self, rb: Rulebook) -> np.ndarray:
        return np.array([rules.micro(rb[n]) for n in self.names[:-1]] + [0], dtype=np.int64)


def _cmp(x: np.ndarray, scale: int, op: str, t) -> np.ndarray:
    """Exact ``x/scale op t`` for integer ``x`` and a Decimal threshold ``t``."""
    ts = t * scale
    fl = int(ts.to_integral_value(rounding="ROUND_FLOOR"))
    exact = ts == fl
    if op == ">":
        return x > fl
    if op == ">=":
        return x >= fl if exact else x > fl
    if op == "<":
        return x < fl if exact else x <= fl
    if op == "<=":
        return x <= fl
    return x == fl if exact else np.zeros(len(x), dtype=bool)


_COL_SCALE = {"days": ("days_c", 100), "participants": ("participants", 1), "chars": ("chars", 1)}


def classify(ds: Dataset, rb: Rulebook, px: ParamIndex) -> pd.DataFrame:
    """Per ledger row: the parameters and coefficients of its points (no values yet)."""
    L = ds.ledger
    n = len(L)
    codes = list(rb.items)
    k = L["item"].cat.codes.to_numpy().astype(np.int64)
    role = L["role"].cat.codes.to_numpy().astype(np.int64)  # 0 organizer, 1 coordinator
    qty = L["quantity"].to_numpy()
    items = [rb.items[c] for c in codes]

    def pidx(name):
        return px.pos.get(name, px.none)

    base = np.array([[pidx(f"{c}.{r}" if it.per_role else c) for r in rules.ROLES]
                     for c, it in zip(codes, items)], dtype=np.int64)
    sign = np.array([it.sign for it in items], dtype=np.int64)
    ms_p = np.array([pidx(f"{c}.missing_step") for c in codes], dtype=np.int64)
    er_p = np.array([pidx(f"{c}.error") for c in codes], dtype=np.int64)
    by_days = np.array([it.amount == "days" for it in items])[k]
    by_points = np.array([it.amount == "points" for it in items])[k]

    p1 = base[k, role]
    p2 = np.full(n, px.none, dtype=np.int64)
    tier = np.full(n, -1, dtype=np.int8)
    coef = np.where(by_days, L["days_c"].to_numpy(), qty.astype(np.int64) * 100)  # int64
    coef[by_points] = 0
    const = np.where(by_points, L["points_u"].to_numpy(), 0)
    info = np.zeros(n, dtype=np.int64)  # rule detail for the reason (see reasons.py)
    info2 = np.zeros(n, dtype=np.int64)

    for ki, (code, it) in enumerate(zip(codes, items)):
        if not it.tiers and not it.rule:
            continue
        rows = np.flatnonzero(k == ki)
        if not len(rows):
            continue
        r = role[rows]
        # tiers: the first whose conditions all hold
        chosen = np.full(len(rows), -1, dtype=np.int8)
        for ti in reversed(range(len(it.tiers))):
            t = it.tiers[ti]
            cond = np.ones(len(rows), dtype=bool)
            for col in t.columns:
                src, scale = _COL_SCALE[col]
                x = L[src].to_numpy()[rows]
                cond &= _cmp(x, scale, rb[f"{code}.{t.name}.{col}.op"], rb[f"{code}.{t.name}.{col}"])
            chosen[cond] = ti
        tier[rows] = chosen
        for ti, t in enumerate(it.tiers):
            sel = chosen == ti
            if not sel.any():
                continue
            names = [f"{code}.{t.name}.{ro}" if t.per_role else f"{code}.{t.name}" for ro in rules.ROLES]
            tp = np.array([pidx(nm) for nm in names], dtype=np.int64)[r[sel]]
            if t.mode == "add":
                p2[rows[sel]] = tp
            else:
                p1[rows[sel]] = tp
        if it.rule == "leave_allowance":
            _leave(L, rows, rb[f"{code}.allowance"], coef, info, info2)
        elif it.rule == "reading_once":
            _reading(L, rows, rb, code, p1, px, info)
        elif it.rule == "once_per_year":
            _once(L, rows, coef, info)
        elif it.rule == "lateness":
            _lateness(ds, L, rows, rb, code, p1, px, info, info2)

    coef = coef * sign[k]
    return pd.DataFrame({"p1": p1, "p2": p2, "coef_c": coef, "ms": L["missing_steps"].to_numpy(),
                         "ms_p": ms_p[k], "err": L["errors"].to_numpy(), "er_p": er_p[k],
                         "const_u": const, "tier": tier, "info": info, "info2": info2}, copy=False)


def _leave(L, rows, allowance, coef, info, info2):
    """Days past the allowance, per person and year in date order, on the row they fall in."""
    allow_c = int(allowance * 100)
    person = pd.factorize(L["person"].iloc[rows])[0]
    year = L["year"].to_numpy()[rows]
    date = L["date"].to_numpy()[rows].astype(np.int64)
    order = columns.stable_order(year, person, date)  # rows ascending: ties in row order
    r = rows[order]
    days = L["days_c"].to_numpy()[r].astype(np.int64)  # a year's running total may pass int32
    grp = pd.Series(days).groupby([year[order], person[order]], sort=False).cumsum().to_numpy()
    before = grp - days
    excess = np.minimum(days, np.maximum(0, grp - allow_c))
    coef[r] = excess
    info[r] = before  # year total before this row (hundredths of days)
    info2[r] = allow_c


def _subject_key(s: pd.Series) -> np.ndarray:
    codes, uniq = pd.factorize(s)
    from kaohe.inputs.cells import norm

    keys = np.array([" ".join(norm(u).split()) for u in uniq] + [""], dtype=object)
    return keys[codes]


def _reading(L, rows, rb, code, p1, px, info):
    """An unchanged second reading of the same unit's earlier first reading scores once."""
    first_code = rb.items[code].after
    firsts = np.flatnonzero((L["item"] == first_code).to_numpy())
    if not len(firsts):
        return
    unit = L["unit"].cat.codes.to_numpy()
    f = pd.DataFrame({"unit": unit[firsts], "key": _subject_key(L["subject"].iloc[firsts]),
                      "fdate": L["date"].to_numpy()[firsts]})
    f = f.groupby(["unit", "key"], sort=False)["fdate"].min()
    s = pd.DataFrame({"unit": unit[rows], "key": _subject_key(L["subject"].iloc[rows])})
    fdate = s.join(f, on=["unit", "key"])["fdate"].to_numpy()
    date = L["date"].to_numpy()[rows].astype("datetime64[D]")
    fdate = fdate.astype("datetime64[D]")
    same = ~np.isnat(fdate) & (fdate < date) & ~L["major_revision"].to_numpy()[rows]
    p1[rows[same]] = px.pos[f"{code}.same_unit"]
    info[rows] = np.where(np.isnat(fdate), 0, fdate.astype(np.int64) + 1)


def _once(L, rows, coef, info):
    """The value once per unit and year (the first row in date order); later rows give 0."""
    year = L["year"].to_numpy()[rows]
    unit = L["unit"].cat.codes.to_numpy()[rows]
    date = L["date"].to_numpy()[rows].astype(np.int64)
    order = columns.stable_order(year, unit, date)  # rows ascending: ties in row order
    r = rows[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (year[order][1:] != year[order][:-1]) | (unit[order][1:] != unit[order][:-1])
    coef[r] = np.where(first, 100, 0)
    info[r] = np.where(first, 1, 0)


def _lateness(ds, L, rows, rb, code, p1, px, info, info2):
    """Late: not published, or published after the n-th working day after the end."""
    date = L["date"].to_numpy()[rows].astype("datetime64[D]")
    pub = L["published"].to_numpy()[rows].astype("datetime64[D]")
    deadline = ds.calendar.deadlines(date, rb[f"{code}.workdays"])
    on_time = ~np.isnat(pub) & (pub <= deadline)
    p1[rows[on_time]] = px.pos[f"{code}.on_time"]
    info[rows] = deadline.astype(np.int64)
    info2[rows] = np.where(np.isnat(pub), 0, pub.astype(np.int64) + 1) * np.where(on_time, 1, -1)


# rows per block where a step needs temporaries of a row each: 512 KiB arrays, which the
# allocator hands out again and again (blocks of 10⁶ rows took fresh pages from the system
# every time: seven times the page faults, and on a virtual machine each one is dear)
BLOCK = 1 << 16


EVALUATED = ("p1", "p2", "coef_c", "ms", "ms_p", "err", "er_p", "const_u")  # what a line's points depend on


def evaluate(terms, vals_u: np.ndarray) -> np.ndarray:
    """Exact points (1e-6) of classified lines (a table or a mapping of columns) for the given
    parameter values."""
    cols = {c: np.asarray(terms[c]) for c in EVALUATED}
    out = np.empty(len(cols["p1"]), dtype=np.int64)
    for lo in range(0, len(out), BLOCK):  # in blocks: the temporaries stay small
        c = {k: v[lo:lo + BLOCK] for k, v in cols.items()}
        main = vals_u[c["p1"]] + vals_u[c["p2"]]
        main *= c["coef_c"]
        assert not (main % 100).any(), "inexact points: a value with more than 4 decimals"
        main //= 100
        main -= c["ms"] * vals_u[c["ms_p"]]
        main -= c["err"] * vals_u[c["er_p"]]
        main += c["const_u"]
        out[lo:lo + BLOCK] = main
    return out


# ---------------------------------------------------------------------- the audit table
PSEUDO_ITEMS = ["common.full", "goals.full", "goals.per_missed", "common.floor", "goals.floor"]
SOURCES = ["ledger", "goals", "rulebook"]
INT_COLUMNS = ["year", "row", "quantity", "days_c", "participants", "chars", "coef_c", "ms", "err",
               "const_u", "info", "info2"]
PARAM_COLUMNS = ["p1", "p2", "ms_p", "er_p"]
SMALL_INTS = {"row", "quantity", "participants", "chars", "ms", "err", "days_c", "info", "info2"}
CAT_COLUMNS = ["unit", "component", "section", "clause", "item", "source", "file", "sheet", "role"]
TEXT_COLUMNS = ["person", "subject", "ref"]


class _Positions(dict):
    """Category → position, per column, made when a column is first asked for (the units'
    list, tens of thousands long, is looked up in Arrow instead)."""

    def __init__(self, cats: dict):
        super().__init__()
        self.cats = cats

    def __missing__(self, col: str) -> dict:
        self[col] = {v: i for i, v in enumerate(self.cats[col])}
        return self[col]


class _Parts:
    """Audit lines assembled column by column (categoricals as codes), then one frame."""

    def __init__(self, cats: dict, dtypes: dict | None = None):
        self.cats = cats
        self.pos = _Positions(cats)
        self.dtypes = {c: (dtypes or {}).get(c) or pd.CategoricalDtype(pd.Index(vals, dtype="str"))
                       for c, vals in cats.items()}
        self.parts: list[dict] = []

    def code(self, col: str, value: str, n: int) -> np.ndarray:
        return np.full(n, self.pos[col][value], dtype=np.int32)

    def add(self, n: int, cols: dict) -> None:
        self.parts.append({"n": n, **cols})

    @staticmethod
    def _default(col: str, px: ParamIndex):
        """The value of a numeric column on lines that do not set it."""
        if col in PARAM_COLUMNS:
            return px.none
        return -1 if col in ("participants", "chars", "tier") else 0

    def keys_and_points(self, px: ParamIndex, vals_u: np.ndarray, start: int = 0) -> list[tuple]:
        """Per part (from ``start``): its lines' year, unit and component codes and exact points,
        from the parts' own columns (no table yet: the sums come before the audit is made)."""
        out = []
        for p in self.parts[start:]:
            col = {c: np.asarray(p[c]) if c in p else np.full(p["n"], self._default(c, px))
                   for c in ("year", "unit", "component", *EVALUATED)}
            out.append((col["year"], col["unit"], col["component"], evaluate(col, vals_u)))
        return out

    def frame(self, px: ParamIndex) -> pd.DataFrame:
        out = {}
        for col in dict.fromkeys(["year", *CAT_COLUMNS, "date", *TEXT_COLUMNS, *INT_COLUMNS, *PARAM_COLUMNS,
                                  "tier"]):
            arrs = []
            for p in self.parts:
                v = p.pop(col, None)  # each part's column is let go once used (memory)
                if isinstance(v, pd.Series):
                    arrs.append(_large_text(v) if col in TEXT_COLUMNS else v.reset_index(drop=True))
                    continue
                if v is None:
                    if col in TEXT_COLUMNS:
                        arrs.append(pa.nulls(p["n"], pa.large_string()))
                        continue
                    v = (np.full(p["n"], np.datetime64("NaT"), dtype="datetime64[s]") if col == "date"
                         else np.full(p["n"], self._default(col, px)))
                arrs.append(np.asarray(v))
            if col in TEXT_COLUMNS:  # Arrow chunks joined once (no Python object per cell)
                chunks = [c for a in arrs for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])]
                out[col] = pd.Series(pa.chunked_array(chunks, type=pa.large_string()).to_pandas(), copy=False)
            elif col == "date":
                out[col] = np.concatenate([a.astype("datetime64[s]", copy=False) for a in arrs])
            else:
                dtype = (np.int32 if col in CAT_COLUMNS or col in PARAM_COLUMNS or col in SMALL_INTS
                         else np.int8 if col == "tier" else np.int64)
                v = np.concatenate([a.astype(dtype, copy=False) for a in arrs])
                if col in CAT_COLUMNS:
                    out[col] = pd.Categorical.from_codes(v, dtype=self.dtypes[col])
                else:
                    out[col] = v
        return pd.DataFrame(out, copy=False)


def _large_text(s: pd.Series):
    """A text column as Arrow large_string (array or chunks, nulls kept)."""
    if str(s.dtype) != "str":
        s = s.astype("str")
    arr = pa.array(s, from_pandas=True)  # the column's own chunks (no copy)
    return arr.cast(pa.large_string())


def _categories(ds: Dataset, rb: Rulebook) -> dict[str, list[str]]:
    comps = [rb.components[c]["clause"] for c in rules.COMPONENTS]
    items = list(rb.items.values())
    files = sorted(set(ds.ledger["_file"].cat.categories) | _distinct(ds.goals["_file"]) | {""})
    sheets = sorted(set(ds.ledger["_sheet"].cat.categories) | _distinct(ds.goals["_sheet"]) | {""})
    return {
        "unit": ds.ledger["unit"].cat.categories,  # the ledger's own (the units', sorted)
        "component": list(rules.COMPONENTS),
        "section": list(dict.fromkeys([comps[0], comps[1], *(it.section for it in items)])),
        "clause": list(dict.fromkeys([comps[0], comps[1], *(it.clause for it in items), comps[2]])),
        "item": list(rb.items) + PSEUDO_ITEMS,
        "source": SOURCES,
        "file": files,
        "sheet": sheets,
        "role": list(rules.ROLES),
    }


def _distinct(s: pd.Series) -> set[str]:
    """The texts a column holds (a categorical's used names: its codes counted, not sorted)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy()
        used = np.bincount(codes[codes >= 0], minlength=len(s.cat.categories)) > 0
        return set(s.cat.categories[used].astype(str))
    return set(s.astype(str).unique())


def _codes_in(values: pd.Series, parts: _Parts, col: str) -> np.ndarray:
    """Codes of values (text or categorical) in the audit's category list (hashing, no loop)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _remap(values, parts, col)
    return columns.positions(values, parts.dtypes[col].categories).astype(np.int32)


def _remap(cat: pd.Series, parts: _Parts, col: str) -> np.ndarray:
    """Codes of a categorical column in the audit's category list (a category no row uses,
    e.g. the name of a file with a header only, is not in that list: -1)."""
    pos = parts.pos[col]
    lookup = np.array([pos.get(c, -1) for c in cat.cat.categories] + [-1], dtype=np.int32)
    return lookup[cat.cat.codes.to_numpy()]


def _ledger_lines(parts: _Parts, ds: Dataset, rb: Rulebook, px: ParamIndex) -> None:
    L = ds.ledger
    n = len(L)
    t = classify(ds, rb, px)
    items = list(rb.items.values())
    k = L["item"].cat.codes.to_numpy()
    pos = parts.pos
    comp = np.array([pos["component"][it.component] for it in items], dtype=np.int32)
    sect = np.array([pos["section"][it.section] for it in items], dtype=np.int32)
    clause = np.array([pos["clause"][it.clause] for it in items], dtype=np.int32)
    cols = {
        "year": L["year"].to_numpy(), "unit": L["unit"].cat.codes.to_numpy(),
        "component": comp[k], "section": sect[k], "clause": clause[k], "item": k,
        "source": parts.code("source", "ledger", n), "file": _remap(L["_file"], parts, "file"),
        "sheet": _remap(L["_sheet"], parts, "sheet"), "row": L["_row"].to_numpy(),
        "date": L["date"].to_numpy(), "person": L["person"], "subject": L["subject"], "ref": L["ref"],
        "quantity": L["quantity"].to_numpy(), "role": L["role"].cat.codes.to_numpy(),
        "days_c": L["days_c"].to_numpy(), "participants": L["participants"].to_numpy(),
        "chars": L["chars"].to_numpy(),
    }
    cols.update({c: t[c].to_numpy() for c in t.columns})
    parts.add(n, cols)


def _goal_lines(parts: _Parts, ds: Dataset, rb: Rulebook, px: ParamIndex) -> None:
    G = ds.goals
    n = len(G)
    clause = rb.components["goals"]["clause"]
    codes = ds.unit_codes("goals")  # as validation found them
    parts.add(n, {
        "year": G["year"].to_numpy(),
        "unit": _codes_in(G["unit"], parts, "unit") if codes is None else codes.astype(np.int32),
        "component": parts.code("component", "goals", n), "section": parts.code("section", clause, n),
        "clause": parts.code("clause", clause, n), "item": parts.code("item", "goals.per_missed", n),
        "source": parts.code("source", "goals", n),
        "file": _codes_in(G["_file"], parts, "file"),
        "sheet": _codes_in(G["_sheet"], parts, "sheet"),
        "row": G["_row"].to_numpy(), "subject": G["goal"].astype("str"),
        "p1": np.full(n, px.pos["goals.per_missed"]),
        "coef_c": np.where(G["completed"].to_numpy(dtype=bool) | G["in_progress"].to_numpy(dtype=bool),
                           0, -100),
        "info": G["in_progress"].to_numpy(dtype=np.int64),  # 1: in progress (a half-year view)
    })


def _unit_lines(parts: _Parts, units: pd.DataFrame, codes: np.ndarray, rb: Rulebook, px: ParamIndex,
                what: str, const_u: dict | None = None) -> None:
    """One line per unit and year: full marks (``full``) or a floor adjustment (``floor``);
    ``codes``: the units rows' codes in the audit's unit list."""
    for comp in ("common", "goals"):
        keep = np.ones(len(units), dtype=bool) if what == "full" else const_u[comp] != 0
        n = int(keep.sum())
        clause = rb.components[comp]["clause"]
        cols = {
            "year": units["year"].to_numpy()[keep],
            "unit": codes[keep],
            "component": parts.code("component", comp, n), "section": parts.code("section", clause, n),
            "clause": parts.code("clause", clause, n), "item": parts.code("item", f"{comp}.{what}", n),
            "source": parts.code("source", "rulebook", n),
            "file": parts.code("file", "", n), "sheet": parts.code("sheet", "", n),
        }
        if what == "full":
            cols.update(p1=np.full(n, px.pos[f"{comp}.full"]), coef_c=np.full(n, 100))
        else:
            cols.update(const_u=const_u[comp][keep])
        parts.add(n, cols)


class Scores:
    """The result of scoring a data set with a rulebook: audit lines and unit totals (exact).

    ``audit`` holds one line per ledger row, goal, full marks and floor adjustment with exact
    points (``points_u``, millionths of a point); ``units`` one row per unit and year with
    exact components (Fractions). :meth:`rerun` scores again with changed parameters (a
    what-if) without reading the data set again.
    """

    def __init__(self, ds: Dataset, rb: Rulebook, with_reasons: bool = True):
        self.dataset = ds
        self.rulebook = rb
        self.px = ParamIndex(rb)
        vals = self.px.values_u(rb)
        parts = _Parts(_categories(ds, rb), {"unit": ds.ledger["unit"].dtype})
        _ledger_lines(parts, ds, rb, self.px)
        _goal_lines(parts, ds, rb, self.px)
        units = parts.cats["unit"]
        ucodes = ds.unit_codes("units")  # as validation found them, else looked up (once for every use)
        ucodes = (columns.positions(ds.units["unit"], units) if ucodes is None else ucodes).astype(np.int32)
        _unit_lines(parts, ds.units, ucodes, rb, self.px, "full")
        lines = parts.keys_and_points(self.px, vals)
        sums = self._sums(lines, units, ds.units, ucodes)
        floors = {c: np.maximum(0, rules.micro(rb[f"{c}.floor"]) - sums[c].to_numpy())
                  for c in ("common", "goals")}
        if any(f.any() for f in floors.values()):  # a floor's lines join before the audit is made
            n = len(parts.parts)
            _unit_lines(parts, ds.units, ucodes, rb, self.px, "floor", floors)
            lines += parts.keys_and_points(self.px, vals, n)
            sums = self._sums(lines, units, ds.units, ucodes)
        self._parts: _Parts | None = parts
        self._points = np.concatenate([points for *_keys, points in lines])
        self._audit: pd.DataFrame | None = None
        self.sums = sums
        if with_reasons:
            self.add_reasons()
        self._units: pd.DataFrame | None = None

    @property
    def audit(self) -> pd.DataFrame:
        """The audit table: one line per ledger row, goal, full marks and floor adjustment,
        with its exact points (made from the parts on first use: the published table is
        their sums and does not need it)."""
        if self._audit is None:
            audit = self._parts.frame(self.px)  # the parts' columns are let go as it takes them
            audit["points_u"] = self._points
            for col in PARAM_COLUMNS:
                audit[col] = pd.Categorical.from_codes(audit[col].to_numpy(), categories=self.px.names)
            self._audit, self._parts, self._points = audit, None, None
        return self._audit

    @property
    def units(self) -> pd.DataFrame:
        """One row per unit and year: exact components (Fractions), total and eligibility
        (made on first use: the published table does not need it)."""
        if self._units is None:
            from kaohe.engine.exact import exact_summary

            self._units = exact_summary(self.sums, self.audit, self.rulebook)
        return self._units

    @units.setter
    def units(self, value: pd.DataFrame) -> None:
        self._units = value

    def add_reasons(self) -> Scores:
        """Word the reason of every audit line (column ``reason``)."""
        if "reason" not in self.audit:
            from kaohe.engine.reasons import reasons

            self.audit["reason"] = reasons(self.audit, self.rulebook)
        return self

    @staticmethod
    def _sums(lines: list[tuple], names, units: pd.DataFrame, codes: np.ndarray) -> pd.DataFrame:
        """Σ points per unit, year and component (exact integers), one row per units row.
        ``lines``: the audit's lines part by part (year, unit and component codes, points);
        ``names``: the unit codes' names; ``codes``: the units rows' codes among them."""
        out = units[["year", "unit", "staff"]].reset_index(drop=True)
        if not len(out):
            return out.assign(**{comp: np.zeros(0, dtype=np.int64) for comp in rules.COMPONENTS})
        years = np.sort(units["year"].unique())
        nbins = len(years) * len(names) * 3
        tot = np.zeros(nbins, dtype=np.int64)
        for year, unit, comp, points in lines:
            step = max(BLOCK, nbins)  # (each block's bincount spans every bin)
            for lo in range(0, len(points), step):  # in blocks: the temporaries stay small
                s = slice(lo, lo + step)
                key = np.searchsorted(years, year[s])
                key *= len(names)
                key += unit[s]
                key *= 3
                key += comp[s]
                # exact integer sums: bincount adds in float64, exact while Σ|points| < 2**53;
                # beyond that, sum high and low parts separately
                p = points[s]
                if len(p) and max(abs(int(p.max())), abs(int(p.min()))) * len(p) < 2**53:
                    tot += np.rint(np.bincount(key, weights=p, minlength=nbins)).astype(np.int64)
                else:
                    hi, low = np.divmod(p, 1 << 26)
                    tot += (np.bincount(key, weights=hi, minlength=nbins).astype(np.int64) * (1 << 26)
                            + np.bincount(key, weights=low, minlength=nbins).astype(np.int64))
        tot = tot.reshape(len(years), len(names), 3)
        uy = np.searchsorted(years, out["year"].to_numpy())
        uc = codes
        for j, comp in enumerate(rules.COMPONENTS):
            out[comp] = tot[uy, uc, j]
        return out

    def rerun(self, overrides: dict | None = None, rulebook: Rulebook | None = None,
              with_reasons: bool | None = None) -> Scores:
        """Score the same data set again with changed parameters.

        ``overrides``: parameter name → value, applied to this rulebook (``{}`` scores again
        exactly as before); or ``rulebook``: a whole rulebook instead. Not both: which one
        should win would be a guess, so giving both is refused. ``with_reasons``: word every
        line's reason now (default: as this scoring did).
        """
        if with_reasons is None:
            with_reasons = "reason" in self.audit.columns
        if overrides and rulebook is not None:
            raise ValueError("rerun takes overrides or a rulebook, not both")
        rb = rulebook or self.rulebook.with_overrides(overrides or {})
        return Scores(self.dataset, rb, with_reasons)

    def table(self, year: int):
        """The published table of a year (contract columns; exact values rounded half up)."""
        from kaohe.engine.exact import disqualifying_items, published_from_sums, published_table

        if self._units is None:  # a disqualifying item is a ledger line: found in the ledger
            L = self.dataset.ledger
            bad = columns.category_in(L["item"], disqualifying_items(self.rulebook)) & (L["year"].to_numpy() == year)
            cats = L["unit"].cat.categories
            codes = L["unit"].cat.codes.to_numpy()[bad]
            units = cats[np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(cats)))]
            table = published_from_sums(self.sums, units, year, self.rulebook)
            if table is not None:
                return table
        return published_table(self.units, year, self.rulebook)

    def lines(self, year: int, unit: str | None = None) -> pd.DataFrame:
        """Audit lines of a year (and unit), with their reasons (a unit's worded on their own:
        a reason depends only on its line)."""
        if unit is None or "reason" in self.audit.columns:
            self.add_reasons()
            a = self.audit[self.audit["year"] == year]
            return a if unit is None else a[a["unit"] == unit]
        from kaohe.engine.reasons import reasons

        a = self.audit[(self.audit["year"].to_numpy() == year) & (self.audit["unit"] == unit).to_numpy()]
        return a.assign(reason=reasons(a, self.rulebook))


def score(ds: Dataset, rb: Rulebook | None = None, with_reasons: bool = True) -> Scores:
    """Score a validated data set (all its years) with a rulebook (default: the data set's)."""
    return Scores(ds, rb or ds.rulebook or rules.load(), with_reasons)
