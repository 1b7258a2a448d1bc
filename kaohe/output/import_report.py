"""``kaohe validate``: the import report the 办公厅 checks before scoring.

Per workbook (or CSV file) and sheet: rows read, rows accepted, rows refused, and every
problem with its row, column, value and what was expected. When nothing is wrong, per unit
and year: the ledger rows and the points they carry (exact sums of the audit table), the
goals, and which files the rows came from — so each office's submission can be checked
against its own count. ``--format xlsx --out FILE.xlsx`` writes the same as a workbook to
send back to the offices: a sheet per refused table with its rows as read, the refused
ones highlighted and their problems beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from kaohe.core import contract, labels
from kaohe.core import problems as problems_mod
from kaohe.core.errors import DataError
from kaohe.core.i18n import _, ngettext

SUMMARY_COLUMNS = ["file", "sheet", "table", "read", "accepted", "refused", "problems"]
UNITS_COLUMNS = ["year", "unit", "ledger_rows", "common", "daily", "goals", "completed", "files"]


def _heads(context: str) -> dict[str, str]:
    return {c: labels.header(c, context) for c in labels.CONTEXTS[context]}
PRINT_LIMIT = 200  # problems printed per table (all of them go to --problems / --out)
XLSX_ROW_LIMIT = 50_000  # larger tables: only their (first) refused rows go to the workbook
PROBLEM_WIDTH = 40  # half-widths (20 Chinese characters) a refused row's problems get at least
PER_KIND = 1000  # problems listed per kind, file and sheet in the workbook (all: --problems FILE)


@dataclass
class ImportReport:
    """What was read, accepted and refused; per-unit figures when everything is fine."""

    name: str
    summary: pd.DataFrame  # SUMMARY_COLUMNS (+ note)
    problems: pd.DataFrame  # problems.COLUMNS
    units: pd.DataFrame | None = None  # UNITS_COLUMNS, when there is no problem
    tables: list = field(default_factory=list)  # io.RawTable, when there are problems
    by_year: pd.DataFrame | None = None  # rows per table (index) and year (columns), when all is fine

    @property
    def ok(self) -> bool:
        return not len(self.problems)


# ------------------------------------------------------------------ building the report
def _sheet_key(s) -> str:
    return s if isinstance(s, str) else ""


def _lacks_a_column(mine: pd.DataFrame) -> bool:
    """Whether a table's problems say it lacks a required column: then none of its rows is accepted."""
    return bool((mine["code"] == "missing_column").any())


def refused_mask(table, probs: pd.DataFrame) -> np.ndarray:
    """Rows of a raw table that have at least one problem (all of them when the table lacks a
    required column)."""
    mine = probs[(probs["file"] == table.file)
                 & (probs["sheet"].map(_sheet_key) == (table.sheet or ""))]
    if _lacks_a_column(mine):
        return np.ones(len(table.rows), dtype=bool)
    rows = pd.to_numeric(mine["row"], errors="coerce").dropna().astype(np.int64).unique()
    return np.isin(table.rows, rows)


def _table_zh(name: str) -> str:
    return labels.table(name)


def report_from_error(err: DataError, name: str) -> ImportReport:
    raw = getattr(err, "raw", None)
    probs = err.problems
    tables = list(raw.tables) if raw is not None else []
    rows = []
    for t in tables:
        ref = refused_mask(t, probs)
        mine = probs[(probs["file"] == t.file) & (probs["sheet"].map(_sheet_key) == (t.sheet or ""))]
        rows.append({"file": t.file, "sheet": t.sheet or "", "table": _table_zh(t.name),
                     "read": len(t.frame), "accepted": int(len(t.frame) - ref.sum()),
                     "refused": int(ref.sum()), "problems": len(mine), "note": None})
    # a file or sheet that could not be read at all is listed too, with why (no rows counted)
    read = {(t.file, t.sheet or "") for t in tables}
    others = probs.assign(_sheet=probs["sheet"].map(_sheet_key))
    others = others[[(f, sh) not in read for f, sh in zip(others["file"], others["_sheet"])]]
    for (file, sheet), g in others.groupby(["file", "_sheet"], sort=False):
        rows.append({"file": file, "sheet": sheet, "table": "", "read": None, "accepted": None, "refused": None,
                     "problems": len(g), "note": _("not read: {why}").format(why=g["expected"].iloc[0])})
    summary = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, "note"])
    for c in ("read", "accepted", "refused"):
        summary[c] = summary[c].astype("Int64")
    return ImportReport(name, summary, probs, None, tables)


