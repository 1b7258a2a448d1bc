"""Small helpers for tests: write data sets, score them, read published figures."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kaohe import sample_dir
from kaohe.core import contract
from kaohe.engine import score
from kaohe.inputs import dataset

SAMPLE = sample_dir()
LEDGER_COLUMNS = [c.name for c in contract.columns("ledger")]


def write_dataset(folder: Path, units, ledger=(), goals=(), calendar=None, encoding="utf-8") -> Path:
    """Write a CSV data set; ``units`` as (year, unit, staff) tuples, ``ledger``/``goals`` as dicts."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "units.csv", "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(["year", "unit", "staff"])
        w.writerows(units)
    with open(folder / "ledger.csv", "w", newline="", encoding=encoding) as f:
        w = csv.DictWriter(f, LEDGER_COLUMNS)
        w.writeheader()
        for row in ledger:
            w.writerow(row)
    if goals:
        with open(folder / "goals.csv", "w", newline="", encoding=encoding) as f:
            w = csv.DictWriter(f, ["year", "unit", "goal", "completed"])
            w.writeheader()
            w.writerows(goals)
    if calendar:
        with open(folder / "calendar.csv", "w", newline="", encoding=encoding) as f:
            w = csv.writer(f)
            w.writerow(["date", "kind"])
            w.writerows(calendar)
    return folder


def score_rows(tmp_path: Path, rows, staff=1, year=2024, unit="办公厅", rulebook=None, **kw):
    """Score ledger rows of one unit; returns the Scores."""
    rows = [{"unit": unit, **r} for r in rows]
    for r in rows:
        r.setdefault("date", f"{year}-03-01")
    folder = write_dataset(tmp_path / "ds", [(year, unit, staff)], rows, **kw)
    ds = dataset.load(folder, rulebook)
    return score.score(ds, rulebook)


def points(tmp_path: Path, row: dict, **kw) -> Decimal:
    """Exact points of one ledger row (as a Decimal)."""
    sc = score_rows(tmp_path, [row], **kw)
    line = sc.audit[sc.audit["source"] == "ledger"]
    assert len(line) == 1
    return Decimal(int(line["points_u"].iloc[0])) / 1_000_000


def published(sc, year=2024) -> dict:
    """unit → published row (dict) of a year."""
    t = sc.table(year)
    return {r["unit"]: r for r in t.to_dict("records")}
