"""Properties of the legal clock that must hold for every receipt and limit (Hypothesis).

Instants are drawn in 2020-01-01..2027-09-30, UTC+7; limits of 0..60 working days,
0..200 working hours, the same day (with or without a cut-off) and 0..60 calendar days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from tthc_engine.worktime import VN_TZ, LimitUnit, TimeLimit, VietnamCalendar

CAL = VietnamCalendar()
FIRST, LAST = datetime(2020, 1, 1), datetime(2027, 9, 30, 23, 59, 59)

instants = st.datetimes(min_value=FIRST, max_value=LAST, timezones=st.just(VN_TZ))
days = st.dates(min_value=FIRST.date(), max_value=LAST.date())
working_days = days.filter(CAL.is_working_day)
cutoffs = st.none() | st.times(min_value=time(7), max_value=time(17)).map(
    lambda t: t.replace(second=0, microsecond=0)
)
halves = st.integers(0, 120).map(lambda k: TimeLimit.working_days(f"{k / 2}"))
working_day_limits = st.integers(0, 60).map(TimeLimit.working_days) | halves
working_hour_limits = st.integers(0, 200).map(TimeLimit.working_hours)
same_day_limits = cutoffs.map(TimeLimit.same_day)
calendar_day_limits = st.integers(0, 60).map(TimeLimit.calendar_days)
limits = working_day_limits | working_hour_limits | same_day_limits | calendar_day_limits

# amounts that a limit of each unit may grow to, for "more time is never earlier"
GROW = {
    LimitUnit.WORKING_DAYS: TimeLimit.working_days,
    LimitUnit.WORKING_HOURS: TimeLimit.working_hours,
    LimitUnit.CALENDAR_DAYS: TimeLimit.calendar_days,
}


def in_office_hours_inclusive(at: datetime) -> bool:
    sec = at.hour * 3600 + at.minute * 60 + at.second + at.microsecond / 1e6
    spans = CAL.office_hours_of(at.date()).seconds
    return any(s <= sec <= e for s, e in spans)


@given(instants, limits)
def test_the_due_instant_is_inside_office_hours_on_a_working_day(
    received: datetime, limit: TimeLimit
) -> None:
    due = CAL.due(received, limit).due_at
    assert due.utcoffset() == timedelta(hours=7)
    assert CAL.is_working_day(due.date())
    assert in_office_hours_inclusive(due)


@given(instants, limits)
def test_the_due_instant_is_never_before_the_effective_receipt(
    received: datetime, limit: TimeLimit
) -> None:
    deadline = CAL.due(received, limit)
    assert deadline.effective_start >= received
    assert deadline.due_at >= deadline.effective_start


@given(instants, st.sampled_from(sorted(GROW, key=lambda u: u.value)), st.data())
def test_more_time_never_gives_an_earlier_due(
    received: datetime, unit: LimitUnit, data: st.DataObject
) -> None:
    top = 200 if unit is LimitUnit.WORKING_HOURS else 60
    a = data.draw(st.integers(0, top), label="a")
    b = data.draw(st.integers(a, top), label="b")
    assert CAL.due(received, GROW[unit](a)).due_at <= CAL.due(received, GROW[unit](b)).due_at


@given(instants, instants, limits)
def test_a_later_receipt_never_gives_an_earlier_due(
    first: datetime, second: datetime, limit: TimeLimit
) -> None:
    early, late = sorted((first, second))
    assert CAL.due(early, limit).due_at <= CAL.due(late, limit).due_at


@given(days, st.integers(1, 60))
def test_working_days_between_undoes_add_working_days(day: date, n: int) -> None:
    assert CAL.working_days_between(day, CAL.add_working_days(day, n)) == n


@given(working_days, st.integers(-60, 60))
def test_add_and_between_are_inverse_from_a_working_day_both_ways(day: date, n: int) -> None:
    assume(date(2020, 4, 1) <= day)  # room to count 60 working days back
    later = CAL.add_working_days(day, n)
    assert CAL.working_days_between(day, later) == n
    assert CAL.add_working_days(day, CAL.working_days_between(day, later)) == later


@given(days, working_days)
def test_add_working_days_undoes_working_days_between_towards_a_working_day(
    start: date, end: date
) -> None:
    assume(start <= end or CAL.is_working_day(start))
    assert CAL.add_working_days(start, CAL.working_days_between(start, end)) == end


@given(days, st.integers(1, 60))
def test_the_result_of_adding_working_days_is_a_working_day_after_the_start(
    day: date, n: int
) -> None:
    result = CAL.add_working_days(day, n)
    assert result > day
    assert CAL.is_working_day(result)
    assert CAL.next_working_day(day) == CAL.add_working_days(day, 1)


@given(instants, limits, instants, st.integers(0, 40 * 3600))
def test_a_pause_never_shortens_a_deadline(
    received: datetime, limit: TimeLimit, paused: datetime, pause_seconds: int
) -> None:
    due = CAL.due(received, limit).due_at
    resumed = paused + timedelta(seconds=pause_seconds)
    assume(resumed <= datetime(2027, 9, 30, 23, 59, tzinfo=VN_TZ))
    assert CAL.extend_by_pause(due, paused, resumed) >= due


@given(instants, st.integers(1, 60 * 8 * 3600), st.data())
def test_a_pause_keeps_the_consumed_working_time_and_runs_the_remainder_after_it(
    received: datetime, limit_seconds: int, data: st.DataObject
) -> None:
    start = CAL.effective_start(received)
    due = CAL.add_working_time(start, timedelta(seconds=limit_seconds))
    paused = data.draw(
        st.datetimes(min_value=start.replace(tzinfo=None), max_value=due.replace(tzinfo=None)),
        label="paused",
    ).replace(tzinfo=VN_TZ)
    assume(paused < due)  # a pause from the due instant on changes nothing (tested above)
    resumed = paused + timedelta(seconds=data.draw(st.integers(0, 30 * 86400), label="pause"))
    assume(resumed.year <= 2027)
    extended = CAL.extend_by_pause(due, paused, resumed)
    consumed = CAL.working_time_between(start, paused)
    remainder = CAL.working_time_between(resumed, extended)
    total = timedelta(seconds=limit_seconds)
    assert abs((consumed + remainder) - total) <= timedelta(milliseconds=1)


@given(instants, st.integers(0, 200 * 3600))
def test_adding_working_time_adds_exactly_that_much_working_time(
    at: datetime, seconds: int
) -> None:
    later = CAL.add_working_time(at, timedelta(seconds=seconds))
    assert later >= at
    elapsed = CAL.working_time_between(at, later)
    assert abs(elapsed - timedelta(seconds=seconds)) <= timedelta(milliseconds=1)


@given(instants, instants)
def test_timeliness_by_date_agrees_with_late_by(finished: datetime, due: datetime) -> None:
    verdict = CAL.classify(finished, due)
    late = CAL.late_by(finished, due)
    assert (late > 0) == (verdict.value == "late")
    if verdict.value == "late":  # a later date is a later instant, never the reverse
        assert CAL.classify(finished, due, by="datetime").value == "late"


@given(st.lists(st.tuples(days, st.integers(-60, 60)), min_size=1, max_size=50))
def test_the_vectorised_and_scalar_forms_agree(pairs: list[tuple[date, int]]) -> None:
    pairs = [(d, n) for d, n in pairs if d >= date(2020, 4, 1) or n >= 0]
    assume(pairs)
    ds = np.array([d for d, _ in pairs], dtype="datetime64[D]")
    ns = np.array([n for _, n in pairs], dtype=np.int64)
    assert CAL.add_working_days_array(ds, ns).tolist() == [
        CAL.add_working_days(d, n) for d, n in pairs
    ]
    assert CAL.is_working_day_array(ds).tolist() == [CAL.is_working_day(d) for d, _ in pairs]
    ends = ds[::-1]
    assert CAL.working_days_between_array(ds, ends).tolist() == [
        CAL.working_days_between(a, b) for a, b in zip(ds.tolist(), ends.tolist(), strict=True)
    ]
