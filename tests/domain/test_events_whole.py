"""Every event the dossier records, compared whole (issue 12, mutation testing)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from tests.domain.test_judgements import (
    DUE,
    resolve,
)
from tests.domain.test_rules import CAL, CENTRE, CODE, DEPT, PPC, given, refused, start, then, vn
from tests.domain.whole import ID, _apologise, _opening, _pause, _stored, _submitted, _whole
from tthc_engine import TimeLimit
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import Dossier, PlannedStep, Regime, Rule, Status
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.domain.values import Channel, Rating
from tthc_engine.errors import CalendarRangeError, InvalidInputError
from tthc_engine.worktime import Timeliness


# -- seed 15 sample: what the ending, refusing and overdue events record -----------------------
def test_refusing_a_submission_records_the_whole_refusal_and_keeps_the_dossiers_code() -> None:
    d = _submitted()
    assert d.refuse(
        at=vn(2025, 4, 14, 9), agency=CENTRE, reason="thiếu", actor="cb-01", command_id="c-1"
    )
    (event,) = then(d, "Refused")
    assert _whole(event) == {
        **_opening(vn(2025, 4, 14, 9), version=2),
        "at": vn(2025, 4, 14, 9),
        "agency": CENTRE,
        "actor": "cb-01",
        "command_id": "c-1",
        "code": CODE,
        "procedure": "1.004227",
        "channel": Channel.ONLINE,
        "reason": "thiếu",
    }
    assert (d.code, d.status, d.outcome, d.ended_at) == (
        CODE,
        Status.REFUSED,
        "thiếu",
        vn(2025, 4, 14, 9),
    )


def test_receiving_a_submission_records_the_whole_receipt_under_the_dossiers_topic() -> None:
    d = _submitted()
    process = [PlannedStep("receive", "Tiếp nhận", CENTRE, TimeLimit.parse("1 ngày làm việc"))]
    assert d.receive(
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        procedure="1.004227",
        limit="4 ngày làm việc",
        calendar=CAL,
        process=process,
        command_id="r-1",
    )
    (event,) = then(d, "Received")
    assert _whole(event) == {
        **_opening(vn(2025, 4, 14, 9), version=2),
        "at": vn(2025, 4, 14, 9),
        "agency": CENTRE,
        "actor": None,
        "command_id": "r-1",
        "code": CODE,
        "procedure": "1.004227",
        "procedure_name": "",
        "channel": Channel.COUNTER,
        "applicant": None,
        "limit": TimeLimit.parse("4 ngày làm việc"),
        "regime": Regime.ND61_2018,
        "calendar_version": CAL.version,
        "supplement_policy": SupplementPolicy.PAUSE,
        "excluded_pauses": [],
        "process": [s.as_dict() for s in process],
        "effective_start": vn(2025, 4, 14, 9),
        "original_due": vn(2025, 4, 18, 9),
    }


def test_stopping_a_dossier_records_the_whole_stop_and_a_retry_changes_nothing() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    stop = {
        "at": vn(2025, 4, 15, 9),
        "agency": CENTRE,
        "reason": "hồ sơ giả mạo",
        "actor": "cb-01",
        "command_id": "s-1",
    }
    assert d.stop(**stop) is True
    (event,) = then(d, "Stopped")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 15, 9)),
        **stop,
    }
    assert (d.status, d.outcome, d.ended_at) == (
        Status.STOPPED,
        "hồ sơ giả mạo",
        vn(2025, 4, 15, 9),
    )
    assert d.steps[-1].finished_at == vn(2025, 4, 15, 9)
    assert d.stop(**stop) is False
    assert d.collect_events() == []


def test_withdrawing_a_dossier_records_the_whole_withdrawal_and_a_retry_changes_nothing() -> None:
    d = given()
    withdrawal = {
        "at": vn(2025, 4, 15, 9),
        "agency": CENTRE,
        "reason": "công dân rút",
        "actor": "cb-01",
        "command_id": "w-1",
    }
    assert d.withdraw(**withdrawal) is True
    (event,) = then(d, "Withdrawn")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 15, 9)),
        **withdrawal,
    }
    assert (d.status, d.outcome) == (Status.WITHDRAWN, "công dân rút")
    assert d.withdraw(**withdrawal) is False


def test_marking_a_dossier_overdue_records_the_whole_mark_once() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    assert d.mark_overdue(at=vn(2025, 4, 21, 9), calendar=CAL, command_id="o-1") is True
    (event,) = then(d, "BecameOverdue")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 21, 9)),
        "at": vn(2025, 4, 21, 9),
        "agency": CENTRE,
        "actor": None,
        "command_id": "o-1",
        "due_at": vn(2025, 4, 18, 9),
    }
    assert d.overdue_at == vn(2025, 4, 21, 9)
    assert d.mark_overdue(at=vn(2025, 4, 22, 9), calendar=CAL) is False


def test_resuming_after_a_pause_reports_that_it_was_recorded() -> None:
    d = given(lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="public_posting"))
    assert d.resume(at=vn(2025, 4, 16, 9), agency=CENTRE, calendar=CAL) is True
    then(d, "Resumed")


# -- seed 15 sample: the whole of mark_overdue and time_consumed -------------------------------
def test_a_dossier_that_ended_or_was_never_received_is_not_marked_overdue_and_says_so() -> None:
    resolved = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    withdrawn = given(lambda d: d.withdraw(at=vn(2025, 4, 15, 9), agency=CENTRE))
    for d in (resolved, withdrawn, _submitted()):
        assert d.mark_overdue(at=vn(2025, 4, 22, 9), calendar=CAL) is False
        assert d.collect_events() == []
        assert d.overdue_at is None


def test_marking_overdue_under_a_command_id_already_used_by_another_command_is_refused() -> None:
    d = given(lambda d: d.pause(at=vn(2025, 4, 14, 10), agency=CENTRE, reason="cadastral_survey"))
    d.resume(at=vn(2025, 4, 14, 11), agency=CENTRE, calendar=CAL, command_id="q-1")
    message = (
        f"command_id: 'q-1' was already applied to {CODE} by another command (it recorded "
        "Resumed); a command id names one command"
    )
    with pytest.raises(InvalidInputError, match=re.escape(message) + "$"):
        d.mark_overdue(at=vn(2025, 4, 22, 9), calendar=CAL, command_id="q-1")
    assert d.overdue_at is None


def test_marking_overdue_by_the_instant_records_it_on_the_due_date_after_the_due_hour() -> None:
    d = given()
    refused(
        d, lambda d: d.mark_overdue(at=vn(2025, 4, 18, 10), calendar=CAL), Rule.OVERDUE_AFTER_DUE
    )
    assert d.mark_overdue(at=vn(2025, 4, 18, 10), calendar=CAL, by="datetime") is True
    (event,) = then(d, "BecameOverdue")
    assert (event.at, event.due_at) == (vn(2025, 4, 18, 10), DUE)


def test_marking_overdue_by_the_instant_under_a_stopped_clock_says_where_it_stopped() -> None:
    d = given(
        lambda d: d.pause(at=vn(2025, 4, 16, 9), agency=CENTRE, reason="public_posting"),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    error = refused(
        d,
        lambda d: d.mark_overdue(at=vn(2025, 4, 18, 10), calendar=CAL, by="datetime"),
        Rule.OVERDUE_AFTER_DUE,
    )
    assert error.detail == (
        f"{CODE}: at 2025-04-18T10:00:00+07:00 the legal due 2025-04-18T09:00:00+07:00 has not "
        "passed: the clock stopped at 2025-04-16T09:00:00+07:00 (public_posting)"
    )


def test_time_consumed_is_nothing_before_a_submission_is_received() -> None:
    assert _submitted().time_consumed(CAL, vn(2025, 4, 16, 9)) == 0.0


def test_time_consumed_asks_for_an_aware_as_of_naming_it() -> None:
    with pytest.raises(InvalidInputError, match=r"^as_of: naive datetime 2025-04-15T00:00:00 "):
        given().time_consumed(CAL, datetime(2025, 4, 15))


def test_time_consumed_counts_a_counted_pause_and_still_leaves_out_a_later_excluded_one() -> None:
    d = given(
        lambda d: d.pause(at=vn(2025, 4, 14, 10), agency=CENTRE, reason="cadastral_survey"),
        lambda d: d.resume(at=vn(2025, 4, 14, 11), agency=CENTRE, calendar=CAL),
        lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="public_posting"),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    assert d.time_consumed(CAL, vn(2025, 4, 17, 9)) == 8 * 3600  # 14/04 09:00 → 15/04 09:00


# -- seed 15 sample: the whole of issue_apology ----------------------------------------------


def test_an_apology_records_the_whole_event_and_a_retry_changes_nothing() -> None:
    d = given()
    assert _apologise(d, vn(2025, 4, 16, 9), vn(2025, 4, 22, 9), actor="cb-01", command_id="a-1")
    (event,) = then(d, "ApologyIssued")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 16, 9)),
        "at": vn(2025, 4, 16, 9),
        "agency": CENTRE,
        "actor": "cb-01",
        "command_id": "a-1",
        "new_due": vn(2025, 4, 22, 9),
        "reason": "chờ",
    }
    assert (d.current_due, d.legal_due) == (vn(2025, 4, 22, 9), DUE)
    assert d.apologies[-1].previous_due == DUE
    assert _apologise(d, vn(2025, 4, 16, 9), vn(2025, 4, 22, 9), command_id="a-1") is False


def test_an_apology_names_a_new_appointment_past_the_calendars_data_but_accepts_its_last_day() -> (
    None
):
    last = CAL.last_day
    with pytest.raises(
        InvalidInputError,
        match=re.escape(
            f"new_due: 2028-01-01 is after the calendar's data range (to {last.isoformat()})"
        )
        + "$",
    ):
        _apologise(given(), vn(2025, 4, 16, 9), vn(2028, 1, 1, 9))
    assert last.isoformat() == "2027-12-31"
    assert _apologise(given(), vn(2025, 4, 16, 9), vn(2027, 12, 31, 9))


def test_an_apology_checks_its_reason_and_new_appointment_naming_each() -> None:
    with pytest.raises(InvalidInputError, match=r"^reason: expected non-empty text, got '  '$"):
        _apologise(given(), vn(2025, 4, 16, 9), vn(2025, 4, 22, 9), reason="  ")
    with pytest.raises(InvalidInputError, match=r"^new_due: expected an aware datetime"):
        _apologise(given(), vn(2025, 4, 16, 9), "2025-04-22")


def test_a_second_apology_is_refused_saying_how_many_there_are_unless_the_tenant_allows_it() -> (
    None
):
    d = given(lambda d: _apologise(d, vn(2025, 4, 16, 9), vn(2025, 4, 22, 9)))
    error = refused(
        d, lambda d: _apologise(d, vn(2025, 4, 16, 10), vn(2025, 4, 23, 9)), Rule.APOLOGY_LIMIT
    )
    assert error.detail == f"{CODE} already has 1 apology(ies)"
    # the second one must come a working day before the first one's appointment (22/04)
    assert _apologise(d, vn(2025, 4, 21, 9), vn(2025, 4, 25, 9), max_apologies=2)
    d.collect_events()
    assert [a.previous_due for a in d.apologies] == [DUE, vn(2025, 4, 22, 9)]
    error = refused(
        d,
        lambda d: _apologise(d, vn(2025, 4, 21, 10), vn(2025, 4, 28, 9), max_apologies=2),
        Rule.APOLOGY_LIMIT,
    )
    assert error.detail == f"{CODE} already has 2 apology(ies)"


def test_an_apology_on_the_due_date_is_refused_naming_the_lead_and_the_due_date() -> None:
    error = refused(
        given(),
        lambda d: _apologise(d, vn(2025, 4, 18, 8), vn(2025, 4, 22, 9)),
        Rule.APOLOGY_BEFORE_DUE,
    )
    assert error.detail == (
        f"{CODE}: apology at 2025-04-18T08:00:00+07:00 is not 1 working day(s) before the due "
        "date 2025-04-18"
    )
    assert _apologise(given(), vn(2025, 4, 17, 16, 59), vn(2025, 4, 22, 9))


def test_a_tenant_asking_two_working_days_of_lead_accepts_exactly_two() -> None:
    two = {"lead_days": 2}
    assert _apologise(given(), vn(2025, 4, 16, 16), vn(2025, 4, 22, 9), **two)
    error = refused(
        given(),
        lambda d: _apologise(d, vn(2025, 4, 17, 8), vn(2025, 4, 22, 9), **two),
        Rule.APOLOGY_BEFORE_DUE,
    )
    assert "is not 2 working day(s) before the due date 2025-04-18" in error.detail


def test_without_a_lead_an_apology_is_accepted_up_to_the_due_instant_itself() -> None:
    assert _apologise(given(), DUE, vn(2025, 4, 22, 9), lead_days=0)
    error = refused(
        given(),
        lambda d: _apologise(d, vn(2025, 4, 18, 9, 1), vn(2025, 4, 22, 9), lead_days=0),
        Rule.APOLOGY_BEFORE_DUE,
    )
    assert error.detail == (
        f"{CODE}: apology at 2025-04-18T09:01:00+07:00 is not before the due "
        "2025-04-18T09:00:00+07:00"
    )


def test_a_new_appointment_no_later_than_the_due_is_refused_naming_both() -> None:
    error = refused(
        given(),
        lambda d: _apologise(d, vn(2025, 4, 16, 9), DUE),
        Rule.APOLOGY_LATER_DATE,
    )
    assert error.detail == (
        f"{CODE}: new appointment 2025-04-18T09:00:00+07:00 is not after 2025-04-18T09:00:00+07:00"
    )
    assert _apologise(given(), vn(2025, 4, 16, 9), vn(2025, 4, 18, 9, 1))


# -- seed 15 sample: supplements and pauses, whole --------------------------------------------


def test_a_supplement_request_records_the_whole_event_and_a_retry_changes_nothing() -> None:
    d = given(start("appraise", vn(2025, 4, 14, 16)))
    request = {"at": vn(2025, 4, 15, 9), "agency": DEPT, "actor": "cv-1", "command_id": "q-1"}
    assert d.request_supplement(reason="thiếu", items=("CCCD", "Sổ đỏ"), **request) is True
    (event,) = then(d, "SupplementRequested")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 15, 9)),
        **request,
        "reason": "thiếu",
        "items": ["CCCD", "Sổ đỏ"],
    }
    assert (d.status, d.status_before_pause, d.supplement_requests) == (
        Status.SUPPLEMENT_REQUESTED,
        Status.PROCESSING,
        1,
    )
    assert d.request_supplement(reason="thiếu", **request) is False


def test_a_supplement_is_not_requested_during_a_pause_or_another_request_and_says_why() -> None:
    error = refused(
        given(_pause(vn(2025, 4, 15, 9))),
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 10), agency=CENTRE, reason="x"),
        Rule.PAUSE_STATE,
    )
    assert error.detail == (
        f"{CODE}: cannot request a supplement: paused for public_posting since "
        "2025-04-15T09:00:00+07:00"
    )
    pending = given(
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="x")
    )
    error = refused(
        pending,
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 10), agency=CENTRE, reason="x"),
        Rule.SUPPLEMENT_PENDING,
    )
    assert error.detail == (
        f"{CODE}: cannot request a supplement while the dossier is SUPPLEMENT_REQUESTED "
        "(5 Yêu cầu bổ sung giấy tờ)"
    )
    with pytest.raises(InvalidInputError, match=r"^items: expected a list of texts, got 'CCCD'$"):
        given().request_supplement(at=vn(2025, 4, 15, 10), agency=CENTRE, reason="x", items="CCCD")
    with pytest.raises(InvalidInputError, match=r"^reason: expected non-empty text, got ''$"):
        given().request_supplement(at=vn(2025, 4, 15, 10), agency=CENTRE, reason="")


def test_a_supplement_received_under_the_pause_policy_records_every_moved_due() -> None:
    d = given(
        start("appraise", vn(2025, 4, 14, 16)),
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=DEPT, reason="x"),
    )
    done = {"at": vn(2025, 4, 21, 9), "agency": CENTRE, "actor": "cb-01", "command_id": "b-1"}
    assert d.receive_supplement(calendar=CAL, **done) is True
    (event,) = then(d, "SupplementReceived")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 21, 9)),
        **done,
        "restarted": False,
        "legal_due": vn(2025, 4, 24, 9),
        "current_due": vn(2025, 4, 24, 9),
        "step_due": vn(2025, 4, 23, 16),
    }
    assert (d.status, d.status_before_pause) == (Status.PROCESSING, None)
    assert d.pauses[-1].ended_at == vn(2025, 4, 21, 9)
    assert d.receive_supplement(calendar=CAL, **done) is False


def test_a_supplement_received_under_the_restart_policy_records_the_dues_run_again() -> None:
    d = given(
        start("appraise", vn(2025, 4, 14, 16)),
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=DEPT, reason="x"),
        supplement_policy=SupplementPolicy.RESTART,
    )
    assert d.receive_supplement(at=vn(2025, 4, 21, 9), agency=CENTRE, calendar=CAL)
    (event,) = then(d, "SupplementReceived")
    assert (event.restarted, event.legal_due, event.current_due, event.step_due) == (
        True,
        vn(2025, 4, 25, 9),
        vn(2025, 4, 25, 9),
        vn(2025, 4, 24, 9),
    )
    step = d.current_step
    assert step is not None
    assert (step.counted_from, step.allotted_until) == (vn(2025, 4, 21, 9), vn(2025, 4, 24, 9))


def test_a_supplement_received_without_a_running_step_has_no_step_due() -> None:
    for policy in SupplementPolicy:
        d = given(
            lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="x"),
            supplement_policy=policy,
        )
        d.receive_supplement(at=vn(2025, 4, 21, 9), agency=CENTRE, calendar=CAL)
        (event,) = then(d, "SupplementReceived")
        assert event.step_due is None
        assert d.status is Status.RECEIVED


def test_a_pause_records_the_whole_event_and_whether_it_stops_the_clock() -> None:
    for excluded, stops in (([PauseReason.PUBLIC_POSTING], True), ([], False)):
        d = given(excluded_pauses=excluded)
        pause = {"at": vn(2025, 4, 15, 9), "agency": CENTRE, "actor": "cb", "command_id": "p-1"}
        assert d.pause(reason="public_posting", **pause) is True
        (event,) = then(d, "Paused")
        assert _whole(event) == {
            **_stored(d, vn(2025, 4, 15, 9)),
            **pause,
            "reason": PauseReason.PUBLIC_POSTING,
            "stops_clock": stops,
        }
        assert (d.status, d.clock_stopped) == (Status.RECEIVED, stops)
        assert d.pause(reason="public_posting", **pause) is False


def test_a_pause_for_a_financial_obligation_is_status_6_until_it_is_resumed() -> None:
    d = given(
        start("receive", vn(2025, 4, 14, 9)), _pause(vn(2025, 4, 15, 9), "financial_obligation")
    )
    assert (d.status, d.status_before_pause) == (Status.FINANCIAL_OBLIGATION, Status.PROCESSING)
    d.resume(at=vn(2025, 4, 15, 10), agency=CENTRE, calendar=CAL)
    assert (d.status, d.status_before_pause) == (Status.PROCESSING, None)


def test_a_pause_is_refused_with_a_reason_not_in_the_list_or_during_another_pause() -> None:
    choices = ", ".join(r.value for r in PauseReason)
    with pytest.raises(
        InvalidInputError,
        match=re.escape(f"reason: 'lunch' is not a pause reason ({choices})") + "$",
    ):
        given().pause(at=vn(2025, 4, 15, 10), agency=CENTRE, reason="lunch")
    assert choices.startswith("financial_obligation, public_posting, ")
    error = refused(
        given(_pause(vn(2025, 4, 15, 9))), _pause(vn(2025, 4, 15, 10)), Rule.PAUSE_STATE
    )
    assert error.detail == (
        f"{CODE}: cannot pause: paused for public_posting since 2025-04-15T09:00:00+07:00"
    )


def test_resuming_a_clock_stopping_pause_records_every_due_moved_by_it() -> None:
    d = given(
        start("appraise", vn(2025, 4, 14, 16)),
        _pause(vn(2025, 4, 15, 9)),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    resume = {"at": vn(2025, 4, 21, 9), "agency": DEPT, "actor": "cv", "command_id": "r-1"}
    assert d.resume(calendar=CAL, **resume) is True
    (event,) = then(d, "Resumed")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 21, 9)),
        **resume,
        "legal_due": vn(2025, 4, 24, 9),
        "current_due": vn(2025, 4, 24, 9),
        "step_due": vn(2025, 4, 23, 16),
    }
    assert d.resume(calendar=CAL, **resume) is False


def test_resuming_a_counted_pause_keeps_every_due() -> None:
    d = given(start("appraise", vn(2025, 4, 14, 16)), _pause(vn(2025, 4, 15, 9)))
    d.resume(at=vn(2025, 4, 21, 9), agency=DEPT, calendar=CAL)
    (event,) = then(d, "Resumed")
    assert (event.legal_due, event.current_due, event.step_due) == (
        DUE,
        DUE,
        vn(2025, 4, 17, 16),
    )
    plain = given(_pause(vn(2025, 4, 15, 9)), excluded_pauses=[PauseReason.PUBLIC_POSTING])
    plain.resume(at=vn(2025, 4, 21, 9), agency=CENTRE, calendar=CAL)
    (event,) = then(plain, "Resumed")
    assert (event.legal_due, event.step_due) == (vn(2025, 4, 24, 9), None)


def test_resuming_is_refused_while_a_supplement_is_awaited_or_nothing_is_paused() -> None:
    pending = given(
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="x")
    )
    resume = {"at": vn(2025, 4, 15, 10), "agency": CENTRE, "calendar": CAL}
    error = refused(pending, lambda d: d.resume(**resume), Rule.PAUSE_STATE)
    assert error.detail == (
        f"{CODE}: cannot resume while the dossier is SUPPLEMENT_REQUESTED "
        "(5 Yêu cầu bổ sung giấy tờ)"
    )
    error = refused(given(), lambda d: d.resume(**resume), Rule.PAUSE_STATE)
    assert error.detail == f"{CODE}: cannot resume while the dossier is RECEIVED (2 Được tiếp nhận)"


# -- seed 15 sample: steps, whole -------------------------------------------------------------
def test_a_hand_over_records_the_whole_finish_and_start_under_one_command() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    assert d.status is Status.PROCESSING
    assert d.forward(at=vn(2025, 4, 14, 10), agency=CENTRE, calendar=CAL, actor="a", command_id="f")
    finished, started = then(d, "StepFinished", "StepStarted")
    common = {"originator_id": ID, "timestamp": vn(2025, 4, 14, 10), "at": vn(2025, 4, 14, 10)}
    assert _whole(finished) == {
        **common,
        "originator_version": d.version - 1,
        "agency": CENTRE,
        "actor": "a",
        "command_id": "f",
        "step": "receive",
        "timeliness": Timeliness.EARLY,
    }
    assert _whole(started) == {
        **common,
        "originator_version": d.version,
        "agency": DEPT,
        "actor": "a",
        "command_id": "f",
        "step": "appraise",
        "name": "Thẩm định",
        "allotted": TimeLimit.parse("3 ngày làm việc"),
        "due_at": vn(2025, 4, 17, 10),
    }
    assert d.forward(at=vn(2025, 4, 14, 10), agency=CENTRE, calendar=CAL, command_id="f") is False


def test_an_extra_step_takes_its_own_share_and_agency_and_is_named_by_its_key() -> None:
    d = given()
    assert d.start_step(
        step="consult",
        at=vn(2025, 4, 14, 10),
        calendar=CAL,
        agency=PPC,
        allotted=TimeLimit.parse("2 giờ làm việc"),
        actor="x",
        command_id="s-1",
    )
    (event,) = then(d, "StepStarted")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 14, 10)),
        "at": vn(2025, 4, 14, 10),
        "agency": PPC,
        "actor": "x",
        "command_id": "s-1",
        "step": "consult",
        "name": "consult",
        "allotted": TimeLimit.parse("2 giờ làm việc"),
        "due_at": vn(2025, 4, 14, 14),
    }
    assert (d.holder, d.handler, d.status) == (PPC, PPC, Status.PROCESSING)
    # after an extra step, the hand-over goes to the first planned step not yet held
    d.forward(at=vn(2025, 4, 14, 15), agency=PPC, calendar=CAL)
    finished, started = then(d, "StepFinished", "StepStarted")
    assert (finished.step, finished.timeliness) == ("consult", Timeliness.LATE)
    assert (started.step, started.agency, started.due_at) == (
        "receive",
        CENTRE,
        vn(2025, 4, 15, 15),
    )


def test_a_step_finished_by_its_holder_records_the_whole_finish() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    done = {"at": vn(2025, 4, 15, 10), "agency": CENTRE, "actor": "a", "command_id": "d-1"}
    assert d.finish_step(calendar=CAL, step="receive", **done) is True
    (event,) = then(d, "StepFinished")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 15, 10)),
        **done,
        "step": "receive",
        "timeliness": Timeliness.LATE,
    }
    assert (d.steps[-1].finished_at, d.steps[-1].timeliness) == (
        vn(2025, 4, 15, 10),
        Timeliness.LATE,
    )
    assert d.current_step is None
    assert d.finish_step(calendar=CAL, **done) is False


@pytest.mark.parametrize(
    ("command", "rule", "detail"),
    [
        (
            start("appraise", vn(2025, 4, 14, 10)),
            Rule.ONE_STEP_AT_A_TIME,
            f"{CODE}: step 'receive' held by {CENTRE} is still in progress",
        ),
        (
            lambda d: d.finish_step(
                step="appraise", at=vn(2025, 4, 14, 10), agency=CENTRE, calendar=CAL
            ),
            Rule.STEP_IN_PROGRESS,
            f"{CODE}: step 'appraise' is not the one in progress ('receive')",
        ),
        (
            lambda d: d.finish_step(at=vn(2025, 4, 14, 10), agency=DEPT, calendar=CAL),
            Rule.STEP_HELD_BY_AGENCY,
            f"{CODE}: step 'receive' is held by {CENTRE}, not {DEPT}",
        ),
        (
            lambda d: d.forward(at=vn(2025, 4, 14, 10), agency=CENTRE, calendar=CAL, to_step="z"),
            Rule.UNKNOWN_STEP,
            f"{CODE}: step 'z' is not in the process (receive, appraise)",
        ),
    ],
)
def test_a_step_command_breaking_a_rule_of_the_process_is_refused_saying_which(
    command: Any, rule: Rule, detail: str
) -> None:
    error = refused(given(start("receive", vn(2025, 4, 14, 9))), command, rule)
    assert error.detail == detail


def test_finishing_with_no_step_in_progress_is_refused_saying_so() -> None:
    error = refused(
        given(),
        lambda d: d.finish_step(at=vn(2025, 4, 14, 10), agency=CENTRE, calendar=CAL),
        Rule.STEP_IN_PROGRESS,
    )
    assert error.detail == f"{CODE}: no step in progress"


def test_a_step_checks_its_fields_naming_each() -> None:
    def starting(**fields: Any) -> None:
        given().start_step(at=vn(2025, 4, 14, 10), calendar=CAL, **fields)

    with pytest.raises(
        InvalidInputError, match=r"^allotted: expected a TimeLimit, got '1 ngày làm việc'$"
    ):
        starting(step="x", allotted="1 ngày làm việc")
    with pytest.raises(InvalidInputError, match=r"^agency: expected an agency code like"):
        starting(step="x", allotted=TimeLimit.parse("1 ngày làm việc"))
    with pytest.raises(InvalidInputError, match=r"^agency: 'bad' is not an agency code"):
        starting(step="receive", agency="bad")
    with pytest.raises(InvalidInputError, match=r"^step: expected non-empty text, got ''$"):
        starting(step="")
    with pytest.raises(InvalidInputError, match=r"^name: expected non-empty text, got ' '$"):
        starting(step="receive", name=" ")
    forwarding = given(start("receive", vn(2025, 4, 14, 9)))
    with pytest.raises(InvalidInputError, match=r"^to_step: expected non-empty text, got ''$"):
        forwarding.forward(at=vn(2025, 4, 14, 10), agency=CENTRE, calendar=CAL, to_step="")
    with pytest.raises(InvalidInputError, match=r"^to_agency: 'bad' is not an agency code"):
        forwarding.forward(
            at=vn(2025, 4, 14, 10), agency=CENTRE, calendar=CAL, to_step="appraise", to_agency="bad"
        )


def test_a_step_due_past_the_calendars_data_is_refused_naming_what_gave_the_share() -> None:
    end = "counting from 2027-12-31 runs past the calendar's data range 2020-01-01..2027-12-31"
    with pytest.raises(
        CalendarRangeError, match=re.escape(f"allotted: 5 ngày làm việc: {end}") + "$"
    ):
        given().start_step(
            step="receive",
            at=vn(2027, 12, 31, 9),
            calendar=CAL,
            allotted=TimeLimit.parse("5 ngày làm việc"),
        )
    with pytest.raises(CalendarRangeError, match=re.escape(f"step: 1 ngày làm việc: {end}") + "$"):
        given().start_step(step="receive", at=vn(2027, 12, 31, 9), calendar=CAL)
    with pytest.raises(
        CalendarRangeError, match=re.escape(f"to_step: 3 ngày làm việc: {end}") + "$"
    ):
        given(start("receive", vn(2025, 4, 14, 9))).forward(
            at=vn(2027, 12, 31, 9), agency=CENTRE, calendar=CAL
        )


# -- seed 15 sample: opening, resolving, returning and the service events, whole ---------------
def test_a_submission_records_the_whole_event() -> None:
    d = Dossier.submit(
        code=f" {CODE} ",
        procedure="1.004227",
        at=vn(2025, 4, 14, 8),
        agency=CENTRE,
        channel="postal",
        applicant={"name": "Lê Thị Hoa"},
        actor="cd-1",
        command_id="sub",
    )
    (event,) = then(d, "Submitted")
    assert _whole(event) == {
        **_opening(vn(2025, 4, 14, 8), version=1),
        "at": vn(2025, 4, 14, 8),
        "agency": CENTRE,
        "actor": "cd-1",
        "command_id": "sub",
        "code": CODE,
        "procedure": "1.004227",
        "channel": Channel.POSTAL,
        "applicant": {"name": "Lê Thị Hoa"},
    }
    assert (d.id, d.code, d.status, d.submitted_at, d.holder) == (
        ID,
        CODE,
        Status.SUBMITTED,
        vn(2025, 4, 14, 8),
        CENTRE,
    )
    assert (
        Dossier.submit(
            code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE
        ).channel
        is Channel.ONLINE
    )


def test_a_refusal_at_the_counter_records_the_whole_event_without_a_procedure() -> None:
    d = Dossier.refuse_at_counter(
        code=CODE,
        procedure="",
        at=vn(2025, 4, 14, 8),
        agency=CENTRE,
        reason="thiếu",
        actor="cb",
        command_id="ref",
    )
    (event,) = then(d, "Refused")
    assert _whole(event) == {
        **_opening(vn(2025, 4, 14, 8), version=1),
        "at": vn(2025, 4, 14, 8),
        "agency": CENTRE,
        "actor": "cb",
        "command_id": "ref",
        "code": CODE,
        "procedure": "",
        "channel": Channel.COUNTER,
        "reason": "thiếu",
    }
    assert (d.status, d.ended_at, d.outcome, d.holder, d.is_received) == (
        Status.REFUSED,
        vn(2025, 4, 14, 8),
        "thiếu",
        CENTRE,
        False,
    )


def test_opening_checks_the_code_the_channel_and_the_reason_naming_each() -> None:
    with pytest.raises(InvalidInputError, match=r"^dossier code 'bad': expected <agency code>"):
        Dossier.submit(code="bad", procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    with pytest.raises(
        InvalidInputError, match=r"^channel: 'fax' is not one of counter, online, postal$"
    ):
        Dossier.submit(
            code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE, channel="fax"
        )
    with pytest.raises(InvalidInputError, match=r"^reason: expected non-empty text, got ''$"):
        Dossier.refuse_at_counter(
            code=CODE, procedure="", at=vn(2025, 4, 14, 8), agency=CENTRE, reason=""
        )
    with pytest.raises(InvalidInputError, match=r"^procedure: expected non-empty text, got ''$"):
        Dossier.submit(code=CODE, procedure="", at=vn(2025, 4, 14, 8), agency=CENTRE)


def test_receiving_a_submission_checks_each_field_naming_it() -> None:
    fields: dict[str, Any] = {
        "procedure": "1.004227",
        "at": vn(2025, 4, 14, 9),
        "agency": CENTRE,
        "limit": "4 ngày làm việc",
        "calendar": CAL,
    }
    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        (
            {"code": "000.00.10.H41-250414-0002"},
            InvalidInputError,
            f"code: 000.00.10.H41-250414-0002 is not this dossier ({CODE})",
        ),
        ({"calendar": "x"}, InvalidInputError, "calendar: expected a VietnamCalendar, got 'x'"),
        (
            {"supplement_policy": "x"},
            InvalidInputError,
            "supplement_policy/excluded_pauses: 'x' is not a valid SupplementPolicy",
        ),
        (
            {"excluded_pauses": [5]},
            InvalidInputError,
            "supplement_policy/excluded_pauses: 5 is not a valid PauseReason",
        ),
        (
            {"at": vn(2027, 12, 30, 9)},
            CalendarRangeError,
            "limit: 4 ngày làm việc: counting from 2027-12-30 runs past the calendar's data "
            "range 2020-01-01..2027-12-31",
        ),
    ]
    for given_fields, error, message in cases:
        with pytest.raises(error, match=re.escape(message) + "$"):
            _submitted().receive(**{**fields, **given_fields})
    error_ = refused(
        _submitted(),
        lambda d: d.receive(**{**fields, "at": vn(2025, 4, 14, 7)}),
        Rule.TIME_RUNS_FORWARD,
    )
    assert error_.detail == (
        f"{CODE}: at 2025-04-14T07:00:00+07:00 is before the last event (2025-04-14T08:00:00+07:00)"
    )
    error_ = refused(given(), lambda d: d.receive(**fields), Rule.ALREADY_RECEIVED)
    assert error_.detail == f"{CODE} was received already"
    same_day = _submitted()
    assert same_day.receive(**{**fields, "limit": "trong ngày"})
    assert same_day.limit == TimeLimit.parse("trong ngày")


def test_a_resolution_records_the_whole_event_with_the_running_steps_verdict() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    resolution = {"at": vn(2025, 4, 14, 10), "agency": CENTRE, "actor": "a", "command_id": "z"}
    assert d.resolve(outcome="rejected", calendar=CAL, **resolution) is True
    (event,) = then(d, "Resolved")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 14, 10)),
        **resolution,
        "outcome": "rejected",
        "step_timeliness": Timeliness.EARLY,
    }
    assert (d.status, d.resolved_at, d.ended_at, d.outcome) == (
        Status.RESOLVED,
        vn(2025, 4, 14, 10),
        vn(2025, 4, 14, 10),
        "rejected",
    )
    assert (d.steps[-1].finished_at, d.steps[-1].timeliness) == (
        vn(2025, 4, 14, 10),
        Timeliness.EARLY,
    )
    assert d.resolve(calendar=CAL, **resolution) is False
    unjudged = given(start("receive", vn(2025, 4, 14, 9)))
    unjudged.resolve(at=vn(2025, 4, 14, 10), agency=CENTRE)
    (event,) = then(unjudged, "Resolved")
    assert (event.outcome, event.step_timeliness) == ("approved", None)
    assert unjudged.steps[-1].timeliness is None


def test_a_resolution_by_an_agency_not_handling_the_dossier_is_refused_naming_it() -> None:
    error = refused(
        given(),
        lambda d: d.resolve(at=vn(2025, 4, 15, 9), agency=DEPT),
        Rule.STEP_HELD_BY_AGENCY,
    )
    assert error.detail == f"{CODE}: cannot resolve: the dossier is held by {CENTRE}, not {DEPT}"
    with pytest.raises(InvalidInputError, match=r"^outcome: expected non-empty text, got ''$"):
        given().resolve(at=vn(2025, 4, 15, 9), agency=CENTRE, outcome="")


def test_returning_the_result_records_the_whole_event_once() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    returned = {"at": vn(2025, 4, 16, 9), "agency": CENTRE, "actor": "a", "command_id": "t"}
    assert d.return_result(channel="online", **returned) is True
    (event,) = then(d, "ResultReturned")
    assert _whole(event) == {
        **_stored(d, vn(2025, 4, 16, 9)),
        **returned,
        "channel": Channel.ONLINE,
    }
    assert (d.status, d.returned_at, d.return_channel) == (
        Status.RETURNED,
        vn(2025, 4, 16, 9),
        Channel.ONLINE,
    )
    assert d.return_result(channel="online", **returned) is False
    counter = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    counter.return_result(at=vn(2025, 4, 16, 9), agency=CENTRE)
    assert counter.return_channel is Channel.COUNTER


def test_returning_a_result_not_yet_resolved_is_refused_with_the_status_even_under_an_id() -> None:
    for command_id in (None, "t-1"):
        error = refused(
            given(),
            lambda d, cid=command_id: d.return_result(
                at=vn(2025, 4, 15, 9), agency=CENTRE, command_id=cid
            ),
            Rule.RESULT_NEEDS_RESOLUTION,
        )
        assert error.detail == f"{CODE} is not resolved (status 2)"


def test_feedback_payment_and_digitisation_record_their_whole_events_once() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    who = {"agency": CENTRE, "actor": "a"}
    assert d.record_feedback(
        at=vn(2025, 4, 16, 9), rating="very_satisfied", comment="tốt", complaint=False,
        command_id="fb", **who,
    )  # fmt: skip
    assert d.record_payment(
        at=vn(2025, 4, 16, 10), amount=25_000, online=False, command_id="pay", **who
    )
    assert d.record_digitisation(
        at=vn(2025, 4, 16, 11), components=4, e_result=False, reused=True, command_id="dg", **who
    )
    feedback, paid, digitised = then(d, "FeedbackGiven", "FeePaid", "Digitised")
    version = d.version

    def stored(event: Any, n: int, at: Any, command_id: str, **fields: Any) -> dict[str, Any]:
        return {
            "originator_id": ID,
            "originator_version": version - 2 + n,
            "timestamp": at,
            "at": at,
            "command_id": command_id,
            **who,
            **fields,
        }

    assert _whole(feedback) == stored(
        feedback, 0, vn(2025, 4, 16, 9), "fb",
        rating=Rating.VERY_SATISFIED, comment="tốt", complaint=False,
    )  # fmt: skip
    assert _whole(paid) == stored(paid, 1, vn(2025, 4, 16, 10), "pay", amount=25_000, online=False)
    assert _whole(digitised) == stored(
        digitised, 2, vn(2025, 4, 16, 11), "dg", components=4, e_result=False, reused=True
    )
    assert (d.digitised_components, d.e_result, d.reused_data) == (4, False, True)
    assert (
        d.record_feedback(at=vn(2025, 4, 16, 9), rating="satisfied", command_id="fb", **who)
        is False
    )
    assert (
        d.record_payment(at=vn(2025, 4, 16, 10), amount=1, online=True, command_id="pay", **who)
        is False
    )
    assert d.record_digitisation(at=vn(2025, 4, 16, 11), command_id="dg", **who) is False
    assert d.collect_events() == []


def test_the_service_events_check_their_fields_naming_each() -> None:
    d = given()
    at, who = vn(2025, 4, 15, 9), {"agency": CENTRE}
    cases: list[tuple[Any, str]] = [
        (lambda: d.record_feedback(at=at, rating="ok", **who), "rating: 'ok' is not one of "),
        (
            lambda: d.record_feedback(at=at, rating="satisfied", complaint="no", **who),
            "complaint: expected true or false, got 'no'",
        ),
        (
            lambda: d.record_feedback(at=at, rating="satisfied", comment=5, **who),
            "comment: expected text, got int 5",
        ),
        (
            lambda: d.record_payment(at=at, amount=1, online=1, **who),
            "online: expected true or false, got 1",
        ),
        (
            lambda: d.record_digitisation(at=at, e_result=None, **who),
            "e_result: expected true or false, got None",
        ),
        (
            lambda: d.record_digitisation(at=at, reused="yes", **who),
            "reused: expected true or false, got 'yes'",
        ),
    ]
    for command, message in cases:
        with pytest.raises(InvalidInputError, match="^" + re.escape(message)):
            command()
    assert d.collect_events() == []


# -- seed 15 sample: the state of a dossier before its first event ----------------------------
def test_a_dossier_before_its_first_event_holds_nothing() -> None:
    assert vars(FoldedDossier()) == {
        "code": "",
        "procedure": "",
        "procedure_name": "",
        "channel": Channel.COUNTER,
        "applicant": None,
        "status": Status.SUBMITTED,
        "limit": None,
        "regime": None,
        "calendar_version": "",
        "supplement_policy": SupplementPolicy.PAUSE,
        "excluded_pauses": [],
        "process": [],
        "submitted_at": None,
        "received_at": None,
        "effective_start": None,
        "original_due": None,
        "legal_due": None,
        "current_due": None,
        "holder": "",
        "receiving_agency": "",
        "steps": [],
        "pauses": [],
        "supplement_requests": 0,
        "status_before_pause": None,
        "apologies": [],
        "overdue_at": None,
        "resolved_at": None,
        "returned_at": None,
        "return_channel": None,
        "ended_at": None,
        "outcome": "",
        "feedback": [],
        "payments": [],
        "digitised_components": 0,
        "e_result": False,
        "reused_data": False,
        "last_at": None,
        "command_ids": set(),
        "applied_by": {},
        "id": None,
        "version": 0,
    }
    empty = FoldedDossier()
    assert empty.e_result is False
    assert empty.reused_data is False
    assert empty.status_before_pause is None
