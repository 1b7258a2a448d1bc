"""A real browser opens a generated report from disk with networking unavailable.

Headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it with ``fonts-noto-cjk``)
loads ``annual_report.html`` in a network namespace of its own (``unshare -n``: no network
at all), or, where that is not allowed, with every host name unresolvable and a dead proxy.
After the page's scripts ran, the DOM must hold plotly's SVG layers for every chart, the
Chinese unit names and the published totals, and the console no uncaught error. A
screenshot of the first screen is saved next to the report for people to look at:
``reports/browser-test/2024/annual_report.png`` (``KAOHE_BROWSER_OUT`` moves it).
"""

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
FIGURES = ["fig-components", "fig-per-capita", "fig-staff", "fig-bump", "fig-totals", "fig-sections"]
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
def report(tmp_path_factory):
    out = Path(os.environ.get("KAOHE_BROWSER_OUT", ROOT / "reports" / "browser-test"))
    code = cli.main(["report", str(SAMPLE), "--year", str(YEAR), "--out", str(out),
                     "--notebooks", "annual_report", "--quiet"])
    assert code == 0
    return out / str(YEAR) / "annual_report.html"


@pytest.fixture(scope="module")
def dom(report, tmp_path_factory):
    run = chromium(report, tmp_path_factory.mktemp("chromium-profile"), "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.stderr


def test_page_loads_nothing_from_the_network(report):
    html = report.read_text(encoding="utf-8")
    loads = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html, re.I)
    assert loads == []


def test_every_chart_rendered_offline(dom):
    text, log = dom
    for fig in FIGURES:
        tag = re.search(rf'<div[^>]*\bid="{fig}"[^>]*>', text)
        assert tag and "js-plotly-plot" in tag.group(0), f"{fig} was not drawn by plotly.js"
    assert text.count('class="main-svg"') >= 2 * len(FIGURES)  # plotly's SVG layers
    assert len(re.findall(r'<g class="(?:trace|heatmaplayer|barlayer)', text)) >= len(FIGURES)
    assert "Uncaught" not in log, [line for line in log.splitlines() if "CONSOLE" in line][:5]


def test_chinese_names_and_published_totals_are_on_the_page(dom):
    text, _ = dom
    table = views.published(views.annual(SAMPLE, YEAR).scores, YEAR)
    assert f"{YEAR}年度机关目标责任考核结果" in text
    for unit, total in zip(table["unit"], table["total"]):
        assert unit in text and f">{total}<" in text, (unit, total)
    drawn = re.findall(r"<text[^>]*>([^<]+)</text>", text)  # chart labels drawn as SVG text
    assert set(table["unit"]) <= set(drawn)
    assert "三项指标构成（按名次）" in drawn


def test_screenshot_of_the_first_screen(report, tmp_path):
    png = report.with_suffix(".png")
    png.unlink(missing_ok=True)
    run = chromium(report, tmp_path / "profile", f"--screenshot={png}", "--window-size=1400,1000")
    assert run.returncode == 0 and png.exists(), run.stderr[-2000:]
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1400, 1000)
    assert png.stat().st_size > 50_000  # a page with tables and a chart, not a blank screen
