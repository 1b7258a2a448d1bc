"""Text for a terminal: user data never drives it.

A unit named ``\\x1b]0;pwned\\x07\\x1b[2J红`` would set the terminal's title and clear its
screen if printed raw. :func:`escape_controls` renders every C0/C1 control character (except
tab and line feed), DEL and the bidirectional overrides as visible escapes (``\\x1b``,
``\\u202e``); :class:`SafeStream` applies it to everything written to stdout/stderr, so that
tables, summaries, explanations and error messages are all covered by one mechanism.
"""

from __future__ import annotations

import os
import re

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape_controls(text: str) -> str:
    """``text`` with control characters (all but tab and line feed) as visible escapes."""
    return _CONTROLS.sub(_visible, text)


# The same characters in UTF-8: one-byte controls, and the others by their lead byte and what
# follows (C1: C2 80–9F; U+061C: D8 9C; U+200E/F, U+202A–E: E2 80 …; U+2066–9: E2 81 …).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_CONTROL_SEQUENCES = [(lead, re.compile(lead + rest)) for lead, rest in (
    (b"\xc2", rb"[\x80-\x9f]"), (b"\xd8", rb"\x9c"), (b"\xe2", rb"(?:\x80[\x8e\x8f\xaa-\xae]|\x81[\xa6-\xa9])"))]


def holds_controls(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds a character :func:`escape_controls` renders: a table pass,
    and a search only where a lead byte occurs at all (a few ms for megabytes, a third of
    the text regex's time)."""
    return (len(data.translate(None, _CONTROL_BYTES)) != len(data)
            or any(lead in data and p.search(data) for lead, p in _CONTROL_SEQUENCES))


class SafeStream:
    """A text stream that writes through :func:`escape_controls` (``raw``: the stream itself,
    for progress bars that move the cursor)."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, s: str) -> int:
        self.raw.write(escape_controls(s))
        return len(s)

    def write_utf8(self, data: bytes) -> None:
        """UTF-8 text (a large CSV) written as it is when it holds no control character
        and the stream is UTF-8 with ``\\n`` line ends (no decoding and encoding again), else
        through :meth:`write`."""
        buf = getattr(self.raw, "buffer", None)
        utf8 = (getattr(self.raw, "encoding", None) or "").lower().replace("-", "") == "utf8"
        if buf is None or not utf8 or os.linesep != "\n" or holds_controls(data):
            self.write(data.decode("utf-8"))
            return
        self.raw.flush()  # what the text layer holds goes first
        buf.write(data)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self.raw, name)
