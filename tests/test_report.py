"""``kaohe report``: notebooks executed per year, offline HTML, the Excel workbook, errors."""

import json
import re

import nbformat
import openpyxl
import pandas as pd
import pytest
from test_views import small_dataset

from kaohe import cli
from kaohe.core.errors import KaoheError
from kaohe.report import display, generation, workbook

EXTERNAL = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


def external_loads(html: str) -> list[str]:
    """Tags that would load something over the network (scripts, stylesheets, images)."""
    return [m.group(0) for m in EXTERNAL.finditer(html)]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return small_dataset(tmp_path_factory.mktemp("report") / "ds")


@pytest.fixture(scope="module")
def run(small, tmp_path_factory):
    """`kaohe report` on the small data set (both years, two jobs) — run once for the module."""
    out = tmp_path_factory.mktemp("out")
    code = cli.main(["report", str(small), "--out", str(out), "--jobs", "2", "--quiet",
                     "--notebooks", "annual_report"])
    assert code == 0
    return out


# ------------------------------------------------------------------ pieces
def test_external_loads_detector_catches_cdn_tags():
    assert external_loads('<script src="https://cdn.plot.ly/x.js"></script>')
    assert external_loads("<link rel=stylesheet href='//fonts.example/x.css'>")
    assert not external_loads('<a href="https://plotly.com/">plotly</a><script>var u="http://x"</script>')


def test_offline_template_loads_nothing(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 标题 $x^2$"),
        nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
            "display_data", {"text/html": "<b>单位</b>", "text/plain": "x"})]),
        nbformat.v4.new_code_cell("secret = 1", metadata={"tags": ["parameters"]}),
    ])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    page = generation.export_html(nb, tmp_path / "p.html", "2024年度报告")
    html = page.read_text(encoding="utf-8")
    assert external_loads(html) == []
    assert "require.js" not in html and "mathjax" not in html.lower() and "mermaid.esm" not in html
    assert "<title>2024年度报告</title>" in html and "<b>单位</b>" in html
    assert "Noto Sans CJK SC" in html  # CJK font stack
    assert "secret" not in html  # code hidden, parameter cells removed


