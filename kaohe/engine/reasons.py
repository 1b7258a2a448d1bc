"""Short human reasons for audit lines ("sc_meeting, 2 days > 1 → 5; 1 error → −1").

A reason depends on a handful of a line's fields; lines are grouped by those fields and
each distinct combination is worded once, so a million lines cost a few thousand strings.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from kaohe.rulebook import rules

KEY = ["source", "item", "role", "tier", "quantity", "days_c", "participants", "chars", "coef_c",
       "ms", "err", "const_u", "info", "info2", "p1", "p2", "points_u"]
_UNIT = {"days": "day", "participants": "participants", "chars": "chars"}
_OP = {">=": "≥", "<=": "≤", "==": "="}


def num(x) -> str:
    """A number as people write it: 5, 0.5, −1.25 (no trailing zeros, true minus sign)."""
    d = Decimal(x)
    s = format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    return s.replace("-", "−")


def pts(u: int) -> str:
    return num(Decimal(int(u)) / rules.SCALE)


def _days(c: int) -> str:
    d = num(Decimal(int(c)) / 100)
    return f"{d} day" if d == "1" else f"{d} days"


def _date(v: int) -> str:
    return str(np.datetime64(int(v), "D"))


def _op(op: str) -> str:
    return _OP.get(op, op)


def _attr(col: str, r) -> str:
    if col == "days":
        return _days(r["days_c"])
    return f"{r[col]} {_UNIT[col]}"


def _reason(r: dict, rb: rules.Rulebook) -> str:
    src, code = r["source"], r["item"]
    if src == "rulebook":
        comp, what = code.split(".")
        if what == "full":
            return f"{rb.components[comp]['name']} full marks → {pts(r['points_u'])}"
        return (f"floor {num(rb[f'{comp}.floor'])}: deductions past the full marks are not "
                f"counted → +{pts(r['points_u'])}")
    if src == "goals":
        if r["info"]:
            return "goal in progress → 0"
        return "goal completed → 0" if r["coef_c"] == 0 else f"goal not completed → {pts(r['points_u'])}"
    it = rb.items[code]
    v1 = rb[r["p1"]] if r["p1"] != "-" else Decimal(0)
    v2 = rb[r["p2"]] if r["p2"] != "-" else Decimal(0)
    main_u = r["coef_c"] * (rules.micro(v1) + rules.micro(v2)) // 100
    parts = [code]
    if it.per_role:
        parts.append(r["role"])
    detail = []
    if it.amount == "days":
        detail.append(_days(r["days_c"]))
    if it.tiers:
        if r["tier"] >= 0:
            t = it.tiers[r["tier"]]
            conds = [f"{_attr(c, r)} {_op(rb[f'{code}.{t.name}.{c}.op'])} {num(rb[f'{code}.{t.name}.{c}'])}"
                     for c in t.columns]
            detail.append(" and ".join(conds))
        else:
            cols = sorted({c for t in it.tiers for c in t.columns})
            detail.append(", ".join(_attr(c, r) for c in cols))
    if it.rule == "leave_allowance":
        before, allow = r["info"], r["info2"]
        detail.append(f"year total {num(Decimal(before) / 100)} → {num(Decimal(before + r['days_c']) / 100)}"
                      f" of {num(Decimal(allow) / 100)} allowed")
        if r["coef_c"]:
            detail.append(f"{_days(-r['coef_c'])} over × {num(v1)}")
    elif it.rule == "reading_once" and r["info"]:
        first = _date(r["info"] - 1)
        detail.append(f"same unit's first reading {first}, no major revision"
                      if r["p1"] != code else f"first reading {first}, major revision")
    elif it.rule == "once_per_year":
        detail.append("once a year" if r["info"] else "already given this year")
    elif it.rule == "lateness":
        pub = r["info2"]
        when = "not published" if pub == 0 else f"published {_date(abs(pub) - 1)}"
        detail.append(f"deadline {_date(r['info'])}, {when}: {'on time' if pub > 0 else 'late'}")
    elif it.amount == "points":
        detail.append("points decided by the directors' meeting")
    q = r["quantity"]
    if it.amount == "quantity" and q != 1:
        detail.append(f"{q} × {num(v1 + v2)}")
    elif r["p2"] != "-":
        detail.append(f"{num(v1)} + {num(v2)}")
    text = ", ".join(parts + detail)
    text += f" → {pts(main_u + r['const_u'])}"
    if r["ms"]:
        text += f"; {r['ms']} missing step{'s' if r['ms'] != 1 else ''} → {pts(-r['ms'] * rules.micro(rb[f'{code}.missing_step']))}"
    if r["err"]:
        text += f"; {r['err']} error{'s' if r['err'] != 1 else ''} → {pts(-r['err'] * rules.micro(rb[f'{code}.error']))}"
    return text


def reasons(audit: pd.DataFrame, rb: rules.Rulebook) -> np.ndarray:
    """The reason of every audit line."""
    if not len(audit):
        return np.array([], dtype=object)
    key = audit[KEY]
    groups = key.groupby(KEY, sort=False, dropna=False, observed=True).ngroup().to_numpy()
    first = pd.Series(np.arange(len(key))).groupby(groups).first().to_numpy()
    texts = np.array([_reason(rec, rb) for rec in key.iloc[first].to_dict("records")], dtype=object)
    return texts[groups]


def add_reasons(scores) -> None:
    scores.audit["reason"] = reasons(scores.audit, scores.rulebook)
