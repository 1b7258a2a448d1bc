"""The ``kaohe`` command. A leaf package: nothing in kaohe imports it. Each module adds its
sub-commands with ``register(subparsers)``; :mod:`.common` holds what they share. User mistakes
end with a clear message and a non-zero exit code, never a traceback. Every word is in the
language chosen by ``--lang`` (before or after the sub-command) or ``KAOHE_LANG``; Chinese by
default."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import signal
import sys
import threading

from kaohe.cli import analysis, notice, report, score, template, validate
from kaohe.cli.common import check_outputs, data_error_message, problem_headers, write_table
from kaohe.core import i18n
from kaohe.core import problems as problems_mod
from kaohe.core.errors import DataError, KaoheError
from kaohe.core.i18n import _
from kaohe.core.terminal import SafeStream

COMMAND_MODULES = (score, validate, report, analysis, template, notice)


def _wide(s: str) -> int:
    """How many characters of ``s`` take two columns on a terminal (CJK)."""
    return sum(1 for ch in s if ord(ch) > 0x2E80)


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with options and their help aligned when a name is Chinese (two
    columns per character)."""

    def _format_action(self, action):
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = _wide(header)
        first, sep, rest = text.partition("\n")
        at = first.find(header)
        if extra and at >= 0:
            tail = first[at + len(header):]
            pad = len(tail) - len(tail.lstrip(" "))
            if pad > extra:  # the help text follows on the same line: take the extra width off the padding
                first = first[:at + len(header)] + tail[extra:]
        return first + sep + rest


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def _lang(text: str) -> str:
    try:
        return i18n.normalize(text)
    except ValueError:
        return text  # argparse reports it against the choices


def _add_lang(p: argparse.ArgumentParser, default) -> None:
    p.add_argument("--lang", type=_lang, choices=i18n.LANGUAGES, default=default,
                   help=_("language of every message and output: zh_CN (Chinese, the default) or en "
                          "(English); also KAOHE_LANG"))


def _version() -> str:
    """kaohe's version, from the installed package's metadata."""
    from importlib import metadata

    try:
        return metadata.version("kaohe")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        import kaohe

        return kaohe.__version__


class _Version(argparse.Action):
    """``--version``: kaohe's version, looked up only when asked for (reading the package
    metadata takes some 20 ms that no other command should pay)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"kaohe {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The parser, worded in the language in use (choose it first with ``i18n.set_language``)."""
    i18n.route_argparse()
    ap = _Parser(
        prog="kaohe",
        description=_("kaohe (考核): score the annual target-responsibility assessment of the work "
                      "units by the rulebook, explain every point, and analyse the ranking."),
    )
    _add_lang(ap, None)
    ap.add_argument("--version", action=_Version, help=_("show kaohe's version and exit"))
    sub = ap.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    for mod in COMMAND_MODULES:
        mod.register(sub)
    for p in sub.choices.values():
        _add_lang(p, argparse.SUPPRESS)
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for choice in (i18n.lang_from_argv(argv), None, i18n.DEFAULT):
        try:  # a bad --lang is named by the parser, a bad KAOHE_LANG falls back to Chinese
            i18n.set_language(choice)
            break
        except ValueError:
            continue
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)  # user data never drives the terminal
    try:
        with _terminate_as_interrupt():
            parser = build_parser()
            args = parser.parse_args(argv)  # argparse too echoes what was typed
            if args.command is None:  # `kaohe` alone: what it can do, as git and pip answer
                parser.print_help()
                return 2
            return _run(args)
    finally:
        sys.stdout, sys.stderr = out, err


def console() -> None:
    """The ``kaohe`` command: :func:`main`, then leave at once. Tearing the interpreter down
    (pandas, pyarrow, a large data set's arrays) takes about 0.1 s and changes nothing once
    every file is written and closed: the output is flushed and the exit handlers run first.
    While another thread still runs, the ordinary exit waits for it."""
    # numpy's OpenBLAS starts a thread per core that spins for a while when numpy loads (about
    # 0.1 s of CPU taken from the work on a 2-core machine); kaohe's matrices are small, and
    # one BLAS thread is as fast (`kaohe sensitivity --samples 100000`: 1.5 s against 1.7 s)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # pyarrow's allocator (mimalloc) commits its arenas whole, as transparent huge pages the
    # kernel zeroes 2 MiB at a time: 30 MiB touched to read a 5 MB CSV. Committed as used, a
    # 10⁶-row `kaohe score` peaks 8-22 MiB lower and runs 6-9 % faster.
    os.environ.setdefault("MIMALLOC_ARENA_EAGER_COMMIT", "0")
    try:
        code = main()
    except SystemExit as e:  # argparse: --help, a usage error (its message is printed)
        code = e.code
    if not isinstance(code, int):
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    if threading.active_count() > 1:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # `kaohe score … | head`: nothing to keep
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a service manager, a closed session): stopped as Ctrl-C is."""


_TERMINATED: list[int] = []  # the signal that stopped this run, if one did


@contextlib.contextmanager
def _terminate_as_interrupt():
    """While a command runs, SIGTERM raises :class:`Terminated` (a KeyboardInterrupt) in the
    main thread, so it takes Ctrl-C's way: kernels stopped, unfinished files removed, the
    output folder unlocked. A second SIGTERM during that clean-up is ignored."""
    def handler(signum, frame):
        if not _TERMINATED:
            _TERMINATED.append(signum)
            raise Terminated()

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _TERMINATED.clear()
    before = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _import_pandas(args) -> None:
    """Import pandas for a command that reads a data set, with the cycle collector off: the
    import makes some 10⁵ objects and no garbage, and the collector's passes over them took
    about a seventh of the import. What it made is then kept out of the collector's way
    (``gc.freeze``)."""
    if not hasattr(args, "dataset") or "pandas" in sys.modules or not gc.isenabled():
        return
    gc.disable()
    try:
        import pandas  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()


def _run(args) -> int:
    try:
        check_outputs(args)
        _import_pandas(args)
        return args.func(args)
    except DataError as e:
        print(data_error_message(e, args.command), file=sys.stderr)
        for line in problems_mod.format_problems(e.problems, limit=500):
            print("  " + line, file=sys.stderr)
        out = getattr(args, "problems", None)
        if out is not None:
            try:
                write_table(e.problems, out, _("Problems"), _("Data problems"), problem_headers())
            except KaoheError as w:
                print(_("kaohe: {error}").format(error=w), file=sys.stderr)
        return 1
    except KaoheError as e:
        print(_("kaohe: {error}").format(error=e), file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `kaohe score … | head`
        return 0
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: one line, the shell's code for the signal
        if _TERMINATED:
            print(_("kaohe: stopped (SIGTERM); unfinished files removed"), file=sys.stderr)
            return 128 + signal.SIGTERM
        print(_("kaohe: interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
