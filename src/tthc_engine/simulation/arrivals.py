"""The arrival process: which dossiers reach the one-stop shop, when and how.

Dossiers are counted per **working day** of their receipt (the day an officer, or the
portal, receives them) — the counters work the civil servants' days and office hours set
by the province (DOMAIN.md §1.3), so every dossier belongs to a working day — and each is
then given its channel and its instants:

* at the counter or by post: received inside the day's office hours, weighted by
  ``arrivals.counter_hours`` (a few at the counter just after the close, when the queue
  is still served: ``after_close``, which exercises the out-of-hours receipt rule, DESIGN.md
  §3 rule 1);
* online: submitted (status 1) at any hour since the previous working day's close —
  nights, weekends and holidays included, weighted by ``online_hours`` and
  ``online_days_off`` — then received by an officer during the day's office hours, or at
  once by the portal for a share ``auto_receipt`` of the procedures that are fully or
  partly online (a receipt at 21:00 or on a Sunday counts from the next opening).

Volumes: each procedure's ``per_day`` (at its level, in the version in force that day),
times the weekday factor, the surge before Tết and the lull after it, the rush of the
last working days of a quarter, and a day-to-day factor (Gamma, ``day_to_day_cv``);
Poisson counts. With ``mode: fixed``, exactly ``per_day`` dossiers each working day, the
procedures drawn by their volumes (for tests and the demo).

Dossier codes (``<agency>-<yyMMdd>-<seq4>``, TT 01/2018 / TT 03/2025) are numbered per
agency and day in the order the dossiers were opened: submitted (online) or received.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import cache

import attrs

from tthc_engine.catalog import Catalog, Procedure
from tthc_engine.domain import Channel
from tthc_engine.simulation.lifecycle import Arrival, Plan, Slot
from tthc_engine.simulation.profile import Profile, ProfileValidationError
from tthc_engine.worktime import VN_TZ, VietnamCalendar

__all__ = ["ArrivalProcess", "day_factors", "tet_days"]


def tet_days(calendar: VietnamCalendar, first: date, last: date) -> list[tuple[date, date]]:
    """The Tết Nguyên Đán breaks (first and last day off) of the years ``first``..``last``
    touch, as the calendar's schedule names them (BLLĐ 2019 Điều 112; each year's
    decision)."""
    windows = []
    for year in range(first.year - 1, last.year + 2):
        days = []
        day = date(year, 1, 1)
        end = date(year, 3, 31)
        while day <= end:
            if calendar.first_day <= day <= calendar.last_day:
                note = calendar.note(day)
                if note is not None and "Lunar New Year" in note.name_en:
                    days.append(day)
            day += timedelta(days=1)
        if days:
            start, stop = min(days), max(days)
            while start > calendar.first_day and not calendar.is_working_day(
                start - timedelta(days=1)
            ):
                start -= timedelta(days=1)
            while stop < calendar.last_day and not calendar.is_working_day(
                stop + timedelta(days=1)
            ):
                stop += timedelta(days=1)
            windows.append((start, stop))
    return windows


def day_factors(
    profile: Profile, calendar: VietnamCalendar, days: Sequence[date]
) -> dict[date, float]:
    """The volume factor of each working day in ``days``: weekday × Tết × quarter end."""
    arrivals = profile.arrivals
    factors = {d: arrivals.weekdays[d.weekday()] for d in days}
    if not days:
        return factors
    first, last = days[0], days[-1]
    margin = timedelta(days=60)
    lo, hi = max(first - margin, calendar.first_day), min(last + margin, calendar.last_day)
    (before, up), (after, down) = arrivals.before_tet, arrivals.after_tet
    for start, stop in tet_days(calendar, first, last):
        if lo <= start and before:
            for k in range(1, before + 1):
                day = calendar.add_working_days(start, -k)
                if day in factors:
                    factors[day] *= up
        if stop <= hi and after:
            for k in range(1, after + 1):
                day = calendar.add_working_days(stop, k)
                if day in factors:
                    factors[day] *= down
    span, rush = arrivals.quarter_end
    if span:
        for year in range(first.year, last.year + 1):
            for month in (3, 6, 9, 12):
                end = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
                if not lo <= end <= hi:
                    continue
                day = end if calendar.is_working_day(end) else calendar.previous_working_day(end)
                for _ in range(span):
                    if day in factors:
                        factors[day] *= rush
                    day = calendar.previous_working_day(day)
    return factors


def _poisson(rnd: random.Random, lam: float) -> int:
    """A Poisson count of mean ``lam`` (inversion; a normal approximation above 500)."""
    if lam <= 0:
        return 0
    if lam > 500:
        return max(0, round(rnd.gauss(lam, math.sqrt(lam))))
    u = rnd.random()
    p = math.exp(-lam)
    s = p
    k = 0
    while u > s and k < 10 * lam + 50:
        k += 1
        p *= lam / k
        s += p
    return k


@cache
def _office_pieces(
    spans: tuple[tuple[int, int], ...], weights: tuple[float, ...]
) -> tuple[tuple[float, ...], tuple[tuple[int, int], ...]]:
    """Cumulative weights and pieces ``(start, end)`` (seconds of the day) of office time,
    each piece inside one hour, weighted by that hour's weight × its length."""
    pieces: list[tuple[int, int]] = []
    cum = [0.0]
    for s, e in spans:
        h = s // 3600
        while h * 3600 < e:
            a, b = max(s, h * 3600), min(e, (h + 1) * 3600)
            w = weights[h] * (b - a) / 3600
            if b > a and w > 0:
                pieces.append((a, b))
                cum.append(cum[-1] + w)
            h += 1
    if not pieces:  # every office hour weighs 0: spread evenly
        return _office_pieces(spans, (1.0,) * 24)
    return tuple(cum), tuple(pieces)


