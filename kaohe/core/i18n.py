"""One message catalog: every word a user reads goes through :func:`_`.

Messages are written in English in the code (gettext msgids) and translated in the catalog
``kaohe/locale/<lang>/LC_MESSAGES/kaohe.po`` (compiled to ``kaohe.mo`` with Babel, see README).
Chinese (``zh_CN``) is the language whatever the machine's locale; ``en`` gives the msgids
themselves. The language is chosen, in this order, by :func:`set_language` (the CLI's ``--lang``,
the notebooks' ``lang`` parameter), then the environment variable ``KAOHE_LANG``.
"""

from __future__ import annotations

import contextlib
import gettext
import os
from pathlib import Path

DOMAIN = "kaohe"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("zh_CN", "en")
DEFAULT = "zh_CN"
ENV = "KAOHE_LANG"

_ALIASES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "cn": "zh_CN", "en": "en", "en_us": "en",
            "en-us": "en", "en_gb": "en"}
_current: gettext.NullTranslations | None = None
_lang: str | None = None


def normalize(lang: str | None) -> str:
    """``zh``, ``zh-CN``, ``zh_CN`` → ``zh_CN``; ``en``, ``en_US`` → ``en``; ValueError otherwise."""
    if lang is None or not str(lang).strip():
        return DEFAULT
    key = str(lang).strip().split(".")[0].lower()
    if key in _ALIASES:
        return _ALIASES[key]
    msg = N_("unknown language {lang!r}: {choices}")
    msg = _current.gettext(msg) if _current is not None else msg
    raise ValueError(msg.format(lang=lang, choices=", ".join(LANGUAGES)))


def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def set_language(lang: str | None = None) -> str:
    """Use ``lang`` (None: ``KAOHE_LANG``, else Chinese) from now on; returns the language."""
    global _current, _lang
    _lang = normalize(lang if lang is not None else os.environ.get(ENV))
    _current = _translations(_lang)
    return _lang


def language() -> str:
    """The language in use (``zh_CN`` or ``en``)."""
    if _lang is None:
        set_language()
    return _lang


def _(message: str) -> str:
    """``message`` (an English msgid) in the language in use."""
    if _current is None:
        set_language()
    return _current.gettext(message)


def enumeration(items) -> str:
    """Items joined as an enumeration: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return ("、" if language().startswith("zh") else ", ").join(map(str, items))


@contextlib.contextmanager
def speaking(lang: str):
    """Within the block, words are in ``lang`` (e.g. the Chinese names of a CSV's ``zh``
    column under ``--lang en``); the language in use before is restored after it."""
    before = language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def translate(message: str, lang: str) -> str:
    """``message`` in the language ``lang`` (whatever the language in use)."""
    return _translations(normalize(lang)).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n``, in the language in use."""
    if _current is None:
        set_language()
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it now (translate with :func:`_` later)."""
    return message


def route_argparse() -> None:
    """Make argparse speak our language: its own words (``usage:``, ``options``, ``error:``, "the
    following arguments are required" …) are looked up in our catalog (their msgids are in it)."""
    import argparse

    argparse._ = _
    argparse.ngettext = ngettext


def lang_from_argv(argv: list[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` anywhere in ``argv`` (None if absent)."""
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


# argparse's own words, extracted with our messages (the msgids are argparse's, Python 3.11+)
_ARGPARSE = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"), N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"), N_("expected at most one argument"), N_("expected at least one argument"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
)


def extract_notebook(fileobj, keywords, comment_tags, options):
    """Babel extractor of a report notebook's messages (``babel.cfg``): each markdown cell's
    ``kaohe.msgid`` and the ``tr("…")`` calls of its code cells."""
    import io
    import json

    from babel.messages.extract import extract_python

    nb = json.load(fileobj)
    for i, cell in enumerate(nb.get("cells", [])):
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            msgid = cell.get("metadata", {}).get("kaohe", {}).get("msgid")
            if msgid:
                yield i + 1, None, msgid, [f"markdown cell {i + 1}"]
        elif cell.get("cell_type") == "code":
            for _line, func, msg, comments in extract_python(io.BytesIO(source.encode("utf-8")), keywords,
                                                             comment_tags, options):
                yield i + 1, func, msg, comments
