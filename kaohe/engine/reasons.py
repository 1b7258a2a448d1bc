"""The reason of every audit line, worded from the rulebook: the item's name and one template
per kind of rule (「组织常委会会议，2天（多于1天）→ 5分；失误1次 → 扣1分」), in the language in use.

A reason depends on a handful of a line's fields; lines are grouped by those fields and
each distinct combination is worded once, so a million lines cost a few thousand strings.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from kaohe.core import labels
from kaohe.core.i18n import _, ngettext
from kaohe.rulebook import rules

KEY = ["source", "item", "role", "tier", "quantity", "days_c", "participants", "chars", "coef_c",
       "ms", "err", "const_u", "info", "info2", "p1", "p2", "points_u", "_extra"]


def _op_words() -> dict[str, str]:
    return {">": _("more than {v}"), ">=": _("at least {v}"), "<": _("less than {v}"),
            "<=": _("at most {v}"), "==": _("exactly {v}")}


def num(x) -> str:
    """A number as people write it: 5, 0.5, −1.25 (no trailing zeros, true minus sign)."""
    d = Decimal(x)
    s = format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    return s.replace("-", "−")


def pts(u: int) -> str:
    return num(Decimal(int(u)) / rules.SCALE)


def _n(text: str) -> int:
    """The plural form's n for a number written as text (1 → 1, anything else → 2)."""
    return 1 if text == "1" else 2


def _days_text(c: int) -> str:
    d = num(Decimal(int(c)) / 100)
    return ngettext("{n} day", "{n} days", _n(d)).format(n=d)


def _count(col: str, v) -> str:
    v = num(v)
    if col == "participants":
        return ngettext("{n} participant", "{n} participants", _n(v)).format(n=v)
    return ngettext("{n} character", "{n} characters", _n(v)).format(n=v)


def _date(v: int) -> str:
    return str(np.datetime64(int(v), "D"))


def _attr(col: str, r) -> str:
    return _days_text(r["days_c"]) if col == "days" else _count(col, r[col])


def _threshold(col: str, v) -> str:
    return _days_text(int(Decimal(v) * 100)) if col == "days" else _count(col, v)


def result(u: int, deduct: bool = False) -> str:
    """「扣1.5分」, 「5分」, 「不扣分」 / −1.5, 5, 0."""
    a = pts(abs(int(u)))
    if u < 0:
        return ngettext("−{n} point", "−{n} points", _n(a)).format(n=a)
    if u == 0:
        return _("no deduction") if deduct else _("no points")
    return ngettext("{n} point", "{n} points", _n(a)).format(n=a)


def _sep() -> str:
    return labels.pick(("，", ", "))


def _rulebook_line(r: dict, rb: rules.Rulebook) -> str:
    comp, what = r["item"].split(".")
    name = labels.component(rb, comp)
    if what == "full":
        return _("{name} full marks → {points}").format(name=name, points=result(r["points_u"]))
    return _("{name}: deductions beyond the full marks are not counted (floor {floor}) → {points} back").format(
        name=name, floor=num(rb[f"{comp}.floor"]), points=result(r["points_u"]))


def _goal_line(r: dict) -> str:
    goal = r["_extra"]
    if r["info"]:
        return _("annual goal “{goal}” in progress → no deduction").format(goal=goal)
    if r["coef_c"] == 0:
        return _("annual goal “{goal}” completed → no deduction").format(goal=goal)
    return _("annual goal “{goal}” not completed → {points}").format(goal=goal, points=result(r["points_u"]))


