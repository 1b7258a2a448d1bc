"""From ``kaohe template`` to the published table without a CSV: the same facts typed into
the template (Chinese item names, 承办/协调, 是/否, Excel dates and numbers) score exactly
like the CSV data set, and every mistake is named by workbook, sheet, row and column."""

import pytest
from workbook_kit import csv_subset, fill, read_csv, sample_year

from kaohe import cli
from kaohe.rulebook import rules


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    d = tmp_path_factory.mktemp("rt")
    year = sample_year()
    csv_dir = csv_subset(d / "csv", year)
    tpl = d / "template.xlsx"
    assert cli.main(["template", "--year", str(year), "--from", str(csv_dir), "--out", str(tpl)]) == 0
    return year, csv_dir, tpl


def test_template_filled_in_scores_like_the_csv(facts, tmp_path, capsys):
    year, csv_dir, tpl = facts
    ledger, goals = read_csv(csv_dir / "ledger.csv"), read_csv(csv_dir / "goals.csv")
    book = fill(tpl, tmp_path / f"{year}年度台账.xlsx", goals=goals, ledger=ledger)
    # what was typed is what a person types: Chinese names and words, not codes
    import openpyxl

    ws = openpyxl.load_workbook(book)["台账"]
    names = {it.name for it in rules.load().items.values()}
    assert {r[2] for r in ws.iter_rows(min_row=2, values_only=True)} <= names
    assert {r[4] for r in ws.iter_rows(min_row=2, values_only=True)} <= {None, "承办", "协调"}

    assert cli.main(["validate", str(book)]) == 0
    report = capsys.readouterr().out
    assert f"台账：读取 {len(ledger)} 行，接受 {len(ledger)} 行，拒收 0 行" in report
    out_x, out_c = tmp_path / "x.csv", tmp_path / "c.csv"
    assert cli.main(["score", str(book), "--year", str(year), "--out", str(out_x)]) == 0
    assert cli.main(["score", str(csv_dir), "--year", str(year), "--out", str(out_c)]) == 0
    assert out_x.read_bytes() == out_c.read_bytes()
    xl = tmp_path / "table.xlsx"
    assert cli.main(["score", str(book), "--year", str(year), "--out", str(xl)]) == 0
    assert xl.exists()


MISTAKES = [  # (row changes, column named, value shown)
    ({"date": "2024-02-30"}, "date", "2024-02-30"),
    ({"item": "组织专题讲座活动"}, "item", "组织专题讲座活动"),
    ({"item": "lecture", "role": "coordinator"}, "role", "协调"),
    ({"item": "leave", "days": "2", "person": "", "quantity": "", "subject": ""}, "person", ""),
    ({"unit": "不存在工作委员会"}, "unit", "不存在工作委员会"),
]


def test_every_mistake_is_named_and_nothing_is_written(facts, tmp_path, capsys, english):
    year, csv_dir, tpl = facts
    ledger = [r for r in read_csv(csv_dir / "ledger.csv") if r["item"] == "lecture"]
    base = {**ledger[0], "date": f"{year}-03-05", "note": ""}
    mistakes = [({k: v.replace("2024", str(year)) for k, v in change.items()}, column,
                 value.replace("2024", str(year))) for change, column, value in MISTAKES]
    rows = [base, *({**base, **change} for change, _, _ in mistakes)]
    dup = {**base, "subject": "两处都填的讲座"}
    a2 = fill(tpl, tmp_path / "office_a.xlsx", ledger=[*rows, dup])
    b = fill(tpl, tmp_path / "office_b.xlsx", ledger=[dup], drop_units_sheet=True)
    out = tmp_path / "table.csv"
    assert cli.main(["score", str(a2), str(b), "--year", str(year), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert not out.exists()
    for i, (_, column, value) in enumerate(mistakes, start=3):
        shown = f", value {value!r}" if value else ", empty"
        assert f"office_a.xlsx, sheet 台账, row {i}, column {column}{shown}" in err
    n = len(rows) + 2
    assert (f"office_a.xlsx, sheet 台账, row {n}, column item, value '组织专题讲座': "
            "each fact in one file only: also in office_b.xlsx, sheet 台账, row 2") in err
    assert "office_b.xlsx, sheet 台账, row 2, column item" in err
    assert f"also in office_a.xlsx, sheet 台账, row {n}" in err
    assert "Traceback" not in err
    assert cli.main(["validate", str(a2), str(b)]) == 1
    report = capsys.readouterr().out
    assert f"office_a.xlsx, sheet 台账 — ledger: {n - 1} rows read, 1 accepted, {n - 2} refused" in report
