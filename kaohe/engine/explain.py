"""Why a unit got its points: its audit lines grouped by clause, with subtotals.

Every subtotal is a sum of the lines above it and every component is a sum of its
subtotals, so what ``explain`` shows adds up to the published figures exactly.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from kaohe.core import labels
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _
from kaohe.engine.exact import exact_points, round_half_up
from kaohe.engine.reasons import num, pts
from kaohe.engine.score import Scores
from kaohe.rulebook import rules


def unit_lines(scores: Scores, year: int, unit: str) -> pd.DataFrame:
    """The unit's audit lines of a year, ordered by component, clause, date and row."""
    a = scores.lines(year, unit)
    if not len(a):
        units = list(dict.fromkeys(scores.units.loc[scores.units["year"] == year, "unit"]))  # the table's order
        near = difflib.get_close_matches(unit, units, n=2, cutoff=0.5)  # as validate suggests
        raise KaoheError(_("no unit “{unit}” in {year}").format(unit=unit, year=year)
                         + (_("; did you mean {names}?").format(names=_(" or ").join(near)) if near else ""),
                         [_("units of {year}: {units}").format(year=year, units=labels.pick(("、", ", ")).join(units))])
    order = {c: i for i, c in enumerate(rules.COMPONENTS)}
    a = a.assign(_c=a["component"].astype(str).map(order), _s=a["source"].map(
        {"rulebook": 0, "goals": 1, "ledger": 1}), _f=_is_floor(a))
    # a floor line (the points added back so a part stays ≥ 0) comes last: it follows from the others
    return a.sort_values(["_c", "_f", "clause", "_s", "date", "file", "row"], kind="stable",
                         na_position="first").drop(columns=["_c", "_s", "_f"])


def _is_floor(lines: pd.DataFrame) -> np.ndarray:
    return lines["item"].astype(str).str.endswith(".floor").to_numpy()


def _groups(cl: pd.DataFrame):
    """A component's lines by clause, its floor line a group of its own, last."""
    return cl.groupby([cl["clause"].astype(str).to_numpy(), _is_floor(cl)], sort=False)


def _where(r) -> str:
    if r.source == "rulebook":
        return _("rulebook")
    if r.sheet:
        return _("{file} sheet {sheet} row {row}").format(file=r.file, sheet=r.sheet, row=r.row)
    return _("{file} line {row}").format(file=r.file, row=r.row)


