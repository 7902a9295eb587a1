"""Every error tthc-engine raises, under one base class.

Messages name the field (or file/line) and the rule that was broken, so that a
one-stop-shop developer or an analyst can act on them without reading our code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date


def shown(value: object, width: int = 60) -> str:
    """``repr(value)`` cut to ``width`` characters, for an error message: a message names
    the field and the problem, and never carries a caller's megabytes back to a log."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def kind_of(value: object) -> str:
    """What a value read from a data file (YAML, TOML, JSON) is, for "expected …, got …":
    ``nothing``, ``a mapping``, ``a list``, or the text, flag or number itself."""
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, bool):
        return f"{value!r}"
    if isinstance(value, Sequence):
        return "a list"
    return f"{type(value).__name__} {value!r}"


class TthcError(Exception):
    """Base class of every error raised by tthc-engine."""


class InvalidInputError(TthcError, ValueError):
    """A value handed to the engine is malformed (wrong type, bad format)."""


class NaiveDatetimeError(InvalidInputError):
    """A datetime without a time zone was given; business time must be aware (UTC+7)."""


class MissingExtraError(TthcError, ImportError):
    """A feature needs an optional extra that is not installed (``pip install
    "tthc-engine[<extra>]"``)."""

    def __init__(self, feature: str, extra: str) -> None:
        self.extra = extra
        super().__init__(f'{feature} needs the "{extra}" extra: pip install "tthc-engine[{extra}]"')


class CalendarRangeError(TthcError, ValueError):
    """A date lies outside the years the working-day calendar has data for."""


class TimeLimitParseError(InvalidInputError):
    """The wording of a time limit (thời hạn giải quyết) could not be understood."""


class CalendarDataError(TthcError):
    """The shipped or a tenant's schedule data is inconsistent."""


class CatalogError(TthcError):
    """The procedure catalog (danh mục thủ tục hành chính) cannot be used as given."""


class CatalogValidationError(CatalogError, ValueError):
    """A catalog file or mapping has problems; ``problems`` lists every one of them.

    Each problem reads ``<file>:<entry>:<field>: <message>``, e.g.
    ``nghe-an.yaml:procedures[1.001193]:steps[1].allotted: ...``.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the procedure catalog"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class UnknownProcedureError(CatalogError, KeyError):
    """No procedure with this national code (mã thủ tục) is in the catalog."""

    def __init__(self, code: str, suggestions: tuple[str, ...] = ()) -> None:
        self.code = code
        self.suggestions = tuple(suggestions)
        message = f"unknown procedure code {shown(code)}: it is not in the catalog"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return self.message


class ProcedureNotInForceError(CatalogError):
    """The catalog knows the procedure, but none of its versions is in force on that day.

    A catalog may list several versions of one national code with validity periods
    that do not overlap (``valid_from``/``valid_to``, both inclusive). ``periods`` lists
    them as ``(valid_from, valid_to)`` pairs in order; ``None`` is an open end.
    """

    def __init__(
        self,
        code: str,
        day: date,
        periods: tuple[tuple[date | None, date | None], ...],
    ) -> None:
        self.code = code
        self.day = day
        self.periods = tuple(periods)
        listed = "; ".join(_period_text(start, end) for start, end in self.periods) or "none"
        super().__init__(
            f"procedure {shown(code)} is not in force on {day.isoformat()}: "
            f"its versions in the catalog are in force {listed}"
        )


def _period_text(start: date | None, end: date | None) -> str:
    """``from 2021-12-06 to 2025-06-30`` (both days included), with open ends said so."""
    head = f"from {start.isoformat()}" if start is not None else "from no start date"
    tail = f"to {end.isoformat()}" if end is not None else "with no end date"
    return f"{head} {tail}"
