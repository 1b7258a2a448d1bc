"""Benchmark: one year's report next to the floor, in the same run.

    python benchmarks/bench_report.py [--repeat 3] [--year 2024] [DATASET]

floor   papermill executes an empty notebook that only imports pandas and plotly (kernel
        start, the imports, kernel shutdown): what any papermill report costs at least.
report  ``kaohe report DATASET --year Y --notebooks annual_report``: reading and checking the
        data set, the notebook's execution, its offline HTML export and the Excel workbook.

Each measurement runs in a fresh process (imports done before the clock starts, so the
report's time includes building the HTML exporter, as a real run does); floor and report
alternate. kaohe is byte-compiled first, as installing a wheel does (pandas and plotly come
compiled): with PYTHONDONTWRITEBYTECODE set, an editable checkout would otherwise be compiled
from source again in every kernel. Prints every time, the medians and their ratio (target: report ≤ 1.5 × floor).

sizes   then the whole suite once (annual_report, fairness, whatif) and every page's size
        (target: ≤ 1.5 MB each, with the partial plotly.js bundle of ``kaohe.charts.bundle``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = r"""
import json, sys, time, nbformat, papermill as pm
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    "import pandas as pd\nimport plotly.graph_objects as go")])
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
src, dst, cwd = sys.argv[1] + "/empty.ipynb", sys.argv[1] + "/empty.out.ipynb", sys.argv[1]
nbformat.write(nb, src)
t = time.perf_counter()
pm.execute_notebook(src, dst, kernel_name="python3", progress_bar=False, cwd=cwd,
                    request_save_on_cell_execute=False,
                    extra_arguments=["--IPKernelApp.log_level=ERROR"])
print(json.dumps({"seconds": time.perf_counter() - t}))
"""

REPORT = r"""
import contextlib, io, json, sys, time
from kaohe import cli
from kaohe.report import generation  # noqa: F401
import papermill, nbconvert  # noqa: F401  (imported before the clock, as for the floor)
argv = ["report", sys.argv[2], "--year", sys.argv[3], "--out", sys.argv[1], "--notebooks", "annual_report",
        "--jobs", "1", "--quiet"]
t = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = cli.main(argv)
print(json.dumps({"seconds": time.perf_counter() - t, "code": code}))
"""


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False,
                         cwd=ROOT)
    if out.returncode:
        sys.exit(f"benchmark process failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _compile() -> None:
    """Byte-compile kaohe (see the module docstring)."""
    import compileall

    compileall.compile_dir(ROOT / "kaohe", quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", nargs="?", default=str(ROOT / "data" / "sample"))
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    _compile()
    floors, reports = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            f = run(FLOOR, tmp)["seconds"]
            r = run(REPORT, str(Path(tmp) / f"r{i}"), args.dataset, str(args.year))
            if r["code"]:
                sys.exit("kaohe report failed")
            floors.append(f)
            reports.append(r["seconds"])
            print(f"run {i + 1}: floor {f:6.2f} s   report {r['seconds']:6.2f} s")
        fm, rm = statistics.median(floors), statistics.median(reports)
        print(f"\nfloor  (empty notebook: import pandas, plotly)       median {fm:6.2f} s")
        print(f"report ({args.year}: annual notebook + HTML + xlsx)      median {rm:6.2f} s")
        print(f"ratio  report / floor = {rm / fm:.2f}  (target ≤ 1.5)")
        page_sizes(Path(tmp) / "suite", args.dataset, args.year)


LIMIT = 1_500_000  # bytes per page


def page_sizes(out: Path, dataset: str, year: int) -> None:
    """Run the whole suite once and print every page's size against the limit."""
    from kaohe.charts import bundle

    code = subprocess.run([sys.executable, "-m", "kaohe", "report", dataset, "--year", str(year), "--out",
                           str(out), "--quiet"], capture_output=True, text=True, check=False, cwd=ROOT)
    if code.returncode:
        sys.exit(f"kaohe report failed:\n{code.stderr}")
    print(f"\npages of {year} (plotly.js: {'partial bundle' if bundle.available() else 'FULL bundle'})")
    worst = 0
    for page in sorted((out / str(year)).glob("*.html")):
        size = page.stat().st_size
        worst = max(worst, size)
        print(f"  {page.name:<22} {size / 1e6:6.2f} MB  {'ok' if size <= LIMIT else 'OVER'}")
    print(f"largest page {worst / 1e6:.2f} MB  (target ≤ {LIMIT / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
