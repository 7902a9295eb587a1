"""The shipped civil-servant schedule 2020–2027, against the real ``holidays`` data.

Each year's weekdays off and worked weekend days are pinned in a golden file
(``tests/snapshots/calendar/vn-<year>.txt``), reviewed line by line against the year's
decision (docs/decisions/0002-calendar-data-sources.md). ``TTHC_UPDATE_SNAPSHOTS=1``
rewrites the files instead of comparing.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import pytest

from tthc_engine import VN_TZ, CalendarDataError, VietnamCalendar
from tthc_engine.worktime.schedule import (
    DayKind,
    DayNote,
    Document,
    load_schedule,
    parse_schedule,
)

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots" / "calendar"
YEARS = range(2020, 2028)


@pytest.fixture(scope="module")
def calendar() -> VietnamCalendar:
    return VietnamCalendar()


def _days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(n) for n in range((date(year + 1, 1, 1) - first).days)]


def _snapshot(cal: VietnamCalendar, year: int) -> str:
    schedule = cal.schedule
    docs = "; ".join(d.number for d in schedule.year_documents[year])
    lines = [f"# vn-{year}  status={schedule.year_status[year]}  documents: {docs}"]
    for day in _days(year):
        weekend = day.weekday() >= 5
        working = cal.is_working_day(day)
        if weekend != working:
            continue
        note = cal.note(day)
        assert note is not None, f"{day}: special day without a note"
        doc = note.document.number if note.document else "-"
        status = "work" if working else "off"
        lines.append(f"{day.isoformat()} {status}  {note.kind.value}  {note.name_vi}  [{doc}]")
    return "\n".join(lines) + "\n"


def _vn_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def _at(y: int, m: int, d: int, hh: int = 9) -> datetime:
    return datetime(y, m, d, hh, 0, tzinfo=VN_TZ)


# -- golden files ------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_each_years_weekdays_off_and_worked_weekends_match_the_golden_file(
    calendar: VietnamCalendar, year: int
) -> None:
    text = _snapshot(calendar, year)
    path = SNAPSHOTS / f"vn-{year}.txt"
    if os.environ.get("TTHC_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with TTHC_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8")


# -- where the decision and `holidays` 0.109 differ ---------------------------------------


def test_friday_2_january_2026_is_a_swapped_day_off_that_holidays_misses(
    calendar: VietnamCalendar,
) -> None:
    day = date(2026, 1, 2)
    assert day not in _vn_holidays(2026)
    assert not calendar.is_working_day(day)
    note = calendar.note(day)
    assert note is not None
    assert note.kind is DayKind.DECREED_DAY_OFF
    assert note.document is not None
    assert note.document.number == "Công văn 12729/VPCP-KGVX"


@pytest.mark.parametrize(
    ("saturday", "number"),
    [
        (date(2024, 5, 4), "Công văn 2450/VPCP-KGVX"),
        (date(2025, 4, 26), "Thông báo 6150/TB-BLĐTBXH"),
        (date(2026, 1, 10), "Công văn 12729/VPCP-KGVX"),
        (date(2026, 8, 22), "Thông báo 9441/TB-BNV"),
    ],
)
def test_a_swapped_saturday_is_a_working_day_with_its_document(
    calendar: VietnamCalendar, saturday: date, number: str
) -> None:
    assert saturday.weekday() == 5
    assert calendar.is_working_day(saturday)
    note = calendar.note(saturday)
    assert note is not None
    assert note.kind is DayKind.WORKED_DAY
    assert note.document is not None
    assert note.document.number == number
    assert note.document.official


def test_the_only_worked_weekend_days_2020_to_2027_are_the_four_swapped_saturdays(
    calendar: VietnamCalendar,
) -> None:
    worked = [d for y in YEARS for d in _days(y) if d.weekday() >= 5 and calendar.is_working_day(d)]
    assert worked == [date(2024, 5, 4), date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)]


def test_every_weekday_holidays_lists_is_a_day_off(calendar: VietnamCalendar) -> None:
    for year in YEARS:
        for day in _vn_holidays(year):
            if day.weekday() < 5:
                assert not calendar.is_working_day(day), day


def test_2_january_2026_is_the_only_weekday_off_holidays_does_not_list(
    calendar: VietnamCalendar,
) -> None:
    extra = [
        d
        for y in YEARS
        for d in _days(y)
        if d.weekday() < 5 and not calendar.is_working_day(d) and d not in _vn_holidays(y)
    ]
    assert extra == [date(2026, 1, 2)]


@pytest.mark.parametrize("day", [date(2026, 11, 24), date(2027, 11, 24)])
def test_vietnam_culture_day_is_a_day_off_resting_on_resolution_28_2026(
    calendar: VietnamCalendar, day: date
) -> None:
    assert day in _vn_holidays(day.year)
    assert not calendar.is_working_day(day)
    note = calendar.note(day)
    assert note is not None
    assert note.kind is DayKind.HOLIDAY
    assert note.document is not None
    assert note.document.number.startswith("Nghị quyết 28/2026/QH16")
    assert note.document.official


def test_monday_23_november_2026_stays_a_working_day_because_the_swap_was_not_adopted(
    calendar: VietnamCalendar,
) -> None:
    assert calendar.is_working_day(date(2026, 11, 23))
    assert not calendar.is_working_day(date(2026, 11, 28))


def test_a_tenant_can_keep_24_november_2026_as_a_working_day_for_replaying_old_deadlines() -> None:
    cal = VietnamCalendar(extra_working_days={date(2026, 11, 24): "Lịch cũ, trước NQ 28/2026"})
    assert cal.is_working_day(date(2026, 11, 24))
    assert cal != VietnamCalendar()


def test_a_five_working_day_limit_received_on_friday_20_november_2026_skips_culture_day(
    calendar: VietnamCalendar,
) -> None:
    deadline = calendar.due(_at(2026, 11, 20), "05 ngày làm việc")
    # 23, 25, 26, 27 and 30 November: Tuesday 24 is Ngày Văn hóa Việt Nam.
    assert deadline.due_at == _at(2026, 11, 30)
    assert not deadline.provisional


def test_the_tet_days_a_notice_fixed_cite_that_notice(calendar: VietnamCalendar) -> None:
    expected = {
        date(2020, 1, 23): "Tờ trình 54/TTr-LĐTBXH",
        date(2021, 2, 16): "9895/VPCP-KGVX",
        date(2022, 1, 31): "245/VPCP-KGVX",
        date(2023, 1, 26): "8056/VPCP-KGVX",
        date(2024, 2, 14): "5015/TB-LĐTBXH",
        date(2025, 1, 27): "6150/TB-BLĐTBXH",
        date(2026, 2, 16): "9441/TB-BNV",
        date(2027, 2, 10): "10065/VPCP-KGVX",
    }
    for day, number in expected.items():
        note = calendar.note(day)
        assert note is not None
        assert note.kind is DayKind.HOLIDAY
        assert note.document is not None
        assert number in note.document.number, day


# -- status of the years -----------------------------------------------------------------


def test_every_year_2020_to_2026_is_official_and_2027_is_provisional() -> None:
    schedule = load_schedule()
    assert {y: schedule.year_status[y] for y in YEARS} == {
        **dict.fromkeys(range(2020, 2027), "official"),
        2027: "provisional",
    }


def test_every_year_names_the_documents_that_fixed_it() -> None:
    schedule = load_schedule()
    for year in YEARS:
        docs = schedule.year_documents[year]
        assert len(docs) >= 2, year
        assert docs[0].key == ("lc2012" if year == 2020 else "lc2019")


def test_every_shipped_document_is_official_with_an_address() -> None:
    for doc in load_schedule().documents.values():
        assert doc.official, doc.key
        assert doc.source.startswith(("http://", "https://")), doc.key


def test_a_due_date_in_2027_says_tam_tinh(calendar: VietnamCalendar) -> None:
    deadline = calendar.due(_at(2027, 3, 1), "05 ngày làm việc")
    assert deadline.provisional
    assert "Tạm tính" in deadline.explain()
    assert "2027" in deadline.explain()


def test_a_due_date_in_2026_is_not_tam_tinh(calendar: VietnamCalendar) -> None:
    deadline = calendar.due(_at(2026, 8, 20), "05 ngày làm việc")
    assert not deadline.provisional
    assert "Tạm tính" not in deadline.explain()


# -- validation --------------------------------------------------------------------------

_STATUTE = """
schema = 1
first_year = 2026
last_year = 2026

