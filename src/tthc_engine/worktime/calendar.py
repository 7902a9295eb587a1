"""The civil-servant working-day calendar and the legal clock built on it.

Working days are Monday to Friday, minus statutory holidays (BLLĐ 2019 Điều 112,
BLLĐ 2012 Điều 115) and the days off of each year's official decision, plus the
Saturdays worked in exchange (làm bù). Limits in ngày làm việc skip every other day,
the "law provides otherwise" case of BLDS 2015 Điều 145.

Everything is answered from an index precomputed once per calendar value:

* ``rank[i]``: working days on or before day ``i`` of the range;
* ``workdays[k]``: the ordinal of the k-th working day;
* ``cum[i]``: office seconds before day ``i``, and each day's office intervals;

so that ``is_working_day``, ``add_working_days``, ``working_days_between`` and the
instant ↔ working-time mapping are O(1) (O(log n) for the inverse mapping), and the
same arrays serve the vectorised NumPy forms.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from tthc_engine.errors import CalendarRangeError, InvalidInputError
from tthc_engine.worktime.deadline import Deadline, Timeliness
from tthc_engine.worktime.hours import (
    DEFAULT_OFFICE_HOURS,
    OfficeHours,
    Season,
    hours_for_day,
    time_of_seconds,
)
from tthc_engine.worktime.limits import LimitUnit, TimeLimit
from tthc_engine.worktime.schedule import DayKind, DayNote, Schedule, load_schedule
from tthc_engine.worktime.timezone import VN_TZ, ensure_aware

__all__ = ["VietnamCalendar"]

_DAY = 86400
_HOURS_PER_WORKING_DAY = 8
"""1 ngày làm việc = 8 giờ làm việc (40-hour week; how systems store limits)."""


def _day_list(days: Iterable[date] | Mapping[date, str] | None) -> dict[date, str]:
    if days is None:
        return {}
    if isinstance(days, Mapping):
        return {d: str(n) for d, n in days.items()}
    return dict.fromkeys(days, "")


class VietnamCalendar:
    """An immutable working-day calendar for Vietnamese civil servants.

    Args:
        office_hours: the default working intervals of a day (07:00–11:30, 13:30–17:00).
        seasons: optional seasonal office hours (each from a (month, day) start).
        extra_days_off: tenant/province days off, a set of dates or {date: name}.
        extra_working_days: tenant/province worked days, a set of dates or {date: name}.

    Two calendars with the same content have the same :attr:`version` (a content hash
    that events store), compare equal and hash alike.
    """

    __slots__ = (
        "_base",
        "_closing",
        "_cum",
        "_hours",
        "_intervals",
        "_last",
        "_notes",
        "_np_rank",
        "_np_workdays",
        "_rank",
        "_schedule",
        "_seasons",
        "_version",
        "_workdays",
        "_working",
        "extra_days_off",
        "extra_working_days",
        "office_hours",
        "seasons",
    )

    def __init__(
        self,
        office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
        seasons: Iterable[Season] = (),
        extra_days_off: Iterable[date] | Mapping[date, str] | None = None,
        extra_working_days: Iterable[date] | Mapping[date, str] | None = None,
    ) -> None:
        schedule = load_schedule()
        self._schedule = schedule
        self.office_hours = office_hours
        self.seasons: tuple[Season, ...] = tuple(sorted(seasons, key=lambda s: s.start))
        off = _day_list(extra_days_off)
        worked = _day_list(extra_working_days)
        both = set(off) & set(worked)
        if both:
            raise InvalidInputError(
                f"extra_days_off and extra_working_days both contain {sorted(both)[0]}"
            )
        self.extra_days_off: Mapping[date, str] = off
        self.extra_working_days: Mapping[date, str] = worked

        first = date(schedule.first_year, 1, 1)
        last = date(schedule.last_year, 12, 31)
        for d in (*off, *worked):
            if not first <= d <= last:
                raise CalendarRangeError(
                    f"{d.isoformat()}: outside the calendar's data range "
                    f"{first.isoformat()}..{last.isoformat()}"
                )
        self._base = first.toordinal()
        self._last = last.toordinal()

        notes: dict[date, DayNote] = dict(schedule.days_off)
        notes.update(schedule.worked_days)
        for d, name in off.items():
            notes[d] = DayNote(
                d,
                DayKind.TENANT_DAY_OFF,
                name or "Ngày nghỉ của địa phương",
                name or "Local day off",
            )
        for d, name in worked.items():
            notes[d] = DayNote(
                d,
                DayKind.TENANT_WORKED_DAY,
                name or "Ngày làm việc của địa phương",
                name or "Local working day",
            )
        self._notes = notes

        n = self._last - self._base + 1
        working = [False] * n
        rank = [0] * n
        workdays: list[int] = []
        intervals: list[tuple[tuple[int, int], ...]] = [()] * n
        closing = [0] * n
        cum = [0] * (n + 1)
        total = 0
        for i in range(n):
            day = date.fromordinal(self._base + i)
            note = notes.get(day)
            if note is not None:
                is_work = note.kind in (DayKind.WORKED_DAY, DayKind.TENANT_WORKED_DAY)
            else:
                is_work = day.weekday() < 5
            working[i] = is_work
            if is_work:
                workdays.append(self._base + i)
                spans = hours_for_day(day, office_hours, self.seasons).seconds
                intervals[i] = spans
                closing[i] = spans[-1][1]
                total += sum(e - s for s, e in spans)
            rank[i] = len(workdays)
            cum[i + 1] = total
        self._working = working
        self._rank = rank
        self._workdays = workdays
        self._intervals = intervals
        self._closing = closing
        self._cum = cum
        self._hours = office_hours
        self._seasons = self.seasons
        self._np_rank = np.asarray(rank, dtype=np.int64)
        self._np_workdays = np.asarray(workdays, dtype=np.int64) - 719163  # → days since 1970
        digest = hashlib.sha256()
        digest.update(f"{first}..{last};hours={office_hours};".encode())
        for s in self.seasons:
            digest.update(f"season={s.start}:{s.hours};".encode())
        digest.update(bytes(working))
        digest.update(repr(sorted((d.isoformat(), n) for d, n in off.items())).encode())
        digest.update(repr(sorted((d.isoformat(), n) for d, n in worked.items())).encode())
        self._version = f"vn-{schedule.first_year}-{schedule.last_year}-{digest.hexdigest()[:12]}"

    # -- identity -----------------------------------------------------------------------
    @property
    def version(self) -> str:
        """A stable content hash; events store it so a replay can tell calendars apart."""
        return self._version

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VietnamCalendar) and other._version == self._version

    def __hash__(self) -> int:
        return hash(self._version)

    def __repr__(self) -> str:
        return f"VietnamCalendar(version={self._version!r}, office_hours='{self.office_hours}')"

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_version"):
            raise AttributeError("VietnamCalendar is immutable; build a new one")
        object.__setattr__(self, name, value)

    @property
    def first_day(self) -> date:
        return date.fromordinal(self._base)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self._last)

    @property
    def schedule(self) -> Schedule:
        return self._schedule

    # -- day primitives -----------------------------------------------------------------
    def _index(self, day: date, field: str = "date") -> int:
        i = day.toordinal() - self._base
        if i < 0 or day.toordinal() > self._last:
            raise CalendarRangeError(
                f"{field} {day.isoformat()}: outside the calendar's data range "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()} "
                "(no official schedule; the engine does not guess)"
            )
        return i

    def _workday(self, k: int, origin: date) -> date:
        if k < 0 or k >= len(self._workdays):
            raise CalendarRangeError(
                f"counting from {origin.isoformat()} runs past the calendar's data range "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
            )
        return date.fromordinal(self._workdays[k])

    def is_working_day(self, day: date) -> bool:
        """True for a civil-servant working day."""
        if isinstance(day, datetime):
            day = ensure_aware(day, "day").date()
        return self._working[self._index(day)]

    def note(self, day: date) -> DayNote | None:
        """Why ``day`` is special (holiday, decreed day off, worked Saturday…), if it is."""
        return self._notes.get(day)

    def is_provisional(self, day: date) -> bool:
        """True when ``day``'s year has no official schedule (statute only)."""
        return self._schedule.is_provisional_year(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self._workday(self._rank[self._index(day)], day)

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        i = self._index(day)
        return self._workday(self._rank[i] - self._working[i] - 1, day)

    def add_working_days(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (before it when ``n`` < 0).

        ``day`` itself is never counted (BLDS 2015 Điều 147: the first day is not counted);
        ``n == 0`` returns ``day``.
        """
        i = day.toordinal() - self._base
        if i < 0 or i >= len(self._rank):
            self._index(day)
        if n > 0:
            k = self._rank[i] + n - 1
        elif n < 0:
            k = self._rank[i] - self._working[i] + n
        else:
            return day
        if k < 0 or k >= len(self._workdays):
            self._workday(k, day)
        return date.fromordinal(self._workdays[k])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open span (``start``, ``end``]; negative when reversed.

        ``add_working_days(a, working_days_between(a, b)) == b`` for a working day ``b``.
        """
        return self._rank[self._index(end, "end")] - self._rank[self._index(start, "start")]

    def working_days_in(self, start: date, end: date) -> list[date]:
        """The working days of the closed span [``start``, ``end``]."""
        i, j = self._index(start, "start"), self._index(end, "end")
        lo = self._rank[i] - self._working[i]
        return [date.fromordinal(o) for o in self._workdays[lo : self._rank[j]]]

    # -- instants and working time ------------------------------------------------------
    def office_hours_of(self, day: date) -> OfficeHours:
        """The office hours that apply on ``day`` (season-aware)."""
        return hours_for_day(day, self.office_hours, self.seasons)

    def opening(self, day: date) -> datetime:
        """The first opening instant of a working ``day``."""
        i = self._index(day)
        if not self._working[i]:
            raise InvalidInputError(f"{day.isoformat()} is not a working day")
        return self._at(i, self._intervals[i][0][0])

    def closing(self, day: date) -> datetime:
        """The office close of a working ``day``."""
        i = self._index(day)
        if not self._working[i]:
            raise InvalidInputError(f"{day.isoformat()} is not a working day")
        return self._at(i, self._closing[i])

    def _at(self, i: int, seconds: int) -> datetime:
        d = date.fromordinal(self._base + i)
        if seconds >= _DAY:
            return datetime(d.year, d.month, d.day, tzinfo=VN_TZ) + timedelta(seconds=seconds)
        return datetime(
            d.year, d.month, d.day, seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=VN_TZ
        )

    def is_office_time(self, at: datetime) -> bool:
        """True when ``at`` falls inside office hours of a working day (close excluded)."""
        at = ensure_aware(at)
        i = self._index(at.date(), "at")
        sec = at.hour * 3600 + at.minute * 60 + at.second
        return any(s <= sec < e for s, e in self._intervals[i])

    def effective_start(self, at: datetime, cutoff: time | None = None) -> datetime:
        """The instant from which a receipt at ``at`` is counted.

        A receipt inside office hours counts from itself; before opening, in a break,
        after the close or on a day off it counts from the next opening (DESIGN §3 rule 1).
        With a ``cutoff`` (e.g. 15:00, ND 23/2015 Điều 7; ND 61/2018 Điều 18), a receipt
        after it counts from the next working day's opening.
        """
        at = ensure_aware(at)
        i = self._index(at.date(), "at")
        sec = at.hour * 3600 + at.minute * 60 + at.second + at.microsecond / 1e6
        if self._working[i]:
            if cutoff is not None and sec > cutoff.hour * 3600 + cutoff.minute * 60:
                pass  # after the cut-off: next working day
            else:
                for s, e in self._intervals[i]:
                    if sec < s:
                        return self._at(i, s)
                    if sec < e:
                        return at
        nxt = self._rank[i]
        if nxt >= len(self._workdays):
            self._workday(nxt, at.date())
        j = self._workdays[nxt] - self._base
        return self._at(j, self._intervals[j][0][0])

    def working_position(self, at: datetime) -> float:
        """Office seconds elapsed from the start of the range until ``at``."""
        at = ensure_aware(at)
        i = self._index(at.date(), "at")
        sec = at.hour * 3600 + at.minute * 60 + at.second + at.microsecond / 1e6
        pos: float = self._cum[i]
        for s, e in self._intervals[i]:
            if sec <= s:
                break
            pos += min(sec, e) - s
        return pos

    def instant_at_position(self, position: float) -> datetime:
        """The earliest instant whose working position is ``position``.

        A position that lands exactly on a close stays at that close (DESIGN §3 rule 3).
        """
        cum = self._cum
        if position <= 0 or position > cum[-1]:
            raise CalendarRangeError(
                "working time runs past the calendar's data range "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
            )
        i = bisect_left(cum, position) - 1
        rest = position - cum[i]
        for s, e in self._intervals[i]:
            if rest <= e - s:
                whole = s + rest
                base = self._at(i, 0)
                return base + timedelta(seconds=whole)
            rest -= e - s
        raise AssertionError("unreachable: position inside a day's office time")  # pragma: no cover

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time between two instants (negative when ``end`` is before ``start``)."""
        return timedelta(seconds=self.working_position(end) - self.working_position(start))

    def add_working_time(self, at: datetime, duration: timedelta) -> datetime:
        """``at`` plus ``duration`` of office time (e.g. the remainder after a pause)."""
        if duration < timedelta(0):
            raise InvalidInputError(f"duration: must not be negative ({duration})")
        if duration == timedelta(0):
            return at
        return self.instant_at_position(self.working_position(at) + duration.total_seconds())

    # -- deadlines ----------------------------------------------------------------------
    def _same_clock(self, day: date, clock: datetime) -> datetime:
        """``clock``'s time of day on ``day``, kept inside that day's office hours."""
        i = self._index(day, "due")
        sec = clock.hour * 3600 + clock.minute * 60 + clock.second
        spans = self._intervals[i]
        if spans is self._intervals[clock.toordinal() - self._base] or any(
            s <= sec <= e for s, e in spans
        ):
            return datetime(
                day.year,
                day.month,
                day.day,
                clock.hour,
                clock.minute,
                clock.second,
                clock.microsecond,
                tzinfo=VN_TZ,
            )
        # seasonal hours differ: before opening → opening; in a gap/after close → last close
        chosen = spans[0][0]
        for s, e in spans:
            if sec >= s:
                chosen = min(sec, e)
        return self._at(i, chosen)

    def due(
        self, received_at: datetime, limit: TimeLimit | str, cutoff: time | None = None
    ) -> Deadline:
        """The due instant (hẹn trả kết quả) of a dossier received at ``received_at``.

        Semantics (DESIGN §3):
          1. receipt outside office hours counts from the next opening;
          2. ngày làm việc: the receipt day is not counted (BLDS 2015 Điều 147), due at the
             same clock time on the N-th working day; fractions are 8-hour days;
          3. giờ làm việc: counted inside office hours, a due on a close stays there;
          4. ngày: receipt date + N; a last day off rolls to the next working day
             (BLDS 2015 Điều 148); due at office close;
          5. trong ngày: office close of the receipt day, of the next working day when
             received after the cut-off (ND 23/2015 Điều 7) or outside a working day.
        """
        if isinstance(limit, str):
            limit = TimeLimit.parse(limit)
        at = ensure_aware(received_at, "received_at")
        cut = cutoff if cutoff is not None else limit.cutoff
        start = self.effective_start(at, cut)
        unit = limit.unit
        if unit is LimitUnit.WORKING_DAYS:
            whole = int(limit.amount)
            due_day = self.add_working_days(start.date(), whole)
            due_at = self._same_clock(due_day, start) if whole else start
            fraction = limit.amount - whole
            if fraction:
                due_at = self.add_working_time(
                    due_at, timedelta(hours=float(fraction * _HOURS_PER_WORKING_DAY))
                )
        elif unit is LimitUnit.WORKING_HOURS:
            due_at = self.instant_at_position(
                self.working_position(start) + float(limit.amount * 3600)
            )
        elif unit is LimitUnit.SAME_DAY:
            due_at = self.closing(start.date())
        else:
            if unit is LimitUnit.CALENDAR_DAYS:
                last = start.date() + timedelta(days=int(limit.amount))
            else:
                last = start.date() + relativedelta(months=int(limit.amount))
            i = self._index(last, "due")
            if not self._working[i]:
                last = self.next_working_day(last)
            due_at = self.closing(last)
        return Deadline(self, at, limit, cut, start, due_at)

    def extend_by_pause(
        self, due_at: datetime, paused_at: datetime, resumed_at: datetime
    ) -> datetime:
        """The due instant after a pause that does not count (DESIGN §3 rule 6).

        The office time consumed before ``paused_at`` is kept; the remainder
        (``due_at`` − ``paused_at`` in office time) runs from the resume.
        """
        paused_at = ensure_aware(paused_at, "paused_at")
        resumed_at = ensure_aware(resumed_at, "resumed_at")
        if resumed_at < paused_at:
            raise InvalidInputError("resumed_at: a pause cannot end before it starts")
        if paused_at >= due_at:
            return due_at
        shift = self.working_position(resumed_at) - self.working_position(paused_at)
        if shift <= 0:
            return due_at
        return self.instant_at_position(self.working_position(due_at) + shift)

    # -- timeliness ---------------------------------------------------------------------
    def classify(self, finished_at: datetime, due_at: datetime, by: str = "date") -> Timeliness:
        """Early / on time / late (trước hạn / đúng hạn / quá hạn).

        By **date** as QĐ 766/QĐ-TTg compares NgayKetThucXuLy with NgayHenTra (default);
        ``by="datetime"`` compares instants.
        """
        finished_at = ensure_aware(finished_at, "finished_at")
        due_at = ensure_aware(due_at, "due_at")
        if by == "date":
            a, b = finished_at.date(), due_at.date()
            if a < b:
                return Timeliness.EARLY
            return Timeliness.ON_TIME if a == b else Timeliness.LATE
        if by != "datetime":
            raise InvalidInputError(f"by: expected 'date' or 'datetime', got {by!r}")
        if finished_at < due_at:
            return Timeliness.EARLY
        return Timeliness.ON_TIME if finished_at == due_at else Timeliness.LATE

    def late_by(self, finished_at: datetime, due_at: datetime) -> int:
        """Working days of lateness: working days in (due date, finished date], at least 1
        when finished on a later date; 0 when not late by date."""
        finished_at = ensure_aware(finished_at, "finished_at")
        due_at = ensure_aware(due_at, "due_at")
        if finished_at.date() <= due_at.date():
            return 0
        return max(1, self.working_days_between(due_at.date(), finished_at.date()))

    # -- vectorised forms (NumPy) -------------------------------------------------------
    def _np_index(self, days: NDArray[np.datetime64]) -> NDArray[np.int64]:
        idx = days.astype("datetime64[D]").astype(np.int64) - (self._base - 719163)
        if idx.size and (idx.min() < 0 or idx.max() >= len(self._rank)):
            raise CalendarRangeError(
                "dates outside the calendar's data range "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
            )
        return idx

    def is_working_day_array(self, days: NDArray[np.datetime64]) -> NDArray[np.bool_]:
        """Vectorised :meth:`is_working_day` over ``datetime64[D]`` values."""
        idx = self._np_index(np.asarray(days))
        rank = self._np_rank
        prev = np.where(idx > 0, rank[np.maximum(idx - 1, 0)], 0)
        return np.asarray(rank[idx] != prev)

    def add_working_days_array(
        self, days: NDArray[np.datetime64], n: NDArray[np.integer] | int
    ) -> NDArray[np.datetime64]:
        """Vectorised :meth:`add_working_days`: same answers, element by element."""
        days = np.asarray(days, dtype="datetime64[D]")
        idx = self._np_index(days)
        steps = np.broadcast_to(np.asarray(n, dtype=np.int64), idx.shape)
        rank = self._np_rank[idx]
        working = self.is_working_day_array(days).astype(np.int64)
        k = np.where(steps > 0, rank + steps - 1, rank - working + steps)
        if k.size and (k.min() < 0 or k.max() >= len(self._workdays)):
            raise CalendarRangeError("counting runs past the calendar's data range")
        out = self._np_workdays[k].astype("datetime64[D]")
        return np.where(steps == 0, days, out)

    def working_days_between_array(
        self, start: NDArray[np.datetime64], end: NDArray[np.datetime64]
    ) -> NDArray[np.int64]:
        """Vectorised :meth:`working_days_between`."""
        return np.asarray(
            self._np_rank[self._np_index(np.asarray(end))]
            - self._np_rank[self._np_index(np.asarray(start))]
        )

    # -- explanation support ------------------------------------------------------------
    def days_between(self, start: date, end: date) -> list[date]:
        """All dates of (``start``, ``end``]."""
        return [start + timedelta(days=k) for k in range(1, (end - start).days + 1)]

    def time_of(self, seconds: int) -> time:
        return time_of_seconds(seconds)


def working_hours_of(limit: TimeLimit) -> Decimal:
    """A limit in working hours (8 per working day), as systems store it."""
    if limit.unit is LimitUnit.WORKING_HOURS:
        return limit.amount
    if limit.unit is LimitUnit.WORKING_DAYS:
        return limit.amount * _HOURS_PER_WORKING_DAY
    raise InvalidInputError(f"{limit}: only working-day and working-hour limits convert to hours")
