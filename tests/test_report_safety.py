"""``kaohe report`` as a process under attack (issue 12: 16–19): killed mid-run, two runs into
one folder, Ctrl-C, no loopback interface. One year, one notebook, a small data set."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import openpyxl
import pytest
from test_views import small_dataset

from kaohe.core import files

KAOHE = [sys.executable, "-m", "kaohe.cli"]
ENV = {**os.environ, "KAOHE_LANG": "en"}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_dataset(tmp_path_factory.mktemp("report-safety") / "ds")


def report(ds: Path, out: Path, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([*KAOHE, "report", str(ds), "--year", "2024", "--notebooks", "annual_report",
                             "--out", str(out), "--quiet"], env=env or ENV, stderr=subprocess.PIPE, text=True,
                            **kw)


def outputs(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file())


def check_opens(p: Path) -> None:
    """The file opens as what its name says."""
    if p.suffix == ".xlsx":
        openpyxl.load_workbook(p).close()
    elif p.suffix == ".ipynb":  # valid, and executed (not papermill's first, unexecuted save)
        nb = nbformat.read(p, as_version=4)
        nbformat.validate(nb)
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code"), p
    elif p.suffix == ".html":
        text = p.read_text(encoding="utf-8")
        HTMLParser().feed(text)
        assert text.rstrip().endswith("</html>"), p
    elif p.suffix == ".docx":  # the draft report beside the workbook
        import docx

        assert docx.Document(str(p)).paragraphs, p
    else:
        raise AssertionError(f"unexpected file {p}")


def check_folder(out: Path, left_by_kill: bool = False) -> list[str]:
    """Every result under ``out`` opens; a kill may leave only hidden temporaries (and the
    lock file), never a broken file under a final name."""
    names = []
    for p in outputs(out):
        if files.is_temporary(p.name) or p.name == files.LOCK_NAME:
            assert left_by_kill, p
            continue
        check_opens(p)
        names.append(p.name)
    return names


def wait_for_file(out: Path, proc: subprocess.Popen, suffix: str, deadline: float = 120) -> None:
    """Until a file ending in ``suffix`` appears (its temporary, as it starts being written)."""
    t0 = time.monotonic()
    while not [p for p in outputs(out) if p.name.endswith(suffix)]:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() - t0 < deadline
        time.sleep(0.01)


def kernels_of(pid: int) -> list[int]:
    """Processes started by ``pid`` as its notebook kernels (they carry JPY_PARENT_PID)."""
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                env = (d / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"JPY_PARENT_PID={pid}".encode() in env:
                found.append(int(d.name))
    return found


def test_a_killed_report_leaves_no_broken_file_and_two_runs_never_share_a_folder(small, tmp_path):
    out = tmp_path / "out"
    for suffix in (".xlsx", ".html"):  # while the kernel runs and the workbook is written; as
        proc = report(small, out)     # the page is written (the notebook just renamed)
        wait_for_file(out, proc, suffix)
        proc.kill()
        proc.wait()
        check_folder(out, left_by_kill=True)

    # two runs into the folder the kills left: one works, the other names it and stops
    first = report(small, out)
    t0 = time.monotonic()
    while f'"pid": {first.pid},' not in _read(out / files.LOCK_NAME):  # the first run holds the folder
        assert first.poll() is None and time.monotonic() - t0 < 120, first.stderr.read()
        time.sleep(0.02)
    second = subprocess.run([*KAOHE, "report", str(small), "--year", "2024", "--notebooks", "annual_report",
                             "--out", str(out), "--quiet"], env=ENV, capture_output=True, text=True)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 1, second.stderr
    assert f"is being written by another kaohe report (pid {first.pid} on " in second.stderr
    assert "Traceback" not in second.stderr + err
    assert sorted(check_folder(out)) == sorted(["Assessment results report 2024.docx", "annual_report.html",
                                                "annual_report.ipynb", "Assessment results 2024.xlsx"])
    assert not (out / files.LOCK_NAME).exists()
    for p in outputs(out):  # no temporary name inside a result (the same input, the same bytes)
        assert b".~kaohe-" not in p.read_bytes(), p
    nb = nbformat.read(out / "2024" / "annual_report.ipynb", as_version=4)
    assert nb.metadata["papermill"]["output_path"] == str(out / "2024" / "annual_report.ipynb")


ZH = {**{k: v for k, v in os.environ.items() if k != "KAOHE_LANG"}, "KAOHE_LANG": "zh_CN"}


@pytest.mark.parametrize(("sig", "code", "env", "message"), [
    (signal.SIGINT, 130, ENV, "kaohe: interrupted"),  # Ctrl-C
    (signal.SIGTERM, 143, ZH, "kaohe：收到终止信号（SIGTERM），已停止；未完成的文件已删除"),  # kill, a service manager
], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_the_kernels_and_leaves_no_partial_file(small, tmp_path, sig, code, env,
                                                                         message):
    out = tmp_path / "out"
    proc = report(small, out, env)
    t0 = time.monotonic()
    while not kernels_of(proc.pid):  # a kernel is running
        assert proc.poll() is None and time.monotonic() - t0 < 120, proc.stderr.read()
        time.sleep(0.05)
    kernels = kernels_of(proc.pid)
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    lines = err.strip().splitlines()
    assert lines[0].startswith("kaohe report: ") and lines[1:] == [message], err
    time.sleep(0.5)
    assert not [k for k in kernels if Path(f"/proc/{k}").exists()
                and "zombie" not in _state(k)], "a kernel survived"
    assert not kernels_of(proc.pid)
    if out.exists():
        check_folder(out)  # finished files only, no temporaries, no lock
        assert "annual_report.ipynb" not in [p.name for p in outputs(out)]


def _read(p: Path) -> str:
    try:
        return p.read_text()
    except OSError:
        return ""


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="unshare -n needs root")
def test_without_loopback_the_report_says_so_at_once(small, tmp_path):
    out = tmp_path / "out"
    t0 = time.monotonic()
    r = subprocess.run(["unshare", "-n", *KAOHE, "report", str(small), "--year", "2024", "--out", str(out),
                        "--quiet"], env=ENV, capture_output=True, text=True, timeout=120)
    if "unshare failed" in r.stderr or "Operation not permitted" in r.stderr:
        pytest.skip("unshare -n is not permitted here")
    assert r.returncode == 1 and "no loopback network interface (127.0.0.1" in r.stderr, r.stderr
    assert time.monotonic() - t0 < 60  # not two 120-second kernel timeouts
    assert not out.exists()
