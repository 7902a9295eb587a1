"""Unit tests of each VietnamCalendar primitive with concrete dates (DESIGN.md §3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import numpy as np
import pytest

from tthc_engine.errors import (
    CalendarRangeError,
    InvalidInputError,
    NaiveDatetimeError,
    TimeLimitParseError,
)
from tthc_engine.worktime import (
    VN_TZ,
    DayKind,
    LimitUnit,
    OfficeHours,
    Season,
    TimeLimit,
    Timeliness,
    VietnamCalendar,
)

CAL = VietnamCalendar()


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)


# -- days ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param(date(2025, 3, 10), True, id="an-ordinary-monday"),
        pytest.param(date(2025, 3, 15), False, id="a-saturday"),
        pytest.param(date(2025, 3, 16), False, id="a-sunday"),
        pytest.param(date(2025, 1, 29), False, id="tet-at-ty"),
        pytest.param(date(2025, 4, 26), True, id="worked-saturday-26-04-2025"),
        pytest.param(date(2025, 5, 2), False, id="swapped-friday-02-05-2025"),
        pytest.param(date(2025, 9, 1), False, id="national-day-extra-2025"),
        pytest.param(date(2026, 1, 2), False, id="new-year-swap-2026"),
        pytest.param(date(2026, 1, 10), True, id="worked-saturday-10-01-2026"),
    ],
)
def test_is_working_day_follows_the_official_schedule(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_is_working_day_reads_an_aware_datetime_in_vietnam_time() -> None:
    friday_evening_utc = datetime(2025, 3, 14, 20, 0, tzinfo=UTC)  # Sat 03:00 in Vietnam
    assert CAL.is_working_day(friday_evening_utc) is False


def test_next_working_day_skips_weekends_and_tet() -> None:
    assert CAL.next_working_day(date(2025, 3, 14)) == date(2025, 3, 17)
    assert CAL.next_working_day(date(2025, 1, 24)) == date(2025, 2, 3)
    assert CAL.next_working_day(date(2025, 3, 11)) == date(2025, 3, 12)


def test_previous_working_day_counts_a_worked_saturday() -> None:
    assert CAL.previous_working_day(date(2025, 4, 28)) == date(2025, 4, 26)
    assert CAL.previous_working_day(date(2025, 2, 3)) == date(2025, 1, 24)


def test_add_working_days_does_not_count_the_start_day() -> None:
    assert CAL.add_working_days(date(2025, 3, 10), 5) == date(2025, 3, 17)
    assert CAL.add_working_days(date(2025, 3, 10), 1) == date(2025, 3, 11)


def test_add_working_days_from_a_day_off_counts_the_next_working_day_as_the_first() -> None:
    assert CAL.add_working_days(date(2025, 3, 15), 1) == date(2025, 3, 17)
    assert CAL.add_working_days(date(2025, 3, 15), -1) == date(2025, 3, 14)


def test_add_working_days_goes_backwards_for_a_negative_count() -> None:
    assert CAL.add_working_days(date(2025, 3, 17), -5) == date(2025, 3, 10)
    assert CAL.add_working_days(date(2025, 2, 3), -1) == date(2025, 1, 24)


def test_add_zero_working_days_returns_the_day_itself_even_a_day_off() -> None:
    assert CAL.add_working_days(date(2025, 3, 15), 0) == date(2025, 3, 15)


def test_add_working_days_across_the_reunification_block() -> None:
    assert CAL.add_working_days(date(2025, 4, 29), 2) == date(2025, 5, 6)


def test_add_working_days_accepts_an_aware_datetime_and_rejects_a_naive_one() -> None:
    assert CAL.add_working_days(vn(2025, 3, 10, 9), 5) == date(2025, 3, 17)
    with pytest.raises(NaiveDatetimeError, match="day"):
        CAL.add_working_days(datetime(2025, 3, 10, 9), 5)


def test_add_working_days_rejects_a_count_that_is_not_whole() -> None:
    with pytest.raises(InvalidInputError, match="whole number"):
        CAL.add_working_days(date(2025, 3, 10), 1.5)  # type: ignore[arg-type]


def test_working_days_between_counts_the_half_open_span() -> None:
    assert CAL.working_days_between(date(2025, 3, 10), date(2025, 3, 17)) == 5
    assert CAL.working_days_between(date(2025, 3, 17), date(2025, 3, 10)) == -5
    assert CAL.working_days_between(date(2025, 3, 10), date(2025, 3, 10)) == 0
    assert CAL.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1


def test_working_days_in_lists_the_closed_span_with_the_worked_saturday() -> None:
    assert CAL.working_days_in(date(2025, 4, 24), date(2025, 5, 6)) == [
        date(2025, 4, 24),
        date(2025, 4, 25),
        date(2025, 4, 26),
        date(2025, 4, 28),
        date(2025, 4, 29),
        date(2025, 5, 5),
        date(2025, 5, 6),
    ]


# -- instants and working time ---------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "start"),
    [
        pytest.param(vn(2025, 3, 10, 9), vn(2025, 3, 10, 9), id="inside-office-hours"),
        pytest.param(vn(2025, 3, 10, 6, 30), vn(2025, 3, 10, 7), id="before-opening"),
        pytest.param(vn(2025, 3, 10, 12, 10), vn(2025, 3, 10, 13, 30), id="lunch-break"),
        pytest.param(vn(2025, 3, 10, 11, 30), vn(2025, 3, 10, 13, 30), id="at-the-morning-close"),
        pytest.param(vn(2025, 3, 14, 17, 20), vn(2025, 3, 17, 7), id="after-close-on-friday"),
        pytest.param(vn(2025, 3, 15, 10), vn(2025, 3, 17, 7), id="on-a-saturday"),
        pytest.param(vn(2025, 1, 28, 10), vn(2025, 2, 3, 7), id="during-tet"),
    ],
)
def test_effective_start_counts_from_the_next_opening(received: datetime, start: datetime) -> None:
    assert CAL.effective_start(received) == start


def test_effective_start_after_the_cutoff_is_the_next_working_day() -> None:
    assert CAL.effective_start(vn(2025, 3, 14, 15, 10), time(15, 0)) == vn(2025, 3, 17, 7)
    assert CAL.effective_start(vn(2025, 3, 14, 15, 0), time(15, 0)) == vn(2025, 3, 14, 15)


def test_effective_start_converts_other_time_zones() -> None:
    assert CAL.effective_start(datetime(2025, 3, 10, 2, 0, tzinfo=UTC)) == vn(2025, 3, 10, 9)


def test_working_time_between_counts_office_hours_only() -> None:
    morning_to_afternoon = CAL.working_time_between(
        vn(2025, 3, 10, 10, 30), vn(2025, 3, 10, 16, 30)
    )
    assert morning_to_afternoon == timedelta(hours=4)  # 1 h before lunch, 3 h after
    friday_to_monday = CAL.working_time_between(vn(2025, 3, 14, 16), vn(2025, 3, 17, 8))
    assert friday_to_monday == timedelta(hours=2)
    assert CAL.working_time_between(vn(2025, 3, 17, 8), vn(2025, 3, 14, 16)) == -friday_to_monday


def test_add_working_time_keeps_the_lunch_break_out() -> None:
    assert CAL.add_working_time(vn(2025, 3, 10, 10, 30), timedelta(hours=4)) == vn(
        2025, 3, 10, 16, 30
    )


def test_add_working_time_landing_on_a_close_stays_at_that_close() -> None:
    assert CAL.add_working_time(vn(2025, 3, 10, 9), timedelta(hours=2, minutes=30)) == vn(
        2025, 3, 10, 11, 30
    )
    assert CAL.add_working_time(vn(2025, 3, 14, 16), timedelta(hours=1)) == vn(2025, 3, 14, 17)


def test_add_working_time_of_zero_is_the_instant_itself() -> None:
    assert CAL.add_working_time(vn(2025, 3, 15, 10), timedelta(0)) == vn(2025, 3, 15, 10)


def test_add_working_time_refuses_a_negative_duration() -> None:
    with pytest.raises(InvalidInputError, match="duration"):
        CAL.add_working_time(vn(2025, 3, 10, 9), timedelta(hours=-1))


def test_instant_at_position_inverts_working_position_inside_office_hours() -> None:
    at = vn(2025, 3, 12, 14, 15, 30)
    assert CAL.instant_at_position(CAL.working_position(at)) == at


def test_opening_and_closing_of_a_day_and_their_refusal_on_a_day_off() -> None:
    assert CAL.opening(date(2025, 3, 10)) == vn(2025, 3, 10, 7)
    assert CAL.closing(date(2025, 3, 10)) == vn(2025, 3, 10, 17)
    with pytest.raises(InvalidInputError, match="not a working day"):
        CAL.closing(date(2025, 3, 15))


def test_is_office_time_excludes_the_lunch_break_and_the_close() -> None:
    assert CAL.is_office_time(vn(2025, 3, 10, 9))
    assert not CAL.is_office_time(vn(2025, 3, 10, 12))
    assert not CAL.is_office_time(vn(2025, 3, 10, 17))
    assert not CAL.is_office_time(vn(2025, 3, 15, 9))


# -- due dates -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        pytest.param(vn(2025, 3, 10, 9), "0,5 ngày làm việc", vn(2025, 3, 10, 15), id="half-day"),
        pytest.param(
            vn(2025, 3, 10, 9), "1,5 ngày làm việc", vn(2025, 3, 11, 15), id="one-and-a-half"
        ),
        pytest.param(vn(2025, 3, 10, 9), "0 ngày làm việc", vn(2025, 3, 10, 9), id="zero-days"),
        pytest.param(vn(2025, 3, 10, 9), "03 tháng", vn(2025, 6, 10, 17), id="three-months"),
        pytest.param(vn(2025, 3, 10, 9), "5 ngày", vn(2025, 3, 17, 17), id="day-5-a-saturday"),
        pytest.param(vn(2025, 3, 15, 10), "trong ngày", vn(2025, 3, 17, 17), id="same-day-sat"),
        pytest.param(vn(2025, 3, 14, 16), "2 giờ làm việc", vn(2025, 3, 17, 8), id="hours-weekend"),
        pytest.param(
            vn(2025, 3, 15, 10), "0 giờ làm việc", vn(2025, 3, 17, 7), id="zero-hours-sat"
        ),
    ],
)
def test_due_for_each_kind_of_limit(received: datetime, limit: str, due: datetime) -> None:
    assert CAL.due(received, limit).due_at == due


def test_due_accepts_a_time_limit_value_and_its_own_cutoff() -> None:
    limit = TimeLimit.same_day(cutoff=time(15, 0))
    assert CAL.due(vn(2025, 3, 12, 15, 10), limit).due_at == vn(2025, 3, 13, 17)
    assert CAL.due(vn(2025, 3, 12, 15, 10), TimeLimit.same_day()).due_at == vn(2025, 3, 12, 17)


def test_due_converts_a_receipt_in_another_time_zone() -> None:
    deadline = CAL.due(datetime(2025, 3, 10, 2, 0, tzinfo=UTC), "5 ngày làm việc")
    assert deadline.due_at == vn(2025, 3, 17, 9)
    assert deadline.received_at.utcoffset() == timedelta(hours=7)


# -- bad input -------------------------------------------------------------------------
def test_a_naive_receipt_is_refused_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"^received_at: naive datetime"):
        CAL.due(datetime(2025, 3, 10, 9), "5 ngày làm việc")


@pytest.mark.parametrize(
    "method",
    ["effective_start", "working_position", "is_office_time"],
)
def test_naive_instants_are_refused_by_every_primitive(method: str) -> None:
    with pytest.raises(NaiveDatetimeError, match="naive datetime 2025-03-10T09:00:00"):
        getattr(CAL, method)(datetime(2025, 3, 10, 9))


def test_a_naive_pause_is_refused_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"^paused_at"):
        CAL.extend_by_pause(vn(2025, 3, 17, 9), datetime(2025, 3, 12, 9), vn(2025, 3, 14, 9))


def test_classify_refuses_a_naive_finish_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError, match=r"^finished_at"):
        CAL.classify(datetime(2025, 3, 12, 9), vn(2025, 3, 17, 9))


@pytest.mark.parametrize(
    "received",
    [
        pytest.param(vn(2019, 12, 31, 9), id="2019"),
        pytest.param(vn(2028, 1, 3, 9), id="2028"),
    ],
)
def test_a_receipt_outside_the_data_range_is_an_error_not_a_guess(received: datetime) -> None:
    with pytest.raises(
        CalendarRangeError, match=r"received_at .*outside the calendar's data range"
    ):
        CAL.due(received, "5 ngày làm việc")


@pytest.mark.parametrize("day", [date(2019, 6, 3), date(2028, 6, 5)])
def test_day_primitives_refuse_years_outside_the_data(day: date) -> None:
    with pytest.raises(CalendarRangeError, match=r"2020-01-01\.\.2027-12-31"):
        CAL.is_working_day(day)
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(day, 1)
    with pytest.raises(CalendarRangeError):
        CAL.working_days_between(date(2025, 1, 1), day)


def test_a_count_that_runs_past_the_data_range_is_an_error() -> None:
    with pytest.raises(CalendarRangeError, match="runs past"):
        CAL.due(vn(2027, 12, 1, 9), "60 ngày làm việc")
    with pytest.raises(CalendarRangeError, match="after the calendar's data range"):
        CAL.due(vn(2027, 12, 1, 9), "60 ngày")
    with pytest.raises(CalendarRangeError):
        CAL.due(vn(2027, 12, 1, 9), "200 giờ làm việc")
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days(date(2020, 1, 2), -5)


def test_unknown_wording_is_a_parse_error() -> None:
    with pytest.raises(TimeLimitParseError, match="unknown unit 'tuần'"):
        CAL.due(vn(2025, 3, 10, 9), "5 tuần")


def test_a_pause_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidInputError, match="resumed_at"):
        CAL.extend_by_pause(vn(2025, 3, 17, 9), vn(2025, 3, 12, 9), vn(2025, 3, 11, 9))


def test_classify_refuses_an_unknown_comparison() -> None:
    with pytest.raises(InvalidInputError, match="by: expected 'date' or 'datetime'"):
        CAL.classify(vn(2025, 3, 12, 9), vn(2025, 3, 17, 9), by="hour")


# -- pauses and timeliness -------------------------------------------------------------
def test_a_pause_keeps_the_consumed_time_and_runs_the_remainder_from_the_resume() -> None:
    due = CAL.due(vn(2025, 3, 10, 9), "5 ngày làm việc").due_at  # Mon 17/03 09:00
    extended = CAL.extend_by_pause(due, vn(2025, 3, 12, 9), vn(2025, 3, 14, 9))
    assert extended == vn(2025, 3, 19, 9)


def test_a_pause_over_a_weekend_only_shifts_by_office_time() -> None:
    due = vn(2025, 3, 17, 9)
    assert CAL.extend_by_pause(due, vn(2025, 3, 14, 17), vn(2025, 3, 17, 7)) == due


def test_a_pause_after_the_due_changes_nothing() -> None:
    due = vn(2025, 3, 17, 9)
    assert CAL.extend_by_pause(due, vn(2025, 3, 18, 9), vn(2025, 3, 20, 9)) == due


@pytest.mark.parametrize(
    ("finished", "by", "expected"),
    [
        pytest.param(vn(2025, 3, 14, 16), "date", Timeliness.EARLY, id="day-before"),
        pytest.param(vn(2025, 3, 17, 16), "date", Timeliness.ON_TIME, id="same-date-later-hour"),
        pytest.param(vn(2025, 3, 18, 8), "date", Timeliness.LATE, id="next-day"),
        pytest.param(vn(2025, 3, 17, 8), "datetime", Timeliness.EARLY, id="instant-before"),
        pytest.param(vn(2025, 3, 17, 9), "datetime", Timeliness.ON_TIME, id="instant-equal"),
        pytest.param(vn(2025, 3, 17, 16), "datetime", Timeliness.LATE, id="instant-after"),
    ],
)
def test_classify_compares_dates_by_default_and_instants_on_request(
    finished: datetime, by: str, expected: Timeliness
) -> None:
    assert CAL.classify(finished, vn(2025, 3, 17, 9), by=by) is expected


def test_timeliness_labels_in_both_languages() -> None:
    assert Timeliness.LATE.label() == "quá hạn"
    assert Timeliness.ON_TIME.label("en") == "on time"
    assert Timeliness.EARLY.label("vi") == "trước hạn"


@pytest.mark.parametrize(
    ("finished", "days"),
    [
        pytest.param(vn(2025, 3, 14, 16), 0, id="not-late"),
        pytest.param(vn(2025, 3, 17, 8), 1, id="due-friday-finished-monday"),
        pytest.param(vn(2025, 3, 15, 8), 1, id="finished-on-the-saturday-after"),
        pytest.param(vn(2025, 3, 19, 8), 3, id="three-working-days"),
    ],
)
def test_late_by_counts_working_days_after_the_due_date(finished: datetime, days: int) -> None:
    assert CAL.late_by(finished, vn(2025, 3, 14, 17)) == days


# -- identity, configuration -----------------------------------------------------------
def test_the_calendar_is_immutable() -> None:
    with pytest.raises(AttributeError, match="immutable"):
        CAL.office_hours = OfficeHours.parse("08:00-12:00")  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        CAL._rank = []  # type: ignore[misc]


def test_equal_content_gives_an_equal_stable_version() -> None:
    other = VietnamCalendar()
    assert other == CAL
    assert hash(other) == hash(CAL)
    assert other.version == CAL.version
    assert CAL.version.startswith("vn-2020-2027-")
    assert repr(CAL).startswith("VietnamCalendar(version='vn-2020-2027-")


def test_different_content_gives_a_different_version() -> None:
    versions = {
        CAL.version,
        VietnamCalendar(office_hours=OfficeHours.parse("07:30-11:30, 13:00-17:00")).version,
        VietnamCalendar(extra_days_off={date(2025, 3, 17)}).version,
        VietnamCalendar(extra_working_days={date(2025, 3, 15)}).version,
    }
    assert len(versions) == 4
    assert VietnamCalendar(extra_days_off={date(2025, 3, 17)}) != CAL


def test_custom_office_hours_move_opening_close_and_the_hours_count() -> None:
    cal = VietnamCalendar(office_hours=OfficeHours.parse("7h30-11h30, 13h00-17h00"))
    assert cal.effective_start(vn(2025, 3, 10, 7, 10)) == vn(2025, 3, 10, 7, 30)
    assert cal.due(vn(2025, 3, 10, 10, 30), "4 giờ làm việc").due_at == vn(2025, 3, 10, 16)
    assert cal.due(vn(2025, 3, 10, 9), "trong ngày").due_at == vn(2025, 3, 10, 17)


def test_seasonal_office_hours_apply_from_their_start_and_clamp_the_due_clock() -> None:
    summer = Season((4, 15), OfficeHours.parse("07:00-11:30, 13:30-17:00"))
    winter = Season((10, 15), OfficeHours.parse("07:30-11:30, 13:00-17:00"))
    cal = VietnamCalendar(seasons=[winter, summer])
    assert cal.seasons == (summer, winter)
    assert cal.office_hours_of(date(2025, 1, 10)) == winter.hours
    assert cal.office_hours_of(date(2025, 7, 10)) == summer.hours
    # Tue 14/10 07:15 is summer office time; on Wed 15/10 the office opens at 07:30
    assert cal.due(vn(2025, 10, 14, 7, 15), "1 ngày làm việc").due_at == vn(2025, 10, 15, 7, 30)
    assert cal.due(vn(2025, 10, 14, 7, 15), "2 ngày làm việc").due_at == vn(2025, 10, 16, 7, 30)
    # winter 13:00 is summer's lunch break: the count starts at 13:30
    assert cal.effective_start(vn(2025, 7, 10, 13, 0)) == vn(2025, 7, 10, 13, 30)
    assert cal.effective_start(vn(2025, 11, 10, 13, 0)) == vn(2025, 11, 10, 13, 0)


def test_a_tenant_day_off_is_skipped_and_named_in_the_explanation() -> None:
    cal = VietnamCalendar(extra_days_off={date(2025, 3, 17): "Ngày giải phóng tỉnh"})
    assert not cal.is_working_day(date(2025, 3, 17))
    note = cal.note(date(2025, 3, 17))
    assert note is not None
    assert note.kind is DayKind.TENANT_DAY_OFF
    deadline = cal.due(vn(2025, 3, 10, 9), "5 ngày làm việc")
    assert deadline.due_at == vn(2025, 3, 18, 9)
    assert "17/03/2025 (Ngày giải phóng tỉnh)" in deadline.explain()


def test_a_tenant_worked_day_counts_and_is_named_in_the_explanation() -> None:
    cal = VietnamCalendar(extra_working_days=[date(2025, 3, 15)])
    assert cal.is_working_day(date(2025, 3, 15))
    deadline = cal.due(vn(2025, 3, 10, 9), "5 ngày làm việc")
    assert deadline.due_at == vn(2025, 3, 15, 9)
    assert "Tính ngày làm bù: 15/03/2025 (Ngày làm việc của địa phương)" in deadline.explain()
    assert "Worked weekend days counted: 15/03/2025 (Local working day)" in deadline.explain("en")


def test_tenant_days_must_not_contradict_each_other_or_leave_the_range() -> None:
    with pytest.raises(InvalidInputError, match="both contain 2025-03-17"):
        VietnamCalendar(extra_days_off=[date(2025, 3, 17)], extra_working_days=[date(2025, 3, 17)])
    with pytest.raises(CalendarRangeError, match="2028-01-03"):
        VietnamCalendar(extra_days_off=[date(2028, 1, 3)])


# -- explanation -----------------------------------------------------------------------
def test_explain_in_vietnamese_names_the_rule_the_skipped_days_and_the_decision() -> None:
    text = CAL.due(vn(2025, 1, 23, 10), "5 ngày làm việc").explain()
    assert text.splitlines()[0] == (
        "Tiếp nhận: 10:00 thứ Năm 23/01/2025; thời hạn: 5 ngày làm việc."
    )
    assert "không tính ngày tiếp nhận (BLDS 2015 Điều 147)" in text
    assert "Ngày làm việc được tính: 24/01, 03/02, 04/02, 05/02, 06/02." in text
    assert "Bỏ qua ngày nghỉ cuối tuần: 25/01, 26/01, 01/02, 02/02." in text
    assert "29/01/2025 (Tết Nguyên Đán — Thông báo 6150/TB-BLĐTBXH)" in text
    assert text.splitlines()[-1] == "Hẹn trả kết quả: 10:00 thứ Năm 06/02/2025."


def test_explain_in_english_says_the_same_in_english() -> None:
    text = CAL.due(vn(2025, 4, 24, 9), "3 ngày làm việc").explain("en")
    assert text.startswith("Received: 09:00 Thu 24/04/2025; limit: 3 working days.")
    assert "Civil Code 2015 Art. 147" in text
    assert "Worked weekend days counted: 26/04/2025" in text
    assert text.endswith("Due: 09:00 Mon 28/04/2025.")


def test_explain_says_why_the_count_started_later() -> None:
    lunch = CAL.due(vn(2025, 3, 11, 12, 10), "2 ngày làm việc")
    assert "Nhận ngoài giờ làm việc: tính từ 13:30 thứ Ba 11/03/2025." in lunch.explain()
    cutoff = CAL.due(vn(2025, 3, 12, 15, 0, 30), "trong ngày", time(15, 0))
    assert "Received after the 15:00 cut-off: counted from 07:00 Thu 13/03/2025." in (
        cutoff.explain("en")
    )
    weekend = CAL.due(vn(2025, 3, 15, 9), "trong ngày")
    assert "Received on a day off" in weekend.explain("en")


def test_a_due_in_a_year_without_an_official_schedule_is_flagged_provisional() -> None:
    deadline = CAL.due(vn(2027, 6, 1, 9), "5 ngày làm việc")
    assert deadline.provisional
    assert "Tạm tính: năm 2027 chưa có quyết định chính thức" in deadline.explain()
    assert "Provisional: the 2027 schedule is not fully decided yet" in deadline.explain("en")
    assert not CAL.due(vn(2025, 6, 2, 9), "5 ngày làm việc").provisional


def test_as_dict_is_json_ready_and_carries_the_calendar_version() -> None:
    data = CAL.due(vn(2025, 3, 12, 15, 10), "trong ngày", time(15, 0)).as_dict("en")
    assert data == {
        "received_at": "2025-03-12T15:10:00+07:00",
        "limit": "same working day",
        "unit": "same_day",
        "amount": "0",
        "cutoff": "15:00",
        "effective_start": "2025-03-13T07:00:00+07:00",
        "due_at": "2025-03-13T17:00:00+07:00",
        "provisional": False,
        "calendar_version": CAL.version,
        "explanation": data["explanation"],
    }
    assert data["explanation"][-1] == "Due: 17:00 Thu 13/03/2025."


def test_deadlines_with_equal_inputs_are_equal() -> None:
    a = CAL.due(vn(2025, 3, 10, 9), "5 ngày làm việc")
    b = CAL.due(datetime(2025, 3, 10, 9, tzinfo=timezone(timedelta(hours=7))), "05 ngày làm việc")
    assert a == b
    assert hash(a) == hash(b)
    assert a.limit.unit is LimitUnit.WORKING_DAYS


# -- vectorised forms ------------------------------------------------------------------
def test_vectorised_forms_answer_like_the_scalar_ones() -> None:
    days = np.array(["2025-03-10", "2025-03-15", "2025-01-24", "2025-04-29"], dtype="datetime64[D]")
    n = np.array([5, 1, 1, -2])
    assert CAL.add_working_days_array(days, n).tolist() == [
        date(2025, 3, 17),
        date(2025, 3, 17),
        date(2025, 2, 3),
        date(2025, 4, 26),
    ]
    assert CAL.is_working_day_array(days).tolist() == [True, False, True, True]
    assert CAL.working_days_between_array(days, days + 7).tolist() == [5, 5, 0, 2]
    assert CAL.add_working_days_array(days, 0).tolist() == days.tolist()


def test_vectorised_forms_refuse_dates_outside_the_data() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.add_working_days_array(np.array(["2028-01-03"], dtype="datetime64[D]"), 1)
    with pytest.raises(CalendarRangeError, match="runs past"):
        CAL.add_working_days_array(np.array(["2027-12-30"], dtype="datetime64[D]"), 5)
