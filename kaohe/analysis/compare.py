"""Scenarios against the rule: exact re-scoring, one table per scenario or side by side.

A scenario may change any parameter (values, thresholds, the leave allowance, choices), so
comparisons re-score the data set (``Scores.rerun``) and are exact: the scenario's figures
are what ``kaohe score --scenario FILE`` publishes. ``diff`` is the difference of the two
published totals (so the row adds up as printed) and ``rank_change`` = base rank − scenario
rank (moving up is positive).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kaohe.core import labels
from kaohe.core.i18n import _
from kaohe.engine.score import Scores
from kaohe.rulebook import scenario as scenario_mod
from kaohe.rulebook.rules import Rulebook
from kaohe.rulebook.scenario import Scenario

COLUMNS = ["unit", "total_base", "rank_base", "total_scenario", "rank_scenario", "diff", "rank_change"]
BASE_NAME = "规则"  # the rule's key among the scenarios (flat columns: total_base, rank_base)


def base_label() -> str:
    """The rule as a stage of a rank flow: 现行规则 / the rule."""
    return _("the rule")


def as_scenario(s: Scenario | str | Path | dict) -> Scenario:
    """A Scenario from a Scenario, a YAML path, or a dict of overrides."""
    if isinstance(s, Scenario):
        return s
    if isinstance(s, dict):
        return Scenario(" ".join(f"{k}={v}" for k, v in s.items()) or base_label(), dict(s))
    return scenario_mod.load(s)


def rescore(sc: Scores, s: Scenario) -> Scores:
    """The data set scored under a scenario applied to the scores' rulebook."""
    return sc.rerun(rulebook=s.apply(sc.rulebook), with_reasons=False)


def compare(sc: Scores, year: int, s: Scenario | str | Path | dict,
            scenario_scores: Scores | None = None) -> pd.DataFrame:
    """The contract's comparison table: one row per unit, in the base ranking's order."""
    s = as_scenario(s)
    base = sc.table(year).set_index("unit")
    alt = (scenario_scores or rescore(sc, s)).table(year).set_index("unit")
    alt = alt.loc[base.index]
    out = pd.DataFrame({
        "unit": base.index,
        "total_base": base["total"].to_numpy(), "rank_base": base["rank"].to_numpy(),
        "total_scenario": alt["total"].to_numpy(), "rank_scenario": alt["rank"].to_numpy(),
    })
    out["diff"] = [b - a for a, b in zip(out["total_base"], out["total_scenario"])]
    out["rank_change"] = out["rank_base"] - out["rank_scenario"]
    return out[COLUMNS]


def unique_names(scenarios: list[Scenario]) -> list[str]:
    """Scenario names, made unique (a repeated name gets ``(2)``, ``(3)``…)."""
    seen: dict[str, int] = {}
    out = []
    for s in scenarios:
        n = seen.get(s.name, 0) + 1
        seen[s.name] = n
        out.append(s.name if n == 1 else f"{s.name}({n})")
    return out


def compare_many(sc: Scores, year: int, scenarios) -> pd.DataFrame:
    """Long table: a ``scenario`` column (its name), then the contract's columns per unit."""
    scs = [as_scenario(s) for s in scenarios]
    frames = [compare(sc, year, s).assign(scenario=name) for s, name in zip(scs, unique_names(scs))]
    out = pd.concat(frames, ignore_index=True)
    return out[["scenario", *COLUMNS]]


def side_by_side(long: pd.DataFrame, flat: bool = False) -> pd.DataFrame:
    """Wide table from :func:`compare_many`: per unit the base, then total/rank/change per scenario.

    Columns are a MultiIndex (scenario name, total|rank|rank_change) for display, or flat
    names ``total:<name>`` … with ``flat=True`` (CSV).
    """
    names = list(dict.fromkeys(long["scenario"]))
    first = long[long["scenario"] == names[0]].set_index("unit")
    parts = {(BASE_NAME, "total"): first["total_base"], (BASE_NAME, "rank"): first["rank_base"]}
    for n in names:
        g = long[long["scenario"] == n].set_index("unit")
        parts[(n, "total")] = g["total_scenario"]
        parts[(n, "rank")] = g["rank_scenario"]
        parts[(n, "rank_change")] = g["rank_change"]
    out = pd.DataFrame(parts)
    out.index.name = "unit"
    if flat:
        out.columns = [f"{what}_base" if n == BASE_NAME else f"{what}:{n}" for n, what in out.columns]
        return out.reset_index()
    return out


def summary(long: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: mean absolute rank change, units moved, biggest gain and loss, new first."""
    rows = []
    for name, g in long.groupby("scenario", sort=False):
        ch = g["rank_change"].to_numpy()
        first = g.loc[g["rank_scenario"] == g["rank_scenario"].min(), "unit"]
        sep = labels.pick(("、", ", "))
        rows.append({
            "scenario": name, "mean_abs_rank_change": round(float(np.abs(ch).mean()), 2),
            "units_moved": int((ch != 0).sum()),  # every unit tied for the largest move is named
            "max_gain": f"{sep.join(g.loc[ch == ch.max(), 'unit'])} +{int(ch.max())}" if ch.max() > 0 else "",
            "max_loss": f"{sep.join(g.loc[ch == ch.min(), 'unit'])} −{-int(ch.min())}" if ch.min() < 0 else "",
            "first": sep.join(first),
        })
    return pd.DataFrame(rows)


def rank_flow(long: pd.DataFrame) -> pd.DataFrame:
    """Long frame for a bump chart: unit, stage (规则 then each scenario), rank, total."""
    names = list(dict.fromkeys(long["scenario"]))
    first = long[long["scenario"] == names[0]]
    frames = [pd.DataFrame({"unit": first["unit"], "stage": base_label(), "rank": first["rank_base"],
                            "total": first["total_base"]})]
    for n in names:
        g = long[long["scenario"] == n]
        frames.append(pd.DataFrame({"unit": g["unit"], "stage": n, "rank": g["rank_scenario"],
                                    "total": g["total_scenario"]}))
    return pd.concat(frames, ignore_index=True)


def overrides_table(scenarios, rb: Rulebook) -> pd.DataFrame:
    """What each scenario changes: scenario, zh (the parameter's name), rule and value (codes),
    rule_label and value_label (in words), and the parameter's code last."""
    rows = []
    scs = [as_scenario(s) for s in scenarios]
    shown = rb.params_table().set_index("name")["value"]
    for s, name in zip(scs, unique_names(scs)):
        new = s.apply(rb).params_table().set_index("name")["value"]
        for p in s.overrides:
            rows.append({"scenario": name, "zh": labels.param(rb.params[p]),
                         "rule_label": labels.choice(rb, shown[p]), "value_label": labels.choice(rb, new[p]),
                         "rule": shown[p], "value": new[p], "parameter": p})
    return pd.DataFrame(rows, columns=["scenario", "zh", "rule_label", "value_label", "rule", "value", "parameter"])


def overrides_view(scenarios, rb: Rulebook) -> pd.DataFrame:
    """:func:`overrides_table` as a reader sees it: values in words, the code last."""
    return overrides_table(scenarios, rb).drop(columns=["rule", "value"])
