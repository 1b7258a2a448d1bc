"""Benchmark: one year's report next to the floor, in the same run.

    python benchmarks/bench_report.py [--repeat 3] [--year 2024] [DATASET]

floor   papermill executes an empty notebook that only imports pandas and plotly (kernel
        start, the imports, kernel shutdown): what any papermill report costs at least.
report  ``kaohe report`` for one year, annual notebook only: notebook execution + offline
        HTML export + Excel workbook (``kaohe.report.generation.generate``, one job).

Each measurement runs in a fresh process (imports done before the clock starts, so the
report's time includes building the HTML exporter, as a real run does); floor and report
alternate. Prints every time, the medians and their ratio (target: report ≤ 1.5 × floor).
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
import json, sys, time
from kaohe.report import generation
import papermill, nbconvert  # noqa: F401  (imported before the clock, as for the floor)
t = time.perf_counter()
done = generation.generate([sys.argv[2]], [int(sys.argv[3])], sys.argv[1], jobs=1, progress=False,
                           only=["annual_report"])
print(json.dumps({"seconds": time.perf_counter() - t,
                  "parts": {d.what: round(d.seconds, 3) for d in done}}))
"""


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False,
                         cwd=ROOT)
    if out.returncode:
        sys.exit(f"benchmark process failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dataset", nargs="?", default=str(ROOT / "data" / "sample"))
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    floors, reports = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            f = run(FLOOR, tmp)["seconds"]
            r = run(REPORT, str(Path(tmp) / f"r{i}"), args.dataset, str(args.year))
            floors.append(f)
            reports.append(r["seconds"])
            print(f"run {i + 1}: floor {f:6.2f} s   report {r['seconds']:6.2f} s   "
                  f"(parts: {', '.join(f'{k} {v:.2f} s' for k, v in r['parts'].items())})")
    fm, rm = statistics.median(floors), statistics.median(reports)
    print(f"\nfloor  (empty notebook: import pandas, plotly)       median {fm:6.2f} s")
    print(f"report ({args.year}: annual notebook + HTML + xlsx)      median {rm:6.2f} s")
    print(f"ratio  report / floor = {rm / fm:.2f}  (target ≤ 1.5)")


if __name__ == "__main__":
    main()
