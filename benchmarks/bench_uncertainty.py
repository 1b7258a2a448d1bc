"""Benchmark: Monte Carlo rank intervals on the counts matrix against re-scoring per sample.

    python benchmarks/bench_uncertainty.py [--samples 10000] [--naive 20] [--year 2024]

On the bundled sample (12 units) and on a synthetic 15-unit data set (the generator of
bench_score.py), prints for the uncertainty analysis (every rule value varied ±20 %, the
denominator fixed and drawn at random): seconds and samples/s; the naive way — one
``Scores.rerun`` (a full re-scoring of the data set) per sample, timed over ``--naive``
samples and extrapolated — and the speed-up; the sensitivity analysis's model evaluations
per second; and the what-if panel's single-scenario evaluation time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from kaohe.analysis import sensitivity, uncertainty  # noqa: E402
from kaohe.analysis.counts import Counts  # noqa: E402
from kaohe.analysis.whatif import WhatIf  # noqa: E402
from kaohe.core.resources import sample_dir  # noqa: E402

SAMPLE = sample_dir()
from kaohe.engine import score  # noqa: E402
from kaohe.inputs import dataset  # noqa: E402


def best(f, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def naive(sc, c: Counts, params: list[str], n: int, spread: float, seed: int) -> float:
    """Seconds per sample when every sample re-scores the data set (Scores.rerun + table)."""
    rng = np.random.default_rng(seed)
    base = c.values[[c.pos[p] for p in params]]
    factors = rng.uniform(1 - spread, 1 + spread, (n, len(params)))
    t0 = time.perf_counter()
    for f in factors:
        overrides = {p: Decimal(str(round(float(v), 4))) for p, v in zip(params, base * f)}
        sc.rerun(overrides, with_reasons=False).table(c.year)
    return (time.perf_counter() - t0) / n


def bench(label: str, sc, year: int, samples: int, n_naive: int) -> None:
    t0 = time.perf_counter()
    c = Counts.from_scores(sc, year)
    build = time.perf_counter() - t0
    params = uncertainty.rule_values(c)
    print(f"\n{label}: {len(c.units)} units, {len(params)} rule values, {len(sc.dataset.ledger)} ledger rows "
          f"(counts matrix built in {build * 1000:.1f} ms)")
    t_mc = best(lambda: uncertainty.simulate(c, samples, 0.2, seed=1))
    t_den = best(lambda: uncertainty.simulate(c, samples, 0.2, seed=1,
                                              denominators=uncertainty.RANDOM_DENOMINATORS))
    per = naive(sc, c, params, n_naive, 0.2, seed=1)
    print(f"  {f'uncertainty, {samples} samples:':<44}{t_mc:.4f} s {samples / t_mc:>12,.0f} samples/s")
    print(f"  {'the same + random denominator:':<44}{t_den:.4f} s {samples / t_den:>12,.0f} samples/s")
    print(f"  naive (Scores.rerun per sample, {n_naive} timed): {per * 1000:.1f} ms/sample → "
          f"{per * samples:.1f} s for {samples} samples")
    print(f"  speed-up: {per * samples / t_mc:,.0f}× (values only), {per * samples / t_den:,.0f}× (with denominator)")
    n = 2000
    s = sensitivity.sobol(c, n, 0.2, seed=1, bootstrap=0)
    t_s = best(lambda: sensitivity.sobol(c, n, 0.2, seed=1, bootstrap=0), 3)
    print(f"  sensitivity: {s.evaluations} model evaluations in {t_s:.3f} s "
          f"({s.evaluations / t_s:,.0f}/s; bootstrap intervals not included)")
    wi = WhatIf(sc, year)
    vals = {k: float(wi.base.rulebook[k]) * 1.1 for k in wi.keys}
    times = []
    for i in range(200):
        wi.evaluate(vals, "sqrt_staff" if i % 2 else "staff")
        times.append(wi.last_ms)
    print(f"  what-if panel, one scenario: median {statistics.median(times):.3f} ms, "
          f"max {max(times):.3f} ms (evaluation + ranking + table)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--naive", type=int, default=20, help="samples timed the naive way")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--rows", type=int, default=6000, help="ledger rows of the synthetic 15-unit data set")
    args = ap.parse_args()
    sc = score.score(dataset.load(SAMPLE), with_reasons=False)
    bench("bundled sample", sc, args.year, args.samples, args.naive)
    from bench_score import CACHE, YEAR, make

    folder = CACHE / f"n{args.rows}"
    if not (folder / "ledger.csv").exists():
        make(args.rows, folder)
    sc15 = score.score(dataset.load(folder), with_reasons=False)
    bench("synthetic", sc15, YEAR, args.samples, args.naive)


if __name__ == "__main__":
    main()
