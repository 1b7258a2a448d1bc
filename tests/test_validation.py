"""Bad input: every problem at once, named by file, row (as the user sees it), column, value,
with what was expected; nothing scored, nothing written."""

import pytest
from kit import write_dataset

from kaohe import cli
from kaohe.core.errors import DataError
from kaohe.inputs import dataset

UNITS = [(2023, "办公厅", 10), (2024, "办公厅", 10), (2024, "研究室", 3), (2023, "旧委员会", 2)]
GOOD = {"date": "2024-03-01", "unit": "办公厅", "item": "lecture"}


def problems_of(tmp_path, ledger=(), units=UNITS, goals=(), calendar=None):
    folder = write_dataset(tmp_path / "ds", units, ledger, goals=goals, calendar=calendar)
    with pytest.raises(DataError) as e:
        dataset.load(folder)
    return e.value.problems


def one(tmp_path, row, **kw):
    p = problems_of(tmp_path, [GOOD, {**GOOD, **row}], **kw)
    assert len(p) == 1, p.to_string()
    r = p.iloc[0]
    assert (r["file"], r["row"]) == ("ledger.csv", 3)  # header line 1, first row line 2
    return r


@pytest.mark.parametrize("row,column,value,words", [
    ({"unit": "不存在委员会"}, "unit", "不存在委员会", "units table for 2024"),
    ({"unit": "旧委员会"}, "unit", "旧委员会", "listed for 2023"),
    ({"unit": "研究室 ", "date": "2023-05-01"}, "unit", "研究室", "listed for 2024"),
    ({"item": "lectures"}, "item", "lectures", "did you mean lecture"),
    ({"item": "专题讲座活动"}, "item", "专题讲座活动", "item code or Chinese name"),
    ({"item": "deputy_inspection", "role": "boss"}, "role", "boss", "organizer"),
    ({"role": "coordinator"}, "role", "coordinator", "does not use role"),
    ({"missing_steps": "1"}, "missing_steps", "1", "does not use missing_steps"),
    ({"item": "director_meeting", "days": "1"}, "days", "1", "does not use days"),
    ({"points": "2"}, "points", "2", "does not use points"),
    ({"item": "leave", "person": "张三", "days": "2", "quantity": "1"}, "quantity", "1", "its amount is days"),
    ({"quantity": "-2"}, "quantity", "-2", "≥ 1"),
    ({"quantity": "0"}, "quantity", "0", "≥ 1"),
    ({"quantity": "两个"}, "quantity", "两个", "whole number"),
    ({"quantity": "1.5"}, "quantity", "1.5", "whole number"),
    ({"item": "sc_meeting", "days": "-1"}, "days", "-1", "> 0"),
    ({"item": "sc_meeting", "days": "1.125"}, "days", "1.125", "2 decimals"),
    ({"item": "speech_draft", "chars": "-5"}, "chars", "-5", "≥ 0"),
    ({"item": "sc_meeting", "errors": "many"}, "errors", "many", "whole number"),
    ({"date": "2024-02-30"}, "date", "2024-02-30", "date"),
    ({"date": "昨天"}, "date", "昨天", "date"),
    ({"date": ""}, "date", "", "required"),
    ({"item": ""}, "item", "", "required"),
    ({"item": "major_activity", "published": "2024-13-01"}, "published", "2024-13-01", "date"),
    ({"item": "regulation_second_reading", "subject": "x", "major_revision": "也许"}, "major_revision", "也许", "是/否"),
    ({"item": "innovation", "points": "3"}, "ref", "", "requires ref"),
    ({"item": "innovation", "ref": "纪要"}, "points", "", "requires points"),
    ({"item": "innovation", "ref": "纪要", "points": "1.23456"}, "points", "1.23456", "4 decimals"),
    ({"item": "leave", "days": "3"}, "person", "", "requires person"),
    ({"item": "leave", "person": "张三"}, "days", "", "requires days"),
    ({"item": "study_program", "days": "3"}, "participants", "", "requires participants"),
    ({"item": "speech_draft"}, "chars", "", "requires chars"),
    ({"item": "regulation_first_reading"}, "subject", "", "requires subject"),
    ({"item": "document_management", "quantity": "2"}, "quantity", "2", "once a year"),
])
def test_each_ledger_error(tmp_path, row, column, value, words):
    r = one(tmp_path, row)
    assert r["column"].startswith(column), r["column"]
    assert r["value"] == value
    assert words in r["expected"], r["expected"]


