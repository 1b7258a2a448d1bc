"""kaohe (考核): scoring and analysis of the annual target-responsibility assessment.

The public front: the verbs a notebook or a script uses. Importing ``kaohe`` is light; each
name loads its layer on first use.

>>> import kaohe
>>> scores = kaohe.score(kaohe.load_dataset(["data/sample"]))       # doctest: +SKIP
>>> scores.table(2024)                                              # doctest: +SKIP

Layers (each imports only those above it): ``core`` → ``rulebook`` → ``inputs`` → ``engine`` →
``analysis`` → ``output`` → ``charts`` → ``report`` → ``cli``.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "load_rulebook": ("kaohe.rulebook.rules", "load"),
    "Rulebook": ("kaohe.rulebook.rules", "Rulebook"),
    "Scenario": ("kaohe.rulebook.scenario", "Scenario"),
    "load_scenario": ("kaohe.rulebook.scenario", "load"),
    "load_dataset": ("kaohe.inputs.dataset", "load"),
    "Dataset": ("kaohe.inputs.dataset", "Dataset"),
    "score": ("kaohe.engine.score", "score"),
    "Scores": ("kaohe.engine.score", "Scores"),
    "explain_text": ("kaohe.engine.explain", "explain_text"),
    "round_half_up": ("kaohe.engine.exact", "round_half_up"),
    "annual": ("kaohe.report.datacache", "annual"),
    "KaoheError": ("kaohe.core.errors", "KaoheError"),
    "DataError": ("kaohe.core.errors", "DataError"),
    "sample_dir": ("kaohe.core.resources", "sample_dir"),
    "whatif_panel": ("kaohe.report.panel", "whatif_panel"),
    "set_language": ("kaohe.core.i18n", "set_language"),
    "language": ("kaohe.core.i18n", "language"),
    "tr": ("kaohe.core.i18n", "_"),  # a notebook's words through the catalog (``_`` is IPython's)
}
# the modules a report notebook shows through (each a verb family: views.*, show.*, charts)
_MODULES = {
    "analysis": "kaohe.analysis",
    "views": "kaohe.output.views",
    "labels": "kaohe.core.labels",
    "show": "kaohe.report.display",
    "annual_charts": "kaohe.charts.annual",
    "fairness_charts": "kaohe.charts.fairness",
}
__all__ = sorted([*_EXPORTS, *_MODULES])


def __getattr__(name: str):
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name in _EXPORTS:
        module, attr = _EXPORTS[name]
        value = getattr(importlib.import_module(module), attr)
    else:
        raise AttributeError(f"module 'kaohe' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *__all__])
