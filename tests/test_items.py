"""Every item's value, each threshold on both sides of its boundary, deductions per row."""

from decimal import Decimal as D

import pytest
from kit import points

from kaohe.rulebook import rules

# (item, extra columns, expected points) — values from shared/spec/rules.md
SIMPLE = {
    "regulation_first_reading": 10, "regulation_second_reading": 10, "regulation_to_congress": 5,
    "work_report": 5, "satisfaction_vote": 2, "special_inquiry": 8, "major_decision": 5,
    "enforcement_inspection": 5, "enforcement_research": 3, "thematic_research": 2,
    "personnel_motion": 1, "other_work_report": 2, "other_list": 1, "director_meeting": 2,
    "party_meeting": 1, "lecture": 2, "study_visit": 2, "leading_group": 5, "congress_service": 1,
    "normative_doc_registered": D("0.2"), "normative_doc_reviewed": 1, "normative_doc_corrected": 1,
    "petition_letter": D("0.1"), "petition_visit": D("0.2"), "petition_resolved": 2,
    "info_article": D("0.5"), "journal_issue": 5, "publication_national": 3,
    "publication_provincial": 2, "publication_municipal": 1, "news_report": D("0.5"),
    "sc_rule_new": 5, "sc_rule_revision": 3, "organ_rule_new": 3, "organ_rule_revision": 2,
    "sc_meeting": 3, "party_absence_private": D("-0.2"), "party_absence_unexcused": D("-0.5"),
    "study_absence_private": D("-0.2"), "study_absence_unexcused": D("-0.5"),
    "style_violation": -3, "discipline_violation": -5,
}
NEEDS = {"regulation_first_reading": {"subject": "《条例》"}, "regulation_second_reading": {"subject": "《条例》"},
         "regulation_to_congress": {"subject": "《条例》"}}
PERSON = {"party_absence_private", "party_absence_unexcused", "study_absence_private", "study_absence_unexcused"}


@pytest.mark.parametrize("item,value", sorted(SIMPLE.items()))
def test_simple_item_value(tmp_path, item, value):
    row = {"item": item, **NEEDS.get(item, {})}
    if item in PERSON:
        row["person"] = "张三"
    assert points(tmp_path, row) == D(value)


@pytest.mark.parametrize("item", ["petition_letter", "info_article", "lecture", "study_absence_private"])
def test_quantity_multiplies(tmp_path, item):
    row = {"item": item, "quantity": "7", **({"person": "张三"} if item in PERSON else {})}
    assert points(tmp_path, row) == 7 * D(SIMPLE[item])


ROLES = [
    ("deputy_inspection", {}, 5, 2),
    ("reception_national", {}, 3, 1),
    ("reception_provincial", {}, 1, D("0.5")),
    ("citywide_meeting", {}, 2, 1),
    ("citywide_meeting", {"days": "1"}, 2, 1),
    ("citywide_meeting", {"days": "1.5"}, 3, 2),  # 一天以上的会议再各加1分
    ("deputy_training", {"participants": "100", "days": "2"}, 5, 2),
    ("deputy_training", {"participants": "99", "days": "2"}, 3, 1),
    ("deputy_training", {"participants": "100", "days": "1.99"}, 3, 1),
    ("deputy_training", {"participants": "500", "days": "10"}, 5, 2),
]


@pytest.mark.parametrize("item,cols,organizer,coordinator", ROLES)
def test_role_values(tmp_path, item, cols, organizer, coordinator):
    assert points(tmp_path, {"item": item, **cols}) == D(organizer)
    assert points(tmp_path, {"item": item, "role": "organizer", **cols}) == D(organizer)
    assert points(tmp_path, {"item": item, "role": "coordinator", **cols}) == D(coordinator)
    assert points(tmp_path, {"item": item, "role": "协办", **cols}) == D(coordinator)


