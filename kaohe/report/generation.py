"""``kaohe report``: each year's notebooks executed by papermill, exported to offline HTML
(code hidden, plotly.js embedded once, nothing loaded from the network), and an Excel
workbook for official use.

The notebooks a report is made of are listed once, in :data:`NOTEBOOKS`. Per year (and
period) everything goes to ``OUT/<year>/`` (``OUT/<year>-H1/`` for the half-year view).
Several kernels may run at once (``jobs``); workbooks and HTML exports are done in a side
thread while kernels run; each year is scored once, here, and handed to its kernels.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from kaohe.core import files, labels, resources
from kaohe.core.errors import KaoheError, os_reason
from kaohe.core.i18n import _, language, ngettext, translate
from kaohe.output.views import page_title, period_label
from kaohe.report import datacache

NOTEBOOK_DIR = resources.notebook_dir()
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "kaohe_offline"
KERNEL = "python3"
CELL_TIMEOUT = 600  # seconds per cell
START_TIMEOUT = 120  # seconds for a kernel to start
# A report kernel logs errors only and keeps no input history (no SQLite database opened at
# start, no cell written to the user's ~/.ipython history: ~0.03 s a kernel).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
MAX_YEARS = 200  # a --years range not checked against a data set
# Cells tagged so never appear in a report (the notebook's how-to and its parameters).
HIDDEN_TAGS = ("remove_cell", "parameters", "injected-parameters")


@dataclass(frozen=True)
class Notebook:
    """A notebook of the report suite: file stem, Chinese and English title, the periods it is
    run for, and whether it takes the ``period`` parameter."""

    name: str
    zh: str
    en: str
    periods: tuple[str, ...] = ("year",)
    takes_period: bool = False

    @property
    def title(self) -> str:
        return labels.pick((self.zh, self.en))

    @property
    def path(self) -> Path:
        return NOTEBOOK_DIR / f"{self.name}.ipynb"


# The report suite, in the order it runs each year (a notebook runs when its file exists).
NOTEBOOKS: tuple[Notebook, ...] = (
    Notebook("annual_report", "机关目标责任考核报告", " assessment report", ("year", "H1"), takes_period=True),
    Notebook("fairness", "考核公平性分析", " fairness analysis"),
    Notebook("whatif", "考核规则假设分析", " what-if analysis of the rules"),
)


def notebooks_for(period: str) -> list[Notebook]:
    """The notebooks run for a period: annual_report always, the others when present."""
    return [nb for nb in NOTEBOOKS if period in nb.periods
            and (nb.name == "annual_report" or nb.path.exists())]


def year_dir(out: Path, year: int, period: str) -> Path:
    return Path(out) / (str(year) if period == "year" else f"{year}-{period}")


def workbook_name(year: int, period: str) -> str:
    """The year's workbook: 考核结果_2024.xlsx (H1: 考核情况_2024上半年.xlsx); like the draft
    report beside it (:func:`kaohe.output.notice.name`), in the language of the run."""
    return (_("Assessment results {year}.xlsx") if period == "year"
            else _("Half-year assessment {year}.xlsx")).format(year=year)


# ------------------------------------------------------------------ one notebook
class NotebookFailed(KaoheError):
    """A report notebook failed: names the year, the notebook and the cell."""

    def __reduce__(self):  # picklable with its details
        return (type(self), (self.message, self.details))


class Interrupted(KeyboardInterrupt):
    """The run was stopped (Ctrl-C): kernels killed, unfinished files removed."""


class _Kernels:
    """The kernel processes this process started, to stop them at once on Ctrl-C (they run
    in sessions of their own, so the terminal's Ctrl-C does not reach them)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._procs: list = []
        self.stopped = False
        self.launched = threading.Event()  # a kernel process of this run exists

    def reset(self) -> None:
        with self._lock:
            self._procs, self.stopped = [], False
            self.launched.clear()
            logging.getLogger("papermill").removeFilter(self._quiet)

    def _quiet(self, record) -> bool:
        return not self.stopped

    def add(self, proc) -> None:
        with self._lock:
            self._procs.append(proc)
            self.launched.set()
            if self.stopped:
                _kill(proc)

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            logging.getLogger("papermill").addFilter(self._quiet)  # no "kernel died" lines
            for proc in self._procs:
                _kill(proc)
            self.launched.set()


def _kill(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the kernel leads its own session
    except (OSError, AttributeError):
        with contextlib.suppress(OSError, AttributeError):
            proc.kill()


KERNELS = _Kernels()
_KM_CLASS: list = []


def _kernel_manager_class():
    """jupyter_client's kernel manager, registering each kernel process in :data:`KERNELS`,
    with a client that is ready as soon as the kernel answers and a shutdown that notices
    at once that the killed kernel is gone (jupyter_client idles 0.2 s and up to 0.1 s)."""
    if not _KM_CLASS:
        from jupyter_client.manager import AsyncKernelManager
        from traitlets import default

        client_class = _ready_client_class()

        class TrackedKernelManager(AsyncKernelManager):
            @default("client_factory")
            def _client_factory_default(self):
                return client_class

            async def _async_launch_kernel(self, kernel_cmd, **kw):
                # the kernel's own error output, read only if it dies as it starts; closed
                # with the kernel's resources
                self.kaohe_stderr = kw["stderr"] = tempfile.TemporaryFile()  # noqa: SIM115
                await super()._async_launch_kernel(kernel_cmd, **kw)
                proc = getattr(self.provisioner, "process", None)
                if proc is not None:
                    KERNELS.add(proc)

            async def _async_cleanup_resources(self, restart: bool = False) -> None:
                await super()._async_cleanup_resources(restart=restart)
                stderr = getattr(self, "kaohe_stderr", None)
                if stderr is not None:
                    stderr.close()

            async def _async_wait(self, pollinterval: float = KILL_POLL) -> None:
                await super()._async_wait(min(pollinterval, KILL_POLL))

        # nbclient logs a kernel that died as it started; kaohe starts another, or says so
        logging.getLogger("papermill").addFilter(_not_start_errors)
        _KM_CLASS.append(TrackedKernelManager)
    return _KM_CLASS[0]


def _not_start_errors(record) -> bool:
    return not str(record.msg).startswith("Error occurred while starting new kernel client")


class KernelDied(RuntimeError):
    """A notebook kernel exited before it answered (a port taken between its choice and the
    kernel's bind, a broken installation): no cell has run, another kernel may be started."""


def _last_line(stream) -> str:
    """The last non-blank line a kernel wrote to its error output (its own error)."""
    try:
        stream.seek(0)
        lines = stream.read()[-4096:].decode("utf-8", "replace").splitlines()
    except (OSError, ValueError, AttributeError):
        return ""
    return next((x.strip() for x in reversed(lines) if x.strip()), "")


KERNEL_TRIES = 3  # kernels started for a notebook whose kernel exits as it starts
KILL_POLL = 0.005  # seconds between checks that a killed kernel has exited
IOPUB_DRAIN = 0.005  # seconds of IOPub silence that end the drain after kernel_info


def _ready_client_class():
    """jupyter_client's kernel client whose ``wait_for_ready`` returns once the kernel has
    answered kernel_info with IOPub connected, as jupyter_client's does, but then drains
    only what IOPub already holds instead of waiting for 0.2 s of silence: the messages
    left are the status of kernel_info requests, which nbclient skips (it reads only those
    of its own requests)."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyKernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    msg = None
                if msg is not None and msg["msg_type"] == "kernel_info_reply":
                    try:  # IOPub connected (else ask again, as jupyter_client does)
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
                if not await self._async_is_alive():
                    reason = _last_line(getattr(self.parent, "kaohe_stderr", None))
                    raise KernelDied(_("the notebook kernel exited as it started ({reason})").format(
                        reason=reason) if reason else _("the notebook kernel exited as it started"))
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=IOPUB_DRAIN)
                except Empty:
                    break

    return ReadyKernelClient


def check_loopback() -> None:
    """Kernels talk to this process over 127.0.0.1: without a loopback interface they never
    answer (two 120-second timeouts). Find it out at once."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as srv:
            srv.bind(("127.0.0.1", 0))
            srv.listen(1)
            with socket.create_connection(srv.getsockname(), timeout=5):
                pass
    except OSError as e:
        raise KaoheError(
            _("no loopback network interface (127.0.0.1: {reason}): the report's notebook kernels "
              "talk to kaohe over it").format(reason=os_reason(e)),
            [_("bring it up (as root: ip link set lo up) or run kaohe report on a machine or "
               "container with a loopback interface")]) from None


@dataclass
class Done:
    """What a task produced (paths) and how long it took."""

    what: str
    year: int
    paths: list[Path] = field(default_factory=list)
    seconds: float = 0.0


def _parameters(nb: Notebook, dataset: list[str], year: int, period: str, title: str = "",
                lang: str | None = None) -> dict:
    """Builtin-typed parameters only (papermill writes them into the notebook's JSON)."""
    params: dict = {"dataset": dataset[0] if len(dataset) == 1 else list(dataset), "year": int(year),
                    "lang": lang or language()}
    if nb.takes_period:
        params["period"] = str(period)
    if title:
        params["title"] = str(title)
    return params


def html_for(executed, name: str, year: int, period: str, out: str) -> Path:
    """The offline HTML page of an executed notebook, next to it."""
    nb = next(n for n in NOTEBOOKS if n.name == name)
    page = year_dir(Path(out), year, period) / f"{name}.html"
    return export_html(executed, page, page_title(nb.title, year, period))


def execute(name: str, dataset: list[str], year: int, period: str, out: str,
            timeout: int = CELL_TIMEOUT, started=None, title: str = "", lang: str | None = None):
    """Execute one notebook for a year with papermill (cwd: the notebooks folder); return the
    executed notebook and its path. On failure the executed notebook (with the error) is kept
    and a :class:`NotebookFailed` names the year, the notebook and the cell. ``started`` (a
    threading.Event) is set once the kernel is up and cells are about to run."""
    from papermill.exceptions import PapermillExecutionError

    nb = next(n for n in NOTEBOOKS if n.name == name)
    folder = year_dir(Path(out), year, period)
    target = folder / f"{name}.ipynb"
    params = _parameters(nb, [str(Path(p).resolve()) for p in dataset], year, period, title, lang)
    if KERNELS.stopped:
        raise Interrupted()
    tmp = files.temporary_for(target)  # papermill writes here; renamed when complete
    try:
        executed = _execute_notebook(nb, tmp, params, timeout, started)
    except BaseException as e:
        if KERNELS.stopped or not isinstance(e, PapermillExecutionError):
            tmp.unlink(missing_ok=True)  # no partial notebook under any name
        else:
            _settle(None, tmp, target)  # kept for inspection, complete with its error
        if KERNELS.stopped:
            raise Interrupted() from None
        if not isinstance(e, Exception):
            raise
        _failed(e, name, year, period, target)
    return _settle(executed, tmp, target), target


def _execute_notebook(nb: Notebook, tmp: Path, params: dict, timeout: int, started):
    """papermill's run of one notebook into ``tmp``, in a new kernel again (up to
    :data:`KERNEL_TRIES` in all) while the kernel exits before any cell has run."""
    import papermill as pm

    for tries_left in range(KERNEL_TRIES - 1, -1, -1):
        try:
            return _papermill(pm, nb, tmp, params, timeout, started)
        except KernelDied:
            if not tries_left or KERNELS.stopped:
                raise
            tmp.unlink(missing_ok=True)


def _papermill(pm, nb: Notebook, tmp: Path, params: dict, timeout: int, started):
    """One papermill run of the notebook in a new kernel."""
    return pm.execute_notebook(
        str(nb.path), str(tmp), parameters=params, kernel_name=KERNEL, progress_bar=False,
        kernel_manager_class=_kernel_manager_class(),
        # The kernel's working directory is the notebooks folder (as under nbval and
        # JupyterLab). Given to the kernel manager rather than papermill's ``cwd=``, which
        # changes this whole process's directory and so cannot run kernels in parallel.
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
        request_save_on_cell_execute=False,
        # all outputs are in when the last cell replies: stop the kernel at once rather
        # than wait for its interpreter to tear down pandas, pyarrow and plotly
        shutdown_kernel="immediate",
        **({"on_notebook_start": lambda **_: started.set()} if started is not None else {}),
        execution_timeout=timeout, start_timeout=START_TIMEOUT,
        extra_arguments=KERNEL_ARGUMENTS)


def _settle(executed, tmp: Path, target: Path):
    """The executed notebook made :func:`stable`, naming its final path in papermill's
    metadata (not the temporary one), written to ``tmp`` and renamed to ``target``."""
    import nbformat

    nb = stable(executed if executed is not None else nbformat.read(str(tmp), as_version=4))
    meta = nb.metadata.get("papermill")
    if meta is not None:
        meta["output_path"] = str(target)
        translate_markdown(nb, (meta.get("parameters") or {}).get("lang") or language())
    nbformat_write(nb, tmp)
    files.finish(tmp, target)
    return nb


def _failed(e: Exception, name: str, year: int, period: str, target: Path):
    from papermill.exceptions import PapermillExecutionError

    if isinstance(e, PapermillExecutionError):
        cell = _("cell {n}").format(n=e.cell_index) + (
            _(" (execution count {n})").format(n=e.exec_count) if e.exec_count else "")
        first = (e.source or "").strip().splitlines()
        raise NotebookFailed(
            _("{period}: notebook {name}.ipynb failed in {cell}: {error}: {message}").format(
                period=period_label(year, period), name=name, cell=cell, error=e.ename,
                message=_first_line(e.evalue)),
            [_("cell source: {source}").format(source=first[0][:100] if first else _("(empty)")),
             _("the executed notebook with the error is kept: {path}").format(path=target)]) from None
    if isinstance(e, KernelDied):
        raise NotebookFailed(
            _("{period}: notebook {name}.ipynb could not be executed: {message}").format(
                period=period_label(year, period), name=name, message=_first_line(str(e))),
            [_("{n} kernels were started, each exited before it answered").format(n=KERNEL_TRIES)]
        ) from None
    raise NotebookFailed(  # kernel died, timeout, …: nothing of it is kept
        _("{period}: notebook {name}.ipynb could not be executed: {error}: {message}").format(
            period=period_label(year, period), name=name, error=type(e).__name__,
            message=_first_line(str(e)))) from None


# ------------------------------------------------------------------ same input, same bytes
_PAPERMILL_TIMES = ("start_time", "end_time", "duration")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def translate_markdown(nb, lang: str):
    """The notebook's prose in the report's language: a markdown cell whose metadata names its
    ``kaohe.msgid`` reads that message from the catalog (the stored notebook holds the Chinese)."""
    for cell in nb.cells:
        msgid = cell.get("metadata", {}).get("kaohe", {}).get("msgid") if cell.cell_type == "markdown" else None
        if msgid:
            cell.source = translate(msgid, lang)
    return nb


def stable(nb):
    """An executed notebook without what changes from run to run: papermill's and nbclient's
    times, the injected-parameters cell's random id, the widgets' random model ids (renamed
    ``kaohe-widget-1``… in the order the kernel made them)."""
    import json

    import nbformat

    pm = nb.metadata.get("papermill")
    if pm is not None:
        for k in _PAPERMILL_TIMES:
            pm.pop(k, None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cpm = cell.metadata.get("papermill")
        if cpm is not None:
            for k in _PAPERMILL_TIMES:
                cpm.pop(k, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        elif "id" in cell and not cell["id"]:
            cell["id"] = f"cell-{i}"
    ids = list(nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}))
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            mid = out.get("data", {}).get(WIDGET_VIEW, {}).get("model_id")
            if mid and mid not in ids:
                ids.append(mid)
    if not ids:
        return nb
    text = json.dumps(nb, ensure_ascii=False)
    for n, mid in enumerate(ids, 1):
        text = text.replace(mid, f"kaohe-widget-{n}")
    return nbformat.from_dict(json.loads(text))


def nbformat_write(nb, path: Path) -> None:
    import nbformat

    nbformat.write(nb, str(path))


def _first_line(s: str) -> str:
    lines = [x for x in str(s).strip().splitlines() if x.strip()]
    return lines[0][:300] if lines else ""


# ------------------------------------------------------------------ offline HTML
_EXPORTER = None


def _exporter_class():
    from nbconvert import HTMLExporter

    class OfflineHTMLExporter(HTMLExporter):
        """The lab HTML exporter without its last pass, which re-parses the whole page with
        BeautifulSoup to add alt texts to images and tab stops to cells: a report page
        holds plotly.js (4.8 MB) and no images, so that pass costs much and adds nothing."""

        def from_notebook_node(self, nb, resources=None, **kw):
            try:
                from nbconvert.exporters.templateexporter import TemplateExporter
                from nbconvert.filters.highlight import Highlight2HTML
                from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                highlight = self.filters.get("highlight_code",
                                             Highlight2HTML(pygments_lexer=lexer, parent=self))
                resources = self._init_resources(resources)
                data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                  resources=resources)
            except (ImportError, AttributeError):  # another nbconvert: its own (slower) way
                return super().from_notebook_node(nb, resources, **kw)
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return OfflineHTMLExporter


def exporter():
    """One HTML exporter per process (building it costs more than an export): the offline
    template, code and prompts hidden, how-to and parameter cells removed."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert.preprocessors import TagRemovePreprocessor
        from traitlets.config import Config

        c = Config()
        c.TagRemovePreprocessor.remove_cell_tags = set(HIDDEN_TAGS)
        c.TagRemovePreprocessor.enabled = True
        ex = _exporter_class()(config=c, template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)],
                               exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
        ex.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
        _cache_templates(ex.environment)
        _EXPORTER = ex
    return _EXPORTER


def _cache_templates(env) -> None:
    """Keep the page templates compiled in kaohe's cache folder (``~/.cache/kaohe/templates``,
    beside the plotly.js bundle's): jinja compiles them again in every run otherwise (~0.1 s).
    Jinja checks each against its template's source; without a writable cache, nothing is kept."""
    from jinja2 import FileSystemBytecodeCache

    from kaohe.charts.bundle import cache_dir

    class Cache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = cache_dir().parent / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = Cache(str(folder))


def warm_up() -> None:
    """Build the exporter and compile its template (done while a first kernel runs)."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("#")])
    exporter().from_notebook_node(nb, resources={"metadata": {"name": "-"}})
    _plotlyjs()


_PLOTLYJS: list[str] = []


def _plotlyjs() -> str:
    if not _PLOTLYJS:  # (not through kaohe.charts.style, whose plotly template costs 0.07 s)
        from kaohe.charts import bundle

        _PLOTLYJS.append(bundle.script())
    return _PLOTLYJS[0]


def export_html(nb, path: Path, title: str) -> Path:
    """Write an executed notebook (node or path) as one self-contained offline HTML page."""
    import copy

    import nbformat

    if not hasattr(nb, "cells"):
        nb = nbformat.read(str(nb), as_version=4)
    nb = copy.copy(nb)
    nb.metadata = copy.deepcopy(nb.metadata)
    nb.metadata["title"] = title
    nb.metadata.pop("widgets", None)  # live widgets need a kernel; the page shows static results
    body, _resources = exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = _titled(body, title)
    if "Plotly.newPlot" in body:  # plotly.js once, in the head: offline, before any chart
        body = body.replace("</head>", _plotlyjs() + "\n" + PRINT_JS + "\n</head>", 1)
    if "kaohe-details" in body:
        body = body.replace("</head>", DETAILS_JS + "\n</head>", 1)
    return files.write_text_atomic(Path(path), body)


# Charts drawn for the printable width of A4 landscape while printing, redrawn after.
PRINT_JS = """<script type="text/javascript">(function(){
function each(f){document.querySelectorAll(".js-plotly-plot").forEach(f);}
window.addEventListener("beforeprint",function(){each(function(d){Plotly.relayout(d,{width:1000});});});
window.addEventListener("afterprint",function(){each(function(d){Plotly.relayout(d,{width:null}).then(
function(){Plotly.Plots.resize(d);});});});})();</script>"""

# Collapsed tables opened while printing (and closed again after), for browsers whose print
# style sheet cannot reach a closed <details>'s content (no ::details-content).
DETAILS_JS = """<script type="text/javascript">(function(){var shut=[];
window.addEventListener("beforeprint",function(){document.querySelectorAll("details.kaohe-details:not([open])")
.forEach(function(d){d.open=true;shut.push(d);});});
window.addEventListener("afterprint",function(){shut.forEach(function(d){d.open=false;});shut=[];});})();</script>"""


def _titled(body: str, title: str) -> str:
    """The page's <title> is its first H1 (or ``title``); a printed page's footer carries
    that title and the page number."""
    import html
    import re

    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).replace("¶", "").strip() if h1 else title
    text = text or title
    # nbconvert takes only ISO 639-1 codes (zh, not zh-CN)
    body = re.sub(r"<html\b[^>]*>", f'<html lang="{page_language()}">', body, count=1)
    body = re.sub(r"<title>.*?</title>", lambda _: f"<title>{html.escape(text)}</title>", body, count=1,
                  flags=re.S)
    font = "font-family: 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif; font-size: 9pt; color: #555;"
    css = ("<style type=\"text/css\">@page { @bottom-left { content: " + _css_string(text)
           + "; " + font + " } @bottom-right { content: " + _css_string(_page_word())
           + "; " + font + " } }</style>")
    return body.replace("</head>", css + "\n</head>", 1)


def _page_word() -> str:
    from kaohe.core.i18n import _

    return _("page {page} of {pages}")


def _css_string(text: str) -> str:
    """A CSS ``content`` value: the text as a string, with {page}/{pages} as counters; no
    character that could end the string or the style element."""
    def esc(s: str) -> str:
        return '"' + "".join(c if c.isalnum() or c in " ：:·-–—（）()" else f"\\{ord(c):x} " for c in s) + '"'

    parts = []
    for i, chunk in enumerate(text.replace("{pages}", "\0P").replace("{page}", "\0p").split("\0")):
        if i and chunk[:1] in ("p", "P"):
            parts.append("counter(pages)" if chunk[0] == "P" else "counter(page)")
            chunk = chunk[1:]
        if chunk:
            parts.append(esc(chunk))
    return " ".join(parts) or '""'


# ------------------------------------------------------------------ PDF through Chromium
def chromium() -> str | None:
    """The Chromium binary (Debian package ``chromium``), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(page: Path, browser: str | None = None) -> Path:
    """Print an HTML page to PDF (A4, as its print style sheet says) with headless Chromium,
    next to the page."""
    import subprocess

    from kaohe.core.i18n import _

    browser = browser or chromium()
    if browser is None:
        raise KaoheError(_("--pdf needs Chromium, which is not installed"),
                         [_("install the Debian package chromium: sudo apt-get install chromium")])
    page = Path(page).resolve()
    pdf = page.with_suffix(".pdf")
    with files.atomic_path(pdf) as part, tempfile.TemporaryDirectory(prefix="kaohe-chromium-") as profile:
        run = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             "--disable-extensions", f"--user-data-dir={profile}", "--window-size=1100,1400",
             "--virtual-time-budget=15000", f"--print-to-pdf={part}", page.as_uri()],
            capture_output=True, text=True, timeout=300, check=False)
        if run.returncode or not part.exists() or part.stat().st_size == 0:
            raise KaoheError(_("Chromium could not print {page} to PDF").format(page=page),
                             [_first_line(run.stderr) or f"exit code {run.returncode}"])
    return pdf


