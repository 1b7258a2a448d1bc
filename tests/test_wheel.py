"""A wheel built from the repository works outside the checkout: its notebooks, sample data,
rulebook, templates and message catalog are package data, found through importlib.resources."""

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                          "-w", str(out), str(ROOT)], capture_output=True, text=True)
    if res.returncode != 0 and "No module named" in res.stderr:
        pytest.skip("pip/setuptools missing: " + res.stderr.strip().splitlines()[-1])
    assert res.returncode == 0, res.stderr[-2000:]
    (whl,) = out.glob("kaohe-*.whl")
    return whl


def test_the_wheel_holds_what_the_commands_fall_back_on(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for need in ("kaohe/rulebook/rulebook.yaml", "kaohe/notebooks/annual_report.ipynb",
                 "kaohe/notebooks/fairness.ipynb", "kaohe/notebooks/whatif.ipynb",
                 "kaohe/sample/units.csv", "kaohe/sample/ledger.csv", "kaohe/sample/goals.csv",
                 "kaohe/report/templates/kaohe_offline/index.html.j2",
                 "kaohe/locale/zh_CN/LC_MESSAGES/kaohe.mo"):
        assert need in names, need


def test_kaohe_report_runs_from_the_wheel_in_a_fresh_venv(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
                    str(wheel)], check=True, capture_output=True)
    # the dependencies come from this environment (not kaohe itself: its editable hook is a
    # .pth file, which a plain path entry does not run)
    site = Path(subprocess.check_output([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KAOHE_DATASET_CACHE")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # the dependencies' data files (nbconvert's)
    where = subprocess.run([str(py), "-c", "import kaohe, kaohe.core.resources as r; print(kaohe.__file__);"
                            "print(r.sample_dir()); print(r.notebook_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    assert all(str(site) in w for w in where[:3]), where
    res = subprocess.run([str(venv / "bin" / "kaohe"), "report", "--year", "2024", "--out", "out",
                          "--notebooks", "annual_report", "--quiet"],
                         cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    folder = work / "out" / "2024"
    assert (folder / "annual_report.html").stat().st_size > 10_000
    assert list(folder.glob("*.xlsx"))
