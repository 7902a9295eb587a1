"""The legal clock at its edges: the behaviours mutation testing found unpinned (issue 12).

Dates are on the real 2025 calendar; office hours 07:00–11:30 and 13:30–17:00.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

import numpy as np
import pytest

from tthc_engine.errors import (
    CalendarRangeError,
    InvalidInputError,
    NaiveDatetimeError,
    TimeLimitParseError,
    TthcError,
)
from tthc_engine.worktime import (
    VN_TZ,
    DayKind,
    DayNote,
    LimitUnit,
    OfficeHours,
    Season,
    TimeLimit,
    Timeliness,
    VietnamCalendar,
    parse_instant,
)
from tthc_engine.worktime.calendar import working_hours_of
from tthc_engine.worktime.hours import time_of_seconds
from tthc_engine.worktime.timezone import vn_datetime

CAL = VietnamCalendar()


def vn(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, us: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, us, tzinfo=VN_TZ)


# -- pauses at the due (DESIGN §3 rule 6) ---------------------------------------------------
def test_a_pause_that_starts_exactly_at_the_due_does_not_move_it() -> None:
    due = vn(2025, 3, 17, 9)
    assert CAL.extend_by_pause(due, due, vn(2025, 3, 19, 9)) == due


def test_a_pause_that_starts_a_minute_before_the_due_moves_it_by_the_whole_pause() -> None:
    due = vn(2025, 3, 17, 9)
    assert CAL.extend_by_pause(due, vn(2025, 3, 17, 8, 59), vn(2025, 3, 19, 9)) == vn(
        2025, 3, 19, 9, 1
    )


def test_a_pause_that_ends_where_it_starts_moves_nothing() -> None:
    due = vn(2025, 3, 17, 9)
    assert CAL.extend_by_pause(due, vn(2025, 3, 12, 9), vn(2025, 3, 12, 9)) == due


# -- office hours -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("07:00-11:30, 11:00-17:00", id="overlapping"),
        pytest.param("13:30-17:00, 07:00-11:30", id="out-of-order"),
        pytest.param("07:00-11:30, 11:30-17:00", id="touching"),
    ],
)
def test_office_hours_are_intervals_in_order_that_do_not_overlap(text: str) -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^office_hours: intervals must be in order and must not overlap$",
    ):
        OfficeHours.parse(text)


def test_office_hours_need_an_interval_that_ends_after_it_starts() -> None:
    with pytest.raises(InvalidInputError, match=r"^office_hours: at least one interval is needed$"):
        OfficeHours(())
    with pytest.raises(InvalidInputError, match="11:30-07:00 ends before it starts"):
        OfficeHours.parse("11:30-07:00")
    with pytest.raises(InvalidInputError, match="ends before it starts"):
        OfficeHours.parse("07:00-07:00")
    with pytest.raises(InvalidInputError, match=r"cannot read '7 to 11'; expected HH:MM-HH:MM"):
        OfficeHours.parse("7 to 11")
    with pytest.raises(InvalidInputError, match="'25:00-26:00'"):
        OfficeHours.parse("25:00-26:00")


def test_office_hours_read_the_short_wording_and_print_the_long_one() -> None:
    hours = OfficeHours.parse("7h-11h30, 13h30-17h")
    assert str(hours) == "07:00-11:30, 13:30-17:00"
    assert hours.working_seconds == 8 * 3600
    assert (hours.opening, hours.closing) == (time(7), time(17))


def test_seconds_of_a_day_turn_back_into_a_time_and_midnight_into_the_last_second() -> None:
    assert time_of_seconds(9 * 3600 + 30 * 60 + 15) == time(9, 30, 15)
    assert time_of_seconds(86400) == time(23, 59, 59)
    assert CAL.time_of(61) == time(0, 1, 1)


# -- time limits ------------------------------------------------------------------------------
def test_n_ngay_lam_is_read_as_working_days_not_calendar_days() -> None:
    limit = TimeLimit.parse("5 ngày làm")
    assert limit.unit is LimitUnit.WORKING_DAYS
    assert CAL.due(vn(2025, 3, 14, 9), limit).due_at == vn(2025, 3, 21, 9)


def test_a_cut_off_is_read_at_its_hour_and_minute_over_the_whole_day() -> None:
    def cutoff(text: str) -> time | None:
        return TimeLimit.parse(f"3 ngày làm việc, nhận sau {text} thì tính ngày sau").cutoff

    assert cutoff("15 giờ 30") == time(15, 30)
    assert cutoff("0 giờ") == time(0, 0)
    assert cutoff("23:59") == time(23, 59)
    with pytest.raises(TimeLimitParseError, match="'3 ngày làm việc, nhận sau 24 giờ thì tính"):
        cutoff("24 giờ")
    with pytest.raises(TimeLimitParseError, match="cut-off 9:60 is no time"):
        cutoff("9:60")


def test_a_limit_keeps_its_cut_off_and_its_amount() -> None:
    assert TimeLimit.working_days(2, time(15)).cutoff == time(15)
    assert TimeLimit.calendar_months(3).amount == 3
    assert TimeLimit.parse("trong ngày, nhận sau 15 giờ trả ngày hôm sau").cutoff == time(15)


def test_words_after_the_amount_that_change_the_count_are_refused() -> None:
    with pytest.raises(TimeLimitParseError, match="understood 5 ngày làm việc, but not"):
        TimeLimit.parse("5 ngày làm việc nếu hồ sơ hợp lệ")
    with pytest.raises(TimeLimitParseError, match="same-day limit understood, but not"):
        TimeLimit.parse("trong ngày nếu hồ sơ hợp lệ")
    counted_from = TimeLimit.parse("5 ngày làm việc, kể từ ngày nhận đủ hồ sơ")
    assert counted_from.whole_days == 5
    assert counted_from.qualifier == "kể từ ngày nhận đủ hồ sơ"


def test_a_limit_is_described_in_both_languages_with_a_decimal_comma_in_vietnamese() -> None:
    half = TimeLimit.parse("0,5 ngày làm việc")
    assert half.describe() == "0,5 ngày làm việc"
    assert half.describe("en") == "0.5 working days"
    assert TimeLimit.same_day().describe() == "Trong ngày"


# -- receipts at the second ---------------------------------------------------------------
def test_a_receipt_with_a_fraction_of_a_second_counts_from_itself() -> None:
    at = vn(2025, 3, 10, 9, 0, 0, 500_000)
    assert CAL.effective_start(at) == at
    assert CAL.working_position(at) - CAL.working_position(vn(2025, 3, 10, 9)) == 0.5


def test_a_receipt_ten_seconds_after_the_cut_off_counts_from_the_next_working_day() -> None:
    assert CAL.effective_start(vn(2025, 3, 10, 15, 0, 10), time(15)) == vn(2025, 3, 11, 7)
    assert CAL.effective_start(vn(2025, 3, 10, 15, 0, 0), time(15)) == vn(2025, 3, 10, 15)


# -- the ends of the data range ----------------------------------------------------------------
def test_the_last_close_of_the_data_is_a_reachable_instant_and_one_second_more_is_not() -> None:
    last_close = CAL.closing(CAL.last_day)
    assert CAL.instant_at_position(CAL.working_position(last_close)) == last_close
    with pytest.raises(CalendarRangeError, match="runs past the calendar's data range"):
        CAL.instant_at_position(CAL.working_position(last_close) + 1)
    with pytest.raises(CalendarRangeError):
        CAL.instant_at_position(0)


def test_a_calendar_month_ending_past_the_data_is_a_range_error() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.due(vn(2027, 12, 20, 9), "1 tháng")


# -- errors name the field ---------------------------------------------------------------------
def test_each_instant_argument_is_named_when_it_is_naive() -> None:
    naive, aware = datetime(2025, 3, 10, 9), vn(2025, 3, 10, 9)
    with pytest.raises(NaiveDatetimeError, match=r"^due_at: naive"):
        CAL.classify(aware, naive)
    with pytest.raises(NaiveDatetimeError, match=r"^due_at: naive"):
        CAL.late_by(aware, naive)
    with pytest.raises(NaiveDatetimeError, match=r"^finished_at: naive"):
        CAL.late_by(naive, aware)
    with pytest.raises(NaiveDatetimeError, match=r"^day: naive"):
        CAL.add_working_days(naive, 1)
    with pytest.raises(NaiveDatetimeError, match=r"^at: naive"):
        CAL.working_position(naive)
    with pytest.raises(NaiveDatetimeError, match=r"^resumed_at: naive"):
        CAL.extend_by_pause(aware, aware, naive)


def test_each_day_argument_is_named_when_it_leaves_the_data_range() -> None:
    with pytest.raises(CalendarRangeError, match=r"^start 2019-12-01: outside"):
        CAL.working_days_in(date(2019, 12, 1), date(2025, 1, 1))
    with pytest.raises(CalendarRangeError, match=r"^end 2028-01-01: outside"):
        CAL.working_days_in(date(2025, 1, 1), date(2028, 1, 1))
    with pytest.raises(CalendarRangeError, match=r"^at 2028-01-03: outside"):
        CAL.working_position(vn(2028, 1, 3, 9))


def test_an_instant_is_read_from_iso_text_naming_the_field_when_it_cannot_be() -> None:
    assert parse_instant(" 2025-03-10T09:00:00+07:00 ") == vn(2025, 3, 10, 9)
    assert parse_instant("2025-03-10T02:00:00+00:00") == vn(2025, 3, 10, 9)
    with pytest.raises(InvalidInputError, match=r"^received_at: 'hôm qua' is not an ISO 8601"):
        parse_instant("hôm qua", "received_at")
    with pytest.raises(NaiveDatetimeError, match=r"^received_at: naive"):
        parse_instant("2025-03-10T09:00:00", "received_at")
    assert vn_datetime(date(2025, 3, 10), time(9, 30, 15)) == vn(2025, 3, 10, 9, 30, 15)


# -- the schedule data ---------------------------------------------------------------------
def test_a_worked_saturday_and_a_holiday_carry_their_kind_names_and_statute() -> None:
    cal = VietnamCalendar()  # built here, not at import: the schedule is read by this test
    saturday = cal.note(date(2025, 4, 26))
    assert saturday is not None
    assert saturday.kind is DayKind.WORKED_DAY
    assert saturday.name_en == "Worked Saturday, swapped for Friday 02/05/2025"
    new_year_2020, new_year_2025 = cal.note(date(2020, 1, 1)), cal.note(date(2025, 1, 1))
    assert new_year_2020 is not None
    assert new_year_2025 is not None
    assert (new_year_2025.name_vi, new_year_2025.name_en) == ("Tết Dương lịch", "New Year's Day")
    assert new_year_2020.document is not None
    assert new_year_2025.document is not None
    assert new_year_2020.document.key == "lc2012"  # Labour Code 2012 until the end of 2020
    assert new_year_2025.document.key == "lc2019"
    hung_kings = cal.note(date(2025, 4, 7))  # named by the holidays package, in both languages
    assert hung_kings is not None
    assert (hung_kings.name_vi, hung_kings.name_en) == (
        "Ngày Giỗ Tổ Hùng Vương",
        "Hung Kings' Commemoration Day",
    )


# -- a calendar built in the test: its tables, openings and vectorised forms ------------------
def test_a_calendar_built_with_tenant_days_answers_every_form_alike() -> None:
    cal = VietnamCalendar(
        extra_days_off=[date(2025, 3, 12)],
        extra_working_days=[date(2025, 3, 15)],
        office_hours=OfficeHours.parse("07:30-11:30, 13:00-17:00"),
    )
    assert cal.opening(date(2025, 3, 10)) == vn(2025, 3, 10, 7, 30)
    assert cal.closing(date(2025, 3, 15)) == vn(2025, 3, 15, 17)
    assert cal.effective_start(vn(2025, 3, 11, 17, 30)) == vn(2025, 3, 13, 7, 30)
    days = [date(2025, 3, 10) + timedelta(days=k) for k in range(9)]
    steps = [-3, -1, 0, 1, 2, 5]
    starts = np.array(days * len(steps), dtype="datetime64[D]")
    ns = np.repeat(np.array(steps), len(days))
    assert cal.add_working_days_array(starts, ns).tolist() == [
        cal.add_working_days(d, n) for d, n in zip(starts.tolist(), ns.tolist(), strict=True)
    ]
    assert cal.is_working_day_array(starts[:9]).tolist() == [cal.is_working_day(d) for d in days]
    assert cal.working_days_in(date(2025, 3, 12), date(2025, 3, 16)) == [
        date(2025, 3, 13),
        date(2025, 3, 14),
        date(2025, 3, 15),
    ]


def test_working_time_is_counted_from_the_first_opening_of_the_data() -> None:
    cal = VietnamCalendar()  # built here: the counting tables are made by this test
    assert cal.working_position(vn(2020, 1, 1, 9)) == 0  # 01/01/2020 is a holiday
    assert cal.working_position(vn(2020, 1, 2, 7)) == 0
    assert cal.instant_at_position(30 * 60) == vn(2020, 1, 2, 7, 30)


def test_a_last_day_off_that_cannot_roll_forward_inside_the_data_is_a_range_error() -> None:
    # 30 calendar days from 30/11/2027 end on Thu 30/12; with 30 and 31/12 off, the next
    # working day (BLDS 2015 Điều 148) lies past the data.
    cal = VietnamCalendar(extra_days_off=[date(2027, 12, 30), date(2027, 12, 31)])
    with pytest.raises(CalendarRangeError, match="2027-12-30"):
        cal.due(vn(2027, 11, 30, 9), "30 ngày")


# -- the explanation ---------------------------------------------------------------------------
def test_the_explanation_blames_the_cut_off_only_for_a_receipt_after_it() -> None:
    limit = TimeLimit.working_days(2, time(17, 30))  # a cut-off after the office close
    outside = CAL.due(vn(2025, 3, 10, 17, 15), limit).explain("en")
    assert "Received outside office hours: counted from 07:00 Tue 11/03/2025." in outside
    just_before = CAL.due(vn(2025, 3, 10, 17, 29, 59, 500_000), limit).explain("en")
    assert "Received outside office hours" in just_before
    late = CAL.due(vn(2025, 3, 10, 17, 30, 10), limit).explain("en")
    assert "Received after the 17:30 cut-off: counted from 07:00 Tue 11/03/2025." in late


def test_the_english_explanation_names_the_rule_and_the_weekends_skipped() -> None:
    lines = CAL.due(vn(2025, 3, 14, 9), "10 ngày").explanation("en")
    assert lines[1] == (
        "Calendar days/months: the first day is not counted (Civil Code 2015 Art. 147); "
        "a last day off moves to the next working day (Art. 148); due at office close."
    )
    assert lines[2] == "Weekends skipped: 15/03, 16/03, 22/03, 23/03."


def test_the_vietnamese_explanation_names_the_rule_of_each_kind_of_limit() -> None:
    working = CAL.due(vn(2025, 3, 14, 9), "3 ngày làm việc").explanation()
    assert working[1].endswith("hẹn trả cùng giờ của ngày làm việc cuối cùng được tính.")
    assert working[2] == "Ngày làm việc được tính: 17/03, 18/03, 19/03."
    calendar_days = CAL.due(vn(2025, 3, 14, 9), "10 ngày").explanation()
    assert calendar_days[1].startswith(
        "Ngày/tháng theo dương lịch: không tính ngày đầu (BLDS 2015 Điều 147); ngày cuối là"
    )
    same_day = CAL.due(vn(2025, 3, 14, 9), "trong ngày").explanation("en")
    assert same_day[1] == "Same day: due at the office close (Decree 23/2015 Art. 7 for a cut-off)."


def test_a_long_count_lists_31_working_days_and_says_how_many_there_were() -> None:
    text = CAL.due(vn(2025, 3, 3, 9), "40 ngày làm việc").explain("en")
    assert "14/04, 15/04, 16/04 … (40)." in text
    assert "17/04" not in text.split("Weekends")[0]


def test_timeliness_is_labelled_late_in_english() -> None:
    assert [t.label("en") for t in Timeliness] == ["early", "on time", "late"]


def test_working_days_added_to_an_aware_instant_count_from_its_day() -> None:
    assert CAL.add_working_days(vn(2025, 3, 14, 9), 1) == date(2025, 3, 17)
    assert CAL.add_working_days(vn(2025, 3, 15, 9), 1) == date(2025, 3, 17)  # a Saturday
    assert CAL.add_working_days(vn(2025, 3, 14, 9), -1) == date(2025, 3, 13)
    assert CAL.add_working_days(vn(2025, 3, 15, 9), -1) == date(2025, 3, 14)


def test_tenant_days_given_as_a_list_or_with_empty_names_are_the_same_calendar() -> None:
    listed = VietnamCalendar(extra_days_off=[date(2025, 3, 12)])
    named = VietnamCalendar(extra_days_off={date(2025, 3, 12): ""})
    assert listed.version == named.version
    assert listed == named


def test_a_tet_day_fixed_by_a_notice_keeps_the_holidays_package_names_and_names_the_notice() -> (
    None
):
    note = VietnamCalendar().note(date(2023, 1, 20))  # [[year.holiday]] with no names given
    assert note is not None
    assert (note.name_vi, note.name_en) == ("29 Tết", "29 of Lunar New Year")
    assert note.document is not None
    assert note.document.key == "vpcp-8056-2022"


def test_a_tenant_working_day_is_noted_on_its_own_date() -> None:
    cal = VietnamCalendar(extra_working_days={date(2025, 5, 3): "Làm bù"})
    note = cal.note(date(2025, 5, 3))
    assert note is not None
    assert (note.day, note.kind, note.name_vi) == (
        date(2025, 5, 3),
        DayKind.TENANT_WORKED_DAY,
        "Làm bù",
    )


def test_the_explanation_lists_the_holidays_skipped_as_one_sentence() -> None:
    due = CAL.due(vn(2025, 4, 28, 9), "3 ngày làm việc")
    assert due.explain().splitlines()[4] == (
        "Bỏ qua ngày lễ, ngày nghỉ: "
        "30/04/2025 (Ngày Chiến thắng — Bộ luật Lao động 45/2019/QH14, Điều 112); "
        "01/05/2025 (Ngày Quốc tế Lao động — Bộ luật Lao động 45/2019/QH14, Điều 112); "
        "02/05/2025 (Nghỉ hoán đổi dịp 30/4 - 1/5 (làm bù thứ Bảy 26/04/2025) — "
        "Thông báo 6150/TB-BLĐTBXH)."
    )


# -- survivors of a second sample (seed 13) ---------------------------------------------------
def test_office_time_includes_each_opening_and_excludes_each_close() -> None:
    # Default office hours 07:00–11:30 and 13:30–17:00, Mon 14/04/2025.
    assert CAL.is_office_time(vn(2025, 4, 14, 7))
    assert CAL.is_office_time(vn(2025, 4, 14, 13, 45))
    assert not CAL.is_office_time(vn(2025, 4, 14, 11, 30))
    assert not CAL.is_office_time(vn(2025, 4, 14, 12, 15))
    assert not CAL.is_office_time(vn(2025, 4, 14, 17))


def test_each_timeliness_has_its_vietnamese_label() -> None:
    assert [t.label() for t in Timeliness] == ["trước hạn", "đúng hạn", "quá hạn"]


def test_a_season_starting_on_a_day_no_year_has_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError, match=r"^season start \(2, 30\): "):
        Season((2, 30), OfficeHours.parse("07:00-11:30, 13:30-17:00"))


def test_a_naive_time_is_refused_showing_the_form_expected() -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        CAL.is_office_time(datetime(2025, 4, 14, 9))
    assert str(caught.value) == (
        "at: naive datetime 2025-04-14T09:00:00 has no time zone; business times must be "
        "aware (Asia/Ho_Chi_Minh, UTC+7), e.g. 2025-03-10T09:00:00+07:00"
    )


# -- seed 15 sample: office hours, tenant days, cut-offs with minutes, messages --------------
def test_a_day_of_three_office_intervals_closes_at_the_end_of_the_last_one() -> None:
    cal = VietnamCalendar(office_hours=OfficeHours.parse("07:00-09:00, 10:00-12:00, 13:00-16:30"))
    assert cal.closing(date(2025, 3, 10)) == vn(2025, 3, 10, 16, 30)
    assert cal.due(vn(2025, 3, 10, 9, 30), "trong ngày").due_at == vn(2025, 3, 10, 16, 30)
    assert cal.due(vn(2025, 3, 6, 9), "2 ngày").due_at == vn(2025, 3, 10, 16, 30)
    single = VietnamCalendar(office_hours=OfficeHours.parse("08:00-16:00"))
    assert single.closing(date(2025, 3, 10)) == vn(2025, 3, 10, 16)
    assert single.due(vn(2025, 3, 10, 9), "trong ngày").due_at == vn(2025, 3, 10, 16)


def test_a_tenant_day_given_without_a_name_is_noted_as_a_local_day_off_or_working_day() -> None:
    cal = VietnamCalendar(
        extra_days_off=[date(2025, 3, 12)], extra_working_days=[date(2025, 3, 15)]
    )
    assert cal.note(date(2025, 3, 12)) == DayNote(
        date(2025, 3, 12), DayKind.TENANT_DAY_OFF, "Ngày nghỉ của địa phương", "Local day off"
    )
    assert cal.note(date(2025, 3, 15)) == DayNote(
        date(2025, 3, 15),
        DayKind.TENANT_WORKED_DAY,
        "Ngày làm việc của địa phương",
        "Local working day",
    )


def test_a_day_or_a_count_of_the_wrong_type_is_refused_naming_the_argument_and_the_value() -> None:
    with pytest.raises(InvalidInputError) as day:
        CAL.add_working_days("2025-03-10", 1)  # type: ignore[arg-type]
    assert str(day.value) == "day: expected a date, got str '2025-03-10'"
    with pytest.raises(InvalidInputError) as count:
        CAL.add_working_days(date(2025, 3, 10), "1")  # type: ignore[arg-type]
    assert str(count.value) == "n: expected a whole number of days, got '1'"


def test_a_cut_off_with_minutes_counts_a_receipt_after_it_as_the_next_day() -> None:
    half_past = time(15, 30)
    assert CAL.effective_start(vn(2025, 3, 10, 15, 20), half_past) == vn(2025, 3, 10, 15, 20)
    assert CAL.effective_start(vn(2025, 3, 10, 15, 30), half_past) == vn(2025, 3, 10, 15, 30)
    assert CAL.effective_start(vn(2025, 3, 10, 15, 30, 1), half_past) == vn(2025, 3, 11, 7)
    with_seconds = time(15, 0, 30)
    assert CAL.effective_start(vn(2025, 3, 10, 15, 0, 30), with_seconds) == vn(
        2025, 3, 10, 15, 0, 30
    )
    assert CAL.effective_start(vn(2025, 3, 10, 15, 0, 31), with_seconds) == vn(2025, 3, 11, 7)
    limit = TimeLimit.parse(
        "2 ngày làm việc, nhận sau 15 giờ 30 thì tính từ ngày làm việc tiếp theo"
    )
    assert CAL.due(vn(2025, 3, 10, 15, 29), limit).due_at == vn(2025, 3, 12, 15, 29)
    assert CAL.due(vn(2025, 3, 10, 15, 31), limit).due_at == vn(2025, 3, 13, 7)


def test_counts_of_an_unsigned_integer_type_are_added_like_any_other() -> None:
    days = np.array(["2025-03-14", "2025-03-15", "2025-04-29"], dtype="datetime64[D]")
    added = CAL.add_working_days_array(days, np.array([1, 0, 2], dtype=np.uint64))
    assert added.tolist() == [date(2025, 3, 17), date(2025, 3, 15), date(2025, 5, 6)]


def test_office_time_asked_outside_the_data_is_refused_naming_the_instant() -> None:
    with pytest.raises(CalendarRangeError) as caught:
        CAL.is_office_time(vn(2028, 1, 3, 9))
    assert str(caught.value) == (
        "at 2028-01-03: outside the calendar's data range 2020-01-01..2027-12-31 "
        "(no official schedule; the engine does not guess)"
    )


def test_a_count_of_exactly_31_working_days_lists_them_all_without_a_total() -> None:
    lines = CAL.due(vn(2025, 3, 3, 9), "31 ngày làm việc").explanation("en")
    assert lines[2] == (
        "Working days counted: 04/03, 05/03, 06/03, 07/03, 10/03, 11/03, 12/03, 13/03, 14/03, "
        "17/03, 18/03, 19/03, 20/03, 21/03, 24/03, 25/03, 26/03, 27/03, 28/03, 31/03, 01/04, "
        "02/04, 03/04, 04/04, 08/04, 09/04, 10/04, 11/04, 14/04, 15/04, 16/04."
    )


def test_an_amount_that_is_not_a_finite_number_is_refused_showing_it() -> None:
    with pytest.raises(TimeLimitParseError) as nan:
        TimeLimit(Decimal("NaN"), LimitUnit.WORKING_DAYS)
    assert str(nan.value) == "time limit: amount must be a number (NaN)"
    with pytest.raises(TimeLimitParseError) as infinite:
        TimeLimit(Decimal("Infinity"), LimitUnit.WORKING_HOURS)
    assert str(infinite.value) == "time limit: amount must be a number (Infinity)"


def test_a_receipt_that_is_not_a_datetime_is_refused_naming_the_field_and_the_value() -> None:
    with pytest.raises(InvalidInputError) as caught:
        CAL.due("2025-03-10T09:00:00+07:00", "5 ngày làm việc")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "received_at: expected an aware datetime, got str '2025-03-10T09:00:00+07:00'"
    )


# -- seed 15 sample: the whole of the functions its survivors were in ------------------------
def test_a_count_of_a_numpy_integer_type_is_whole_and_zero_keeps_the_day_of_an_instant() -> None:
    assert CAL.add_working_days(vn(2025, 3, 14, 9), np.int64(1)) == date(2025, 3, 17)
    assert CAL.add_working_days(vn(2025, 3, 17, 9), np.int64(-1)) == date(2025, 3, 14)
    assert CAL.add_working_days(vn(2025, 3, 15, 9), 0) == date(2025, 3, 15)  # a Saturday
    assert CAL.add_working_days(vn(2025, 3, 14, 9), 0) == date(2025, 3, 14)


def test_a_receipt_a_fraction_of_a_second_past_the_opening_or_the_cut_off_is_past_it() -> None:
    after_opening = vn(2025, 3, 10, 7, 0, 0, 500_000)
    assert CAL.effective_start(after_opening) == after_opening
    at_opening = vn(2025, 3, 10, 7)
    assert CAL.effective_start(at_opening) is at_opening  # counted from itself
    assert CAL.effective_start(vn(2025, 3, 10, 15, 0, 0, 500_000), time(15)) == vn(2025, 3, 11, 7)


def test_a_receipt_that_cannot_be_placed_in_the_data_is_refused_naming_why() -> None:
    with pytest.raises(CalendarRangeError) as past_the_end:
        CAL.effective_start(vn(2028, 1, 1, 9))
    assert str(past_the_end.value) == (
        "at 2028-01-01: outside the calendar's data range 2020-01-01..2027-12-31 "
        "(no official schedule; the engine does not guess)"
    )
    with pytest.raises(CalendarRangeError) as received:
        CAL.due(vn(2028, 1, 1, 9), "5 ngày làm việc")
    assert str(received.value).startswith("received_at 2028-01-01: outside")
    with pytest.raises(CalendarRangeError) as no_next_day:
        CAL.effective_start(vn(2027, 12, 31, 18))  # after the last close of the data
    assert str(no_next_day.value) == (
        "counting from 2027-12-31 runs past the calendar's data range 2020-01-01..2027-12-31"
    )


def test_the_array_form_reads_dates_of_any_form_and_one_day_with_many_counts() -> None:
    assert CAL.add_working_days_array(np.datetime64("2025-03-14"), [-1, 0, 1, 5]).tolist() == [
        date(2025, 3, 13),
        date(2025, 3, 14),
        date(2025, 3, 17),
        date(2025, 3, 21),
    ]
    assert CAL.add_working_days_array([date(2025, 3, 14), date(2025, 3, 15)], 1).tolist() == [
        date(2025, 3, 17),
        date(2025, 3, 17),
    ]
    column = np.array([["2025-03-14"], ["2025-03-15"]], dtype="datetime64[D]")
    assert CAL.add_working_days_array(column, [-1, 0, 1]).tolist() == [
        [date(2025, 3, 13), date(2025, 3, 14), date(2025, 3, 17)],
        [date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 17)],
    ]
    instants = np.array(["2025-03-14T10:00"], dtype="datetime64[s]")
    assert CAL.add_working_days_array(instants, 1).tolist() == [date(2025, 3, 17)]


def test_the_array_form_refuses_a_count_past_the_last_working_day_of_the_data() -> None:
    last = np.array(["2027-12-31"], dtype="datetime64[D]")
    assert CAL.add_working_days_array(last, 0).tolist() == [date(2027, 12, 31)]
    with pytest.raises(CalendarRangeError) as caught:
        CAL.add_working_days_array(last, 1)
    assert str(caught.value) == (
        "counting runs past the calendar's data range 2020-01-01..2027-12-31"
    )


def test_office_time_is_judged_to_the_second() -> None:
    assert not CAL.is_office_time(vn(2025, 4, 14, 6, 59, 30))
    assert not CAL.is_office_time(vn(2025, 4, 14, 6, 59, 55))
    assert CAL.is_office_time(vn(2025, 4, 14, 7, 0, 30))
    assert CAL.is_office_time(vn(2025, 4, 14, 11, 29, 59))
    assert CAL.is_office_time(vn(2025, 4, 14, 16, 59, 59))


def test_a_count_due_on_its_receipt_day_lists_no_days() -> None:
    assert CAL.due(vn(2025, 3, 10, 7), "4 giờ làm việc").explanation() == [
        "Tiếp nhận: 07:00 thứ Hai 10/03/2025; thời hạn: 4 giờ làm việc.",
        "Giờ làm việc: chỉ tính thời gian trong giờ hành chính; hạn rơi đúng giờ đóng cửa thì "
        "giữ nguyên giờ đóng cửa.",
        "Hẹn trả kết quả: 11:00 thứ Hai 10/03/2025.",
    ]


def test_the_explanation_is_vietnamese_by_default_with_a_decimal_comma() -> None:
    assert CAL.due(vn(2025, 3, 10, 7), "0,5 ngày làm việc").explanation() == [
        "Tiếp nhận: 07:00 thứ Hai 10/03/2025; thời hạn: 0,5 ngày làm việc.",
        "Ngày làm việc: không tính ngày tiếp nhận (BLDS 2015 Điều 147); hẹn trả cùng giờ của "
        "ngày làm việc cuối cùng được tính; phần lẻ của ngày tính theo giờ làm việc "
        "(1 ngày làm việc = 8 giờ), chỉ trong giờ hành chính.",
        "Hẹn trả kết quả: 11:00 thứ Hai 10/03/2025.",
    ]


def test_a_count_of_32_working_days_lists_31_and_says_there_were_32() -> None:
    lines = CAL.due(vn(2025, 3, 3, 9), "32 ngày làm việc").explanation("en")
    assert lines[2].endswith(", 14/04, 15/04, 16/04 … (32).")


def test_worked_weekend_days_counted_are_listed_in_one_sentence() -> None:
    cal = VietnamCalendar(extra_working_days=[date(2025, 3, 15), date(2025, 3, 22)])
    lines = cal.due(vn(2025, 3, 14, 9), "7 ngày làm việc").explanation("en")
    assert lines[-2] == (
        "Worked weekend days counted: 15/03/2025 (Local working day); "
        "22/03/2025 (Local working day)."
    )


def test_office_hours_are_pairs_of_times_and_may_start_at_midnight() -> None:
    with pytest.raises(InvalidInputError) as not_times:
        OfficeHours(((7, 11),))  # type: ignore[arg-type]
    assert str(not_times.value) == "office_hours: intervals are (time, time) pairs"
    with pytest.raises(InvalidInputError) as one_time:
        OfficeHours(((time(7), "11:00"),))  # type: ignore[arg-type]
    assert str(one_time.value) == "office_hours: intervals are (time, time) pairs"
    assert OfficeHours.parse("00:00-12:00").seconds == ((0, 12 * 3600),)


def test_a_limit_whose_unit_is_not_a_limit_unit_is_refused_showing_it() -> None:
    with pytest.raises(TimeLimitParseError) as caught:
        TimeLimit(Decimal(5), "working_days")  # type: ignore[arg-type]
    assert str(caught.value) == "time limit: unit must be a LimitUnit, got 'working_days'"


def test_a_fraction_of_a_second_in_a_limit_is_kept_to_the_microsecond() -> None:
    hours = CAL.due(vn(2025, 3, 10, 9), TimeLimit.working_hours("0.0001"))
    assert hours.due_at == vn(2025, 3, 10, 9, 0, 0, 360_000)
    days = CAL.due(vn(2025, 3, 10, 9), TimeLimit.working_days("1.00001"))
    assert days.due_at == vn(2025, 3, 11, 9, 0, 0, 288_000)


class _NoOffset(tzinfo):
    """A time zone that does not know its offset: the instant is as good as naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None


