"""Bad input: every problem at once, named by file, row (as the user sees it), column, value,
with what was expected; nothing scored, nothing written."""

import pytest
from kit import write_dataset

from kaohe import cli
from kaohe.core import contract
from kaohe.core.errors import DataError
from kaohe.inputs import dataset

UNITS = [(2023, "办公厅", 10), (2024, "办公厅", 10), (2024, "研究室", 3), (2023, "旧委员会", 2)]
GOOD = {"date": "2024-03-01", "unit": "办公厅", "item": "lecture"}


def problems_of(tmp_path, ledger=(), units=UNITS, goals=(), calendar=None):
    folder = write_dataset(tmp_path / "ds", units, ledger, goals=goals, calendar=calendar)
    with pytest.raises(DataError) as e:
        dataset.load(folder)
    return e.value.problems


def is_column(r, table, name):
    """The problem names ``name`` (by its Chinese label in Chinese, its name in English)."""
    return r["column"] in (name, contract.column(table, name).zh)


def one(tmp_path, row, **kw):
    p = problems_of(tmp_path, [GOOD, {**GOOD, **row}], **kw)
    assert len(p) == 1, p.to_string()
    r = p.iloc[0]
    assert (r["file"], r["row"]) == ("ledger.csv", 3)  # header line 1, first row line 2
    return r


@pytest.mark.parametrize("row,column,value,code", [
    ({"unit": "不存在委员会"}, "unit", "不存在委员会", "unknown_unit"),
    ({"unit": "旧委员会"}, "unit", "旧委员会", "unknown_unit"),
    ({"unit": "研究室 ", "date": "2023-05-01"}, "unit", "研究室", "unknown_unit"),
    ({"item": "lectures"}, "item", "lectures", "unknown_item"),
    ({"item": "专题讲座活动"}, "item", "专题讲座活动", "unknown_item"),
    ({"item": "deputy_inspection", "role": "boss"}, "role", "boss", "bad_choice"),
    ({"role": "coordinator"}, "role", "coordinator", "unused_column"),
    ({"missing_steps": "1"}, "missing_steps", "1", "unused_column"),
    ({"item": "director_meeting", "days": "1"}, "days", "1", "unused_column"),
    ({"points": "2"}, "points", "2", "unused_column"),
    ({"item": "leave", "person": "张三", "days": "2", "quantity": "1"}, "quantity", "1", "unused_column"),
    ({"quantity": "-2"}, "quantity", "-2", "out_of_range"),
    ({"quantity": "0"}, "quantity", "0", "out_of_range"),
    ({"quantity": "两个"}, "quantity", "两个", "bad_number"),
    ({"quantity": "1.5"}, "quantity", "1.5", "bad_number"),
    ({"item": "sc_meeting", "days": "-1"}, "days", "-1", "out_of_range"),
    ({"item": "sc_meeting", "days": "1.125"}, "days", "1.125", "bad_number"),
    ({"item": "speech_draft", "chars": "-5"}, "chars", "-5", "out_of_range"),
    ({"item": "sc_meeting", "errors": "many"}, "errors", "many", "bad_number"),
    ({"date": "2024-02-30"}, "date", "2024-02-30", "bad_date"),
    ({"date": "昨天"}, "date", "昨天", "bad_date"),
    ({"date": ""}, "date", "", "missing_value"),
    ({"item": ""}, "item", "", "missing_value"),
    ({"item": "major_activity", "published": "2024-13-01"}, "published", "2024-13-01", "bad_date"),
    ({"item": "regulation_second_reading", "subject": "x", "major_revision": "也许"}, "major_revision", "也许", "bad_yesno"),
    ({"item": "innovation", "points": "3"}, "ref", "", "missing_value"),
    ({"item": "innovation", "ref": "纪要"}, "points", "", "missing_value"),
    ({"item": "innovation", "ref": "纪要", "points": "1.23456"}, "points", "1.23456", "bad_number"),
    ({"item": "leave", "days": "3"}, "person", "", "missing_value"),
    ({"item": "leave", "person": "张三"}, "days", "", "missing_value"),
    ({"item": "study_program", "days": "3"}, "participants", "", "missing_value"),
    ({"item": "speech_draft"}, "chars", "", "missing_value"),
    ({"item": "regulation_first_reading"}, "subject", "", "missing_value"),
    ({"item": "document_management", "quantity": "2"}, "quantity", "2", "once_a_year"),
])
def test_each_ledger_error(tmp_path, row, column, value, code):
    r = one(tmp_path, row)
    assert is_column(r, "ledger", column), r["column"]
    assert r["value"] == value
    assert r["code"] == code, (r["code"], r["expected"])


