"""Helpers shared by the ``kaohe`` sub-commands: data set, year and scenario options, loading,
writing a table. Only :mod:`kaohe.cli` imports this."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from kaohe.core import labels, resources
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _

SAMPLE = resources.sample_dir()


# ------------------------------------------------------------------ shared helpers
def add_dataset(p: argparse.ArgumentParser, optional: bool = False) -> None:
    help_ = _("data set: a folder of CSV files, a folder of .xlsx workbooks, or .xlsx files "
              "(several paths are read as one data set)")
    if optional:
        p.add_argument("dataset", nargs="*", type=Path, metavar=_("DATASET"),
                       help=help_ + _("; default: the bundled sample"))
    else:
        p.add_argument("dataset", nargs="+", type=Path, metavar=_("DATASET"), help=help_)


def add_year(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--year", type=int, required=required, metavar=_("YEAR"),
                   help=_("assessment year (default: the only year of the data set)"))


def add_scenario(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", type=Path, action="append", default=[], metavar=_("FILE"),
                   help=_("a scenario YAML file whose overrides apply (may be repeated)"))


def load_dataset(args, rulebook=None):
    from kaohe.inputs import dataset

    paths = args.dataset or [SAMPLE]
    return dataset.load(paths, rulebook)


def rulebook_for(args):
    from kaohe.rulebook import rules, scenario

    rb = rules.load()
    for path in getattr(args, "scenario", []) or []:
        rb = scenario.load(path).apply(rb)
    return rb


def pick_year(ds, year: int | None) -> int:
    if not ds.years:
        raise KaoheError(_("the data set lists no units: fill in the units table first"))
    if year is not None:
        return ds.check_year(year)
    if len(ds.years) == 1:
        return ds.years[0]
    raise KaoheError(_("the data set holds several years: choose one with --year"),
                     [_("years: {years}").format(years=", ".join(map(str, ds.years)))])


def write_table(table: pd.DataFrame, out: Path | None, sheet: str, title: str,
                headers: dict[str, str] | None = None) -> None:
    """A table to stdout (CSV), or to a .csv (UTF-8 with BOM, for Excel) or .xlsx file."""
    from kaohe.output import excel, safe_text

    if out is None:
        sys.stdout.write(safe_text.for_csv(table).to_csv(index=False, lineterminator="\n"))
        return
    suffix = out.suffix.lower()
    if suffix == ".csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        safe_text.for_csv(table).to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    elif suffix == ".xlsx":
        excel.write(out, [excel.Sheet(sheet, table, title, dict(headers or labels.headers()))])
    else:
        raise KaoheError(_("--out {path}: write a .csv or an .xlsx file").format(path=out))
    print(_("wrote {path}").format(path=out), file=sys.stderr)
