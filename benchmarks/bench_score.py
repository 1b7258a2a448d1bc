"""Benchmark: ``kaohe score DATASET --year 2024`` as a user runs it, next to DuckDB.

    python benchmarks/bench_score.py                      # 10⁴ … 10⁶ rows (500 units); 1 M rows over 500 … 50 000 units
    python benchmarks/bench_score.py --big                # … and 10⁷ rows over 15 000 units
    python benchmarks/bench_score.py --shapes 1000000x500,1000000x50000 --repeat 5

Each shape (rows × units) is a valid data set generated once into a cache folder (fixed seed):
every item of the rulebook (codes and Chinese names, roles, tiers, days, participants, chars,
steps and errors, once-a-year items, second readings of earlier first readings, published
dates against the working-day deadline, innovation points), leave and absences spread over
5 000 people, staff counts (some fractional), goals (some missed). Then the median of
``--repeat`` runs, each a fresh process (imports included), round by round: every shape of a
size once a round, kaohe and DuckDB side by side in alternating order, so that shapes compared
with each other ran in the same minutes (one uncounted run first; the 10⁷ shape last):

- **kaohe**: the console command ``kaohe score DIR --year 2024`` (the published table to stdout);
- **DuckDB**: ``python -c "import duckdb; …"`` running one SQL query over the same CSV files
  that gives the same published table — every rule of the rulebook written as SQL (generated
  from the rulebook: values, tiers, the leave allowance as a window sum, once-a-year as
  row_number, the reading rule as a join, lateness against a table of working-day deadlines
  that the benchmark writes beside the data set), exact integer arithmetic, totals rounded
  half up, ranks with ties.

The two tables are compared (rank, unit, total): ``same`` says whether they agree. Printed per
shape: seconds (median), DuckDB's seconds, their ratio, kaohe's rows/s, both CPU seconds
(user + system: steadier than wall time on a busy machine) and both peak RSS (the child's
``ru_maxrss`` from ``wait4``). The machine's load average is printed too.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

CACHE = Path(tempfile.gettempdir()) / "kaohe-bench"
YEAR = 2024
PEOPLE = 5000
GENERATOR = 3  # bump when the generated data change (cache key)
COLUMNS = ["date", "unit", "item", "quantity", "role", "person", "days", "participants", "chars",
           "missing_steps", "errors", "subject", "major_revision", "published", "points", "ref",
           "note"]
DEFAULT_SHAPES = "10000x500,100000x500,1000000x500,1000000x5000,1000000x50000"
BIG_SHAPE = "10000000x15000"


# ------------------------------------------------------------------ the data set
def _unit_names(n: int) -> np.ndarray:
    return np.char.add("单位", np.char.zfill(np.arange(n).astype(str), 5))


def _strings(values: np.ndarray, mask: np.ndarray) -> pa.Array:
    """Cells as text where ``mask``, empty elsewhere."""
    arr = pa.array(values) if values.dtype.kind in "US" else pc.cast(pa.array(values), pa.string())
    return pc.if_else(pa.array(mask), arr, pa.scalar(None, pa.string()))


def _chunk(rng: np.random.Generator, n: int, units: np.ndarray, rb) -> pa.Table:
    codes = list(rb.items)
    items = [rb.items[c] for c in codes]
    zh = np.array([it.name for it in items])
    kinds = len(codes)
    # leave and absences a little more often than the rest, as in real ledgers
    w = np.array([3.0 if "person" in it.required else 1.0 for it in items])
    k = rng.choice(kinds, size=n, p=w / w.sum())

    def has(pred):
        return np.array([bool(pred(it)) for it in items])[k]

    start = np.datetime64(f"{YEAR}-01-01")
    day = rng.integers(0, 355, n)  # to 20 December: every deadline stays in a covered year
    date = (start + day).astype("datetime64[D]")
    person_id = rng.integers(0, PEOPLE, n)
    person_unit = np.random.default_rng(99).integers(0, len(units), PEOPLE)  # each person's unit
    needs_person = has(lambda it: "person" in it.required)
    unit_ix = np.where(needs_person, person_unit[person_id], rng.integers(0, len(units), n))
    item_text = np.where(rng.random(n) < 0.25, zh[k], np.array(codes)[k])

    def uses(col):
        return has(lambda it: col in it.uses)

    def req(col):
        return has(lambda it: col in it.required)

    amount_q = has(lambda it: it.amount == "quantity")
    q_fill = amount_q & (rng.random(n) < 0.4)
    role_fill = uses("role") & (rng.random(n) < 0.6)
    role_words = np.array(["organizer", "coordinator", "承办", "协办"])[rng.integers(0, 4, n)]
    days_fill = req("days") | (uses("days") & (rng.random(n) < 0.5))
    days = np.array(["0.5", "1", "1.5", "2", "3", "5", "6"])[rng.integers(0, 7, n)]
    part_fill = uses("participants")
    chars_fill = uses("chars")
    ms_fill = uses("missing_steps") & (rng.random(n) < 0.3)
    err_fill = uses("errors") & (rng.random(n) < 0.3)
    subj_fill = req("subject") | (rng.random(n) < 0.05)
    subject = np.char.add("条例", rng.integers(0, 40, n).astype(str))
    rev_fill = uses("major_revision") & (rng.random(n) < 0.7)
    pub_fill = uses("published") & (rng.random(n) < 0.9)
    published = (date + rng.integers(0, 8, n)).astype("datetime64[D]")
    points_fill = uses("points")
    ref_fill = req("ref") | (rng.random(n) < 0.02)
    note_fill = rng.random(n) < 0.05
    cols = {
        "date": pc.cast(pa.array(date), pa.string()),
        "unit": pa.array(units[unit_ix]),
        "item": pa.array(item_text),
        "quantity": _strings(rng.integers(1, 6, n), q_fill),
        "role": _strings(role_words, role_fill),
        "person": _strings(np.char.add("人员", person_id.astype(str)), needs_person),
        "days": _strings(days, days_fill),
        "participants": _strings(rng.integers(20, 150, n), part_fill),
        "chars": _strings(rng.integers(500, 4000, n), chars_fill),
        "missing_steps": _strings(rng.integers(0, 3, n), ms_fill),
        "errors": _strings(rng.integers(0, 3, n), err_fill),
        "subject": _strings(subject, subj_fill),
        "major_revision": _strings(np.array(["是", "否"])[rng.integers(0, 2, n)], rev_fill),
        "published": _strings(np.datetime_as_string(published), pub_fill),
        "points": _strings(np.array(["1", "2.5", "3"])[rng.integers(0, 3, n)], points_fill),
        "ref": _strings(np.char.add(np.char.add("纪要〔2024〕", rng.integers(1, 90, n).astype(str)), "号"),
                        ref_fill),
        "note": _strings(np.full(n, "已核"), note_fill),
    }
    return pa.table(cols)


def make(rows: int, n_units: int, folder: Path, seed: int = 7) -> Path:
    """A valid data set (``folder/data``) and the working-day deadlines (``folder/deadlines.csv``)."""
    from kaohe.inputs.workdays import WorkCalendar
    from kaohe.rulebook import rules

    rb = rules.load()
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    units = _unit_names(n_units)
    staff = np.where(rng.random(n_units) < 0.1, np.char.add(rng.integers(2, 30, n_units).astype(str), ".5"),
                     rng.integers(2, 31, n_units).astype(str))
    wopt = pacsv.WriteOptions(quoting_style="needed")
    pacsv.write_csv(pa.table({"year": pa.array(np.full(n_units, YEAR)), "unit": units, "staff": staff}),
                    data / "units.csv", wopt)
    per = rng.integers(1, 5, n_units)
    gu = np.repeat(units, per)
    goal = np.char.add("年度目标", (np.arange(len(gu)) - np.repeat(np.cumsum(per) - per, per)).astype(str))
    done = np.where(rng.random(len(gu)) < 0.9, "是", "否")
    pacsv.write_csv(pa.table({"year": pa.array(np.full(len(gu), YEAR)), "unit": gu, "goal": goal,
                              "completed": done}), data / "goals.csv", wopt)
    tmp = data / "ledger.csv.part"
    with pacsv.CSVWriter(tmp, pa.schema([(c, pa.string()) for c in COLUMNS]), write_options=wopt) as w:
        left = rows
        while left:
            n = min(left, 1_000_000)
            w.write_table(_chunk(rng, n, units, rb))
            left -= n
    tmp.rename(data / "ledger.csv")
    # the working-day deadlines of the lateness rule, for the SQL query
    cal = WorkCalendar()
    days = np.arange(np.datetime64(f"{YEAR}-01-01"), np.datetime64(f"{YEAR + 1}-01-01"))
    lines = ["date,n,deadline"]
    for n in sorted({int(rb[f"{c}.workdays"]) for c, it in rb.items.items() if it.rule == "lateness"}):
        dl = cal.deadlines(days, n)
        lines += [f"{d},{n},{e}" for d, e in zip(days, dl)]
    (folder / "deadlines.csv").write_text("\n".join(lines) + "\n")
    (folder / "ok").write_text("")
    return folder


# ------------------------------------------------------------------ the SQL reference
def _dec(v) -> str:
    return f"{Decimal(str(v))}::DECIMAL(9,4)"


def _quote(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def sql(folder: Path) -> str:
    """One DuckDB query giving the published table of ``folder`` (see the module doc)."""
    from kaohe.core import contract
    from kaohe.rulebook import rules

    rb = rules.load()
    data = folder / "data"
    words = ", ".join(f"({_quote(w)}, {_quote(c)})" for w, c in rb.item_lookup.items())
    roles = ", ".join(f"({_quote(w)}, {_quote(r)})" for w, r in rb.role_lookup.items())
    yes = ", ".join(_quote(w) for w in contract.YES)

    def p(name):
        return _dec(rb[name]) if name in rb.params else "0::DECIMAL(9,4)"

    def base(code, it, tier=None):
        stem = f"{code}.{tier.name}" if tier else code
        per_role = tier.per_role if tier else it.per_role
        if per_role:
            return f"(CASE WHEN role = 'coordinator' THEN {p(stem + '.coordinator')} ELSE {p(stem + '.organizer')} END)"
        return p(stem)

    col_sql = {"days": "days", "participants": "participants", "chars": "chars"}
    value_cases, amount_cases, component = [], [], []
    for code, it in rb.items.items():
        v = base(code, it) if it.has_value else "0::DECIMAL(9,4)"
        if it.tiers:
            whens = []
            for t in it.tiers:
                cond = " AND ".join(f"{col_sql[c]} {rb[f'{code}.{t.name}.{c}.op']} {rb[f'{code}.{t.name}.{c}']}"
                                    for c in t.columns)
                tv = base(code, it, t)
                whens.append(f"WHEN {cond} THEN {tv if t.mode != 'add' else f'{v} + {tv}'}")
            v = f"(CASE {' '.join(whens)} ELSE {v} END)"
        if it.rule == "reading_once":
            v = f"(CASE WHEN same_reading THEN {p(code + '.same_unit')} ELSE {v} END)"
        if it.rule == "lateness":
            v = f"(CASE WHEN published IS NOT NULL AND published <= deadline THEN {p(code + '.on_time')} ELSE {v} END)"
        sign = "-" if it.sign < 0 else ""
        amount = {"quantity": "quantity", "days": "days", "points": "0", "once": "once"}[it.amount]
        if it.rule == "leave_allowance":
            amount = "excess"
        ded = f" - missing_steps * {p(code + '.missing_step')} - errors * {p(code + '.error')}"
        value_cases.append(f"WHEN {_quote(code)} THEN {sign}{amount} * {v}{ded} + points")
        component.append(f"({_quote(code)}, {_quote(it.component)})")
        amount_cases.append(code)
    days_default = " ".join(f"WHEN {_quote(c)} THEN {Decimal(str(it.defaults['days']))}"
                            for c, it in rb.items.items() if "days" in it.defaults)
    leave_items = ", ".join(_quote(c) for c, it in rb.items.items() if it.rule == "leave_allowance")
    allowance = " ".join(f"WHEN {_quote(c)} THEN {rb[c + '.allowance']}"
                         for c, it in rb.items.items() if it.rule == "leave_allowance")
    once_items = ", ".join(_quote(c) for c, it in rb.items.items() if it.rule == "once_per_year")
    reading = [(c, it.after) for c, it in rb.items.items() if it.rule == "reading_once"]
    read_second = ", ".join(_quote(c) for c, _ in reading)
    read_first = ", ".join(_quote(a) for _, a in reading)
    late = [(c, int(rb[c + ".workdays"])) for c, it in rb.items.items() if it.rule == "lateness"]
    late_n = " ".join(f"WHEN {_quote(c)} THEN {n}" for c, n in late)
    ties = "dense_rank" if rb["ranking.ties"] == "dense" else "rank"
    assert rb["daily.denominator"] == "staff" and rb["ranking.decimals"] == 2
    types = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    return f"""