def report_from_dataset(ds, rb=None) -> ImportReport:
    """The report of a data set without problems: counts and per-unit figures."""
    from kaohe.engine.score import score

    read = ds.read if ds.read is not None else ds.counts.groupby(
        ["table", "file", "sheet"], as_index=False, observed=True)["rows"].sum()
    kept = ds.counts.groupby(["table", "file", "sheet"], observed=True)["rows"].sum()
    rows = []
    for r in read.itertuples(index=False):
        k = int(kept.get((r.table, r.file, r.sheet), 0))
        note = (ngettext("{n} row identical to another file's, counted once",
                         "{n} rows identical to another file's, counted once", r.rows - k).format(n=r.rows - k)
                if r.table == "units" and k < r.rows else None)
        rows.append({"file": r.file, "sheet": r.sheet, "table": _table_zh(r.table), "read": int(r.rows),
                     "accepted": int(r.rows), "refused": 0, "problems": 0, "note": note})
    summary = pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, "note"])
    figures = unit_figures(score(ds, rb, with_reasons=False)) if len(ds.units) else None
    by_year = (ds.counts.pivot_table(index="table", columns="year", values="rows", aggfunc="sum",
                                     fill_value=0, observed=True)
               .reindex(["units", "goals", "ledger"]).dropna(how="all").fillna(0).astype(np.int64))
    return ImportReport(ds.name, summary, problems_mod.empty(), figures, by_year=by_year)


def unit_figures(sc) -> pd.DataFrame:
    """Per unit and year (in the units table's order): ledger rows, the points they carry
    (exact, per component), goals, and the files the ledger rows came from."""
    from kaohe.engine.exact import exact_points

    ds = sc.dataset
    a = sc.audit[sc.audit["source"] == "ledger"]
    base = ds.units[["year", "unit"]].drop_duplicates().reset_index(drop=True)
    key = ["year", "unit"]
    n = a.groupby(key, observed=True).size().rename("ledger_rows")
    pts = (a.groupby([*key, "component"], observed=True)["points_u"].sum()
           .unstack("component").reindex(columns=["common", "daily"]).fillna(0).astype(np.int64))
    g = ds.goals.groupby(key)["completed"].agg(goals="size", completed="sum")
    per_file = a.groupby([*key, "file"], observed=True).size()
    files = per_file.groupby(level=[0, 1]).apply(
        lambda s: ", ".join(f"{f} ({int(c)})" for (_, _, f), c in s.items())).rename("files")
    out = base.join(n, on=key).join(pts, on=key).join(g, on=key).join(files, on=key)
    for c in ("ledger_rows", "common", "daily", "goals", "completed"):
        out[c] = out[c].fillna(0).astype(np.int64)
    out["common"] = exact_points(out["common"])
    out["daily"] = exact_points(out["daily"])
    out["files"] = out["files"].astype(object).fillna("")  # no unit with ledger rows: all missing (float)
    # by year, each year's units in the units table's order (as the office listed them)
    return out.sort_values("year", kind="stable").reset_index(drop=True)[UNITS_COLUMNS]


# ------------------------------------------------------------------ text
def _num(d: Decimal) -> str:
    return format(d, "f").replace("-", "−")


