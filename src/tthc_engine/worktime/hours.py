"""Office hours (giờ làm việc) of a one-stop counter and its agencies.

The law fixes a 40-hour, five-day week for state agencies (8 hours a day) but leaves
the clock times to each province, which often change them with the season. The
default follows a common provincial schedule, 07:00–11:30 and 13:30–17:00.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time

import attrs

from tthc_engine.errors import InvalidInputError

__all__ = ["DEFAULT_OFFICE_HOURS", "OfficeHours", "Season"]

_SPAN = re.compile(r"^\s*(\d{1,2})[:hH](\d{2})?\s*[-–]\s*(\d{1,2})[:hH](\d{2})?\s*$")


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def clock_seconds(t: time | datetime) -> float:
    """Seconds since midnight of a clock time, its fraction of a second included (a receipt
    at 11:00:00.5 is past an 11:00 close); a whole number when there is no fraction."""
    sec: float = t.hour * 3600 + t.minute * 60 + t.second
    if t.microsecond:
        sec += t.microsecond / 1e6
    return sec


def _time_of(seconds: int) -> time:
    if seconds >= 86400:
        return time(23, 59, 59)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _spans(spans: Iterable[tuple[time, time]]) -> tuple[tuple[time, time], ...]:
    return tuple((s, e) for s, e in spans)


@attrs.frozen
class OfficeHours:
    """The working intervals of one day, e.g. ``07:00–11:30`` and ``13:30–17:00``."""

    intervals: tuple[tuple[time, time], ...] = attrs.field(converter=_spans)

    def __attrs_post_init__(self) -> None:
        if not self.intervals:
            raise InvalidInputError("office_hours: at least one interval is needed")
        previous_end = -1
        for start, end in self.intervals:
            if not (isinstance(start, time) and isinstance(end, time)):
                raise InvalidInputError("office_hours: intervals are (time, time) pairs")
            if _seconds(start) >= _seconds(end):
                raise InvalidInputError(
                    f"office_hours: interval {start:%H:%M}-{end:%H:%M} ends before it starts"
                )
            if _seconds(start) <= previous_end:
                raise InvalidInputError(
                    "office_hours: intervals must be in order and must not overlap"
                )
            previous_end = _seconds(end)

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Read ``"07:00-11:30, 13:30-17:00"`` (also ``7h-11h30``)."""
        spans: list[tuple[time, time]] = []
        for part in text.split(","):
            m = _SPAN.match(part)
            if not m:
                raise InvalidInputError(
                    f"office_hours: cannot read {part.strip()!r}; expected HH:MM-HH:MM"
                )
            h1, m1, h2, m2 = m.groups()
            try:
                spans.append((time(int(h1), int(m1 or 0)), time(int(h2), int(m2 or 0))))
            except ValueError as exc:
                raise InvalidInputError(f"office_hours: {part.strip()!r}: {exc}") from exc
        return cls(spans)

    @property
    def seconds(self) -> tuple[tuple[int, int], ...]:
        """The intervals as seconds since midnight."""
        return tuple((_seconds(s), _seconds(e)) for s, e in self.intervals)

    @property
    def opening(self) -> time:
        return self.intervals[0][0]

    @property
    def closing(self) -> time:
        return self.intervals[-1][1]

    @property
    def working_seconds(self) -> int:
        return sum(e - s for s, e in self.seconds)

    def __str__(self) -> str:
        return ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in self.intervals)


DEFAULT_OFFICE_HOURS = OfficeHours(((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))))


@attrs.frozen
class Season:
    """Office hours that apply every year from ``start`` = (month, day) until the next season."""

    start: tuple[int, int]
    hours: OfficeHours

    def __attrs_post_init__(self) -> None:
        month, day = self.start
        try:
            date(2024, month, day)  # a leap year accepts every valid (month, day)
        except ValueError as exc:
            raise InvalidInputError(f"season start {self.start}: {exc}") from exc


def hours_for_day(day: date, default: OfficeHours, seasons: Iterable[Season]) -> OfficeHours:
    """The office hours of ``day``: the season that started last, cycling over the year."""
    ordered = sorted(seasons, key=lambda s: s.start)
    if not ordered:
        return default
    key = (day.month, day.day)
    chosen = ordered[-1]  # before the first start of the year, last year's last season runs
    for season in ordered:
        if season.start <= key:
            chosen = season
    return chosen.hours


def time_of_seconds(seconds: int) -> time:
    """Inverse of the seconds-since-midnight encoding used by the index."""
    return _time_of(seconds)
