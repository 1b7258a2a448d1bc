"""Sub-commands ``kaohe score``, ``explain`` and ``params``: the published table, a unit's points
clause by clause, and the rulebook's parameters."""

from __future__ import annotations

import sys
from pathlib import Path

from kaohe.cli.common import (
    add_dataset,
    add_scenario,
    add_year,
    bilingual,
    load_dataset,
    names_in,
    pick_year,
    rulebook_for,
    scenario_names,
    write_rows,
    write_table,
    xlsx_sheets,
)
from kaohe.cli.notice import parse_date
from kaohe.core import labels
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _, ngettext


def cmd_score(args) -> int:
    from kaohe.engine.score import score

    xlsx = args.out is not None and args.out.suffix.lower() == ".xlsx"
    if not xlsx and (args.issuer or args.date):
        print(_("kaohe: warning: {warning}").format(warning=_(
            "--issuer and --date fill the signature block of an .xlsx table (--out FILE.xlsx); "
            "a CSV table has none, so they are not used")), file=sys.stderr)
    rb = rulebook_for(args)
    ds = load_dataset(args, rb)
    year = pick_year(ds, args.year)
    sc = score(ds, rb, with_reasons=False)
    if xlsx:  # the official one-page table
        from kaohe.output.views import results_title
        from kaohe.report.workbook import write_results

        title = results_title(year)  # the report workbook's title for the same year
        write_results(sc, year, args.out, title + what_if_title(args), args.issuer, parse_date(args.date))
        print(_("wrote {path}").format(path=args.out), file=sys.stderr)
        return 0
    say_what_if(args)
    write_table(sc.table(year), args.out, _("{year} results").format(year=year),
                _("{year} annual target-responsibility assessment results").format(year=year),
                labels.headers())
    return 0


def what_if_title(args) -> str:
    """「（情景测算：…）」 after a title when scenarios apply (empty without)."""
    if not args.scenario:
        return ""
    return _(" (what-if: {names})").format(names=_("; ").join(scenario_names(args)))


def say_what_if(args) -> None:
    """One line on stderr when scenarios apply: the output is a what-if, not the official result."""
    if args.scenario:
        print(_("kaohe: what-if ({names}), not the official result: computed with changed rules").format(
            names=_("; ").join(scenario_names(args))), file=sys.stderr)


def cmd_explain(args) -> int:
    from kaohe.engine.explain import explain_text, unit_lines
    from kaohe.engine.score import score

    rb = rulebook_for(args)
    ds = load_dataset(args, rb)
    year = pick_year(ds, args.year)
    sc = score(ds, rb, with_reasons=False)  # the unit's lines are worded when shown
    if args.out:
        cols = ["component", "clause", "item_zh", "file", "sheet", "row", "date", "person", "subject",
                "reason", "points", "item"]
        from kaohe.engine.exact import exact_points

        lines = unit_lines(sc, year, args.unit).copy()
        lines["points"] = exact_points(lines["points_u"])
        lines["component"] = [labels.component(rb, c) for c in lines["component"].astype(str)]
        names = labels.items(rb)
        lines["item_zh"] = [names.get(c, c) for c in lines["item"].astype(str)]
        lines["row"] = lines["row"].astype("Int64").where(lines["source"].to_numpy() != "rulebook")  # none for a rulebook line
        title = _("{unit} {year}: points line by line").format(unit=args.unit, year=year) + what_if_title(args)
        if args.out.suffix.lower() == ".xlsx":  # the account first (it adds up to the table), then the lines
            from kaohe.engine.explain import explain_summary
            from kaohe.output import excel
            from kaohe.report.workbook import what_if_note

            summary = explain_summary(sc, year, args.unit)
            heads = labels.headers()
            sheets = [
                *xlsx_sheets(summary, _("Account"), _("{unit} {year}: points clause by clause").format(
                    unit=args.unit, year=year) + what_if_title(args),
                    {**heads, "lines": _("ledger lines"), "note": _("how")}),
                *xlsx_sheets(lines[cols], _("Audit lines"), title, heads)]
            if args.scenario:
                sheets[0].note = _("Note: ") + what_if_note(rb).strip()
            excel.write(args.out, sheets)
            print(_("wrote {path}").format(path=args.out), file=sys.stderr)
        else:
            say_what_if(args)
            table = bilingual(lines[cols], "item_zh", lambda c: labels.items(rb).get(c, c), lines["item"].astype(str),
                              "item_en")
            write_table(table, args.out, _("Audit lines"), title)
    else:
        if args.scenario:
            from kaohe.report.workbook import what_if_changes

            print(_("What-if ({names}), not the official result: computed with changed rules ({changes}).").format(
                names=_("; ").join(scenario_names(args)), changes=what_if_changes(rb)))
        print(explain_text(sc, year, args.unit))
    return 0