def test_an_instant_whose_time_zone_gives_no_offset_is_refused_as_naive() -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        CAL.working_position(datetime(2025, 3, 10, 9, tzinfo=_NoOffset()))
    assert str(caught.value) == (
        "at: naive datetime 2025-03-10T09:00:00 has no time zone; business times must be "
        "aware (Asia/Ho_Chi_Minh, UTC+7), e.g. 2025-03-10T09:00:00+07:00"
    )


def test_an_instant_that_utc_plus_7_cannot_hold_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError) as caught:
        CAL.working_position(datetime.max.replace(tzinfo=UTC))
    assert str(caught.value) == (
        "at: 9999-12-31T23:59:59.999999+00:00 cannot be expressed in UTC+7 "
        "(out of the range of dates)"
    )


def test_a_calendar_is_rebuilt_from_its_settings_and_shows_its_office_hours() -> None:
    cal = VietnamCalendar(  # built here: its settings are kept by this test
        office_hours=OfficeHours.parse("07:30-11:30, 13:00-17:00"),
        extra_days_off={date(2025, 3, 12): "Lễ hội"},
        extra_working_days=[date(2025, 3, 15)],
    )
    assert cal.office_hours == OfficeHours.parse("07:30-11:30, 13:00-17:00")
    assert cal.extra_days_off == {date(2025, 3, 12): "Lễ hội"}
    assert cal.extra_working_days == {date(2025, 3, 15): ""}
    assert repr(cal) == (
        f"VietnamCalendar(version={cal.version!r}, office_hours='07:30-11:30, 13:00-17:00')"
    )
    again = pickle.loads(pickle.dumps(cal))
    assert again == cal
    assert again.extra_days_off == cal.extra_days_off
    assert again.extra_working_days == cal.extra_working_days


