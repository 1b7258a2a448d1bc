"""Text for a terminal: user data never drives it.

A unit named ``\\x1b]0;pwned\\x07\\x1b[2J红`` would set the terminal's title and clear its
screen if printed raw. :func:`escape_controls` renders every C0/C1 control character (except
tab and line feed), DEL and the bidirectional overrides as visible escapes (``\\x1b``,
``\\u202e``); :class:`SafeStream` applies it to everything written to stdout/stderr, so that
tables, summaries, explanations and error messages are all covered by one mechanism.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape_controls(text: str) -> str:
    """``text`` with control characters (all but tab and line feed) as visible escapes."""
    return _CONTROLS.sub(_visible, text)


class SafeStream:
    """A text stream that writes through :func:`escape_controls` (``raw``: the stream itself,
    for progress bars that move the cursor)."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, s: str) -> int:
        self.raw.write(escape_controls(s))
        return len(s)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self.raw, name)
