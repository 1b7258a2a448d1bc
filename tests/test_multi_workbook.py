"""Several workbooks read as one data set: one per office, per half year, or several paths;
units sheets repeated in every workbook; the same fact entered in two workbooks."""

import shutil

import pytest
from kit import write_dataset
from workbook_kit import csv_subset, fill, read_csv, sample_year

from kaohe import cli
from kaohe.core.errors import DataError
from kaohe.engine import score
from kaohe.inputs import dataset, duplicates

pytestmark = pytest.mark.usefixtures("english")  # these tests read the English wording


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("multi")
    year = sample_year()
    csv_dir = csv_subset(d / "csv", year)
    tpl = d / "template.xlsx"
    assert cli.main(["template", "--year", str(year), "--from", str(csv_dir), "--out", str(tpl)]) == 0
    return year, csv_dir, tpl


def table_of(paths, year):
    return score.score(dataset.load(paths), with_reasons=False).table(year).to_dict("records")


def per_unit_workbooks(base, folder, drop_units_sheet=False):
    year, csv_dir, tpl = base
    goals, ledger = read_csv(csv_dir / "goals.csv"), read_csv(csv_dir / "ledger.csv")
    units = [r["unit"] for r in read_csv(csv_dir / "units.csv")]
    paths = []
    for i, u in enumerate(units):
        paths.append(fill(tpl, folder / f"{i:02d}_{u}.xlsx", goals=[g for g in goals if g["unit"] == u],
                          ledger=[r for r in ledger if r["unit"] == u], drop_units_sheet=drop_units_sheet))
    return paths


def problems_of(paths):
    with pytest.raises(DataError) as e:
        dataset.load(paths)
    return e.value.problems


def test_a_folder_of_office_workbooks_scores_like_the_csv(base, tmp_path, capsys):
    year, csv_dir, _ = base
    paths = per_unit_workbooks(base, tmp_path / "offices")
    # every workbook carries the same 单位 sheet: accepted once
    ds = dataset.load(tmp_path / "offices")
    assert len(ds.units) == len(read_csv(csv_dir / "units.csv"))
    assert table_of(tmp_path / "offices", year) == table_of(csv_dir, year)
    assert table_of(paths, year) == table_of(csv_dir, year)  # several paths
    assert cli.main(["score", *map(str, paths), "--year", str(year)]) == 0
    assert cli.main(["score", str(csv_dir), "--year", str(year)]) == 0
    out = capsys.readouterr().out.splitlines()
    n = len(out) // 2
    assert out[:n] == out[n:]


def test_office_workbooks_without_units_sheet_and_a_units_workbook(base, tmp_path):
    year, csv_dir, tpl = base
    per_unit_workbooks(base, tmp_path / "all", drop_units_sheet=True)
    fill(tpl, tmp_path / "all" / "办公厅汇总.xlsx")  # only the pre-filled 单位 sheet
    assert table_of(tmp_path / "all", year) == table_of(csv_dir, year)
    # a folder of workbooks and a CSV units table given as two paths
    shutil.copytree(tmp_path / "all", tmp_path / "offices")
    (tmp_path / "offices" / "办公厅汇总.xlsx").unlink()
    (tmp_path / "u").mkdir()
    shutil.copy(csv_dir / "units.csv", tmp_path / "u" / "units.csv")
    assert table_of([tmp_path / "offices", tmp_path / "u" / "units.csv"], year) == table_of(csv_dir, year)


def test_half_year_workbooks_read_as_one(base, tmp_path):
    year, csv_dir, tpl = base
    ledger, goals = read_csv(csv_dir / "ledger.csv"), read_csv(csv_dir / "goals.csv")
    h1 = fill(tpl, tmp_path / "上半年.xlsx", ledger=[r for r in ledger if r["date"][5:7] <= "06"])
    h2 = fill(tpl, tmp_path / "下半年.xlsx", goals=goals, ledger=[r for r in ledger if r["date"][5:7] > "06"])
    assert table_of([h1, h2], year) == table_of(csv_dir, year)


