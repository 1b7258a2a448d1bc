"""Where kaohe's shipped files are: the bundled sample data set and the report notebooks.

In an installed wheel they are package data (``kaohe/sample``, ``kaohe/notebooks``); in a checkout
they stay at the top of the repository (``data/sample``, ``notebooks``), the project's layout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


def _find(packaged: str, checkout: str) -> Path:
    here = Path(str(resources.files("kaohe").joinpath(packaged)))
    return here if here.is_dir() else _CHECKOUT / checkout


def sample_dir() -> Path:
    """The bundled sample data set (12 units, 2022–2024)."""
    return _find("sample", "data/sample")


def notebook_dir() -> Path:
    """The parameterized report notebooks."""
    return _find("notebooks", "notebooks")