WITH raw AS (
  SELECT *
  FROM read_csv('{data}/ledger.csv', header = true, columns = {{{types}}})
), items(word, code) AS (VALUES {words}),
roles(word, role) AS (VALUES {roles}),
comp(code, component) AS (VALUES {', '.join(component)}),
dl AS (SELECT * FROM read_csv('{folder}/deadlines.csv', header = true,
       columns = {{'date': 'DATE', 'n': 'INTEGER', 'deadline': 'DATE'}})),
L AS (
  SELECT CAST(trim(date) AS DATE) AS date, trim(unit) AS unit, items.code AS item,
         coalesce(roles.role, 'organizer') AS role, trim(person) AS person, trim(subject) AS subject,
         coalesce(CAST(quantity AS DECIMAL(9,2)), 1) AS quantity,
         coalesce(CAST(days AS DECIMAL(9,2)), CASE items.code {days_default} ELSE 0 END) AS days,
         CAST(participants AS INTEGER) AS participants, CAST(chars AS INTEGER) AS chars,
         coalesce(CAST(missing_steps AS INTEGER), 0) AS missing_steps,
         coalesce(CAST(errors AS INTEGER), 0) AS errors,
         coalesce(trim(major_revision) IN ({yes}), false) AS major_revision,
         CAST(published AS DATE) AS published,
         coalesce(CAST(points AS DECIMAL(9,4)), 0) AS points
  FROM raw JOIN items ON items.word = trim(raw.item) LEFT JOIN roles ON roles.word = trim(raw.role)
),
firsts AS (SELECT unit, subject, min(date) AS fdate FROM L WHERE item IN ({read_first}) GROUP BY ALL),
B AS (
  SELECT L.*, c.component,
    coalesce(L.item IN ({read_second}) AND f.fdate < L.date AND NOT L.major_revision, false) AS same_reading,
    dl.deadline
  FROM L JOIN comp c ON c.code = L.item
  LEFT JOIN firsts f ON f.unit = L.unit AND f.subject = L.subject AND L.item IN ({read_second})
  LEFT JOIN dl ON dl.date = L.date AND dl.n = CASE L.item {late_n} ELSE -1 END
  WHERE year(L.date) = {YEAR}
),
X AS (
  SELECT *, NULL::DECIMAL(9,2) AS excess, NULL::INTEGER AS once FROM B
  WHERE item NOT IN ({leave_items}, {once_items})
  UNION ALL
  SELECT *, least(days, greatest(0, sum(days) OVER (PARTITION BY item, person ORDER BY date
                                                    ROWS UNBOUNDED PRECEDING)
                                 - CASE item {allowance} END)), NULL FROM B WHERE item IN ({leave_items})
  UNION ALL
  SELECT *, NULL, CASE WHEN row_number() OVER (PARTITION BY item, unit ORDER BY date) = 1 THEN 1 ELSE 0 END
  FROM B WHERE item IN ({once_items})
),
P AS (
  SELECT unit, component, CASE item {' '.join(value_cases)} END AS pts FROM X
),
S AS (
  SELECT unit, CAST(round(sum(pts) FILTER (WHERE component = 'common') * 1000000) AS HUGEINT) AS c_u,
         CAST(round(sum(pts) FILTER (WHERE component = 'daily') * 1000000) AS HUGEINT) AS d_u
  FROM P GROUP BY unit
),
U AS (SELECT unit, CAST(staff AS DECIMAL(18,2)) AS staff
      FROM read_csv('{data}/units.csv', header = true, columns = {{'year': 'INTEGER', 'unit': 'VARCHAR', 'staff': 'VARCHAR'}})
      WHERE year = {YEAR}),
