"""Sub-command ``kaohe template``: the workbook the offices fill in."""

from __future__ import annotations

import sys
from pathlib import Path

from kaohe.cli.common import year_number
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _


def cmd_template(args) -> int:
    from kaohe.inputs import dataset
    from kaohe.output import office_template as template
    from kaohe.rulebook import rules

    if not 1990 <= args.year <= 2100:
        raise KaoheError(_("--year {year}: a year between 1990 and 2100").format(year=args.year))
    if args.out.suffix.lower() != ".xlsx":
        raise KaoheError(_("--out {path}: the template is an .xlsx workbook (FILE.xlsx)").format(path=args.out))
    rb = rules.load()
    prefill = None
    if args.source:
        prefill = template.prefill_from(dataset.load(args.source, rb), args.year)
    template.write(args.out, args.year, prefill, rb)
    what = (_("units of {source} pre-filled for {year}").format(source=prefill.year, year=args.year)
            if prefill else _("units sheet left empty"))
    print(_("wrote {path} ({n} items; {what})").format(path=args.out, n=len(rb.items), what=what),
          file=sys.stderr)
    return 0


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    p = sub.add_parser(
        "template", help=_("an Excel template for the offices to fill in"),
        description=_("Write an .xlsx workbook with the sheets for units, goals and the ledger "
                      "(Chinese headers, dropdowns for item, role, unit and completed, date and number "
                      "checks) and a sheet listing every item of the rulebook with its clause, values "
                      "and columns."),
        epilog=_("example: {example}").format(
            example="kaohe template --year 2025 --from data/sample --out "
                    + _("ledger_template_{year}.xlsx").format(year=2025)),
    )
    p.add_argument("--year", type=year_number, required=True, metavar=_("YEAR"),
                   help=_("the assessment year to fill in"))
    p.add_argument("--from", dest="source", type=Path, nargs="+", metavar=_("DATASET"),
                   help=_("a previous data set: its latest year's units pre-fill the units sheet "
                          "and the unit dropdown"))
    p.add_argument("--out", type=Path, required=True, metavar=_("FILE"),
                   help=_("the workbook to write (FILE.xlsx)"))
    p.set_defaults(func=cmd_template)
