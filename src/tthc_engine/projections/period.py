"""Report periods and the segments (months) they are cut into.

A period is ``[from 00:00, to 24:00)`` in UTC+7 (DESIGN.md §7). It is cut at each month's
first day into *segments*: a month report is one segment; a quarter is three. Every count
of the report is kept per segment and per segment's groups, and a period's report is the
combination of its segments (:mod:`tthc_engine.projections.tally`), so monthly figures
closed at each month's end add up to the quarter and the year — the way one-stop offices
close their monthly figures ("chốt số liệu") — and a projection kept per month answers any
month-aligned period.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import attrs

from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import VN_TZ, ensure_aware

__all__ = ["Period", "Segment", "month_key", "month_start", "next_month_start"]

JUST_BEFORE = timedelta(microseconds=1)
"""A segment is judged at its end minus this: the last instant of its last day."""


def month_key(day: date) -> str:
    """``YYYY-MM`` of ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month_start(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


@attrs.frozen
class Segment:
    """``[start, end)`` inside one month; judged at :attr:`as_of`."""

    index: int
    key: str
    """The month, ``YYYY-MM``."""
    start: datetime
    end: datetime

    @property
    def as_of(self) -> datetime:
        """The last instant of the segment, at which its open dossiers are judged."""
        return self.end - JUST_BEFORE


@attrs.frozen
class Period:
    """The days ``first``..``last`` (inclusive), cut into month segments."""

    first: date
    last: date
    segments: tuple[Segment, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInputError(
                f"period: --to {self.last.isoformat()} is before --from {self.first.isoformat()}"
            )
        cuts: list[date] = [self.first]
        day = next_month_start(self.first)
        end = self.last + timedelta(days=1)
        while day < end:
            cuts.append(day)
            day = next_month_start(day)
        cuts.append(end)
        segments = tuple(
            Segment(i, month_key(a), _midnight(a), _midnight(b))
            for i, (a, b) in enumerate(itertools.pairwise(cuts))
        )
        object.__setattr__(self, "segments", segments)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, next_month_start(first) - timedelta(days=1))

    @classmethod
    def parse(cls, first: str | None, last: str | None) -> Period:
        """``--from``/``--to`` as ``YYYY-MM-DD`` (or ``YYYY-MM`` for a whole month)."""
        if first is None or last is None:
            raise InvalidInputError("period: give both --from and --to (YYYY-MM-DD)")
        return cls(_day(first, "--from", start=True), _day(last, "--to", start=False))

    @property
    def start(self) -> datetime:
        return self.segments[0].start

    @property
    def end(self) -> datetime:
        return self.segments[-1].end

    def segment_of(self, at: datetime) -> Segment | None:
        """The segment holding ``at`` (None outside the period)."""
        at = ensure_aware(at, "at")
        if not self.start <= at < self.end:
            return None
        for segment in self.segments:
            if at < segment.end:
                return segment
        return None  # pragma: no cover - unreachable

    def boundaries(self) -> Iterator[datetime]:
        """The segments' ends, in order (the last is the period's end)."""
        for segment in self.segments:
            yield segment.end

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _day(text: str, option: str, *, start: bool) -> date:
    text = text.strip()
    m = _MONTH.match(text)
    try:
        if m:
            first = date(int(m.group(1)), int(m.group(2)), 1)
            return first if start else next_month_start(first) - timedelta(days=1)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(
            f"{option}: {text!r} is not a date YYYY-MM-DD (or a month YYYY-MM)"
        ) from None
