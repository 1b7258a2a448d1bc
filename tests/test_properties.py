"""Properties of scoring that must hold for any ledger (hypothesis)."""

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kit import write_dataset

from kaohe.engine import score
from kaohe.inputs import dataset
from kaohe.rulebook import rules

UNITS = [(2024, "甲", 3), (2024, "乙", 7.5), (2024, "丙", 12), (2024, "空", 4)]
ROW_KINDS = [
    {"item": "lecture"}, {"item": "petition_letter", "quantity": "q"}, {"item": "info_article", "quantity": "q"},
    {"item": "deputy_inspection", "role": "coordinator"}, {"item": "sc_meeting", "days": "2", "errors": "1"},
    {"item": "work_report", "missing_steps": "1"}, {"item": "speech_draft", "chars": "2600"},
    {"item": "study_program", "participants": "70", "days": "6"}, {"item": "document_management", "errors": "1"},
    {"item": "study_absence_private", "person": "p"}, {"item": "leave", "person": "p", "days": "d"},
    {"item": "major_activity", "published": "pub"}, {"item": "regulation_first_reading", "subject": "s"},
    {"item": "regulation_second_reading", "subject": "s"}, {"item": "innovation", "points": "1.5", "ref": "r"},
    {"item": "style_violation"}, {"item": "citywide_meeting", "role": "coordinator", "days": "1.5"},
]
row_st = st.tuples(st.integers(0, len(ROW_KINDS) - 1), st.integers(0, 2), st.integers(1, 30),
                   st.integers(1, 20), st.integers(0, 3))


def rows_from(draw_rows):
    rows = []
    for i, (kind, unit, q, d, extra) in enumerate(draw_rows):
        r = {k: v for k, v in ROW_KINDS[kind].items()}
        day = 1 + i % 300  # a distinct date per row: no same-day ties for one person
        r["date"] = f"2024-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
        r["unit"] = UNITS[unit][1]
        for k, v in list(r.items()):
            if v == "q":
                r[k] = str(q)
            elif v == "d":
                r[k] = str(d)
            elif v == "p":
                r[k] = f"人员{extra}"
            elif v == "s":
                r[k] = f"《条例{extra}》"
            elif v == "pub":
                r[k] = r["date"] if extra else ""
        rows.append(r)
    return rows


def table(rows, rb=None, goals=()):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_dataset(Path(tmp), UNITS, rows, goals=goals)
        return score.score(dataset.load(folder), rb, with_reasons=False).table(2024)


def as_map(t):
    return {r["unit"]: (r["total"], r["common"], r["goals"], r["daily"]) for r in t.to_dict("records")}


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(row_st, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(draw_rows, rnd):
    rows = rows_from(draw_rows)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert as_map(table(rows)) == as_map(table(shuffled))


SIMPLE = ["lecture", "petition_letter", "info_article", "news_report", "leading_group", "normative_doc_registered",
          "deputy_inspection", "study_absence_private", "reception_provincial"]


@SETTINGS
@given(st.sampled_from(SIMPLE), st.integers(1, 25), st.sampled_from(["organizer", "coordinator"]))
def test_one_row_of_n_equals_n_rows_of_one(item, n, role):
    rb = rules.load()
    base = {"date": "2024-05-01", "unit": "甲", "item": item}
    if rb.items[item].per_role:
        base["role"] = role
    if "person" in rb.items[item].required:
        base["person"] = "张三"
    assert as_map(table([{**base, "quantity": str(n)}])) == as_map(table([dict(base) for _ in range(n)]))


@SETTINGS
@given(st.lists(row_st, min_size=0, max_size=30))
def test_a_unit_with_no_rows_scores_80(draw_rows):
    t = as_map(table(rows_from(draw_rows)))
    assert t["空"] == (Decimal("80.00"), Decimal("40.00"), Decimal("40.00"), Decimal("0.00"))


def bonus_params():
    rb = rules.load()
    out = []
    for name, p in rb.params.items():
        if p.kind != "points" or name.endswith((".floor", ".missing_step", ".error", ".per_missed")):
            continue
        if p.item and rb.items[p.item].effect == "deduct":
            continue
        out.append(name)
    return out


@SETTINGS
@given(st.lists(row_st, min_size=1, max_size=30), st.sampled_from(bonus_params()),
       st.decimals(min_value=Decimal("0.1"), max_value=Decimal("20"), places=1))
def test_raising_a_positive_value_never_lowers_a_total(draw_rows, name, delta):
    rows = rows_from(draw_rows)
    rb = rules.load()
    higher = rb.with_overrides({name: rb[name] + delta})
    before, after = as_map(table(rows, rb)), as_map(table(rows, higher))
    for unit in before:
        assert after[unit][0] >= before[unit][0], (name, unit)


def test_bonus_params_cover_item_values():
    names = bonus_params()
    assert "petition_letter" in names and "deputy_training.large.organizer" in names
    assert "citywide_meeting.long" in names and "leave" not in names