G AS (SELECT unit, count(*) FILTER (WHERE NOT (trim(completed) IN ({yes}))) AS missed
      FROM read_csv('{data}/goals.csv', header = true, columns = {{'year': 'INTEGER', 'unit': 'VARCHAR', 'goal': 'VARCHAR', 'completed': 'VARCHAR'}})
      WHERE year = {YEAR} GROUP BY unit),
T AS (
  SELECT U.unit, CAST(U.staff * 100 AS HUGEINT) AS staff_h,
    greatest({rules.micro(rb['common.floor'])}, {rules.micro(rb['common.full'])} + coalesce(S.c_u, 0))
      + greatest({rules.micro(rb['goals.floor'])},
                 {rules.micro(rb['goals.full'])} - {rules.micro(rb['goals.per_missed'])} * coalesce(G.missed, 0)) AS cg_u,
    coalesce(S.d_u, 0) AS d_u
  FROM U LEFT JOIN S USING (unit) LEFT JOIN G USING (unit)
),
R AS (
  SELECT unit, cg_u * staff_h + d_u * 100 AS num, staff_h * 10000 AS den FROM T
),
H AS (
  SELECT unit, sign(num) * ((2 * abs(num) + den) // (2 * den)) AS total_h FROM R
)
SELECT {ties}() OVER (ORDER BY total_h DESC) AS rank, unit, total_h
FROM H ORDER BY rank, unit
"""


RUN_DUCKDB = """
import sys
import duckdb
con = duckdb.connect()
con.sql("SET enable_progress_bar = false")
rows = con.sql(open(sys.argv[1], encoding="utf-8").read()).fetchall()
sys.stdout.write("".join(f"{r},{u},{t // 100}.{t % 100:02d}\\n" if t >= 0 else f"{r},{u},-{-t // 100}.{-t % 100:02d}\\n"
                         for r, u, t in rows))
"""


# ------------------------------------------------------------------ running
def run(cmd: list[str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MiB), stdout and CPU seconds (user + system) of one fresh
    process (posix_spawn: the child's peak RSS is its own, not the benchmark's)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        t0 = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        dt = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.read().decode()[-3000:]}")
        return dt, usage.ru_maxrss / 1024, out.read().decode("utf-8"), usage.ru_utime + usage.ru_stime


def _kaohe_table(text: str) -> list[tuple[int, str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return [(int(r["rank"]), r["unit"], r["total"]) for r in rows]


def _duck_table(text: str) -> list[tuple[int, str, str]]:
    return [(int(r[0]), r[1], r[2]) for r in csv.reader(io.StringIO(text))]


def prepare(rows: int, units: int) -> dict:
    """A shape's data set (generated once into the cache) and its two commands."""
    folder = CACHE / f"g{GENERATOR}-{rows}x{units}"
    if not (folder / "ok").exists():
        t0 = time.perf_counter()
        make(rows, units, folder)
        print(f"  (generated {rows:,} rows × {units:,} units in {time.perf_counter() - t0:.1f} s: {folder})",
              file=sys.stderr)
    query = folder / "query.sql"
    query.write_text(sql(folder), encoding="utf-8")
    kaohe = [str(Path(sys.executable).with_name("kaohe")), "score", str(folder / "data"), "--year", str(YEAR)]
    duck = [sys.executable, "-c", RUN_DUCKDB, str(query)]
    return {"rows": rows, "units": units, "folder": folder, "k": kaohe, "d": duck, "k_runs": [], "d_runs": []}


def bench(shapes: list[dict], repeat: int) -> list[dict]:
    """Each shape ``repeat`` times, round by round (every shape once a round, kaohe and DuckDB
    side by side, their order alternating): shapes of one size share the same minutes of a
    machine whose speed drifts, so their ratios compare like with like. One run first is not
    counted: on a virtual machine a process that follows a smaller one pays for memory the
    host took back (measured here: 0.32 s of system time against 0.22 after one alike)."""
    run(shapes[0]["k"])
    for i in range(repeat):
        for s in shapes:
            for who in ("k", "d") if i % 2 == 0 else ("d", "k"):
                s[f"{who}_runs"].append(run(s[who]))
    return [_summary(s) for s in shapes]


def _summary(s: dict) -> dict:
    k_runs, d_runs = s["k_runs"], s["d_runs"]
    same = _kaohe_table(k_runs[0][2]) == _duck_table(d_runs[0][2])
    records = sum(_lines(f) - 1 for f in (s["folder"] / "data").glob("*.csv"))  # units, goals and ledger rows
    k_t = statistics.median(r[0] for r in k_runs)
    d_t = statistics.median(r[0] for r in d_runs)
    return {"rows": s["rows"], "units": s["units"], "kaohe_s": k_t, "duckdb_s": d_t, "ratio": k_t / d_t,
            "kaohe_cpu": statistics.median(r[3] for r in k_runs),
            "duckdb_cpu": statistics.median(r[3] for r in d_runs),
            "rows_s": s["rows"] / k_t, "kaohe_mib": max(r[1] for r in k_runs),
            "duckdb_mib": max(r[1] for r in d_runs), "same": same, "records": records, "runs": len(k_runs)}


def _lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 24), b""))


