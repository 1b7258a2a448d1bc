"""Sub-command ``kaohe report``: each year's notebook, offline HTML page and Excel workbook."""

from __future__ import annotations

import sys
from pathlib import Path

from kaohe.cli.common import SAMPLE, add_dataset
from kaohe.cli.notice import add_official, parse_date
from kaohe.core.errors import KaoheError

DEFAULT_OUT = Path("reports")


def cmd_report(args) -> int:
    from kaohe.inputs import dataset
    from kaohe.report import generation

    paths = args.dataset or [SAMPLE]
    spec = args.years if args.years is not None else args.year
    if spec is None:  # every year of the data set: read it first
        ds = dataset.load(paths)
        years = generation.parse_years(None, ds.years)
    else:  # the years are known: the data set is checked while the first kernel starts
        ds = None
        years = generation.parse_years(spec, None)
    jobs = args.jobs if args.jobs is not None else generation.default_jobs(len(years))
    if jobs < 1:
        raise KaoheError("--jobs must be at least 1")
    out = args.out
    only = None
    if args.notebooks:
        only = [n.strip().removesuffix(".ipynb") for n in args.notebooks.split(",") if n.strip()]
        known = [nb.name for nb in generation.NOTEBOOKS]
        unknown = [n for n in only if n not in known]
        if unknown:
            raise KaoheError(f"--notebooks: unknown notebook(s) {', '.join(unknown)}",
                             [f"the report suite: {', '.join(known)}"])
    label = ", ".join(map(str, years)) + (" (H1, to 30 June)" if args.period == "H1" else "")
    name = ", ".join(Path(p).name or str(p) for p in paths)
    print(f"kaohe report: {name}, {label} → {out}/ ({jobs} job{'s' if jobs > 1 else ''})",
          file=sys.stderr)
    official = {"issuer": args.issuer, "day": parse_date(args.date), "commend": args.commend}
    done = generation.generate([str(p) for p in paths], years, out, args.period, jobs, args.timeout,
                               progress=not args.quiet, only=only, loaded=ds,
                               check=None if ds is not None else (lambda: dataset.load(paths)),
                               official=official)
    for year in years:
        files = sorted({p for d in done if d.year == year for p in d.paths})
        folder = generation.year_dir(out, year, args.period)
        print(f"{folder}/: " + ", ".join(p.name for p in files))
    return 0


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    p = sub.add_parser(
        "report", help="each year's report: executed notebook, offline HTML, Excel workbook",
        description="Run the report notebooks (papermill) for each year of a data set and write, "
                    "per year, the executed notebooks, offline HTML pages (no network needed) "
                    "and an Excel workbook for official use into OUT/<year>/ (OUT/<year>-H1/ for "
                    "the half-year view).")
    add_dataset(p, optional=True)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--year", type=int, help="one year (default: every year of the data set)")
    g.add_argument("--years", metavar="A-B", help="a range of years, e.g. 2022-2024 (or one year)")
    p.add_argument("--period", choices=["year", "H1"], default="year",
                   help="year: the whole year; H1: the half-year inspection (半年集中督查), the "
                        "ledger up to 30 June, goals in progress")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: reports)")
    p.add_argument("--jobs", type=int, default=None,
                   help="notebooks run at once, each in its own kernel (default: one per core, at "
                        "most one per year)")
    p.add_argument("--notebooks", metavar="NAMES",
                   help="only these notebooks, comma-separated (default: the whole suite: "
                        "annual_report, fairness, whatif)")
    p.add_argument("--timeout", type=int, default=600, help="seconds a notebook cell may run (default: 600)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_official(p)
    p.set_defaults(func=cmd_report)
