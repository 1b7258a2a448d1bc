"""The rules that look beyond one row: leave allowance, reading once, once a year, lateness."""

from decimal import Decimal as D

import pytest
from kit import published, score_rows, write_dataset

from kaohe.core.errors import DataError
from kaohe.engine import score
from kaohe.inputs import dataset


def _by_row(sc):
    led = sc.audit[sc.audit["source"] == "ledger"].sort_values("row")
    return [D(int(p)) / 1_000_000 for p in led["points_u"]]


# ------------------------------------------------------------------ leave
def test_leave_accumulates_in_date_order_not_file_order(tmp_path):
    sc = score_rows(tmp_path, [
        {"date": "2024-05-01", "item": "leave", "person": "张三", "days": "10"},
        {"date": "2024-02-01", "item": "leave", "person": "张三", "days": "10"},
    ])
    assert _by_row(sc) == [D("-2.5"), 0]  # the May row holds days 16–20


def test_leave_follows_the_person_across_units(tmp_path):
    folder = write_dataset(tmp_path, [(2024, "研究室", 3), (2024, "法制工作委员会", 4)], [
        {"date": "2024-02-01", "unit": "研究室", "item": "leave", "person": "张三", "days": "12"},
        {"date": "2024-08-01", "unit": "法制工作委员会", "item": "leave", "person": "张三", "days": "6"},
        {"date": "2024-09-01", "unit": "法制工作委员会", "item": "leave", "person": "李四", "days": "6"},
    ])
    t = published(score.score(dataset.load(folder)))
    assert t["研究室"]["common"] == D("40.00")
    assert t["法制工作委员会"]["common"] == D("38.50")  # 3 days past 15 × 0.5


def test_leave_restarts_each_year(tmp_path):
    folder = write_dataset(tmp_path, [(2023, "办公厅", 3), (2024, "办公厅", 3)], [
        {"date": "2023-12-01", "unit": "办公厅", "item": "leave", "person": "张三", "days": "14"},
        {"date": "2024-01-02", "unit": "办公厅", "item": "leave", "person": "张三", "days": "14"},
    ])
    sc = score.score(dataset.load(folder))
    assert published(sc, 2023)["办公厅"]["common"] == D("40.00")
    assert published(sc, 2024)["办公厅"]["common"] == D("40.00")


def test_exempt_leave_never_counts_toward_the_allowance(tmp_path):
    sc = score_rows(tmp_path, [
        {"date": "2024-02-01", "item": "leave_exempt", "person": "张三", "days": "30"},
        {"date": "2024-03-01", "item": "leave", "person": "张三", "days": "15"},
    ])
    assert _by_row(sc) == [0, 0]


def test_leave_allowance_is_a_parameter(tmp_path):
    from kaohe.rulebook import rules

    rb = rules.load().with_overrides({"leave.allowance": 10, "leave": 1})
    sc = score_rows(tmp_path, [{"item": "leave", "person": "张三", "days": "12"}], rulebook=rb)
    assert _by_row(sc) == [-2]


# ------------------------------------------------------------------ reading once
def _reading(tmp_path, rows, units=((2024, "法制工作委员会", 4),)):
    folder = write_dataset(tmp_path, list(units), rows)
    return score.score(dataset.load(folder))


def test_unchanged_second_reading_by_the_same_unit_scores_once(tmp_path):
    sc = _reading(tmp_path, [
        {"date": "2024-03-01", "unit": "法制工作委员会", "item": "regulation_first_reading", "subject": "《甲条例》"},
        {"date": "2024-06-28", "unit": "法制工作委员会", "item": "regulation_second_reading", "subject": "《甲条例》"},
    ])
    assert _by_row(sc) == [10, 0]


def test_second_reading_with_major_revision_scores(tmp_path):
    sc = _reading(tmp_path, [
        {"date": "2024-03-01", "unit": "法制工作委员会", "item": "regulation_first_reading", "subject": "《甲条例》"},
        {"date": "2024-06-28", "unit": "法制工作委员会", "item": "regulation_second_reading", "subject": "《甲条例》",
         "major_revision": "是"},
    ])
    assert _by_row(sc) == [10, 10]


def test_first_reading_in_an_earlier_year_counts(tmp_path):
    sc = _reading(tmp_path, [
        {"date": "2023-10-01", "unit": "法制工作委员会", "item": "regulation_first_reading", "subject": "《甲条例》"},
        {"date": "2024-02-01", "unit": "法制工作委员会", "item": "regulation_second_reading",
         "subject": " 《甲条例》 "},
    ], units=((2023, "法制工作委员会", 4), (2024, "法制工作委员会", 4)))
    assert _by_row(sc) == [10, 0]
    assert published(sc, 2024)["法制工作委员会"]["daily_points"] == D("0.00")