def report_lines(rep: ImportReport, limit: int | None = PRINT_LIMIT) -> list[str]:
    """The report as text lines."""
    lines = []
    probs = rep.problems
    seen = np.zeros(len(probs), dtype=bool)
    sheets = probs["sheet"].map(_sheet_key).to_numpy() if len(probs) else np.array([], dtype=object)
    files = probs["file"].to_numpy() if len(probs) else np.array([], dtype=object)
    for r in rep.summary.itertuples(index=False):
        if pd.isna(r.read):  # not read at all: its problem is among the other problems below
            continue
        where = _("{file}, sheet {sheet}").format(file=r.file, sheet=r.sheet) if r.sheet else r.file
        head = ngettext("{where} — {table}: {read} row read, {accepted} accepted, {refused} refused",
                        "{where} — {table}: {read} rows read, {accepted} accepted, {refused} refused",
                        int(r.read)).format(
            where=where, table=r.table, read=r.read, accepted=r.accepted, refused=r.refused)
        if isinstance(r.note, str) and r.note:
            head += _(" ({note})").format(note=r.note)
        lines.append(head)
        mine = (files == r.file) & (sheets == r.sheet)
        seen |= mine
        lines.extend(_problem_lines(probs[mine], limit, r.sheet != ""))
    if (~seen).any():
        lines.append(_("other problems:"))
        lines.extend("  " + s for s in problems_mod.format_problems(probs[~seen], limit))
    if len(probs):
        kinds = problems_mod.counts(probs)
        lines.append(_("problems by kind: {kinds}").format(kinds=_("; ").join(
            _("{meaning}: {n}").format(meaning=m, n=n) for m, n in zip(kinds["meaning"], kinds["problems"],
                                                                      strict=True))))
    if rep.ok and rep.units is None:
        lines.append(_("no units rows: nothing to score yet"))
    if rep.by_year is not None and len(rep.by_year):
        lines.append("")
        lines.append(_("rows read per table and year:"))
        by_year = rep.by_year.rename(index=labels.table).rename_axis(index=None, columns=None)
        with pd.option_context("display.unicode.east_asian_width", True):
            lines.extend(by_year.to_string().splitlines())
    if rep.units is not None:
        lines.append("")
        lines.append(_("per unit (ledger rows and the points they carry; common work: deductions of 四(一), "
                       "daily points: 四(三) before division):"))
        t = rep.units.copy()
        t["common"] = [_num(d) for d in t["common"]]
        t["daily"] = [_num(d) for d in t["daily"]]
        t = t.rename(columns=_heads("import_units"))
        with pd.option_context("display.unicode.east_asian_width", True):
            lines.extend(t.to_string(index=False).splitlines())
    return lines


def _problem_lines(p: pd.DataFrame, limit: int | None, excel: bool) -> list[str]:
    out = []
    shown = p if limit is None else p.head(limit)
    word = _("row {n}") if excel else _("line {n}")
    for r in shown.itertuples(index=False):
        at = word.format(n=int(r.row)) if r.row is not None and not pd.isna(r.row) else _("the file")
        out.append(f"  {at}{problems_mod.detail(r)}")
    if limit is not None and len(p) > limit:
        out.append("  " + _("… and {n} more (all of them: --problems FILE or --format xlsx --out FILE.xlsx)").format(
            n=len(p) - limit))
    return out


# ------------------------------------------------------------------ workbook
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def _sheet_names(tables) -> list[str]:
    names, used = [], set()
    for t in tables:
        stem = Path(t.file).stem
        label = labels.table(t.name)
        base = _BAD_SHEET_CHARS.sub("_", stem if stem.lower() == label.lower() else f"{stem}·{label}")[:28]
        name, k = base, 2
        while name in used or name in (_("Import"), _("Problem list"), _("Problems by kind"), _("Per unit")):
            name, k = f"{base}({k})", k + 1
        used.add(name)
        names.append(name)
    return names


def _decimals(values) -> int:
    return max([0, *(-Decimal(v).normalize().as_tuple().exponent for v in values)])


def write_xlsx(rep: ImportReport, path: Path) -> Path:
    """The report as a workbook: summary, problems, per-unit figures, refused rows."""
    from kaohe.output import excel

    verdict = (_("no problems: ready to score") if rep.ok
               else _("{n} problems, {refused} rows refused (highlighted): please correct them and send "
                      "the data again").format(n=len(rep.problems), refused=int(rep.summary["refused"].sum())))
    sheets = [excel.Sheet(_("Import"), rep.summary, _("Data import check: {name}").format(name=rep.name),
                          _heads("import_summary"), note=verdict)]
    if not rep.ok:
        shown = problems_mod.first_per_kind(rep.problems, PER_KIND)
        note = ("" if len(shown) == len(rep.problems) else
                _("{shown} of {n} problems listed: the first {per} of each kind in each file and sheet "
                  "(all of them: kaohe validate --problems FILE)").format(
                    shown=len(shown), n=len(rep.problems), per=PER_KIND))
        sheets.append(excel.Sheet(_("Problem list"), shown.reset_index(drop=True), _("Data problems"),
                                  _heads("import_problems"), note=note))
        sheets.append(excel.Sheet(_("Problems by kind"), problems_mod.counts(rep.problems),
                                  _("Problems counted by kind"), _heads("import_kinds")))
    if rep.units is not None:
        dec = {c: _decimals(rep.units[c]) for c in ("common", "daily")}
        sheets.append(excel.Sheet(_("Per unit"), rep.units, _("Ledger rows and points per unit (ledger part)"),
                                  _heads("import_units"), dec))
    bad = [t for t in rep.tables if refused_mask(t, rep.problems).any()
           or _has_table_problems(t, rep.problems)]
    for t, name in zip(bad, _sheet_names(bad), strict=True):
        sheets.append(_table_sheet(t, name, rep.problems))
    return excel.write(path, sheets)


