"""The analysis commands: contract columns, reproducibility, clear errors."""

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
from kit import SAMPLE

from kaohe.cli import main

SCEN = Path(__file__).resolve().parent.parent / "data" / "scenarios"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def table(text):
    return pd.read_csv(io.StringIO(text), dtype=str)


def test_compare_columns_and_no_division():
    code, out, _ = run("compare", SAMPLE, "--year", 2024, "--scenario", SCEN / "no_division.yaml")
    assert code == 0
    assert out.splitlines()[0] == "unit,total_base,rank_base,total_scenario,rank_scenario,diff,rank_change"
    t = table(out)
    _, score_out, _ = run("score", SAMPLE, "--year", 2024)
    s = table(score_out).set_index("unit")
    from decimal import Decimal

    for r in t.itertuples():
        parts = s.loc[r.unit]
        assert r.total_base == parts["total"]
        # the parts are rounded: allow the rounding of three published figures
        want = Decimal(parts["common"]) + Decimal(parts["goals"]) + Decimal(parts["daily_points"])
        assert abs(Decimal(r.total_scenario) - want) <= Decimal("0.01")
        assert Decimal(r.diff) == Decimal(r.total_scenario) - Decimal(r.total_base)
        assert int(r.rank_change) == int(r.rank_base) - int(r.rank_scenario)


def test_compare_several_scenarios(tmp_path):
    files = [SCEN / "no_division.yaml", SCEN / "petition_higher.yaml"]
    code, out, _ = run("compare", SAMPLE, "--year", 2024, *[x for f in files for x in ("--scenario", f)])
    t = table(out)
    assert code == 0 and list(t.columns)[0] == "scenario" and len(t) == 24
    code, out, _ = run("compare", SAMPLE, "--year", 2024, "--wide", *[x for f in files for x in ("--scenario", f)])
    assert code == 0 and len(table(out)) == 12
    xlsx = tmp_path / "c.xlsx"
    code, _, err = run("compare", SAMPLE, "--year", 2024, "--scenario", files[0], "--out", xlsx)
    assert code == 0 and xlsx.exists() and "已写入" in err


def test_compare_bad_scenario(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\noverrides:\n  petition_leter: 1\n", encoding="utf-8")
    code, out, err = run("compare", SAMPLE, "--year", 2024, "--scenario", bad)
    assert code == 1 and out == "" and "petition_leter" in err and "Traceback" not in err


def test_uncertainty_columns_seed_and_spread_zero():
    args = ("uncertainty", SAMPLE, "--year", 2024, "--samples", 2000, "--seed", 1)
    code, out, err = run(*args)
    assert code == 0 and out.splitlines()[0] == "unit,nominal,mean,median,q5,q95"
    assert "2000 个样本" in err
    assert run(*args)[1] == out
    assert run(*args[:-1], 2)[1] != out
    code, out, _ = run(*args, "--spread", 0)
    t = table(out)
    for col in ("median", "q5", "q95"):
        assert (t[col] == t["nominal"]).all()
    assert (t["mean"].astype(float) == t["nominal"].astype(float)).all()
    _, score_out, _ = run("score", SAMPLE, "--year", 2024)
    s = table(score_out)
    assert list(t["unit"]) == list(s["unit"]) and list(t["nominal"]) == list(s["rank"])


def test_uncertainty_with_denominators_and_errors():
    code, out, err = run("uncertainty", SAMPLE, "--year", 2024, "--samples", 500, "--denominators",
                         "staff,none,sqrt_staff")
    assert code == 0 and "除数在除以实际工作人员人数、不除、除以人数的平方根中随机选取" in err
    code, _, err = run("uncertainty", SAMPLE, "--year", 2024, "--spread", "lots")
    assert code == 1 and "--spread" in err
    code, _, err = run("uncertainty", SAMPLE, "--year", 2024, "--spread", 1.5)
    assert code == 1 and "变动幅度" in err
    code, _, err = run("uncertainty", SAMPLE, "--year", 2024, "--denominators", "cube")
    assert code == 1 and "cube" in err
    code, _, err = run("uncertainty", SAMPLE, "--year", 1999)
    assert code == 1 and "Traceback" not in err


def test_fairness_weights_sensitivity():
    code, out, err = run("fairness", SAMPLE, "--year", 2024)
    assert code == 0 and "rank_none" in out.splitlines()[0] and "ρ" in err
    code, out, _ = run("fairness", SAMPLE, "--year", 2024, "--long")
    assert code == 0 and len(table(out)) == 48
    code, out, err = run("weights", SAMPLE, "--year", 2024)
    assert code == 0 and out.splitlines()[0].startswith("component,zh,nominal_max") and "总分差异" in err
    code, out, err = run("sensitivity", SAMPLE, "--year", 2024, "--samples", 200)
    assert code == 0 and "模型计算" in err and "denominator" in out
    code, out, err = run("sensitivity", SAMPLE, "--year", 2024, "--samples", 200, "--no-denominator")
    assert code == 0 and "denominator" not in out


def test_uncertainty_around_a_scenario():
    _, rule, _ = run("uncertainty", SAMPLE, "--year", 2024, "--samples", 200, "--spread", 0)
    code, out, _ = run("uncertainty", SAMPLE, "--year", 2024, "--samples", 200, "--spread", 0,
                       "--scenario", SCEN / "no_division.yaml")
    _, scored, _ = run("score", SAMPLE, "--year", 2024, "--scenario", SCEN / "no_division.yaml")
    assert code == 0 and out != rule
    assert list(table(out)["nominal"]) == list(table(scored)["rank"])


def test_the_weights_workbook_reads_as_a_table(tmp_path):
    import openpyxl

    out = tmp_path / "w.xlsx"
    code, _, _ = run("weights", SAMPLE, "--year", 2024, "--out", out)
    assert code == 0
    ws = openpyxl.load_workbook(out).active
    rows = [r for r in ws.iter_rows() if any(c.value is not None for c in r)]
    head = [c.value for c in rows[1]]
    assert head.count("指标") == 1 and head[0] == "指标" and head[-1] == "代码"
    share = rows[2][head.index("总分方差占比")]
    assert 0 < share.value < 1 and share.number_format == "0.0%"


def test_the_compare_workbook_shows_rank_changes_as_arrows(tmp_path):
    import openpyxl

    scenario = Path(__file__).parents[1] / "data" / "scenarios" / "no_division.yaml"
    out = tmp_path / "c.xlsx"
    code, _, _ = run("compare", SAMPLE, "--year", 2024, "--scenario", scenario, "--out", out)
    assert code == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows())
    col = [c.value for c in rows[1]].index("名次变化")
    assert {r[col].number_format for r in rows[2:] if r[col].value is not None} == {'"↑"0;"↓"0;"—"'}