def _unit_scaling(results: list[dict]) -> None:
    """For each row count measured with several unit counts: how the time grows from the
    fewest units to the most, as measured and per input record (the data sets with more
    units also hold more goals and units rows), next to DuckDB's growth."""
    for rows in sorted({r["rows"] for r in results}):
        same = sorted((r for r in results if r["rows"] == rows), key=lambda r: r["units"])
        if len(same) < 2:
            continue
        a, b = same[0], same[-1]
        per = (b["kaohe_s"] / b["records"]) / (a["kaohe_s"] / a["records"])
        print(f"{rows:,} rows, {a['units']:,} → {b['units']:,} units: kaohe ×{b['kaohe_s'] / a['kaohe_s']:.2f} "
              f"(×{per:.2f} per input record; {a['records']:,} → {b['records']:,} records), "
              f"DuckDB ×{b['duckdb_s'] / a['duckdb_s']:.2f}")


def _print(results: list[dict]) -> None:
    for r in results:
        print(f"{r['rows']:>10,} {r['units']:>6,} | {r['kaohe_s']:>7.2f} {r['duckdb_s']:>8.2f} "
              f"{r['ratio']:>5.2f} | {r['rows_s']:>10,.0f} | {r['kaohe_cpu']:>12.2f} {r['duckdb_cpu']:>6.2f} | "
              f"{r['kaohe_mib']:>9.0f} {r['duckdb_mib']:>10.0f} | "
              f"{'yes' if r['same'] else 'NO ':<4} | {r['runs']}", flush=True)


