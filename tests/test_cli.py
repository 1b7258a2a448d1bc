"""The command line: score, explain, validate, params — outputs as the contract says."""

import csv
import errno
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from kit import write_dataset

import kaohe
from kaohe import cli

FIXTURE = Path(__file__).parent / "fixtures" / "handworked"
SAMPLE = str(kaohe.sample_dir())
EXPECTED = (Path(__file__).parent / "fixtures" / "handworked_expected.csv").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _default_language_after():
    """A test that runs `--lang en` leaves the language as it found it (KAOHE_LANG or Chinese)."""
    from kaohe.core import i18n

    yield
    i18n.set_language()


def test_score_to_stdout_is_the_contract_csv(capsys):
    assert cli.main(["score", str(FIXTURE), "--year", "2024"]) == 0
    assert capsys.readouterr().out == EXPECTED


def test_score_to_csv_file_has_a_bom_for_excel(tmp_path):
    out = tmp_path / "r.csv"
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw[3:].decode("utf-8").replace("\r\n", "\n") == EXPECTED


def test_score_to_xlsx_writes_rounded_numbers_as_numbers(tmp_path):
    out = tmp_path / "r.xlsx"
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] is not None]
    assert rows[0][0].startswith("2024")  # title
    assert rows[1][:4] == ("名次", "并列", "单位", "实际工作人员人数")  # the official one-page table
    first = rows[2]
    assert first[0] == 1 and first[2] == "法制工作委员会" and first[8] == 83.6 and first[11] == "否（取消）"
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_text_that_looks_like_a_formula_stays_text(tmp_path, capsys):
    folder = write_dataset(tmp_path / "ds", [(2024, "=1+1", 2), (2024, "@办公厅", 3), (2024, "研究室", 4)])
    assert cli.main(["score", str(folder), "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "'=1+1" in out and "'@办公厅" in out
    xlsx = tmp_path / "r.xlsx"
    assert cli.main(["score", str(folder), "--year", "2024", "--out", str(xlsx)]) == 0
    ws = openpyxl.load_workbook(xlsx).active
    cells = [c for row in ws.iter_rows() for c in row if c.value in ("=1+1", "@办公厅")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)  # Excel's ' prefix: still text after F2 + Enter
    assert not any(c.quotePrefix for row in ws.iter_rows() for c in row if c.value == "研究室")


def test_year_errors_are_clear(tmp_path, capsys, english):
    assert cli.main(["score", str(FIXTURE), "--year", "2019"]) == 1
    assert "year 2019 is not in the data set" in capsys.readouterr().err
    folder = write_dataset(tmp_path / "two", [(2023, "甲", 2), (2024, "甲", 2)])
    assert cli.main(["score", str(folder)]) == 1
    assert "--year" in capsys.readouterr().err


def test_explain_groups_by_clause_and_adds_up(capsys):
    assert cli.main(["explain", str(FIXTURE), "--year", "2024", "--unit", "研究室"]) == 0
    out = capsys.readouterr().out
    assert "四(三)4(11)" in out and "＝ 四(三)4(11) 小计" in out
    assert "日常工作指标得分 = 7.375 ÷ 实际工作人员 3 人 = 2.458333… → 2.46" in out
    assert out.rstrip().endswith("→ 77.46（公布时四舍五入一次）")


def test_explain_lines_to_a_file(tmp_path):
    out = tmp_path / "lines.csv"
    assert cli.main(["explain", str(FIXTURE), "--year", "2024", "--unit", "办公厅", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    total = sum(Decimal(r["points"]) for r in rows)
    assert total == Decimal("104.10")  # common 39.1 + goals 40 + daily points 25
    assert {r["row"] for r in rows if r["item"].endswith(".full")} == {""}  # a rulebook line has no row
    assert all(r["row"].isdigit() for r in rows if r["file"])


def test_explain_workbook_adds_up_to_the_published_table(tmp_path, capsys):
    out = tmp_path / "lines.xlsx"
    assert cli.main(["explain", str(FIXTURE), "--year", "2024", "--unit", "办公厅", "--out", str(out)]) == 0
    assert cli.main(["score", str(FIXTURE), "--year", "2024"]) == 0
    published = next(r for r in csv.DictReader(capsys.readouterr().out.splitlines()) if r["unit"] == "办公厅")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["计分说明", "审计明细"]
    account = [r for r in wb["计分说明"].iter_rows(min_row=3, values_only=True) if any(r)]
    totals = {r[1]: r for r in account if str(r[1]).endswith("合计")}
    assert [Decimal(str(totals[c][3])) for c in ("四(一) 合计", "四(二) 合计")] == [
        Decimal(published["common"]), Decimal(published["goals"])]
    assert Decimal(str(totals["四(三) 合计"][3])) == Decimal(published["daily_points"])
    assert account[-2][0] == "日常工作指标得分" and Decimal(str(account[-2][3])) == Decimal(published["daily"])
    assert account[-1][0] == "总分" and Decimal(str(account[-1][3])) == Decimal(published["total"])
    assert all(isinstance(r[2], int) for r in account[:-2])  # lines counted, not 1.00
    lines = list(wb["审计明细"].iter_rows(min_row=3, values_only=True))
    assert sum(Decimal(str(r[10])) for r in lines if r[10] is not None) == Decimal("104.10")


def test_explain_unknown_unit(capsys):
    assert cli.main(["explain", str(FIXTURE), "--year", "2024", "--unit", "不存在"]) == 1
    assert "2024年度的单位：" in capsys.readouterr().err


def test_validate_reports_rows_per_table_and_year(capsys):
    assert cli.main(["validate", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert "通过" in out and "各表各年度读取的行数" in out
    assert any(line.split() == ["台账", "36"] for line in out.splitlines())  # the fixture's 36 rows


def test_params_lists_every_parameter(capsys):
    from kaohe.rulebook import rules

    assert cli.main(["params"]) == 0
    out = capsys.readouterr().out
    codes = [line.split()[-1] for line in out.splitlines()[1:]]  # the code is the last column
    assert codes == list(rules.load().params)
    assert out.splitlines()[0].split() == ["参数", "条款", "办法规定", "代码"]
    assert "deputy_inspection.coordinator" in out and "四(三)1(7)" in out and "代表视察调研" in out
    den = next(line for line in out.splitlines() if line.endswith("daily.denominator"))
    assert "除以实际工作人员人数" in den and " staff" not in den  # choices in words


def test_params_with_a_scenario_shows_its_values(tmp_path, capsys):
    sc = tmp_path / "s.yaml"
    sc.write_text("name: 测试\noverrides:\n  petition_letter: 0.2\n", encoding="utf-8")
    assert cli.main(["params", "--scenario", str(sc), "--changed"]) == 0
    out = capsys.readouterr().out
    assert "petition_letter" in out and "0.2" in out and "lecture" not in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("overrides:\n  petition_leter: 0.2\n", encoding="utf-8")
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--scenario", str(bad)]) == 1
    assert "petition_leter：没有这个参数" in capsys.readouterr().err


def test_console_script_help():
    res = subprocess.run([sys.executable, "-m", "kaohe.cli", "score", "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "--out" in res.stdout and "--year" in res.stdout


@pytest.mark.parametrize("args", [["score"], ["explain", str(FIXTURE)], ["bogus"]])
def test_usage_errors_exit_2(args):
    with pytest.raises(SystemExit) as e:
        cli.main(args)
    assert e.value.code == 2


def test_a_data_set_without_units_says_so(tmp_path, capsys):
    folder = write_dataset(tmp_path / "empty", [])
    assert cli.main(["score", str(folder)]) == 1
    assert "数据集中没有单位" in capsys.readouterr().err


def test_params_changed_without_a_scenario_says_it_needs_one(capsys):
    assert cli.main(["params", "--changed"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "kaohe：--changed 列出情景调整了哪些参数：请用 --scenario 文件 给出情景\n"


def test_params_read_in_words_with_units_in_columns_that_fit(tmp_path, capsys):
    assert cli.main(["params"]) == 0
    lines = {line.split()[-1]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert "不低于" in lines["study_program.large.days.op"] and "大于" in lines["sc_meeting.long.days.op"]
    assert ">" not in "".join(lines.values())
    assert "1个工作日" in lines["major_activity.workdays"] and "15天" in lines["leave.allowance"]
    assert "2500字" in lines["speech_draft.long.chars"] and "60人" in lines["study_program.large.participants"]
    assert cli.main(["params", "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    def columns(s):  # display columns: a Chinese character takes two
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    code_at = columns(out[0][:out[0].index("Code")])
    for line in out[1:]:  # every value ends before the code column, which starts at one place
        before = line[:line.rindex(" ") + 1]
        assert before.endswith("  ") and columns(before) == code_at, line
    text = "\n".join(out)
    assert "1 working day" in text and "at least" in text and "more than" in text and "15 days" in text
    book = tmp_path / "p.xlsx"
    assert cli.main(["params", "--out", str(book)]) == 0
    rows = [r for r in openpyxl.load_workbook(book).active.iter_rows(values_only=True) if any(r)]
    head = rows[1]
    full = next(r for r in rows if r[-1] == "common.full")
    days = next(r for r in rows if r[-1] == "major_activity.workdays")
    op = next(r for r in rows if r[-1] == "study_program.large.days.op")
    value, unit = head.index("现行取值"), head.index("计量单位")
    assert full[value] == 40 and full[head.index("办法规定")] == 40 and full[unit] == "分"
    assert days[value] == 1 and days[unit] == "个工作日" and op[value] == "不低于"


@pytest.mark.parametrize("cmd", [["score", str(FIXTURE)], ["template"], ["notice", str(FIXTURE)]])
def test_a_year_that_is_not_digits_is_named(capsys, cmd):
    with pytest.raises(SystemExit) as e:
        cli.main([*cmd, "--year", "2024x"])
    assert e.value.code == 2
    assert "「2024x」不是年度：请用数字写年度，如 2024" in capsys.readouterr().err


def test_system_errors_are_worded_in_the_users_language(tmp_path, capsys):
    blocker = tmp_path / "文件"
    blocker.write_text("x", encoding="utf-8")
    assert cli.main(["params", "--scenario", str(tmp_path / "没有.yaml")]) == 1
    assert "无法读取情景文件（没有这个文件或文件夹）" in capsys.readouterr().err
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--out", str(blocker / "结果.csv")]) == 1
    assert "路径中的某一级是文件而不是文件夹" in capsys.readouterr().err
    assert cli.main(["params", "--scenario", str(tmp_path / "没有.yaml"), "--lang", "en"]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    from kaohe.core import i18n
    from kaohe.core.errors import os_reason

    try:
        for lang, want in (("zh_CN", "磁盘已满"), ("en", "the disk is full")):
            i18n.set_language(lang)
            assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == want
    finally:
        i18n.set_language()
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"


def test_a_what_if_workbook_says_it_is_not_the_official_result(tmp_path):
    scenario = Path(__file__).parents[1] / "data" / "scenarios" / "no_division.yaml"

    def texts(book):
        ws = openpyxl.load_workbook(book).active
        return [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]

    official, what_if = tmp_path / "official.xlsx", tmp_path / "what_if.xlsx"
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--out", str(official)]) == 0
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--scenario", str(scenario), "--out", str(what_if)]) == 0
    assert not any("情景" in t for t in texts(official))
    words = texts(what_if)
    assert words[0].endswith("（情景测算：日常工作积分不除以人数）")
    assert any(t.startswith("注：本表为情景测算，不是正式考核结果：按调整后的规则计算（") for t in words)


def test_explain_marks_a_cut_subject(tmp_path, capsys):
    long = "关于" + "修改某某条例" * 10 + "的决定"
    folder = write_dataset(tmp_path / "ds", [(2024, "甲", 2)], [
        {"date": "2024-03-01", "unit": "甲", "item": "lecture", "subject": "专题讲座"},
        {"date": "2024-03-02", "unit": "甲", "item": "lecture", "subject": long}])
    assert cli.main(["explain", str(folder), "--year", "2024", "--unit", "甲"]) == 0
    out = capsys.readouterr().out
    assert "2024-03-01 专题讲座]" in out  # short ones whole
    cut = next(line for line in out.splitlines() if "2024-03-02" in line)
    shown = cut[cut.index("2024-03-02 ") + 11:cut.rindex("]")]
    assert shown.endswith("…") and len(shown) == 40 and long.startswith(shown[:-1])


def test_explain_shows_the_floor_after_the_deductions_it_follows_from(tmp_path, capsys):
    folder = write_dataset(tmp_path / "ds", [(2024, "甲", 2)], [
        {"date": "2024-03-04", "unit": "甲", "item": "absent_without_leave", "person": "李四", "days": "45"}])
    assert cli.main(["explain", str(folder), "--year", "2024", "--unit", "甲"]) == 0
    common = capsys.readouterr().out.split("\n\n")[1].splitlines()
    assert common[0].split()[-1] == "0"  # 四(一) 共性工作指标 0
    assert "满分" in common[1] and "扣45分" in common[2] and "加回5分" in common[3]
    assert not any("小计" in line for line in common)  # no subtotal of 40 + 5 before the deduction


def test_the_results_workbook_marks_a_new_unit(tmp_path):
    lecture = {"item": "lecture"}
    folder = write_dataset(tmp_path / "ds", [(2023, "甲", 2), (2024, "甲", 2), (2024, "乙", 2)], [
        {**lecture, "date": "2023-03-01", "unit": "甲"}, {**lecture, "date": "2024-03-01", "unit": "乙"}])
    out = tmp_path / "r.xlsx"
    assert cli.main(["score", str(folder), "--year", "2024", "--out", str(out)]) == 0
    rows = [r for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True) if any(r)]
    head = rows[1]
    new = next(r for r in rows if r[head.index("单位")] == "乙")
    assert new[head.index("上年名次")] is None and new[head.index("升降")] == "新列入"
    assert any(str(r[0]).startswith("注") and r[0].endswith("新列入：上年未列入排名。") for r in rows)
    # no year before: the columns stay empty and 新列入 is not said
    assert cli.main(["score", str(folder), "--year", "2023", "--out", str(out)]) == 0
    assert "新列入" not in [c for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in r]


def test_very_long_unit_names_wrap_instead_of_shrinking_the_official_table(tmp_path):
    long = "教育科学文化卫生与民族宗教侨务外事及社会建设和监察司法工作联合委员会办公室"
    for name, wraps in (("民族宗教侨务外事工作委员会", False), (long, True)):
        folder = write_dataset(tmp_path / str(wraps), [(2024, name, 3), (2024, "办公厅", 3)])
        out = tmp_path / f"{wraps}.xlsx"
        assert cli.main(["score", str(folder), "--year", "2024", "--out", str(out)]) == 0
        cell = next(c for row in openpyxl.load_workbook(out).active.iter_rows() for c in row if c.value == name)
        assert bool(cell.alignment.wrap_text) is wraps, name


def test_validate_problems_file_is_rewritten_when_the_data_is_clean(tmp_path, capsys):
    bad = write_dataset(tmp_path / "bad", [(2024, "办公厅", "x")])
    probs = tmp_path / "pp.csv"
    assert cli.main(["validate", str(bad), "--problems", str(probs)]) == 1
    before = probs.read_text(encoding="utf-8-sig").splitlines()
    assert len(before) > 1
    assert cli.main(["validate", str(FIXTURE), "--problems", str(probs)]) == 0
    capsys.readouterr()
    lines = probs.read_text(encoding="utf-8-sig").splitlines()
    assert lines == before[:1]  # the header only: no old problems


@pytest.mark.parametrize("lang, words", [("zh_CN", "--problems p2.txt：只能写入 .csv 或 .xlsx 文件"),
                                         ("en", "--problems p2.txt: write a .csv or an .xlsx file")])
def test_validate_problems_of_a_wrong_kind_is_refused_before_any_work(tmp_path, capsys, monkeypatch,
                                                                      lang, words):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_import_pandas", lambda args: (_ for _ in ()).throw(AssertionError("worked")))
    assert cli.main(["--lang", lang, "validate", str(FIXTURE), "--problems", "p2.txt"]) == 1
    assert words in capsys.readouterr().err
    assert not (tmp_path / "p2.txt").exists()


@pytest.mark.parametrize("lang, words", [
    ("zh_CN", "第 3 行第 6 列：YAML 格式错误：方括号「[」未闭合"),
    ("en", "line 3, column 6: YAML syntax error: a [ is not closed with ]")])
def test_a_yaml_syntax_error_is_worded_in_the_users_language_at_the_line_it_opens(tmp_path, capsys, lang, words):
    sc = tmp_path / "s.yaml"
    sc.write_text("name: 测试\noverrides:\n  a: [1, 2\n", encoding="utf-8")
    assert cli.main(["--lang", lang, "params", "--scenario", str(sc)]) == 1
    err = capsys.readouterr().err
    assert words in err and "while parsing" not in err


def test_a_yaml_error_of_a_kind_not_recognized_keeps_pyyaml_only_as_a_detail(tmp_path, capsys):
    sc = tmp_path / "s.yaml"
    sc.write_text("{name: 测试}}\n", encoding="utf-8")
    assert cli.main(["params", "--scenario", str(sc)]) == 1
    assert "第 1 行第 11 列：YAML 格式错误（did not find expected <document start>）" in capsys.readouterr().err


def test_version_prints_the_packages_version(capsys):
    from importlib import metadata

    with pytest.raises(SystemExit) as e:
        cli.main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.strip() == "kaohe " + metadata.version("kaohe")


def test_kaohe_alone_prints_the_help_not_an_error(capsys):
    assert cli.main([]) == 2  # a usage error's code, as argparse gives: nothing was done
    captured = capsys.readouterr()
    assert captured.out.startswith("用法：kaohe") and "score" in captured.out and "validate" in captured.out
    assert "错误" not in captured.out + captured.err


@pytest.mark.parametrize("lang, words", [("zh_CN", "参数 --samples：「abc」不是整数：请用数字填写，如 100"),
                                         ("en", "argument --samples: abc is not a whole number: write it in digits")])
@pytest.mark.parametrize("cmd", [["sensitivity", "--samples", "abc"], ["notice", "--commend", "abc"],
                                 ["report", "--jobs", "abc"], ["uncertainty", "--seed", "abc"]])
def test_a_number_option_that_is_not_digits_says_a_whole_number_is_expected(capsys, lang, words, cmd):
    with pytest.raises(SystemExit) as e:
        cli.main(["--lang", lang, *cmd, str(FIXTURE)])
    assert e.value.code == 2
    option = next(a for a in cmd if a.startswith("--"))
    assert words.replace("--samples", option) in capsys.readouterr().err


def test_the_seed_help_gives_its_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["uncertainty", "--help"])
    assert "相同种子得到相同结果（默认 0）" in capsys.readouterr().out


def test_kaohes_own_errors_take_argparses_chinese_colon_and_one_wording_for_a_missing_year(tmp_path, capsys):
    assert cli.main(["score", str(FIXTURE), "--year", "2030"]) == 1
    assert capsys.readouterr().err.startswith("kaohe：数据中没有 2030 年度\n")
    assert cli.main(["report", str(FIXTURE), "--years", "2030", "--out", str(tmp_path / "r"), "--quiet"]) == 1
    assert capsys.readouterr().err.startswith("kaohe：数据中没有 2030 年度\n")
    assert cli.main(["--lang", "en", "score", str(FIXTURE), "--year", "2030"]) == 1
    assert capsys.readouterr().err.startswith("kaohe: year 2030 is not in the data set\n")


@pytest.mark.parametrize("cmd, closing", [
    (["score"], "未计分"), (["validate"], "未通过"), (["template", "--year", "2025", "--out", "t.xlsx", "--from"], "未生成模板")])
def test_the_closing_word_of_a_data_sets_problems_fits_the_command(tmp_path, capsys, monkeypatch, cmd, closing):
    monkeypatch.chdir(tmp_path)
    assert cli.main([*cmd, "nosuch"]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first == f"数据 nosuch 中有 1 个问题，{closing}"
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize("lang, first", [("zh_CN", "kaohe：2024年度没有单位「办工厅」；是否应为 办公厅？"),
                                         ("en", "kaohe: no unit “办工厅” in 2024; did you mean 办公厅?")])
def test_explain_suggests_the_unit_meant_and_lists_units_in_the_tables_order(capsys, lang, first):
    from kaohe import sample_dir

    assert cli.main(["--lang", lang, "explain", str(sample_dir()), "--year", "2024", "--unit", "办工厅"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == first
    with open(sample_dir() / "units.csv", encoding="utf-8") as f:
        order = [r["unit"] for r in csv.DictReader(f) if r["year"] == "2024"]
    assert lines[1].split("：" if lang == "zh_CN" else ": ", 1)[1].split("、" if lang == "zh_CN" else ", ") == order
def _rows(book):
    return [r for r in openpyxl.load_workbook(book).active.iter_rows(values_only=True) if any(r)]


def _ranks(capsys, *args):
    assert cli.main(["score", SAMPLE, "--year", "2023", *args]) == 0
    return {r["unit"]: int(r["rank"]) for r in csv.DictReader(capsys.readouterr().out.splitlines())}


def test_last_years_rank_in_a_what_if_is_the_same_scenarios_and_the_note_says_so(tmp_path, capsys):
    scenario = str(Path(__file__).parents[1] / "data" / "scenarios" / "meetings_higher.yaml")
    for extra, rank_before, says, not_says in (
            ([], _ranks(capsys), "上年名次为上一年度公布名次", "同一情景"),
            (["--scenario", scenario], _ranks(capsys, "--scenario", scenario), "上年名次按同一情景测算", "公布名次")):
        out = tmp_path / "r.xlsx"
        assert cli.main(["score", SAMPLE, "--year", "2024", *extra, "--out", str(out)]) == 0
        rows = _rows(out)
        head = rows[1]
        last = {r[head.index("单位")]: r[head.index("上年名次")] for r in rows[2:] if isinstance(r[0], int)}
        assert last and all(last[u] == rank_before[u] for u in last)
        note = next(r[0] for r in rows if str(r[0]).startswith("注"))
        assert says in note and not_says not in note and "（↑上升，↓下降，—持平）" in note
    assert rank_before != _ranks(capsys)  # the scenario moves last year's ranks: the test can tell them apart
    assert cli.main(["score", SAMPLE, "--year", "2024", "--scenario", scenario, "--out", str(out), "--lang", "en"]) == 0
    note = next(r[0] for r in _rows(out) if str(r[0]).startswith("Note"))
    assert "computed for the year before under the same scenario" in note and "— unchanged)" in note


def test_explain_and_score_say_a_what_if_is_not_the_official_result(tmp_path, capsys):
    scenario = str(Path(__file__).parents[1] / "data" / "scenarios" / "meetings_higher.yaml")
    unit = ["explain", SAMPLE, "--year", "2024", "--unit", "办公厅"]
    assert cli.main(unit) == 0
    official = capsys.readouterr()
    assert "情景" not in official.out and not official.err
    assert cli.main([*unit, "--scenario", scenario]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("情景测算（会议加分提高），不是正式考核结果：按调整后的规则计算（")
    out = tmp_path / "exs.xlsx"
    assert cli.main([*unit, "--scenario", scenario, "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    for ws in book.worksheets:
        words = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert words[0].endswith("（情景测算：会议加分提高）"), ws.title
    account = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(t.startswith("注：本表为情景测算，不是正式考核结果") for t in account)
    # to stdout or a CSV file: the table stays plain, one line on stderr says it is a what-if
    csv_out = ["--out", str(tmp_path / "x.csv")]
    for cmd, to in ((["score", SAMPLE, "--year", "2024"], []), (["score", SAMPLE, "--year", "2024"], csv_out),
                    (unit, csv_out)):
        assert cli.main([*cmd, *to]) == 0
        assert "情景" not in capsys.readouterr().err
        assert cli.main([*cmd, *to, "--scenario", scenario]) == 0
        got = capsys.readouterr()
        said = [line for line in got.err.splitlines() if "情景测算" in line]
        assert said == ["kaohe：本结果为情景测算（会议加分提高），不是正式考核结果：按调整后的规则计算"]
        if not to:
            assert "情景" not in got.out and got.out.startswith("rank,unit,")


def test_english_results_workbooks_read_alike(tmp_path, english):
    from kaohe.output import views
    from kaohe.report import workbook

    out = tmp_path / "r.xlsx"
    assert cli.main(["score", SAMPLE, "--year", "2024", "--out", str(out), "--lang", "en"]) == 0
    rows = _rows(out)
    head = rows[1]
    assert head[:4] == ("Rank", "Tied", "Unit", "Staff")
    assert all(h[0].isupper() for h in head), head  # one style: sentence case
    assert "Rank last year" in head and "Change" in head and "Eligible" in head
    sign = [c for r in rows for c in r if isinstance(c, str) and c.endswith(":")]
    assert sign == ["Prepared by:", "Reviewed by:"]  # alike: no trailing space
    note = next(r[0] for r in rows if str(r[0]).startswith("Note"))
    assert "(↑ up, ↓ down, — unchanged)" in note
    report = tmp_path / "report.xlsx"
    workbook.write(views.annual(SAMPLE, 2024), report)
    results = openpyxl.load_workbook(report).worksheets[0]
    assert results.cell(1, 1).value == rows[0][0] == "2024: results of the annual target-responsibility assessment"
    assert [c.value for c in results[2]][:len(head)] == list(head)


def test_signature_options_without_a_workbook_say_they_are_not_used(tmp_path, capsys):
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--issuer", "办公厅"]) == 0
    err = capsys.readouterr().err
    assert "--issuer" in err and "未使用" in err
    assert cli.main(["score", str(FIXTURE), "--year", "2024", "--issuer", "办公厅",
                     "--out", str(tmp_path / "t.xlsx")]) == 0
    assert "未使用" not in capsys.readouterr().err


def test_report_out_that_looks_like_a_file_is_refused_before_any_work(tmp_path, capsys):
    out = tmp_path / "结果.xlsx"
    assert cli.main(["report", str(FIXTURE), "--year", "2024", "--out", str(out)]) == 1
    assert "应为文件夹" in capsys.readouterr().err and not out.exists()


def test_the_report_workbooks_parameters_are_numbers_with_their_unit(tmp_path):
    from kaohe.output import views
    from kaohe.report import workbook

    report = tmp_path / "report.xlsx"
    workbook.write(views.annual(SAMPLE, 2024), report)
    sheet = openpyxl.load_workbook(report)["数据与规则"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    head = next(r for r in rows if "现行取值" in r)
    value, rule, unit = head.index("现行取值"), head.index("办法规定"), head.index("计量单位")
    by_code = {r[-1]: r for r in rows}
    assert by_code["common.full"][value] == 40 and by_code["common.full"][rule] == 40
    assert by_code["common.full"][unit] == "分" and by_code["leave.allowance"][unit] == "天"
    assert by_code["study_absence_private"][value] == 0.2  # a number Excel can add, not text
    assert by_code["study_program.large.days.op"][value] == "不低于" and not by_code["study_program.large.days.op"][unit]
    assert by_code["daily.denominator"][value] == "除以实际工作人员人数"