TIERS = [
    ("sc_meeting", {"days": "0.5"}, 3),
    ("sc_meeting", {"days": "1"}, 3),  # 一天以上 read as more than one day
    ("sc_meeting", {"days": "1.01"}, 5),
    ("sc_meeting", {"days": "2"}, 5),
    ("study_program", {"participants": "60", "days": "5"}, 5),  # 以上 includes the number
    ("study_program", {"participants": "59", "days": "5"}, 3),
    ("study_program", {"participants": "60", "days": "4.99"}, 3),
    ("study_program", {"participants": "200", "days": "30"}, 5),
    ("study_program", {"participants": "0", "days": "1"}, 3),
    ("speech_draft", {"chars": "0"}, 0),
    ("speech_draft", {"chars": "1000"}, 0),
    ("speech_draft", {"chars": "1001"}, 1),
    ("speech_draft", {"chars": "2499"}, 1),
    ("speech_draft", {"chars": "2500"}, 2),
    ("speech_draft", {"chars": "8000"}, 2),
]


@pytest.mark.parametrize("item,cols,value", TIERS)
def test_tier_boundaries(tmp_path, item, cols, value):
    assert points(tmp_path, {"item": item, **cols}) == D(value)


DEDUCTIONS = [
    ({"item": "work_report", "missing_steps": "2"}, 3),
    ({"item": "enforcement_inspection", "missing_steps": "1"}, 4),
    ({"item": "enforcement_research", "missing_steps": "3"}, 0),
    ({"item": "thematic_research", "missing_steps": "3"}, -1),  # a row may go below zero
    ({"item": "work_report", "quantity": "2", "missing_steps": "1"}, 9),  # steps are per row
    ({"item": "sc_meeting", "days": "2", "errors": "1"}, 4),
    ({"item": "director_meeting", "errors": "1"}, 1),
    ({"item": "citywide_meeting", "role": "coordinator", "days": "2", "errors": "2"}, 0),
    ({"item": "document_management", "errors": "1"}, 4),
    ({"item": "personnel_management"}, 5),
    ({"item": "finance_management", "errors": "0"}, 5),
]


@pytest.mark.parametrize("row,value", DEDUCTIONS)
def test_steps_and_errors(tmp_path, row, value):
    assert points(tmp_path, row) == D(value)


DAYS = [
    ({"item": "leave", "person": "张三", "days": "15"}, 0),  # 15 days exactly costs nothing
    ({"item": "leave", "person": "张三", "days": "16"}, D("-0.5")),
    ({"item": "leave", "person": "张三", "days": "15.5"}, D("-0.25")),
    ({"item": "leave_exempt", "person": "张三", "days": "60"}, 0),
    ({"item": "absent_without_leave", "person": "张三", "days": "1"}, -1),
    ({"item": "absent_without_leave", "person": "张三", "days": "2.5"}, D("-2.5")),
]


@pytest.mark.parametrize("row,value", DAYS)
def test_days_items(tmp_path, row, value):
    assert points(tmp_path, row) == D(value)


def test_innovation_takes_the_rows_points(tmp_path):
    assert points(tmp_path, {"item": "innovation", "points": "2.5", "ref": "纪要〔2024〕1号"}) == D("2.5")
    assert points(tmp_path, {"item": "其他工作创新", "points": "0.0001", "ref": "x"}) == D("0.0001")


def test_chinese_item_names_score_like_codes(tmp_path):
    rb = rules.load()
    for code in ("petition_letter", "deputy_inspection", "lecture"):
        assert points(tmp_path / code, {"item": rb.items[code].name}) == points(tmp_path / f"{code}2", {"item": code})


def test_every_item_has_a_test_here():
    tested = set(SIMPLE) | {r[0] for r in ROLES} | {t[0] for t in TIERS} | {d[0]["item"] for d in DEDUCTIONS} \
        | {d[0]["item"] for d in DAYS} | {"innovation", "major_activity"}
    assert tested == set(rules.load().items)