def test_tenant_days_may_be_the_first_and_last_days_of_the_data_but_not_outside_it() -> None:
    cal = VietnamCalendar(
        extra_working_days=[date(2020, 1, 1)], extra_days_off=[date(2027, 12, 31)]
    )
    assert cal.is_working_day(date(2020, 1, 1))
    assert not cal.is_working_day(date(2027, 12, 31))
    with pytest.raises(CalendarRangeError) as caught:
        VietnamCalendar(extra_days_off=[date(2019, 12, 31)])
    assert str(caught.value) == (
        "2019-12-31: outside the calendar's data range 2020-01-01..2027-12-31"
    )


def test_new_years_day_2021_rests_on_the_labour_code_2019() -> None:
    note = VietnamCalendar().note(date(2021, 1, 1))  # built here: the schedule is read now
    assert note is not None
    assert note.document is not None
    assert note.document.key == "lc2019"


@pytest.mark.parametrize("zero", [0.0, Decimal(0)], ids=["float", "decimal"])
def test_a_zero_count_that_is_not_an_integer_is_refused_like_any_other(zero: object) -> None:
    for day in (date(2025, 3, 10), vn(2025, 3, 10, 9)):
        with pytest.raises(InvalidInputError) as caught:
            CAL.add_working_days(day, zero)  # type: ignore[arg-type]
        assert str(caught.value) == f"n: expected a whole number of days, got {zero!r}"
    assert CAL.add_working_days(date(2025, 3, 15), np.int64(0)) == date(2025, 3, 15)
    assert CAL.add_working_days(date(2025, 3, 15), False) == date(2025, 3, 15)


