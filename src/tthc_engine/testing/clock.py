"""A business clock for tests: time that moves only when the test says, by working days
or working hours of the legal calendar.

    clock = BusinessClock("2025-03-03 09:00")         # Vietnam time when no offset is given
    app = OneStopShop(catalog=..., clock=clock)       # the application reads it for "now"
    clock.advance(working_days=3)                     # Thu 06/03 09:00 (the same clock time)
    clock.advance(working_hours=6)                    # Thu 06/03 17:00 → counted in office hours
    with clock.freeze():                              # code that reads the system clock
        datetime.now(VN_TZ)                           # … sees business time (freezegun)

Working days follow the calendar (``VietnamCalendar``: weekends, holidays, compensatory
days off and worked Saturdays) and keep the time of day, as an appointment slip prints a
due N working days later (DESIGN.md §3 rule 2); working hours run inside office hours only
(rule 3). Time never runs backwards: a test that sets an earlier instant gets an error,
because the dossier's rules would refuse its next command anyway (Rule.TIME_RUNS_FORWARD).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from tthc_engine.errors import InvalidInputError, MissingExtraError
from tthc_engine.worktime import VN_TZ, VietnamCalendar, ensure_aware

__all__ = ["BusinessClock", "instant"]


def instant(value: datetime | date | str, field: str = "at") -> datetime:
    """A business instant from a test's wording: an aware datetime; a date (its 00:00); or
    text ``2025-03-03 09:00`` / ``2025-03-03T09:00:00+07:00`` — text without an offset is
    Vietnam time (UTC+7). A naive ``datetime`` object is refused, as everywhere else."""
    if isinstance(value, datetime):
        return ensure_aware(value, field)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=VN_TZ)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            raise InvalidInputError(
                f"{field}: {value!r} is not a date-time like 2025-03-03 09:00"
            ) from None
        return parsed.replace(tzinfo=VN_TZ) if parsed.tzinfo is None else ensure_aware(parsed)
    raise InvalidInputError(f"{field}: expected a date-time, got {type(value).__name__}")


class BusinessClock:
    """Business time that a test moves (see the module docstring); call it for "now".

    Args:
        start: the first instant (default: Monday 03/03/2025 at the 07:00 opening).
        calendar: the working-day calendar (default ``VietnamCalendar()``).
    """

    def __init__(
        self,
        start: datetime | date | str = "2025-03-03 07:00",
        calendar: VietnamCalendar | None = None,
    ) -> None:
        self.calendar = calendar or VietnamCalendar()
        self._now = instant(start, "start")
        self._frozen: Any = None

    def __call__(self) -> datetime:
        return self._now

    @property
    def now(self) -> datetime:
        return self._now

    def __repr__(self) -> str:
        return f"BusinessClock({self._now.isoformat()})"

    def set(self, at: datetime | date | str) -> datetime:
        """Move to ``at`` (not earlier than now)."""
        when = instant(at)
        if when < self._now:
            raise InvalidInputError(
                f"at: {when.isoformat()} is before the clock's now ({self._now.isoformat()}); "
                "business time runs forward"
            )
        self._now = when
        if self._frozen is not None:
            self._frozen.move_to(when)
        return when

    def advance(
        self,
        *,
        working_days: int = 0,
        working_hours: float = 0,
        working_minutes: float = 0,
        days: int = 0,
        hours: float = 0,
        minutes: float = 0,
    ) -> datetime:
        """Move forward: first ``working_days`` (the same time of day on the N-th working day
        after today, BLDS 2015 Điều 147: today is not counted), then ``working_hours`` and
        ``working_minutes`` of office time, then plain ``days``, ``hours`` and ``minutes``."""
        if min(working_days, working_hours, working_minutes, days, hours, minutes) < 0:
            raise InvalidInputError("advance: business time runs forward (no negative amounts)")
        when = self._now
        cal = self.calendar
        if working_days:
            day = cal.add_working_days(when.date(), working_days)
            when = datetime.combine(day, when.timetz())
        office = timedelta(hours=working_hours, minutes=working_minutes)
        if office:
            when = cal.add_working_time(when, office)
        when += timedelta(days=days, hours=hours, minutes=minutes)
        return self.set(when)

    def to_opening(self, day: date | None = None) -> datetime:
        """Move to the opening of ``day`` (default: the next working day's, or today's if it
        is still ahead)."""
        cal = self.calendar
        if day is None:
            today = self._now.date()
            if cal.is_working_day(today) and cal.opening(today) >= self._now:
                day = today
            else:
                day = cal.next_working_day(today)
        return self.set(cal.opening(day))

    def to_closing(self) -> datetime:
        """Move to today's office close (the next working day's if today has none)."""
        cal = self.calendar
        today = self._now.date()
        day = today if cal.is_working_day(today) else cal.next_working_day(today)
        return self.set(cal.closing(day))

    @contextmanager
    def freeze(self) -> Iterator[BusinessClock]:
        """Make the system clock (``datetime.now``, ``time.time``…) follow this clock while
        the block runs, with freezegun (``pip install "tthc-engine[testing]"``)."""
        try:
            import freezegun
        except ImportError:
            raise MissingExtraError("BusinessClock.freeze (freezegun)", "testing") from None
        with freezegun.freeze_time(self._now) as frozen:
            self._frozen = frozen
            try:
                yield self
            finally:
                self._frozen = None
