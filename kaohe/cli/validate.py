"""Sub-command ``kaohe validate``: read and check a data set; the import report (text or workbook)."""

from __future__ import annotations

import sys
from pathlib import Path

from kaohe.cli.common import (
    SAMPLE,
    add_dataset,
    data_error_message,
    load_dataset,
    problem_headers,
    write_table,
)
from kaohe.core.errors import DataError, KaoheError
from kaohe.core.i18n import _


def _output(args) -> tuple[str, Path | None]:
    fmt = getattr(args, "format", None) or "text"
    out = getattr(args, "out", None)
    if out is not None and out.suffix.lower() == ".xlsx":
        fmt = "xlsx"
    if fmt == "xlsx" and out is None:
        raise KaoheError(_("--format xlsx writes a workbook: give it --out FILE.xlsx"))
    if out is not None and out.suffix.lower() != ".xlsx":
        raise KaoheError(_("--out {path}: the import report is written as FILE.xlsx").format(path=out))
    return fmt, out


def cmd_validate(args) -> int:
    from kaohe.output.import_report import report_from_dataset, report_from_error, report_lines, write_xlsx

    fmt, out = _output(args)
    name = ", ".join(p.name or str(p) for p in (args.dataset or [SAMPLE]))
    try:
        ds = load_dataset(args)
    except DataError as e:
        rep = report_from_error(e, name)
        print(data_error_message(e, "validate"), file=sys.stderr)
        for line in report_lines(rep):
            print(line)
        if args.problems:
            write_table(e.problems, args.problems, _("Problems"), _("Data problems"), problem_headers())
        if fmt == "xlsx":
            write_xlsx(rep, out)
            print(_("wrote {path}").format(path=out), file=sys.stderr)
        return 1
    rep = report_from_dataset(ds)
    print(_("OK: {name}: no problems").format(name=ds.name))
    for line in report_lines(rep):
        print(line)
    if args.problems:  # a header-only table: a file left from an earlier run shows no old problems
        from kaohe.core import problems

        write_table(problems.empty(), args.problems, _("Problems"), _("Data problems"), problem_headers())
    if fmt == "xlsx":
        write_xlsx(rep, out)
        print(_("wrote {path}").format(path=out), file=sys.stderr)
    return 0


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    p = sub.add_parser("validate", help=_("check a data set and report every problem"),
                       description=_("Read and check a data set (a folder, workbooks, several paths); "
                                     "per workbook/file and sheet print the rows read, accepted and "
                                     "refused with every problem (row, column, value, what was "
                                     "expected), and when all is fine the ledger rows and points per "
                                     "unit. Exit code 1 when anything is wrong."))
    add_dataset(p)
    p.add_argument("--problems", type=Path, metavar=_("FILE"),
                   help=_("also write every problem to FILE.csv or FILE.xlsx"))
    p.add_argument("--format", choices=["text", "xlsx"], default=None,
                   help=_("xlsx: also write the report as a workbook (with --out FILE.xlsx): summary, "
                          "problems, per-unit figures, and each refused table with its rows highlighted"))
    p.add_argument("--out", type=Path, metavar=_("FILE"),
                   help=_("the report workbook (FILE.xlsx; implies --format xlsx)"))
    p.set_defaults(func=cmd_validate)
