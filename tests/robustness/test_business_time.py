"""Business time that cannot be true is refused, and one bad dossier never stops the
deadline watcher (issue 7 §2).

The applications here have a fixed clock (31/12/2025 10:00, see ``conftest.NOW``) and the
default tolerance of 10 minutes for clock skew between the processes of one office.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.robustness.conftest import NOW, AppFactory, last_id, vn
from tthc_engine import CalendarRangeError, InvalidInputError, OneStopShop
from tthc_engine.application import DeadlineWatcher

COUNTER = "000.00.10.H41"
BUSINESS = "2.001610"  # 3 working days
T0 = vn(2025, 7, 1, 9)  # a Tuesday: due Friday 04/07 09:00


def received(app: OneStopShop, at: datetime = T0) -> str:
    return app.receive(BUSINESS, agency=COUNTER, at=at).code


def test_a_business_time_in_2205_is_refused_and_the_dossier_goes_on(make_app: AppFactory) -> None:
    app = make_app()
    code = received(app)
    written = last_id(app)
    with pytest.raises(CalendarRangeError, match=r"^at: 2205-07-01 is outside the calendar's"):
        app.record_payment(code, agency=COUNTER, amount=50_000, online=True, at=vn(2205, 7, 1, 9))
    assert last_id(app) == written
    app.resolve(code, agency=COUNTER, at=vn(2025, 7, 2, 9))


@pytest.mark.parametrize(
    "at",
    [
        pytest.param(vn(2026, 1, 1, 9), id="the next day"),
        pytest.param(vn(2027, 12, 31, 9), id="the calendar's last day"),
        pytest.param(NOW + timedelta(minutes=11), id="11 minutes ahead"),
    ],
)
def test_a_business_time_later_than_the_clock_plus_the_tolerance_is_refused(
    make_app: AppFactory, at: datetime
) -> None:
    app = make_app()
    code = received(app)
    written = last_id(app)
    with pytest.raises(InvalidInputError, match=r"^at: .* is later than the application clock"):
        app.record_payment(code, agency=COUNTER, amount=50_000, online=True, at=at)
    assert last_id(app) == written
    app.resolve(code, agency=COUNTER, at=vn(2025, 7, 2, 9))  # the dossier goes on


def test_a_business_time_within_the_tolerance_is_accepted(make_app: AppFactory) -> None:
    app = make_app()
    code = received(app)
    skewed = NOW + timedelta(minutes=9)
    assert (
        app.record_payment(code, agency=COUNTER, amount=1, online=True, at=skewed).last_at == skewed
    )


def test_the_tolerance_is_configurable(make_app: AppFactory) -> None:
    strict = make_app(future_tolerance=timedelta(0))
    code = received(strict)
    with pytest.raises(InvalidInputError, match="plus the tolerance of 0:00:00"):
        strict.record_payment(
            code, agency=COUNTER, amount=1, online=True, at=NOW + timedelta(seconds=1)
        )
    with pytest.raises(InvalidInputError, match=r"^future_tolerance: "):
        make_app(future_tolerance=timedelta(minutes=-1))


@pytest.mark.parametrize(
    "at", [vn(2019, 12, 31, 9), vn(1999, 7, 1, 9)], ids=["the day before the calendar", "1999"]
)
def test_a_business_time_earlier_than_the_calendar_is_refused(
    make_app: AppFactory, at: datetime
) -> None:
    app = make_app()
    code = received(app)
    written = last_id(app)
    with pytest.raises(CalendarRangeError, match=r"^at: .* is outside the calendar's data range"):
        app.record_payment(code, agency=COUNTER, amount=1, online=True, at=at)
    with pytest.raises(CalendarRangeError):
        app.receive(BUSINESS, agency=COUNTER, at=at)
    assert last_id(app) == written


def test_a_dossier_with_a_far_future_event_does_not_stop_the_watcher(
    make_app: AppFactory,
) -> None:
    # an application whose clock ran 18 months ahead wrote a payment dated 2027
    ahead = make_app(clock=lambda: vn(2027, 6, 1, 9))
    poisoned = received(ahead)
    ahead.record_payment(poisoned, agency=COUNTER, amount=1, online=True, at=vn(2027, 5, 3, 9))
    others = [received(ahead) for _ in range(3)]
    app = make_app()
    now = vn(2025, 8, 1, 9)
    watcher = DeadlineWatcher(app)
    result = watcher.tick(now)
    assert sorted(result.overdue) == others
    assert [code for code, _ in result.failed] == [poisoned]
    assert "before 000.00.10.H41-250701-0001's last event" in result.failed[0][1]
    assert all(app.dossier(code).overdue_at == now for code in others)
    again = watcher.tick(now + timedelta(hours=1))
    assert again.overdue == ()
    assert [code for code, _ in again.failed] == [poisoned], "reported again, still no crash"


def test_an_event_a_little_after_the_watchers_now_is_handled(make_app: AppFactory) -> None:
    now = vn(2025, 8, 1, 9)
    skewed = now + timedelta(minutes=4)  # another process's clock runs 4 minutes ahead
    writer = make_app(clock=lambda: skewed)
    code = received(writer)
    writer.record_feedback(code, agency=COUNTER, rating="satisfied", at=skewed)
    app = make_app(clock=lambda: now)
    result = DeadlineWatcher(app).tick(now)
    assert result.overdue == (code,)
    assert result.failed == ()
    assert app.dossier(code).overdue_at == skewed, "marked at its last event, not before it"


@pytest.mark.parametrize(
    ("now", "error"),
    [
        pytest.param(vn(2026, 1, 5, 9), InvalidInputError, id="next week"),
        pytest.param(vn(2205, 1, 1, 9), CalendarRangeError, id="year 2205"),
        pytest.param(datetime(2025, 8, 1, 9), InvalidInputError, id="naive"),
        pytest.param(vn(2019, 6, 1, 9), CalendarRangeError, id="before the calendar"),
    ],
)
def test_a_watcher_refuses_a_now_that_cannot_be_true(
    make_app: AppFactory, now: datetime, error: type[Exception]
) -> None:
    app = make_app()
    received(app)
    written = last_id(app)
    with pytest.raises(error, match=r"^now: "):
        DeadlineWatcher(app).tick(now)
    assert last_id(app) == written


def test_marking_overdue_long_before_the_last_event_is_refused(make_app: AppFactory) -> None:
    app = make_app()
    code = received(app)
    app.record_feedback(code, agency=COUNTER, rating="satisfied", at=vn(2025, 8, 1, 9))
    written = last_id(app)
    with pytest.raises(
        InvalidInputError, match=r"before .* last event .* by more than the tolerance"
    ):
        app.mark_overdue(code, at=vn(2025, 7, 20, 9))
    assert last_id(app) == written
