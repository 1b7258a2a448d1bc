"""Report-ready tables computed from :class:`~kaohe.score.Scores` (one function per view).

Every figure is taken from the published table or summed from the audit table, exactly
(Decimal / Fraction); charts and the HTML/Excel reports only format what these return.
Columns keep English names; :data:`HEADERS` (from :mod:`kaohe.core.labels`) gives the header of
each in the language in use.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from kaohe.core import i18n, labels
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _
from kaohe.core.labels import HEADERS
from kaohe.engine.exact import disqualifying_items, round_half_up
from kaohe.engine.score import Scores
from kaohe.rulebook import rules

PERIODS = ("year", "H1")
__all__ = ["HEADERS"]


def _dec(u) -> Decimal:
    """Exact points from millionths, with at least 2 decimals (0.5 → 0.50, 0.125 stays)."""
    d = Decimal(int(u)).scaleb(-6)
    q = d.quantize(Decimal("0.01"))
    return q if q == d else d.normalize()


def _text(s: pd.Series) -> list[str]:
    return ["" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)
            for v in s.astype(object)]


def period_label(year: int, period: str = "year") -> str:
    """「2024年度」 or 「2024年上半年（半年集中督查）」."""
    if period not in PERIODS:
        raise KaoheError(_("unknown period {period!r}").format(period=period),
                         [_("use year (the whole year) or H1 (to 30 June)")])
    if period == "year":
        return labels.pick(("{year}年度", "{year}")).format(year=year)
    return _("first half of {year} (half-year inspection)").format(year=year)


def page_title(what: str, year: int, period: str = "year") -> str:
    """「2024年度考核公平性分析」; in English "Fairness of the assessment, 2024"."""
    return _("{what}, {period}").format(what=what, period=period_label(year, period))


def item_names(rb: rules.Rulebook) -> dict[str, str]:
    """Item code (and pseudo-item) → its name (Chinese, or English under ``--lang en``)."""
    return labels.items(rb)


def section_labels(rb: rules.Rulebook) -> dict[str, str]:
    """Section code → 「四(三)1 依法履职」."""
    return {s: labels.section_label(rb, s) for s in rb.sections}


def view(fn):
    """A view computed once per scores, arguments and language, kept on the
    :class:`~kaohe.score.Scores` (the views of a report share it: the profiles reuse the
    deductions, every table the ranking; ``kaohe report`` computes a report's views while its
    kernel starts and hands them over, see :mod:`kaohe.report.datacache`); each call returns
    a copy of its own."""
    @functools.wraps(fn)
    def cached(sc: Scores, *args, **kw):
        cache = sc.__dict__.setdefault("_views", {})
        key = (fn.__name__, *args, *sorted(kw.items()), i18n.language())
        if key not in cache:
            cache[key] = fn(sc, *args, **kw)
        return copy.deepcopy(cache[key])

    return cached


# ------------------------------------------------------------------ loading one report
@dataclass
class Annual:
    """What one year's report is computed from: the scores (scored once) and its period."""

    scores: Scores
    year: int
    period: str
    source: str

    @property
    def label(self) -> str:
        return period_label(self.year, self.period)

    @property
    def title(self) -> str:
        return results_title(self.year, self.period)


def results_title(year: int, period: str = "year") -> str:
    """「2024年度机关目标责任考核结果」: the title of a year's results (report and ``kaohe score``)."""
    label = period_label(year, period)
    if period == "year":
        return _("{period}: results of the annual target-responsibility assessment").format(period=label)
    return _("{period}: the target-responsibility assessment so far").format(period=label)