def test_conflicting_staff_is_reported_on_both_rows(base, tmp_path):
    year, csv_dir, tpl = base
    units = read_csv(csv_dir / "units.csv")
    a = fill(tpl, tmp_path / "a.xlsx")
    changed = [dict(u) for u in units]
    changed[2]["staff"] = str(float(changed[2]["staff"]) + 1)
    b = fill(tpl, tmp_path / "b.xlsx", units=changed)
    p = problems_of([a, b])
    assert sorted(zip(p["file"], p["sheet"], p["row"])) == [("a.xlsx", "单位", 4), ("b.xlsx", "单位", 4)]
    msg = dict(zip(p["file"], p["expected"]))
    assert "b.xlsx, sheet 单位, row 4" in msg["a.xlsx"] and "a.xlsx, sheet 单位, row 4" in msg["b.xlsx"]
    assert units[2]["unit"] in msg["a.xlsx"]


def test_two_rows_for_a_unit_in_one_workbook_stay_an_error(base, tmp_path):
    _, csv_dir, tpl = base
    units = read_csv(csv_dir / "units.csv")
    a = fill(tpl, tmp_path / "a.xlsx", units=[*units, units[0]])
    p = problems_of([a])
    assert list(zip(p["sheet"], p["row"])) == [("单位", len(units) + 2)]
    assert "already on row 2" in p["expected"].iloc[0]


def test_the_same_fact_in_two_workbooks_is_reported_on_both(base, tmp_path):
    year, csv_dir, tpl = base
    ledger = read_csv(csv_dir / "ledger.csv")
    fact = next(r for r in ledger if r["subject"])
    other = [r for r in ledger if r is not fact]
    a = fill(tpl, tmp_path / "a.xlsx", ledger=[*other[:5], fact])
    b = fill(tpl, tmp_path / "b.xlsx", ledger=[fact, *other[5:]])
    p = problems_of([a, b])
    assert sorted(zip(p["file"], p["sheet"], p["row"], p["column"])) == [
        ("a.xlsx", "台账", 7, "item"), ("b.xlsx", "台账", 2, "item")]
    msg = dict(zip(p["file"], p["expected"]))
    assert "b.xlsx, sheet 台账, row 2" in msg["a.xlsx"] and "a.xlsx, sheet 台账, row 7" in msg["b.xlsx"]
    assert cli.main(["score", str(a), str(b), "--year", str(year)]) == 1


def test_identical_rows_within_one_workbook_are_two_facts(tmp_path):
    units = [(2024, "办公厅", 10)]
    letter = {"date": "2024-03-01", "unit": "办公厅", "item": "petition_letter"}
    one = write_dataset(tmp_path / "one", units, [letter, letter, letter])
    sc = score.score(dataset.load(one))
    assert sc.units["daily_points"].iloc[0] * 10 == 3  # 3 × 0.1


def make_ledgers(tmp_path, a_rows, b_rows):
    units = [(2024, "办公厅", 10), (2024, "研究室", 3)]
    a = write_dataset(tmp_path / "a", units, a_rows)
    b = tmp_path / "b"
    b.mkdir()
    write_dataset(tmp_path / "b_full", units, b_rows)
    shutil.copy(tmp_path / "b_full" / "ledger.csv", b / "ledger.csv")
    return [a, b]


