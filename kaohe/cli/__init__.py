"""The ``kaohe`` command. A leaf package: nothing in kaohe imports it. Each module adds its
sub-commands with ``register(subparsers)``; :mod:`.common` holds what they share. User mistakes
end with a clear message and a non-zero exit code, never a traceback."""

from __future__ import annotations

import argparse
import sys

from kaohe.cli import analysis, report, score, template, validate
from kaohe.cli.common import check_outputs, write_table
from kaohe.core import problems as problems_mod
from kaohe.core.errors import DataError, KaoheError
from kaohe.core.i18n import _
from kaohe.core.terminal import SafeStream

COMMAND_MODULES = (score, validate, report, analysis, template)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="kaohe",
        description="考核: score the annual target-responsibility assessment of the work units "
                    "by the rulebook, explain every point, and analyse the ranking.",
    )
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    for mod in COMMAND_MODULES:
        mod.register(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)  # user data never drives the terminal
    try:
        return _run(build_parser().parse_args(argv))  # argparse too echoes what was typed
    finally:
        sys.stdout, sys.stderr = out, err


def _run(args) -> int:
    try:
        check_outputs(args)
        return args.func(args)
    except DataError as e:
        print(e.message, file=sys.stderr)
        for line in problems_mod.format_problems(e.problems, limit=500):
            print("  " + line, file=sys.stderr)
        out = getattr(args, "problems", None)
        if out is not None:
            try:
                write_table(e.problems, out, "问题", "数据问题清单")
            except KaoheError as w:
                print(f"kaohe: {w}", file=sys.stderr)
        return 1
    except KaoheError as e:
        print(f"kaohe: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `kaohe score … | head`
        return 0
    except KeyboardInterrupt:  # Ctrl-C: one line, the shell's code for SIGINT
        print(_("kaohe: interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
