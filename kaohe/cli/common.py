"""Helpers shared by the ``kaohe`` sub-commands: data set, year and scenario options, loading,
writing a table. Only :mod:`kaohe.cli` imports this."""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe.core import files, labels, resources
from kaohe.core.errors import KaoheError
from kaohe.core.i18n import _, ngettext

if TYPE_CHECKING:
    import pandas as pd

SAMPLE = resources.sample_dir()


# ------------------------------------------------------------------ shared helpers
def _digits(text: str, message: str) -> int:
    """Digits typed on the command line, or argparse's error with ``message`` (``{value}``)."""
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(message.format(value=text)) from None


def year_number(text: str) -> int:
    """A year typed on the command line (argparse ``type``): the digits of a year, or a message."""
    return _digits(text, _("{value} is not a year: write the year in digits, such as 2024"))


def whole_number(text: str) -> int:
    """A whole number typed on the command line (argparse ``type``): digits, or a message saying so."""
    return _digits(text, _("{value} is not a whole number: write it in digits, such as 100"))


def add_dataset(p: argparse.ArgumentParser, optional: bool = False) -> None:
    help_ = _("data set: a folder of CSV files, a folder of .xlsx workbooks, or .xlsx files "
              "(several paths are read as one data set)")
    if optional:
        p.add_argument("dataset", nargs="*", type=Path, metavar=_("DATASET"),
                       help=help_ + _("; default: the bundled sample"))
    else:
        p.add_argument("dataset", nargs="+", type=Path, metavar=_("DATASET"), help=help_)


