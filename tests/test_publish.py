"""Rounding half up (四舍五入) on exact values, and ranks with ties (并列)."""

from decimal import Decimal as D
from fractions import Fraction as F

import pytest
from kit import published, write_dataset

from kaohe.engine import exact as publish
from kaohe.engine import score
from kaohe.inputs import dataset
from kaohe.output import safe_text
from kaohe.rulebook import rules


@pytest.mark.parametrize("x,expected", [
    (F(1, 8), "0.13"), (D("0.125"), "0.13"), (D("2.675"), "2.68"), (D("1.005"), "1.01"),
    (F(-1, 8), "-0.13"), (F(1, 3), "0.33"), (F(2, 3), "0.67"), (D("0.124999"), "0.12"),
    (0, "0.00"), (D("80"), "80.00"), (F(7375, 3000), "2.46"),
])
def test_round_half_up(x, expected):
    assert publish.round_half_up(x, 2) == D(expected)
    assert str(publish.round_half_up(x, 2)) == expected


def test_round_half_up_is_not_bankers_or_float():
    assert round(0.125, 2) == 0.12 and round(2.675, 2) == 2.67  # what we avoid
    assert publish.round_half_up(F(2675, 1000), 2) == D("2.68")


@pytest.mark.parametrize("ties,expected", [("min", [1, 2, 2, 4, 5]), ("dense", [1, 2, 2, 3, 4])])
def test_rank_ties(ties, expected):
    assert list(publish.rank([D("90"), D("85.5"), D("85.50"), D("80"), D("-1")], ties)) == expected


def test_ranks_are_decided_on_published_totals(tmp_path):
    # 1/3 + 1/3 + … : exact totals differ by less than half a cent, published totals tie
    folder = write_dataset(tmp_path, [(2024, "甲", 3), (2024, "乙", 6)], [
        {"date": "2024-03-01", "unit": "甲", "item": "personnel_motion"},  # 1/3 = 0.333…
        {"date": "2024-03-01", "unit": "乙", "item": "other_work_report"},  # 2/6 = 0.333…
        {"date": "2024-03-02", "unit": "乙", "item": "petition_letter"},  # +0.1/6 = 0.35
    ])
    t = published(score.score(dataset.load(folder)))
    assert (t["乙"]["total"], t["甲"]["total"]) == (D("80.35"), D("80.33"))
    folder2 = write_dataset(tmp_path / "b", [(2024, "甲", 3), (2024, "乙", 300)], [
        {"date": "2024-03-01", "unit": "甲", "item": "personnel_motion"},  # 0.33333
        {"date": "2024-03-01", "unit": "乙", "item": "petition_resolved", "quantity": "50"},  # 100/300
        {"date": "2024-03-02", "unit": "乙", "item": "petition_letter"},  # + 0.1/300 = 0.33367
    ])
    t2 = score.score(dataset.load(folder2)).table(2024)
    assert list(t2["total"]) == [D("80.33"), D("80.33")] and list(t2["rank"]) == [1, 1]


def test_dense_ranking_as_a_parameter():
    ds = dataset.load("tests/fixtures/handworked")
    rb = rules.load().with_overrides({"ranking.ties": "dense"})
    assert list(score.score(ds, rb).table(2024)["rank"]) == [1, 2, 3, 4, 4, 5, 6]
    assert list(score.score(ds).table(2024)["rank"]) == [1, 2, 3, 4, 4, 6, 7]


def test_floors_hold_and_show_in_the_audit(tmp_path):
    rows = [{"date": "2024-03-01", "unit": "甲", "item": "discipline_violation", "quantity": "9"}]
    folder = write_dataset(tmp_path, [(2024, "甲", 2)], rows,
                           goals=[{"year": 2024, "unit": "甲", "goal": f"目标{i}", "completed": "否"} for i in range(9)])
    sc = score.score(dataset.load(folder))
    t = published(sc)["甲"]
    assert (t["common"], t["goals"], t["total"], t["eligible"]) == (D("0.00"), D("0.00"), D("0.00"), False)
    floors = sc.audit[sc.audit["item"].isin(["common.floor", "goals.floor"])]
    assert sorted(floors["points_u"]) == [5_000_000, 5_000_000]


def test_csv_text_cannot_become_a_formula():
    assert safe_text.safe_text("=SUM(A1)") == "'=SUM(A1)"
    assert safe_text.safe_text("+1") == "'+1" and safe_text.safe_text("@x") == "'@x"
    assert safe_text.safe_text("办公厅") == "办公厅"
