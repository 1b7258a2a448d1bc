"""Sub-command ``kaohe notice``: the draft 考核结果报告 (or the half-year 督查情况通报) as .docx
in the GB/T 9704-2012 layout."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from kaohe.cli.common import add_dataset, load_dataset, pick_year, whole_number, year_number
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _


def parse_date(text: str | None) -> dt.date | None:
    """``--date YYYY-MM-DD`` (None: today, or SOURCE_DATE_EPOCH's date)."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise KaoheError(_("--date {value}: write a date as year-month-day, e.g. 2025-01-10").format(value=text)) from None


def add_official(p) -> None:
    """``--issuer``, ``--date`` and ``--commend``: what the official documents are signed with."""
    p.add_argument("--issuer", default="", metavar=_("ISSUER"),
                   help=_("the issuing office (the signature and the table's sign-off); default: left blank"))
    p.add_argument("--date", metavar=_("DATE"), help=_("the document date, e.g. 2025-01-10 (default: today)"))
    p.add_argument("--commend", type=whole_number, default=None, metavar="N",
                   help=_("propose the first N eligible units by rank for commendation (default: none listed)"))


def cmd_notice(args) -> int:
    from kaohe.output import notice, views

    day = parse_date(args.date)
    if args.commend is not None and args.commend < 0:
        raise KaoheError(_("--commend must be 0 or more"))
    ds = load_dataset(args)
    year = pick_year(ds, args.year)
    report = views.annual(ds, year, args.period)
    out = args.out or Path(notice.name(year, args.period))
    if out.suffix.lower() != ".docx":
        raise KaoheError(_("--out {path}: write a .docx file").format(path=out))
    notice.write(report, out, args.issuer, day, args.commend, args.heading)
    print(_("wrote {path}").format(path=out), file=sys.stderr)
    note = notice.commend_note(report, args.commend)
    if note:
        print(note, file=sys.stderr)
    return 0


def register(sub) -> None:
    """Add this module's sub-command to the `kaohe` parser."""
    p = sub.add_parser("notice", help=_("the draft results report (.docx, GB/T 9704-2012)"),
                       description=_("Write the draft report on the year's assessment results (for --period H1: "
                                     "the half-year inspection notice) as a Word document in the GB/T 9704-2012 "
                                     "layout, every figure from the published table."))
    add_dataset(p)
    p.add_argument("--year", type=year_number, required=True, metavar=_("YEAR"), help=_("assessment year"))
    p.add_argument("--period", choices=["year", "H1"], default="year",
                   help=_("year: the whole year; H1: the half-year inspection, to 30 June"))
    p.add_argument("--out", type=Path, metavar=_("FILE"), help=_("the .docx file (default: the document's title in this folder)"))
    add_official(p)
    p.add_argument("--heading", metavar=_("HEADING"),
                   help=_("the document's heading (default: the standard heading of the report, for H1 of the notice)"))
    p.set_defaults(func=cmd_notice)
