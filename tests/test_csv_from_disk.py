"""A large CSV is parsed straight from disk (never held whole in memory); what it reads is what
the in-memory path reads, cell for cell and line for line, whatever the file holds."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaohe.inputs import io as kio

HEADER = "日期,单位,事项,数量,人员,事由,备注"
LINES = {
    "plain": ["2024-01-02,办公厅,leave,,张三,学习,"],
    "quoted": ['"2024-01-02","办公厅","leave","2","张三","学习",""'],
    "padded": ["2024-01-02 ,  办公厅 ,leave, 2 ,  张三,  , x "],
    "blank": [""],
    "spaces": ["   ,  , , , , ,"],
    "comma in quotes": ['2024-01-02,办公厅,leave,,"张,三","a ""b""",'],
    "line break in quotes": ['2024-01-02,办公厅,leave,,张三,"两\n行",'],
    "ragged": ["2024-01-02,办公厅"],
    "too long": ["2024-01-02,办公厅,leave,,张三,学习,,extra"],
    "formula": ["=1+1,@x,+2,-3,'a,\"=b\","],
    "CR only": ["2024-01-02,办公厅,leave,,张三,学习,\r2024-01-03,研究室,leave,,李四,,"],
    "NA words": ["NA,NULL,nan,None,N/A,-,"],
}


def _both(tmp_path, data: bytes, monkeypatch):
    path = tmp_path / "ledger.csv"
    path.write_bytes(data)
    monkeypatch.setattr(kio, "STREAM_BYTES", 1 << 40)
    mem = kio.read_csv_table(path, "ledger", "ledger.csv")
    monkeypatch.setattr(kio, "STREAM_BYTES", -1)
    disk = kio.read_csv_table(path, "ledger", "ledger.csv")
    return mem, disk


def _same(mem, disk):
    (a, pa_), (b, pb) = mem, disk
    pd.testing.assert_frame_equal(a.frame.astype(object), b.frame.astype(object))
    assert a.rows.tolist() == b.rows.tolist()
    assert a.encoding == b.encoding
    assert pd.concat(pa_).reset_index(drop=True).equals(pd.concat(pb).reset_index(drop=True)) if pa_ else not pb


@given(st.lists(st.sampled_from(sorted(LINES)), min_size=0, max_size=8), st.booleans(), st.booleans(),
       st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_disk_and_memory_read_the_same(tmp_path, monkeypatch, kinds, bom, final_newline, eol):
    lines = [HEADER] + [line for k in kinds for line in LINES[k]]
    text = eol.join(lines) + (eol if final_newline else "")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    _same(*_both(tmp_path, data, monkeypatch))


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_files_that_are_not_utf8_take_the_in_memory_path(tmp_path, monkeypatch, encoding):
    data = (HEADER + "\n" + LINES["plain"][0] + "\n").encode(encoding)
    try:
        mem, disk = _both(tmp_path, data, monkeypatch)
    except kio.Unreadable as e:  # UTF-16 is refused, the same way on both paths
        monkeypatch.setattr(kio, "STREAM_BYTES", -1)
        with pytest.raises(kio.Unreadable) as again:
            kio.read_csv_table(tmp_path / "ledger.csv", "ledger", "ledger.csv")
        assert str(again.value) == str(e)
        return
    _same(mem, disk)
    assert disk[0].encoding == "gb18030"


@pytest.mark.parametrize("kinds", [["plain"], ["quoted", "blank", "padded"], ["CR only", "spaces"],
                                   ["comma in quotes", "NA words", "formula"]])
def test_ordinary_files_are_read_from_disk(tmp_path, kinds):
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join([HEADER] + [line for k in kinds for line in LINES[k]]) + "\n", encoding="utf-8")
    got = kio._read_utf8_from_disk(path, "ledger", "ledger.csv")
    assert got is not None
    assert len(got[0].frame) == sum(k not in ("blank", "spaces") for k in kinds) + ("CR only" in kinds)


@pytest.mark.parametrize("kinds", [["plain", "padded", "quoted"], ["comma in quotes", "NA words", "formula", "blank"]])
def test_columns_converted_on_two_threads_are_the_same(tmp_path, monkeypatch, kinds):
    lines = [HEADER] + [line for _ in range(50) for k in kinds for line in LINES[k]]
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(kio, "THREADED_ROWS", 1 << 40)
    one = kio.read_csv_table(path, "ledger", "ledger.csv")
    monkeypatch.setattr(kio, "THREADED_ROWS", 0)
    monkeypatch.setattr(kio.os, "cpu_count", lambda: 2)
    _same(one, kio.read_csv_table(path, "ledger", "ledger.csv"))


@pytest.mark.parametrize("shift", range(-40, 12, 3))
def test_a_line_break_in_quotes_across_a_block_boundary(tmp_path, monkeypatch, shift):
    """pyarrow cuts its blocks at line ends without looking at quotes: a record that spans
    lines across a cut fails or leaves its line break in a value, and is then read the exact
    way, on both paths."""
    monkeypatch.setattr(kio, "CSV_BLOCK", 1 << 12)
    filler = [f'"2024-01-0{i % 9 + 1}","办公厅","leave","{i % 7 + 1}","张三","学习{i}",""' for i in range(200)]
    head = (HEADER + "\n" + "\n".join(filler[:60]) + "\n").encode()
    pad = (1 << 12) + shift - len(head)  # the quoted line break about at the first cut
    lines = filler[:60] + ['"2024-01-02","办公厅","leave","1","张三","' + "x" * max(pad, 0) + '\n行",""'] + filler[60:]
    mem, disk = _both(tmp_path, ("\n".join([HEADER] + lines) + "\n").encode(), monkeypatch)
    _same(mem, disk)
    frame = mem[0].frame
    assert len(frame) == len(lines) and frame["subject"].str.contains("\n").sum() == 1
