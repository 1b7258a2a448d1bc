"""The command answers at once: it leaves without tearing the interpreter down (output flushed,
exit codes kept), and the shipped rulebook is read from its parse kept in the cache folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"


def _kaohe(*args, env=None, cwd=None):
    import os

    return subprocess.run([sys.executable, "-m", "kaohe", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, check=False)


def test_the_table_comes_out_whole_and_the_codes_are_kept(tmp_path):
    out = _kaohe("score", SAMPLE, "--year", "2024")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0].startswith("rank,unit,") and len(lines) == 13  # the header and 12 units
    assert _kaohe("score", tmp_path / "nowhere", "--year", "2024").returncode == 1
    assert _kaohe("--no-such-option").returncode == 2
    assert _kaohe().returncode == 2
    help_ = _kaohe("--help")
    assert help_.returncode == 0 and "用法" in help_.stdout


def test_a_file_written_before_leaving_is_complete(tmp_path):
    target = tmp_path / "t.csv"
    assert _kaohe("score", SAMPLE, "--year", "2024", "--out", target).returncode == 0
    text = target.read_bytes().decode("utf-8-sig")
    assert text.startswith("rank,unit,") and text.endswith("\r\n") and text.count("\r\n") == 13


def test_a_closed_pipe_is_no_error():
    p = subprocess.Popen([sys.executable, "-m", "kaohe", "score", str(SAMPLE), "--year", "2024"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait() == 0
    assert "Traceback" not in err


PROBE = ("import json, sys\n"
         "from kaohe.rulebook import rules\n"
         "rb = rules.load()\n"
         "print(json.dumps([len(rb.params), 'yaml' in sys.modules]))\n")


def _probe(cache: Path):
    import os

    res = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                         env={**os.environ, "KAOHE_CACHE": str(cache)})
    return json.loads(res.stdout.strip().splitlines()[-1])


def test_the_rulebook_is_parsed_once_and_then_read_from_the_cache(tmp_path):
    n, parsed = _probe(tmp_path)
    assert parsed  # the first run parses the YAML …
    kept = list(tmp_path.glob("rulebook-*.marshal"))
    assert len(kept) == 1
    assert _probe(tmp_path) == [n, False]  # … the next ones do not import yaml at all


def test_a_damaged_or_unwritable_cache_only_means_parsing_again(tmp_path):
    n, _parsed = _probe(tmp_path)
    for f in tmp_path.glob("rulebook-*.marshal"):
        f.write_bytes(b"\x00garbage")
    assert _probe(tmp_path) == [n, True]
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert _probe(blocked) == [n, True]


@pytest.mark.parametrize("edit", ["value"])
def test_a_changed_rulebook_text_is_parsed_again(tmp_path, monkeypatch, edit):
    from kaohe.rulebook import rules

    monkeypatch.setenv("KAOHE_CACHE", str(tmp_path))
    text = (ROOT / "kaohe" / "rulebook" / "rulebook.yaml").read_text(encoding="utf-8")
    a = rules._parsed(text, "rulebook.yaml")
    b = rules._parsed(text.replace("value: 0.2", "value: 0.3", 1), "rulebook.yaml")
    assert a != b and len(list(tmp_path.glob("rulebook-*.marshal"))) == 2
    assert rules._parsed(text, "rulebook.yaml") == a


CONSOLE = ("import os, sys, gc\n"
           "import kaohe.cli as cli\n"
           "def main():\n"
           "    cli._import_pandas(cli.build_parser().parse_args(['score', 'x']))\n"
           "    print(os.environ.get('OPENBLAS_NUM_THREADS'), os.environ.get('MIMALLOC_ARENA_EAGER_COMMIT'),\n"
           "          gc.isenabled(), gc.get_freeze_count() > 10000)\n"
           "    return 0\n"
           "cli.main = main\n"
           "cli.console()\n")


@pytest.mark.parametrize("given, expected", [(None, ["1", "0"]), ("4", ["4", "2"])])
def test_the_command_runs_one_blas_thread_unless_told_and_collects_cycles_after_pandas(given, expected):
    """OpenBLAS's spinning threads are not started and mimalloc commits its arenas as used
    (a user's settings are kept); pandas is imported without the cycle collector, which is on
    again afterwards with the imported objects frozen out of its way."""
    import os

    names = ("OPENBLAS_NUM_THREADS", "MIMALLOC_ARENA_EAGER_COMMIT")
    env = {k: v for k, v in os.environ.items() if k not in names}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"], env["MIMALLOC_ARENA_EAGER_COMMIT"] = given, "2"
    out = subprocess.run([sys.executable, "-c", CONSOLE], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == [*expected, "True", "True"]


THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists() or not THP.exists()
                    or "[madvise]" not in THP.read_text(), reason="Linux's huge pages on request")
def test_arrow_memory_under_the_command_is_committed_as_used():
    """Under the command, a 1 MiB Arrow buffer does not bring a 2 MiB huge page with it (a
    whole arena committed at once, as mimalloc does by default here)."""
    import os

    probe = ("import kaohe.cli as cli\n"
             "def main():\n"
             "    import pyarrow as pa\n"
             "    b = pa.allocate_buffer(1 << 20)\n"
             "    print(pa.default_memory_pool().backend_name, [int(x.split()[1]) for x in "
             "open('/proc/self/smaps_rollup') if x.startswith('AnonHugePages')][0])\n"
             "    return 0\n"
             "cli.main = main\n"
             "cli.console()\n")
    env = {k: v for k, v in os.environ.items() if k != "MIMALLOC_ARENA_EAGER_COMMIT"}
    backend, huge = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                   env=env, check=True).stdout.split()
    assert backend != "mimalloc" or huge == "0"