[documents.lc2012]
number = "Bộ luật Lao động 10/2012/QH13, Điều 115"
date = 2012-06-18
issuer = "Quốc hội"
source = "https://example.org/lc2012"
status = "official"

[documents.lc2019]
number = "Bộ luật Lao động 45/2019/QH14, Điều 112"
date = 2019-11-20
issuer = "Quốc hội"
source = "https://example.org/lc2019"
status = "official"

[documents.swap]
number = "Công văn 1/VPCP-KGVX"
date = 2025-12-25
issuer = "Văn phòng Chính phủ"
source = "https://example.org/swap"
status = "official"
"""


def _with_year(body: str) -> str:
    return _STATUTE + '\n[[year]]\nyear = 2026\nstatus = "official"\n' + body


def _worked(day: str, document: str = "swap") -> str:
    return (
        f'\n[[year.worked_day]]\ndate = {day}\nname_vi = "Làm bù"\nname_en = "Worked"\n'
        f'document = "{document}"\n'
    )


def test_a_minimal_valid_schedule_parses_with_the_statutory_holidays() -> None:
    schedule = parse_schedule(_with_year(_worked("2026-01-10")), source="test.toml")
    assert date(2026, 9, 2) in schedule.days_off
    assert date(2026, 1, 10) in schedule.worked_days
    assert schedule.year_documents[2026] == ()


def test_a_worked_day_on_a_weekday_is_rejected() -> None:
    with pytest.raises(CalendarDataError, match="must be a weekend day"):
        parse_schedule(_with_year(_worked("2026-01-12")))


def test_an_unknown_document_key_is_rejected() -> None:
    with pytest.raises(
        CalendarDataError, match=r"^test.toml: year 2026: worked_day: unknown document 'nope'$"
    ):
        parse_schedule(_with_year(_worked("2026-01-10", document="nope")), source="test.toml")


def test_an_unknown_key_in_a_years_document_list_is_rejected() -> None:
    text = _STATUTE + '\n[[year]]\nyear = 2026\nstatus = "official"\ndocuments = ["nope"]\n'
    with pytest.raises(
        CalendarDataError, match=r"^test.toml: year 2026: documents: unknown document 'nope'$"
    ):
        parse_schedule(text, source="test.toml")


def test_a_date_in_the_wrong_year_is_rejected() -> None:
    with pytest.raises(
        CalendarDataError,
        match=r"^test.toml: year 2026: worked_day 2025-04-26: date must be a date in 2026$",
    ):
        parse_schedule(_with_year(_worked("2025-04-26")), source="test.toml")


def test_a_missing_year_is_rejected() -> None:
    text = _STATUTE.replace("last_year = 2026", "last_year = 2027")
    text += '\n[[year]]\nyear = 2026\nstatus = "official"\n'
    with pytest.raises(CalendarDataError, match=r"no entry for years \[2027\]"):
        parse_schedule(text)


def test_a_decreed_day_off_on_a_weekend_is_rejected() -> None:
    body = (
        '\n[[year.day_off]]\ndate = 2026-01-03\nname_vi = "Nghỉ"\nname_en = "Off"\n'
        'document = "swap"\n'
    )
    with pytest.raises(CalendarDataError, match="must be a weekday"):
        parse_schedule(_with_year(body))


def test_a_holiday_entry_on_a_date_holidays_does_not_list_is_rejected() -> None:
    body = '\n[[year.holiday]]\ndate = 2026-11-23\ndocument = "swap"\n'
    with pytest.raises(CalendarDataError, match="does not list this weekday"):
        parse_schedule(_with_year(body))


def test_a_date_given_twice_in_a_year_is_rejected() -> None:
    body = (
        '\n[[year.holiday]]\ndate = 2026-11-24\ndocument = "swap"\n'
        '\n[[year.not_day_off]]\ndate = 2026-11-24\nname_vi = "x"\nname_en = "x"\n'
        'document = "swap"\n'
    )
    with pytest.raises(CalendarDataError, match="given twice"):
        parse_schedule(_with_year(body))


def test_a_holiday_entry_that_names_the_day_replaces_the_names_holidays_gives() -> None:
    body = (
        '\n[[year.holiday]]\ndate = 2026-09-02\nname_vi = "Quốc khánh (theo thông báo)"\n'
        'name_en = "National Day (by notice)"\ndocument = "swap"\n'
    )
    schedule = parse_schedule(_with_year(body))
    assert schedule.days_off[date(2026, 9, 2)] == DayNote(
        date(2026, 9, 2),
        DayKind.HOLIDAY,
        "Quốc khánh (theo thông báo)",
        "National Day (by notice)",
        schedule.documents["swap"],
    )


def test_a_holiday_entry_without_names_keeps_those_holidays_gives_and_rests_on_its_document() -> (
    None
):
    schedule = parse_schedule(
        _with_year('\n[[year.holiday]]\ndate = 2026-09-02\ndocument = "swap"\n')
    )
    assert schedule.days_off[date(2026, 9, 2)] == DayNote(
        date(2026, 9, 2), DayKind.HOLIDAY, "Quốc khánh", "National Day", schedule.documents["swap"]
    )


def test_a_not_day_off_entry_removes_a_holidays_date() -> None:
    body = (
        '\n[[year.not_day_off]]\ndate = 2026-11-24\nname_vi = "x"\nname_en = "x"\n'
        'document = "swap"\n'
    )
    schedule = parse_schedule(_with_year(body))
    assert date(2026, 11, 24) not in schedule.days_off


def test_a_schedule_holds_the_statutory_holidays_of_its_years_only_each_on_its_statute() -> None:
    schedule = parse_schedule(_with_year(""))
    assert {d.year for d in schedule.days_off} == {2026}
    assert schedule.days_off[date(2026, 9, 2)] == DayNote(
        date(2026, 9, 2),
        DayKind.HOLIDAY,
        "Quốc khánh",
        "National Day",
        schedule.documents["lc2019"],
    )


def test_a_worked_day_and_a_decreed_day_off_are_noted_on_their_dates_with_their_document() -> None:
    body = _worked("2026-01-10") + (
        '\n[[year.day_off]]\ndate = 2026-01-02\nname_vi = "Nghỉ"\nname_en = "Off"\n'
        'document = "swap"\n'
    )
    schedule = parse_schedule(_with_year(body))
    swap = schedule.documents["swap"]
    assert schedule.worked_days == {
        date(2026, 1, 10): DayNote(date(2026, 1, 10), DayKind.WORKED_DAY, "Làm bù", "Worked", swap)
    }
    assert schedule.days_off[date(2026, 1, 2)] == DayNote(
        date(2026, 1, 2), DayKind.DECREED_DAY_OFF, "Nghỉ", "Off", swap
    )


@pytest.mark.parametrize(
    ("years", "message"),
    [
        pytest.param("", "test.toml: no entry for years [2026]", id="no-year"),
        pytest.param(
            '\n[[year]]\nyear = 2025\nstatus = "official"\n',
            "test.toml: year 2025 is outside 2026..2026",
            id="outside",
        ),
        pytest.param(
            '\n[[year]]\nyear = 2026\nstatus = "official"\n' * 2,
            "test.toml: year 2026 is given twice",
            id="twice",
        ),
        pytest.param(
            '\n[[year]]\nyear = 2026\nstatus = "maybe"\n',
            "test.toml: year 2026: bad status 'maybe'",
            id="bad-status",
        ),
    ],
)
def test_each_year_of_the_range_is_given_once_with_a_status(years: str, message: str) -> None:
    with pytest.raises(CalendarDataError) as caught:
        parse_schedule(_STATUTE + years, source="test.toml")
    assert str(caught.value) == message


def test_a_schedule_without_its_range_of_years_is_rejected() -> None:
    text = _STATUTE.replace("first_year = 2026\n", "")
    with pytest.raises(CalendarDataError) as caught:
        parse_schedule(text, source="test.toml")
    assert str(caught.value) == "test.toml: first_year and last_year are required"


def test_a_document_without_one_of_its_fields_is_rejected_naming_the_field() -> None:
    text = _with_year("").replace('source = "https://example.org/swap"\n', "")
    with pytest.raises(CalendarDataError) as caught:
        parse_schedule(text, source="test.toml")
    assert str(caught.value) == "test.toml: documents.swap: missing field 'source'"


def test_a_documents_fields_are_read_whole() -> None:
    assert parse_schedule(_with_year("")).documents["swap"] == Document(
        key="swap",
        number="Công văn 1/VPCP-KGVX",
        date=date(2025, 12, 25),
        issuer="Văn phòng Chính phủ",
        source="https://example.org/swap",
        status="official",
    )


def test_a_bad_document_status_is_rejected() -> None:
    text = _with_year("").replace('status = "official"\n\n[[year]]', 'status = "maybe"\n\n[[year]]')
    with pytest.raises(CalendarDataError, match="must be official or provisional"):
        parse_schedule(text)


def test_malformed_toml_is_a_calendar_data_error() -> None:
    with pytest.raises(CalendarDataError, match="not valid TOML"):
        parse_schedule("first_year = = 2026")


@pytest.mark.parametrize("statute", ["lc2012", "lc2019"])
def test_schedule_data_without_a_labour_code_is_rejected_naming_it(statute: str) -> None:
    start = _STATUTE.index(f"[documents.{statute}]")
    text = _STATUTE[:start] + _STATUTE[_STATUTE.index("status", start) :].split("\n", 1)[1]
    text += '\n[[year]]\nyear = 2026\nstatus = "official"\n'
    with pytest.raises(
        CalendarDataError, match=rf"^test.toml: documents.{statute} \(the statute\) is missing$"
    ):
        parse_schedule(text, source="test.toml")


def test_schedule_data_without_documents_is_rejected_naming_the_statute() -> None:
    text = "schema = 1\nfirst_year = 2026\nlast_year = 2026\n"
    text += '[[year]]\nyear = 2026\nstatus = "official"\n'
    with pytest.raises(CalendarDataError, match=r"documents.lc2012 \(the statute\) is missing"):
        parse_schedule(text, source="test.toml")
