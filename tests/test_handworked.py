"""A small data set whose published table was worked out by hand; the same facts from an
.xlsx with Chinese sheets, headers, item and role names, and from GB18030 CSV, score alike."""

import csv
from pathlib import Path

import pandas as pd
import xlsxwriter

from kaohe.core import contract
from kaohe.engine import exact as publish
from kaohe.engine import score
from kaohe.engine.explain import explain_text
from kaohe.inputs import dataset
from kaohe.output import safe_text
from kaohe.rulebook import rules

HERE = Path(__file__).parent / "fixtures"
FIXTURE = HERE / "handworked"
EXPECTED = (HERE / "handworked_expected.csv").read_text(encoding="utf-8")


def table_csv(paths) -> str:
    t = score.score(dataset.load(paths)).table(2024)
    return safe_text.for_csv(t).to_csv(index=False, lineterminator="\n")


def test_hand_worked_table():
    # 办公厅: common 40 − 2×0.2 − (16−15)×0.5 = 39.1; daily (4+3+5−2+0−0.5+12.5+3)/10 = 2.5
    # 研究室: goals 40 − 5; daily (0+1+1+2+1+1.375+1)/3 = 2.4583… → 2.46; total 77.4583… → 77.46
    # 法制工作委员会: 张三's 10 more days make 20 > 15 → −2.5 here; style −3 → 34.5, not eligible;
    #   daily (10 + 0 + 10 + 10 + 5 + 7×0.2)/4 = 9.1
    # 预算工作委员会: (5+3+2+3+(1+1−1)+0.6)/2.5 = 5.84; common 40 − 1 = 39; goals 35
    # 农业农村工作委员会: 1/8 = 0.125 → 0.13 (half up); 社会建设 80 with no rows, ties 城乡建设 at 80
    assert table_csv(FIXTURE) == EXPECTED


def _to_chinese_workbook(path: Path) -> Path:
    rb = rules.load()
    role_zh = {"organizer": "承办", "coordinator": "协调"}
    wb = xlsxwriter.Workbook(str(path))
    for name in ("units", "goals", "ledger"):
        zh, cols = contract.TABLES[name]
        with open(FIXTURE / f"{name}.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        ws = wb.add_worksheet(zh)
        ws.write_row(0, 0, [c.zh for c in cols])
        date_f = wb.add_format({"num_format": "yyyy-mm-dd"})
        for i, r in enumerate(rows, start=1):
            for j, c in enumerate(cols):
                v = r.get(c.name, "")
                if c.name == "item":
                    v = rb.items[v].name
                elif c.name == "role" and v in role_zh:
                    v = role_zh[v]
                elif c.name == "completed":
                    v = {"是": "完成", "否": "未完成"}[v]
                if c.kind == "date" and v:
                    ws.write_datetime(i, j, pd.Timestamp(v).to_pydatetime(), date_f)  # a real Excel date
                elif c.kind in ("int", "number") and v:
                    ws.write_number(i, j, float(v))
                elif v:
                    ws.write_string(i, j, v)
    wb.add_worksheet("说明").write(0, 0, "其他工作表不读")
    wb.close()
    return path


def test_xlsx_with_chinese_names_scores_the_same(tmp_path):
    assert table_csv(_to_chinese_workbook(tmp_path / "考核台账.xlsx")) == EXPECTED


def test_gb18030_csv_scores_the_same(tmp_path):
    folder = tmp_path / "gbk"
    folder.mkdir()
    for name in ("units", "goals", "ledger"):
        text = (FIXTURE / f"{name}.csv").read_text(encoding="utf-8")
        (folder / f"{contract.TABLES[name][0]}.csv").write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    assert table_csv(folder) == EXPECTED


def test_utf8_bom_and_full_width_digits_and_spaces(tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    for name in ("units", "goals"):
        (folder / f"{name}.csv").write_bytes(b"\xef\xbb\xbf" + (FIXTURE / f"{name}.csv").read_bytes())
    text = (FIXTURE / "ledger.csv").read_text(encoding="utf-8")
    text = text.replace(",125,", ",１２５,").replace(",办公厅,", ", 办公厅 ,")
    (folder / "ledger.csv").write_text(text, encoding="utf-8-sig")
    assert table_csv(folder) == EXPECTED


def test_explain_adds_up_to_the_published_figures():
    sc = score.score(dataset.load(FIXTURE))
    table = sc.table(2024).set_index("unit")
    for unit in table.index:
        lines = sc.lines(2024, unit)
        text = explain_text(sc, 2024, unit)
        for comp in ("common", "goals"):
            exact = publish.round_half_up(lines.loc[lines.component == comp, "points_u"].sum() / 10**6 * 1, 2)
            assert exact == table.loc[unit, comp]
        assert f"→ {table.loc[unit, 'total']}" in text
        assert f"→ {table.loc[unit, 'daily']}" in text
