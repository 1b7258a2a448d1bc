"""Report views: every table the annual report shows, checked on a small hand-worked data set
(figures computed by hand in the comments) and, for the sums, on the sample data."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from kit import write_dataset

from kaohe.core.errors import KaoheError
from kaohe.inputs import dataset
from kaohe.output import views
from kaohe.rulebook import rules

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"

# 2024: 甲委 (2 staff) journal_issue 5 → daily 2.50, total 82.50
#       乙委 (4 staff) journal_issue ×2 = 10 (in September) → daily 2.50, total 82.50 (tie)
#       丙委 (1 staff) news_report 0.5; study_absence_private −0.2 (March); style_violation −3
#       (August, disqualifies) → common 36.80; one goal missed → 35; total 72.30
# 2023: 甲委 news_report 0.5/2 = 0.25 → 80.25; 乙委 80.00; 丙委 journal_issue 5/1 → 85.00
UNITS = [(y, u, s) for y in (2023, 2024) for u, s in (("甲委", 2), ("乙委", 4), ("丙委", 1))]
LEDGER = [
    {"date": "2023-05-01", "unit": "甲委", "item": "news_report"},
    {"date": "2023-05-02", "unit": "丙委", "item": "journal_issue"},
    {"date": "2024-03-01", "unit": "甲委", "item": "journal_issue"},
    {"date": "2024-09-01", "unit": "乙委", "item": "journal_issue", "quantity": "2"},
    {"date": "2024-04-01", "unit": "丙委", "item": "news_report", "subject": '=HYPERLINK("x")'},
    {"date": "2024-08-01", "unit": "丙委", "item": "style_violation", "subject": "违规发放津贴"},
    {"date": "2024-03-05", "unit": "丙委", "item": "study_absence_private", "person": "张三"},
]
GOALS = [{"year": 2024, "unit": "甲委", "goal": "目标一", "completed": "是"},
         {"year": 2024, "unit": "丙委", "goal": "目标二", "completed": "否"}]


def small_dataset(folder: Path) -> Path:
    return write_dataset(folder, UNITS, LEDGER, GOALS)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_dataset(tmp_path_factory.mktemp("views") / "ds")


@pytest.fixture(scope="module")
def year(small):
    return views.annual(small, 2024)


@pytest.fixture(scope="module")
def half(small):
    return views.annual(str(small), 2024, "H1")


@pytest.fixture(scope="module")
def sample():
    return views.annual(SAMPLE, 2024)


def D(s):
    return Decimal(s)


def test_period_labels_and_titles(year, half):
    assert views.period_label(2024) == "2024年度"
    assert views.period_label(2024, "H1") == "2024年上半年（半年集中督查）"
    assert year.title.startswith("2024年度") and half.title.startswith("2024年上半年（半年集中督查）")
    with pytest.raises(KaoheError, match="期间"):
        views.period_label(2024, "Q3")


def test_annual_checks_the_year_and_accepts_several_paths(small):
    with pytest.raises(KaoheError, match="2031"):
        views.annual(small, 2031)
    r = views.annual([str(small)], 2023)
    assert r.year == 2023 and r.source == "ds"
    loaded = views.annual(dataset.load(small), 2024)  # a data set the caller already loaded
    assert loaded.source == "ds" and list(views.ranking(loaded.scores, 2024)["total"])[-1] == D("72.30")


def test_ranking_shows_ties_and_lost_eligibility(year):
    t = views.ranking(year.scores, 2024)
    assert list(t["unit"]) == ["甲委", "乙委", "丙委"]
    assert list(t["rank"]) == [1, 1, 3]
    assert list(t["rank_label"]) == ["并列1", "并列1", "3"]
    assert list(t["total"]) == [D("82.50"), D("82.50"), D("72.30")]
    assert list(t["eligible_label"]) == ["是", "是", "否（取消）"]
    assert t["ineligible_because"].iloc[2] == "违反作风建设规定 四(一)3 2024-08-01"
    # a copy: changing it leaves the next call alone
    t.loc[0, "unit"] = "x"
    assert views.ranking(year.scores, 2024)["unit"].iloc[0] == "甲委"


def test_published_is_the_table_as_shown(year):
    p = views.published(year.scores, 2024)
    assert list(p.columns) == ["rank_label", "unit", "staff", "common", "goals", "daily_points", "daily",
                               "total", "eligible_label", "ineligible_because", "ineligible"]
    assert list(p["ineligible"]) == [False, False, True]
    assert p["common"].iloc[2] == D("36.80") and p["goals"].iloc[2] == D("35.00")


def test_components_add_up_to_the_total(year):
    c = views.components(year.scores, 2024)
    assert list(c.columns) == ["rank", "unit", "common", "goals", "daily", "total"]
    assert all(r.common + r.goals + r.daily == r.total for r in c.itertuples())


def test_per_capita_ranks_before_and_after_division(year):
    pc = views.per_capita(year.scores, 2024).set_index("unit")
    assert pc.loc["乙委", "daily_points"] == D("10.00") and pc.loc["乙委", "daily"] == D("2.50")
    assert pc.loc["乙委", "rank_points"] == 1 and pc.loc["甲委", "rank_points"] == 2
    assert pc.loc["甲委", "rank_daily"] == 1 and pc.loc["乙委", "rank_daily"] == 1  # 2.50 each
    assert pc.loc["甲委", "rank_change"] == 1 and pc.loc["丙委", "rank_change"] == 0


def test_over_years_up_to_the_report_year(year, half):
    y = views.over_years(year.scores, 2024)
    assert list(y["label"].unique()) == ["2023", "2024"]
    y23 = y[y["year"] == 2023].set_index("unit")
    assert y23.loc["丙委", "rank"] == 1 and y23.loc["甲委", "total"] == D("80.25")
    assert views.over_years(year.scores, 2023).empty  # no year before 2023: nothing to compare
    assert list(views.over_years(half.scores, 2024, "H1")["label"].unique()) == ["2023上半年", "2024上半年"]


def test_section_points_leave_out_full_marks(year):
    sp = views.section_points(year.scores, 2024)
    assert list(sp.index) == ["甲委", "乙委", "丙委"]
    assert list(sp.columns) == list(rules.load().sections)
    assert sp.loc["丙委", "四(一)"] == D("-3.20")
    assert sp.loc["丙委", "四(二)"] == D("-5.00")
    assert sp.loc["丙委", "四(三)4"] == D("0.50") and sp.loc["乙委", "四(三)4"] == D("10.00")
    assert sp.loc["甲委", "四(一)"] == 0
    assert views.section_labels(rules.load())["四(三)1"] == "四(三)1 依法履职"


def test_component_breakdown_sections_sum_to_daily_points(sample):
    sc = sample.scores
    b = views.component_breakdown(sc, 2024)
    daily_sections = [s for s in sc.rulebook.sections if s.startswith("四(三)")]
    for r in b.to_dict("records"):
        assert sum(r[s] for s in daily_sections) == r["daily_points"]
    staff = dict(zip(b["unit"], b["staff"]))
    assert all(b["denominator"] == [staff[u] for u in b["unit"]])  # the seed divides by staff


def test_deductions_list_every_lost_point_with_unit_and_clause(year):
    d = views.deductions(year.scores, 2024)
    assert list(d["unit"]) == ["丙委"] * 3
    assert list(d["clause"]) == ["四(一)1", "四(一)3", "四(二)"]
    assert list(d["item_zh"]) == ["因私请假不参加学习", "违反作风建设规定", "年度工作目标未完成"]
    assert list(d["points"]) == [D("-0.20"), D("-3.00"), D("-5.00")]
    assert list(d["disqualifies"]) == [False, True, False]
    assert d["person"].iloc[0] == "张三" and d["subject"].iloc[2] == "目标二"
    assert all(d["reason"] != "")


def test_ineligible_names_unit_rank_and_violation(year, half):
    t = views.ineligible(year.scores, 2024)
    assert t.to_dict("records") == [{"unit": "丙委", "rank_label": "3", "item_zh": "违反作风建设规定",
                                     "clause": "四(一)3", "date": "2024-08-01", "person": "",
                                     "subject": "违规发放津贴"}]
    assert views.ineligible(half.scores, 2024).empty  # the violation came in August


def test_goals_status_year_and_half_year(year, half):
    g = views.goals_status(year.scores, 2024).set_index("unit")
    assert g.loc["丙委", ["goals_total", "completed", "in_progress", "missed"]].tolist() == [1, 0, 0, 1]
    assert g.loc["丙委", "goals"] == D("35.00") and g.loc["乙委", "goals_total"] == 0
    h = views.goals_status(half.scores, 2024, "H1").set_index("unit")
    # to 30 June every goal is in progress, whatever its year-end flag: no completed or missed count
    assert list(h.columns) == ["goals_total", "in_progress", "goals"]
    assert h.loc["甲委", ["goals_total", "in_progress"]].tolist() == [1, 1]  # flagged 是 at year end
    assert h.loc["丙委", ["goals_total", "in_progress"]].tolist() == [1, 1]  # flagged 否 at year end
    assert h.loc["丙委", "goals"] == D("40.00") and h.loc["乙委", "goals_total"] == 0


def test_half_year_scores_the_ledger_to_30_june(half):
    t = views.ranking(half.scores, 2024).set_index("unit")
    assert t.loc["乙委", "daily_points"] == 0  # its row is dated September
    assert t.loc["丙委", "common"] == D("39.80") and bool(t.loc["丙委", "eligible"])


def test_data_summary_counts_rows_per_table(year):
    s = views.data_summary(year.scores, 2024)
    assert list(s["table"]) == ["单位", "目标", "台账"]
    assert list(s["rows"]) == [3, 2, 5] and list(s["rows_all"]) == [6, 2, 7]


def test_params_in_force_flags_changed_values(small):
    rb = rules.load().with_overrides({"news_report": 1})
    r = views.annual(small, 2024, rulebook=rb)
    p = views.params_in_force(r.scores.rulebook).set_index("name")
    assert p.loc["news_report", "value_label"] == "1" and p.loc["news_report", "default_label"] == "0.5"
    assert list(views.params_in_force(rb).columns)[-1] == "name"  # the code last (代码)
    d = views.params_in_force(rules.load().with_overrides({"daily.denominator": "none"})).set_index("name")
    assert d.loc["daily.denominator", "value_label"] == "不除"
    assert d.loc["daily.denominator", "default_label"] == "除以实际工作人员人数"
    assert bool(p.loc["news_report", "changed"]) and int(p["changed"].sum()) == 1
    assert p.loc["news_report", "zh"] == "新闻报道分值"


def test_audit_lines_add_up_to_the_exact_components(sample):
    sc = sample.scores
    lines = views.audit_lines(sc, 2024)
    exact = sc.units[sc.units["year"] == 2024].set_index("unit")
    for zh, col in (("共性工作指标", "common"), ("年度工作目标", "goals"), ("日常工作指标", "daily_points")):
        sums = lines[lines["component"] == zh].groupby("unit")["points"].sum()
        for unit, v in sums.items():
            assert Fraction(v) == exact.loc[unit, col], (unit, col)
    full = lines[lines["item"] == "common.full"]
    assert set(full["item_zh"]) == {"共性工作指标满分"} and full["row"].isna().all()
    assert lines[lines["file"] == "ledger.csv"]["row"].map(type).eq(int).all()
    assert len(lines) == (sc.audit["year"] == 2024).sum()


def test_points_are_exact_decimals():
    assert views._dec(500_000) == D("0.50") and str(views._dec(500_000)) == "0.50"
    assert views._dec(-125_000) == D("-0.125")
    assert views._dec(40_000_000) == D("40.00")
