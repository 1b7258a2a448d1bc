"""Sub-command ``kaohe report``: each year's notebook, offline HTML page and Excel workbook."""

from __future__ import annotations

import sys
from pathlib import Path

from kaohe.cli.common import SAMPLE, add_dataset, whole_number, year_number
from kaohe.cli.notice import add_official, parse_date
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _, language, ngettext

DEFAULT_OUT = Path("reports")
MAX_TIMEOUT = 86_400  # seconds a cell may run: a day


def cmd_report(args) -> int:
    from kaohe.inputs import dataset
    from kaohe.report import generation

    paths = args.dataset or [SAMPLE]
    spec = args.years if args.years is not None else args.year
    if not 1 <= args.timeout <= MAX_TIMEOUT:
        raise KaoheError(_("--timeout {n}: expected a number of seconds from 1 to {max}").format(
            n=args.timeout, max=MAX_TIMEOUT))
    if args.jobs is not None and args.jobs < 1:
        raise KaoheError(_("--jobs must be at least 1"))
    ds = dataset.load(paths)  # data and years checked before any kernel starts or file is made
    years = generation.parse_years(spec, ds.years)
    jobs = args.jobs if args.jobs is not None else generation.default_jobs(len(years))
    out = args.out
    only = None
    if args.notebooks:
        only = [n.strip().removesuffix(".ipynb") for n in args.notebooks.split(",") if n.strip()]
        known = [nb.name for nb in generation.NOTEBOOKS]
        unknown = [n for n in only if n not in known]
        if unknown:
            raise KaoheError(_("--notebooks: unknown notebook(s) {names}").format(names=", ".join(unknown)),
                             [_("the report suite: {names}").format(names=", ".join(known))])
    if args.pdf and generation.chromium() is None:  # say so before any kernel starts
        generation.write_pdf(Path("-"), None)
    from kaohe.charts import bundle

    if bundle.note():
        print(bundle.note(), file=sys.stderr)
    label = ", ".join(map(str, years)) + (_(" (first half, to 30 June)") if args.period == "H1" else "")
    name = ", ".join(Path(p).name or str(p) for p in paths)
    print("kaohe report: " + ngettext("{name}, {years} → {out}/ ({n} job)", "{name}, {years} → {out}/ ({n} jobs)",
                                      jobs).format(name=name, years=label, out=out, n=jobs), file=sys.stderr)
    official = {"issuer": args.issuer, "day": parse_date(args.date), "commend": args.commend}
    done = generation.generate([str(p) for p in paths], years, out, args.period, jobs, args.timeout,
                               progress=not args.quiet, only=only, loaded=ds, lang=language(),
                               title=args.title or name, pdf=args.pdf, official=official)
    for year in years:
        files = sorted({p for d in done if d.year == year for p in d.paths})
        folder = generation.year_dir(out, year, args.period)
        print(f"{folder}/: " + ", ".join(p.name for p in files))
    return 0


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    p = sub.add_parser(
        "report", help=_("each year's report: executed notebook, offline HTML, Excel workbook"),
        description=_("Run the report notebooks (papermill) for each year of a data set and write, "
                      "per year, the executed notebooks, offline HTML pages (no network needed) "
                      "and an Excel workbook for official use into OUT/<year>/ (OUT/<year>-H1/ for "
                      "the half-year view)."))
    add_dataset(p, optional=True)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--year", type=year_number, metavar=_("YEAR"), help=_("one year (default: every year of the data set)"))
    g.add_argument("--years", metavar="A-B", help=_("a range of years, e.g. 2022-2024 (or one year)"))
    p.add_argument("--period", choices=["year", "H1"], default="year",
                   help=_("year: the whole year; H1: the half-year inspection, the "
                          "ledger up to 30 June, goals in progress"))
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar=_("FOLDER"),
                   help=_("output folder (default: reports)"))
    p.add_argument("--jobs", type=whole_number, default=None, metavar="N",
                   help=_("notebooks run at once, each in its own kernel (default: one per core, at "
                          "most one per year)"))
    p.add_argument("--notebooks", metavar=_("NAMES"),
                   help=_("only these notebooks, comma-separated (default: the whole suite: "
                          "annual_report, fairness, whatif)"))
    p.add_argument("--timeout", type=whole_number, default=600, metavar=_("SECONDS"),
                   help=_("seconds a notebook cell may run (default: 600)"))
    p.add_argument("--quiet", action="store_true", help=_("no progress bar"))
    p.add_argument("--title", metavar=_("TITLE"),
                   help=_("the data set's name shown on every page, e.g. the organ's name (default: the folder or "
                          "file name)"))
    p.add_argument("--pdf", action="store_true",
                   help=_("also print each page to PDF (A4) with headless Chromium"))
    add_official(p)
    p.set_defaults(func=cmd_report, out_kind="folder")