def test_a_zero_count_from_a_day_outside_the_data_is_still_a_range_error() -> None:
    with pytest.raises(CalendarRangeError) as caught:
        CAL.add_working_days(date(2028, 1, 3), 0)
    assert str(caught.value) == (
        "date 2028-01-03: outside the calendar's data range 2020-01-01..2027-12-31 "
        "(no official schedule; the engine does not guess)"
    )


# -- seed 15, the 400 sample -------------------------------------------------------------------
def test_working_time_past_the_data_is_refused_naming_the_range() -> None:
    with pytest.raises(CalendarRangeError) as caught:
        CAL.instant_at_position(0)
    assert str(caught.value) == (
        "working time runs past the calendar's data range 2020-01-01..2027-12-31"
    )


def test_a_due_clock_outside_the_due_days_hours_moves_to_the_close_before_it_or_the_opening() -> (
    None
):
    summer = Season((4, 15), OfficeHours.parse("07:00-11:30, 13:30-17:00"))
    winter = Season((10, 15), OfficeHours.parse("07:30-11:00, 13:00-16:30"))
    cal = VietnamCalendar(seasons=[summer, winter])
    # received on Tue 14/10/2025 (summer hours), due on Wed 15/10 (winter hours)
    assert cal.due(vn(2025, 10, 14, 16, 45), "1 ngày làm việc").due_at == vn(2025, 10, 15, 16, 30)
    assert cal.due(vn(2025, 10, 14, 11, 15), "1 ngày làm việc").due_at == vn(2025, 10, 15, 11)
    assert cal.due(vn(2025, 10, 14, 7, 10), "1 ngày làm việc").due_at == vn(2025, 10, 15, 7, 30)
    assert cal.due(vn(2025, 10, 14, 10, 20), "1 ngày làm việc").due_at == vn(2025, 10, 15, 10, 20)