def add_year(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument("--year", type=year_number, required=required, metavar=_("YEAR"),
                   help=_("assessment year (default: the only year of the data set)"))


def add_scenario(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", type=Path, action="append", default=[], metavar=_("FILE"),
                   help=_("a scenario YAML file whose overrides apply (may be repeated)"))


def load_dataset(args, rulebook=None):
    from kaohe.inputs import dataset

    paths = args.dataset or [SAMPLE]
    return dataset.load(paths, rulebook)


def rulebook_for(args):
    from kaohe.rulebook import rules

    rb = rules.load()
    for path in getattr(args, "scenario", []) or []:
        from kaohe.rulebook import scenario

        rb = scenario.load(path).apply(rb)
    return rb


def scenario_names(args) -> list[str]:
    """The names of the scenarios given with ``--scenario`` (in order)."""
    from kaohe.rulebook import scenario

    return [scenario.load(path).name for path in getattr(args, "scenario", []) or []]


def names_in(lang: str, name, codes) -> list[str]:
    """``name(code)`` for each code, worded in ``lang`` (whatever the language in use)."""
    from kaohe.core import i18n

    with i18n.speaking(lang):
        return [name(c) for c in codes]


def bilingual(table: pd.DataFrame, column: str, name, codes, en_column: str) -> pd.DataFrame:
    """A table for a CSV file: a column named ``zh`` (``item_zh``) holds the Chinese names in
    both languages (the contract's column names mean what they say), ``en_column`` the English
    ones, added last."""
    codes = list(codes)
    table = table.copy()
    table[column] = names_in("zh_CN", name, codes)
    table[en_column] = names_in("en", name, codes)
    return table


def pick_year(ds, year: int | None) -> int:
    if not ds.years:
        raise KaoheError(_("the data set lists no units: fill in the units table first"))
    if year is not None:
        return ds.check_year(year)
    if len(ds.years) == 1:
        return ds.years[0]
    raise KaoheError(_("the data set holds several years: choose one with --year"),
                     [_("years: {years}").format(years=", ".join(map(str, ds.years)))])


def data_error_message(e, command: str | None) -> str:
    """The first line of a data set's problems, closing with what did not happen for this
    command: not scored (the default), did not pass (validate), no template written (template)."""
    n, name = getattr(e, "count", None), getattr(e, "name", None)
    if n is None or command not in ("validate", "template"):
        return e.message
    if command == "validate":
        return ngettext("{n} problem in the data set {name}; it does not pass",
                        "{n} problems in the data set {name}; it does not pass", n).format(n=n, name=name)
    return ngettext("{n} problem in the data set {name}; no template was written",
                    "{n} problems in the data set {name}; no template was written", n).format(n=n, name=name)


def problem_headers() -> dict[str, str]:
    """The headers of a problem list in a workbook (问题清单's)."""
    from kaohe.core import problems

    return {c: labels.header(c, "import_problems") for c in problems.COLUMNS}


XLSX_MAX_ROWS = 1_048_576 - 2  # the rows of a sheet below its title and header


def xlsx_sheets(table: pd.DataFrame, sheet: str, title: str, headers: dict[str, str],
                formats: dict[str, str] | None = None):
    """A table as workbook sheets: a sheet holds 1 048 574 rows, longer tables go on to the next
    sheets (问题, 问题(2), …) instead of being cut. ``formats``: column → number format."""
    from kaohe.core.i18n import _
    from kaohe.output import excel

    n = max(1, -(-len(table) // XLSX_MAX_ROWS))
    if n == 1:
        return [excel.Sheet(sheet, table, title, headers, formats=dict(formats or {}))]
    return [excel.Sheet(sheet if i == 0 else f"{sheet}({i + 1})",
                        table.iloc[i * XLSX_MAX_ROWS:(i + 1) * XLSX_MAX_ROWS].reset_index(drop=True),
                        _("{title} (part {i} of {n})").format(title=title, i=i + 1, n=n), headers,
                        formats=dict(formats or {}))
            for i in range(n)]


FILE_SUFFIXES = (".xlsx", ".xls", ".csv", ".docx", ".html", ".pdf", ".ipynb", ".txt")  # not a folder's name


def check_outputs(args) -> None:
    """Before any work: every --out/--problems can be written and is none of the inputs
    (data set, scenarios, --from); a warning when one lies inside a data set's folder."""
    inputs = []
    if hasattr(args, "dataset"):
        inputs += list(args.dataset or [SAMPLE])
    for attr in ("scenario", "source"):
        inputs += list(getattr(args, attr, None) or [])
    outs = [(a, getattr(args, a, None)) for a in ("out", "problems")]
    outs = [(a, p) for a, p in outs if p is not None]
    for attr, path in outs:
        if attr == "problems" and Path(path).suffix.lower() not in (".csv", ".xlsx"):
            raise KaoheError(_("{option} {path}: write a .csv or an .xlsx file").format(
                option="--problems", path=path))
        if attr == "out" and getattr(args, "out_kind", "file") == "folder":
            if not Path(path).is_dir() and Path(path).suffix.lower() in FILE_SUFFIXES:
                raise KaoheError(_("--out {path}: a folder is expected (the command writes several "
                                   "files into it), and this name looks like a file's").format(path=path))
            warnings = files.check_output_folder(path, inputs)
        else:
            warnings = files.check_output(path, inputs, f"--{attr}")
        for w in warnings:
            print(_("kaohe: warning: {warning}").format(warning=w), file=sys.stderr)
    if len(outs) == 2 and Path(outs[0][1]).resolve() == Path(outs[1][1]).resolve():
        raise KaoheError(_("--out and --problems name the same file {path}: give two files").format(
            path=outs[0][1]))


def write_rows(columns: list[str], rows: list[dict], out: Path | None, sheet: str, title: str,
               headers: dict[str, str], formats: dict[str, str] | None = None) -> None:
    """Rows of text (dicts) as :func:`write_table` writes a table: a small table of words goes
    out as CSV without pandas; a workbook goes through :func:`write_table` (``formats``:
    column → the workbook's number format)."""
    from kaohe.output import safe_text

    if out is not None and out.suffix.lower() == ".xlsx":
        import pandas as pd

        write_table(pd.DataFrame(rows, columns=columns), out, sheet, title, headers, formats)
        return
    cells = [[r[c] for c in columns] for r in rows]
    _write_csv(lambda eol: safe_text.csv_rows(columns, cells, eol).encode("utf-8"), out)


def write_table(table: pd.DataFrame, out: Path | None, sheet: str, title: str,
                headers: dict[str, str] | None = None, formats: dict[str, str] | None = None) -> None:
    """A table to stdout (CSV), or to a .csv (UTF-8 with BOM, for Excel) or .xlsx file
    (``formats``: column → the workbook's number format)."""
    from kaohe.output import safe_text

    if out is not None and out.suffix.lower() == ".xlsx":
        from kaohe.output import excel

        excel.write(out, xlsx_sheets(table, sheet, title, dict(headers or labels.headers()), formats))
        print(_("wrote {path}").format(path=out), file=sys.stderr)
        return
    _write_csv(lambda eol: safe_text.csv_bytes(table, eol), out)


def _write_csv(data, out: Path | None) -> None:
    """``data(line_end)`` (UTF-8 bytes) to stdout, or to a .csv file (UTF-8 with BOM, CRLF, for
    Excel)."""
    if out is None:
        text = data("\n")
        if hasattr(sys.stdout, "write_utf8"):  # the CLI's stream: no decoding and encoding again
            sys.stdout.write_utf8(text)
        else:
            sys.stdout.write(text.decode("utf-8"))
        return
    if out.suffix.lower() != ".csv":
        raise KaoheError(_("--out {path}: write a .csv or an .xlsx file").format(path=out))
    files.write_bytes_atomic(out, codecs.BOM_UTF8 + data("\r\n"))
    print(_("wrote {path}").format(path=out), file=sys.stderr)
