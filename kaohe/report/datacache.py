"""A validated data set handed from ``kaohe report`` to its notebooks' kernels.

``kaohe report`` reads and checks the data set once; every notebook it runs (each year,
each notebook, each in its own kernel) would otherwise read and check it again. The report
writes the loaded :class:`~kaohe.dataset.Dataset` to a private temporary file and names it
in the environment the kernels inherit (:data:`ENV`); :func:`load` returns it only when it
was made from the same files, unchanged since (paths, sizes and modification times), else
None, and the notebook reads the data set itself.
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


def save(ds, paths, file: Path) -> None:
    """Write a loaded data set for :func:`load` (atomically: a kernel never sees half)."""
    file = Path(file)
    tmp = file.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"fingerprint": fingerprint(paths), "dataset": ds}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, file)


def load(paths):
    """The data set ``kaohe report`` already loaded from ``paths``, or None."""
    name = os.environ.get(ENV)
    if not name or not Path(name).is_file():
        return None
    try:
        with open(name, "rb") as f:
            data = pickle.load(f)  # noqa: S301 - our own file, in a private temporary folder
        return data["dataset"] if data["fingerprint"] == fingerprint(paths) else None
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError):
        return None


def annual(dataset, year: int, period: str = "year", rulebook=None):
    """:func:`kaohe.output.views.annual` for a report kernel: the data set handed over by
    ``kaohe report`` (when its fingerprint still matches) instead of reading it again."""
    from kaohe.output import views

    if rulebook is None and isinstance(dataset, (str, Path, list, tuple)):
        paths = [dataset] if isinstance(dataset, (str, Path)) else list(dataset)
        ds = load(paths)
        if ds is not None:
            report = views.annual(ds, year, period)
            report.source = ", ".join(Path(p).name for p in paths)
            return report
    return views.annual(dataset, year, period, rulebook)
