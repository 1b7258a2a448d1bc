"""Hostile and accidental input (issue 12): control characters on the terminal, scenarios and
rulebooks that make no sense, analysis settings that cannot run, outputs that cannot or must
not be written, files written whole or not at all. In-process and fast; the report runs
(kill, Ctrl-C, two runs into one folder, no loopback) are in test_report_safety.py."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import openpyxl
import pytest
from kit import write_dataset
from test_views import small_dataset

from kaohe import cli
from kaohe.core import files
from kaohe.core.errors import KaoheError
from kaohe.core.terminal import SafeStream, escape_controls, holds_controls
from kaohe.output import excel
from kaohe.report import generation
from kaohe.rulebook import rules, scenario

HOSTILE = "\x1b]0;pwned\x07\x1b[2J红"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


pytestmark = pytest.mark.usefixtures("english")  # the messages' English wording (conftest)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_dataset(tmp_path_factory.mktemp("safety") / "ds")


def mkbase(folder: Path, unit: str = "办公厅") -> Path:
    return write_dataset(folder, [(2024, unit, 3)],
                         [{"date": "2024-03-05", "unit": unit, "item": "petition_letter"}],
                         [{"year": 2024, "unit": unit, "goal": "完成年度任务", "completed": "是"}])


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# ------------------------------------------------------------------ 2: control characters
def test_escape_controls_renders_c0_c1_del_and_bidi_visibly():
    assert escape_controls(HOSTILE) == "\\x1b]0;pwned\\x07\\x1b[2J红"
    assert escape_controls("a\tb\nc\rd\x00\x7f\x9b\u202e") == "a\tb\nc\\x0dd\\x00\\x7f\\x9b\\u202e"
    assert escape_controls("办公厅 2024,3.00\n") == "办公厅 2024,3.00\n"


def test_the_byte_check_finds_exactly_what_the_text_regex_renders():
    """Large CSV output skips the text regex when its bytes hold no control: the byte check
    agrees with the regex on every character of Unicode, alone and between others."""
    chars = [c for c in map(chr, range(0x110000)) if not 0xD800 <= ord(c) <= 0xDFFF]
    disagree = [c for c in chars if (escape_controls(c) != c) != holds_controls(f"办{c}·—".encode())]
    assert not disagree
    assert not holds_controls("办公厅,2024,12.50\n人大·法工委—“一”…\t1\n".encode())


def test_utf8_output_keeps_its_order_and_is_escaped_when_it_must(tmp_path):
    raw = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=False)
    out = SafeStream(raw)
    out.write("表头\n")
    out.write_utf8("办公厅,1\n".encode())
    out.write_utf8(f"{HOSTILE},2\n".encode())
    raw.flush()
    assert raw.buffer.getvalue().decode() == "表头\n办公厅,1\n\\x1b]0;pwned\\x07\\x1b[2J红,2\n"
    plain = SafeStream(io.StringIO())  # no byte layer: as text
    plain.write_utf8("办公厅\n".encode())
    assert plain.raw.getvalue() == "办公厅\n"


def test_control_characters_in_a_name_never_reach_the_terminal(tmp_path, capsys):
    ds = mkbase(tmp_path / "ds", HOSTILE)
    shown = "\\x1b]0;pwned\\x07\\x1b[2J红"
    for argv in (["score", ds], ["validate", ds], ["explain", ds, "--unit", HOSTILE],
                 ["fairness", ds], ["params"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert not any(c in out + err for c in RAW), argv
        if argv[0] != "params":
            assert shown in out, argv
    code, out, err = run(capsys, "explain", ds, "--unit", HOSTILE + "x")  # an error message
    assert code == 1 and shown in err and not any(c in err for c in RAW)
    with pytest.raises(SystemExit):  # a usage error echoes the value typed
        cli.main(["score", str(ds), "--year", HOSTILE])
    err = capsys.readouterr().err
    assert shown in err and not any(c in err for c in RAW)


# ------------------------------------------------------------------ 7, 14: scenarios
def scenario_file(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    (p.write_bytes if isinstance(text, bytes) else p.write_text)(text)
    return p


BAD_SCENARIOS = {
    "floor above full": ("overrides:\n  common.floor: 100\n  common.full: 10\n", "common.floor = 100 must be ≤"),
    "goals floor above full": ("overrides:\n  goals.floor: 41\n", "goals.floor = 41 must be ≤ goals.full"),
    "tiers swapped": ("overrides:\n  speech_draft.long.chars: 1000\n  speech_draft.medium.chars: 2500\n",
                      "tier medium can never apply"),
    "tier made unreachable by its op": ("overrides:\n  speech_draft.long.chars.op: '>'\n"
                                        "  speech_draft.long.chars: 0\n", "tier medium can never apply"),
    "duplicate key": ("overrides:\n  petition_letter: 0.2\n  petition_letter: 0.3\n",
                      "petition_letter' is given twice (line 2 and line 3)"),
    "duplicate top-level key": ("overrides: {}\nname: a\nname: b\n", "'name' is given twice"),
    "huge value": ("overrides:\n  petition_letter: 1e308\n", "from 0 to 1000"),
    "huge allowance": ("overrides:\n  leave.allowance: 1e308\n", "from 0 to 366"),
    "huge decimals": ("overrides:\n  ranking.decimals: 400\n", "from 0 to 6"),
    "huge workdays": ("overrides:\n  major_activity.workdays: 100000000\n", "from 0 to 60"),
    "int of 5000 digits": ("overrides:\n  petition_letter: " + "9" * 5000 + "\n", "a value that cannot be read"),
    "tiny value": ("overrides:\n  petition_letter: 1e-999999999\n", "at most 4 decimals"),
    "a long number": ("overrides:\n  petition_letter: '0." + "0" * 150 + "1'\n", "expected a number"),
    "a list as value": ("overrides:\n  petition_letter: [1, 2]\n", "expected a number"),
    "non-UTF-8": (b"name: \xff\xfe\noverrides: {}\n", "not UTF-8 text (byte 0xff on line 1)"),
    "merge key": ("base: &b {petition_letter: 1}\noverrides:\n  <<: *b\n", "merge key (<<) is not accepted"),
    "a list as name": ("name: [a, b]\noverrides: {}\n", "name: expected a line of text"),
    "a long name": ("name: " + "长" * 600 + "\noverrides: {}\n", "at most 500 characters"),
}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_a_scenario_that_makes_no_sense_is_refused(tmp_path, case):
    text, msg = BAD_SCENARIOS[case]
    with pytest.raises(KaoheError) as e:
        scenario.load(scenario_file(tmp_path, text))
    assert msg in str(e.value)


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    p = scenario_file(tmp_path, "name: {" + ", ".join(lines) + "}\noverrides: {}\n")
    t0 = time.process_time()
    with pytest.raises(KaoheError, match="alias"):
        scenario.load(p)
    assert time.process_time() - t0 < 5  # refused, not expanded (3.5 GB)


def test_an_oversized_scenario_file_is_refused(tmp_path):
    p = scenario_file(tmp_path, "# " + "x" * scenario.MAX_BYTES + "\noverrides: {}\n")
    with pytest.raises(KaoheError, match="at most"):
        scenario.load(p)


def test_sensible_scenarios_still_load(tmp_path):
    ok = scenario_file(tmp_path, "name: 提高\noverrides:\n  common.floor: 10\n  speech_draft.long.chars: 3000\n"
                                 "  ranking.decimals: 6\n  major_activity.workdays: 60\n  petition_letter: 1000\n")
    rb = scenario.load(ok).apply()
    assert rb["common.floor"] == 10 and rb["ranking.decimals"] == 6


def test_the_scenario_cli_refuses_without_a_traceback(tmp_path, capsys, small):
    p = scenario_file(tmp_path, BAD_SCENARIOS["floor above full"][0])
    code, out, err = run(capsys, "score", small, "--year", "2024", "--scenario", p)
    assert code == 1 and out == "" and "common.floor = 100 must be ≤ common.full = 10" in err


def test_the_rulebook_loader_refuses_duplicate_keys_and_aliases(tmp_path):
    text = (Path(rules.__file__).parent / "rulebook.yaml").read_text(encoding="utf-8")
    full = "      full: {value: 40, name: 共性工作指标满分"
    floor = "      floor: {value: 0, name: 共性工作指标最低分"
    assert full in text and floor in text

    def variant(old: str, new: str, name: str) -> Path:
        changed = text.replace(old, new, 1)
        assert changed != text
        return scenario_file(tmp_path, changed, name)

    with pytest.raises(rules.RulebookError, match="'full' is given twice"):
        rules.load(variant(full, "      full: {value: 30, name: x}\n" + full, "rb1.yaml"))
    aliased = text.replace(full, full.replace("name: ", "name: &n "), 1).replace(
        "name: 年度工作目标满分", "name: *n", 1)
    assert "&n" in aliased and "*n" in aliased
    with pytest.raises(rules.RulebookError, match="alias"):
        rules.load(scenario_file(tmp_path, aliased, "rb2.yaml"))
    with pytest.raises(rules.RulebookError, match="common.full: expected a number from 0 to 1000"):
        rules.load(variant(full, full.replace("40", "4000"), "rb3.yaml"))
    with pytest.raises(rules.RulebookError, match="common.floor = 50 must be ≤ common.full = 40"):
        rules.load(variant(floor, floor.replace("value: 0", "value: 50"), "rb4.yaml"))
    assert rules.load(scenario_file(tmp_path, text, "rb5.yaml")).relations  # the file as shipped


# ------------------------------------------------------------------ 15: analysis settings
@pytest.mark.parametrize("argv, msg", [
    (["uncertainty", "--seed", "-1"], "--seed -1: expected a whole number ≥ 0"),
    (["uncertainty", "--samples", "1000000000"], "samples fit in the"),
    (["sensitivity", "--samples", "100000000"], "samples fit in the"),
    (["sensitivity", "--seed", "-5"], "--seed -5"),
    (["uncertainty", "--samples", "0"], "≥ 1"),
])
def test_analysis_settings_that_cannot_run_are_refused_with_the_limit(capsys, small, argv, msg):
    code, out, err = run(capsys, *argv, small, "--year", "2024")
    assert code == 1 and msg in err and out == ""
    if "fit" in msg:
        assert "at most" in err and "GiB" in err or "MiB" in err


# ------------------------------------------------------------------ 13, 21: outputs
def out_commands(ds: Path, out: Path) -> list[list]:
    return [["score", ds, "--out", out], ["explain", ds, "--unit", "甲委", "--year", "2024", "--out", out],
            ["params", "--out", out], ["validate", ds, "--out", out], ["validate", ds, "--problems", out],
            ["template", "--year", "2025", "--out", out], ["fairness", ds, "--year", "2024", "--out", out]]


def test_an_unwritable_out_is_a_clear_message_before_any_work(tmp_path, capsys, small):
    folder = tmp_path / "a folder.xlsx"
    folder.mkdir()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    cases = [(folder, "it is a folder"), (a_file / "x.xlsx", "is a file, not a folder"),
             (a_file / "deeper" / "x.xlsx", "is a file, not a folder")]
    for out, msg in cases:
        for argv in out_commands(small, out):
            code, _, err = run(capsys, *argv)
            assert code == 1 and "cannot write" in err and msg in err, (argv, err)
    for out in (a_file, a_file / "sub"):
        code, _, err = run(capsys, "report", small, "--out", out, "--quiet")
        assert code == 1 and "cannot write" in err
    scen = scenario_file(tmp_path, "overrides: {}\n")
    code, _, err = run(capsys, "compare", small, "--year", "2024", "--scenario", scen, "--out", folder)
    assert code == 1 and "it is a folder" in err


def test_odd_out_paths_are_clear_messages(tmp_path, capsys, small):
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    for out in ("x" * 300 + ".csv", tmp_path / "loop1", tmp_path / "loop1" / "x.csv"):
        code, _, err = run(capsys, "score", small, "--year", "2024", "--out", out)
        assert code == 1 and "cannot write" in err, err
    code, _, err = run(capsys, "report", small, "--out", tmp_path / "loop1", "--quiet")
    assert code == 1 and "cannot write" in err
    target = tmp_path / "target.csv"
    (tmp_path / "link.csv").symlink_to(target)
    code, _, err = run(capsys, "score", small, "--year", "2024", "--out", tmp_path / "link.csv")
    assert code == 0 and (tmp_path / "link.csv").is_symlink() and target.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_clear_message(tmp_path, capsys, small):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    for argv in out_commands(small, ro / "x.xlsx"):
        code, _, err = run(capsys, *argv)
        assert code == 1 and "no permission" in err


def test_a_write_that_fails_midway_is_an_output_error_and_leaves_nothing(tmp_path):
    target = tmp_path / "r.csv"
    target.write_text("old")

    with pytest.raises(files.OutputError, match="the disk is full"), files.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise OSError(28, "No space left on device")
    assert target.read_text() == "old" and sorted(os.listdir(tmp_path)) == ["r.csv"]


def test_an_output_that_is_an_input_is_refused(tmp_path, capsys):
    ds = mkbase(tmp_path / "ds")
    before = {p.name: p.read_bytes() for p in ds.iterdir()}
    scen = scenario_file(tmp_path, "overrides: {}\n")
    for argv in (["score", ds, "--out", ds / "units.csv"], ["score", ds / "units.csv", ds / "ledger.csv",
                                                           "--out", ds / "ledger.csv"],
                 ["validate", ds, "--problems", ds / "goals.csv"],
                 ["compare", ds, "--scenario", scen, "--out", scen],
                 ["template", "--year", "2025", "--from", ds / "units.csv", ds / "ledger.csv",
                  "--out", ds / "units.csv"],
                 ["report", ds, "--out", ds]):
        code, _, err = run(capsys, *argv)
        assert code == 1 and ("would be overwritten" in err or "is one of the inputs" in err), (argv, err)
    assert {p.name: p.read_bytes() for p in ds.iterdir()} == before
    code, _, err = run(capsys, "score", ds, "--out", ds / "结果.xlsx")  # a new file in the data folder
    assert code == 0 and "is written into the data set folder" in err


def test_every_writer_writes_under_a_temporary_name(tmp_path, monkeypatch):
    """A writer killed before its rename leaves the final name untouched: each writer goes
    through files.atomic_path (the xlsx close, the CSV, the template, the HTML page)."""
    seen = []
    real = files.temporary_for

    def spy(path):
        tmp = real(path)
        seen.append((Path(path).name, tmp.name))
        return tmp

    monkeypatch.setattr(files, "temporary_for", spy)
    ds = mkbase(tmp_path / "ds")
    assert cli.main(["score", str(ds), "--out", str(tmp_path / "a.csv")]) == 0
    assert cli.main(["score", str(ds), "--out", str(tmp_path / "a.xlsx")]) == 0
    assert cli.main(["validate", str(ds), "--out", str(tmp_path / "v.xlsx")]) == 0
    assert cli.main(["template", "--year", "2025", "--out", str(tmp_path / "t.xlsx")]) == 0
    generation.export_html(_notebook(), tmp_path / "p.html", "t")
    assert [n for n, _ in seen] == ["a.csv", "a.xlsx", "v.xlsx", "t.xlsx", "p.html"]
    assert all(files.is_temporary(t) for _, t in seen)
    assert not [p for p in tmp_path.iterdir() if files.is_temporary(p.name)]


def _notebook():
    import nbformat

    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# x")])


def test_an_xlsx_writer_that_fails_keeps_the_previous_file(tmp_path, monkeypatch):
    import pandas as pd
    import xlsxwriter

    target = tmp_path / "r.xlsx"
    excel.write(target, [excel.Sheet("a", pd.DataFrame({"x": [1]}))])
    before = target.read_bytes()

    def boom(self):
        raise RuntimeError("killed while writing")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", boom)
    with pytest.raises(RuntimeError):
        excel.write(target, [excel.Sheet("a", pd.DataFrame({"x": [2]}))])
    assert target.read_bytes() == before and openpyxl.load_workbook(target)
    assert sorted(os.listdir(tmp_path)) == ["r.xlsx"]


def test_remove_temporaries_removes_only_ours(tmp_path):
    (tmp_path / "2024").mkdir()
    ours = tmp_path / "2024" / ".~kaohe-abc_12.annual_report.ipynb"
    ours.write_text("{")
    theirs = [tmp_path / "2024" / n for n in (".hidden", "~$book.xlsx", ".~lock.x#", "a.ipynb")]
    for p in theirs:
        p.write_text("x")
    assert files.remove_temporaries(tmp_path) == 0  # only the folder itself
    assert files.remove_temporaries(tmp_path / "2024") == 1
    assert not ours.exists() and all(p.exists() for p in theirs)


# ------------------------------------------------------------------ 17, 19, 20: report checks
def test_the_folder_lock_names_its_holder(tmp_path):
    with files.folder_lock(tmp_path):
        with pytest.raises(files.FolderBusy) as e, files.folder_lock(tmp_path):
            pass
        assert f"pid {os.getpid()}" in str(e.value) and "started" in str(e.value)
    assert not (tmp_path / files.LOCK_NAME).exists()
    with files.folder_lock(tmp_path):  # free again
        pass


def test_years_are_checked_without_listing_a_range():
    t0 = time.process_time()
    with pytest.raises(KaoheError) as e:
        generation.parse_years("1-99999999", [2022, 2023, 2024])
    assert time.process_time() - t0 < 1
    assert "years 1–2021, 2025–99999999 are not in the data set" in str(e.value)
    with pytest.raises(KaoheError, match="at most 200 years"):
        generation.parse_years("1-99999", None)
    for bad in ("-5", "2024-", "abc", "2024--2025", "1e3"):
        with pytest.raises(KaoheError, match="write a year"):
            generation.parse_years(bad, [2024])


def test_a_report_that_cannot_run_creates_nothing(tmp_path, capsys, small, monkeypatch):
    def no_kernel(*a, **k):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(generation, "execute", no_kernel)
    out = tmp_path / "new" / "reports"
    for argv, msg in ((["--years", "2030-2031"], "years 2030–2031 are not in the data set"),
                      (["--years", "1-99999"], "years 1–2022, 2025–99999 are not in the data set"),
                      (["--year", "99999999999"], "write a year")):
        code, _, err = run(capsys, "report", small, *argv, "--out", out, "--quiet")
        assert code == 1 and msg in err
    bad = write_dataset(tmp_path / "bad", [(2024, "甲委", "three")])
    code, _, err = run(capsys, "report", bad, "--out", out, "--quiet")
    assert code == 1 and "staff" in err
    for t in ("0", str(10**20)):
        code, _, err = run(capsys, "report", small, "--out", out, "--quiet", "--timeout", t)
        assert code == 1 and f"--timeout {t}: expected a number of seconds from 1 to 86400" in err
    assert not (tmp_path / "new").exists()


def test_no_loopback_is_found_at_once(monkeypatch, tmp_path, capsys, small):
    import socket

    class NoNet(socket.socket):
        def bind(self, addr):
            raise OSError(99, "Cannot assign requested address")

    monkeypatch.setattr(socket, "socket", NoNet)
    code, _, err = run(capsys, "report", small, "--year", "2024", "--out", tmp_path / "o", "--quiet")
    assert code == 1 and "no loopback network interface (127.0.0.1: the address is not available)" in err
    assert not (tmp_path / "o").exists()


def test_what_this_writes_is_deterministic_and_reads_back(tmp_path):
    from decimal import Decimal

    ds = mkbase(tmp_path / "ds")
    for n in (1, 2):
        assert cli.main(["score", str(ds), "--out", str(tmp_path / f"s{n}.csv")]) == 0
        assert cli.main(["params", "--out", str(tmp_path / f"p{n}.csv")]) == 0
    assert (tmp_path / "s1.csv").read_bytes() == (tmp_path / "s2.csv").read_bytes()
    assert (tmp_path / "p1.csv").read_bytes() == (tmp_path / "p2.csv").read_bytes()
    same = Decimal("0.3")  # one object under two names: dumped twice, never as an alias
    sc = scenario.Scenario("两项", {"petition_letter": same, "petition_visit": same})
    sc.dump(tmp_path / "s.yaml")
    assert scenario.load(tmp_path / "s.yaml").apply()["petition_visit"] == same
