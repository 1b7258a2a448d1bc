"""The ``kaohe`` command. A leaf package: nothing in kaohe imports it. Each module adds its
sub-commands with ``register(subparsers)``; :mod:`.common` holds what they share. User mistakes
end with a clear message and a non-zero exit code, never a traceback."""

from __future__ import annotations

import argparse
import sys

from kaohe.cli import analysis, notice, report, score, template, validate
from kaohe.cli.common import write_table
from kaohe.core import problems as problems_mod
from kaohe.core.errors import DataError, KaoheError

COMMAND_MODULES = (score, validate, report, analysis, template, notice)


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
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as e:
        print(e.message, file=sys.stderr)
        for line in problems_mod.format_problems(e.problems, limit=500):
            print("  " + line, file=sys.stderr)
        out = getattr(args, "problems", None)
        if out is not None:
            write_table(e.problems, out, "问题", "数据问题清单")
        return 1
    except KaoheError as e:
        print(f"kaohe: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `kaohe score … | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