def params_view(rb) -> list[dict[str, str]]:
    """The parameters as a reader sees them: name, clause, value in words (a comparison in
    words, a number with its unit), rulebook value, note, and the code last."""
    ps = rb.params
    return [{**r, "zh": labels.param(ps[r["name"]]),
             "value_label": labels.param_unit(ps[r["name"]], labels.choice(rb, rb[r["name"]])),
             "default_label": labels.param_unit(ps[r["name"]], labels.choice(rb, ps[r["name"]].default)),
             "note": labels.param_note(ps[r["name"]])}
            for r in rb.params_rows()]


def cmd_params(args) -> int:
    if args.changed and not args.scenario:  # nothing to compare with: say so before any work
        raise KaoheError(_("--changed lists what a scenario changes: give the scenario with --scenario FILE"))
    rb = rulebook_for(args)
    t = params_view(rb)
    if args.changed:
        t = [r for r in t if r["default"] != r["value"]]
    heads = labels.headers("params")
    if args.format == "csv" or args.out:
        cols = ["name", "default", "value", "clause", "zh", "kind", "note"]
        if args.out:  # a workbook or CSV for people: words first, the code last
            cols = ["zh", "clause", "value_label", "default_label", "note", "name"]
        if args.out is not None and args.out.suffix.lower() == ".xlsx":  # numbers as numbers, their unit beside
            t = [{**r, **labels.param_cells(rb, r["name"])} for r in t]
            cols = ["zh", "clause", "value_label", "default_label", "unit", "note", "name"]
        else:  # CSV: zh is Chinese, en English
            names = [r["name"] for r in t]
            for lang, col in (("zh_CN", "zh"), ("en", "en")):
                for r, n in zip(t, names_in(lang, lambda c: labels.param(rb.params[c]), names)):
                    r[col] = n
            cols = [*cols, "en"]
        write_rows(cols, t, args.out, _("Parameters"), _("Assessment rule parameters"), heads,
                   dict.fromkeys(("value_label", "default_label"), "General"))  # 40, 0.2, 15 as written
        return 0
    show_value = bool(getattr(args, "scenario", None))
    cols = ["zh", "clause", "default_label"] + (["value_label"] if show_value else [])
    widths = {c: max([_width(heads[c]), *(_width(str(r[c])) for r in t)]) + 2 for c in cols}
    print("".join(_pad(heads[c], widths[c]) for c in cols) + heads["name"])
    for r in t:
        print("".join(_pad(str(r[c]), widths[c]) for c in cols) + r["name"])
    print("\n" + ngettext("{n} parameter; override it in a scenario file by its code (see data/scenarios/).",
                          "{n} parameters; override them in a scenario file by their code (see data/scenarios/).",
                          len(t)).format(n=len(t)), file=sys.stderr)
    return 0


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    """Pad to a display width (CJK characters count double), at least one space."""
    return s + " " * max(1, width - _width(s))


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    p = sub.add_parser("score", help=_("the published table of a year"),
                       description=_("Score every unit of a year by the rulebook and print the "
                                     "published table (CSV) or write it to --out (.csv or .xlsx)."))
    add_dataset(p)
    add_year(p)
    add_scenario(p)
    p.add_argument("--out", type=Path, metavar=_("FILE"),
                   help=_("write to FILE.csv (UTF-8 with BOM) or FILE.xlsx"))
    p.add_argument("--issuer", default="", metavar=_("ISSUER"),
                   help=_("FILE.xlsx: the issuing office in the table's sign-off block"))
    p.add_argument("--date", metavar=_("DATE"),
                   help=_("FILE.xlsx: the date in the table's sign-off block, e.g. 2025-01-10 (default: today)"))
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("explain", help=_("why a unit got its points, clause by clause"),
                       description=_("Show a unit's audit lines grouped by clause, with subtotals "
                                     "that add up to its published figures."))
    add_dataset(p)
    add_year(p)
    p.add_argument("--unit", required=True, metavar=_("UNIT"), help=_("the unit's name as in the units table"))
    add_scenario(p)
    p.add_argument("--out", type=Path, metavar=_("FILE"),
                   help=_("write the lines to FILE.csv or FILE.xlsx instead"))
    p.set_defaults(func=cmd_explain)
    p = sub.add_parser("params", help=_("every rule parameter with its name, clause and value"),
                       description=_("List the rulebook's parameters: name, clause, value in words, "
                                     "and the code a scenario file overrides."))
    add_scenario(p)
    p.add_argument("--changed", action="store_true", help=_("only parameters a scenario changes"))
    p.add_argument("--format", choices=["text", "csv"], default="text",
                   help=_("text: a table to read; csv: the machine-readable list"))
    p.add_argument("--out", type=Path, metavar=_("FILE"), help=_("write to FILE.csv or FILE.xlsx"))
    p.set_defaults(func=cmd_params)