class _OnlineClock:
    """Submission instants: a weight per hour of the day (``online_hours``), scaled by
    ``online_days_off`` on days off, integrated over time so that an instant in any window
    can be drawn by inversion."""

    def __init__(
        self, calendar: VietnamCalendar, first: date, last: date, hours: Sequence[float], off: float
    ) -> None:
        self.base = first
        self.hours = list(hours)
        self.prefix = [0.0]
        for w in self.hours:
            self.prefix.append(self.prefix[-1] + w)
        total = self.prefix[-1]
        self.scale: list[float] = []
        self.cum = [0.0]
        day = first
        while day <= last:
            k = 1.0 if calendar.is_working_day(day) else off
            self.scale.append(k)
            self.cum.append(self.cum[-1] + k * total)
            day += timedelta(days=1)

    def weight_until(self, t: datetime) -> float:
        i = (t.date() - self.base).days
        sec = t.hour * 3600 + t.minute * 60 + t.second
        h = sec // 3600
        inside = self.prefix[h] + self.hours[h] * (sec - h * 3600) / 3600
        return self.cum[i] + self.scale[i] * inside

    def instant(self, x: float) -> datetime:
        i = min(max(bisect_right(self.cum, x) - 1, 0), len(self.scale) - 1)
        k = self.scale[i]
        rest = (x - self.cum[i]) / k if k > 0 else 0.0
        h = min(max(bisect_right(self.prefix, rest) - 1, 0), 23)
        while h < 23 and self.hours[h] <= 0:
            h += 1
        w = self.hours[h]
        sec = h * 3600 + (int((rest - self.prefix[h]) / w * 3600) if w > 0 else 0)
        sec = min(max(sec, 0), 86399)
        day = self.base + timedelta(days=i)
        return datetime(day.year, day.month, day.day, tzinfo=VN_TZ) + timedelta(seconds=sec)

    def draw(self, a: datetime, b: datetime, u: float) -> datetime:
        """An instant in ``[a, b]`` drawn with the weights."""
        fa, fb = self.weight_until(a), self.weight_until(b)
        if fb <= fa:
            return b
        t = self.instant(fa + u * (fb - fa))
        return min(max(t, a), b)