def annual(dataset, year: int, period: str = "year", rulebook: rules.Rulebook | None = None) -> Annual:
    """Load a data set (a path, several, or a loaded Dataset) and score it once for a year's
    report.

    ``period="H1"`` scores the ledger up to 30 June (半年集中督查): goals are in progress.
    """
    from kaohe.engine.score import score
    from kaohe.inputs import dataset as dataset_mod

    period_label(year, period)
    if isinstance(dataset, dataset_mod.Dataset):  # already loaded (and validated)
        ds, source = dataset, dataset.name
    else:
        paths = [dataset] if isinstance(dataset, (str, Path)) else list(dataset)
        ds = dataset_mod.load([Path(p) for p in paths], rulebook)
        source = ", ".join(Path(p).name for p in paths)
    year = ds.check_year(int(year))
    if period == "H1":
        ds = ds.until(half_year_end(year))
    # reasons are worded on demand, for the lines a view shows (Scores.lines adds them all)
    return Annual(score(ds, rulebook, with_reasons=False), year, period, source)


def half_year_end(year: int) -> str:
    """The day the half-year view (半年集中督查) of ``year`` is cut at: 30 June."""
    return f"{int(year)}-06-30"


# ------------------------------------------------------------------ the published table
@view
def ranking(sc: Scores, year: int) -> pd.DataFrame:
    """The published table with 并列 shown: rank, rank_label, unit, staff, common, goals,
    daily_points, daily, total (Decimals as published), eligible, eligible_label,
    ineligible_because."""
    t = sc.table(year)
    u = sc.units[sc.units["year"] == year].set_index("unit")["ineligible_because"]
    counts = t["rank"].map(t["rank"].value_counts())
    tied = _("{rank} (tied)")
    t.insert(1, "rank_label", [tied.format(rank=r) if c > 1 else str(r) for r, c in zip(t["rank"], counts)])
    t["eligible_label"] = np.where(t["eligible"], labels.yes_no(True), _("no (withdrawn)"))
    t["ineligible_because"] = [_why(u.get(x, ""), sc.rulebook) for x in t["unit"]]
    return t


def _why(raw: str, rb: rules.Rulebook) -> str:
    """「违纪被纪检部门查处 四(一)5 2024-09-12」 from the core's "item clause date" text."""
    names = item_names(rb)
    out = []
    for part in filter(None, (p.strip() for p in (raw or "").split(";"))):
        code, _sp, rest = part.partition(" ")
        out.append(f"{names.get(code, code)} {rest}".strip())
    return labels.pick(("；", "; ")).join(out)


def published(sc: Scores, year: int) -> pd.DataFrame:
    """The ranking as the report shows it: rank_label, unit, staff, common, goals,
    daily_points, daily, total, eligible_label, ineligible_because, and ``ineligible`` (a
    boolean column to highlight rows with)."""
    t = ranking(sc, year)
    cols = ["rank_label", "unit", "staff", "common", "goals", "daily_points", "daily", "total",
            "eligible_label", "ineligible_because"]
    return t[cols].assign(ineligible=~t["eligible"].to_numpy(dtype=bool))


def components(sc: Scores, year: int) -> pd.DataFrame:
    """Per unit (ranking order): common, goals, daily and total as published."""
    return ranking(sc, year)[["rank", "unit", "common", "goals", "daily", "total"]]