def page_language() -> str:
    """The page's ``lang`` attribute: zh-CN, or en under ``--lang en``."""
    return "zh-CN" if labels.zh() else "en"


# ------------------------------------------------------------------ the workbook
def write_workbook(dataset, year: int, period: str, out: str, official: dict | None = None) -> Done:
    """Score the year (once) and write its Excel workbook and, beside it, the draft report
    (.docx) (``dataset``: paths, a loaded Dataset, or the year's report already scored;
    ``official``: issuer, day, commend)."""
    from kaohe.output import notice, views
    from kaohe.report.workbook import write

    t0 = time.perf_counter()
    o = official or {}
    report = dataset if isinstance(dataset, views.Annual) else views.annual(dataset, year, period)
    path = year_dir(Path(out), year, period) / workbook_name(year, period)
    write(report, path, o.get("issuer", ""), o.get("day"))
    doc = notice.write(report, path.with_name(notice.name(year, period)), o.get("issuer", ""), o.get("day"),
                       o.get("commend"))
    return Done("workbook", year, [path, doc], time.perf_counter() - t0)


# ------------------------------------------------------------------ the whole run
def parse_years(spec: str | None, available: list[int] | None) -> list[int]:
    """``2024`` or ``2022-2024`` (or None: every year of the data set), checked against the
    data set's years (``available``; None: not checked here) without listing a range."""
    if spec is None:
        return list(available)
    m = re.fullmatch(r"\s*(\d{1,9})\s*(?:-\s*(\d{1,9})\s*)?", str(spec))
    if not m:
        raise KaoheError(_("--years {spec}: write a year (2024) or a range (2022-2024)").format(spec=spec))
    a = int(m.group(1))
    b = int(m.group(2)) if m.group(2) else a
    if b < a:
        raise KaoheError(_("--years {spec}: the range is empty (write the earlier year first)").format(
            spec=spec))
    if available is None:
        if b - a >= MAX_YEARS:
            raise KaoheError(_("--years {spec}: at most {n} years at once").format(spec=spec, n=MAX_YEARS))
        return list(range(a, b + 1))
    have = sorted(y for y in set(available) if a <= y <= b)
    gaps, start = [], a
    for y in [*have, b + 1]:
        if y > start:
            gaps.append(str(start) if y - 1 == start else f"{start}–{y - 1}")
        start = y + 1
    if gaps:
        raise KaoheError(ngettext("year {years} is not in the data set", "years {years} are not in the data set",
                                  b - a + 1 - len(have)).format(years=", ".join(gaps[:20])),
                         [_("the units table lists the years {years}").format(
                             years=", ".join(map(str, sorted(available))) or "—")])
    return have


