"""Every error tthc-engine raises, under one base class.

Messages name the field (or file/line) and the rule that was broken, so that a
one-stop-shop developer or an analyst can act on them without reading our code.
"""

from __future__ import annotations


class TthcError(Exception):
    """Base class of every error raised by tthc-engine."""


class InvalidInputError(TthcError, ValueError):
    """A value handed to the engine is malformed (wrong type, bad format)."""


class NaiveDatetimeError(InvalidInputError):
    """A datetime without a time zone was given; business time must be aware (UTC+7)."""


class CalendarRangeError(TthcError, ValueError):
    """A date lies outside the years the working-day calendar has data for."""


class TimeLimitParseError(InvalidInputError):
    """The wording of a time limit (thời hạn giải quyết) could not be understood."""


class CalendarDataError(TthcError):
    """The shipped or a tenant's schedule data is inconsistent."""
