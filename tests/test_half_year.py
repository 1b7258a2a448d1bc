"""The half-year view (H1, 半年集中督查) compares like with like: with the first half of the
earlier years, scored as the current half-year is (ledger to 30 June, goals in progress) —
never with their whole years; where no earlier first half can be made it says so."""

from decimal import Decimal as D

import pytest
from kit import write_dataset

from kaohe.core.i18n import set_language
from kaohe.output import summary, views
from kaohe.report import display, workbook

UNITS = [(y, u, 1) for y in (2023, 2024) for u in ("甲委", "乙委", "丙委")]
# 2023, whole year: 乙委 90 (journal ×2 in October), 甲委 85, 丙委 80.5 − 5 (goal missed) = 75.5
# 2023, to 30 June: 甲委 85, 丙委 80.5 (goal in progress), 乙委 80
# 2024, to 30 June: 乙委 85, 甲委 80.5, 丙委 80
LEDGER = [
    {"date": "2023-03-01", "unit": "甲委", "item": "journal_issue"},
    {"date": "2023-10-01", "unit": "乙委", "item": "journal_issue", "quantity": "2"},
    {"date": "2023-04-01", "unit": "丙委", "item": "news_report"},
    {"date": "2024-02-01", "unit": "乙委", "item": "journal_issue"},
    {"date": "2024-03-01", "unit": "甲委", "item": "news_report"},
]
GOALS = [{"year": 2023, "unit": "丙委", "goal": "目标一", "completed": "否"}]


@pytest.fixture(autouse=True)
def chinese():
    set_language("zh_CN")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("half") / "ds", UNITS, LEDGER, GOALS)


@pytest.fixture(scope="module")
def half(data):
    return views.annual(data, 2024, "H1")


@pytest.fixture(scope="module")
def whole(data):
    return views.annual(data, 2024)


@pytest.fixture(scope="module")
def no_first_half(tmp_path_factory):
    """2023's ledger holds only an October record: no first half of 2023 to compare with."""
    ledger = [r for r in LEDGER if r["date"][:4] == "2024" or r["date"] == "2023-10-01"]
    return views.annual(write_dataset(tmp_path_factory.mktemp("half") / "ds", UNITS, ledger), 2024, "H1")


def test_results_compare_with_the_first_half_of_the_year_before(half):
    t = views.results(half.scores, 2024, "H1").set_index("unit")
    assert t["prev_rank"].to_dict() == {"乙委": "3", "甲委": "1", "丙委": "2"}  # 2023 to 30 June
    assert t["move"].to_dict() == {"乙委": "↑2", "甲委": "↓1", "丙委": "↓1"}


def test_the_annual_view_still_compares_whole_years(whole):
    t = views.results(whole.scores, 2024).set_index("unit")
    assert t["prev_rank"].to_dict() == {"乙委": "1", "甲委": "2", "丙委": "3"}
    assert "两年均参加排名的单位名次与2023年相同" in "".join(summary.overview(whole.scores, 2024))


def test_overview_names_the_half_year_compared_with(half):
    text = "".join(summary.overview(half.scores, 2024, "H1"))
    assert "与2023年上半年相比，名次上升最多的是乙委（↑2）" in text
    assert "与2023年相比" not in text


def test_over_years_sets_half_years_side_by_side(half):
    y = views.over_years(half.scores, 2024, "H1")
    assert list(y["label"].unique()) == ["2023上半年", "2024上半年"]
    y23 = y[y["year"] == 2023].set_index("unit")
    assert y23["total"].to_dict() == {"甲委": D("85.00"), "丙委": D("80.50"), "乙委": D("80.00")}
    hist = {p.unit: p.history for p in views.profiles(half.scores, 2024, "H1")}
    assert list(hist["乙委"]["rank"]) == [3, 1]


def test_the_workbook_compares_with_the_first_half_too(half):
    t = workbook.results(half.scores, 2024, "H1").set_index("unit")
    assert t["rank_last"].to_dict() == {"乙委": 3, "甲委": 1, "丙委": 2}
    sheet = workbook.result_sheet(half.scores, 2024, "t", "H1")
    assert sheet.headers["rank_last"] == "上年同期名次" and "上一年度上半年" in sheet.note


def test_no_earlier_first_half_means_nothing_to_compare(no_first_half):
    sc = no_first_half.scores
    assert views.half_year_of(sc, 2023) is None
    assert "prev_rank" not in views.results(sc, 2024, "H1")
    assert views.over_years(sc, 2024, "H1").empty
    text = "".join(summary.overview(sc, 2024, "H1"))
    assert "数据集中没有2023年上半年的记录" in text and "与2023年" not in text
    (shown,) = display.history(no_first_half)
    assert "没有可比较的往年同期" in shown.data
