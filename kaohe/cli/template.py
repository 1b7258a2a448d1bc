"""Sub-command ``kaohe template``: the workbook the offices fill in."""

from __future__ import annotations

import sys
from pathlib import Path

from kaohe.core.errors import KaoheError


def cmd_template(args) -> int:
    from kaohe.inputs import dataset
    from kaohe.output import office_template as template
    from kaohe.rulebook import rules

    if not 1990 <= args.year <= 2100:
        raise KaoheError(f"--year {args.year}: a year between 1990 and 2100")
    if args.out.suffix.lower() != ".xlsx":
        raise KaoheError(f"--out {args.out}: the template is an .xlsx workbook (FILE.xlsx)")
    rb = rules.load()
    prefill = None
    if args.source:
        prefill = template.prefill_from(dataset.load(args.source, rb), args.year)
    template.write(args.out, args.year, prefill, rb)
    what = (f"units of {prefill.year} pre-filled for {args.year}" if prefill
            else "单位 sheet empty")
    print(f"wrote {args.out} ({len(rb.items)} items; {what})", file=sys.stderr)
    return 0


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    p = sub.add_parser(
        "template", help="an Excel template for the offices to fill in",
        description="Write an .xlsx workbook with the sheets 单位, 目标 and 台账 (Chinese headers, "
                    "dropdowns for 事项/角色/单位/完成, date and number checks) and a 说明 sheet "
                    "listing every item of the rulebook with its clause, values and columns.",
        epilog="example: kaohe template --year 2025 --from data/sample --out 2025台账模板.xlsx",
    )
    p.add_argument("--year", type=int, required=True, help="the assessment year to fill in")
    p.add_argument("--from", dest="source", type=Path, nargs="+", metavar="DATASET",
                   help="a previous data set: its latest year's units pre-fill the 单位 sheet "
                        "and the 单位 dropdown")
    p.add_argument("--out", type=Path, required=True, help="the workbook to write (FILE.xlsx)")
    p.set_defaults(func=cmd_template)