def test_page_templates_are_compiled_once_and_kept_in_the_cache(tmp_path, monkeypatch):
    """The exporter keeps jinja's compiled templates under KAOHE_CACHE/templates; a later run
    loads them and writes the same page; an unusable cache folder only means no cache."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 标题"), nbformat.v4.new_code_cell(
        "1", outputs=[nbformat.v4.new_output("display_data", {"text/html": "<b>单位</b>", "text/plain": "x"})])])
    pages, stamps = [], []
    for cache in (tmp_path / "cache", tmp_path / "cache", tmp_path / "not-a-folder"):
        monkeypatch.setenv("KAOHE_CACHE", str(cache))
        monkeypatch.setattr(generation, "_EXPORTER", None)  # a new run
        if cache.name == "not-a-folder":
            cache.write_text("")
        pages.append(generation.export_html(nb, tmp_path / f"p{len(pages)}.html", "报告").read_bytes())
        if cache.name == "cache":
            kept = sorted((cache / "templates").iterdir())
            assert kept and all(p.name.endswith(".cache") and p.stat().st_size for p in kept)
            stamps.append([(p.name, p.stat().st_mtime_ns) for p in kept])
    assert stamps[0] == stamps[1]  # the second run loaded them: nothing compiled, nothing rewritten
    assert pages[0] == pages[1] == pages[2]
    monkeypatch.setattr(generation, "_EXPORTER", None)


def test_parse_years():
    assert generation.parse_years(None, [2022, 2023, 2024]) == [2022, 2023, 2024]
    assert generation.parse_years("2023-2024", [2022, 2023, 2024]) == [2023, 2024]
    assert generation.parse_years(2022, [2022, 2023]) == [2022]
    for bad, msg in (("2024-2022", "范围为空"), ("20x", "年度范围"), ("2021-2022", "2021")):
        with pytest.raises(KaoheError, match=msg):
            generation.parse_years(bad, [2022, 2023, 2024])


def test_file_names_follow_the_language():
    """The workbook and the draft report beside it: both Chinese, or both English under --lang en."""
    from kaohe.core import i18n
    from kaohe.output import notice

    before = i18n.language()
    try:
        i18n.set_language("zh_CN")
        assert [generation.workbook_name(2024, p) for p in ("year", "H1")] == [
            "考核结果_2024.xlsx", "考核情况_2024上半年.xlsx"]
        assert notice.name(2024) == "关于2024年度机关目标责任考核结果的报告.docx"
        i18n.set_language("en")
        names = [generation.workbook_name(2024, p) for p in ("year", "H1")] + [
            notice.name(2024, p) for p in ("year", "H1")]
        assert names == ["Assessment results 2024.xlsx", "Half-year assessment 2024.xlsx",
                         "Assessment results report 2024.docx", "Half-year inspection notice 2024.docx"]
    finally:
        i18n.set_language(before)


def test_a_view_is_computed_once_per_language_and_each_call_gets_its_own_copy(small):
    from kaohe.core import i18n
    from kaohe.output import views

    sc = views.annual(small, 2024).scores
    before = i18n.language()
    try:
        i18n.set_language("zh_CN")
        a = views.deductions(sc, 2024)
        a.loc[:, "reason"] = "changed"
        assert not (views.deductions(sc, 2024)["reason"] == "changed").any()
        p = views.profiles(sc, 2024)
        p[0].groups.loc[:, "points"] = 0
        assert views.profiles(sc, 2024)[0].groups["points"].ne(0).any()
        zh = views.ranking(sc, 2024)
        i18n.set_language("en")
        en = views.ranking(sc, 2024)  # not the Chinese one from the cache
        assert list(en["eligible_label"]) != list(zh["eligible_label"])
        assert list(en["total"]) == list(zh["total"])
    finally:
        i18n.set_language(before)


def test_the_report_kernel_takes_the_handed_over_report_only_while_it_is_current(small, tmp_path, monkeypatch):
    """kaohe report scores each year (with its views) while the kernels start and hands it over;
    a kernel takes it only for the same files unchanged, the same year, period and language,
    and shows the same figures as when it scores the data set itself."""
    import shutil

    from kaohe.core import i18n
    from kaohe.inputs import dataset
    from kaohe.output import summary, views
    from kaohe.report import datacache

    ds_dir = tmp_path / "ds"
    shutil.copytree(small, ds_dir)
    cache = tmp_path / "cache" / "dataset.pickle"
    cache.parent.mkdir()
    before = i18n.language()
    try:
        i18n.set_language("zh_CN")
        ds = dataset.load([ds_dir])
        datacache.save(ds, [ds_dir], cache)
        datacache.save_report(datacache.prime(views.annual(ds, 2024)), [ds_dir], cache)
        monkeypatch.setenv(datacache.ENV, str(cache))

        handed = datacache.annual(str(ds_dir), 2024)
        assert handed.scores.__dict__.get("_views") and handed.source == "ds"
        monkeypatch.delenv(datacache.ENV)
        fresh = datacache.annual(str(ds_dir), 2024)
        assert not fresh.scores.__dict__.get("_views")
        monkeypatch.setenv(datacache.ENV, str(cache))
        for f in (views.results, views.deductions, views.ineligible, views.goals_status):
            assert f(handed.scores, 2024).equals(f(fresh.scores, 2024)), f.__name__
        assert summary.overview(handed.scores, 2024) == summary.overview(fresh.scores, 2024)
        assert [p.deductions.equals(q.deductions) and p.groups.equals(q.groups) for p, q in zip(
            views.profiles(handed.scores, 2024), views.profiles(fresh.scores, 2024))] == [True] * len(fresh.scores.table(2024))

        other_year = datacache.annual(str(ds_dir), 2023)  # scored here from the handed-over data set
        assert other_year.year == 2023 and not other_year.scores.__dict__.get("_views")
        assert not datacache.annual(str(ds_dir), 2024, "H1").scores.__dict__.get("_views")
        i18n.set_language("en")
        assert not datacache.annual(str(ds_dir), 2024).scores.__dict__.get("_views")
        i18n.set_language("zh_CN")
        units = ds_dir / "units.csv"
        units.write_text(units.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the data changed
        assert not datacache.annual(str(ds_dir), 2024).scores.__dict__.get("_views")
        assert datacache.load([ds_dir]) is None
    finally:
        i18n.set_language(before)


def test_report_kernels_use_the_client_that_is_ready_when_the_kernel_answers():
    km = generation._kernel_manager_class()(kernel_name="python3")
    client = km.client()
    assert type(client).__name__ == "ReadyKernelClient"
    assert type(client).wait_for_ready is not type(client).__mro__[1].wait_for_ready


def test_parameters_are_builtins():
    import numpy as np

    nb = generation.NOTEBOOKS[0]
    p = generation._parameters(nb, ["/data/x"], np.int64(2024), "H1")
    assert p == {"dataset": "/data/x", "year": 2024, "period": "H1", "lang": "zh_CN"}
    assert type(p["year"]) is int
    other = generation._parameters(generation.NOTEBOOKS[1], ["/a", "/b"], 2024, "year", lang="en")
    assert other == {"dataset": ["/a", "/b"], "year": 2024, "lang": "en"}


def test_the_suite_is_listed_once_and_annual_report_always_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(generation, "NOTEBOOK_DIR", tmp_path)
    assert [n.name for n in generation.notebooks_for("year")] == ["annual_report"]
    (tmp_path / "fairness.ipynb").write_text("{}", encoding="utf-8")
    assert [n.name for n in generation.notebooks_for("year")] == ["annual_report", "fairness"]
    assert [n.name for n in generation.notebooks_for("H1")] == ["annual_report"]


def test_display_table_escapes_and_aligns():
    from decimal import Decimal

    import pandas as pd

    df = pd.DataFrame({"unit": ["<b>甲</b>"], "total": [Decimal("82.50")], "eligible": [True],
                       "flag": [True]})
    html = display.table(df, highlight="flag").data
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>甲" not in html
    assert '<td class="num">82.50</td>' in html and "<th>总分</th>" in html and "<td>是</td>" in html
    assert '<tr class="hi">' in html and "flag" not in html
    assert display.table(df.iloc[:0], empty="没有记录。").data == '<p class="kaohe-note">没有记录。</p>'


# ------------------------------------------------------------------ a whole run
def test_report_writes_notebook_html_and_workbook_per_year(run, small):
    for year in (2023, 2024):
        folder = run / str(year)
        names = sorted(p.name for p in folder.iterdir())
        assert names == ["annual_report.html", "annual_report.ipynb", f"关于{year}年度机关目标责任考核结果的报告.docx",
                         f"考核结果_{year}.xlsx"]
        nb = json.loads((folder / "annual_report.ipynb").read_text(encoding="utf-8"))
        injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        src = "".join(injected[0]["source"])
        assert f"year = {year}\n" in src and f'dataset = "{small.resolve()}"' in src
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]


def test_html_is_offline_with_code_hidden_and_the_published_figures(run):
    html = (run / "2024" / "annual_report.html").read_text(encoding="utf-8")
    assert external_loads(html) == []
    assert len(re.findall(r"\* plotly\.js (?:\(basic - minified\) )?v\d", html)) == 1  # embedded once
    assert "<title>2024年度机关目标责任考核结果</title>" in html  # the page's H1
    heading = html[html.index('<div class="kaohe-title">'):]
    assert "<p>数据集：ds</p>" in heading[:heading.index("</div>")]  # no --title: the data set's folder name
    assert '<html lang="zh-CN">' in html and "Content-Security-Policy" in html
    assert "上年名次" in html and "↑" in html or "↓" in html or "—" in html
    for text in ("并列1", "82.50", "72.30", "违反作风建设规定", "丙委", 'id="fig-components"', 'id="fig-bump"'):
        assert text in html, text
    assert "views.annual" not in html and "show.table" not in html  # no code
    first = (run / "2023" / "annual_report.html").read_text(encoding="utf-8")
    assert first.count("没有更早的年度可比较") == 1  # a first year says so once
    assert "上年名次" not in first


def test_workbook_for_official_use(run):
    wb = openpyxl.load_workbook(run / "2024" / "考核结果_2024.xlsx")
    assert wb.sheetnames == ["考核结果", "分项得分", "审计明细", "扣分与违规", "数据与规则"]
    ws = wb["考核结果"]
    assert ws["A1"].value == "2024年度机关目标责任考核结果"
    assert [c.value for c in ws[2]][:4] == ["名次", "并列", "单位", "实际工作人员人数"]
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3, max_row=5)]
    assert [r[:3] for r in rows] == [[1, "并列", "甲委"], [1, "并列", "乙委"], [3, None, "丙委"]]
    assert rows[2][8] == 72.3 and isinstance(rows[2][8], float)  # rounded numbers as numbers
    assert ws.cell(3, 9).number_format == "0.00"
    audit = wb["审计明细"]
    heads = [c.value for c in audit[3]]
    subject = heads.index("事由") + 1
    cells = [audit.cell(r, subject) for r in range(4, audit.max_row + 1)]
    formula = [c for c in cells if c.value and str(c.value).startswith("=")]
    assert formula and all(c.data_type == "s" for c in formula)  # text, never a formula
    points = [audit.cell(r, heads.index("分值") + 1).value for r in range(4, audit.max_row + 1)]
    assert all(isinstance(p, (int, float)) for p in points) and -0.2 in points


def test_workbook_points_sum_to_the_components(small, tmp_path):
    from kaohe.output import views

    report = views.annual(small, 2024)
    sheets = {s.name: s for s in workbook.sheets(report)}
    audit = sheets["审计明细"].frame
    c = audit[(audit["unit"] == "丙委") & (audit["component"] == "共性工作指标")]
    assert sum(c["points"]) == 36.8 or str(sum(c["points"])) == "36.80"


def test_half_year_report(small, tmp_path):
    code = cli.main(["report", str(small), "--year", "2024", "--period", "H1", "--out", str(tmp_path),
                     "--jobs", "1", "--quiet"])  # the half-year view has the annual notebook only
    assert code == 0
    folder = tmp_path / "2024-H1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "annual_report.html", "annual_report.ipynb", "关于2024年上半年机关目标责任考核集中督查情况的通报.docx",
        "考核情况_2024上半年.xlsx"]
    html = (folder / "annual_report.html").read_text(encoding="utf-8")
    assert "2024年上半年（半年集中督查）机关目标责任考核情况" in html
    assert "年度目标按进行中计" in html
    assert '"2024上半年"' in html or json.dumps("2024上半年") in html  # the trend's last label (charts' JSON)
    ws = openpyxl.load_workbook(folder / "考核情况_2024上半年.xlsx")["考核结果"]
    assert ws["A1"].value.startswith("2024年上半年（半年集中督查）")


def test_bad_requests_are_clear_errors(small, tmp_path, capsys):
    assert cli.main(["report", str(small), "--year", "2031", "--out", str(tmp_path), "--quiet"]) == 1
    assert "2031" in capsys.readouterr().err
    assert cli.main(["report", str(small), "--years", "2024-2023", "--out", str(tmp_path)]) == 1
    assert "范围为空" in capsys.readouterr().err
    assert cli.main(["report", str(small), "--notebooks", "annual_report,nope", "--out", str(tmp_path)]) == 1
    assert "nope" in capsys.readouterr().err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "units.csv").write_text("year,unit,staff\n2024,甲委,-1\n", encoding="utf-8")
    (bad / "ledger.csv").write_text("date,unit,item\n", encoding="utf-8")
    assert cli.main(["report", str(bad), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "staff" in err or "实际工作人员人数" in err  # the column, by its Chinese label in Chinese
    assert not (tmp_path / "o").exists()  # nothing written


def test_a_failing_notebook_names_year_notebook_and_cell(small, tmp_path, monkeypatch):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('dataset = ""\nyear = 0\nperiod = "year"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("y = year / 0"),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, nbdir / "annual_report.ipynb")
    monkeypatch.setattr(generation, "NOTEBOOK_DIR", nbdir)
    with pytest.raises(generation.NotebookFailed) as e:
        generation.generate([str(small)], [2024], tmp_path / "out", progress=False)
    msg = str(e.value)
    assert "2024年度" in msg and "annual_report.ipynb" in msg and "ZeroDivisionError" in msg
    assert "第 3 个单元格" in msg and "y = year / 0" in msg
    kept = tmp_path / "out" / "2024" / "annual_report.ipynb"
    assert kept.exists() and "ZeroDivisionError" in kept.read_text(encoding="utf-8")
    # the CLI prints it without a traceback
    assert cli.main(["report", str(small), "--year", "2024", "--out", str(tmp_path / "o2"), "--quiet"]) == 1


# ------------------------------------------------------------------ pages: escaping, print, same bytes
def test_json_in_a_script_cannot_end_it():
    from kaohe.charts import style

    text = style.script_json({"name": "</script><script>alert(1)</script>&\u2028\u2029"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text and json.loads(text)["name"].startswith("</script>")
    import plotly.graph_objects as go

    chart = style.html(go.Figure(go.Bar(x=["</script><img src=x onerror=alert(1)>"], y=[1])), 'x"y')
    assert "</script><img" not in chart and chart.count("</script>") == 1 and 'id="x&quot;y"' in chart


def test_chart_config_leaves_nothing_to_send_and_speaks_the_pages_language(english):
    import plotly.graph_objects as go

    from kaohe.charts import annual, style
    from kaohe.core import i18n

    for lang, locale, colon in (("zh_CN", "zh-CN", "："), ("en", "en", ": ")):
        i18n.set_language(lang)
        c = style.config()
        assert c["modeBarButtons"] == [["toImage", "zoom2d", "resetScale2d"]] and c["locale"] == locale
        assert not c["showSendToCloud"] and not c["showLink"] and not c["plotlyServerURL"]
        assert f'"locale":"{locale}"' in style.html(go.Figure(), "x")
        comp = pd.DataFrame({"unit": ["甲"], "common": [40.0], "goals": [35.0], "daily": [1.5], "total": [76.5]})
        assert all(colon + "%{x:.2f}" in t.hovertemplate for t in annual.components_bar(comp).data)


def test_the_partial_bundle_is_pinned_to_the_embedded_plotly_version():
    from kaohe.charts import bundle

    assert (bundle.PACKAGE, bundle.plotlyjs_version()) in bundle.PINNED
    if bundle.available():
        js = bundle.script()
        assert "Plotly.register(module.exports)" in js and "zh-CN" in js and len(js) < 1_300_000
    else:
        assert "python -m kaohe.charts.bundle" in bundle.note() and len(bundle.script()) > 3_000_000


def test_footer_text_cannot_leave_its_css_string():
    s = generation._css_string('甲</style><script>"\\')
    assert "<" not in s and '"\\"' not in s and s.startswith('"甲')
    footer = generation._css_string("第 {page} 页，共 {pages} 页")
    assert footer.startswith('"第 " counter(page) " 页') and footer.endswith('" counter(pages) " 页"')


def test_numbers_read_alike():
    from decimal import Decimal

    from kaohe.charts.style import number, percent

    assert number(-0.001) == "0.00" and number(Decimal("-0.00")) == "0.00" and number(1.825) in ("1.82", "1.83")
    assert number(Decimal("-0.20")) == "−0.20" and percent(0.314) == "31%"  # one minus sign (−)
    from kaohe.output.summary import p_text
    from kaohe.output.views import move_label

    assert [move_label(5, 2), move_label(2, 4), move_label(3, 3), move_label(None, 1)] == ["↑3", "↓2", "—", "新列入"]
    assert p_text(0.004) == "p < 0.01" and p_text(0.1449) == "p = 0.14"


def test_overview_claims_no_more_than_the_numbers():
    from kit import SAMPLE

    from kaohe.output import summary, views

    r = views.annual(SAMPLE, 2024)
    text = "".join(summary.overview(r.scores, 2024))
    assert "教育科学文化卫生工作委员会以总分 94.50 位列第一" in text
    assert "民族宗教侨务外事工作委员会被取消当年评先评优资格（违反作风建设规定" in text
    assert "与2023年相比" in text and "↓8" in text
    assert "未见人均日常得分与人数之间显著的相关（ρ = −0.45，p = 0.14）" in text
    first = "".join(summary.overview(r.scores, 2022))
    assert "相比" not in first


def test_every_unit_has_a_profile_whose_parts_add_up():
    from decimal import Decimal

    from kit import SAMPLE

    from kaohe.output import views

    r = views.annual(SAMPLE, 2024)
    profiles = views.profiles(r.scores, 2024)
    assert [p.unit for p in profiles] == list(views.ranking(r.scores, 2024)["unit"])
    for p in profiles:
        daily = p.groups[p.groups["component"] == "日常工作指标"]["points"]
        assert sum(daily, Decimal(0)) == p.row["daily_points"]
        assert list(p.history["label"]) == ["2022", "2023", "2024"]
        assert all(p.deductions["points"] <= 0)
    ded, per = views.section_split(r.scores, 2024)
    assert ded.to_numpy().max() <= 0 and Decimal("-0.20") in set(ded.to_numpy().ravel())


def test_a_profile_shows_the_daily_points_as_accumulated_then_divided_by_staff():
    """The daily-work sum is not a score: the profile labels it 累计积分 and shows ÷ 人数 = the
    published daily-work score below it (no 小计 under 日常工作指标)."""
    from kit import SAMPLE

    from kaohe.output import views

    r = views.annual(SAMPLE, 2024)
    html = display.profiles(r).data
    for row, part in zip(views.ranking(r.scores, 2024).itertuples(),
                         html.split('<section class="kaohe-profile">')[1:]):
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", part.split("</table>")[0])
        lines = [tuple(cells[i:i + 3]) for i in range(0, len(cells), 3)]
        daily = [x[1:] for x in lines if x[0] == "日常工作指标"]
        assert ("小计", str(row.daily_points)) not in daily, row.unit
        assert daily[-2:] == [("累计积分", str(row.daily_points)),
                              (f"÷ 人数 {row.staff} ＝ 日常工作指标得分", str(row.daily))], (row.unit, daily)
        assert ("小计", str(row.common)) in [x[1:] for x in lines if x[0] == "共性工作指标"]
        heads = re.findall(r"<th[^>]*>([^<]*)</th>", part.split("</table>")[0])
        assert heads[-1] == "分值"  # not 得分: the rules' points (the daily ones before division)


def test_same_input_same_bytes(small, tmp_path):
    import shutil

    args = ["report", str(small), "--year", "2024", "--out", str(tmp_path), "--quiet", "--notebooks",
            "annual_report,whatif"]  # whatif holds the live panel's widgets
    assert cli.main(args) == 0
    first = {p.name: p.read_bytes() for p in (tmp_path / "2024").iterdir() if p.suffix in (".ipynb", ".html")}
    shutil.rmtree(tmp_path / "2024")
    assert cli.main(args) == 0
    again = {p.name: p.read_bytes() for p in (tmp_path / "2024").iterdir() if p.suffix in (".ipynb", ".html")}
    assert first.keys() == again.keys() == {"annual_report.ipynb", "annual_report.html", "whatif.ipynb",
                                            "whatif.html"}
    assert b"kaohe-widget-1" in first["whatif.ipynb"]
    for name in first:
        assert first[name] == again[name], name


def test_stable_names_widgets_and_drops_times():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x", metadata={"tags": ["injected-parameters"],
                                                 "papermill": {"duration": 1.2, "status": "completed"},
                                                 "execution": {"iopub.status.busy": "t"}}),
        nbformat.v4.new_code_cell("w", outputs=[nbformat.v4.new_output(
            "display_data", {"application/vnd.jupyter.widget-view+json": {"model_id": "a" * 32}})]),
    ])
    nb.metadata["papermill"] = {"start_time": "t", "duration": 3, "parameters": {"year": 2024}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
        "b" * 32: {"state": {"children": ["IPY_MODEL_" + "a" * 32]}}, "a" * 32: {"state": {}}}}}
    out = generation.stable(nb)
    text = json.dumps(out)
    assert "a" * 32 not in text and "b" * 32 not in text and "IPY_MODEL_kaohe-widget-2" in text
    assert out.cells[0]["id"] == "injected-parameters" and "execution" not in out.cells[0].metadata
    assert out.metadata["papermill"] == {"parameters": {"year": 2024}}
    assert out.cells[0].metadata["papermill"] == {"status": "completed"}


def test_pdf_without_chromium_names_the_package(monkeypatch, small, tmp_path, capsys):
    monkeypatch.setattr(generation, "chromium", lambda: None)
    assert cli.main(["report", str(small), "--year", "2024", "--pdf", "--out", str(tmp_path / "o"),
                     "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Chromium" in err and "apt-get install chromium" in err
    assert not (tmp_path / "o").exists()  # said before any kernel starts


def test_spearman_without_scipy_stats_matches_it():
    import numpy as np
    from scipy.stats import spearmanr

    from kaohe.output.summary import spearman

    rng = np.random.default_rng(7)
    for _ in range(20):
        x, y = rng.integers(0, 5, 12), rng.normal(size=12)  # ties in x
        rho, p = spearman(x, y)
        ref = spearmanr(x, y)
        assert abs(rho - ref.statistic) < 1e-12 and abs(p - ref.pvalue) < 1e-10


# ------------------------------------------------------------------ a kernel that dies as it starts
def _ports_taken(monkeypatch, times: int) -> list:
    """Report kernels whose stdin port another socket takes between jupyter_client's choice
    of the port and the kernel's bind (the race two kernels starting at once can run into),
    for the first ``times`` kernels."""
    import socket

    taken: list = []

    class Collide(generation._kernel_manager_class()):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if len(taken) < times:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.bind(("127.0.0.1", self.stdin_port))
                s.listen(1)
                taken.append(s)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    monkeypatch.setattr(generation, "_KM_CLASS", [Collide])
    return taken


def _report_with_ports_taken(small, out, monkeypatch, capfd, times: int):
    """A one-notebook report of 2024 whose first ``times`` kernels find their port taken:
    its exit code, the sockets that took the ports, and what it printed."""
    taken = _ports_taken(monkeypatch, times)
    try:
        code = cli.main(["report", str(small), "--out", str(out), "--year", "2024", "--quiet",
                         "--notebooks", "annual_report", "--jobs", "1"])
    finally:
        for s in taken:
            s.close()
    return code, taken, capfd.readouterr().err


def test_a_kernel_that_exits_as_it_starts_is_started_again(small, tmp_path, monkeypatch, capfd):
    code, taken, err = _report_with_ports_taken(small, tmp_path, monkeypatch, capfd, 1)
    assert code == 0 and len(taken) == 1
    assert (tmp_path / "2024" / "annual_report.html").is_file()
    assert "Traceback" not in err and "Address already in use" not in err and "Error occurred" not in err


def test_kernels_that_keep_exiting_give_the_reason_in_chinese(small, tmp_path, monkeypatch, capfd):
    code, taken, err = _report_with_ports_taken(small, tmp_path, monkeypatch, capfd, generation.KERNEL_TRIES)
    assert code == 1 and len(taken) == generation.KERNEL_TRIES
    assert "2024年度：笔记本 annual_report.ipynb 无法执行：笔记本内核启动时即退出" in err
    assert "Address already in use" in err and f"共启动 {generation.KERNEL_TRIES} 个内核" in err
    assert "Traceback" not in err and "Error occurred" not in err and "KernelDied" not in err
    assert not list((tmp_path / "2024").glob("annual_report.*"))
