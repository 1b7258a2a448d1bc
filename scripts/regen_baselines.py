"""Regenerate the nbval baselines: execute every notebook in notebooks/ in place.

    python scripts/regen_baselines.py [NAME ...]

Each notebook runs with papermill, with its default parameters (the bundled sample data),
kernel ``python3``, in the notebooks folder (as nbval and JupyterLab run it). The result is
cleaned of what changes on every run (papermill's and nbclient's timestamps and paths) and
replaces the notebook only when it executed without error, so the committed notebooks are
the executed baselines that ``pytest --nbval`` compares against. Run it after changing a
notebook, the views/charts it shows, the sample data or a pinned library (pandas, plotly).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill as pm

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
VOLATILE_CELL_KEYS = ("papermill", "execution")


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-specific metadata (timestamps, durations, paths, random ids); keep tags and
    outputs."""
    from kaohe.report.generation import stable

    nb = stable(nb)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    return nb


def regenerate(path: Path) -> float:
    """Execute one notebook with its defaults and write it back in place; seconds taken."""
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        nb = pm.execute_notebook(str(path), str(out), kernel_name="python3", progress_bar=False,
                                 cwd=str(path.parent), request_save_on_cell_execute=False,
                                 execution_timeout=600,
                                 extra_arguments=["--IPKernelApp.log_level=ERROR"])
    nbformat.write(clean(nb), str(path))
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="notebook names (default: every notebook in notebooks/)")
    args = ap.parse_args(argv)
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if args.names:
        wanted = {n.removesuffix(".ipynb") for n in args.names}
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            print(f"no such notebook(s) in {NOTEBOOKS}: {', '.join(sorted(missing))}", file=sys.stderr)
            return 1
    for p in paths:
        try:
            secs = regenerate(p)
        except pm.PapermillExecutionError as e:
            print(f"{p.name}: FAILED in cell {e.cell_index}: {e.ename}: {e.evalue} (left unchanged)",
                  file=sys.stderr)
            return 1
        print(f"{p.relative_to(ROOT)}: executed in {secs:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
