"""Helpers for workbook tests: a small CSV data set from the sample, and filling the
template the way a person does in Excel (dates as dates, numbers as numbers, Chinese item
names, 承办/协调, 是/否)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl

from kaohe import sample_dir
from kaohe.core import contract
from kaohe.rulebook import rules

SAMPLE = sample_dir()
ROLE_ZH = {"organizer": "承办", "coordinator": "协调"}


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, columns)
        w.writeheader()
        w.writerows(rows)


def sample_year() -> int:
    """The latest year of the bundled sample."""
    return max(int(r["year"]) for r in read_csv(SAMPLE / "units.csv"))


def csv_subset(dst: Path, year: int, units: set[str] | None = None) -> Path:
    """The sample's facts of one year (and some units) as a CSV data set."""
    keep = (lambda u: True) if units is None else (lambda u: u in units)
    tables = {
        "units": [r for r in read_csv(SAMPLE / "units.csv") if int(r["year"]) == year and keep(r["unit"])],
        "goals": [r for r in read_csv(SAMPLE / "goals.csv") if int(r["year"]) == year and keep(r["unit"])],
        "ledger": [r for r in read_csv(SAMPLE / "ledger.csv") if r["date"][:4] == str(year) and keep(r["unit"])],
    }
    for name, rows in tables.items():
        write_csv(dst / f"{name}.csv", rows, [c.name for c in contract.columns(name)])
    return dst


def cell_value(table: str, col: str, text: str, rb=None):
    """What a person enters in Excel for a CSV cell of the contract (a mistake stays the
    text typed, as Excel keeps it)."""
    if text == "":
        return None
    try:
        return _typed(table, col, text, rb or rules.load())
    except (ValueError, KeyError):
        return text


def _typed(table: str, col: str, text: str, rb):
    kind = contract.column(table, col).kind
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "int":
        return int(text)
    if kind == "number":
        return int(text) if text.lstrip("-").isdigit() else float(text)
    if kind == "item":
        return rb.items[rb.item_lookup[text]].name
    if kind == "role":
        return ROLE_ZH[rb.role_lookup[text.lower()]]
    if kind == "yesno":
        return "是" if text.lower() in ("true", "1", "是", "完成", "yes") else "否"
    return text


def fill(template: Path, out: Path, *, units=None, goals=(), ledger=(), drop_units_sheet=False) -> Path:
    """Copy the template and type rows (CSV-style dicts) into its sheets below the header.

    ``units=None`` keeps the 单位 sheet as it is (pre-filled or empty)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, out)
    wb = openpyxl.load_workbook(out)
    for table, rows in (("units", units), ("goals", goals), ("ledger", ledger)):
        if rows is None:
            continue
        ws = wb[contract.TABLES[table][0]]
        heads = [c.value for c in ws[1]]
        names = {c.zh: c.name for c in contract.columns(table)}
        if table == "units":
            ws.delete_rows(2, ws.max_row)
        for i, rec in enumerate(rows, start=2):
            for j, h in enumerate(heads, start=1):
                v = cell_value(table, names[h], rec.get(names[h], "") or "")
                if v is not None:
                    ws.cell(i, j, v)
    if drop_units_sheet:
        del wb[contract.TABLES["units"][0]]
    wb.save(out)
    return out