def _compile() -> None:
    """Byte-compile kaohe first, as installing a wheel does (with PYTHONDONTWRITEBYTECODE set,
    an editable checkout would otherwise be compiled again in every measured process)."""
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parents[1] / "kaohe", quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shapes", default=DEFAULT_SHAPES, help="ROWSxUNITS,… (default: %(default)s)")
    ap.add_argument("--big", action="store_true", help=f"also {BIG_SHAPE} (10⁷ rows; ~3 GB of CSV on disk)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per shape and tool (median reported)")
    ap.add_argument("--big-repeat", type=int, default=1, help="runs of the --big shape (default %(default)s)")
    args = ap.parse_args()
    shapes = [tuple(int(x) for x in s.split("x")) for s in args.shapes.split(",") if s]
    _compile()
    prepared = [prepare(rows, units) for rows, units in shapes]
    big = [prepare(*(int(x) for x in BIG_SHAPE.split("x")))] if args.big else []
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
          f"median of {args.repeat}, shapes of a size round by round, kaohe and DuckDB interleaved")
    print(f"{'rows':>10} {'units':>6} | {'kaohe s':>7} {'duckdb s':>8} {'ratio':>5} | {'rows/s':>10} | "
          f"{'cpu s: kaohe':>12} {'duckdb':>6} | "
          f"{'kaohe MiB':>9} {'duckdb MiB':>10} | same | runs")
    results = []
    for rows in dict.fromkeys(r for r, _u in shapes):  # one size after the other, its shapes side by side
        group = bench([p for p in prepared if p["rows"] == rows], args.repeat)
        _print(group)
        results += group
    if big:  # after the others: its minutes would otherwise lie between their rounds
        _print(bench(big, args.big_repeat))
    _unit_scaling(results)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