def test_a_deadline_hashes_like_its_receipt_limit_and_due() -> None:
    deadline = CAL.due(vn(2025, 3, 10, 9), "5 ngày làm việc")
    assert hash(deadline) == hash((deadline.received_at, deadline.limit, deadline.due_at))


def test_the_explanation_blames_the_cut_off_for_a_receipt_half_a_second_after_it() -> None:
    limit = TimeLimit.working_days(2, time(15))
    lines = CAL.due(vn(2025, 3, 10, 15, 0, 0, 500_000), limit).explanation("en")
    assert lines[1] == "Received after the 15:00 cut-off: counted from 07:00 Tue 11/03/2025."


# -- seed 15, the whole package: messages, boundaries and defaults ---------------------------
def _message(call: Callable[[], object]) -> str:
    with pytest.raises(TthcError) as caught:
        call()
    return str(caught.value)


_RANGE = "2020-01-01..2027-12-31"


def test_every_day_argument_past_the_data_is_refused_naming_the_argument_and_the_range() -> None:
    outside = (
        f"outside the calendar's data range {_RANGE} "
        "(no official schedule; the engine does not guess)"
    )
    assert _message(lambda: CAL.working_days_between(date(2019, 12, 1), date(2025, 1, 1))) == (
        f"start 2019-12-01: {outside}"
    )
    assert _message(lambda: CAL.working_days_between(date(2025, 1, 1), date(2028, 1, 1))) == (
        f"end 2028-01-01: {outside}"
    )
    assert _message(lambda: CAL.working_position(vn(2028, 1, 1, 9))) == f"at 2028-01-01: {outside}"
    assert _message(lambda: CAL.next_working_day(date(2027, 12, 31))) == (
        f"counting from 2027-12-31 runs past the calendar's data range {_RANGE}"
    )
    assert _message(lambda: CAL.previous_working_day(date(2020, 1, 2))) == (
        f"counting from 2020-01-02 runs past the calendar's data range {_RANGE}"
    )
    days = np.array(["2028-01-01"], dtype="datetime64[D]")
    assert _message(lambda: CAL.is_working_day_array(days)) == (
        f"dates outside the calendar's data range {_RANGE}"
    )


