"""Inputs of the application's own methods (not dossier commands): ``next_code``,
``refuse`` at the counter, ``due_soon`` and the deadline watcher. Found by the fuzz
(:mod:`tests.robustness.test_fuzz_commands`): each case was a bare exception or a code
that does not read back as the day it was issued for."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tests.robustness.conftest import AppFactory, last_id, vn
from tthc_engine import BusinessRuleError, CalendarRangeError, InvalidInputError, Rule
from tthc_engine.application import DeadlineWatcher

COUNTER = "000.00.10.H41"
UNLISTED = "999.99.99.H99"  # well formed, but not an agency of the sample catalog


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    """One SQLite file: these are input checks, not store behaviour."""
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{tmp_path}/t.sqlite"}


@pytest.mark.parametrize("day", [date(2205, 1, 5), date(1999, 1, 5)], ids=["2205", "1999"])
def test_a_code_is_never_issued_for_a_day_its_six_digits_cannot_say(
    make_app: AppFactory, day: date
) -> None:
    app = make_app()
    with pytest.raises(CalendarRangeError, match=rf"^day: {day.isoformat()} is outside"):
        app.next_code(COUNTER, day)
    assert last_id(app) == 0


@pytest.mark.parametrize(
    "day",
    [
        pytest.param("2025-07-01", id="text"),
        pytest.param(20250701, id="number"),
        pytest.param(True, id="bool"),
        pytest.param(vn(2025, 7, 1, 9), id="datetime"),
    ],
)
def test_the_day_of_a_code_must_be_a_date(make_app: AppFactory, day: object) -> None:
    app = make_app()
    with pytest.raises(InvalidInputError, match=r"^day: expected a date, got "):
        app.next_code(COUNTER, day)  # type: ignore[arg-type]
    assert last_id(app) == 0


def test_a_datetime_and_a_date_of_one_day_never_issue_the_same_code_twice(
    make_app: AppFactory,
) -> None:
    app = make_app()
    first = app.next_code(COUNTER, date(2025, 7, 1))
    with pytest.raises(InvalidInputError):
        app.next_code(COUNTER, vn(2025, 7, 1, 9))  # type: ignore[arg-type]
    assert app.next_code(COUNTER, date(2025, 7, 1)).sequence == first.sequence + 1


def test_a_code_is_issued_only_to_an_agency_the_catalog_lists(make_app: AppFactory) -> None:
    app = make_app()
    with pytest.raises(BusinessRuleError) as caught:
        app.next_code(UNLISTED, date(2025, 7, 1))
    assert caught.value.rule is Rule.AGENCY_IN_CATALOG
    assert last_id(app) == 0


def test_a_refusal_at_the_counter_of_an_agency_the_catalog_does_not_list_is_refused(
    make_app: AppFactory,
) -> None:
    app = make_app()
    with pytest.raises(BusinessRuleError) as caught:
        app.refuse(agency=UNLISTED, reason="Sai thẩm quyền", at=vn(2025, 7, 1, 9))
    assert caught.value.rule is Rule.AGENCY_IN_CATALOG
    assert last_id(app) == 0


@pytest.mark.parametrize("within", ["x", None, 1.5, -1, True, 10**9])
def test_due_soon_counts_whole_working_days(make_app: AppFactory, within: object) -> None:
    app = make_app()
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 7, 1, 9))
    with pytest.raises(InvalidInputError, match=r"^within: "):
        app.due_soon(vn(2025, 7, 2, 9), within=within)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^warn_within: "):
        DeadlineWatcher(app, warn_within=within)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"calendar": "VN"}, "calendar: expected a VietnamCalendar, got 'VN'", id="calendar"
        ),
        pytest.param(
            {"clock": "now"}, "clock: expected a function returning the time, got 'now'", id="clock"
        ),
    ],
)
def test_the_application_refuses_a_calendar_or_clock_it_cannot_use(
    make_app: AppFactory, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        make_app(**kwargs)
    assert str(caught.value) == message


def test_a_clock_that_gives_a_naive_time_is_named_as_the_culprit(make_app: AppFactory) -> None:
    app = make_app(clock=lambda: datetime(2025, 7, 1, 9))
    with pytest.raises(InvalidInputError, match=r"^clock\(\): naive datetime"):
        app.receive("2.001610", agency=COUNTER)
    assert last_id(app) == 0