def _has_table_problems(t, probs) -> bool:
    return bool(((probs["file"] == t.file) & (probs["sheet"].map(_sheet_key) == (t.sheet or ""))).any())


def _column_head(t, c: str) -> str:
    """A column's header: as the file wrote it, unless that is the column's code (missing_steps):
    then its name as the problem texts say it (缺项; missing steps), which may wrap."""
    written = t.headers.get(c, c)
    if written != c:
        return written
    head = contract.column_label(t.name, c)
    return c.replace("_", " ") if head == c else head


def _table_sheet(t, name: str, probs: pd.DataFrame):
    """A table's rows as read, with its problems beside each row; refused rows highlighted.
    The refused rows come first and only they print (a clerk prints what is to be corrected,
    not the whole ledger); the columns are sized for them, so the problem text gets the width.
    A large table shows its first refused rows only (XLSX_ROW_LIMIT), and only their problems
    are put into words."""
    from kaohe.output import excel

    mine = probs[(probs["file"] == t.file) & (probs["sheet"].map(_sheet_key) == (t.sheet or ""))]
    whole = _lacks_a_column(mine)
    r = pd.to_numeric(mine["row"], errors="coerce").to_numpy(dtype=float)
    mine = mine[~np.isnan(r)].assign(_r=r[~np.isnan(r)].astype(np.int64))
    rows = np.asarray(t.rows, dtype=np.int64)
    refused = np.isin(rows, mine["_r"].to_numpy()) | whole
    keep = np.ones(len(rows), dtype=bool)
    note = ""
    if len(rows) > XLSX_ROW_LIMIT:
        keep = refused & (np.cumsum(refused) <= XLSX_ROW_LIMIT)
        note = _("{n} rows in all; only the {refused} refused rows are listed here").format(
            n=len(t.frame), refused=int(keep.sum()))
        if refused.sum() > keep.sum():
            note += _(" (the first of {n} refused rows; all problems: kaohe validate --problems FILE)").format(
                n=int(refused.sum()))
        mine = mine[np.isin(mine["_r"].to_numpy(), rows[keep])]
    col = mine["column"].astype(str)
    msg = col.where(col == "", col + labels.pick(("：", ": "))) + mine["expected"].astype(str)
    dup = mine["_r"].duplicated(keep=False).to_numpy()
    text = pd.Series(msg.to_numpy()[~dup], index=mine["_r"].to_numpy()[~dup])
    if dup.any():
        text = pd.concat([text, msg[dup].groupby(mine["_r"][dup]).agg(labels.pick(("；", "; ")).join)])
    # the refused rows first (what prints: the print area ends with them), then the others as read
    order = np.flatnonzero(keep)[np.argsort(~refused[keep], kind="stable")]
    frame = t.frame.iloc[order].copy()
    shown = rows[order]
    frame.insert(0, "_row", shown)
    frame.insert(1, "_problems", pd.Series(shown).map(text).to_numpy(dtype=object))
    headers = {"_row": labels.header("row"), "_problems": _("Problems")}
    headers.update({c: _column_head(t, c) for c in t.frame.columns})
    where = _("{file}, sheet {sheet}").format(file=t.file, sheet=t.sheet) if t.sheet else t.file
    n_refused = int(refused[keep].sum())
    if n_refused < len(order):
        note = (note + " " if note else "") + ngettext(
            "The refused row comes first and is all that prints; the other {n} rows follow as read.",
            "The {refused} refused rows come first and are all that prints; the other {n} rows follow "
            "as read.", n_refused).format(refused=n_refused, n=len(order) - n_refused)
    return excel.Sheet(name, frame.reset_index(drop=True),
                       ngettext("{where} — {table}: {n} row refused", "{where} — {table}: {n} rows refused",
                                int(refused.sum())).format(where=where, table=_table_zh(t.name),
                                                           n=int(refused.sum())),
                       headers, highlight=pd.Series(refused[order]), note=note, print_rows=n_refused,
                       least={"_problems": PROBLEM_WIDTH})


# ------------------------------------------------------------------ the command