def test_neutral_values_are_not_errors(tmp_path):
    folder = write_dataset(tmp_path, UNITS, [
        {**GOOD, "missing_steps": "0", "errors": "0", "role": "organizer", "person": "张三", "subject": "讲座",
         "ref": "x", "note": "任何行都可以填写备注"},
        {**GOOD, "role": "承办"},
    ])
    assert len(dataset.load(folder).ledger) == 2


@pytest.mark.parametrize("units,column,words", [
    ([(2024, "办公厅", 0)], "staff", "> 0"),
    ([(2024, "办公厅", -3)], "staff", "> 0"),
    ([(2024, "办公厅", "")], "staff", "required"),
    ([(2024, "办公厅", "十")], "staff", "number"),
    ([("二〇二四", "办公厅", 3)], "year", "year"),
    ([(2024, "办公厅", 3), (2024, "办公厅", 4)], "unit", "one row per unit and year"),
])
def test_units_errors(tmp_path, units, column, words):
    p = problems_of(tmp_path, [], units=units)
    assert any(r["column"].startswith(column) and words in r["expected"] and r["file"] == "units.csv"
               for _, r in p.iterrows()), p.to_string()


def test_goals_errors(tmp_path):
    p = problems_of(tmp_path, [GOOD], goals=[
        {"year": 2024, "unit": "办公厅", "goal": "目标一", "completed": "差不多"},
        {"year": 2024, "unit": "外单位", "goal": "目标二", "completed": "是"},
        {"year": 2024, "unit": "办公厅", "goal": "", "completed": "是"},
    ])
    got = {(r["row"], r["column"].split(" ")[0]) for _, r in p.iterrows()}
    assert got == {(2, "completed"), (3, "unit"), (4, "goal")}


def test_missing_columns_and_tables(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "units.csv").write_text("year,unit\n2024,办公厅\n", encoding="utf-8")
    (folder / "goals.csv").write_text("年度,单位,目标,完成,评分人\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        dataset.load(folder)
    text = str(e.value)
    assert "staff" in text and "评分人" in text and "a table ledger (台账)" in text


def test_every_problem_at_once_with_exact_csv_lines(tmp_path):
    folder = tmp_path / "ds"
    write_dataset(folder, UNITS)
    (folder / "ledger.csv").write_text(
        "日期,单位,事项,数量,备注\n"
        "2024-03-01,办公厅,lecture,1,\"两行\n的备注\"\n"  # lines 2–3
        "\n"  # line 4: blank
        "2024-03-01,办公厅,lectur,1,\n"  # line 5
        "2024-03-01,外单位,lecture,x,\n",  # line 6
        encoding="utf-8")
    with pytest.raises(DataError) as e:
        dataset.load(folder)
    p = e.value.problems
    assert sorted(zip(p["row"], p["column"].str.split(" ").str[0])) == [(5, "item"), (6, "quantity"), (6, "unit")]


def test_cli_writes_nothing_and_exits_1_on_bad_input(tmp_path, capsys):
    folder = write_dataset(tmp_path / "ds", UNITS, [GOOD, {**GOOD, "quantity": "x"}, {**GOOD, "unit": "?"}])
    out = tmp_path / "result.xlsx"
    assert cli.main(["score", str(folder), "--year", "2024", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert not out.exists()
    assert "ledger.csv, line 3, column quantity (数量), value 'x'" in err
    assert "ledger.csv, line 4, column unit (单位), value '?'" in err
    assert "Traceback" not in err
    assert cli.main(["validate", str(folder)]) == 1


def test_unknown_csv_file_in_the_folder_is_reported(tmp_path):
    folder = write_dataset(tmp_path / "ds", UNITS, [GOOD])
    (folder / "ledger_old.csv").write_text("date\n", encoding="utf-8")
    with pytest.raises(DataError, match="ledger_old.csv"):
        dataset.load(folder)