@pytest.mark.parametrize("first_unit,first_date,subject", [
    ("财政经济工作委员会", "2024-03-01", "《甲条例》"),  # another unit did the first reading
    ("法制工作委员会", "2024-06-28", "《甲条例》"),  # same day: not earlier
    ("法制工作委员会", "2024-07-01", "《甲条例》"),  # later
    ("法制工作委员会", "2024-03-01", "《乙条例》"),  # another regulation
])
def test_second_reading_scores_without_an_earlier_own_first_reading(tmp_path, first_unit, first_date, subject):
    sc = _reading(tmp_path, [
        {"date": first_date, "unit": first_unit, "item": "regulation_first_reading", "subject": subject},
        {"date": "2024-06-28", "unit": "法制工作委员会", "item": "regulation_second_reading", "subject": "《甲条例》"},
    ], units=((2024, "法制工作委员会", 4), (2024, "财政经济工作委员会", 4)))
    second = sc.audit[sc.audit["item"] == "regulation_second_reading"]
    assert int(second["points_u"].iloc[0]) == 10_000_000


# ------------------------------------------------------------------ once a year
def test_management_items_give_five_once_a_year_and_every_error_counts(tmp_path):
    sc = score_rows(tmp_path, [
        {"date": "2024-06-01", "item": "document_management", "errors": "2"},
        {"date": "2024-01-15", "item": "document_management"},
        {"date": "2024-09-01", "item": "document_management", "errors": "1"},
        {"date": "2024-02-01", "item": "finance_management"},
    ])
    assert _by_row(sc) == [-2, 5, -1, 5]


# ------------------------------------------------------------------ working days
@pytest.mark.parametrize("ended,published_on,value", [
    ("2024-09-27", "2024-09-29", 0),  # Friday; Sunday 9-29 is an adjusted workday (调休)
    ("2024-09-27", "2024-09-30", D("-0.5")),
    ("2024-09-30", "2024-10-08", 0),  # 10-01 … 10-07 National Day holiday
    ("2024-09-30", "2024-10-09", D("-0.5")),
    ("2024-04-30", "2024-05-06", 0),  # Labour Day 5-01 … 5-05
    ("2024-04-30", "2024-05-07", D("-0.5")),
    ("2024-03-01", "2024-03-01", 0),  # same day
    ("2024-03-01", "2024-03-04", 0),  # Friday → Monday
    ("2024-03-01", "2024-03-05", D("-0.5")),
    ("2024-03-01", "", D("-0.5")),  # never published
])
def test_major_activity_lateness_by_the_official_calendar(tmp_path, ended, published_on, value):
    sc = score_rows(tmp_path, [{"date": ended, "item": "major_activity", "published": published_on}])
    assert _by_row(sc) == [value]


def test_a_year_the_calendar_lacks_is_an_error_saying_how_to_proceed(tmp_path):
    units = [(2027, "办公厅", 5)]
    rows = [{"date": "2027-03-05", "unit": "办公厅", "item": "major_activity", "published": "2027-03-08"}]
    with pytest.raises(DataError) as e:
        dataset.load(write_dataset(tmp_path / "a", units, rows))
    p = e.value.problems.iloc[0]
    assert p["code"] == "calendar_missing"
    msg = p["expected"]
    assert "2027" in msg and "pip install -U chinesecalendar" in msg and "日历" in msg
    # the data set supplies 2027's holidays and adjusted workdays
    for cal, value in (([("2027-03-08", "休")], 0),  # Friday → Mon 3-08 off → deadline Tue 3-09
                       ([("2027-03-08", "休"), ("2027-03-06", "班")], -500_000)):  # Sat 3-06 works
        ds = dataset.load(write_dataset(tmp_path / f"b{len(cal)}", units, rows, calendar=cal))
        assert score.score(ds).audit.query("item == 'major_activity'")["points_u"].iloc[0] == value


def test_other_items_do_not_need_the_calendar(tmp_path):
    folder = write_dataset(tmp_path, [(2027, "办公厅", 5)], [{"date": "2027-03-05", "unit": "办公厅", "item": "lecture"}])
    assert published(score.score(dataset.load(folder)), 2027)["办公厅"]["total"] == D("80.40")


def test_half_year_view_keeps_the_first_half_and_goals_in_progress(tmp_path):
    folder = write_dataset(tmp_path, [(2024, "办公厅", 2)], [
        {"date": "2024-06-30", "unit": "办公厅", "item": "lecture"},
        {"date": "2024-07-01", "unit": "办公厅", "item": "lecture"},
    ], goals=[{"year": 2024, "unit": "办公厅", "goal": "目标一", "completed": "否"}])
    ds = dataset.load(folder)
    assert published(score.score(ds))["办公厅"]["total"] == D("77.00")  # 40 + 35 + 4 ÷ 2
    h1 = published(score.score(ds.until("2024-06-30")))["办公厅"]
    assert (h1["goals"], h1["daily_points"]) == (D("40.00"), D("2.00"))
