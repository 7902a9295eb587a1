"""The dossier's named business rules, as given events / when command / then events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from tthc_engine import VN_TZ, TimeLimit, VietnamCalendar
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import (
    BusinessRuleError,
    Dossier,
    Form,
    PlannedStep,
    Regime,
    Rule,
    Status,
)
from tthc_engine.domain.slips import control_slip

CAL = VietnamCalendar()
CENTRE = "000.00.10.H41"
DEPT = "000.00.20.H41"
PPC = "000.00.00.H41"
CODE = "000.00.10.H41-250414-0001"
PROCESS = [
    PlannedStep("receive", "Tiếp nhận", CENTRE, TimeLimit.parse("1 ngày làm việc")),
    PlannedStep("appraise", "Thẩm định", DEPT, TimeLimit.parse("3 ngày làm việc")),
]


def vn(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=VN_TZ)  # type: ignore[misc]


Command = Callable[[Dossier], Any]


def given(*commands: Command, **receipt: Any) -> Dossier:
    """A dossier received Mon 14/04/2025 09:00 (4 working days, due Fri 18/04 09:00),
    then ``commands`` applied; its pending events are cleared."""
    fields: dict[str, Any] = {
        "code": CODE,
        "procedure": "1.004227",
        "at": vn(2025, 4, 14, 9),
        "agency": CENTRE,
        "limit": TimeLimit.parse("4 ngày làm việc"),
        "calendar": CAL,
        "process": PROCESS,
    }
    fields.update(receipt)
    dossier = Dossier.open_by_receipt(**fields)
    for command in commands:
        command(dossier)
    dossier.collect_events()
    return dossier


def then(dossier: Dossier, *names: str) -> list[Any]:
    events = list(dossier.collect_events())
    assert [type(e).__name__ for e in events] == list(names)
    return events


def refused(dossier: Dossier, command: Command, rule: Rule) -> BusinessRuleError:
    version = dossier.version
    with pytest.raises(BusinessRuleError) as caught:
        command(dossier)
    assert caught.value.rule is rule
    assert rule.name in str(caught.value)
    assert dossier.version == version
    assert dossier.collect_events() == []
    return caught.value


def start(step: str, at: datetime) -> Command:
    return lambda d: d.start_step(step=step, at=at, calendar=CAL)


def finish(agency: str, at: datetime) -> Command:
    return lambda d: d.finish_step(agency=agency, at=at, calendar=CAL)


def test_receipt_fixes_the_appointment_regime_and_calendar_version() -> None:
    dossier = Dossier.open_by_receipt(
        code=CODE,
        procedure="1.004227",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        limit=TimeLimit.parse("4 ngày làm việc"),
        calendar=CAL,
    )
    (received,) = then(dossier, "Received")
    assert received.original_due == vn(2025, 4, 18, 9)
    assert received.regime is Regime.ND61_2018
    assert received.calendar_version == CAL.version
    assert dossier.status is Status.RECEIVED


def test_the_regime_changes_for_receipts_from_1_july_2025() -> None:
    before = given(at=vn(2025, 6, 30, 16), code="000.00.10.H41-250630-0001")
    after = given(at=vn(2025, 7, 1, 8), code="000.00.10.H41-250701-0001")
    assert before.regime is Regime.ND61_2018
    assert after.regime is Regime.ND118_2025
    old_apology = ("Mẫu 04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    assert before.regime.form(Form.APOLOGY, date(2025, 6, 30)) == old_apology
    # ND 118/2025 from 01/07/2025, but TT 03/2025's forms only from 15/09/2025
    assert after.regime.form(Form.APOLOGY, date(2025, 7, 1)) == old_apology
    later = given(at=vn(2025, 9, 15, 8), code="000.00.10.H41-250915-0001")
    assert later.regime.form(Form.APOLOGY, date(2025, 9, 15)) == (
        "Mẫu 04",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    )
    assert later.regime.form(Form.STOP_NOTICE, date(2025, 9, 15))[0] == "Mẫu 05"


def test_a_receipt_after_the_close_counts_from_the_next_opening() -> None:
    dossier = given(
        at=vn(2025, 3, 10, 17, 20),
        code="000.00.10.H41-250310-0001",
        limit=TimeLimit.parse("3 ngày làm việc"),
    )
    assert dossier.effective_start == vn(2025, 3, 11, 7)
    assert dossier.original_due == vn(2025, 3, 14, 7)


def test_nothing_but_receipt_or_refusal_happens_to_a_submitted_dossier() -> None:
    dossier = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 12, 20), agency=CENTRE)
    dossier.collect_events()
    refused(
        dossier,
        lambda d: d.resolve(at=vn(2025, 4, 14, 9), agency=CENTRE),
        Rule.NOTHING_BEFORE_RECEIPT,
    )
    refused(dossier, start("receive", vn(2025, 4, 14, 9)), Rule.NOTHING_BEFORE_RECEIPT)
    dossier.refuse(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="thiếu giấy tờ")
    then(dossier, "Refused")
    assert dossier.status is Status.REFUSED


def test_a_step_gets_its_own_due_from_its_share() -> None:
    dossier = given()
    dossier.start_step(step="appraise", at=vn(2025, 4, 14, 16), calendar=CAL)
    (started,) = then(dossier, "StepStarted")
    assert started.agency == DEPT
    assert started.due_at == vn(2025, 4, 17, 16)
    assert dossier.holder == DEPT
    assert dossier.status is Status.PROCESSING


def test_a_step_outside_the_process_needs_an_allotted_share() -> None:
    dossier = given()
    refused(dossier, start("lấy ý kiến", vn(2025, 4, 14, 10)), Rule.UNKNOWN_STEP)
    dossier.start_step(
        step="lấy ý kiến",
        at=vn(2025, 4, 14, 10),
        calendar=CAL,
        agency=PPC,
        allotted=TimeLimit.parse("8 giờ làm việc"),
    )
    (started,) = then(dossier, "StepStarted")
    assert started.due_at == vn(2025, 4, 15, 10)


def test_a_step_is_finished_only_by_the_agency_holding_it() -> None:
    dossier = given(start("appraise", vn(2025, 4, 14, 16)))
    refused(dossier, finish(CENTRE, vn(2025, 4, 15, 9)), Rule.STEP_HELD_BY_AGENCY)
    dossier.finish_step(agency=DEPT, at=vn(2025, 4, 18, 9), calendar=CAL)
    (finished,) = then(dossier, "StepFinished")
    assert finished.timeliness.value == "late"


def test_only_one_step_is_in_progress_at_a_time() -> None:
    dossier = given(start("receive", vn(2025, 4, 14, 9)))
    refused(dossier, start("appraise", vn(2025, 4, 14, 10)), Rule.ONE_STEP_AT_A_TIME)
    refused(given(), finish(CENTRE, vn(2025, 4, 14, 10)), Rule.STEP_IN_PROGRESS)


def test_time_runs_forward_within_a_dossier() -> None:
    dossier = given(start("receive", vn(2025, 4, 14, 11)))
    refused(dossier, finish(CENTRE, vn(2025, 4, 14, 10)), Rule.TIME_RUNS_FORWARD)


def test_nothing_but_feedback_after_a_terminal_state() -> None:
    dossier = given(lambda d: d.withdraw(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="rút"))
    refused(dossier, start("receive", vn(2025, 4, 15, 10)), Rule.CLOSED_DOSSIER)
    refused(
        dossier, lambda d: d.resolve(at=vn(2025, 4, 15, 10), agency=CENTRE), Rule.CLOSED_DOSSIER
    )
    dossier.record_feedback(
        at=vn(2025, 4, 16, 9), agency=CENTRE, rating="dissatisfied", complaint=True
    )
    then(dossier, "FeedbackGiven")


def test_after_resolution_only_return_feedback_payment_and_digitisation() -> None:
    dossier = given(lambda d: d.resolve(at=vn(2025, 4, 15, 9), agency=CENTRE))
    refused(
        dossier,
        lambda d: d.stop(at=vn(2025, 4, 15, 10), agency=CENTRE, reason="x"),
        Rule.CLOSED_DOSSIER,
    )
    dossier.record_digitisation(at=vn(2025, 4, 15, 10), agency=CENTRE, e_result=True)
    dossier.return_result(at=vn(2025, 4, 15, 11), agency=CENTRE)
    then(dossier, "Digitised", "ResultReturned")
    assert dossier.status is Status.RETURNED


def test_a_result_is_returned_only_after_resolution() -> None:
    refused(
        given(),
        lambda d: d.return_result(at=vn(2025, 4, 15, 9), agency=CENTRE),
        Rule.RESULT_NEEDS_RESOLUTION,
    )


def test_a_supplement_under_the_pause_policy_keeps_the_consumed_time() -> None:
    dossier = given(
        start("appraise", vn(2025, 4, 14, 9)),
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=DEPT, reason="thiếu bản vẽ"),
    )
    assert dossier.status is Status.SUPPLEMENT_REQUESTED
    dossier.receive_supplement(at=vn(2025, 4, 21, 9), agency=CENTRE, calendar=CAL)
    (event,) = then(dossier, "SupplementReceived")
    # 1 working day consumed (14→15/04); 3 remain from Mon 21/04 09:00; Sat 26/04 is worked
    assert event.legal_due == vn(2025, 4, 24, 9)
    assert dossier.original_due == vn(2025, 4, 18, 9)
    assert dossier.current_step is not None
    assert dossier.current_step.due_at == vn(2025, 4, 23, 9)
    assert dossier.status is Status.PROCESSING


def test_a_supplement_under_the_restart_policy_gives_the_full_limit_again() -> None:
    dossier = given(
        lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="thiếu"),
        supplement_policy=SupplementPolicy.RESTART,
    )
    dossier.receive_supplement(at=vn(2025, 4, 21, 9), agency=CENTRE, calendar=CAL)
    (event,) = then(dossier, "SupplementReceived")
    assert event.restarted is True
    assert event.legal_due == vn(2025, 4, 25, 9)  # 4 WD from 21/04: 22, 23, 24, 25


def test_a_second_supplement_request_is_recorded_and_counts_late() -> None:
    dossier = given(
        lambda d: d.request_supplement(at=vn(2025, 4, 14, 10), agency=CENTRE, reason="1"),
        lambda d: d.receive_supplement(at=vn(2025, 4, 14, 11), agency=CENTRE, calendar=CAL),
    )
    refused(
        dossier,
        lambda d: d.receive_supplement(at=vn(2025, 4, 14, 12), agency=CENTRE, calendar=CAL),
        Rule.SUPPLEMENT_PENDING,
    )
    dossier.request_supplement(at=vn(2025, 4, 14, 14), agency=CENTRE, reason="2")
    then(dossier, "SupplementRequested")
    refused(
        dossier,
        lambda d: d.request_supplement(at=vn(2025, 4, 14, 14), agency=CENTRE, reason="3"),
        Rule.SUPPLEMENT_PENDING,
    )
    dossier.receive_supplement(at=vn(2025, 4, 14, 15), agency=CENTRE, calendar=CAL)
    dossier.resolve(at=vn(2025, 4, 15, 9), agency=CENTRE)
    assert dossier.multiple_supplements
    assert dossier.timeliness(CAL) is not None
    assert dossier.timeliness(CAL).value == "late"  # type: ignore[union-attr]


def test_an_excluded_pause_stops_the_clock_and_sets_status_6() -> None:
    dossier = given(
        lambda d: d.pause(
            at=vn(2025, 4, 15, 9), agency=CENTRE, reason=PauseReason.FINANCIAL_OBLIGATION
        ),
        excluded_pauses=[PauseReason.FINANCIAL_OBLIGATION],
    )
    assert dossier.status is Status.FINANCIAL_OBLIGATION
    assert dossier.clock_stopped
    dossier.resume(at=vn(2025, 4, 22, 9), agency=CENTRE, calendar=CAL)
    (event,) = then(dossier, "Resumed")
    assert event.legal_due == vn(2025, 4, 25, 9)  # moved by the 5 working days 15→22/04
    assert dossier.status is Status.RECEIVED


def test_a_pause_the_procedure_does_not_exclude_lets_the_clock_run() -> None:
    dossier = given(
        lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="public_posting")
    )
    assert not dossier.clock_stopped
    dossier.resume(at=vn(2025, 4, 22, 9), agency=CENTRE, calendar=CAL)
    (event,) = then(dossier, "Resumed")
    assert event.legal_due == vn(2025, 4, 18, 9)


def test_a_pause_starts_only_once_and_resume_needs_a_pause() -> None:
    refused(
        given(),
        lambda d: d.resume(at=vn(2025, 4, 15, 9), agency=CENTRE, calendar=CAL),
        Rule.PAUSE_STATE,
    )
    paused = given(lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="public_posting"))
    refused(
        paused,
        lambda d: d.pause(at=vn(2025, 4, 15, 10), agency=CENTRE, reason="public_posting"),
        Rule.PAUSE_STATE,
    )


def test_the_apology_comes_from_the_agency_handling_the_dossier_not_the_counter() -> None:
    dossier = given(start("appraise", vn(2025, 4, 14, 16)))
    refused(
        dossier,
        lambda d: d.issue_apology(
            at=vn(2025, 4, 17, 10),
            agency=CENTRE,
            new_due=vn(2025, 4, 22, 9),
            reason="x",
            calendar=CAL,
        ),
        Rule.APOLOGY_BY_RESPONSIBLE_AGENCY,
    )
    dossier.issue_apology(
        at=vn(2025, 4, 17, 10),
        agency=DEPT,
        new_due=vn(2025, 4, 22, 9),
        reason="chờ ý kiến cơ quan phối hợp",
        calendar=CAL,
    )
    then(dossier, "ApologyIssued")
    assert dossier.current_due == vn(2025, 4, 22, 9)
    assert dossier.legal_due == dossier.original_due == vn(2025, 4, 18, 9)


def test_an_apology_after_the_due_is_refused() -> None:
    dossier = given(start("appraise", vn(2025, 4, 14, 16)))
    refused(
        dossier,
        lambda d: d.issue_apology(
            at=vn(2025, 4, 18, 10),
            agency=DEPT,
            new_due=vn(2025, 4, 22, 9),
            reason="x",
            calendar=CAL,
        ),
        Rule.APOLOGY_BEFORE_DUE,
    )


def test_a_second_apology_is_refused_unless_configured() -> None:
    def apologise(at: datetime, new_due: datetime, limit: int = 1) -> Command:
        return lambda d: d.issue_apology(
            at=at, agency=DEPT, new_due=new_due, reason="x", max_apologies=limit, calendar=CAL
        )

    dossier = given(
        start("appraise", vn(2025, 4, 14, 16)), apologise(vn(2025, 4, 17, 10), vn(2025, 4, 22, 9))
    )
    refused(dossier, apologise(vn(2025, 4, 21, 10), vn(2025, 4, 24, 9)), Rule.APOLOGY_LIMIT)
    dossier.issue_apology(
        at=vn(2025, 4, 21, 10),
        agency=DEPT,
        new_due=vn(2025, 4, 24, 9),
        reason="x",
        max_apologies=2,
        calendar=CAL,
    )
    then(dossier, "ApologyIssued")


def test_the_new_appointment_must_be_later() -> None:
    dossier = given(start("appraise", vn(2025, 4, 14, 16)))
    refused(
        dossier,
        lambda d: d.issue_apology(
            at=vn(2025, 4, 17, 10),
            agency=DEPT,
            new_due=vn(2025, 4, 18, 9),
            reason="x",
            calendar=CAL,
        ),
        Rule.APOLOGY_LATER_DATE,
    )


def test_overdue_is_marked_once() -> None:
    dossier = given()
    refused(
        dossier,
        lambda d: d.mark_overdue(at=vn(2025, 4, 18, 16), calendar=CAL),
        Rule.OVERDUE_AFTER_DUE,
    )
    assert dossier.mark_overdue(at=vn(2025, 4, 21, 8), calendar=CAL)
    then(dossier, "BecameOverdue")
    assert not dossier.mark_overdue(at=vn(2025, 4, 22, 8), calendar=CAL)
    then(dossier)


def test_a_stopped_clock_has_no_due_to_pass() -> None:
    dossier = given(
        lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="financial_obligation"),
        excluded_pauses=[PauseReason.FINANCIAL_OBLIGATION],
    )
    refused(
        dossier,
        lambda d: d.mark_overdue(at=vn(2025, 4, 25, 9), calendar=CAL),
        Rule.OVERDUE_AFTER_DUE,
    )


def test_a_repeated_command_id_triggers_nothing() -> None:
    dossier = given()
    assert dossier.record_payment(
        at=vn(2025, 4, 14, 10), agency=CENTRE, amount=100_000, online=True, command_id="pay-1"
    )
    assert not dossier.record_payment(
        at=vn(2025, 4, 14, 10), agency=CENTRE, amount=100_000, online=True, command_id="pay-1"
    )
    then(dossier, "FeePaid")


def test_lateness_is_attributed_to_the_first_step_that_overran() -> None:
    dossier = given(
        start("receive", vn(2025, 4, 14, 9)),
        finish(CENTRE, vn(2025, 4, 14, 16)),
        start("appraise", vn(2025, 4, 14, 16)),
        finish(DEPT, vn(2025, 4, 21, 10)),
        lambda d: d.resolve(at=vn(2025, 4, 21, 11), agency=DEPT),
    )
    assert dossier.late_cause(vn(2025, 4, 30, 9), CAL) == DEPT
    assert dossier.late_by(CAL) == 1
    slip = control_slip(dossier)
    assert [h["timeliness"] for h in slip["handoffs"]] == ["early", "late"]
    assert slip["title"] == "Phiếu kiểm soát quá trình giải quyết hồ sơ"


def test_without_steps_lateness_goes_to_the_holder_at_the_due() -> None:
    dossier = given()
    assert dossier.late_cause(vn(2025, 4, 18, 16), CAL) is None
    assert dossier.late_cause(vn(2025, 4, 21, 9), CAL) == CENTRE
    assert dossier.late_by(CAL, vn(2025, 4, 22, 9)) == 2


def test_time_consumed_excludes_clock_stopping_pauses() -> None:
    dossier = given(
        lambda d: d.pause(
            at=vn(2025, 4, 15, 9), agency=CENTRE, reason=PauseReason.FINANCIAL_OBLIGATION
        ),
        lambda d: d.resume(at=vn(2025, 4, 22, 9), agency=CENTRE, calendar=CAL),
        excluded_pauses=[PauseReason.FINANCIAL_OBLIGATION],
    )
    consumed = dossier.time_consumed(CAL, vn(2025, 4, 23, 9))
    assert consumed == 2 * 8 * 3600  # 14→15/04 and 22→23/04