@pytest.mark.parametrize("a_row,b_row,same", [
    # with a 事由 or 人员: same date, unit, item, subject, person → the same fact, even if amounts differ
    ({"item": "sc_meeting", "subject": "第十次会议", "days": "2"},
     {"item": "sc_meeting", "subject": "第十次会议", "days": "3"}, True),
    ({"item": "sc_meeting", "subject": "第十次会议"}, {"item": "sc_meeting", "subject": " 第十次  会议 "}, True),
    ({"item": "leave", "person": "张三", "days": "2"}, {"item": "leave", "person": "张三", "days": "2"}, True),
    ({"item": "leave", "person": "张三", "days": "2"}, {"item": "leave", "person": "李四", "days": "2"}, False),
    ({"item": "sc_meeting", "subject": "第十次会议"}, {"item": "sc_meeting", "subject": "第十一次会议"}, False),
    # without 事由 and 人员: the amounts must match too
    ({"item": "petition_letter"}, {"item": "petition_letter"}, True),
    ({"item": "petition_letter", "quantity": "1"}, {"item": "petition_letter"}, True),
    ({"item": "petition_letter", "quantity": "2"}, {"item": "petition_letter", "quantity": "3"}, False),
    ({"item": "petition_letter", "ref": "A-1"}, {"item": "petition_letter", "ref": "A-2"}, False),
    ({"item": "petition_letter", "note": "x"}, {"item": "petition_letter", "note": "y"}, True),
    # other unit, other date, other item: other facts
    ({"item": "petition_letter"}, {"item": "petition_letter", "unit": "研究室"}, False),
    ({"item": "petition_letter"}, {"item": "petition_letter", "date": "2024-03-02"}, False),
    ({"item": "petition_letter"}, {"item": "petition_visit"}, False),
    ({"item": "petition_letter"}, {"item": "来信登记转办"}, True),  # Chinese name = code
])
def test_what_the_same_fact_means(tmp_path, a_row, b_row, same):
    base_row = {"date": "2024-03-01", "unit": "办公厅"}
    paths = make_ledgers(tmp_path, [{**base_row, **a_row}], [{**base_row, **b_row}])
    if same:
        p = problems_of(paths)
        assert sorted(p["file"]) == ["a/ledger.csv", "b/ledger.csv"] and list(p["row"]) == [2, 2]
    else:
        dataset.load(paths)


def test_rows_in_error_are_not_also_called_duplicates(tmp_path):
    row = {"date": "2024-03-01", "unit": "办公厅", "item": "no_such_item"}
    p = problems_of(make_ledgers(tmp_path, [row], [row]))
    assert set(p["column"]) == {"item"} and not p["expected"].str.contains("one file only").any()


def test_a_fact_in_three_files_names_the_others(tmp_path):
    units = [(2024, "办公厅", 10)]
    row = {"date": "2024-03-01", "unit": "办公厅", "item": "petition_letter"}
    a = write_dataset(tmp_path / "a", units, [row])
    paths = [a]
    for name in ("b", "c"):
        (tmp_path / name).mkdir()
        shutil.copy(a / "ledger.csv", tmp_path / name / "ledger.csv")
        paths.append(tmp_path / name)
    p = problems_of(paths).sort_values("file")
    assert list(p["file"]) == ["a/ledger.csv", "b/ledger.csv", "c/ledger.csv"]
    assert "b/ledger.csv, line 2 and 1 more file(s)" in p["expected"].iloc[0]
    assert "a/ledger.csv, line 2 and 1 more file(s)" in p["expected"].iloc[1]


def test_only_the_repeated_rows_among_many_are_reported(tmp_path):
    rows = [{"date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "unit": "办公厅", "item": "news_report",
             "subject": f"报道{i}"} for i in range(3000)]
    paths = make_ledgers(tmp_path, rows[:2000], rows[1990:])
    p = problems_of(paths)
    assert len(p) == 20
    assert sorted(p.loc[p["file"] == "a/ledger.csv", "row"]) == list(range(1992, 2002))
    assert duplicates.ledger(dataset.load(paths[0]).ledger).empty  # one file: nothing to compare


def test_errors_name_the_workbook_sheet_row_and_column(base, tmp_path):
    year, csv_dir, tpl = base
    ledger = read_csv(csv_dir / "ledger.csv")
    good = fill(tpl, tmp_path / "good.xlsx", ledger=ledger[:3])
    bad_row = {**ledger[3], "date": "2024-02-30"}
    bad = fill(tpl, tmp_path / "bad.xlsx", ledger=[ledger[4], bad_row], drop_units_sheet=True)
    p = problems_of([good, bad])
    assert list(zip(p["file"], p["sheet"], p["row"], p["column"])) == [("bad.xlsx", "台账", 3, "date")]
    assert p["value"].iloc[0] == "2024-02-30"
