"""Errors a user can cause. The CLI prints them without a traceback."""

from __future__ import annotations


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
