"""A real browser opens the generated report pages from disk with networking unavailable.

Headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it with ``fonts-noto-cjk``)
loads every page (annual_report, fairness, whatif) in a network namespace of its own
(``unshare -n``: no network at all), or, where that is not allowed, with every host name
unresolvable and a dead proxy. After the page's scripts ran, the DOM must hold plotly's SVG
layers for every chart, the Chinese unit names and the published totals, a toolbar without
any cloud or share button, an H1 equal to the page's <title>, ``lang="zh-CN"``, and the
console no uncaught error; a Content-Security-Policy blocks a fetch a page would try.
``kaohe report --pdf`` prints each page on A4 with every unit's name, total and
ineligibility reason on its first pages. Markup typed into any text field of the data
contract (or the ``--title``) never runs as script.

Screenshots of every page and of its printed first page are saved for people to look at:
``reports/browser-test/2024/<page>.png`` and ``<page>-print.png`` (``KAOHE_BROWSER_OUT``
moves them).
"""

import csv
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from kaohe import cli
from kaohe.output import views

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
YEAR = 2024
PAGES = ("annual_report", "fairness", "whatif")
FIGURES = ["fig-components", "fig-per-capita", "fig-staff", "fig-bump", "fig-totals"]
TITLE = "示例市人大常委会机关"
# the toolbar a reader gets (plotly.js's zh-CN names): download, zoom, reset
TOOLBAR = {"下载图表为PNG格式", "缩放", "重置轴"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(apt-get install chromium fonts-noto-cjk; .ci/run installs it)")


def _isolated() -> list[str]:
    """A command prefix that runs without any network, or [] when that is not permitted."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on a local page with networking unavailable."""
    prefix = _isolated()
    offline = [] if prefix else ['--host-resolver-rules=MAP * ~NOTFOUND', "--proxy-server=127.0.0.1:9"]
    cmd = [*prefix, CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000", *offline, *args,
           page.resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def folder():
    out = Path(os.environ.get("KAOHE_BROWSER_OUT", ROOT / "reports" / "browser-test"))
    code = cli.main(["report", str(SAMPLE), "--year", str(YEAR), "--out", str(out), "--title", TITLE,
                     "--pdf", "--quiet"])
    assert code == 0
    return out / str(YEAR)


@pytest.fixture(scope="module")
def doms(folder, tmp_path_factory):
    out = {}
    for name in PAGES:
        run = chromium(folder / f"{name}.html", tmp_path_factory.mktemp("chromium-profile"), "--dump-dom")
        assert run.returncode == 0, run.stderr[-2000:]
        out[name] = (run.stdout, run.stderr)
    return out


@pytest.fixture(scope="module")
def table():
    return views.published(views.annual(SAMPLE, YEAR).scores, YEAR)


def test_pages_load_nothing_from_the_network(folder):
    for name in PAGES:
        html = (folder / f"{name}.html").read_text(encoding="utf-8")
        loads = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html, re.I)
        assert loads == [], name
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert csp and "default-src 'none'" in csp.group(1) and "connect-src 'none'" in csp.group(1), name
        assert html.index("Content-Security-Policy") < html.index("<script"), name  # before any script
        assert "PLOTLYENV" not in html.split("plotly.js (basic")[0] and "plotlyServerURL\":\"h" not in html


def test_pages_are_small(folder):
    for name in PAGES:
        size = (folder / f"{name}.html").stat().st_size
        assert size <= 1_500_000, (name, size)


def test_the_policy_blocks_a_fetch(folder, tmp_path):
    page = tmp_path / "tries.html"
    html = (folder / "annual_report.html").read_text(encoding="utf-8")
    page.write_text(html.replace("</body>", '<img src="http://127.0.0.1:9/x.png"></body>', 1), encoding="utf-8")
    run = chromium(page, tmp_path / "profile", "--dump-dom")
    assert "Content Security Policy" in run.stderr, run.stderr[-2000:]


def test_every_chart_rendered_offline(doms):
    for name, (text, log) in doms.items():
        divs = re.findall(r'<div[^>]*\bclass="[^"]*plotly-graph-div[^"]*"[^>]*>', text)
        assert divs and all("js-plotly-plot" in d for d in divs), name
        assert "Uncaught" not in log, (name, [line for line in log.splitlines() if "CONSOLE" in line][:5])
    text = doms["annual_report"][0]
    for fig in FIGURES:
        tag = re.search(rf'<div[^>]*\bid="{fig}"[^>]*>', text)
        assert tag and "js-plotly-plot" in tag.group(0), f"{fig} was not drawn by plotly.js"
    assert text.count('class="main-svg"') >= 2 * len(FIGURES)  # plotly's SVG layers


def test_no_cloud_or_share_button_and_a_chinese_toolbar(doms):
    for name, (text, _) in doms.items():
        buttons = re.findall(r'<(?:a|button)\b[^>]*\bclass="modebar-btn[^"]*"[^>]*>', text)
        titles = {re.search(r'data-title="([^"]*)"', b).group(1) for b in buttons}
        assert titles == TOOLBAR, (name, titles)
        assert not re.search(r"sendChartToCloud|Chart Studio|Share chart|plotly\.com", text.split("</head>")[1]), name


def test_h1_title_and_language_on_every_page(doms):
    for name, (text, _) in doms.items():
        assert re.search(r'<html[^>]*\blang="zh-CN"', text), name
        h1 = re.findall(r"<h1[^>]*>(.*?)</h1>", text, re.S)
        assert len(h1) == 1, (name, h1)
        title = re.search(r"<head>.*?<title>(.*?)</title>", text, re.S).group(1)
        assert re.sub(r"<[^>]+>", "", h1[0]).strip() == title and title.startswith(f"{YEAR}年"), name
        assert f"数据集：{TITLE}" in text and "数据集：sample" not in text, name


def test_chinese_names_and_published_totals_are_on_the_page(doms, table):
    text = doms["annual_report"][0]
    assert f"{YEAR}年度机关目标责任考核结果" in text and "综述" in text
    for unit, total in zip(table["unit"], table["total"]):
        assert unit in text and f">{total}<" in text, (unit, total)
    drawn = re.findall(r"<text[^>]*>([^<]+)</text>", text)  # chart labels drawn as SVG text
    assert set(table["unit"]) <= set(drawn)
    assert "三项指标构成（按名次）" in drawn


def _png_size(png: Path) -> tuple[int, int]:
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_screenshots_of_every_page_and_its_printed_first_page(folder, tmp_path):
    for name in PAGES:
        page = folder / f"{name}.html"
        png = page.with_suffix(".png")
        png.unlink(missing_ok=True)
        run = chromium(page, tmp_path / f"profile-{name}", f"--screenshot={png}", "--window-size=1400,1000")
        assert run.returncode == 0 and png.exists(), run.stderr[-2000:]
        assert _png_size(png) == (1400, 1000) and png.stat().st_size > 50_000
        printed = folder / f"{name}-print"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(page.with_suffix(".pdf")), str(printed)], check=True)
        w, h = _png_size(printed.with_suffix(".png"))
        assert w > h  # A4 landscape


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_is_a4_and_its_first_pages_hold_every_unit_total_and_reason(folder, table):
    for name in PAGES:
        info = subprocess.run(["pdfinfo", str(folder / f"{name}.pdf")], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)|Page size:.*\(A4\)", info), info
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "3", str(folder / "annual_report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert f"{YEAR}年度机关目标责任考核结果" in flat and "第1页，共" in flat
    for unit, total, why in zip(table["unit"], table["total"], table["ineligible_because"]):
        assert unit in flat and str(total) in flat, (unit, total)
        assert re.sub(r"\s+", "", why) in flat, why



@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_printed_report_holds_the_collapsed_rule_parameters(folder):
    """九、数据与规则's parameter table is collapsed on screen (a closed <details>); on paper it
    prints in full under its caption, without the screen's 「点击展开」 summary."""
    from kaohe.rulebook import rules

    params = views.params_in_force(rules.load())
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(folder / "annual_report.pdf")], capture_output=True, text=True, check=True).stdout).group(1))
    text = subprocess.run(["pdftotext", str(folder / "annual_report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "现行考核规则参数（底色标出已调整的参数）" in flat and "点击展开" not in flat
    assert [z for z in params["zh"] if z not in flat] == []
    assert [n for n in params["name"] if n.replace("_", "") not in flat.replace("_", "")] == []
    last = folder / "annual_report-last"  # the last page, for people to look at
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(pages), "-l", str(pages), "-singlefile",
                    str(folder / "annual_report.pdf"), str(last)], check=True)
    assert last.with_suffix(".png").stat().st_size > 20_000


def _pdf_words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words (pdftotext -bbox): (y, x, text)."""
    import html

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(y), float(x), html.unescape(t)) for x, y, t in
             re.findall(r'<word xMin="([^"]*)" yMin="([^"]*)"[^>]*>([^<]*)</word>', page)]
            for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S)]


def _first_word(row: str) -> str:
    import html

    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return next((c for c in cells if c), "").split()[0]


def stranded_tables(page: Path, pdf: Path, whole_rows: int) -> list[tuple]:
    """Captioned tables whose printed page holds no row of theirs under the caption (a
    caption and header ending a page), or, for a table of at most ``whole_rows`` rows, not
    its last row (a short table split)."""
    import html

    pages, used, at, bad = _pdf_words(pdf), set(), 0, []
    for m in re.finditer(r'<table class="kaohe-table[^"]*"><caption>(.*?)</caption>.*?<tbody>(.*?)</tbody>',
                         page.read_text(encoding="utf-8"), re.S):
        cap = html.unescape(m.group(1)).split()[0]
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(2), re.S)
        hit = next(((p, y, x) for p in range(at, len(pages)) for y, x, t in pages[p]
                    if t == cap and (p, y, x) not in used), None)
        assert hit, (page.name, cap)
        used.add(hit)
        at, y = hit[0], hit[1]
        below = {t for yy, _x, t in pages[at] if yy > y}
        if _first_word(rows[0]) not in below or (len(rows) <= whole_rows and _first_word(rows[-1]) not in below):
            bad.append((page.name, at + 1, cap))
    return bad


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_no_printed_table_leaves_its_caption_and_header_at_the_foot_of_a_page(folder):
    """A caption and header go with the table's first rows; a short table prints whole."""
    from kaohe.report import display

    bad = [b for name in PAGES
           for b in stranded_tables(folder / f"{name}.html", folder / f"{name}.pdf", display.WHOLE_ROWS)]
    assert bad == []

# ------------------------------------------------------------------ markup never runs
def _payload(tag: str, kind: int) -> str:
    js = f"document.documentElement.dataset.pwned{tag}=1;document.title='PWNED'"
    return f"</script><script>{js}</script>" if kind == 0 else f'<img src=x onerror="{js}">'


def hostile_dataset(folder: Path) -> Path:
    """The sample data with markup in every text field of the contract: unit names (both
    payloads), goal texts, person, subject, ref and note."""
    folder.mkdir(parents=True, exist_ok=True)
    rename = {"研究室": "研究室" + _payload("Unit", 0), "办公厅": "办公厅" + _payload("Unit", 1)}
    for name in ("units", "goals", "ledger"):
        with open(SAMPLE / f"{name}.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for i, r in enumerate(rows):
            r["unit"] = rename.get(r["unit"], r["unit"])
            if name == "goals" and i % 5 == 0:
                r["goal"] = _payload("Goal", i % 2) + r["goal"]
            if name == "ledger":
                for col in ("person", "subject", "ref", "note"):
                    if i % 7 == 0 or (col == "person" and r["person"]):
                        r[col] = (r[col] or "") + _payload(col.capitalize(), i % 2)
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return folder


def test_markup_in_any_text_field_never_runs(tmp_path):
    data = hostile_dataset(tmp_path / "hostile")
    out = tmp_path / "out"
    title = "机关</title></style><script>document.documentElement.dataset.pwnedTitle=1</script>\"'\\{page}"
    assert cli.main(["report", str(data), "--year", str(YEAR), "--out", str(out), "--title", title,
                     "--quiet"]) == 0
    for name in PAGES:
        run = chromium(out / str(YEAR) / f"{name}.html", tmp_path / f"profile-{name}", "--dump-dom")
        assert run.returncode == 0, run.stderr[-2000:]
        html_tag = re.search(r"<html[^>]*>", run.stdout).group(0)
        assert "pwned" not in html_tag, (name, html_tag)
        assert "<title>PWNED</title>" not in run.stdout, name
        assert "研究室&lt;/script&gt;&lt;script&gt;" in run.stdout, name  # shown as text
        drawn = re.findall(r"<text[^>]*>([^<]+)</text>", run.stdout)
        assert any(t.startswith("研究室") for t in drawn), name  # and drawn in charts


def test_markup_in_a_scenario_name_never_runs(tmp_path):
    """The what-if page shows the scenario files' free-text names (tables, chart legend)."""
    import papermill as pm

    from kaohe.report import generation

    scenario = tmp_path / "s.yaml"
    name = _payload("Scenario", 0) + _payload("Scenario", 1)
    scenario.write_text("name: '" + name.replace("'", "''") + "'\noverrides:\n  petition_letter: 0.2\n",
                        encoding="utf-8")
    nb = pm.execute_notebook(str(generation.NOTEBOOK_DIR / "whatif.ipynb"), str(tmp_path / "whatif.ipynb"),
                             parameters={"dataset": str(SAMPLE), "year": YEAR, "scenarios": [str(scenario)]},
                             kernel_name="python3", progress_bar=False, cwd=str(generation.NOTEBOOK_DIR))
    page = generation.export_html(nb, tmp_path / "whatif.html", "whatif")
    run = chromium(page, tmp_path / "profile", "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "pwned" not in re.search(r"<html[^>]*>", run.stdout).group(0)
    assert "<title>PWNED</title>" not in run.stdout and "&lt;/script&gt;&lt;script&gt;" in run.stdout
