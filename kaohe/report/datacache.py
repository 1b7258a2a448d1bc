"""A validated data set, and each year's scored report, handed from ``kaohe report`` to its
notebooks' kernels.

``kaohe report`` reads and checks the data set once; every notebook it runs (each year,
each notebook, each in its own kernel) would otherwise read and check it again, and score it.
The report writes the loaded :class:`~kaohe.dataset.Dataset` to a private temporary file
named in the environment the kernels inherit (:data:`ENV`); then, while the kernels start,
each year's :class:`~kaohe.views.Annual` — scored, with the views the annual report shows
already computed (:func:`prime`) — beside it. :func:`annual` returns the year's report when
it is there, made from the same files, unchanged since (paths, sizes and modification times),
in the language in use; else the data set (same conditions) scored here; else None, and the
notebook reads the data set itself. Either way the notebook shows the same figures: the
hand-over only saves the kernel the work.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

ENV = "KAOHE_DATASET_CACHE"


def fingerprint(paths) -> tuple:
    """The files a data set is read from, with their sizes and modification times."""
    out = []
    for p in sorted(Path(p).resolve() for p in paths):
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for f in files:
            st = f.stat()
            out.append((str(f), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _dump(data: dict, file: Path) -> None:
    """Write atomically: a kernel never sees half a file."""
    file = Path(file)
    tmp = file.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, file)


def _read(file, paths, **match):
    """The pickled ``file``'s data when its fingerprint is that of ``paths`` and its other
    fields equal ``match``; else None."""
    if not file or not Path(file).is_file():
        return None
    try:
        with open(file, "rb") as f:
            data = pickle.load(f)  # noqa: S301 - our own file, in a private temporary folder
        if data["fingerprint"] != fingerprint(paths) or any(data.get(k) != v for k, v in match.items()):
            return None
        return data
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError):
        return None


def save(ds, paths, file: Path) -> None:
    """Write a loaded data set for :func:`load`."""
    _dump({"fingerprint": fingerprint(paths), "dataset": ds}, file)


def load(paths):
    """The data set ``kaohe report`` already loaded from ``paths``, or None."""
    data = _read(os.environ.get(ENV), paths)
    return None if data is None else data["dataset"]


def report_file(file: Path, year: int, period: str) -> Path:
    """Where a year's report goes, beside the data set's file."""
    return Path(file).with_name(f"annual-{int(year)}-{period}.pickle")


def prime(report):
    """Compute (once, on its scores) the views an annual report shows; return the report."""
    from kaohe.output import summary, views

    sc, year, period = report.scores, report.year, report.period
    for y in views.year_labels(sc, year, period):
        views.ranking_in(sc, y, year, period)
    summary.overview(sc, year, period)
    views.results(sc, year, period)
    views.per_capita(sc, year)
    views.over_years(sc, year, period)
    views.section_split(sc, year)
    views.deductions(sc, year)
    views.ineligible(sc, year)
    views.profiles(sc, year, period)
    views.goals_status(sc, year, period)
    views.data_summary(sc, year)
    return report


def save_report(report, paths, file: Path) -> None:
    """Write a year's report (see :func:`prime`) for :func:`annual`, in the language in use."""
    from kaohe.core.i18n import language

    _dump({"fingerprint": fingerprint(paths), "language": language(), "year": report.year,
           "period": report.period, "report": report},
          report_file(file, report.year, report.period))


def annual(dataset, year: int, period: str = "year", rulebook=None):
    """:func:`kaohe.output.views.annual` for a report kernel: the year's report or the data
    set handed over by ``kaohe report`` (when still current) instead of reading it again.
    ``dataset=None`` is kaohe's bundled sample data set (a notebook's default)."""
    from kaohe.core.i18n import language
    from kaohe.output import views
    from kaohe.report import defaults

    dataset = defaults.dataset(dataset)  # None: the bundled sample data set
    if rulebook is None and isinstance(dataset, (str, Path, list, tuple)):
        paths = [dataset] if isinstance(dataset, (str, Path)) else list(dataset)
        source = ", ".join(Path(p).name for p in paths)
        name = os.environ.get(ENV)
        if name:
            views.period_label(year, period)  # an unknown period: its error, not a miss
            done = _read(report_file(name, year, period), paths, language=language(), year=int(year),
                         period=period)
            if done is not None:
                report = done["report"]
                report.source = source
                return report
        ds = load(paths)
        if ds is not None:
            report = views.annual(ds, year, period)
            report.source = source
            return report
    return views.annual(dataset, year, period, rulebook)