def test_a_count_ending_just_past_the_data_is_a_range_error_naming_the_limit() -> None:
    assert _message(lambda: CAL.due(vn(2027, 12, 30, 9), "2 ngày làm việc")) == (
        f"counting from 2027-12-30 runs past the calendar's data range {_RANGE}"
    )
    assert _message(lambda: CAL.due(vn(2027, 12, 31, 9), "1 ngày")) == (
        f"due: 1 ngày from 2027-12-31 ends after the calendar's data range {_RANGE}"
    )
    assert _message(lambda: CAL.due(vn(2025, 3, 10, 9), "120000 tháng")) == (
        f"due: 120000 tháng from 2025-03-10 ends after the calendar's data range {_RANGE}"
    )


def test_wrong_arguments_are_refused_with_the_whole_rule() -> None:
    assert _message(lambda: CAL.due(vn(2025, 3, 10, 9), 5)) == (  # type: ignore[arg-type]
        "limit: expected a TimeLimit or wording such as '5 ngày làm việc', got 5"
    )
    assert _message(lambda: working_hours_of(TimeLimit.calendar_days(10))) == (
        "10 ngày: only working-day and working-hour limits convert to hours"
    )
    assert _message(lambda: CAL.opening(date(2025, 3, 15))) == "2025-03-15 is not a working day"
    assert _message(lambda: CAL.closing(date(2025, 3, 16))) == "2025-03-16 is not a working day"
    assert _message(
        lambda: CAL.extend_by_pause(vn(2025, 3, 20, 9), vn(2025, 3, 12, 9), vn(2025, 3, 11, 9))
    ) == ("resumed_at: a pause cannot end before it starts")
    assert _message(lambda: CAL.is_working_day(datetime(2025, 3, 10, 9))).startswith(
        "day: naive datetime 2025-03-10T09:00:00 has no time zone"
    )
    assert _message(lambda: parse_instant("hôm qua")) == (
        "at: 'hôm qua' is not an ISO 8601 date-time (e.g. 2025-03-10T09:00:00+07:00)"
    )


