"""Why a unit got its points: its audit lines grouped by clause, with subtotals.

Every subtotal is a sum of the lines above it and every component is a sum of its
subtotals, so what ``explain`` shows adds up to the published figures exactly.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd

from . import rules
from .errors import KaoheError
from .publish import round_half_up
from .reasons import num, pts
from .score import Scores

COMPONENT_ZH = {"common": "共性工作指标", "goals": "年度工作目标", "daily": "日常工作指标"}


def unit_lines(scores: Scores, year: int, unit: str) -> pd.DataFrame:
    """The unit's audit lines of a year, ordered by component, clause, date and row."""
    a = scores.lines(year, unit)
    if not len(a):
        units = sorted(scores.units.loc[scores.units["year"] == year, "unit"])
        raise KaoheError(f"no unit {unit!r} in {year}", [f"units of {year}: {', '.join(units)}"])
    order = {c: i for i, c in enumerate(rules.COMPONENTS)}
    a = a.assign(_c=a["component"].astype(str).map(order), _s=a["source"].map(
        {"rulebook": 0, "goals": 1, "ledger": 1}))
    return a.sort_values(["_c", "clause", "_s", "date", "file", "row"], kind="stable",
                         na_position="first").drop(columns=["_c", "_s"])


def _where(r) -> str:
    if r.source == "rulebook":
        return "rulebook"
    label = "row" if r.sheet else "line"
    sheet = f"[{r.sheet}]" if r.sheet else ""
    return f"{r.file}{sheet} {label} {r.row}"


def explain_text(scores: Scores, year: int, unit: str) -> str:
    """A plain-text account of a unit's score, clause by clause."""
    rb = scores.rulebook
    lines = unit_lines(scores, year, unit)
    table = scores.table(year)
    pub = table[table["unit"] == unit].iloc[0]
    ex = scores.units[(scores.units["year"] == year) & (scores.units["unit"] == unit)].iloc[0]
    d = rb["ranking.decimals"]
    out = [f"{unit} {year}: rank {pub['rank']} of {len(table)}, total {pub['total']}"
           + ("" if pub["eligible"] else f" — NOT eligible ({ex['ineligible_because']})"),
           ""]
    for comp in rules.COMPONENTS:
        cl = lines[lines["component"] == comp]
        clause = rb.components[comp]["clause"]
        out.append(f"{clause} {COMPONENT_ZH[comp]} ({comp})")
        for sub_clause, g in cl.groupby("clause", sort=False):
            for r in g.itertuples(index=False):
                extra = " ".join(str(x) for x in (r.date if pd.notna(r.date) else "", r.person or "",
                                                  r.subject or "") if x and str(x) != "NaT")
                out.append(f"  {sub_clause:<12} {_where(r):<28} {str(extra)[:40]:<40} "
                           f"{r.reason}")
            if len(g) > 1:
                out.append(f"  {'':<12} subtotal {sub_clause}: {pts(g['points_u'].sum())}")
        total_u = int(cl["points_u"].sum())
        if comp == "daily":
            den = ex["denominator"]
            how = rb["daily.denominator"]
            den_txt = {"staff": f"staff {num(ex['staff'])}", "none": "1 (no division)"}.get(
                how, f"{how}({num(ex['staff'])}) = {float(den):.6f}")
            exact = Fraction(total_u, rules.SCALE) / den
            out.append(f"  daily_points = {pts(total_u)} ÷ {den_txt} = {_exact(exact)}"
                       f" → daily {round_half_up(exact, d)}")
        else:
            out.append(f"  {comp} = {pts(total_u)}")
        out.append("")
    total = ex["total"]
    out.append(f"total = common {pts(int(lines.loc[lines.component == 'common', 'points_u'].sum()))}"
               f" + goals {pts(int(lines.loc[lines.component == 'goals', 'points_u'].sum()))}"
               f" + daily {_exact(ex['daily'])} = {_exact(total)} → {round_half_up(total, d)}"
               " (rounded half up once, at publication)")
    return "\n".join(out)


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
