"""Benchmark: each ``kaohe`` command's whole process on the bundled sample (start-up included).

    python benchmarks/bench_cli.py [--repeat 5]

Runs every command as a user does (the ``kaohe`` console script, a fresh process each time),
interleaved, and prints per command the median wall seconds, the peak RSS and the heavy
modules it imported (from ``python -X importtime``), next to the floors: an empty Python and
``import pandas``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
HEAVY = ("plotly", "papermill", "scipy", "ipywidgets", "nbconvert", "nbformat", "jupyter_client",
         "xlsxwriter", "openpyxl", "python_calamine", "duckdb")


def commands(out: Path) -> dict[str, list[str]]:
    s = str(SAMPLE)
    return {
        "score": ["score", s, "--year", "2024"],
        "explain": ["explain", s, "--year", "2024", "--unit", "办公厅"],
        "validate": ["validate", s],
        "params": ["params"],
        "score --out x.xlsx": ["score", s, "--year", "2024", "--out", str(out / "x.xlsx")],
        "compare": ["compare", s, "--year", "2024", "--scenario", str(ROOT / "data/scenarios/no_division.yaml")],
        "fairness": ["fairness", s, "--year", "2024"],
        "weights": ["weights", s, "--year", "2024"],
        "uncertainty": ["uncertainty", s, "--year", "2024", "--samples", "10000"],
        "sensitivity": ["sensitivity", s, "--year", "2024"],
        "sensitivity 100000": ["sensitivity", s, "--year", "2024", "--samples", "100000"],
        "template": ["template", "--year", "2025", "--out", str(out / "t.xlsx")],
    }


def run(cmd: list[str], env=None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) and stderr of one fresh process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, env or os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        dt = time.perf_counter() - t0
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(cmd)} failed:\n{text[-3000:]}")
        return dt, usage.ru_maxrss / 1024, text


def heavy_imports(args: list[str]) -> list[str]:
    """Top-level heavy packages a command imports (``-X importtime``)."""
    _, _, text = run([sys.executable, "-X", "importtime", "-m", "kaohe.cli", *args])
    found = set()
    for line in text.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            top = name.split(".")[0]
            if top in HEAVY:
                found.add(top)
    return sorted(found)


def _compile() -> None:
    """Byte-compile kaohe first, as installing a wheel does (with PYTHONDONTWRITEBYTECODE set,
    an editable checkout would otherwise be compiled again in every measured process)."""
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parents[1] / "kaohe", quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="runs per command (median reported)")
    ap.add_argument("--only", help="comma-separated command names (default: all)")
    args = ap.parse_args()
    _compile()
    kaohe = str(Path(sys.executable).with_name("kaohe"))
    with tempfile.TemporaryDirectory() as tmp:
        cmds = {"(python -c pass)": [sys.executable, "-c", "pass"],
                "(import pandas)": [sys.executable, "-c", "import pandas"]}
        for name, a in commands(Path(tmp)).items():
            if args.only and name not in args.only.split(","):
                continue
            cmds[name] = [kaohe, *a]
        times: dict[str, list[float]] = {n: [] for n in cmds}
        rss: dict[str, float] = {n: 0.0 for n in cmds}
        for _ in range(args.repeat):  # interleaved: every command once per round
            for name, cmd in cmds.items():
                t, m, _ = run(cmd)
                times[name].append(t)
                rss[name] = max(rss[name], m)
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
              f"median of {args.repeat}, interleaved")
        print(f"{'command':<20} {'seconds':>7} {'peak MiB':>8}  heavy imports")
        for name, cmd in cmds.items():
            heavy = ", ".join(heavy_imports(cmd[1:])) if cmd[0] == kaohe else ""
            print(f"{name:<20} {statistics.median(times[name]):>7.2f} {rss[name]:>8.0f}  {heavy or '-'}")


if __name__ == "__main__":
    main()