def test_a_calendar_hashes_like_its_version_and_a_deadline_equals_only_deadlines() -> None:
    assert hash(CAL) == hash(CAL.version)
    deadline = CAL.due(vn(2025, 3, 10, 9), "5 ngày làm việc")
    assert deadline != "5 ngày làm việc"
    assert deadline != None  # noqa: E711


def test_the_array_form_reads_a_list_of_dates() -> None:
    assert CAL.is_working_day_array([date(2025, 3, 15), date(2025, 3, 17)]).tolist() == [
        False,
        True,
    ]


def test_a_due_clock_with_seconds_is_kept_to_the_second_inside_the_due_days_hours() -> None:
    summer = Season((4, 15), OfficeHours.parse("07:00-11:30, 13:30-17:00"))
    winter = Season((10, 15), OfficeHours.parse("07:30-11:00, 13:00-16:30"))
    cal = VietnamCalendar(seasons=[summer, winter])
    limit = "1 ngày làm việc"
    assert cal.due(vn(2025, 10, 14, 16, 29, 50), limit).due_at == vn(2025, 10, 15, 16, 29, 50)
    assert cal.due(vn(2025, 10, 14, 16, 30, 10), limit).due_at == vn(2025, 10, 15, 16, 30)


def test_a_receipt_at_or_before_a_cut_off_after_the_close_is_only_outside_office_hours() -> None:
    at_cut_off = CAL.due(vn(2025, 3, 10, 17, 30), TimeLimit.working_days(2, time(17, 30)))
    assert at_cut_off.explanation("en")[1] == (
        "Received outside office hours: counted from 07:00 Tue 11/03/2025."
    )
    before = CAL.due(vn(2025, 3, 10, 17, 30, 10), TimeLimit.working_days(2, time(17, 30, 30)))
    assert before.explanation("en")[1] == (
        "Received outside office hours: counted from 07:00 Tue 11/03/2025."
    )


