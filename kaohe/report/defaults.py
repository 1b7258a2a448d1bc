"""What a report notebook reads when a parameter is left at ``None``: the bundled sample data
set (:func:`kaohe.core.resources.sample_dir`, found in a checkout and in an installed wheel
alike) and the example scenarios beside it. A notebook so runs the same from any working
folder — JupyterLab and nbval (the notebook's folder), ``papermill`` run from the project root.
A path given is used as given: relative to the kernel's working folder."""

from __future__ import annotations

from pathlib import Path

from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _
from kaohe.core.resources import sample_dir

# the example scenarios the what-if notebook compares by default (data/scenarios/<name>.yaml)
EXAMPLE_SCENARIOS = ("no_division", "sqrt_staff", "petition_higher", "meetings_higher", "leave_allowance_10")


def dataset(value=None):
    """``value`` (a path or a list of paths) as given, or the bundled sample data set for None."""
    return sample_dir() if value is None else value


def scenarios(value=None) -> list:
    """``value`` (scenario files) as given, or the example scenarios beside the bundled sample
    data set (``data/scenarios``) for None."""
    if value is not None:
        return list(value)
    folder = sample_dir().parent / "scenarios"
    paths = [folder / f"{n}.yaml" for n in EXAMPLE_SCENARIOS]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise KaoheError(_("the example scenarios are not where they are looked for: {path}").format(
            path=", ".join(str(p) for p in missing)),
            [_("give the scenario files (YAML) in the notebook's parameter scenarios")])
    return [str(Path(p)) for p in paths]