@view
def per_capita(sc: Scores, year: int) -> pd.DataFrame:
    """Daily points before and after division by staff, with the ranks each would give."""
    from kaohe.engine.exact import rank

    t = ranking(sc, year)
    ties = sc.rulebook["ranking.ties"]
    out = t[["unit", "staff", "daily_points", "daily"]].copy()
    out["rank_points"] = rank(out["daily_points"], ties)
    out["rank_daily"] = rank(out["daily"], ties)
    out["rank_change"] = out["rank_points"] - out["rank_daily"]
    return out.sort_values(["rank_daily", "unit"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ several years
def half_year_of(sc: Scores, year: int) -> Scores | None:
    """An earlier year's half-year view, made as :func:`annual` makes the H1 view: the data set
    as it stood on 30 June of ``year`` (ledger to that day, that year's goals in progress),
    scored with the same rules. None when the data set holds no ledger record of that year up
    to 30 June: there is then no like-for-like half-year to compare with."""
    cache = sc.__dict__.setdefault("_half_years", {})
    year = int(year)
    if year not in cache:
        from kaohe.engine.score import score

        day = np.datetime64(half_year_end(year), "D")
        dates = sc.dataset.ledger["date"].to_numpy().astype("datetime64[D]")
        held = bool(((dates >= np.datetime64(f"{year}-01-01", "D")) & (dates <= day)).any())
        cache[year] = score(sc.dataset.until(day), sc.rulebook, with_reasons=False) if held else None
    return cache[year]


def ranking_in(sc: Scores, y: int, year: int, period: str = "year") -> pd.DataFrame | None:
    """Year ``y``'s ranking as the report of ``year`` and ``period`` compares with it: the whole
    year for the annual view; for the half-year view the same half-year of ``y`` (None when it
    cannot be made, see :func:`half_year_of`) — never a whole year against a half-year."""
    if period == "year" or int(y) == int(year):
        return ranking(sc, y)
    h = half_year_of(sc, y)
    return None if h is None else ranking(h, y)


def year_labels(sc: Scores, year: int, period: str = "year") -> dict[int, str]:
    """The data set's years up to ``year`` → axis label; for H1 only the years whose first half
    can be made (:func:`half_year_of`), each labelled 「2023上半年」."""
    years = [y for y in sorted(int(v) for v in sc.units["year"].unique()) if y <= year]
    if period == "year":
        return {y: str(y) for y in years}
    return {y: _("H1 {year}").format(year=y) for y in years
            if y == year or half_year_of(sc, y) is not None}


@view
def over_years(sc: Scores, year: int, period: str = "year") -> pd.DataFrame:
    """Published rank and total per unit and year, for the years up to ``year`` (for H1: the
    first half of each year): year, label, unit, rank, total. Empty when there is only one
    such year."""
    labels = year_labels(sc, year, period)
    if len(labels) < 2:
        return pd.DataFrame(columns=["year", "label", "unit", "rank", "total"])
    frames = []
    for y, lab in labels.items():
        t = ranking_in(sc, y, year, period)[["unit", "rank", "total"]]
        frames.append(t.assign(year=y, label=lab))
    out = pd.concat(frames, ignore_index=True)
    return out[["year", "label", "unit", "rank", "total"]]


# ------------------------------------------------------------------ where the points come from
def section_points(sc: Scores, year: int) -> pd.DataFrame:
    """Units (ranking order) × sections: Σ points of the year's records (ledger rows and goals;
    full marks and floors left out), exact Decimals. Columns are section codes."""
    rb = sc.rulebook
    units = list(ranking(sc, year)["unit"])
    a = sc.audit
    a = a[(a["year"] == year) & (a["source"] != "rulebook")]
    sums = (a.groupby([a["unit"].astype(str), a["section"].astype(str)], observed=True)["points_u"]
            .sum().unstack(fill_value=0))
    sections = list(rb.sections)
    sums = sums.reindex(index=units, columns=sections, fill_value=0)
    out = pd.DataFrame({s: [_dec(v) for v in sums[s]] for s in sections}, index=pd.Index(units, name="unit"))
    return out


def component_breakdown(sc: Scores, year: int) -> pd.DataFrame:
    """The published components with the points of every section (四(一) deductions, 四(二)
    missed goals, 四(三)1–5 daily points), the divisor and the rank."""
    t = ranking(sc, year)
    sp = section_points(sc, year)
    u = sc.units[sc.units["year"] == year].set_index("unit")
    d = sc.rulebook["ranking.decimals"]
    out = t[["rank_label", "unit", "staff", "common", "goals"]].copy()
    for s in sp.columns:
        out[s] = list(sp.loc[out["unit"], s])
    out["daily_points"] = t["daily_points"]
    out["denominator"] = [round_half_up(Fraction(u.at[x, "denominator"]), max(d, 4)) for x in out["unit"]]
    out["daily"] = t["daily"]
    out["total"] = t["total"]
    out["eligible_label"] = t["eligible_label"]
    return out


# ------------------------------------------------------------------ deductions, eligibility, goals
def _reasons(sc: Scores, lines: pd.DataFrame) -> list[str]:
    """The reasons of some audit lines (worded for those lines only unless already there)."""
    if "reason" in lines:
        return _text(lines["reason"])
    from kaohe.engine.reasons import reasons

    return _text(pd.Series(reasons(lines, sc.rulebook), dtype=object))


def _lines(sc: Scores, year: int, mask) -> pd.DataFrame:
    a = sc.audit
    a = a[(a["year"] == year) & mask(a)]
    names = item_names(sc.rulebook)
    bad = set(disqualifying_items(sc.rulebook))
    order = {u: i for i, u in enumerate(ranking(sc, year)["unit"])}
    out = pd.DataFrame({
        "unit": a["unit"].astype(str).to_numpy(),
        "clause": a["clause"].astype(str).to_numpy(),
        "item": a["item"].astype(str).to_numpy(),
        "item_zh": [names.get(c, c) for c in a["item"].astype(str)],
        "date": [str(v)[:10] if pd.notna(v) else "" for v in a["date"]],
        "person": _text(a["person"]),
        "subject": _text(a["subject"]),
        "reason": _reasons(sc, a),
        "points": [_dec(v) for v in a["points_u"]],
        "disqualifies": a["item"].astype(str).isin(bad).to_numpy(),
        "file": a["file"].astype(str).to_numpy(),
        "row": a["row"].to_numpy(),
        "_o": a["unit"].astype(str).map(order).to_numpy(),
    })
    return (out.sort_values(["_o", "clause", "date", "row"], kind="stable")
            .drop(columns="_o").reset_index(drop=True))


@view
def deductions(sc: Scores, year: int) -> pd.DataFrame:
    """Every record that cost points or eligibility: unit, clause, item, item_zh, date, person,
    subject, reason, points (exact, negative), disqualifies, file, row."""
    bad = disqualifying_items(sc.rulebook)
    return _lines(sc, year, lambda a: (a["source"] != "rulebook")
                  & ((a["points_u"] < 0) | a["item"].isin(bad)))


@view
def ineligible(sc: Scores, year: int) -> pd.DataFrame:
    """Units that lost eligibility for commendation: unit, rank, item_zh, clause, date, person,
    subject."""
    bad = disqualifying_items(sc.rulebook)
    lines = _lines(sc, year, lambda a: a["item"].isin(bad))
    ranks = ranking(sc, year).set_index("unit")["rank_label"]
    lines.insert(1, "rank_label", [ranks.get(u, "") for u in lines["unit"]])
    return lines[["unit", "rank_label", "item_zh", "clause", "date", "person", "subject"]]


@view
def goals_status(sc: Scores, year: int, period: str = "year") -> pd.DataFrame:
    """Per unit (ranking order): goals, completed, in progress (none), missed, and the goals
    component as published. In the half-year view every goal of the year is in progress (as the H1 scoring
    counts it, whatever its year-end completion flag says): goals, in progress and the
    component, with no completed or missed count."""
    g = sc.dataset.goals
    g = g[g["year"] == year]
    t = ranking(sc, year)
    units = g["unit"].astype(str).to_numpy()
    if period == "H1":
        frame = pd.DataFrame({"unit": units, "goals_total": 1, "in_progress": 1})
        cols = ["unit", "goals_total", "in_progress", "goals"]
    else:
        done = g["completed"].to_numpy(dtype=bool)
        frame = pd.DataFrame({"unit": units, "goals_total": 1, "completed": done.astype(int),
                              "in_progress": 0, "missed": (~done).astype(int)})
        cols = ["unit", "goals_total", "completed", "in_progress", "missed", "goals"]
    agg = frame.groupby("unit").sum().reindex(t["unit"], fill_value=0).reset_index()
    agg["goals"] = list(t["goals"])
    return agg[cols]


# ------------------------------------------------------------------ data and rules
@view
def data_summary(sc: Scores, year: int) -> pd.DataFrame:
    """Rows read per table and file: this year's and all years' (what the report stands on)."""
    c = sc.dataset.counts
    c = c.assign(sheet=c["sheet"].astype(str), file=c["file"].astype(str))
    keys = ["table", "file", "sheet"]
    this = c[c["year"] == year].groupby(keys, observed=True)["rows"].sum()
    every = c.groupby(keys, observed=True)["rows"].sum()
    out = pd.DataFrame({"rows": this, "rows_all": every}).fillna(0).astype(int).reset_index()
    out["_o"] = out["table"].map({t: i for i, t in enumerate(labels.TABLE_ORDER)})
    out = out.sort_values(["_o", "file", "sheet"], kind="stable").drop(columns="_o")
    out["table"] = out["table"].map(labels.table)
    return out.reset_index(drop=True)


def params_in_force(rb: rules.Rulebook) -> pd.DataFrame:
    """Every rule parameter as a reader sees it: zh (its name), clause, value_label (in force, in
    words), default_label (the rulebook's), changed (differs from the rulebook), and its code
    (``name``) last."""
    t = rb.params_table()
    ps = rb.params
    t["changed"] = t["value"] != t["default"]
    t["zh"] = [labels.param(ps[n]) for n in t["name"]]
    t["value_label"] = [labels.choice(rb, rb[n]) for n in t["name"]]
    t["default_label"] = [labels.choice(rb, ps[n].default) for n in t["name"]]
    return t[["zh", "clause", "value_label", "default_label", "changed", "name"]]


def params_sheet(rb: rules.Rulebook) -> pd.DataFrame:
    """:func:`params_in_force` for a workbook: numbers as numbers (Excel can add them), the rest
    in words, and what the numbers count in a column of its own (``unit``)."""
    t = params_in_force(rb)
    cells = pd.DataFrame([labels.param_cells(rb, n) for n in t["name"]], index=t.index, dtype=object)
    t["value_label"], t["default_label"] = cells["value_label"], cells["default_label"]
    t.insert(4, "unit", cells["unit"])
    return t


# ------------------------------------------------------------------ every audit line
def audit_lines(sc: Scores, year: int) -> pd.DataFrame:
    """Every audit line of the year (unit by rank, component, clause, date, row) with the
    Chinese item name, where it came from, its reason and its exact points; per unit and
    component they add up to the published table (before rounding)."""
    a = sc.audit
    a = a[a["year"] == year]
    names = item_names(sc.rulebook)
    order = {u: i for i, u in enumerate(ranking(sc, year)["unit"])}
    comp_order = {c: i for i, c in enumerate(rules.COMPONENTS)}
    src_order = {"rulebook": 0, "goals": 1, "ledger": 1}
    out = pd.DataFrame({
        "unit": a["unit"].astype(str).to_numpy(),
        "component": [labels.component(sc.rulebook, c) for c in a["component"].astype(str)],
        "clause": a["clause"].astype(str).to_numpy(),
        "item_zh": [names.get(c, c) for c in a["item"].astype(str)],
        "file": a["file"].astype(str).to_numpy(),
        "sheet": a["sheet"].astype(str).to_numpy(),
        "row": pd.Series([int(r) if s != "rulebook" else None for r, s in
                          zip(a["row"], a["source"].astype(str))], dtype=object),
        "date": [str(v)[:10] if pd.notna(v) else "" for v in a["date"]],
        "person": _text(a["person"]),
        "subject": _text(a["subject"]),
        "ref": _text(a["ref"]),
        "reason": _reasons(sc, a),
        "points": [_dec(v) for v in a["points_u"]],
        "item": a["item"].astype(str).to_numpy(),  # the code, last (代码)
        "_u": a["unit"].astype(str).map(order).to_numpy(),
        "_c": a["component"].astype(str).map(comp_order).to_numpy(),
        "_s": a["source"].astype(str).map(src_order).to_numpy(),
        "_r": a["row"].to_numpy(),
    })
    out = out.sort_values(["_u", "_c", "clause", "_s", "date", "file", "_r"], kind="stable")
    return out.drop(columns=["_u", "_c", "_s", "_r"]).reset_index(drop=True)


# ------------------------------------------------------------------ against the year before
def previous_year(sc: Scores, year: int) -> int | None:
    """The data set's latest year before ``year`` (None for its first year)."""
    earlier = [int(y) for y in sc.units["year"].unique() if int(y) < int(year)]
    return max(earlier) if earlier else None


def compared_with(sc: Scores, year: int, period: str = "year") -> int | None:
    """The year the report compares with: :func:`previous_year`, or None when there is none
    or, for the half-year view, when its first half cannot be made (no mixing of periods)."""
    prev = previous_year(sc, year)
    if prev is None or ranking_in(sc, prev, year, period) is None:
        return None
    return prev


def move_label(prev, now) -> str:
    """「↑3」, 「↓2」, 「—」, or 「新列入」 (no rank the year before)."""
    from kaohe.core.i18n import _

    if prev is None or prev is pd.NA or (isinstance(prev, float) and prev != prev):
        return _("new")
    d = int(prev) - int(now)
    return f"↑{d}" if d > 0 else (f"↓{-d}" if d < 0 else "—")


@view
def results(sc: Scores, year: int, period: str = "year") -> pd.DataFrame:
    """:func:`published` with 上年名次 (``prev_rank``) and 升降 (``move``) after the rank when
    there is a year to compare with (:func:`compared_with`: the half-year view compares with
    the first half of the year before)."""
    t = published(sc, year)
    prev = compared_with(sc, year, period)
    if prev is None:
        return t
    p = ranking_in(sc, prev, year, period).set_index("unit")
    ranks = ranking(sc, year)["rank"].to_numpy()
    prev_rank = [p["rank"].get(u) for u in t["unit"]]
    t.insert(2, "prev_rank", [p["rank_label"].get(u, "") for u in t["unit"]])
    t.insert(3, "move", [move_label(a, b) for a, b in zip(prev_rank, ranks)])
    return t


def moves(sc: Scores, year: int, period: str = "year") -> pd.DataFrame:
    """Units ranked both this year and in the year compared with (:func:`compared_with`): unit,
    prev (rank), rank, change (positive: up); empty when there is nothing to compare with."""
    prev = compared_with(sc, year, period)
    if prev is None:
        return pd.DataFrame(columns=["unit", "prev", "rank", "change"])
    now = ranking(sc, year)[["unit", "rank"]]
    before = ranking_in(sc, prev, year, period)[["unit", "rank"]].rename(columns={"rank": "prev"})
    m = now.merge(before, on="unit")
    m["change"] = m["prev"] - m["rank"]
    return m[["unit", "prev", "rank", "change"]]


# ------------------------------------------------------------------ where the points come from, apart
def section_components(sc: Scores) -> dict[str, str]:
    """Section code → its component (common, goals, daily)."""
    a = sc.audit[["section", "component"]].drop_duplicates()
    return dict(zip(a["section"].astype(str), a["component"].astype(str)))


@view
def section_split(sc: Scores, year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(deductions, daily): the units × clause-group points apart — deductions by clause of
    共性工作指标 and 年度工作目标 (exact points, ≤ 0, records only) and the daily-work
    sections divided by the unit's denominator as the rule divides (per capita, exact
    Fractions rounded half up to 2 decimals for display)."""
    pts = section_points(sc, year)
    comp = section_components(sc)
    daily = [s for s in pts.columns if comp.get(s) == "daily"]
    a = sc.audit
    a = a[(a["year"] == year) & (a["source"] != "rulebook") & (a["component"].astype(str) != "daily")]
    by_clause = (a.groupby([a["unit"].astype(str), a["clause"].astype(str)], observed=True)["points_u"]
                 .sum().unstack(fill_value=0))
    clauses = sorted(by_clause.columns, key=_clause_key)
    by_clause = by_clause.reindex(index=pts.index, columns=clauses, fill_value=0)
    ded = pd.DataFrame({c: [_dec(v) for v in by_clause[c]] for c in clauses}, index=pts.index)
    den = sc.units[sc.units["year"] == year].set_index("unit")["denominator"]
    per = pd.DataFrame(index=pts.index)
    for s in daily:
        per[s] = [round_half_up(Fraction(v) / Fraction(den.at[u]), 2) for u, v in zip(pts.index, pts[s])]
    return ded, per


def _clause_key(c: str):
    import re

    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", c)]


# ------------------------------------------------------------------ one unit's profile
@dataclass
class Profile:
    """What the report says about one unit: its row of the published table, its points by
    clause group (with subtotals per component), its deductions with their reasons, its rank
    over the years and where it stands against the median unit."""

    unit: str
    row: pd.Series
    groups: pd.DataFrame
    deductions: pd.DataFrame
    history: pd.DataFrame
    median: pd.DataFrame


@view
def profiles(sc: Scores, year: int, period: str = "year") -> list[Profile]:
    """A :class:`Profile` for every unit of the year, in ranking order."""
    t = ranking(sc, year)
    a = sc.audit[sc.audit["year"] == year]
    names = section_labels(sc.rulebook)
    g = (a.groupby([a["unit"].astype(str), a["component"].astype(str), a["section"].astype(str)],
                   observed=True)["points_u"].sum().reset_index())
    comp_order = {c: i for i, c in enumerate(rules.COMPONENTS)}
    g["_c"] = g["component"].map(comp_order)
    g = g.sort_values(["unit", "_c", "section"], kind="stable")
    ded = deductions(sc, year)
    hist = over_years(sc, year, period)
    med = {c: _median(t[c]) for c in ("common", "goals", "daily", "total")}
    by_unit = {u: x for u, x in g.groupby("unit", sort=False)}
    ded_by = {u: x.reset_index(drop=True) for u, x in ded.groupby("unit", sort=False)}
    hist_by = {u: x[["label", "rank", "total"]].reset_index(drop=True) for u, x in hist.groupby("unit", sort=False)}
    no_ded, no_hist = ded.iloc[:0], hist[["label", "rank", "total"]].iloc[:0]
    out = []
    for _i, row in t.iterrows():  # one per unit (a few dozen), not per ledger row
        u = row["unit"]
        gu = by_unit.get(u, g.iloc[:0])
        groups = pd.DataFrame({
            "component": [labels.component(sc.rulebook, c) for c in gu["component"]],
            "section": [names.get(s, s) for s in gu["section"]],
            "points": [_dec(v) for v in gu["points_u"]],
        })
        median = pd.DataFrame({
            "component": [labels.component(sc.rulebook, c) if c != "total" else labels.header("total")
                          for c in med],
            "value": [row[c] for c in med],
            "median": list(med.values()),
            "diff": [row[c] - med[c] for c in med],
        })
        out.append(Profile(u, row, groups, ded_by.get(u, no_ded), hist_by.get(u, no_hist), median))
    return out


def _median(values) -> Decimal:
    """The median of published figures, exactly (the mean of the middle two when even)."""
    v = sorted(Decimal(x) for x in values)
    if not v:
        return Decimal(0)
    n = len(v)
    m = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return round_half_up(Fraction(m), 2)


def rank_correlations(ranks: pd.DataFrame) -> pd.DataFrame:
    """Columns × columns of a units × rankings frame: Kendall τ below the diagonal, Spearman ρ
    above it (floats, for analysis; NaN where a ranking is constant)."""
    from scipy.stats import kendalltau, spearmanr

    cols = list(ranks.columns)
    out = pd.DataFrame(np.nan, index=cols, columns=cols, dtype=float)
    x = ranks.astype(float)
    for i, a in enumerate(cols):
        for j, b in enumerate(cols):
            if i == j or x[a].nunique() < 2 or x[b].nunique() < 2:
                continue
            f = kendalltau if i > j else spearmanr
            out.iat[i, j] = float(f(x[a], x[b]).statistic)
    return out
