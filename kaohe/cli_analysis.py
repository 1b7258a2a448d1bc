"""Sub-commands: compare, uncertainty (and other analysis commands). (Being written; see the open issue.)"""

from __future__ import annotations


def register(sub) -> None:
    """Add this module's sub-commands to the `kaohe` parser."""
