"""Sub-commands of the fairness and what-if analysis: compare, uncertainty, fairness, weights,
sensitivity. Tables go to stdout as CSV, or to --out (.csv / .xlsx); readings and timings
go to stderr."""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

from kaohe.cli.common import (
    add_dataset,
    add_scenario,
    add_year,
    bilingual,
    load_dataset,
    pick_year,
    rulebook_for,
    whole_number,
    write_table,
    xlsx_sheets,
)
from kaohe.core import labels
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _


def _headers(columns=(), context=None) -> dict[str, str]:
    return labels.headers(context, columns)


def _scores(args, rb=None):
    from kaohe.engine.score import score

    rb = rb or rulebook_for(args)
    ds = load_dataset(args, rb)
    year = pick_year(ds, args.year)
    return score(ds, rb, with_reasons=False), year


def _denominators(text: str | None):
    if not text:
        return None
    from kaohe.core.labels import DENOMINATORS

    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in DENOMINATORS]
    if bad or not names:
        raise KaoheError(_("--denominators {text}: expected a comma-separated list of {choices}").format(
            text=text, choices=", ".join(DENOMINATORS)))
    return tuple(names)


def _spread(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise KaoheError(_("--spread {text}: expected a number such as 0.2 (±20 %)").format(text=text)) from None


MEMORY_CAP = 4 << 30  # bytes an analysis may take at most (less when less memory is free)


def _memory_budget() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return min(MEMORY_CAP, int(line.split()[1]) * 1024 // 2)
    except (OSError, ValueError, IndexError):
        pass
    return MEMORY_CAP


def _gib(n: float) -> str:
    return f"{n / (1 << 30):.1f} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.0f} MiB"


def _check_run(args, per_sample: int, what: str) -> None:
    """Refuse a --seed or --samples that cannot run, with the limit in the message."""
    if args.seed < 0:
        raise KaoheError(_("--seed {seed}: expected a whole number ≥ 0").format(seed=args.seed))
    if args.samples < 1:
        raise KaoheError(_("--samples {n}: expected a whole number ≥ 1").format(n=args.samples))
    budget = _memory_budget()
    limit = max(1, budget // max(1, per_sample))
    if args.samples > limit:
        raise KaoheError(_("--samples {n}: needs about {need} of memory; at most {limit} samples fit "
                           "in the {budget} this {what} may use").format(
            n=args.samples, need=_gib(args.samples * per_sample), limit=f"{limit:,}",
            budget=_gib(budget), what=what))


# ------------------------------------------------------------------ commands
def cmd_compare(args) -> int:
    from kaohe.analysis import compare as cmp
    from kaohe.rulebook import rules
    from kaohe.rulebook.scenario import load

    scenarios = [load(p) for p in args.scenario]  # every file checked before any scoring
    sc, year = _scores(args, rules.load())
    if len(scenarios) == 1 and not args.wide:
        table = cmp.compare(sc, year, scenarios[0])
        title = _("{year}: scenario {name} against the rule").format(year=year, name=scenarios[0].name)
    else:
        long = cmp.compare_many(sc, year, scenarios)
        table = cmp.side_by_side(long, flat=True) if args.wide else long
        title = _("{year}: scenarios against the rule").format(year=year)
    from kaohe.report.workbook import RISE  # a rank's change in a workbook: ↑ up, ↓ down, — unchanged

    write_table(table, args.out, _("Scenarios"), title, _headers(table.columns, "compare"),
                formats={c: RISE for c in table.columns if str(c).startswith("rank_change")})
    return 0


def cmd_uncertainty(args) -> int:
    from kaohe.analysis.counts import Counts
    from kaohe.analysis.uncertainty import rule_values, simulate

    sc, year = _scores(args)
    counts = Counts.from_scores(sc, year)
    p, u = len(rule_values(counts)), len(counts.units)
    _check_run(args, 8 * (3 * p + 8 * u + 2), _("analysis"))  # factors, totals, ranks, quantiles
    t0 = time.perf_counter()
    mc = simulate(counts, args.samples, _spread(args.spread), args.seed,
                  _denominators(args.denominators))
    secs = time.perf_counter() - t0
    dens = (_(", divisor drawn among {names}").format(
        names=labels.pick(("、", ", ")).join(labels.denominator(sc.rulebook, d) for d in mc.denominators)) if mc.denominators else "")
    print(_("{samples} samples over {n} rule values (±{spread}{dens}, seed {seed}) in {secs:.3f} s").format(
        samples=mc.samples, n=len(mc.params), spread=f"{mc.spread:.0%}", dens=dens, seed=mc.seed, secs=secs),
        file=sys.stderr)
    table = mc.table()
    table["mean"] = [Decimal(f"{x:.2f}") for x in table["mean"]]
    write_table(table, args.out, _("Rank uncertainty"), _("{year}: uncertainty of the ranks").format(year=year),
                _headers())
    return 0


def cmd_fairness(args) -> int:
    from kaohe.analysis import denominators as den

    sc, year = _scores(args)
    long = den.long_table(sc, year)
    summary = den.shift_summary(long)
    bias = den.size_bias(sc, year)
    print(den.size_bias_text(bias, summary), file=sys.stderr)
    for r in summary.itertuples():
        print("  " + _("{divisor}: mean rank shift {shift:.2f}, {n} units moved").format(
            divisor=labels.denominator(sc.rulebook, r.denominator), shift=r.mean_abs_rank_shift,
            n=r.units_moved), file=sys.stderr)
    table = long if args.long else den.wide_table(long)
    write_table(table, args.out, _("Divisors"), _("{year}: daily score by divisor").format(year=year),
                {**_headers(), **labels.denominator_headers(sc.rulebook)})
    return 0


def cmd_weights(args) -> int:
    from kaohe.analysis import weights

    sc, year = _scores(args)
    w = weights.effective_weights(sc, year)
    print(weights.reading(w), file=sys.stderr)
    headers = _headers(context="weights")
    if args.out is not None and args.out.suffix.lower() == ".xlsx":  # a reader's table: names first, the code last
        w = w[[c for c in w.columns if c != "component"] + ["component"]]
        headers = {**headers, "component": _headers()["item"]}
    else:  # CSV: zh is Chinese, en English
        w = bilingual(w, "zh", lambda c: labels.component(sc.rulebook, c), w["component"], "en")
    write_table(w, args.out, _("Effective weights"), _("{year}: effective weights of the parts").format(year=year),
                headers, formats={"var_share": "0.0%"})
    return 0


def cmd_sensitivity(args) -> int:
    from kaohe.analysis import sensitivity
    from kaohe.analysis.counts import Counts
    from kaohe.analysis.uncertainty import RANDOM_DENOMINATORS, rule_values

    sc, year = _scores(args)
    dens = None if args.no_denominator else (_denominators(args.denominators) or RANDOM_DENOMINATORS)
    counts = Counts.from_scores(sc, year)
    params = rule_values(counts)
    p, u = len(params), len(counts.units)
    g = len(sensitivity.groups(counts, params)) + (1 if dens else 0)
    # per base sample: G + 2 design rows (factors, totals, ranks) and the bootstrap's 200 draws
    # per base sample: A, B and their factors (4p), one design block's points, totals and ranks
    # at a time (9u), the outputs (g + 2), the bootstrap's resampled positions (200 × 8 bytes)
    _check_run(args, 8 * (4 * p + 9 * u + g + 6) + 200 * 8, _("analysis"))
    t0 = time.perf_counter()
    s = sensitivity.sobol(counts, args.samples, _spread(args.spread), args.seed, dens)
    secs = time.perf_counter() - t0
    print(_("{n} model evaluations ({samples} base samples) in {secs:.3f} s").format(
        n=s.evaluations, samples=s.samples, secs=secs), file=sys.stderr)
    print(sensitivity.reading(s), file=sys.stderr)
    table = s.table
    title = _("{year}: sensitivity of the ranks").format(year=year)
    if args.out is not None and args.out.suffix.lower() == ".xlsx":  # the divisor's part in words, and a note
        from kaohe.output import excel

        table = table.assign(group=[_("Divisor") if g == sensitivity.DENOMINATOR_GROUP else g for g in table["group"]])
        sheets = xlsx_sheets(table, _("Sensitivity"), title, _headers())
        sheets[0].note = _("Note: ") + sensitivity_note()
        excel.write(args.out, sheets)
        print(_("wrote {path}").format(path=args.out), file=sys.stderr)
        return 0
    table = bilingual(table, "zh", lambda g: sensitivity.group_name(counts, g), table["group"], "en")  # CSV
    write_table(table, args.out, _("Sensitivity"), title, _headers())
    return 0


def sensitivity_note() -> str:
    """What the indices are, and why small negatives and values above 1 occur."""
    return _("Si: the share of the variance of the mean rank shift that a part of the rulebook causes alone; "
             "STi: its share with all its interactions (0: no influence; the larger, the more the ranking "
             "depends on it). Both are estimated from samples: small negative values mean about 0, and values "
             "a little above 1 mean about 1 (sampling error; the low and high columns give the 95 per cent interval).")


# ------------------------------------------------------------------ parser
def _mc_options(p, samples: int) -> None:
    p.add_argument("--samples", type=whole_number, default=samples, metavar="N",
                   help=_("number of samples (default {n})").format(n=samples))
    p.add_argument("--spread", default="0.2", metavar="S",
                   help=_("each rule value times a uniform factor from 1−S to 1+S (default 0.2)"))
    p.add_argument("--seed", type=whole_number, default=0, metavar="N",
                   help=_("random seed: the same seed gives the same table (default {n})").format(n=0))


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
    out_help = _("write to FILE.csv (UTF-8 with BOM) or FILE.xlsx")
    file_ = _("FILE")

    p = sub.add_parser("compare", help=_("a scenario's totals and ranks against the rule"),
                       description=_("Score a year by the rule and by a scenario (a YAML file of "
                                     "parameter overrides) and print one row per unit: unit, total_base, "
                                     "rank_base, total_scenario, rank_scenario, diff, rank_change. With "
                                     "several --scenario, one block per scenario (a leading `scenario` "
                                     "column) or, with --wide, side by side."))
    add_dataset(p)
    add_year(p)
    p.add_argument("--scenario", type=Path, action="append", required=True, metavar=file_,
                   help=_("a scenario YAML file (repeat to compare several, each against the rule)"))
    p.add_argument("--wide", action="store_true", help=_("scenarios side by side: one row per unit"))
    p.add_argument("--out", type=Path, metavar=file_, help=out_help)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("uncertainty", help=_("Monte Carlo rank intervals over the rule values"),
                       description=_("Multiply every rule value by an independent uniform factor from "
                                     "1−S to 1+S (optionally draw the divisor too), rank every sample "
                                     "and print per unit: unit, nominal, mean, median, q5, q95 (ranks)."))
    add_dataset(p)
    add_year(p)
    _mc_options(p, 10_000)
    p.add_argument("--denominators", metavar=_("LIST"),
                   help=_("also draw the divisor among these codes, e.g. {example}").format(
                       example="staff,none,sqrt_staff"))
    add_scenario(p)
    p.add_argument("--out", type=Path, metavar=file_, help=out_help)
    p.set_defaults(func=cmd_uncertainty)

    p = sub.add_parser("fairness", help=_("daily score under each divisor and the rank of the total it gives; size bias"),
                       description=_("Per unit: the daily score with daily points divided by staff (the rule), "
                                     "not divided, by √staff and by 1+ln staff (daily_<divisor>), and the rank "
                                     "of the total each gives (rank_<divisor>; rank_rule: the rank under the "
                                     "rulebook's own divisor); the mean absolute rank shift of each option and "
                                     "the size-bias check (Spearman rank correlation with staff) on stderr."))
    add_dataset(p)
    add_year(p)
    add_scenario(p)
    p.add_argument("--long", action="store_true", help=_("one row per unit and divisor"))
    p.add_argument("--out", type=Path, metavar=file_, help=out_help)
    p.set_defaults(func=cmd_fairness)

    p = sub.add_parser("weights", help=_("effective weights of common work, goals and daily work"),
                       description=_("Per component: mean, spread, share of the total's variance, "
                                     "correlation with the total, and the mean rank change without it."))
    add_dataset(p)
    add_year(p)
    add_scenario(p)
    p.add_argument("--out", type=Path, metavar=file_, help=out_help)
    p.set_defaults(func=cmd_weights)

    p = sub.add_parser("sensitivity", help=_("which part of the rulebook the ranking depends on"),
                       description=_("Variance-based first-order (Si) and total (STi) indices of the mean "
                                     "absolute rank shift per part of the rulebook and the divisor.")
                       + " " + sensitivity_note())
    add_dataset(p)
    add_year(p)
    _mc_options(p, 2000)
    p.add_argument("--denominators", metavar=_("LIST"),
                   help=_("divisor codes drawn (default {example})").format(example="staff,none,sqrt_staff"))
    p.add_argument("--no-denominator", action="store_true", help=_("keep the rule's divisor fixed"))
    add_scenario(p)
    p.add_argument("--out", type=Path, metavar=file_, help=out_help)
    p.set_defaults(func=cmd_sensitivity)
