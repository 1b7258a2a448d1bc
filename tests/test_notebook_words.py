"""The notebooks' words come from the catalog: prose cells name their message, code cells pass
captions and notes through ``kaohe.tr``; a report in English reads English prose."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

from kaohe.core import i18n
from kaohe.report import generation

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CLAUSE = re.compile(r"[一二三四五六七八九十]+\([一二三四五六七八九十]+\)")  # the regulation's clause codes


def _words(text: str) -> str:
    return CLAUSE.sub("", text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_prose_cell_is_its_message_in_chinese(path):
    nb = nbformat.read(path, as_version=4)
    prose = [c for c in nb.cells if c.cell_type == "markdown"]
    assert prose
    for cell in prose:
        msgid = cell.metadata.get("kaohe", {}).get("msgid")
        assert msgid, f"a markdown cell without its message: {cell.source[:40]!r}"
        assert not CJK.search(_words(msgid))
        assert cell.source == i18n.translate(msgid, "zh_CN"), f"not the catalog's Chinese: {msgid[:40]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_carry_no_chinese_words_but_in_comments(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        for tok in tokenize.generate_tokens(io.StringIO(cell.source).readline):
            if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                assert not CJK.search(tok.string), f"{path.stem}: {tok.string[:60]} — use kaohe.tr(…)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_report_in_english_reads_english_prose(path):
    nb = generation.translate_markdown(nbformat.read(path, as_version=4), "en")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not CJK.search(_words(cell.source))
            assert cell.source == cell.metadata["kaohe"]["msgid"]


def test_tr_is_the_catalog_in_the_language_in_use():
    import kaohe

    try:
        kaohe.set_language("en")
        assert kaohe.tr("Data read") == "Data read"
        kaohe.set_language("zh_CN")
        assert kaohe.tr("Data read") == "读入的数据"
    finally:
        kaohe.set_language(None)
