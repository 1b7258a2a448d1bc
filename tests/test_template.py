"""``kaohe template``: the workbook the offices fill in, generated from the contract and the
rulebook."""

import time
from decimal import Decimal

import openpyxl
import pytest
from workbook_kit import SAMPLE, sample_year

from kaohe import cli
from kaohe.core import contract
from kaohe.inputs import dataset, io
from kaohe.output import office_template as template
from kaohe.output.excel import text_width
from kaohe.rulebook import rules

ENTRY = ("单位", "目标", "台账")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("tpl")
    year = sample_year() + 1
    full = d / "from.xlsx"
    empty = d / "empty.xlsx"
    assert cli.main(["template", "--year", str(year), "--from", str(SAMPLE), "--out", str(full)]) == 0
    assert cli.main(["template", "--year", str(year), "--out", str(empty)]) == 0
    return year, openpyxl.load_workbook(full), openpyxl.load_workbook(empty), full, empty


def names_of(wb, name):
    """The values of a workbook-level name (a range of the hidden list sheet or a sheet)."""
    ref = wb.defined_names[name].attr_text
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row if c.value is not None]


def validations(ws):
    """sqref column letter (first cell) → validation, for every validation of a sheet."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0]] = dv
    return out


def test_sheets_and_chinese_headers_on_row_one(made):
    _, wb, _, _, _ = made
    assert wb.sheetnames == ["说明", *ENTRY, template.SHEET_LISTS]
    assert wb[template.SHEET_LISTS].sheet_state == "hidden"
    for t in template.TABLE_ORDER:
        ws = wb[contract.TABLES[t][0]]
        assert [c.value for c in ws[1]] == [c.zh for c in contract.columns(t)]
        assert ws.freeze_panes == "A2"


def test_every_header_cell_has_an_input_message(made):
    _, wb, _, _, _ = made
    for t in template.TABLE_ORDER:
        ws = wb[contract.TABLES[t][0]]
        dv = validations(ws)
        for j, col in enumerate(contract.columns(t)):
            letter = openpyxl.utils.get_column_letter(j + 1)
            v = dv[f"{letter}1"]
            assert v.showInputMessage and col.zh in v.promptTitle and len(v.promptTitle) <= 32
            assert 5 < len(v.prompt) <= 255
            assert v.prompt == template.column_hint(rules.load(), t, col, made[0])[:255]


def test_hints_name_the_items_that_require_a_column():
    rb = rules.load()
    days = template.column_hint(rb, "ledger", contract.column("ledger", "days"), 2025)
    for code, it in rb.items.items():
        if "days" in it.required:
            assert it.name in days, code
    quantity = template.column_hint(rb, "ledger", contract.column("ledger", "quantity"), 2025)
    for it in rb.items.values():  # few items do not use quantity: they are named
        if "quantity" not in it.uses:
            assert it.name in quantity


def test_dropdowns_reference_lists_built_from_the_rulebook(made):
    year, wb, _, _, _ = made
    rb = rules.load()
    assert names_of(wb, "kaohe_items") == [it.name for it in rb.items.values()]
    assert names_of(wb, "kaohe_roles") == ["承办", "协调"]
    assert names_of(wb, "kaohe_yesno") == ["是", "否"]
    ds = dataset.load(SAMPLE)
    last = max(ds.years)
    assert names_of(wb, "kaohe_units") == list(ds.units[ds.units["year"] == last]["unit"])
    ledger = validations(wb["台账"])
    letters = {c.name: openpyxl.utils.get_column_letter(j + 1) for j, c in enumerate(contract.columns("ledger"))}
    for col, name in (("item", "kaohe_items"), ("role", "kaohe_roles"), ("unit", "kaohe_units"),
                      ("major_revision", "kaohe_yesno")):
        v = ledger[f"{letters[col]}2"]
        assert (v.type, v.formula1) == ("list", name)
        assert [r.max_row for r in v.sqref.ranges] == [template.ENTRY_ROWS + 1]
    goals = validations(wb["目标"])
    assert goals["D2"].formula1 == "kaohe_yesno" and goals["B2"].formula1 == "kaohe_units"
    assert ledger[f"{letters['date']}2"].type == "date"
    assert ledger[f"{letters['quantity']}2"].type == "whole" and ledger[f"{letters['quantity']}2"].formula1 == "1"
    assert ledger[f"{letters['days']}2"].type == "decimal"


def test_formats_and_widths(made):
    _, wb, _, _, _ = made
    ws = wb["台账"]
    cols = {c.name: openpyxl.utils.get_column_letter(j + 1) for j, c in enumerate(contract.columns("ledger"))}
    assert ws.column_dimensions[cols["date"]].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions[cols["published"]].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions[cols["quantity"]].number_format == "0"
    assert ws.column_dimensions[cols["ref"]].number_format == "@"  # 文号 such as 3-5 stays text
    longest = max(text_width(it.name) for it in rules.load().items.values())
    assert ws.column_dimensions[cols["item"]].width >= longest
    for j, c in enumerate(contract.columns("ledger")):
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width >= text_width(c.zh)


def test_units_prefilled_from_the_latest_year_with_the_new_year(made):
    year, wb, empty, _, _ = made
    ds = dataset.load(SAMPLE)
    last = ds.units[ds.units["year"] == max(ds.years)]
    rows = [[c.value for c in r] for r in wb["单位"].iter_rows(min_row=2) if r[0].value is not None]
    assert [r[0] for r in rows] == [year] * len(last)
    assert [r[1] for r in rows] == list(last["unit"])
    assert [Decimal(str(r[2])) for r in rows] == list(last["staff"])
    assert wb["单位"].max_row == len(last) + 1
    # without --from the 单位 sheet is empty and the 单位 dropdown lists that sheet
    assert [c.value for c in empty["单位"]["A"][1:] if c.value is not None] == []
    assert empty.defined_names["kaohe_units"].attr_text == f"'单位'!$B$2:$B${template.ENTRY_ROWS + 1}"


def test_help_sheet_lists_every_item_with_values_from_the_rulebook(made):
    _, wb, _, _, _ = made
    rb = rules.load()
    ws = wb["说明"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1] in rb.items}
    assert set(rows) == set(rb.items)
    table = template.items_table(rb).set_index("code")
    for code, it in rb.items.items():
        name, _, clause, section, values, required, optional = rows[code]
        assert (name, clause, section) == (it.name, it.clause, rb.sections[it.section])
        assert values == table.loc[code, "values"]
        assert required == "、".join(contract.column("ledger", c).zh for c in
                                     [c.name for c in contract.columns("ledger")] if c in it.required) or "—"
        for c in it.uses - it.required:
            assert contract.column("ledger", c).zh in optional
        # every value parameter of the item appears in words
        for pname, p in rb.params.items():
            if p.item == code and p.kind == "points":
                assert template.num(rb[pname]) in values, (code, pname, values)


def test_help_follows_the_rulebook_not_typed_text(tmp_path):
    rb = rules.load().with_overrides({"petition_letter": "0.35", "sc_meeting.long.days": 2,
                                      "deputy_inspection.coordinator": "2.5"})
    t = template.items_table(rb).set_index("code")
    assert "加 0.35 分" in t.loc["petition_letter", "values"]
    assert "天数 > 2" in t.loc["sc_meeting", "values"]
    assert "协调加 2.5 分" in t.loc["deputy_inspection", "values"]
    assert "每天（× 天数）：扣 0.5 分" in t.loc["leave", "values"]
    assert "全年请假累计天数上限：15" in t.loc["leave", "values"]
    path = template.write(tmp_path / "t.xlsx", 2025, rb=rb)
    texts = [c for r in openpyxl.load_workbook(path)["说明"].iter_rows(values_only=True) for c in r if c]
    assert any("加 0.35 分" in str(c) for c in texts)


def test_the_empty_template_reads_as_an_empty_data_set(made):
    *_, full, empty = made
    raw = io.read_dataset(empty)
    assert len(raw.problems) == 0
    assert {t.name: len(t.frame) for t in raw.tables} == {"units": 0, "goals": 0, "ledger": 0}
    raw = io.read_dataset(full)
    assert {t.name: len(t.frame) for t in raw.tables}["units"] == len(names_of(made[1], "kaohe_units"))
    assert cli.main(["validate", str(empty)]) == 0


@pytest.mark.parametrize("args,words", [
    (["--year", "2025", "--out", "t.csv"], ".xlsx"),
    (["--year", "1900", "--out", "t.xlsx"], "1990 到 2100"),
])
def test_bad_arguments(tmp_path, capsys, args, words):
    args = [str(tmp_path / a) if a.startswith("t.") else a for a in args]
    assert cli.main(["template", *args]) == 1
    assert words in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_from_a_bad_data_set_names_its_problems(tmp_path, capsys, english):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "units.csv").write_text("year,unit,staff\n2024,办公厅,x\n", encoding="utf-8")
    (tmp_path / "bad" / "ledger.csv").write_text("date,unit,item\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert cli.main(["template", "--year", "2025", "--from", str(tmp_path / "bad"), "--out", str(out)]) == 1
    assert "units.csv, line 2, column staff" in capsys.readouterr().err
    assert not out.exists()


def test_the_words_cover_every_kind_rule_and_amount():
    """A new column kind, rule or amount in the contract/rulebook needs its words here."""
    kinds = {c.kind for t in template.TABLE_ORDER for c in contract.columns(t)}
    assert kinds <= set(template.KIND_ZH)
    assert set(rules.RULES) <= set(template.RULE_ZH)
    assert set(rules.AMOUNTS) <= set(template.AMOUNT_ZH)
    assert {(t, c) for t, c in template.RANGE_ZH} <= {
        (t, c.name) for t in template.TABLE_ORDER for c in contract.columns(t)}


def test_entry_sheets_print_legibly_on_a4_landscape_with_page_numbers(made):
    """单位 and 目标 fit one page width at full size; the 17 columns of 台账 would shrink to ~45 %,
    so they print on two page widths at 70 % or more, 日期/单位/事项 repeated, each row's halves on
    consecutive pages; every sheet has the 第 &P 页，共 &N 页 footer. The frozen header stays."""
    _, wb, _, _, _ = made
    for name in ENTRY:
        ws = wb[name]
        assert ws.oddFooter.center.text == "第 &P 页，共 &N 页", name
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
    for name in ("单位", "目标"):
        assert wb[name].sheet_properties.pageSetUpPr.fitToPage, name
    assert template.print_layout([20, 30, 10]) == (1.0, None)
    ledger = wb["台账"]
    assert not (ledger.sheet_properties.pageSetUpPr and ledger.sheet_properties.pageSetUpPr.fitToPage)
    assert int(ledger.page_setup.scale) >= 70
    assert ledger.print_title_cols == "$A:$C"
    assert [b.id for b in ledger.col_breaks.brk] == [11]  # 日期 … 失误 | 事由 … 备注
    assert ledger.page_setup.pageOrder == "overThenDown"


@pytest.mark.skipif(not __import__("office_kit").SOFFICE, reason=__import__("office_kit").MISSING)
def test_a_filled_ledger_prints_its_two_halves_at_a_legible_size(made, tmp_path):
    from office_kit import char_sizes, pdf_text, to_pdf
    from workbook_kit import fill, read_csv

    _, _, _, full, _ = made
    rows = [r for r in read_csv(SAMPLE / "ledger.csv") if r["date"].startswith(str(sample_year()))][:40]
    path = fill(full, tmp_path / "filled.xlsx", ledger=rows)
    wb = openpyxl.load_workbook(path)
    for name in ("说明", "单位", "目标"):  # only the ledger prints
        del wb[name]
    wb.save(path)
    pdf = to_pdf(path, tmp_path / "pdf")
    left, right = pdf_text(pdf, 1, 1), pdf_text(pdf, 2, 2)
    assert "参加人数" in left and "事由" not in left
    assert "事由" in right and "备注" in right and "日期" in right and "事项" in right  # A:C repeated
    assert "第 1 页，共 2 页" in left and "第 2 页，共 2 页" in right
    assert min(char_sizes(pdf, 0)) >= 11 * 0.7 * 0.99  # not shrunk to ~45 %


def test_the_same_input_gives_the_same_template_bytes(tmp_path):
    """The document's time is fixed (no clock in the properties), as for every workbook."""
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert cli.main(["template", "--year", "2024", "--from", str(SAMPLE), "--out", str(a)]) == 0
    time.sleep(1.1)  # a clock's second would show
    assert cli.main(["template", "--year", "2024", "--from", str(SAMPLE), "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
