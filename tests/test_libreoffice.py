"""The template opens cleanly in LibreOffice: headless ``soffice --convert-to xlsx`` succeeds,
and the converted workbook has the same sheets, headers, dropdowns and input messages — and a
filled-in template saved by LibreOffice scores the same.

Needs LibreOffice Calc (Debian: libreoffice-calc-nogui); skipped when soffice is absent.
LibreOffice's headless conversion drops view settings (frozen panes), so those are checked on
the template itself (test_template.py), not here."""

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from workbook_kit import csv_subset, fill, read_csv, sample_year

from kaohe import cli
from kaohe.core import contract
from kaohe.engine import score
from kaohe.inputs import dataset
from kaohe.output import office_template as template

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                                "apt-get install libreoffice-calc-nogui")


def convert(path: Path, outdir: Path, fmt: str = "xlsx") -> Path:
    """Headless LibreOffice conversion with its own profile (parallel runs do not collide)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / "lo-profile").resolve().as_uri()
    res = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", fmt,
                          "--outdir", str(outdir), str(path)], capture_output=True, text=True, timeout=180)
    out = outdir / f"{path.stem}.{fmt}"
    assert res.returncode == 0 and out.exists(), res.stdout + res.stderr
    return out


def lists(wb):
    """name → values of the workbook-level dropdown lists."""
    out = {}
    for name, dn in wb.defined_names.items():
        sheet, cells = dn.attr_text.split("!")
        ws = wb[sheet.strip("'")]
        out[name] = [c.value for row in ws[cells.replace("$", "")] for c in row if c.value is not None]
    return out


def checks(ws):
    """(first cell, type, formula, prompt title, prompt) of each data validation of a sheet."""
    out = set()
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            first = rng.coord.split(":")[0]
            out.add((first, dv.type or "any", dv.formula1 if dv.type == "list" else None,
                     dv.promptTitle or None, dv.prompt or None))
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    d = tmp_path_factory.mktemp("lo")
    year = sample_year()
    csv_dir = csv_subset(d / "csv", year)
    tpl = d / "template.xlsx"
    assert cli.main(["template", "--year", str(year), "--from", str(csv_dir), "--out", str(tpl)]) == 0
    return d, year, csv_dir, tpl


def test_template_converts_and_keeps_sheets_headers_and_dropdowns(made):
    d, _, _, tpl = made
    conv = convert(tpl, d / "converted")
    a, b = openpyxl.load_workbook(tpl), openpyxl.load_workbook(conv)
    assert b.sheetnames == a.sheetnames
    assert [ws.sheet_state for ws in b.worksheets] == [ws.sheet_state for ws in a.worksheets]
    assert lists(b) == lists(a)
    for t in template.TABLE_ORDER:
        name = contract.TABLES[t][0]
        assert [c.value for c in b[name][1]] == [c.zh for c in contract.columns(t)]
        assert checks(b[name]) == checks(a[name])
    for row_a, row_b in zip(a["说明"].iter_rows(values_only=True), b["说明"].iter_rows(values_only=True),
                            strict=False):
        assert [v for v in row_a if v] == [v for v in row_b if v]
    assert [[c.value for c in r] for r in b["单位"].iter_rows(min_row=2)] == \
        [[c.value for c in r] for r in a["单位"].iter_rows(min_row=2)]


def test_a_filled_template_saved_by_libreoffice_scores_the_same(made):
    d, year, csv_dir, tpl = made
    book = fill(tpl, d / "filled.xlsx", goals=read_csv(csv_dir / "goals.csv"),
                ledger=read_csv(csv_dir / "ledger.csv"))
    conv = convert(book, d / "resaved")
    assert conv.read_bytes() != book.read_bytes()

    def table(path):
        return score.score(dataset.load(path), with_reasons=False).table(year).to_dict("records")

    assert table(conv) == table(csv_dir)
