"""More of the dossier's rules at their edges: slips, time consumed, the folded dossier, the
segments of a dossier's working time (issue 12, mutation testing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.domain.test_edges import _opened
from tests.domain.test_judgements import (
    DUE,
    LONG_AFTER,
    dossier,
    forward,
    resolve,
    supplement,
    supplemented,
)
from tests.domain.test_rules import CAL, CENTRE, CODE, DEPT, PPC, given, refused, start, then, vn
from tests.domain.whole import ID, _apologise, _long_history, _pause, _submitted
from tthc_engine import TimeLimit
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import BusinessRuleError, Dossier, Regime, Rule, Status
from tthc_engine.domain import judgements as j
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.domain.records import (
    ApologyRecord,
    FeedbackRecord,
    PauseKind,
    PauseRecord,
    PaymentRecord,
    StepRecord,
)
from tthc_engine.domain.slips import control_slip, receipt_slip
from tthc_engine.domain.values import Channel, Rating
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import Timeliness


# -- seed 15 sample: the slips ---------------------------------------------------------------
def test_the_control_slip_lists_every_handoff_with_its_step_name_agency_dues_and_verdict() -> None:
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 16, 15)),
    )
    assert control_slip(d) == {
        "form": "Mẫu 05",
        "title": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "code": CODE,
        "handoffs": [
            {
                "step": "receive",
                "name": "Tiếp nhận, chuyển hồ sơ",
                "agency": CENTRE,
                "received_at": "2025-04-14T09:00:00+07:00",
                "due_at": "2025-04-14T15:00:00+07:00",
                "finished_at": "2025-04-14T10:00:00+07:00",
                "timeliness": "early",
            },
            {
                "step": "appraise",
                "name": "Thẩm định",
                "agency": DEPT,
                "received_at": "2025-04-14T10:00:00+07:00",
                "due_at": "2025-04-16T10:00:00+07:00",
                "finished_at": "2025-04-16T15:00:00+07:00",
                "timeliness": "late",
            },
            {
                "step": "sign",
                "name": "Ký duyệt",
                "agency": PPC,
                "received_at": "2025-04-16T15:00:00+07:00",
                "due_at": "2025-04-17T15:00:00+07:00",
                "finished_at": None,
                "timeliness": None,
            },
        ],
    }


def test_no_slip_is_printed_for_a_submission_not_yet_received_and_the_error_names_it() -> None:
    d = _submitted()
    with pytest.raises(BusinessRuleError) as control:
        control_slip(d)
    assert control.value.rule is Rule.NOTHING_BEFORE_RECEIPT
    assert control.value.detail == f"{CODE}: no control slip before receipt"
    with pytest.raises(BusinessRuleError) as receipt:
        receipt_slip(d)
    assert receipt.value.detail == f"{CODE}: no receipt slip before receipt"


# -- seed 15 sample: time consumed ------------------------------------------------------------
def test_time_consumed_is_nothing_while_an_excluded_pause_holds_the_clock_from_the_receipt() -> (
    None
):
    d = given(
        lambda d: d.pause(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="public_posting"),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    assert d.time_consumed(CAL, vn(2025, 4, 16, 9)) == 0.0


def test_time_consumed_counts_fractions_of_a_working_second() -> None:
    d = given()
    assert d.time_consumed(CAL, vn(2025, 4, 14, 9, 0, 0, 500_000)) == 0.5


# -- seed 15 sample: the folded dossier -------------------------------------------------------
def test_a_folded_dossier_takes_the_id_of_its_code() -> None:
    received = FoldedDossier.open_by_receipt(
        code=CODE,
        procedure="1.004227",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        limit="4 ngày làm việc",
        calendar=CAL,
    )
    submitted = FoldedDossier.submit(
        code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE
    )
    assert received.id == submitted.id == ID == _opened().id
    assert (received.version, received.status, received.code) == (1, Status.RECEIVED, CODE)


# -- seed 15 sample: the receipt slip, whole ----------------------------------------------------
def test_the_receipt_slip_states_every_field_and_the_appointment_held_now() -> None:
    d = given(
        lambda d: _apologise(d, vn(2025, 4, 16, 9), vn(2025, 4, 22, 9)),
        procedure_name="Cấp phép",
        applicant={"name": "Lê Thị Hoa", "phone": "0900000000"},
        channel="postal",
    )
    assert receipt_slip(d) == {
        "form": "Mẫu 01",
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "legal_basis": (
            "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP; "
            "Thông tư 01/2018/TT-VPCP"
        ),
        "code": CODE,
        "procedure": "1.004227",
        "procedure_name": "Cấp phép",
        "applicant": "Lê Thị Hoa",
        "channel": "postal",
        "received_at": "2025-04-14T09:00:00+07:00",
        "limit": "4 ngày làm việc",
        "due_at": "2025-04-18T09:00:00+07:00",
        "current_due": "2025-04-22T09:00:00+07:00",
        "receiving_agency": CENTRE,
    }
    later = receipt_slip(given(at=vn(2025, 9, 15, 9), code="000.00.10.H41-250915-0001"))
    assert (later["legal_basis"], later["current_due"], later["applicant"]) == (
        "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP",
        "2025-09-19T09:00:00+07:00",
        "",
    )


# -- seed 15 sample: the segments of a dossier's working time, whole ---------------------------
H = 3600.0


def _reception(start: Any, end: Any, used: float) -> j.Segment:
    """The reception segment of a dossier received 14/04 09:00 (6 h left that day)."""
    return j.Segment(j.SegmentKind.RECEPTION, CENTRE, start, end, used, 6 * H)


def _step(agency: str, start: Any, end: Any, used: float, allowed: float, key: str) -> j.Segment:
    return j.Segment(j.SegmentKind.STEP, agency, start, end, used, allowed, key)


def test_each_segment_counts_its_working_time_less_the_clock_stopping_pauses_inside_it() -> None:
    # reception 09:00 → 13:30 (2.5 h of the 6 h left on the receipt day), the counter's step
    # 13:30 → 15:00 (1.5 h of 4 h), then the department's 15:00 → 16/04 11:00: 14 h less
    # the 8 h of an excluded posting, of its 2 working days.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 13, 30)),
        forward(CENTRE, vn(2025, 4, 14, 15)),
        _pause(vn(2025, 4, 15, 9)),
        lambda d: d.resume(at=vn(2025, 4, 16, 9), agency=DEPT, calendar=CAL),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    start, handed, end = vn(2025, 4, 14, 13, 30), vn(2025, 4, 14, 15), vn(2025, 4, 16, 11)
    assert list(j.segments(d, CAL, end)) == [
        _reception(vn(2025, 4, 14, 9), start, 2.5 * H),
        _step(CENTRE, start, handed, 1.5 * H, 4 * H, "receive"),
        _step(DEPT, handed, end, 6 * H, 16 * H, "appraise"),
    ]


def test_a_pause_that_spans_a_hand_over_is_cut_at_the_segments_bounds() -> None:
    # an excluded posting 10:00 → 16:00 spans the counter's hand-over at 13:30: the reception
    # loses 10:00 → 11:30, the step 13:30 → 16:00
    d = dossier(
        _pause(vn(2025, 4, 14, 10)),
        forward(CENTRE, vn(2025, 4, 14, 13, 30)),
        lambda d: d.resume(at=vn(2025, 4, 14, 16), agency=CENTRE, calendar=CAL),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    start, end = vn(2025, 4, 14, 13, 30), vn(2025, 4, 15, 9)
    assert list(j.segments(d, CAL, end)) == [
        _reception(vn(2025, 4, 14, 9), start, 1 * H),
        _step(CENTRE, start, end, 3 * H, 4 * H, "receive"),
    ]
    assert j.step_verdict(d, d.steps[0], vn(2025, 4, 15, 9), CAL) is Timeliness.EARLY
    assert j.step_verdict(d, d.steps[0], vn(2025, 4, 15, 10), CAL) is Timeliness.ON_TIME
    assert j.step_verdict(d, d.steps[0], vn(2025, 4, 15, 10, 1), CAL) is Timeliness.LATE


def test_a_dossier_without_steps_or_not_yet_received_has_no_segments() -> None:
    assert list(j.segments(given(), CAL, vn(2025, 4, 16, 9))) == []
    assert list(j.segments(_submitted(), CAL, vn(2025, 4, 16, 9))) == []
    d = dossier(forward(CENTRE, vn(2025, 4, 14, 10)))
    assert list(j.segments(d, CAL, vn(2025, 4, 14, 8))) == []


def test_working_days_late_count_for_a_resolution_or_an_open_dossier_at_as_of_only() -> None:
    open_ = given()
    assert open_.late_by(CAL) == 0  # open, and no "now" given
    assert open_.late_by(CAL, vn(2025, 4, 22, 9)) == 2
    withdrawn = given(lambda d: d.withdraw(at=vn(2025, 4, 22, 9), agency=CENTRE))
    assert withdrawn.late_by(CAL, vn(2025, 4, 23, 9)) == 0
    assert withdrawn.late_by(CAL, vn(2025, 4, 22, 9)) == 0
    assert withdrawn.late_by(CAL, vn(2025, 4, 21, 9)) == 1  # still open then
    resolved = given(resolve(CENTRE, vn(2025, 4, 22, 9)))
    assert resolved.late_by(CAL) == resolved.late_by(CAL, vn(2025, 6, 2, 9)) == 2


def test_the_766_indicator_compares_by_date_or_by_the_instant() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 18, 16)))  # due 18/04 09:00
    assert j.in_time_766(d, CAL, LONG_AFTER) is True
    assert j.in_time_766(d, CAL, LONG_AFTER, by="datetime") is False
    assert d.is_late(LONG_AFTER, CAL, by="datetime")
    assert d.timeliness(CAL, by="datetime") is Timeliness.LATE
    assert d.timeliness(CAL) is Timeliness.ON_TIME
    assert given().timeliness(CAL) is None
    assert d.late_cause(LONG_AFTER, CAL) is None
    assert d.late_cause(LONG_AFTER, CAL, by="datetime") == CENTRE


def test_a_long_history_leaves_every_record_of_the_dossiers_state() -> None:
    # restart policy: the supplement received 15/04 09:00 gives 4 WD again (21/04 09:00) and
    # appraise 2 WD again (17/04 09:00); the excluded posting 15/04 10:00 → 16/04 09:00
    # (7 working hours) then moves both: 22/04 08:00 and 18/04 08:00.
    d = _long_history()
    limit, two_days = TimeLimit.parse("4 ngày làm việc"), TimeLimit.parse("2 ngày làm việc")
    four_hours = TimeLimit.parse("4 giờ làm việc")
    assert (d.status, d.limit, d.regime, d.calendar_version) == (
        Status.RETURNED,
        limit,
        Regime.ND61_2018,
        CAL.version,
    )
    assert (d.submitted_at, d.received_at, d.effective_start) == (
        vn(2025, 4, 14, 8),
        vn(2025, 4, 14, 9),
        vn(2025, 4, 14, 9),
    )
    assert (d.original_due, d.legal_due, d.current_due) == (
        DUE,
        vn(2025, 4, 22, 8),
        vn(2025, 5, 6, 9),
    )
    assert (d.holder, d.receiving_agency, d.supplement_requests, d.status_before_pause) == (
        DEPT,
        CENTRE,
        1,
        None,
    )
    assert d.steps == [
        StepRecord(
            "receive", "Tiếp nhận hồ sơ", CENTRE, four_hours, vn(2025, 4, 14, 9),
            vn(2025, 4, 14, 15), vn(2025, 4, 14, 10), Timeliness.EARLY,
        ),
        StepRecord(
            "appraise", "Thẩm định", DEPT, two_days, vn(2025, 4, 14, 10), vn(2025, 4, 18, 8),
            vn(2025, 4, 28, 10), Timeliness.LATE,
            counted_from=vn(2025, 4, 15, 9), allotted_until=vn(2025, 4, 17, 9),
        ),
    ]  # fmt: skip
    assert d.pauses == [
        PauseRecord(
            PauseKind.SUPPLEMENT, "thiếu", vn(2025, 4, 14, 11), True, vn(2025, 4, 15, 9), DEPT
        ),
        PauseRecord(
            PauseKind.PAUSE, "public_posting", vn(2025, 4, 15, 10), True, vn(2025, 4, 16, 9), DEPT
        ),
    ]
    assert d.apologies == [
        ApologyRecord(vn(2025, 4, 16, 10), DEPT, vn(2025, 4, 22, 8), vn(2025, 5, 6, 9), "chờ")
    ]
    assert (d.overdue_at, d.resolved_at, d.returned_at, d.ended_at, d.last_at) == (
        vn(2025, 4, 28, 9),
        vn(2025, 4, 28, 10),
        vn(2025, 4, 29, 9),
        vn(2025, 4, 28, 10),
        vn(2025, 4, 29, 11),
    )
    assert (d.return_channel, d.outcome) == (Channel.POSTAL, "rejected")
    assert d.feedback == [FeedbackRecord(vn(2025, 4, 29, 10), Rating.DISSATISFIED, "chậm", True)]
    assert d.payments == [PaymentRecord(vn(2025, 4, 14, 10, 30), 50_000, True)]
    assert (d.command_ids, d.applied_by) == ({"rcv"}, {"rcv": "Received"})


# -- seed 15 sample, extended to 400: the survivors of the new mutants --------------------------
def test_a_step_started_at_the_receipt_leaves_the_reception_an_empty_segment() -> None:
    d = dossier(forward(CENTRE, vn(2025, 4, 14, 9)))
    receipt, end = vn(2025, 4, 14, 9), vn(2025, 4, 14, 11)
    assert list(j.segments(d, CAL, end)) == [
        _reception(receipt, receipt, 0.0),
        _step(CENTRE, receipt, end, 2 * H, 4 * H, "receive"),
    ]


def test_lateness_asks_for_an_aware_as_of_naming_it() -> None:
    with pytest.raises(InvalidInputError, match=r"^as_of: naive datetime 2025-04-20T00:00:00 "):
        given().is_late(datetime(2025, 4, 20), CAL)


def test_a_limit_of_zero_is_refused_pointing_to_the_same_day_limit() -> None:
    with pytest.raises(InvalidInputError) as caught:
        given(limit="0 ngày làm việc")
    assert str(caught.value) == (
        "limit: a legal time limit must be more than zero, got '0 ngày làm việc' "
        "(a procedure with an immediate result has the limit 'trong ngày')"
    )


def test_opening_a_dossier_by_an_actor_that_is_not_text_is_refused_naming_the_actor() -> None:
    opening = {"code": CODE, "procedure": "1.004227", "at": vn(2025, 4, 14, 9), "agency": CENTRE}
    for open_ in (
        lambda: Dossier.submit(actor=7, **opening),
        lambda: Dossier.refuse_at_counter(reason="x", actor=7, **opening),
        lambda: Dossier.open_by_receipt(limit="4 ngày làm việc", calendar=CAL, actor=7, **opening),
    ):
        with pytest.raises(InvalidInputError, match=r"^actor: expected text, got int 7$"):
            open_()


def test_feedback_without_a_complaint_records_none() -> None:
    d = given()
    d.record_feedback(at=vn(2025, 4, 15, 9), agency=CENTRE, rating="satisfied")
    (event,) = then(d, "FeedbackGiven")
    assert (event.comment, event.complaint) == ("", False)


# -- seed 15: the remaining survivors of a run over every mutant of the package -------------------
def test_a_dossier_late_only_by_a_second_request_is_charged_to_its_requester_by_date_only() -> None:
    # CENTRE asks first, DEPT second; the dues move to 18/04 14:00 and the counter resolves at
    # 15:00 that day: by date only the second request makes it late (DEPT's), by the instant
    # it is late by time and the counter held it at its due.
    d = given(
        supplement(CENTRE, vn(2025, 4, 14, 10)),
        supplemented(vn(2025, 4, 14, 14)),
        supplement(DEPT, vn(2025, 4, 15, 9)),
        supplemented(vn(2025, 4, 15, 10)),
        resolve(CENTRE, vn(2025, 4, 18, 15)),
    )
    assert d.legal_due == vn(2025, 4, 18, 14)
    assert d.late_cause(LONG_AFTER, CAL) == DEPT
    assert d.late_cause(LONG_AFTER, CAL, by="datetime") == CENTRE


def test_an_open_dossier_is_charged_to_the_step_that_overran_not_to_its_holder_at_the_due() -> None:
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 17, 10)),  # appraise: 3 working days of its 2
    )
    assert (d.holder_at(d.legal_due), d.late_cause(vn(2025, 4, 22, 9), CAL)) == (PPC, DEPT)


def test_without_an_overrun_lateness_goes_to_the_holder_at_the_due_not_the_holder_now() -> None:
    d = given(
        lambda d: d.start_step(
            step="consult",
            at=vn(2025, 4, 14, 10),
            calendar=CAL,
            agency=DEPT,
            allotted=TimeLimit.parse("10 ngày làm việc"),
        ),
        forward(DEPT, vn(2025, 4, 21, 9)),  # on to the first planned step, the counter's
    )
    assert (d.holder, d.late_cause(vn(2025, 4, 21, 10), CAL)) == (CENTRE, DEPT)


def test_before_its_first_step_a_dossier_was_held_by_its_receiving_agency() -> None:
    d = given(start("appraise", vn(2025, 4, 14, 10)))
    assert d.holder == DEPT
    assert d.holder_at(vn(2025, 4, 14, 9, 30)) == CENTRE
    assert d.holder_at(vn(2025, 4, 14, 10)) == DEPT
    assert d.holder_at(None) == DEPT


def test_the_766_indicator_counts_supplement_requests_not_procedure_pauses() -> None:
    d = given(
        supplement(CENTRE, vn(2025, 4, 14, 10)),
        supplemented(vn(2025, 4, 14, 14)),
        _pause(vn(2025, 4, 15, 9)),
        lambda d: d.resume(at=vn(2025, 4, 15, 10), agency=CENTRE, calendar=CAL),
        resolve(CENTRE, vn(2025, 4, 16, 9)),
    )
    assert j.in_time_766(d, CAL, LONG_AFTER) is True


def test_a_resolved_dossier_is_late_by_its_resolution_whatever_the_as_of() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 22, 9)))  # due 18/04: 21 and 22/04
    assert d.late_by(CAL, vn(2025, 4, 21, 9)) == 2
    assert _submitted().late_by(CAL, vn(2025, 4, 22, 9)) == 0


def test_receiving_a_refused_submission_is_refused_naming_the_action_and_status() -> None:
    d = _submitted()
    d.refuse(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="x")
    d.collect_events()
    error = refused(
        d,
        lambda d: d.receive(
            procedure="1.004227",
            at=vn(2025, 4, 14, 10),
            agency=CENTRE,
            limit="4 ngày làm việc",
            calendar=CAL,
        ),
        Rule.CLOSED_DOSSIER,
    )
    assert (
        error.detail
        == f"{CODE}: cannot receive while the dossier is REFUSED (3 Không được tiếp nhận)"
    )


def test_receiving_a_submission_keeps_the_applicant_it_gave_in_the_receipt() -> None:
    d = Dossier.submit(
        code=CODE,
        procedure="1.004227",
        at=vn(2025, 4, 14, 8),
        agency=CENTRE,
        applicant={"name": "Lê Thị Hoa"},
    )
    d.collect_events()
    d.receive(
        procedure="1.004227",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        limit="4 ngày làm việc",
        calendar=CAL,
    )
    (event,) = then(d, "Received")
    assert event.applicant == {"name": "Lê Thị Hoa"}


def test_a_digitisation_without_flags_records_neither_an_electronic_result_nor_reuse() -> None:
    d = given()
    d.record_digitisation(at=vn(2025, 4, 15, 9), agency=CENTRE)
    (event,) = then(d, "Digitised")
    assert (event.components, event.e_result, event.reused) == (1, False, False)


def test_a_dossier_folded_from_its_events_counts_one_version_per_event() -> None:
    d = _long_history()
    events = d.collect_events()
    folded = FoldedDossier()
    for event in events:
        folded.apply_event(event)
    assert folded.version == len(events) == 16


def test_a_restart_without_an_apology_sets_the_appointment_to_the_new_due_even_when_earlier() -> (
    None
):
    # a same-day procedure: an excluded posting 10:00 → 16:00 moved its due to 15/04 11:00;
    # the supplement completed at 16:30 restarts it: due at the close of that day, and the
    # applicant's appointment follows (only an apology's later date is kept)
    d = given(
        _pause(vn(2025, 4, 14, 10)),
        lambda d: d.resume(at=vn(2025, 4, 14, 16), agency=CENTRE, calendar=CAL),
        lambda d: d.request_supplement(at=vn(2025, 4, 14, 16, 10), agency=CENTRE, reason="x"),
        limit="trong ngày",
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
        supplement_policy=SupplementPolicy.RESTART,
        process=[],
    )
    assert d.legal_due == d.current_due == vn(2025, 4, 15, 11)
    d.receive_supplement(at=vn(2025, 4, 14, 16, 30), agency=CENTRE, calendar=CAL)
    assert d.legal_due == d.current_due == vn(2025, 4, 14, 17)


def test_a_counter_refusal_checks_its_procedure_naming_it() -> None:
    def refusing(procedure: object) -> Any:
        return Dossier.refuse_at_counter(
            code=CODE, procedure=procedure, at=vn(2025, 4, 14, 9), agency=CENTRE, reason="x"
        )

    with pytest.raises(InvalidInputError) as caught:
        refusing("p" * 201)
    assert str(caught.value) == "procedure: the text is 201 characters long; the limit is 200"
    with pytest.raises(InvalidInputError) as caught:
        refusing(5)
    assert str(caught.value) == "procedure: expected text, got int 5"
    assert refusing("p" * 200).procedure == "p" * 200


def test_a_dossier_withdrawn_after_its_due_is_never_late_from_the_withdrawal_on() -> None:
    d = given(lambda d: d.withdraw(at=vn(2025, 4, 22, 9), agency=CENTRE))
    assert d.is_late(vn(2025, 4, 21, 9), CAL)  # still open then, and past its due
    assert not d.is_late(vn(2025, 4, 22, 9), CAL)
    assert not d.is_late(LONG_AFTER, CAL)
    assert d.late_cause(LONG_AFTER, CAL) is None


def test_the_measured_end_asks_for_an_aware_as_of_naming_it() -> None:
    with pytest.raises(InvalidInputError, match=r"^as_of: naive datetime 2025-04-20T00:00:00 "):
        given().measured_end(datetime(2025, 4, 20))


def test_a_segment_leaves_out_every_clock_stopping_pause_inside_it_and_no_counted_one() -> None:
    # appraise (DEPT) 14/04 10:00 → 16/04 10:00 is 16 working hours; a counted survey
    # (13:30 → 14:30) stays in, two excluded postings of an hour each come out: 14 h
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        _pause(vn(2025, 4, 14, 13, 30), "cadastral_survey"),
        lambda d: d.resume(at=vn(2025, 4, 14, 14, 30), agency=DEPT, calendar=CAL),
        _pause(vn(2025, 4, 15, 9)),
        lambda d: d.resume(at=vn(2025, 4, 15, 10), agency=DEPT, calendar=CAL),
        _pause(vn(2025, 4, 15, 13, 30)),
        lambda d: d.resume(at=vn(2025, 4, 15, 14, 30), agency=DEPT, calendar=CAL),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    *_, appraise = j.segments(d, CAL, vn(2025, 4, 16, 10))
    assert (appraise.step, appraise.used, appraise.allowed) == ("appraise", 14 * H, 16 * H)


def test_a_step_held_only_outside_office_hours_used_no_working_time() -> None:
    d = dossier(forward(CENTRE, vn(2025, 4, 14, 18)), forward(CENTRE, vn(2025, 4, 14, 19)))
    _, receive, _ = j.segments(d, CAL, vn(2025, 4, 15, 9))
    assert (receive.step, receive.used) == ("receive", 0.0)
    assert d.steps[0].timeliness is Timeliness.EARLY


def test_an_ending_cuts_a_running_pause_short_and_marks_it_so() -> None:
    d = given(
        _pause(vn(2025, 4, 15, 9)),
        resolve(CENTRE, vn(2025, 4, 16, 9)),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    assert d.pauses == [
        PauseRecord(
            PauseKind.PAUSE,
            "public_posting",
            vn(2025, 4, 15, 9),
            True,
            vn(2025, 4, 16, 9),
            CENTRE,
            cut_by_end=True,
        )
    ]
    assert (d.running_pause, d.clock_stopped) == (None, False)
    assert d.measured_end() == vn(2025, 4, 15, 9)


def test_after_a_step_started_out_of_order_the_hand_over_follows_the_process_from_it() -> None:
    # the process of tests.domain.test_rules: receive, then appraise; appraise is last
    d = given(start("appraise", vn(2025, 4, 14, 10)))
    error = refused(d, forward(DEPT, vn(2025, 4, 15, 10)), Rule.UNKNOWN_STEP)
    assert error.detail == f"{CODE}: no next step in the process"


def test_an_open_dossier_is_measured_at_the_start_of_the_clock_stopping_pause_running_then() -> (
    None
):
    d = given(
        _pause(vn(2025, 4, 15, 9)),
        lambda d: d.resume(at=vn(2025, 4, 16, 9), agency=CENTRE, calendar=CAL),
        _pause(vn(2025, 4, 17, 9), "cadastral_survey"),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    assert d.measured_end(vn(2025, 4, 15, 12)) == vn(2025, 4, 15, 9)  # the posting ran
    assert d.measured_end(vn(2025, 4, 16, 9)) == vn(2025, 4, 16, 9)  # it had just ended
    assert d.measured_end(vn(2025, 4, 17, 10)) == vn(2025, 4, 17, 10)  # a counted pause


def test_a_step_key_longer_than_an_identifier_is_refused_naming_the_step() -> None:
    with pytest.raises(InvalidInputError) as caught:
        given().start_step(
            step="k" * 201,
            at=vn(2025, 4, 14, 10),
            calendar=CAL,
            agency=DEPT,
            allotted=TimeLimit.parse("1 ngày làm việc"),
        )
    assert str(caught.value) == "step: the text is 201 characters long; the limit is 200"


def test_opening_a_dossier_at_a_naive_time_is_refused_naming_at() -> None:
    naive = datetime(2025, 4, 14, 9)
    for open_ in (
        lambda: Dossier.submit(code=CODE, procedure="1.004227", at=naive, agency=CENTRE),
        lambda: Dossier.refuse_at_counter(
            code=CODE, procedure="1.004227", at=naive, agency=CENTRE, reason="x"
        ),
    ):
        with pytest.raises(InvalidInputError, match=r"^at: naive datetime 2025-04-14T09:00:00 "):
            open_()


def test_a_command_at_a_naive_time_is_refused_naming_at() -> None:
    with pytest.raises(InvalidInputError, match=r"^at: naive datetime 2025-04-15T09:00:00 "):
        given().resolve(at=datetime(2025, 4, 15, 9), agency=CENTRE)


def test_a_receipt_without_a_procedure_is_refused_naming_it() -> None:
    with pytest.raises(InvalidInputError) as caught:
        _opened(procedure="")
    assert str(caught.value) == "procedure: expected non-empty text, got ''"
