"""Finding words of the wrong language in what kaohe writes (the 中文优先 checks).

In Chinese output, an English word is three or more Latin letters; in English output, Chinese
is any CJK character. What may appear anyway is listed here, with the reason.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd

from kaohe.core import contract
from kaohe.rulebook import rules

ENGLISH = re.compile(r"[A-Za-z]{3,}")
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# English words a Chinese reader may see, and why:
ALLOWED_EN = {
    "kaohe",  # the product's name (and its command)
    "csv", "xlsx", "yaml", "ipynb", "html", "utf", "bom", "docx",  # file kinds the user names (FILE.csv, UTF-8 with BOM)
    "spearman", "sobol", "kendall",  # statistical names; a Chinese explanation stands beside each (秩相关 …)
    "excel", "wps", "rank",  # the spreadsheet programs the offices use, and Excel's RANK function
    "jupyterlab",  # the program the what-if panel runs in (named as a program, like Excel)
    "papermill",  # the notebook runner named in `kaohe report --help`
    "pdf", "chromium",  # `kaohe report --pdf`: the file kind, and the browser that prints it (a program, like Excel)
    "sti",  # the total-effect index's symbol STi, named 总效应指数 beside it
}
# the contract's CSV columns stay English (other people's scripts read them)
CONTRACT_COLUMNS = {c.name.lower() for t in contract.TABLES for c in contract.columns(t)}
CSV_COLUMNS = {  # the published tables' CSV columns (data-contract.md)
    "rank", "unit", "staff", "common", "goals", "daily_points", "daily", "total", "eligible",
    "total_base", "rank_base", "total_scenario", "rank_scenario", "diff", "rank_change", "nominal",
    "mean", "median", "q5", "q95", "scenario",
}


def codes() -> set[str]:
    """Every code a reader may meet in a 代码 column or type on the command line."""
    rb = rules.load()
    out = set(rb.params) | set(rb.items) | set(rules.COMPONENTS) | set(rb.choice_words)
    out |= {w for p in rb.params.values() for w in p.choices}
    out |= {"goals.per_missed", "common.full", "goals.full", "common.floor", "goals.floor"}
    return out


def english_words(text: str, allowed=frozenset()) -> list[str]:
    """English words in ``text`` outside the allow-list and ``allowed`` (codes, file names, data)."""
    text = re.sub(r"--[a-z][a-z-]*", " ", text)  # option names
    text = re.sub(r"[\w./\\-]+\.(csv|xlsx|yaml|ipynb|html|py)\b", " ", text)  # file names
    text = re.sub(r"\bdata/\S+", " ", text)  # paths named in help texts
    low = {a.lower() for a in allowed}
    found = []
    for token in re.findall(r"[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]|[A-Za-z]", text):
        if token.lower() in low:
            continue
        for w in ENGLISH.findall(token):
            if w.lower() not in ALLOWED_EN and w.lower() not in low:
                found.append(w)
    return found


def chinese_chars(text: str, allowed: set[str]) -> list[str]:
    """Chinese text in ``text`` once the data's own names (``allowed``) are removed."""
    for name in sorted(allowed, key=len, reverse=True):
        if name:
            text = text.replace(name, " ")
    return CHINESE.findall(text)


def run(args: list[str], lang: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``kaohe ARGS --lang LANG`` in a fresh process (stdout, stderr, return code)."""
    return subprocess.run([sys.executable, "-m", "kaohe", *args, "--lang", lang], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=900)


def workbook_text(path: Path, skip_headers=("代码", "code")) -> str:
    """Every cell of a workbook except the columns headed 代码 (codes) — sheet names included."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        skip: set[int] = set()
        for row in ws.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in row]
            for j, c in enumerate(cells):
                if c in skip_headers:
                    skip.add(j)
            out.extend(c for j, c in enumerate(cells) if j not in skip)
    return "\n".join(out)


def csv_text(text: str, code_columns=("item", "name", "parameter", "kind", "denominator", "group",
                                      "measure", "eligible", "en", "item_en")) -> str:
    """A CSV table's cells without its header (contract column names) and code columns (and the
    English names beside the Chinese ones: en, item_en)."""
    import io

    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return "\n".join(" ".join(df[c]) for c in df.columns if c not in code_columns)


def page_text(html: str) -> str:
    """What a reader sees of an exported page: visible text, captions, chart labels (no script,
    style or markup)."""
    import json

    texts = []
    # chart labels: the JSON of plotly figures embedded in the page
    for m in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{"displaylogo"', html, re.S):
        for part in m.groups():
            with contextlib.suppress(json.JSONDecodeError):
                texts.extend(_strings(json.loads(part)))
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    import html as _html

    texts.append(_html.unescape(body))
    return "\n".join(texts)


_CHART_KEYS = {"text", "name", "title", "hovertemplate", "texttemplate", "ticktext", "x", "y"}


def _strings(obj, key=None):
    """Reader-facing strings of a plotly figure's JSON (labels, hover text; not styling)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("font", "marker", "line", "colorscale", "template") and not isinstance(v, str):
                continue
            yield from _strings(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v, key)
    elif isinstance(obj, str) and key in _CHART_KEYS:
        s = re.sub(r"%\{[^}]*\}|<extra>.*?</extra>|<br>", " ", obj)
        yield s