def generate(dataset: list[str], years: list[int], out: Path, period: str = "year", jobs: int = 1,
             timeout: int = CELL_TIMEOUT, progress: bool = True,
             only: list[str] | None = None, loaded=None, check=None, title: str = "",
             lang: str | None = None, pdf: bool = False, official: dict | None = None) -> list[Done]:
    """Every year's notebooks (executed .ipynb + offline .html) and workbook (.xlsx).

    Up to ``jobs`` kernels run at once (each kernel is a process of its own; this process
    only relays their messages); meanwhile one side thread scores each year for them (handed
    over through :mod:`kaohe.report.datacache`), builds the HTML exporter, writes the
    workbooks and exports each executed notebook. ``only`` restricts the notebooks (by
    name); ``loaded``: the data set already loaded from ``dataset`` (the workbooks reuse it);
    ``check``: instead, a function that loads and validates it. The data, the years and the
    loopback interface are checked before any kernel starts or anything is created. The
    output folder is locked for the run (a second run into it is refused, naming this one);
    every file is written under a temporary name and renamed when complete; on a failure or
    Ctrl-C (:class:`Interrupted`: the kernels are killed) the folders this run created and
    left empty are removed. Raises :class:`NotebookFailed` naming the year, notebook and
    cell of the first failure (the other kernels finish their notebook; nothing further
    starts).
    """
    if not NOTEBOOK_DIR.joinpath("annual_report.ipynb").exists():
        raise KaoheError(_("the report notebooks are missing: {path}").format(path=NOTEBOOK_DIR),
                         [_("reinstall kaohe (pip install kaohe, or pip install -e . in a clone)")])
    lang = lang or language()
    if loaded is None and check is not None:
        loaded = check()
    if not years:
        raise KaoheError(_("no year to report: the data set lists no units"))
    if loaded is not None:
        missing = [y for y in years if y not in loaded.years]
        if missing:
            raise KaoheError(ngettext("year {years} is not in the data set", "years {years} are not in the data set",
                                      len(missing)).format(years=", ".join(map(str, missing))),
                             [_("the units table lists the years {years}").format(
                                 years=", ".join(map(str, loaded.years)) or "—")])
    check_loopback()
    dataset = [str(Path(p).resolve()) for p in dataset]
    out = Path(out).resolve()
    KERNELS.reset()
    with files.made_folders(out), files.folder_lock(out):
        for folder in (out, *(year_dir(out, y, period) for y in years)):
            files.remove_temporaries(folder)  # left by a run that was killed
        try:
            done = _generate(dataset, years, out, period, jobs, timeout, progress, only, loaded, title,
                             lang, official)
            if pdf:  # each page printed to PDF, inside the lock (Chromium: one page at a time)
                pages = sorted((d.year, p) for d in done for p in d.paths if p.suffix == ".html")
                done += [Done("pdf", year, [write_pdf(page)]) for year, page in pages]
            return done
        except BaseException:
            for year in years:
                folder = year_dir(out, year, period)
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
            raise


