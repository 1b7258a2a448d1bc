"""pytest configuration shared by the tests and the nbval notebook checks.

nbval (``pytest --nbval … notebooks``) re-runs each committed notebook and compares every
output with the stored one: tables (text/html) and charts (HTML divs with fixed ids)
strictly. Only stderr is not compared: it carries library warnings that depend on the
environment (a new deprecation warning is no change in the report); a cell that raises
still fails.
"""

from __future__ import annotations

import pytest


def pytest_collectstart(collector):
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, "stderr")


@pytest.fixture
def english(monkeypatch):
    """Messages in English (KAOHE_LANG=en) for tests that read their wording."""
    from kaohe.core import i18n

    monkeypatch.setenv("KAOHE_LANG", "en")
    i18n.set_language()
    yield
    monkeypatch.delenv("KAOHE_LANG")
    i18n.set_language()