def _text(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


WHO_WIDTH = 40  # characters of person and subject shown on a line; longer ones end with …


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked with … (nothing cut silently)."""
    return text if len(text) <= width else text[:width - 1] + "…"


def _pad(s: str, width: int) -> str:
    """Pad to a display width (CJK characters count double)."""
    w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)
    return s + " " * max(0, width - w)


def explain_text(scores: Scores, year: int, unit: str) -> str:
    """A plain-text account of a unit's score, clause by clause, with subtotals."""
    rb = scores.rulebook
    lines = unit_lines(scores, year, unit).reset_index(drop=True)
    recs = list(lines.itertuples(index=False))  # one record type (itertuples makes one per call)
    table = scores.table(year)
    pub = table[table["unit"] == unit].iloc[0]
    ex = scores.units[(scores.units["year"] == year) & (scores.units["unit"] == unit)].iloc[0]
    d = rb["ranking.decimals"]
    tied = (table["rank"] == pub["rank"]).sum() > 1
    rank = _("{rank} (tied)").format(rank=pub["rank"]) if tied else str(pub["rank"])
    if pub["eligible"]:
        elig = _("eligible for commendation")
    else:
        elig = _("not eligible for commendation ({why})").format(why=_why(ex["ineligible_because"], rb))
    out = [_("{unit}, {year}: rank {rank} of {n}, total {total}; {eligible}").format(
        unit=unit, year=year, rank=rank, n=len(table), total=pub["total"], eligible=elig), ""]
    for comp in rules.COMPONENTS:
        cl = lines[lines["component"] == comp]
        total_u = int(cl["points_u"].sum())
        head = f"{rb.components[comp]['clause']} {labels.component(rb, comp)}"
        out.append(f"{_pad(head, 40)} {pts(total_u):>9}"
                   + ("  " + _("points before division") if comp == "daily" else ""))
        for (sub_clause, _floor), g in _groups(cl):
            for r in (recs[i] for i in g.index):
                date = "" if pd.isna(r.date) else str(r.date)[:10]
                who = " ".join(x for x in (_text(r.person), _text(r.subject)) if x)
                where = " ".join(x for x in (_where(r), date, _clip(who, WHO_WIDTH)) if x)
                out.append(f"  {_pad(str(sub_clause), 12)}{pts(r.points_u):>9}  {r.reason}  [{where}]")
            if len(g) > 1:
                out.append(f"  {_pad('', 12)}{pts(g['points_u'].sum()):>9}  "
                           + _("= subtotal of {clause}").format(clause=sub_clause))
        if comp == "daily":
            exact = Fraction(total_u, rules.SCALE) / ex["denominator"]
            out.append("  " + _("daily work score = {points} ÷ {divisor} = {exact} → {published}").format(
                points=pts(total_u), divisor=_divisor(rb, ex), exact=_exact(exact), published=round_half_up(exact, d)))
        out.append("")
    total = ex["total"]
    sums = _sums(lines)
    out.append(_("total = common work {common} + annual goals {goals} + daily work {daily} = {exact} → "
                 "{published} (rounded half up once, at publication)").format(
        common=pts(sums["common"]), goals=pts(sums["goals"]), daily=_exact(ex["daily"]), exact=_exact(total),
        published=round_half_up(total, d)))
    return "\n".join(out)


def _sums(lines: pd.DataFrame) -> dict[str, int]:
    """Exact points (millionths) per component of a unit's lines."""
    return {comp: int(lines.loc[lines["component"] == comp, "points_u"].sum()) for comp in rules.COMPONENTS}


def _divisor(rb, ex) -> str:
    """The daily-work divisor in words: 实际工作人员 18.5 人, 1 (not divided), or √ of staff = …."""
    staff, how = num(ex["staff"]), rb["daily.denominator"]
    return {"staff": _("staff {n}").format(n=staff), "none": _("1 (not divided)")}.get(
        how, _("{how} of staff {n} = {value}").format(how=labels.choice(rb, how), n=staff,
                                                      value=f"{float(ex['denominator']):.6f}"))


def explain_summary(scores: Scores, year: int, unit: str) -> pd.DataFrame:
    """The account of :func:`explain_text` as a table a clerk can check against the published
    one: per component its clauses (lines, points) and total, the division of the daily-work
    points, and the total — the same sums, exact, the published figures rounded as published.
    Columns: component, clause, lines, points, note."""
    rb = scores.rulebook
    lines = unit_lines(scores, year, unit)
    ex = scores.units[(scores.units["year"] == year) & (scores.units["unit"] == unit)].iloc[0]
    d = rb["ranking.decimals"]
    rows = []
    for comp in rules.COMPONENTS:
        cl = lines[lines["component"] == comp]
        name = labels.component(rb, comp)
        for (sub_clause, floor), g in _groups(cl):
            rows.append((name, str(sub_clause), len(g), _dec(int(g["points_u"].sum())),
                         g["reason"].iloc[0] if floor else ""))
        rows.append((name, _("total {clause}").format(clause=rb.components[comp]["clause"]), len(cl),
                     _dec(int(cl["points_u"].sum())), _("points before division") if comp == "daily" else ""))
    sums = _sums(lines)
    daily = Fraction(sums["daily"], rules.SCALE) / ex["denominator"]
    rows.append((_("daily work score"), "", None, round_half_up(daily, d),
                 _("{points} ÷ {divisor} = {exact}").format(points=pts(sums["daily"]), divisor=_divisor(rb, ex),
                                                            exact=_exact(daily))))
    total = ex["total"]
    rows.append((_("total"), "", None, round_half_up(total, d),
                 _("{common} + {goals} + {daily} = {exact}, rounded half up once").format(
                     common=pts(sums["common"]), goals=pts(sums["goals"]), daily=_exact(daily), exact=_exact(total))))
    out = pd.DataFrame(rows, columns=["component", "clause", "lines", "points", "note"])
    out["lines"] = out["lines"].astype("Int64")
    return out


def _dec(points_u: int) -> Decimal:
    return exact_points([points_u])[0]


def _why(raw: str, rb) -> str:
    """「违纪被纪检部门查处 四(一)5 2024-09-12」 from the core's "item clause date" text."""
    out = []
    for part in filter(None, (p.strip() for p in (raw or "").split(";"))):
        code, _sp, rest = part.partition(" ")
        out.append(f"{labels.item(rb, code)} {rest}".strip())
    return labels.pick(("；", "; ")).join(out)


def _exact(f: Fraction) -> str:
    """An exact value, as a finite decimal when it is one, else to 6 places with '…'."""
    f = Fraction(f)
    den = f.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    if den == 1:
        return num(Decimal(f.numerator) / Decimal(f.denominator))
    return f"{float(f):.6f}…".replace("-", "−")