def _generate(dataset, years, out, period, jobs, timeout, progress, only, loaded, title,
              lang, official) -> list[Done]:
    from tqdm.auto import tqdm

    nbs = [nb for nb in notebooks_for(period) if only is None or nb.name in only]
    tasks = [(nb.name, y) for y in years for nb in nbs]
    bar = tqdm(total=len(tasks) + len(years), desc="kaohe report", unit=_("file"), disable=not progress,
               file=getattr(sys.stderr, "raw", sys.stderr), dynamic_ncols=True)
    done: list[Done] = []

    def tick(f: Future) -> None:
        if not f.cancelled() and f.exception() is None:
            d = f.result()
            done.append(d)
            what = _("workbook") if d.what == "workbook" else next(
                (n.title.strip() for n in NOTEBOOKS if n.name == d.what), d.what)
            bar.set_postfix_str(f"{d.year} {what}", refresh=False)
            bar.update(1)

    # The side thread waits until a first kernel is launched (launching a kernel takes this
    # process's interpreter, which work beside it would slow down), then scores the years
    # for the kernels while they start; the workbooks wait until a kernel is up.
    kernel_up = threading.Event()

    def after(event: threading.Event, task, *args):
        event.wait(START_TIMEOUT)
        if KERNELS.stopped:
            raise Interrupted()
        return task(*args)

    def run(name: str, year: int) -> Future:
        t0 = time.perf_counter()
        try:
            executed, target = execute(name, dataset, year, period, str(out), timeout, kernel_up, title, lang)
        finally:
            kernel_up.set()
            KERNELS.launched.set()
        f = side.submit(_export_task, executed, target, name, year, period, str(out), t0)
        f.add_done_callback(tick)
        return f

    # The loaded data set goes to the kernels through a private file (see kaohe.datacache).
    cache_dir = tempfile.mkdtemp(prefix="kaohe-report-")
    cache = Path(cache_dir) / "dataset.pickle"
    env_before = os.environ.get(datacache.ENV)
    os.environ[datacache.ENV] = str(cache)

    # Each year's report scored here, with the views its notebook shows, while the kernels
    # start (they take it from the cache, or score the data set themselves if it is late).
    scored: dict = {}

    def prepare(year: int) -> None:
        from kaohe.output import views

        first = scored.get("first")
        if first is not None:  # one scoring serves every year of the whole-year view
            report = views.Annual(first.scores, year, period, first.source)
        else:
            report = views.annual(loaded, year, period)
            if period == "year":
                scored["first"] = report
        scored[year] = datacache.prime(report)
        datacache.save_report(report, dataset, cache)

    def workbook(year: int) -> Done:
        data = scored.get(year) or (loaded if loaded is not None else dataset)
        return write_workbook(data, year, period, str(out), official)

    try:
        with ThreadPoolExecutor(max_workers=1) as side, \
                ThreadPoolExecutor(max_workers=max(1, int(jobs))) as kernels:
            try:
                if loaded is not None:
                    side.submit(datacache.save, loaded, dataset, cache)
                    for y in years:
                        side.submit(after, KERNELS.launched, prepare, y)
                side.submit(after, KERNELS.launched, warm_up)
                later = [side.submit(after, kernel_up, workbook, y) for y in years]
                for f in later:
                    f.add_done_callback(tick)
                runs = [kernels.submit(run, name, y) for name, y in tasks]
                for f in as_completed(runs):
                    if f.exception() is not None:
                        kernels.shutdown(wait=True, cancel_futures=True)
                        raise f.exception()
                    later.append(f.result())
                for f in later:
                    f.result()
            except KeyboardInterrupt:  # Ctrl-C: stop the kernels now, start nothing more
                KERNELS.stop()
                kernel_up.set()
                kernels.shutdown(wait=False, cancel_futures=True)
                side.shutdown(wait=False, cancel_futures=True)
                raise Interrupted() from None
    finally:
        bar.close()
        if env_before is None:
            os.environ.pop(datacache.ENV, None)
        else:
            os.environ[datacache.ENV] = env_before
        shutil.rmtree(cache_dir, ignore_errors=True)
    return done


def _export_task(executed, target: Path, name: str, year: int, period: str, out: str,
                 t0: float) -> Done:
    page = html_for(executed, name, year, period, out)
    return Done(name, year, [target, page], time.perf_counter() - t0)


def default_jobs(n_years: int) -> int:
    """Parallel years by default: as many as cores (each kernel is a process of its own)."""
    return max(1, min(n_years, os.cpu_count() or 1))
