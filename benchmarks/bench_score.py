"""Benchmark: read + validate + score ledgers of 10⁴ … 10⁶ rows from CSV.

    python benchmarks/bench_score.py [--sizes 10000,100000,1000000] [--reasons]

For each size, a valid synthetic data set (15 units, every kind of item) is generated once
into a cache folder; then, each in a fresh process, kaohe reads, validates and scores it
(``kaohe.dataset.load`` + ``kaohe.score.score``) and DuckDB runs one aggregate SQL query over
the same CSV (the reference: the time a database needs just to read and group the file).
Prints seconds, rows/s and peak memory (max RSS of the process) for each.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

CACHE = Path(tempfile.gettempdir()) / "kaohe-bench"
UNITS = [f"单位{i:02d}" for i in range(15)]
YEAR = 2024

# (item, columns to fill) — every kind of row: plain, roles, tiers, days, rules, innovation
KINDS = [
    ("info_article", {"quantity": "q"}),
    ("petition_letter", {"quantity": "q"}),
    ("news_report", {}),
    ("deputy_inspection", {"role": "role"}),
    ("citywide_meeting", {"role": "role", "days": "days", "errors": "err"}),
    ("sc_meeting", {"days": "days", "errors": "err"}),
    ("study_program", {"participants": "part", "days": "days"}),
    ("speech_draft", {"chars": "chars"}),
    ("work_report", {"missing_steps": "err"}),
    ("leave", {"person": "person", "days": "days"}),
    ("study_absence_private", {"person": "person"}),
    ("major_activity", {"published": "pub"}),
    ("regulation_first_reading", {"subject": "subject"}),
    ("regulation_second_reading", {"subject": "subject", "major_revision": "rev"}),
    ("document_management", {"errors": "err"}),
    ("innovation", {"points": "points", "ref": "ref"}),
]
COLUMNS = ["date", "unit", "item", "quantity", "role", "person", "days", "participants", "chars",
           "missing_steps", "errors", "subject", "major_revision", "published", "points", "ref",
           "note"]


def make(n: int, folder: Path, seed: int = 7) -> Path:
    """A valid data set with an n-row ledger (vectorized; no Python loop over rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    pd.DataFrame({"year": YEAR, "unit": UNITS, "staff": rng.integers(2, 21, len(UNITS))}).to_csv(
        folder / "units.csv", index=False)
    pd.DataFrame({"year": YEAR, "unit": UNITS, "goal": "年度目标", "completed": "是"}).to_csv(
        folder / "goals.csv", index=False)
    kind = rng.integers(0, len(KINDS), n)
    days_of_year = pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-20").strftime("%Y-%m-%d").to_numpy()
    date_ix = rng.integers(0, len(days_of_year), n)
    out = {c: np.full(n, "", dtype=object) for c in COLUMNS}
    out["date"] = days_of_year[date_ix]
    out["unit"] = np.array(UNITS, dtype=object)[rng.integers(0, len(UNITS), n)]
    out["item"] = np.array([k for k, _ in KINDS], dtype=object)[kind]
    gen = {
        "q": rng.integers(1, 30, n).astype(str),
        "role": np.where(rng.random(n) < 0.7, "organizer", "coordinator"),
        "days": np.array(["0.5", "1", "2", "3", "5", "6"], dtype=object)[rng.integers(0, 6, n)],
        "err": rng.choice(["0", "1", "2"], n, p=[0.8, 0.15, 0.05]),
        "part": rng.integers(20, 150, n).astype(str),
        "chars": rng.integers(500, 4000, n).astype(str),
        "person": np.char.add("人员", rng.integers(0, 3000, n).astype(str)),
        "pub": days_of_year[np.minimum(date_ix + rng.integers(0, 4, n), len(days_of_year) - 1)],
        "subject": np.char.add("条例", rng.integers(0, 200, n).astype(str)),
        "rev": rng.choice(["是", "否"], n),
        "points": rng.choice(["1", "2.5", "3"], n),
        "ref": np.full(n, "纪要〔2024〕1号"),
    }
    for k, (_, cols) in enumerate(KINDS):
        sel = kind == k
        for col, src in cols.items():
            out[col][sel] = gen[src][sel]
    path = folder / "ledger.csv"
    pd.DataFrame(out, columns=COLUMNS).to_csv(path, index=False)
    return folder


RUN_KAOHE = """
import json, resource, sys, time
t0 = time.perf_counter()
from kaohe import dataset, score
t1 = time.perf_counter()
ds = dataset.load(sys.argv[1])
t2 = time.perf_counter()
sc = score.score(ds, with_reasons=sys.argv[2] == "1")
table = sc.table(2024)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "read_validate": t2 - t1, "score": t3 - t2,
                  "total": t3 - t1, "rows": len(ds.ledger),
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RUN_DUCKDB = """
import json, resource, sys, time
import duckdb
t0 = time.perf_counter()
con = duckdb.connect()
rows = con.sql(f"SELECT unit, item, count(*) AS n, sum(coalesce(TRY_CAST(quantity AS INTEGER), 1)) "
               f"FROM read_csv('{sys.argv[1]}/ledger.csv', all_varchar=true) GROUP BY ALL").fetchall()
t1 = time.perf_counter()
print(json.dumps({"total": t1 - t0, "groups": len(rows),
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if res.returncode:
        raise SystemExit(res.stderr)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--reasons", action="store_true", help="also word every audit line's reason")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (best is reported)")
    args = ap.parse_args()
    print(f"{'rows':>9} {'kaohe s':>8} {'(read+validate':>15} {'score)':>7} {'rows/s':>11} "
          f"{'peak MiB':>9} | {'duckdb s':>8} {'peak MiB':>9} {'ratio':>6}")
    for n in (int(s) for s in args.sizes.split(",")):
        folder = CACHE / f"n{n}"
        if not (folder / "ledger.csv").exists():
            make(n, folder)
        k = min((_run(RUN_KAOHE, str(folder), "1" if args.reasons else "0") for _ in range(args.repeat)),
                key=lambda r: r["total"])
        d = min((_run(RUN_DUCKDB, str(folder)) for _ in range(args.repeat)), key=lambda r: r["total"])
        print(f"{n:>9} {k['total']:>8.3f} {k['read_validate']:>15.3f} {k['score']:>7.3f} "
              f"{n / k['total']:>11,.0f} {k['rss_mib']:>9.0f} | {d['total']:>8.3f} {d['rss_mib']:>9.0f} "
              f"{k['total'] / d['total']:>6.2f}")


if __name__ == "__main__":
    main()
