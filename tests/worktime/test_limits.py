"""TimeLimit.parse reads the wording of published procedure sheets (DESIGN.md §3)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest

from tthc_engine.errors import TimeLimitParseError
from tthc_engine.worktime import LimitUnit, TimeLimit
from tthc_engine.worktime.calendar import working_hours_of

WD, WH, CD, CM, SD = (
    LimitUnit.WORKING_DAYS,
    LimitUnit.WORKING_HOURS,
    LimitUnit.CALENDAR_DAYS,
    LimitUnit.CALENDAR_MONTHS,
    LimitUnit.SAME_DAY,
)

WORDINGS = [
    pytest.param("05 ngày làm việc", "5", WD, None, id="05-ngay-lam-viec"),
    pytest.param("5 ngày làm việc", "5", WD, None, id="5-ngay-lam-viec"),
    pytest.param("5 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", "5", WD, None, id="with-kể-từ"),
    pytest.param("Không quá 10 ngày làm việc", "10", WD, None, id="không-quá"),
    pytest.param("Trong thời hạn 03 ngày làm việc.", "3", WD, None, id="trong-thời-hạn"),
    pytest.param("08 giờ làm việc", "8", WH, None, id="08-gio-lam-viec"),
    pytest.param("4 giờ", "4", WH, None, id="4-gio"),
    pytest.param("0,5 ngày làm việc", "0.5", WD, None, id="half-a-working-day"),
    pytest.param("1.5 ngày làm việc", "1.5", WD, None, id="decimal-point"),
    pytest.param("10 ngày", "10", CD, None, id="10-ngay"),
    pytest.param("03 tháng", "3", CM, None, id="03-thang"),
    pytest.param("trong ngày", "0", SD, None, id="trong-ngay"),
    pytest.param("ngay trong ngày", "0", SD, None, id="ngay-trong-ngay"),
    pytest.param("Trong ngày làm việc", "0", SD, None, id="trong-ngay-lam-viec"),
    pytest.param(
        "Trong ngày làm việc; trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo",
        "0",
        SD,
        time(15, 0),
        id="chung-thuc-cutoff-15h",
    ),
    pytest.param("  05   NGÀY LÀM VIỆC ", "5", WD, None, id="spacing-and-case"),
    pytest.param(
        "05 nga\u0300y la\u0300m vie\u0323\u0302c", "5", WD, None, id="decomposed-unicode-nfd"
    ),
]


@pytest.mark.parametrize(("text", "amount", "unit", "cutoff"), WORDINGS)
def test_parse_reads_the_published_wording(
    text: str, amount: str, unit: LimitUnit, cutoff: time | None
) -> None:
    limit = TimeLimit.parse(text)
    assert (limit.amount, limit.unit, limit.cutoff) == (Decimal(amount), unit, cutoff)


@pytest.mark.parametrize(("text", "amount", "unit", "cutoff"), WORDINGS)
def test_str_of_a_parsed_limit_parses_back_to_an_equal_limit(
    text: str, amount: str, unit: LimitUnit, cutoff: time | None
) -> None:
    limit = TimeLimit.parse(text)
    assert TimeLimit.parse(str(limit)) == limit


def test_the_qualifier_is_kept_verbatim_and_does_not_change_equality() -> None:
    limit = TimeLimit.parse("5 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ")
    assert limit.qualifier == "kể từ ngày nhận đủ hồ sơ hợp lệ"
    assert limit == TimeLimit.working_days(5)


@pytest.mark.parametrize(
    ("limit", "vi", "en"),
    [
        pytest.param(TimeLimit.working_days(5), "5 ngày làm việc", "5 working days", id="wd"),
        pytest.param(
            TimeLimit.working_days("0.5"), "0,5 ngày làm việc", "0.5 working days", id="half"
        ),
        pytest.param(TimeLimit.working_hours(8), "8 giờ làm việc", "8 working hours", id="wh"),
        pytest.param(TimeLimit.calendar_days(10), "10 ngày", "10 calendar days", id="cd"),
        pytest.param(TimeLimit.calendar_months(3), "3 tháng", "3 months", id="months"),
        pytest.param(TimeLimit.same_day(), "Trong ngày", "same working day", id="same-day"),
        pytest.param(
            TimeLimit.same_day(time(15, 0)),
            "Trong ngày; trường hợp nhận sau 15:00 thì trả trong ngày làm việc tiếp theo",
            "same working day (received after 15:00: next working day)",
            id="same-day-cutoff",
        ),
    ],
)
def test_describe_in_vietnamese_and_english(limit: TimeLimit, vi: str, en: str) -> None:
    assert str(limit) == vi
    assert limit.describe("en") == en
    assert TimeLimit.parse(vi) == limit


def test_a_working_day_limit_with_a_cutoff_round_trips() -> None:
    limit = TimeLimit.working_days(1, cutoff=time(15, 0))
    assert TimeLimit.parse(str(limit)) == limit


def test_working_hours_of_converts_days_at_eight_hours_each() -> None:
    assert working_hours_of(TimeLimit.parse("0,5 ngày làm việc")) == Decimal(4)
    assert working_hours_of(TimeLimit.parse("08 giờ làm việc")) == Decimal(8)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "5 tuần",
            "time limit '5 tuần': unknown unit 'tuần'; expected one of 'ngày làm việc', "
            "'giờ làm việc', 'ngày', 'tháng' or 'trong ngày'",
            id="unknown-unit",
        ),
        pytest.param("", "time limit: empty text", id="empty"),
        pytest.param("   ", "time limit: empty text", id="blank"),
        pytest.param(
            "theo quy định",
            "time limit 'theo quy định': no amount found; expected e.g. '5 ngày làm việc', "
            "'8 giờ làm việc', '10 ngày' or 'trong ngày'",
            id="no-amount",
        ),
        pytest.param(
            "1,5 ngày",
            "time limit: 1.5 ngày must be a whole number",
            id="fraction-of-calendar-days",
        ),
        pytest.param(
            "5 ngày làm việc hoặc 7 ngày",
            "time limit '5 ngày làm việc hoặc 7 ngày': understood 5 ngày làm việc, "
            "but not 'hoặc 7 ngày'",
            id="trailing",
        ),
        pytest.param(
            "trong ngày nếu hồ sơ hợp lệ",
            "time limit 'trong ngày nếu hồ sơ hợp lệ': same-day limit understood, "
            "but not 'nếu hồ sơ hợp lệ'",
            id="same-day-trailing",
        ),
        pytest.param(
            "trong ngày; nhận sau 25 giờ thì trả hôm sau",
            "time limit 'trong ngày; nhận sau 25 giờ thì trả hôm sau': cut-off 25:00 is no time",
            id="25h",
        ),
    ],
)
def test_unknown_wording_is_refused_with_what_was_not_understood(text: str, message: str) -> None:
    with pytest.raises(TimeLimitParseError) as caught:
        TimeLimit.parse(text)
    assert str(caught.value) == message


def test_parse_refuses_what_is_not_text() -> None:
    with pytest.raises(TimeLimitParseError) as caught:
        TimeLimit.parse(5)  # type: ignore[arg-type]
    assert str(caught.value) == "time limit: expected text such as '5 ngày làm việc', got 5"


def test_a_cut_off_is_described_in_english_as_counting_from_the_next_working_day() -> None:
    assert TimeLimit.working_days(2, time(15)).describe("en") == (
        "2 working days (received after 15:00: counted from the next working day)"
    )


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(TimeLimitParseError, match="must not be negative"):
        TimeLimit.working_days(-1)


def test_limits_are_immutable_values() -> None:
    limit = TimeLimit.working_days(5)
    with pytest.raises(AttributeError):
        limit.amount = Decimal(6)  # type: ignore[misc]
    assert hash(limit) == hash(TimeLimit.parse("05 ngày làm việc"))
    assert limit.whole_days == 5
