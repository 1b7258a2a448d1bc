"""The what-if panel updates live in a real JupyterLab.

Starts JupyterLab (on a copy of ``notebooks/whatif.ipynb``, so nothing is autosaved into
the committed notebook) and headless Chromium driven over the DevTools protocol; runs
every cell, then changes the denominator dropdown and a slider in the page the way a
user would and checks that the panel's ranking table and chart change. Skipped without
Chromium (``.ci/run`` installs it). A screenshot is left at
``reports/browser-test/whatif-panel.png`` (``KAOHE_BROWSER_OUT`` moves it).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(apt-get install chromium fonts-noto-cjk; .ci/run installs it)")

TABLE_JS = """(() => Array.from(document.querySelectorAll('.widget-output table'))
    .map(t => t.innerText).join('\\n'))()"""
STATUS_JS = """(() => Array.from(document.querySelectorAll('.widget-html-content'))
    .map(e => e.innerText).join(' '))()"""
MODEBAR_JS = """(() => Array.from(document.querySelectorAll('.widget-output .modebar-btn'))
    .map(b => b.getAttribute('data-title')).join('|'))()"""
CHART_JS = """(() => Array.from(document.querySelectorAll('.widget-output .js-plotly-plot text'))
    .map(t => t.textContent).join('|'))()"""
SELECT_JS = """(() => { const s = Array.from(document.querySelectorAll('.widget-dropdown select'))
    .find(x => Array.from(x.options).some(o => o.text === '不除'));
    if (!s) return 'no dropdown';
    s.selectedIndex = Array.from(s.options).findIndex(o => o.text === '不除');
    s.dispatchEvent(new Event('change', {bubbles: true})); return 'ok'; })()"""
# a slider's handle moved with the keyboard (End: to its maximum), as a user can
SLIDER_JS = """(() => { const h = document.querySelector('.widget-slider .noUi-handle');
    if (!h) return 'no slider';
    h.focus(); h.dispatchEvent(new KeyboardEvent('keydown', {key: 'End', keyCode: 35, bubbles: true}));
    return 'ok'; })()"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 90):
    end = time.time() + seconds
    while time.time() < end:
        try:
            return urllib.request.urlopen(url, timeout=5).read()
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


class Page:
    """A Chromium tab driven over the DevTools protocol (tornado's websocket client)."""

    def __init__(self, ws):
        self.ws, self.n = ws, 0

    async def call(self, method: str, **params):
        self.n += 1
        me = self.n
        await self.ws.write_message(json.dumps({"id": me, "method": method, "params": params}))
        while True:
            m = json.loads(await self.ws.read_message())
            if m.get("id") == me:
                return m.get("result", {})

    async def js(self, expr: str):
        r = await self.call("Runtime.evaluate", expression=expr, awaitPromise=True, returnByValue=True)
        return r.get("result", {}).get("value")

    async def until(self, expr: str, ok, seconds: float = 60):
        end = time.time() + seconds
        value = None
        while time.time() < end:
            value = await self.js(expr)
            if ok(value):
                return value
            await asyncio.sleep(0.5)
        return value


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    (work / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "whatif.ipynb", work / "notebooks" / "whatif.ipynb")
    (work / "data").symlink_to(ROOT / "data")
    lab_port, cdp_port = _port(), _port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "jupyter-config")}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={lab_port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=kaohe", "--LabApp.expose_app_in_browser=True",
         f"--ServerApp.root_dir={work / 'notebooks'}", "--LabApp.news_url=", "--ServerApp.open_browser=False"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)]
    try:
        procs.append(subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--remote-debugging-port={cdp_port}", f"--user-data-dir={work / 'profile'}",
             "--window-size=1500,2600", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait(f"http://127.0.0.1:{lab_port}/api/status?token=kaohe")
        pages = json.loads(_wait(f"http://127.0.0.1:{cdp_port}/json"))
        ws_url = next(p["webSocketDebuggerUrl"] for p in pages if p["type"] == "page")
        yield f"http://127.0.0.1:{lab_port}/lab/tree/whatif.ipynb?token=kaohe", ws_url
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_panel_updates_live_in_jupyterlab(lab):
    from tornado.websocket import websocket_connect

    url, ws_url = lab

    async def drive():
        page = Page(await websocket_connect(ws_url, max_message_size=1 << 28))
        await page.call("Page.navigate", url=url)
        assert await page.until("!!(window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell'))",
                                bool, 120)
        await asyncio.sleep(3)  # the kernel starts
        await page.js("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        before = await page.until(TABLE_JS, bool, 180)
        chart_before = await page.until(CHART_JS, bool, 30)
        status_before = await page.js(STATUS_JS)
        # the dropdowns may render a moment after the table on a loaded machine
        assert await page.until(SELECT_JS, lambda v: v == "ok", 30) == "ok"
        after = await page.until(TABLE_JS, lambda v: v and v != before, 30)
        chart_after = await page.until(CHART_JS, lambda v: v and v != chart_before, 30)
        assert await page.js(SLIDER_JS) == "ok"
        after_slider = await page.until(TABLE_JS, lambda v: v and v != after, 30)
        status = await page.js(STATUS_JS)
        status += "\n" + await page.js(MODEBAR_JS)
        shot = await page.call("Page.captureScreenshot", format="png")
        return before, chart_before, status_before, after, chart_after, after_slider, status, shot

    before, chart_before, status_before, after, chart_after, after_slider, status, shot = asyncio.run(drive())
    out = Path(os.environ.get("KAOHE_BROWSER_OUT", ROOT / "reports" / "browser-test"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "whatif-panel.png").write_bytes(base64.b64decode(shot["data"]))
    assert "名次" in before and "教育科学文化卫生工作委员会" in before
    assert "评估用时" not in status_before + status and "毫秒" not in status_before + status  # no developer timing in the panel
    buttons = set(status.splitlines()[-1].split("|")) - {""}
    assert buttons and not any(w in b.lower() for b in buttons for w in ("cloud", "share", "studio", "edit")), buttons
    assert "取消评优" in before  # the units that lost eligibility are marked
    assert after != before, "the table did not change with the denominator"
    assert chart_after != chart_before, "the chart did not change with the denominator"
    assert after_slider != after, "the table did not change with a slider"
    # without division the biggest unit (办公厅, most daily points) ranks first
    first = [line for line in after.splitlines() if line.startswith("1\t")][0]
    assert "办公厅" in first
