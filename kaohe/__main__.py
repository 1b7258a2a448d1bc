"""``python -m kaohe``: the kaohe command."""

from kaohe.cli import console

console()
