"""The ``kaohe`` command: score, explain, validate, params (and the commands other modules
register). User mistakes end with a clear message and a non-zero exit code, never a
traceback."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import pandas as pd

from . import problems as problems_mod
from .errors import DataError, KaoheError

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"

# Modules that add sub-commands: each has register(subparsers).
EXTRA_COMMANDS: list[str] = ["cli_report", "cli_analysis", "cli_template"]

TABLE_HEADERS_ZH = {
    "rank": "名次", "unit": "单位", "staff": "实际工作人员人数", "common": "共性工作指标",
    "goals": "年度工作目标", "daily_points": "日常工作累计积分", "daily": "日常工作指标得分",
    "total": "总分", "eligible": "评先评优资格",
}


# ------------------------------------------------------------------ shared helpers
def add_dataset(p: argparse.ArgumentParser, optional: bool = False) -> None:
    help_ = ("data set: a folder of CSV files, a folder of .xlsx workbooks, or .xlsx files "
             "(several paths are read as one data set)")
    if optional:
        p.add_argument("dataset", nargs="*", type=Path, help=help_ + "; default: the bundled sample")
    else:
        p.add_argument("dataset", nargs="+", type=Path, help=help_)


def add_year(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--year", type=int, required=required,
                   help="assessment year (default: the only year of the data set)")


def add_scenario(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", type=Path, action="append", default=[],
                   help="a scenario YAML file whose overrides apply (may be repeated)")


def load_dataset(args, rulebook=None):
    from . import dataset

    paths = args.dataset or [SAMPLE]
    return dataset.load(paths, rulebook)


def rulebook_for(args):
    from . import rules, scenario

    rb = rules.load()
    for path in getattr(args, "scenario", []) or []:
        rb = scenario.load(path).apply(rb)
    return rb


def pick_year(ds, year: int | None) -> int:
    if not ds.years:
        raise KaoheError("the data set lists no units: fill in the units (单位) table first")
    if year is not None:
        return ds.check_year(year)
    if len(ds.years) == 1:
        return ds.years[0]
    raise KaoheError("the data set holds several years: choose one with --year",
                     [f"years: {', '.join(map(str, ds.years))}"])


def write_table(table: pd.DataFrame, out: Path | None, sheet: str, title: str,
                headers: dict[str, str] | None = None) -> None:
    """A table to stdout (CSV), or to a .csv (UTF-8 with BOM, for Excel) or .xlsx file."""
    from . import excel, publish

    if out is None:
        sys.stdout.write(publish.for_csv(table).to_csv(index=False, lineterminator="\n"))
        return
    suffix = out.suffix.lower()
    if suffix == ".csv":
        out.parent.mkdir(parents=True, exist_ok=True)
        publish.for_csv(table).to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    elif suffix == ".xlsx":
        excel.write(out, [excel.Sheet(sheet, table, title, headers or {})])
    else:
        raise KaoheError(f"--out {out}: write a .csv or an .xlsx file")
    print(f"wrote {out}", file=sys.stderr)


# ------------------------------------------------------------------ commands
def cmd_score(args) -> int:
    from .score import score

    rb = rulebook_for(args)
    ds = load_dataset(args, rb)
    year = pick_year(ds, args.year)
    table = score(ds, rb, with_reasons=False).table(year)
    write_table(table, args.out, f"{year}年度考核结果", f"{year}年度机关目标责任考核结果",
                TABLE_HEADERS_ZH)
    return 0


def cmd_explain(args) -> int:
    from .explain import explain_text, unit_lines
    from .score import score

    rb = rulebook_for(args)
    ds = load_dataset(args, rb)
    year = pick_year(ds, args.year)
    sc = score(ds, rb)
    if args.out:
        cols = ["component", "clause", "item", "file", "sheet", "row", "date", "person", "subject",
                "reason", "points"]
        from .publish import exact_points

        lines = unit_lines(sc, year, args.unit).copy()
        lines["points"] = exact_points(lines["points_u"])
        write_table(lines[cols], args.out, "审计明细", f"{args.unit} {year} 得分明细")
    else:
        print(explain_text(sc, year, args.unit))
    return 0


def cmd_validate(args) -> int:
    from .validate_report import run_validate

    return run_validate(args)


def cmd_params(args) -> int:
    rb = rulebook_for(args)
    t = rb.params_table()
    if args.changed:
        t = t[t["default"] != t["value"]]
    if args.format == "csv" or args.out:
        cols = ["name", "default", "value", "clause", "zh", "kind", "note"]
        write_table(t[cols], args.out, "参数", "考核规则参数")
        return 0
    show_value = bool(getattr(args, "scenario", None))
    w = max(len(n) for n in t["name"]) + 2
    print(f"{'name':<{w}}{'default':>10}  " + ("value       " if show_value else "")
          + f"{'clause':<12}中文名")
    for r in t.itertuples(index=False):
        val = f"{r.value:<12}" if show_value else ""
        print(f"{r.name:<{w}}{r.default:>10}  {val}{r.clause:<12}{r.zh}")
    print(f"\n{len(t)} parameters; override them in a scenario file (see data/scenarios/).",
          file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="kaohe",
        description="考核: score the annual target-responsibility assessment of the work units "
                    "by the rulebook, explain every point, and analyse the ranking.",
    )
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("score", help="the published table of a year",
                       description="Score every unit of a year by the rulebook and print the "
                                   "published table (CSV) or write it to --out (.csv or .xlsx).")
    add_dataset(p)
    add_year(p)
    add_scenario(p)
    p.add_argument("--out", type=Path, help="write to FILE.csv (UTF-8 with BOM) or FILE.xlsx")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("explain", help="why a unit got its points, clause by clause",
                       description="Show a unit's audit lines grouped by clause, with subtotals "
                                   "that add up to its published figures.")
    add_dataset(p)
    add_year(p)
    p.add_argument("--unit", required=True, help="the unit's name as in the units table")
    add_scenario(p)
    p.add_argument("--out", type=Path, help="write the lines to FILE.csv or FILE.xlsx instead")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("validate", help="check a data set and report every problem",
                       description="Read and check a data set (a folder, workbooks, several paths); "
                                   "per workbook/file and sheet print the rows read, accepted and "
                                   "refused with every problem (row, column, value, what was "
                                   "expected), and when all is fine the ledger rows and points per "
                                   "unit. Exit code 1 when anything is wrong.")
    add_dataset(p)
    p.add_argument("--problems", type=Path, help="also write every problem to FILE.csv or FILE.xlsx")
    p.add_argument("--format", choices=["text", "xlsx"], default=None,
                   help="xlsx: also write the report as a workbook (with --out FILE.xlsx): summary, "
                        "problems, per-unit figures, and each refused table with its rows highlighted")
    p.add_argument("--out", type=Path, help="the report workbook (FILE.xlsx; implies --format xlsx)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("params", help="every rule parameter with its default, clause and Chinese name",
                       description="List the rulebook's parameters: dotted name (what a scenario "
                                   "overrides), default, clause and Chinese name.")
    add_scenario(p)
    p.add_argument("--changed", action="store_true", help="only parameters a scenario changes")
    p.add_argument("--format", choices=["text", "csv"], default="text")
    p.add_argument("--out", type=Path, help="write to FILE.csv or FILE.xlsx")
    p.set_defaults(func=cmd_params)

    for mod in EXTRA_COMMANDS:
        importlib.import_module(f"kaohe.{mod}").register(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as e:
        print(e.message, file=sys.stderr)
        for line in problems_mod.format_problems(e.problems, limit=500):
            print("  " + line, file=sys.stderr)
        out = getattr(args, "problems", None)
        if out is not None:
            write_table(e.problems, out, "问题", "数据问题清单")
        return 1
    except KaoheError as e:
        print(f"kaohe: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `kaohe score … | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