def test_a_zh_column_holds_the_chinese_names_in_both_languages(tmp_path):
    """The CSV column names mean the same in both languages: zh/item_zh Chinese, en/item_en English."""
    explain = tmp_path / "x.csv"
    commands = {
        "params": (("params", "--format", "csv"), "zh", "en"),
        "weights": (("weights", SAMPLE, "--year", 2024), "zh", "en"),
        "sensitivity": (("sensitivity", SAMPLE, "--year", 2024, "--samples", 50), "zh", "en"),
        "explain": (("explain", SAMPLE, "--year", 2024, "--unit", "办公厅", "--out", explain), "item_zh", "item_en"),
    }
    for what, (args, zh, en) in commands.items():
        tables = {}
        for lang in ("zh_CN", "en"):
            code, out, err = run(*args, "--lang", lang)
            assert code == 0, err
            tables[lang] = pd.read_csv(explain, dtype=str, encoding="utf-8-sig") if what == "explain" else table(out)
        chinese, english = tables["zh_CN"], tables["en"]
        assert list(chinese.columns) == list(english.columns), what
        assert list(chinese[zh]) == list(english[zh]), what  # the same Chinese names
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in english[zh]), what
        names = [n.replace("四(一)", "").replace("四(二)", "").replace("四(三)", "") for n in english[en]]
        assert not any("\u4e00" <= ch <= "\u9fff" for n in names for ch in n), what  # English beside them
    assert "共性工作指标满分" in list(english["item_zh"]) and "common work full marks" in list(english["item_en"])


def test_the_fairness_help_says_its_ranks_are_ranks_of_the_total(capsys):
    import pytest

    for lang, total, rule in (("zh_CN", "总分名次", "rank_rule：按考核办法本身的除数得出的名次"),
                              ("en", "rank of the total", "rank_rule: the rank under the rulebook's own divisor")):
        with pytest.raises(SystemExit):
            main(["fairness", "--help", "--lang", lang])
        text = " ".join(capsys.readouterr().out.split())
        assert total in text and rule.replace(" ", "") in text.replace(" ", "")
        assert "日常得分与名次" not in text and "daily score and rank " not in text


def test_sensitivity_speaks_the_workbooks_language_and_explains_its_indices(tmp_path, capsys):
    import openpyxl
    import pytest

    code, out, _ = run("sensitivity", SAMPLE, "--year", 2024)  # the default samples: some Si round to zero
    cells = [c for line in out.splitlines()[1:] for c in line.split(",")]
    assert code == 0 and "0.0" in cells and "-0.0" not in cells
    book = tmp_path / "sens.xlsx"
    code, _, _ = run("sensitivity", SAMPLE, "--year", 2024, "--samples", 200, "--out", book)
    words = [c for r in openpyxl.load_workbook(book).active.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert code == 0 and "除数" in words and not [w for w in words if "denominator" in w]
    note = next(w for w in words if w.startswith("注："))
    assert "略小于 0 的负值即约等于 0" in note and "略大于 1 的值即约等于 1" in note
    with pytest.raises(SystemExit):
        main(["sensitivity", "--help", "--lang", "en"])
    assert "small negative values mean about 0" in " ".join(capsys.readouterr().out.split())


def test_fairness_summary_names_each_divisor_before_its_shift():
    code, _out, err = run("fairness", SAMPLE, "--year", 2024)
    assert code == 0 and "名次平均变动：不除 " in err and "名次不除" not in err
