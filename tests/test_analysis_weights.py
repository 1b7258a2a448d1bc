"""Effective weights of the components."""

import numpy as np
import pytest
from kit import SAMPLE

from kaohe.analysis import weights
from kaohe.engine import score
from kaohe.inputs import dataset


@pytest.fixture(scope="module")
def sc():
    return score.score(dataset.load(SAMPLE), with_reasons=False)


def test_variance_shares_add_up_and_match_a_direct_computation(sc):
    for year in sc.dataset.years:
        w = weights.effective_weights(sc, year).set_index("component")
        assert list(w.index) == ["common", "goals", "daily"]
        assert w["var_share"].sum() == pytest.approx(1, abs=2e-3)
        u = sc.units[sc.units["year"] == year]
        x = {k: np.array([float(v) for v in u[k]]) for k in ("common", "goals", "daily")}
        t = x["common"] + x["goals"] + x["daily"]
        assert w.loc["daily", "var_share"] == pytest.approx(np.cov(x["daily"], t, ddof=0)[0, 1] / t.var(), abs=1e-3)
        assert w.loc["common", "corr"] == pytest.approx(np.corrcoef(x["common"], t)[0, 1], abs=1e-3)
        assert w.loc["common", "nominal_max"] == 40 and np.isnan(w.loc["daily", "nominal_max"])


def _tiny(tmp_path):
    (tmp_path / "units.csv").write_text("year,unit,staff\n2024,甲,2\n2024,乙,4\n2024,丙,8\n", encoding="utf-8")
    (tmp_path / "goals.csv").write_text(
        "year,unit,goal,completed\n" + "".join(f"2024,{u},目标,是\n" for u in "甲乙丙"), encoding="utf-8")
    (tmp_path / "ledger.csv").write_text(
        "date,unit,item,quantity\n2024-03-01,甲,info_article,4\n2024-03-01,乙,info_article,20\n"
        "2024-03-01,丙,info_article,6\n", encoding="utf-8")
    return score.score(dataset.load(tmp_path), with_reasons=False)


def test_a_component_equal_for_every_unit_has_no_weight(tmp_path):
    w = weights.effective_weights(_tiny(tmp_path), 2024).set_index("component")
    assert w.loc["goals", "var_share"] == 0 and w.loc["common", "var_share"] == 0
    assert w.loc["daily", "var_share"] == pytest.approx(1)
    assert w.loc["goals", "rank_shift_without"] == 0
    assert w.loc["daily", "rank_shift_without"] > 0
    assert "日常工作指标 100%" in weights.reading(w.reset_index())
