"""Sub-commands ``kaohe score``, ``explain`` and ``params``: the published table, a unit's points
clause by clause, and the rulebook's parameters."""

from __future__ import annotations

import sys
from pathlib import Path

from kaohe.cli.common import (
    TABLE_HEADERS_ZH,
    add_dataset,
    add_scenario,
    add_year,
    load_dataset,
    pick_year,
    rulebook_for,
    write_table,
)
from kaohe.cli.notice import parse_date


def cmd_score(args) -> int:
    from kaohe.engine.score import score

    rb = rulebook_for(args)
    ds = load_dataset(args, rb)
    year = pick_year(ds, args.year)
    sc = score(ds, rb, with_reasons=False)
    if args.out is not None and args.out.suffix.lower() == ".xlsx":  # the official one-page table
        from kaohe.output.views import period_label
        from kaohe.report.workbook import write_results

        write_results(sc, year, args.out, f"{period_label(year)}机关目标责任考核结果", args.issuer,
                      parse_date(args.date))
        print(f"wrote {args.out}", file=sys.stderr)
        return 0
    write_table(sc.table(year), args.out, f"{year}年度考核结果", f"{year}年度机关目标责任考核结果",
                TABLE_HEADERS_ZH)
    return 0


def cmd_explain(args) -> int:
    from kaohe.engine.explain import explain_text, unit_lines
    from kaohe.engine.score import score

    rb = rulebook_for(args)
    ds = load_dataset(args, rb)
    year = pick_year(ds, args.year)
    sc = score(ds, rb)
    if args.out:
        cols = ["component", "clause", "item", "file", "sheet", "row", "date", "person", "subject",
                "reason", "points"]
        from kaohe.engine.exact import exact_points

        lines = unit_lines(sc, year, args.unit).copy()
        lines["points"] = exact_points(lines["points_u"])
        write_table(lines[cols], args.out, "审计明细", f"{args.unit} {year} 得分明细")
    else:
        print(explain_text(sc, year, args.unit))
    return 0


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


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    p = sub.add_parser("score", help="the published table of a year",
                       description="Score every unit of a year by the rulebook and print the "
                                   "published table (CSV) or write it to --out (.csv or .xlsx).")
    add_dataset(p)
    add_year(p)
    add_scenario(p)
    p.add_argument("--out", type=Path, help="write to FILE.csv (UTF-8 with BOM) or FILE.xlsx")
    p.add_argument("--issuer", default="", help="FILE.xlsx: the issuing office in the 制表 block")
    p.add_argument("--date", help="FILE.xlsx: the date in the 制表 block, YYYY-MM-DD (default: today)")
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
    p = sub.add_parser("params", help="every rule parameter with its default, clause and Chinese name",
                       description="List the rulebook's parameters: dotted name (what a scenario "
                                   "overrides), default, clause and Chinese name.")
    add_scenario(p)
    p.add_argument("--changed", action="store_true", help="only parameters a scenario changes")
    p.add_argument("--format", choices=["text", "csv"], default="text")
    p.add_argument("--out", type=Path, help="write to FILE.csv or FILE.xlsx")
    p.set_defaults(func=cmd_params)
