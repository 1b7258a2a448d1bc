"""The notebooks' default data set (and the what-if notebook's scenarios) load from any working
folder: ``papermill notebooks/annual_report.ipynb out.ipynb -p year 2023`` run from the project
root, or anywhere else, reads the bundled sample rather than failing on a relative path."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kaohe.report import defaults

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _head(name: str, extra: str) -> nbformat.NotebookNode:
    """The notebook's parameters cell, ``extra`` (as papermill would inject it) and the cell
    that loads the data set: what a run from another folder fails on first."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    i = next(k for k, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells = [nb.cells[i], nbformat.v4.new_code_cell(extra), nb.cells[i + 1]]
    return nb


@pytest.mark.parametrize("name, extra", [("annual_report", "year = 2023"), ("fairness", "year = 2023"),
                                         ("whatif", "year = 2023")])
def test_defaults_load_from_another_working_folder(name, extra, tmp_path):
    nb = _head(name, extra + "\n")
    nb.cells.append(nbformat.v4.new_code_cell("print(report.year, len(sc.table(year)))"))
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[-1].outputs[0]["text"] == "2023 12\n"


def test_a_given_path_is_used_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import kaohe
    from kaohe.report import display

    assert kaohe.annual(None, 2023).scores.dataset.name == kaohe.sample_dir().name
    assert display.scenario_files(None) == defaults.scenarios(None)
    assert defaults.dataset(["x", "y"]) == ["x", "y"] and defaults.dataset("收集") == "收集"
    assert defaults.dataset(None).joinpath("units.csv").is_file()
    names = [Path(p).stem for p in defaults.scenarios(None)]
    assert names == list(defaults.EXAMPLE_SCENARIOS) and all(Path(p).is_file() for p in defaults.scenarios(None))
    assert defaults.scenarios(("a.yaml",)) == ["a.yaml"]
