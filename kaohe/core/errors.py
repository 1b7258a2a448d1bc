"""Errors a user can cause. The CLI prints them without a traceback."""

from __future__ import annotations

import errno

from kaohe.core.i18n import N_, _

_OS_REASONS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("the operation is not permitted"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is used up"),
    errno.EROFS: N_("the disk is read-only"),
    errno.EEXIST: N_("it exists already"),
    errno.ENAMETOOLONG: N_("the name is too long"),
    errno.EBUSY: N_("it is in use by another program"),
    errno.EIO: N_("the disk could not be read or written"),
    errno.EMFILE: N_("too many files are open"),
    errno.ENFILE: N_("too many files are open"),
    errno.EINVAL: N_("the name or path is not valid here"),
    errno.EADDRNOTAVAIL: N_("the address is not available"),
    errno.ENETUNREACH: N_("the network is unreachable"),
    errno.ECONNREFUSED: N_("the connection was refused"),
}


class KaoheError(Exception):
    """A problem with the user's input, with one line per detail."""

    def __init__(self, message: str, details: list[str] | tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.details = list(details)

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  - {d}" for d in self.details)])


class DataError(KaoheError):
    """A data set has problems; ``problems`` is a DataFrame with one row per problem.

    Columns: file, sheet, row (as the user sees it: CSV line / Excel row), column, value,
    expected.
    """

    def __init__(self, message: str, problems):
        super().__init__(message)
        self.problems = problems

    def __str__(self) -> str:
        from kaohe.core.problems import format_problems

        return "\n".join([self.message, *format_problems(self.problems)])


def os_reason(e: OSError) -> str:
    """Why the system refused, in the user's language (the system's own text is English): the
    common causes by their error number, else the system's text."""
    reason = _OS_REASONS.get(e.errno)
    return _(reason) if reason else (e.strerror or type(e).__name__)
