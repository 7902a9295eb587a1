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
from functools import cache

import numpy as np
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from tthc_engine.errors import CalendarRangeError, InvalidInputError, shown
from tthc_engine.worktime.deadline import Comparison, Deadline, Timeliness
from tthc_engine.worktime.hours import (
    DEFAULT_OFFICE_HOURS,
    OfficeHours,
    Season,
    clock_seconds,
    hours_for_day,
    time_of_seconds,
)
from tthc_engine.worktime.limits import LimitUnit, TimeLimit
from tthc_engine.worktime.schedule import DayKind, DayNote, Schedule, load_schedule
from tthc_engine.worktime.timezone import VN_TZ, ensure_aware

__all__ = ["VietnamCalendar"]

_EPOCH = date(1970, 1, 1).toordinal()
"""``datetime64[D]`` counts days from 1970-01-01."""

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
        "_after",
        "_base",
        "_before",
        "_closings",
        "_cum",
        "_dates",
        "_deltas",
        "_intervals",
        "_last",
        "_midnights",
        "_notes",
        "_np_rank",
        "_np_table",
        "_np_workdays",
        "_np_working",
        "_openings",
        "_rank",
        "_schedule",
        "_version",
        "_workday_dates",
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
        interned: dict[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]] = {}
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
                # one shared tuple per distinct set of hours: `is` tells "same hours"
                spans = interned.setdefault(spans, spans)
                intervals[i] = spans
                closing[i] = spans[-1][1]
                total += sum(e - s for s, e in spans)
            rank[i] = len(workdays)
            cum[i + 1] = total
        self._working = working
        self._rank = rank
        self._workdays = workdays
        self._intervals = intervals
        self._cum = cum
        dates = tuple(date.fromordinal(self._base + i) for i in range(n))
        self._dates = dates
        self._after = {d: rank[i] for i, d in enumerate(dates)}
        self._before = {d: rank[i] - working[i] for i, d in enumerate(dates)}
        self._workday_dates = tuple(dates[o - self._base] for o in workdays)
        self._deltas = tuple(timedelta(days=k) for k in range(n))
        self._midnights = tuple(datetime(d.year, d.month, d.day, tzinfo=VN_TZ) for d in dates)
        # per-day opening/closing instants; a day off maps to its midnight (never read)
        self._openings = tuple(
            m + _clock(spans[0][0]) if spans else m
            for m, spans in zip(self._midnights, intervals, strict=True)
        )
        self._closings = tuple(
            m + _clock(c) if spans else m
            for m, spans, c in zip(self._midnights, intervals, closing, strict=True)
        )
        self._np_rank = np.asarray(rank, dtype=np.int64)
        self._np_working = np.asarray(working, dtype=np.bool_)
        # [rank − working | rank − 1]: where the k-th working day before/after starts
        self._np_table = np.concatenate([self._np_rank - self._np_working, self._np_rank - 1])
        self._np_workdays = np.asarray(workdays, dtype=np.int64) - _EPOCH  # days since 1970
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

    def __reduce__(self) -> tuple[type[VietnamCalendar], tuple[object, ...]]:
        """Pickled as its settings (a replay's worker processes build it again)."""
        return (
            VietnamCalendar,
            (
                self.office_hours,
                self.seasons,
                dict(self.extra_days_off),
                dict(self.extra_working_days),
            ),
        )

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
        # Fast path: two lookups in precomputed tables (dates are hashable, hash cached).
        try:
            if n > 0:
                return self._workday_dates[self._after[day] + n - 1]
            if n < 0:
                k = self._before[day] + n
                if k >= 0:
                    return self._workday_dates[k]
            elif n.__class__ is int and day.__class__ is date and day in self._after:
                return day  # a zero of another type is judged by the slow path
        except (KeyError, IndexError, TypeError):
            pass
        return self._add_working_days_checked(day, n)

    def _add_working_days_checked(self, day: date, n: int) -> date:
        """Slow path of :meth:`add_working_days`: datetimes, ranges, bad input."""
        if isinstance(day, datetime):
            day = ensure_aware(day, "day").date()
        elif not isinstance(day, date):
            raise InvalidInputError(f"day: expected a date, got {type(day).__name__} {shown(day)}")
        if not isinstance(n, int) and not hasattr(n, "__index__"):
            raise InvalidInputError(f"n: expected a whole number of days, got {shown(n)}")
        n = int(n)
        i = self._index(day)
        if n > 0:
            k = self._rank[i] + n - 1
        elif n < 0:
            k = self._rank[i] - self._working[i] + n
        else:
            return day
        return self._workday(k, day)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open span (``start``, ``end``]; negative when reversed
        (``working_days_between(b, a) == -working_days_between(a, b)``).

        The inverse of :meth:`add_working_days`:
        ``add_working_days(a, working_days_between(a, b)) == b`` for a working day ``b``
        after ``a``, or for working days ``a`` and ``b`` in either order.
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
        return self._openings[i]

    def closing(self, day: date) -> datetime:
        """The office close of a working ``day``."""
        i = self._index(day)
        if not self._working[i]:
            raise InvalidInputError(f"{day.isoformat()} is not a working day")
        return self._closings[i]

    def _at(self, i: int, seconds: float) -> datetime:
        """The instant ``seconds`` after midnight of day ``i`` (UTC+7 has no DST)."""
        if seconds.__class__ is int:
            return self._midnights[i] + _clock(int(seconds))
        whole = int(seconds)
        if whole == seconds:
            return self._midnights[i] + _clock(whole)
        return self._midnights[i] + timedelta(seconds=seconds)

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
        return self._start(ensure_aware(at), cutoff)[0]

    def _day_of(self, at: datetime, field: str) -> int:
        """The index of ``at``'s (UTC+7) date, checked against the data range."""
        i = at.toordinal() - self._base
        if i < 0 or i >= len(self._working):
            self._index(at.date(), field)
        return i

    def _start(self, at: datetime, cutoff: time | None, field: str = "at") -> tuple[datetime, int]:
        """:meth:`effective_start` of an aware UTC+7 ``at``, with the day index of the start."""
        i = at.toordinal() - self._base
        if i < 0 or i >= len(self._working):
            self._index(at.date(), field)
        if self._working[i]:
            sec = clock_seconds(at)
            if cutoff is None or sec <= cutoff.hour * 3600 + cutoff.minute * 60 + cutoff.second:
                for s, e in self._intervals[i]:
                    if sec < s:
                        return self._at(i, s), i
                    if sec < e:
                        return at, i
            # after the close, or after the cut-off: the next working day
        nxt = self._rank[i]
        if nxt >= len(self._workdays):
            self._workday(nxt, at.date())
        j = self._workdays[nxt] - self._base
        return self._openings[j], j

    def working_position(self, at: datetime) -> float:
        """Office seconds elapsed from the start of the range until ``at``."""
        if at.__class__ is not datetime or at.tzinfo is not VN_TZ:
            at = ensure_aware(at)
        return self._position(at, self._day_of(at, "at"))

    def _position(self, at: datetime, i: int) -> float:
        sec = clock_seconds(at)
        pos: float = self._cum[i]
        for s, e in self._intervals[i]:
            if sec <= s:
                break
            pos += (sec if sec < e else e) - s
        return pos

    def instant_at_position(self, position: float) -> datetime:
        """The earliest instant whose working position is ``position``.

        A position that lands exactly on a close stays at that close (DESIGN §3 rule 3).
        """
        return self._instant(position, 0)

    def _instant(self, position: float, lo: int) -> datetime:
        """:meth:`instant_at_position`, searching from day ``lo`` (≤ the answer's day)."""
        cum = self._cum
        if position <= 0 or position > cum[-1]:
            raise CalendarRangeError(
                "working time runs past the calendar's data range "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
            )
        i = bisect_left(cum, position, lo) - 1
        if i < lo:  # the hint was too late: the answer lies before day ``lo``
            i = bisect_left(cum, position) - 1
        rest = position - cum[i]
        for s, e in self._intervals[i]:
            if rest <= e - s:
                return self._at(i, s + rest)
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
    def _same_clock(self, j: int, clock: datetime, i: int) -> datetime:
        """``clock`` (on day ``i``)'s time of day on day ``j``, kept inside ``j``'s hours."""
        spans = self._intervals[j]
        if spans is self._intervals[i]:  # same office hours (interned): same clock time
            return clock + self._deltas[j - i]
        sec = clock_seconds(clock)
        if any(s <= sec <= e for s, e in spans):
            return clock + self._deltas[j - i]
        # seasonal hours differ: before opening → opening; in a gap/after close → last close
        chosen: float = spans[0][0]
        for s, e in spans:
            if sec >= s:
                chosen = min(sec, e)
        return self._at(j, chosen)

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

        Raises:
            NaiveDatetimeError: ``received_at`` has no time zone.
            TimeLimitParseError: ``limit`` is wording that cannot be understood.
            CalendarRangeError: the count leaves the calendar's data range.
        """
        if limit.__class__ is not TimeLimit:
            limit = _as_limit(limit)
        at = received_at
        if at.__class__ is not datetime or at.tzinfo is not VN_TZ:
            at = ensure_aware(received_at, "received_at")
        cut = cutoff if cutoff is not None else limit.cutoff
        start, i = self._start(at, cut, "received_at")
        unit = limit.unit
        if unit is LimitUnit.WORKING_DAYS:
            whole = limit._whole
            if whole:
                k = self._rank[i] + whole - 1  # the start day is a working day: rank counts it
                if k >= len(self._workdays):
                    self._workday(k, start.date())
                due_at = self._same_clock(self._workdays[k] - self._base, start, i)
            else:
                due_at = start
            extra = limit._office_seconds
            if extra:
                j = due_at.toordinal() - self._base
                due_at = self._instant(self._position(due_at, j) + extra, j)
        elif unit is LimitUnit.WORKING_HOURS:
            hours = limit._office_seconds
            # 0 giờ: due at the effective start (not at a close with the same position)
            due_at = self._instant(self._position(start, i) + hours, i) if hours else start
        elif unit is LimitUnit.SAME_DAY:
            due_at = self._closings[i]
        else:
            if unit is LimitUnit.CALENDAR_DAYS:
                j = i + limit._whole  # days are contiguous in the index
            else:
                try:
                    last = start.date() + relativedelta(months=limit._whole)
                except (ValueError, OverflowError):
                    last = self.last_day + timedelta(days=1)
                j = last.toordinal() - self._base
            if j >= len(self._working):
                raise CalendarRangeError(
                    f"due: {limit} from {self._dates[i].isoformat()} ends after the calendar's "
                    f"data range {self.first_day.isoformat()}..{self.last_day.isoformat()}"
                )
            if not self._working[j]:  # BLDS 2015 Điều 148: a last day off rolls forward
                nxt = self._rank[j]
                if nxt >= len(self._workdays):
                    self._workday(nxt, self._dates[j])
                j = self._workdays[nxt] - self._base
            due_at = self._closings[j]
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
    def classify(
        self,
        finished_at: datetime,
        due_at: datetime,
        by: Comparison | str = Comparison.DATE,
    ) -> Timeliness:
        """Early / on time / late (trước hạn / đúng hạn / quá hạn).

        By **date** as QĐ 766/QĐ-TTg compares NgayKetThucXuLy with NgayHenTra (default);
        ``Comparison.DATETIME`` compares instants.
        """
        finished_at = ensure_aware(finished_at, "finished_at")
        due_at = ensure_aware(due_at, "due_at")
        if by is Comparison.DATE or (by.__class__ is not Comparison and by == "date"):
            a, b = finished_at.date(), due_at.date()
            if a < b:
                return Timeliness.EARLY
            return Timeliness.ON_TIME if a == b else Timeliness.LATE
        Comparison.parse(by)
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
        idx = np.asarray(days, dtype="datetime64[D]").view(np.int64) - (self._base - _EPOCH)
        self._np_check(idx)
        return idx

    def _np_check(self, idx: NDArray[np.int64]) -> None:
        if idx.size and (idx.min() < 0 or idx.max() >= len(self._rank)):
            raise CalendarRangeError(
                "dates outside the calendar's data range "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
            )

    def is_working_day_array(self, days: NDArray[np.datetime64]) -> NDArray[np.bool_]:
        """Vectorised :meth:`is_working_day` over ``datetime64[D]`` values."""
        return np.asarray(self._np_working.take(self._np_index(days)))

    def add_working_days_array(
        self, days: NDArray[np.datetime64], n: NDArray[np.integer] | int
    ) -> NDArray[np.datetime64]:
        """Vectorised :meth:`add_working_days`: same answers, element by element.

        ``days`` and ``n`` broadcast together; two table look-ups per element.
        """
        d = np.asarray(days, dtype="datetime64[D]").view(np.int64)
        steps = np.asarray(n, dtype=np.int64)
        if d.shape != steps.shape:
            d, steps = np.broadcast_arrays(d, steps)
        idx = d - (self._base - _EPOCH)
        self._np_check(idx)
        idx += (steps > 0) * len(self._rank)
        k = np.asarray(self._np_table.take(idx))
        k += steps
        if k.size and (k.min() < 0 or k.max() >= len(self._workdays)):
            raise CalendarRangeError(
                "counting runs past the calendar's data range "
                f"{self.first_day.isoformat()}..{self.last_day.isoformat()}"
            )
        out = np.asarray(self._np_workdays.take(k))
        zero = steps == 0
        if zero.any():
            np.copyto(out, d, where=zero)  # n == 0 keeps the day, working or not
        return out.view("datetime64[D]")

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


def _as_limit(limit: object) -> TimeLimit:
    if isinstance(limit, TimeLimit):
        return limit
    if isinstance(limit, str):
        return TimeLimit.parse(limit)
    raise InvalidInputError(
        f"limit: expected a TimeLimit or wording such as '5 ngày làm việc', got {shown(limit)}"
    )


@cache
def _clock(seconds: int) -> timedelta:
    """``seconds`` after midnight as a timedelta, memoised (at most 86,400 distinct values)."""
    return timedelta(0, seconds)


def working_hours_of(limit: TimeLimit) -> Decimal:
    """A limit in working hours (8 per working day), as systems store it."""
    if limit.unit is LimitUnit.WORKING_HOURS:
        return limit.amount
    if limit.unit is LimitUnit.WORKING_DAYS:
        return limit.amount * _HOURS_PER_WORKING_DAY
    raise InvalidInputError(f"{limit}: only working-day and working-hour limits convert to hours")