def test_neutral_values_are_not_errors(tmp_path):
    folder = write_dataset(tmp_path, UNITS, [
        {**GOOD, "missing_steps": "0", "errors": "0", "role": "organizer", "person": "张三", "subject": "讲座",
         "ref": "x", "note": "任何行都可以填写备注"},
        {**GOOD, "role": "承办"},
    ])
    assert len(dataset.load(folder).ledger) == 2


@pytest.mark.parametrize("units,column,code", [
    ([(2024, "办公厅", 0)], "staff", "out_of_range"),
    ([(2024, "办公厅", -3)], "staff", "out_of_range"),
    ([(2024, "办公厅", "")], "staff", "missing_value"),
    ([(2024, "办公厅", "十")], "staff", "bad_number"),
    ([("二〇二四", "办公厅", 3)], "year", "bad_number"),
    ([(2024, "办公厅", 3), (2024, "办公厅", 4)], "unit", "duplicate_unit"),
])
def test_units_errors(tmp_path, units, column, code):
    p = problems_of(tmp_path, [], units=units)
    assert any(is_column(r, "units", column) and r["code"] == code and r["file"] == "units.csv"
               for _, r in p.iterrows()), p.to_string()


def test_goals_errors(tmp_path):
    p = problems_of(tmp_path, [GOOD], goals=[
        {"year": 2024, "unit": "办公厅", "goal": "目标一", "completed": "差不多"},
        {"year": 2024, "unit": "外单位", "goal": "目标二", "completed": "是"},
        {"year": 2024, "unit": "办公厅", "goal": "", "completed": "是"},
    ])
    got = {(r["row"], r["column"], r["code"]) for _, r in p.iterrows()}
    zh = {c.name: c.zh for c in contract.columns("goals")}
    assert got == {(2, zh["completed"], "bad_yesno"), (3, zh["unit"], "unknown_unit"),
                   (4, zh["goal"], "missing_value")}