def test_a_deadline_as_a_dict_is_in_vietnamese_by_default() -> None:
    view = CAL.due(vn(2025, 3, 10, 7), "0,5 ngày làm việc").as_dict()
    assert view["limit"] == "0,5 ngày làm việc"
    assert view["amount"] == "0.5"


def test_office_hours_seasons_and_clock_times_are_read_to_the_second() -> None:
    assert OfficeHours(((time(7, 0, 30), time(11)),)).seconds == ((7 * 3600 + 30, 11 * 3600),)
    assert time_of_seconds(3600) == time(1)
    leap = Season((2, 29), OfficeHours.parse("08:00-16:00"))
    assert leap.start == (2, 29)
    spring = Season((3, 1), OfficeHours.parse("07:00-11:00, 13:00-17:00"))
    summer = Season((6, 1), OfficeHours.parse("06:30-10:30, 14:00-18:00"))
    autumn = Season((9, 1), OfficeHours.parse("07:30-11:30, 13:30-17:30"))
    cal = VietnamCalendar(seasons=[spring, summer, autumn])
    assert cal.opening(date(2025, 1, 10)) == vn(2025, 1, 10, 7, 30)  # last year's autumn
    assert cal.opening(date(2025, 7, 10)) == vn(2025, 7, 10, 6, 30)


def test_limit_wording_with_extra_spaces_tieng_and_same_day_qualifiers_is_read() -> None:
    assert TimeLimit.parse("5 ngày   làm  việc") == TimeLimit.working_days(5)
    assert TimeLimit.parse("4 tiếng") == TimeLimit.working_hours(4)
    assert TimeLimit.parse("Trong ngày.").qualifier == ""
    qualified = TimeLimit.parse("trong ngày, kể từ khi nhận đủ hồ sơ")
    assert qualified.qualifier == "kể từ khi nhận đủ hồ sơ"
    assert TimeLimit.same_day().amount == 0
    assert TimeLimit.same_day() == TimeLimit.parse("trong ngày")


def test_a_due_clock_a_fraction_of_a_second_past_the_due_days_close_is_kept_at_the_close() -> None:
    summer = Season((4, 15), OfficeHours.parse("07:00-11:30, 13:30-17:00"))
    winter = Season((10, 15), OfficeHours.parse("07:30-11:00, 13:00-16:30"))
    cal = VietnamCalendar(seasons=[summer, winter])
    limit = "1 ngày làm việc"
    after_close = cal.due(vn(2025, 10, 14, 11, 0, 0, 500_000), limit)
    assert after_close.due_at == vn(2025, 10, 15, 11)
    after_opening = cal.due(vn(2025, 10, 14, 7, 30, 0, 500_000), limit)
    assert after_opening.due_at == vn(2025, 10, 15, 7, 30, 0, 500_000)