def _reason(r: dict, rb: rules.Rulebook) -> str:
    src, code = r["source"], r["item"]
    if src == "rulebook":
        return _rulebook_line(r, rb)
    if src == "goals":
        return _goal_line(r)
    it = rb.items[code]
    deduct = it.effect == "deduct"
    v1 = rb[r["p1"]] if r["p1"] != "-" else Decimal(0)
    v2 = rb[r["p2"]] if r["p2"] != "-" else Decimal(0)
    main_u = r["coef_c"] * (rules.micro(v1) + rules.micro(v2)) // 100
    head = labels.item(rb, code)
    if it.per_role:
        head = _("{name} ({role})").format(name=head, role=labels.role(r["role"]))
    if it.amount == "days":
        head = _("{name}, {days}").format(name=head, days=_days_text(r["days_c"]))
    detail = []
    if it.tiers:
        if r["tier"] >= 0:
            t = it.tiers[r["tier"]]
            ops = _op_words()
            conds = [_("{value} ({condition})").format(
                value=_attr(c, r), condition=ops.get(rb[f"{code}.{t.name}.{c}.op"], "{v}").format(
                    v=_threshold(c, rb[f"{code}.{t.name}.{c}"]))) for c in t.columns]
            detail.append(_(" and ").join(conds))
        else:
            cols = sorted({c for t in it.tiers for c in t.columns})
            detail.append(_sep().join(_attr(c, r) for c in cols))
    outcome = None  # a worded outcome instead of the points
    if it.rule == "leave_allowance":
        before, allow = r["info"], r["info2"]
        allowed = _days_text(allow)
        detail.append(_("year total {total}").format(total=_days_text(before + r["days_c"])))
        if r["coef_c"]:
            detail.append(_("{over} beyond the {allowed} allowed × {value}").format(
                over=_days_text(-r["coef_c"]), allowed=allowed, value=num(v1)))
        else:
            detail.append(_("within the {allowed} allowed").format(allowed=allowed))
    elif it.rule == "reading_once" and r["info"]:
        first = _date(r["info"] - 1)
        if r["p1"] != code:
            detail.append(_("the same unit submitted the first reading on {date}, no major revision").format(
                date=first))
            outcome = _("not scored twice") if main_u == 0 else None
        else:
            detail.append(_("first reading on {date}, major revision").format(date=first))
    elif it.rule == "once_per_year":
        detail.append(_("scored once a year") if r["info"] else _("already scored this year"))
    elif it.rule == "lateness":
        pub = r["info2"]
        deadline = _date(r["info"])
        detail.append(_("activity on {date}, to be published by {deadline}").format(
            date=r["_extra"], deadline=deadline))
        if pub == 0:
            detail.append(_("not published"))
        else:
            detail.append(_("published on {date}").format(date=_date(abs(pub) - 1)))
        total = main_u + r["const_u"]
        outcome = (_("on time, no deduction") if pub > 0 else
                   _("late: {points}").format(points=result(total, deduct)))
    elif it.amount == "points":
        detail.append(_("points decided by the directors' meeting"))
    q = r["quantity"]
    if it.amount == "quantity" and ("person" in it.requires or q != 1):
        if "person" in it.requires:
            qty = ngettext("{n} person-time", "{n} person-times", q).format(n=q)
        else:
            qty = ngettext("{n} time", "{n} times", q).format(n=q)
        detail.append(qty if q == 1 else _("{quantity} × {value}").format(quantity=qty, value=num(v1 + v2)))
    elif r["p2"] != "-":
        detail.append(f"{num(v1)} + {num(v2)}")
    text = _sep().join([head, *detail])
    text = _("{what} → {outcome}").format(
        what=text, outcome=outcome or result(main_u + r["const_u"], deduct)).replace("） →", "）→")
    if r["ms"]:
        text += labels.pick(("；", "; ")) + ngettext("{n} missing step → {points}", "{n} missing steps → {points}", r["ms"]).format(
            n=r["ms"], points=result(-r["ms"] * rules.micro(rb[f"{code}.missing_step"])))
    if r["err"]:
        text += labels.pick(("；", "; ")) + ngettext("{n} error → {points}", "{n} errors → {points}", r["err"]).format(
            n=r["err"], points=result(-r["err"] * rules.micro(rb[f"{code}.error"])))
    return text


def _extra(audit: pd.DataFrame, rb: rules.Rulebook) -> np.ndarray:
    """What a few kinds of line add to the key: a goal's text, a late-information activity's date."""
    out = np.full(len(audit), "", dtype=object)
    src = audit["source"].astype(str).to_numpy()
    goals = src == "goals"
    if goals.any():
        out[goals] = audit["subject"].astype(str).to_numpy()[goals]
    late = [c for c, it in rb.items.items() if it.rule == "lateness"]
    m = audit["item"].astype(str).isin(late).to_numpy() & (src == "ledger")
    if m.any():
        out[m] = pd.to_datetime(audit["date"].to_numpy()[m]).strftime("%Y-%m-%d").to_numpy()
    return out


def reasons(audit: pd.DataFrame, rb: rules.Rulebook) -> np.ndarray:
    """The reason of every audit line."""
    if not len(audit):
        return np.array([], dtype=object)
    key = audit[KEY[:-1]].assign(_extra=_extra(audit, rb))
    groups = key.groupby(KEY, sort=False, dropna=False, observed=True).ngroup().to_numpy()
    first = pd.Series(np.arange(len(key))).groupby(groups).first().to_numpy()
    texts = np.array([_reason(rec, rb) for rec in key.iloc[first].to_dict("records")], dtype=object)
    return texts[groups]


def add_reasons(scores) -> None:
    scores.audit["reason"] = reasons(scores.audit, scores.rulebook)