def test_missing_columns_and_tables(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "units.csv").write_text("year,unit\n2024,办公厅\n", encoding="utf-8")
    (folder / "goals.csv").write_text("年度,单位,目标,完成,评分人\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        dataset.load(folder)
    p = e.value.problems
    assert set(p["code"]) == {"missing_column", "unknown_column", "missing_table"}
    assert p.loc[p["code"] == "unknown_column", "value"].tolist() == ["评分人"]
    text = str(e.value)
    assert "实际工作人员人数" in text and "评分人" in text and "ledger" in text


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
    assert sorted(zip(p["row"], p["code"])) == [(5, "unknown_item"), (6, "bad_number"), (6, "unknown_unit")]


def test_cli_writes_nothing_and_exits_1_on_bad_input(tmp_path, capsys):
    folder = write_dataset(tmp_path / "ds", UNITS, [GOOD, {**GOOD, "quantity": "x"}, {**GOOD, "unit": "?"}])
    out = tmp_path / "result.xlsx"
    assert cli.main(["score", str(folder), "--year", "2024", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert not out.exists()
    assert "ledger.csv 第3行「数量」列，值「x」" in err  # Chinese by default
    assert "ledger.csv 第4行「单位」列，值「?」" in err
    assert "Traceback" not in err
    assert cli.main(["validate", str(folder)]) == 1


def test_unknown_csv_file_in_the_folder_is_reported(tmp_path):
    folder = write_dataset(tmp_path / "ds", UNITS, [GOOD])
    (folder / "ledger_old.csv").write_text("date\n", encoding="utf-8")
    with pytest.raises(DataError, match="ledger_old.csv"):
        dataset.load(folder)


def test_problem_lines_in_english(tmp_path, capsys, monkeypatch):
    from kaohe.core import i18n

    monkeypatch.setenv("KAOHE_LANG", "en")
    i18n.set_language()
    try:
        folder = write_dataset(tmp_path / "ds", UNITS, [GOOD, {**GOOD, "item": "leave", "person": "张三",
                                                              "days": "2", "quantity": "1"}])
        assert cli.main(["score", str(folder), "--year", "2024"]) == 1
        err = capsys.readouterr().err
        assert "ledger.csv, line 3, column quantity, value '1': empty: leave (请假) does not use quantity" in err
    finally:
        monkeypatch.delenv("KAOHE_LANG")
        i18n.set_language()


def test_a_year_the_units_table_does_not_list_is_named_where_it_was_written(tmp_path):
    """A typo in a date (2042 for 2024) is the date's problem, not the unit's."""
    r = one(tmp_path, {"date": "2042-03-01"})
    assert is_column(r, "ledger", "date") and r["value"] == "2042-03-01" and r["code"] == "unknown_year"
    assert "2023、2024" in r["expected"]
    p = problems_of(tmp_path / "goals", [GOOD], goals=[{"year": 2204, "unit": "办公厅", "goal": "目标一", "completed": "是"}])
    assert [(r.file, r.code) for r in p.itertuples()] == [("goals.csv", "out_of_range")]
    p = problems_of(tmp_path / "goals2", [GOOD], goals=[{"year": 2022, "unit": "办公厅", "goal": "目标一", "completed": "是"}])
    assert [(r.file, r.code) for r in p.itertuples()] == [("goals.csv", "unknown_year")]
    assert is_column(p.iloc[0], "goals", "year")


def test_a_units_row_with_a_bad_year_is_reported_once_not_per_ledger_row(tmp_path):
    units = [(2024, "办公厅", 10), (2204, "研究室", 3)]
    p = problems_of(tmp_path, [GOOD, *[{**GOOD, "unit": "研究室"}] * 3], units=units,
                    goals=[{"year": 2024, "unit": "研究室", "goal": "目标一", "completed": "是"}])
    assert [(r.file, r.row, r.code) for r in p.itertuples()] == [("units.csv", 3, "out_of_range")]
    # a unit named nowhere else is still reported
    p = problems_of(tmp_path / "b", [GOOD, {**GOOD, "unit": "研究所"}], units=units)
    assert sorted(p["code"]) == ["out_of_range", "unknown_unit"]


def test_a_missing_or_empty_path_is_the_only_problem(tmp_path):
    for path, code in ((tmp_path / "不存在", "missing_path"), (tmp_path, "not_a_dataset")):
        with pytest.raises(DataError) as e:
            dataset.load(path)
        assert e.value.problems["code"].tolist() == [code]
    with pytest.raises(DataError) as e:
        dataset.load(tmp_path / "不存在")
    assert "找不到这个路径" in str(e.value)


def test_a_missing_column_is_not_called_empty(tmp_path):
    folder = write_dataset(tmp_path / "ds", UNITS, [GOOD])
    (folder / "goals.csv").write_text("年度,单位,目标\n2024,办公厅,目标一\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        dataset.load(folder)
    assert e.value.problems["code"].tolist() == ["missing_column"]
    text = str(e.value)
    assert "表头缺少必需的列「完成」" in text and "为空" not in text


@pytest.mark.parametrize("header", ["是否完成", "完成情况"])
def test_the_headers_people_write_for_completed_are_accepted(tmp_path, header):
    folder = write_dataset(tmp_path / "ds", UNITS, [GOOD])
    (folder / "goals.csv").write_text(f"年度,单位,目标,{header}\n2024,办公厅,目标一,否\n", encoding="utf-8")
    ds = dataset.load(folder)
    assert ds.goals["completed"].tolist() == [False]


def test_an_unknown_units_expectation_reads_like_the_others(tmp_path):
    """「应为 …」 as every expectation of the Chinese problem list reads."""
    folder = write_dataset(tmp_path / "d", [(2024, "办公厅", 3), (2023, "研究室", 2)], ledger=[
        {"date": "2024-03-05", "unit": "办工厅", "item": "petition_letter", "quantity": "1"},
        {"date": "2024-03-06", "unit": "研究室", "item": "petition_letter", "quantity": "1"}])
    with pytest.raises(DataError) as e:
        dataset.load([folder])
    expected = set(e.value.problems.loc[e.value.problems["code"] == "unknown_unit", "expected"])
    assert expected == {"应为单位表中 2024 年度的单位；是否应为 办公厅？",
                        "应为单位表中 2024 年度的单位（该单位只列于 2023 年度）"}
