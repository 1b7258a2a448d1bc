"""Where kaohe's shipped files are: the bundled sample data set and the report notebooks.

In an installed wheel they are package data (``kaohe/sample``, ``kaohe/notebooks``); in a checkout
they stay at the top of the repository (``data/sample``, ``notebooks``), the project's layout.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # kaohe/, unpacked (a wheel or a checkout)
_CHECKOUT = _PACKAGE.parent


def _find(packaged: str, checkout: str) -> Path:
    here = _PACKAGE / packaged
    return here if here.is_dir() else _CHECKOUT / checkout


def sample_dir() -> Path:
    """The bundled sample data set (12 units, 2022–2024)."""
    return _find("sample", "data/sample")


def notebook_dir() -> Path:
    """The parameterized report notebooks."""
    return _find("notebooks", "notebooks")


def cache_root() -> Path:
    """kaohe's cache folder: ``$KAOHE_CACHE``, else ``$XDG_CACHE_HOME/kaohe`` (``~/.cache/kaohe``)."""
    import os

    base = os.environ.get("KAOHE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "kaohe")
    return Path(base)