@attrs.define(eq=False)
class ArrivalProcess:
    """The dossiers of a period, with their codes (see the module docstring).

    Args:
        profile: the workload profile.
        catalog: the procedures (the version in force on each day is used).
        calendar: the working-day calendar.
        seed: the seed of every random stream.
        first, last: the days whose dossiers are generated.
        plans: a cache of :class:`Plan` by procedure version.
    """

    profile: Profile
    catalog: Catalog
    calendar: VietnamCalendar
    seed: int
    first: date
    last: date
    plans: dict[int, Plan]
    receiving_agency: str | None = None

    def plan(self, procedure: Procedure) -> Plan:
        key = id(procedure)
        found = self.plans.get(key)
        if found is None:
            found = Plan(procedure, self.catalog, self.profile)
            if self.receiving_agency is not None:
                found = found.with_receiving(self.receiving_agency)
            self.plans[key] = found
        return found

    def days(self) -> list[date]:
        cal = self.calendar
        return cal.working_days_in(self.first, self.last)

    def _volumes(self, day: date) -> list[tuple[Plan, float]]:
        """The versions in force on ``day`` that receive dossiers, with their volume."""
        found = []
        for procedure in self.catalog.in_force_on(day):
            load = self.profile.procedures.get(procedure.code)
            if load is None:
                continue
            rate = load.rate(procedure.level)
            if rate > 0:
                found.append((self.plan(procedure), rate))
        return found

    def _counts(
        self, day: date, volumes: list[tuple[Plan, float]], factor: float
    ) -> Iterator[tuple[Plan, int, random.Random]]:
        seed = self.seed
        arrivals = self.profile.arrivals
        if arrivals.mode == "fixed":
            assert arrivals.per_day is not None
            mix = random.Random(f"{seed}/{day.isoformat()}/mix")
            cum: list[float] = []
            total = 0.0
            for _, rate in volumes:
                total += rate
                cum.append(total)
            counts = [0] * len(volumes)
            for _ in range(arrivals.per_day):
                counts[min(bisect_right(cum, mix.random() * total), len(volumes) - 1)] += 1
            for (plan, _), n in zip(volumes, counts, strict=True):
                yield plan, n, random.Random(f"{seed}/{day.isoformat()}/{plan.code}")
            return
        for plan, rate in volumes:
            rnd = random.Random(f"{seed}/{day.isoformat()}/{plan.code}")
            yield plan, _poisson(rnd, rate * factor), rnd

    def generate(self) -> list[Arrival]:
        """Every dossier of the period, sorted by the instant it was opened, with its code."""
        profile = self.profile
        cal = self.calendar
        arrivals = profile.arrivals
        days = self.days()
        if not days:
            return []
        factors = day_factors(profile, cal, days)
        lo = max(cal.first_day, days[0] - timedelta(days=14))
        online = _OnlineClock(cal, lo, days[-1], arrivals.online_hours, arrivals.online_days_off)
        start = datetime(days[0].year, days[0].month, days[0].day, tzinfo=VN_TZ)
        start = max(start, datetime.combine(self.first, datetime.min.time(), tzinfo=VN_TZ))
        found: list[tuple[datetime, str, int, Arrival]] = []
        width = Slot.WIDTH
        order = 0
        for day in days:
            volumes = self._volumes(day)
            if not volumes:
                continue
            factor = factors[day]
            if arrivals.mode == "poisson" and arrivals.day_to_day_cv > 0:
                shape = 1.0 / arrivals.day_to_day_cv**2
                factor *= random.Random(f"{self.seed}/{day.isoformat()}").gammavariate(
                    shape, 1.0 / shape
                )
            spans = cal.office_hours_of(day).seconds
            cum, pieces = _office_pieces(spans, arrivals.counter_hours)
            midnight = datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
            close = cal.closing(day)
            window_start = cal.closing(cal.previous_working_day(day))
            for plan, count, rnd in self._counts(day, volumes, factor):
                r = rnd.random
                # nothing before the period, nor before the version was in force
                floor = start
                if plan.valid_from is not None and plan.valid_from > start.date():
                    floor = datetime.combine(plan.valid_from, datetime.min.time(), tzinfo=VN_TZ)
                mix = profile.procedures[plan.code].channels or profile.channel_mix(
                    plan.online_level, day
                )
                for _ in range(count):
                    u = [r() for _ in range(width)]
                    c = u[Slot.CHANNEL]
                    if c < mix.online:
                        channel = Channel.ONLINE
                    elif c < mix.online + mix.postal:
                        channel = Channel.POSTAL
                    else:
                        channel = Channel.COUNTER
                    submitted: datetime | None = None
                    if channel is Channel.ONLINE and u[Slot.AUTO] < arrivals.auto_receipt.get(
                        plan.online_level, 0.0
                    ):
                        received = online.draw(window_start, close, u[Slot.TIME])
                        received = max(received, floor)
                        submitted = received
                    else:
                        if (
                            channel is Channel.COUNTER
                            and u[Slot.AFTER_CLOSE] < arrivals.after_close
                        ):
                            received = close + timedelta(seconds=int(u[Slot.TIME] * 1800) + 1)
                        else:
                            x = u[Slot.TIME] * cum[-1]
                            k = min(bisect_right(cum, x) - 1, len(pieces) - 1)
                            a, b = pieces[k]
                            frac = (x - cum[k]) / (cum[k + 1] - cum[k])
                            received = midnight + timedelta(seconds=a + int(frac * (b - a)))
                        if channel is Channel.ONLINE:
                            submitted = online.draw(window_start, received, u[Slot.TIME2])
                            submitted = max(submitted, floor)
                    arrival = Arrival(day, plan, channel, submitted, received, u)
                    found.append((arrival.opened, plan.code, order, arrival))
                    order += 1
        found.sort(key=lambda item: (item[0], item[2]))
        numbers: dict[tuple[str, date], int] = {}
        result = []
        for opened, _, _, arrival in found:
            key = (arrival.plan.receiving, opened.date())
            n = numbers.get(key, 0) + 1
            if n > 9999:
                raise ProfileValidationError(
                    profile.source,
                    [
                        f"{profile.source}:procedures: more than 9999 dossiers opened at "
                        f"{key[0]} on {key[1].isoformat()}; a dossier code has a 4-digit daily "
                        "sequence (TT 01/2018, TT 03/2025)"
                    ],
                )
            numbers[key] = n
            arrival.code = f"{key[0]}-{opened:%y%m%d}-{n:04d}"
            result.append(arrival)
        return result
