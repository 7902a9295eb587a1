"""The dossier's rules at their edges: the behaviours mutation testing found unpinned (issue 12).

Same calendar and dossier as :mod:`tests.domain.test_judgements`: received Mon 14/04/2025
09:00 with "4 ngày làm việc", due Fri 18/04/2025 09:00; office hours 07:00–11:30 and
13:30–17:00 (8 working hours a day).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pytest

from tests.domain.test_judgements import (
    DUE,
    LONG_AFTER,
    apology,
    dossier,
    forward,
    resolve,
    supplement,
    supplemented,
)
from tests.domain.test_rules import (
    CAL,
    CENTRE,
    CODE,
    DEPT,
    PPC,
    Command,
    given,
    refused,
    start,
    then,
    vn,
)
from tests.domain.test_rules import PROCESS as RULES_PROCESS
from tthc_engine import TimeLimit
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import BusinessRuleError, Dossier, Rule, Status
from tthc_engine.domain import judgements as j
from tthc_engine.domain.facts import Fact, FactRules, FactType, apply_fact, fact_of_event
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.domain.slips import control_slip, receipt_slip
from tthc_engine.errors import InvalidInputError

HOUR = 3600
RULES = FactRules(CAL)


def _posting(at: datetime) -> Command:
    return lambda d: d.pause(agency=CENTRE, at=at, reason=PauseReason.PUBLIC_POSTING)


# -- a clock-stopping pause running past the due -------------------------------------------
def test_an_open_dossier_whose_excluded_posting_runs_past_the_due_is_not_late() -> None:
    # The posting starts Wed 16/04 09:00, two days before the due, and is still running on
    # Tue 22/04: the dossier is measured at the posting's start (QĐ 766 chỉ số 2.1).
    d = given(_posting(vn(2025, 4, 16, 9)), excluded_pauses=[PauseReason.PUBLIC_POSTING])
    assert d.measured_end(vn(2025, 4, 22, 9)) == vn(2025, 4, 16, 9)
    assert not d.is_late(vn(2025, 4, 22, 9), CAL)
    assert d.late_by(CAL, vn(2025, 4, 22, 9)) == 0
    assert d.late_cause(vn(2025, 4, 22, 9), CAL) is None


def test_an_open_dossier_whose_counted_posting_runs_past_the_due_is_late() -> None:
    d = given(_posting(vn(2025, 4, 16, 9)))
    assert d.measured_end(vn(2025, 4, 22, 9)) == vn(2025, 4, 22, 9)
    assert d.is_late(vn(2025, 4, 22, 9), CAL)
    assert d.late_by(CAL, vn(2025, 4, 22, 9)) == 2  # 21 and 22/04


def test_an_excluded_posting_that_starts_after_the_due_leaves_the_dossier_late() -> None:
    d = given(_posting(vn(2025, 4, 21, 9)), excluded_pauses=[PauseReason.PUBLIC_POSTING])
    assert d.measured_end(vn(2025, 4, 23, 9)) == vn(2025, 4, 21, 9)
    assert d.is_late(vn(2025, 4, 23, 9), CAL)
    assert d.late_by(CAL, vn(2025, 4, 23, 9)) == 1


# -- time consumed --------------------------------------------------------------------------
def test_time_consumed_stops_at_an_excluded_public_posting_still_running() -> None:
    # 14/04 09:00 → 16/04 09:00 is two working days; the posting has not ended on 23/04.
    d = given(_posting(vn(2025, 4, 16, 9)), excluded_pauses=[PauseReason.PUBLIC_POSTING])
    assert d.time_consumed(CAL, vn(2025, 4, 23, 9)) == 2 * 8 * HOUR


def test_time_consumed_counts_a_public_posting_the_procedure_does_not_exclude() -> None:
    d = given(_posting(vn(2025, 4, 16, 9)))
    assert d.time_consumed(CAL, vn(2025, 4, 23, 9)) == 7 * 8 * HOUR  # 14/04 → 23/04


def test_time_consumed_resumes_counting_after_the_posting_ends() -> None:
    d = given(
        _posting(vn(2025, 4, 15, 9)),
        lambda d: d.resume(at=vn(2025, 4, 21, 13, 30), agency=CENTRE, calendar=CAL),
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
    )
    # 14/04 09:00 → 15/04 09:00 (8 h), then 21/04 13:30 → 22/04 09:00 (3.5 h + 2 h)
    assert d.time_consumed(CAL, vn(2025, 4, 22, 9)) == 8 * HOUR + 5.5 * HOUR
    assert d.time_consumed(CAL, vn(2025, 4, 18, 9)) == 8 * HOUR  # inside the posting


def test_time_consumed_is_nothing_before_the_receipt_and_stops_at_the_resolution() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    assert d.time_consumed(CAL, vn(2025, 4, 14, 8)) == 0.0
    assert d.time_consumed(CAL, vn(2025, 4, 14, 9)) == 0.0
    assert d.time_consumed(CAL, LONG_AFTER) == 8 * HOUR


# -- a restart after an apology -------------------------------------------------------------
def _apologised_then_supplemented(new_due: datetime) -> Dossier:
    return given(
        start("appraise", vn(2025, 4, 14, 16)),
        apology(DEPT, vn(2025, 4, 16, 10), new_due),
        supplement(DEPT, vn(2025, 4, 16, 11)),
        supplemented(vn(2025, 4, 21, 9)),
        supplement_policy=SupplementPolicy.RESTART,
    )


def test_a_restart_after_an_apology_keeps_the_apologys_later_appointment() -> None:
    # The restart gives 4 WD from Mon 21/04: due Fri 25/04 09:00; the apology had promised
    # Tue 06/05 09:00, later: the applicant keeps the later appointment.
    d = _apologised_then_supplemented(vn(2025, 5, 6, 9))
    assert d.legal_due == vn(2025, 4, 25, 9)
    assert d.current_due == vn(2025, 5, 6, 9)


def test_a_restart_after_an_apology_moves_an_earlier_appointment_to_the_new_due() -> None:
    d = _apologised_then_supplemented(vn(2025, 4, 22, 9))
    assert d.legal_due == d.current_due == vn(2025, 4, 25, 9)


def test_a_restart_without_an_apology_sets_the_appointment_to_the_new_due() -> None:
    d = given(
        supplement(CENTRE, vn(2025, 4, 15, 9)),
        supplemented(vn(2025, 4, 21, 9)),
        supplement_policy=SupplementPolicy.RESTART,
    )
    assert d.legal_due == d.current_due == vn(2025, 4, 25, 9)


def test_a_restart_gives_the_running_step_its_full_share_again() -> None:
    d = given(
        start("appraise", vn(2025, 4, 14, 16)),
        supplement(DEPT, vn(2025, 4, 15, 9)),
        supplemented(vn(2025, 4, 21, 9)),
        supplement_policy=SupplementPolicy.RESTART,
    )
    assert d.current_step is not None
    assert d.current_step.due_at == vn(2025, 4, 24, 9)  # 3 WD from 21/04 09:00


def test_a_paused_supplement_moves_the_running_steps_share_by_the_time_waited() -> None:
    d = given(
        start("appraise", vn(2025, 4, 14, 16)),
        supplement(DEPT, vn(2025, 4, 15, 9)),
        supplemented(vn(2025, 4, 21, 9)),
    )
    # appraise: 3 WD from 14/04 16:00 = 17/04 16:00, moved by 15/04 09:00 → 21/04 09:00
    # (4 WD): 23/04 16:00
    assert d.current_step is not None
    assert d.current_step.due_at == vn(2025, 4, 23, 16)
    assert d.legal_due == d.current_due == vn(2025, 4, 24, 9)


def test_an_excluded_pause_moves_the_running_steps_share_and_a_counted_one_does_not() -> None:
    def paused(*excluded: PauseReason) -> Dossier:
        return given(
            start("appraise", vn(2025, 4, 14, 16)),
            lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=DEPT, reason="public_posting"),
            lambda d: d.resume(at=vn(2025, 4, 21, 9), agency=DEPT, calendar=CAL),
            excluded_pauses=list(excluded),
        )

    moved, kept = paused(PauseReason.PUBLIC_POSTING), paused()
    assert moved.current_step is not None
    assert kept.current_step is not None
    assert moved.current_step.due_at == vn(2025, 4, 23, 16)
    assert moved.legal_due == moved.current_due == vn(2025, 4, 24, 9)
    assert kept.current_step.due_at == vn(2025, 4, 17, 16)
    assert kept.legal_due == kept.current_due == DUE


# -- late cause at the due ------------------------------------------------------------------
def test_a_step_that_starts_exactly_at_the_due_holds_the_dossier_but_is_not_blamed() -> None:
    # sign (PPC) runs 16/04 10:00 → 18/04 09:00 = 15 h of its 8 h share: the first overrun.
    # The counter's return step starts exactly at the due: it holds the dossier from then.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 16, 10)),
        forward(PPC, DUE),
        resolve(CENTRE, vn(2025, 4, 21, 9)),
    )
    assert d.holder_at(DUE) == CENTRE
    assert d.holder_at(vn(2025, 4, 18, 8, 59)) == PPC
    assert d.late_cause(LONG_AFTER, CAL) == PPC


def test_a_step_starting_at_the_measured_end_adds_no_segment() -> None:
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 16, 10)),
        forward(PPC, DUE),
    )
    steps = [s.step for s in j.segments(d, CAL, DUE)]
    assert steps == [None, "receive", "appraise", "sign"]
    assert [s.step for s in j.segments(d, CAL, vn(2025, 4, 18, 9, 1))][-1] == "return"


# -- a closed dossier -----------------------------------------------------------------------
def test_after_the_result_is_returned_a_command_is_refused_as_a_closed_dossier() -> None:
    d = given(
        resolve(CENTRE, vn(2025, 4, 15, 9)),
        lambda d: d.return_result(at=vn(2025, 4, 15, 10), agency=CENTRE),
    )
    assert d.status is Status.RETURNED
    error = refused(
        d, lambda d: d.return_result(at=vn(2025, 4, 15, 11), agency=CENTRE), Rule.CLOSED_DOSSIER
    )
    assert "RETURNED (10" in str(error)
    refused(d, start("receive", vn(2025, 4, 15, 11)), Rule.CLOSED_DOSSIER)
    refused(d, supplement(CENTRE, vn(2025, 4, 15, 11)), Rule.CLOSED_DOSSIER)
    d.record_feedback(at=vn(2025, 4, 16, 9), agency=CENTRE, rating="satisfied")
    then(d, "FeedbackGiven")


# -- commands repeated with their command id ---------------------------------------------------
def test_a_refusal_repeated_with_its_command_id_is_accepted_once_and_reports_it() -> None:
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    d.collect_events()
    assert d.refuse(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="thiếu", command_id="c-1")
    assert d.refuse(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="thiếu", command_id="c-1") is False
    (refusal,) = then(d, "Refused")
    assert refusal.reason == "thiếu"


def test_a_step_started_again_with_its_command_id_is_started_once_and_reports_it() -> None:
    d = given()
    assert d.start_step(step="receive", at=vn(2025, 4, 14, 9), calendar=CAL, command_id="s-1")
    assert (
        d.start_step(step="receive", at=vn(2025, 4, 14, 9), calendar=CAL, command_id="s-1") is False
    )
    then(d, "StepStarted")


def test_a_finished_step_is_stamped_with_its_business_time() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    d.finish_step(agency=CENTRE, at=vn(2025, 4, 14, 15), calendar=CAL)
    (finished,) = then(d, "StepFinished")
    assert finished.timestamp == vn(2025, 4, 14, 15)


# -- overdue while the clock is stopped ---------------------------------------------------------
def test_marking_overdue_under_a_stopped_clock_says_where_the_clock_stopped_only_past_the_due() -> (
    None
):
    d = given(_posting(vn(2025, 4, 16, 9)), excluded_pauses=[PauseReason.PUBLIC_POSTING])
    before = refused(
        d, lambda d: d.mark_overdue(at=vn(2025, 4, 17, 9), calendar=CAL), Rule.OVERDUE_AFTER_DUE
    )
    assert "has not passed —" in str(before)
    assert "clock stopped at" not in str(before)
    after = refused(
        d, lambda d: d.mark_overdue(at=vn(2025, 4, 22, 9), calendar=CAL), Rule.OVERDUE_AFTER_DUE
    )
    assert "has not passed: the clock stopped at 2025-04-16T09:00:00+07:00" in str(after)


# -- slips --------------------------------------------------------------------------------------
def test_a_receipt_slip_without_an_applicants_name_leaves_the_name_empty() -> None:
    assert receipt_slip(given())["applicant"] == ""
    assert receipt_slip(given(applicant={"name": "Nguyễn Văn An"}))["applicant"] == "Nguyễn Văn An"


# -- facts: a history carried over as facts keeps what its commands said -----------------------
def _opened(**receipt: Any) -> Dossier:
    """Received Mon 14/04/2025 09:00 with 4 working days (no process unless ``receipt``
    gives one); its events are kept, unlike :func:`given`'s."""
    return Dossier.open_by_receipt(
        **{
            "code": CODE,
            "procedure": "1.004227",
            "at": vn(2025, 4, 14, 9),
            "agency": CENTRE,
            "limit": TimeLimit.parse("4 ngày làm việc"),
            "calendar": CAL,
            **receipt,
        }
    )


def _replayed(d: Dossier, **opening: object) -> Dossier:
    """``d``'s stored events as facts (``opening`` added to the first one's data, as an
    imported log may give it), carried out again on a new dossier."""
    replayed: Dossier | None = None
    rules = FactRules(CAL)
    for n, event in enumerate(d.collect_events()):
        fact = fact_of_event(event, CODE, f"fact-{n}")
        if n == 0:
            fact = attrs.evolve(fact, data={**fact.data, **opening})
        result = apply_fact(replayed, fact, rules, Dossier)
        assert isinstance(result, Dossier)
        replayed = result
    assert replayed is not None
    return replayed


def test_a_refusal_carried_over_as_a_fact_keeps_its_reason() -> None:
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    d.refuse(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="thiếu giấy tờ")
    assert _replayed(d).outcome == "thiếu giấy tờ"


# -- what an error says -----------------------------------------------------------------------
def test_a_payment_after_a_withdrawal_is_refused_naming_the_action_and_the_status() -> None:
    d = given(lambda d: d.withdraw(at=vn(2025, 4, 14, 10), agency=CENTRE, reason="rút"))
    error = refused(
        d,
        lambda d: d.record_payment(at=vn(2025, 4, 14, 11), agency=CENTRE, amount=1, online=True),
        Rule.CLOSED_DOSSIER,
    )
    assert "cannot record a payment while the dossier is WITHDRAWN (7" in str(error)


def test_a_blank_reason_is_refused_naming_the_field_and_showing_what_was_given() -> None:
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    with pytest.raises(InvalidInputError, match=r"^reason: expected non-empty text, got '   '$"):
        d.refuse(at=vn(2025, 4, 14, 9), agency=CENTRE, reason="   ")


# -- the slips' form numbers under ND 118/2025 ----------------------------------------------------
def test_the_control_slip_of_a_receipt_from_15_september_2025_is_form_06_of_tt03_2025() -> None:
    def slips(day: int) -> tuple[dict[str, object], dict[str, object]]:
        d = given(at=vn(2025, 9, day, 9), code=f"000.00.10.H41-2509{day:02d}-0001")
        return receipt_slip(d), control_slip(d)

    (receipt_before, control_before), (receipt_after, control_after) = slips(12), slips(15)
    assert (receipt_before["form"], control_before["form"]) == ("Mẫu 01", "Mẫu 05")
    assert (receipt_after["form"], control_after["form"]) == ("Mẫu 01", "Mẫu 06")
    assert control_after["title"] == "Phiếu kiểm soát quá trình giải quyết hồ sơ"


# -- what the events record ---------------------------------------------------------------------
def test_receiving_a_submitted_dossier_records_its_actor_and_accepts_half_a_day() -> None:
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    d.collect_events()
    d.receive(
        code=CODE,
        procedure="1.004227",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        limit=TimeLimit.parse("0,5 ngày làm việc"),
        calendar=CAL,
        actor="cb-01",
    )
    (received,) = then(d, "Received")
    assert received.actor == "cb-01"
    assert d.legal_due == vn(2025, 4, 14, 15)  # 09:00 + 4 working hours, over the lunch break


def test_step_events_carry_their_actor_and_business_time() -> None:
    d = given()
    assert d.start_step(step="receive", at=vn(2025, 4, 14, 9), calendar=CAL, actor="cb-01")
    d.forward(agency=CENTRE, at=vn(2025, 4, 14, 10), calendar=CAL, actor="cb-02")
    started, finished, forwarded = then(d, "StepStarted", "StepFinished", "StepStarted")
    assert (started.actor, started.timestamp) == ("cb-01", vn(2025, 4, 14, 9))
    assert (finished.actor, forwarded.actor) == ("cb-02", "cb-02")
    assert forwarded.timestamp == vn(2025, 4, 14, 10)


def test_a_resolution_reports_that_it_was_recorded() -> None:
    d = given()
    assert d.resolve(at=vn(2025, 4, 15, 9), agency=CENTRE) is True


def test_a_pause_is_recorded_with_the_agency_that_paused() -> None:
    d = given(
        start("appraise", vn(2025, 4, 14, 16)),
        lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=DEPT, reason="public_posting"),
    )
    assert d.pauses[-1].agency == DEPT


def test_a_step_outside_an_empty_process_is_refused_saying_there_is_none() -> None:
    error = refused(given(process=[]), start("appraise", vn(2025, 4, 14, 10)), Rule.UNKNOWN_STEP)
    assert "step 'appraise' is not in the process (none)" in str(error)


def test_finishing_a_step_after_the_resolution_is_refused_naming_the_action() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)), resolve(CENTRE, vn(2025, 4, 15, 9)))
    error = refused(
        d,
        lambda d: d.finish_step(agency=CENTRE, at=vn(2025, 4, 15, 10), calendar=CAL),
        Rule.CLOSED_DOSSIER,
    )
    assert "cannot finish a step while" in str(error)


def test_a_step_finished_by_an_actor_that_is_not_text_is_refused_naming_the_field() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    with pytest.raises(InvalidInputError, match=r"^actor: "):
        d.finish_step(agency=CENTRE, at=vn(2025, 4, 14, 10), calendar=CAL, actor=7)  # type: ignore[arg-type]


def test_a_history_carried_over_as_facts_keeps_what_its_commands_said() -> None:
    d = _opened()
    d.request_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="thiếu")
    d.receive_supplement(at=vn(2025, 4, 21, 9), agency=CENTRE, calendar=CAL)
    d.resolve(at=vn(2025, 4, 22, 9), agency=CENTRE)
    d.record_digitisation(at=vn(2025, 4, 22, 10), agency=CENTRE)
    d.record_feedback(at=vn(2025, 4, 23, 9), agency=CENTRE, rating="dissatisfied")
    again = _replayed(d, applicant={"name": "Nguyễn Văn An"})
    assert (again.procedure, again.applicant) == ("1.004227", {"name": "Nguyễn Văn An"})
    assert again.legal_due == d.legal_due == vn(2025, 4, 24, 9)
    assert again.digitised_components == 1
    assert [f.rating for f in again.feedback] == [f.rating for f in d.feedback]


def test_a_refusal_at_the_counter_carried_over_as_a_fact_keeps_its_channel() -> None:
    d = Dossier.refuse_at_counter(
        code=CODE,
        procedure="1.004227",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        reason="thiếu",
        channel="postal",
    )
    again = _replayed(d)
    assert (again.channel, again.outcome) == (d.channel, "thiếu")
    assert again.channel.value == "postal"


def _fact(kind: FactType, at: datetime, **data: object) -> Fact:
    return Fact(f"{kind.value}-{at:%d%H}", CODE, kind, at, CENTRE, data)


def test_a_refusal_fact_without_a_procedure_opens_a_refused_dossier_with_none_named() -> None:
    d = apply_fact(None, _fact(FactType.REFUSED, vn(2025, 4, 14, 9), reason="x"), RULES, Dossier)
    assert isinstance(d, Dossier)
    assert (d.procedure, d.outcome, d.channel.value) == ("", "x", "counter")


def test_a_digitisation_fact_without_components_counts_one() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    apply_fact(d, _fact(FactType.DIGITISED, vn(2025, 4, 15, 10)), RULES, Dossier)
    assert d.digitised_components == 1


def test_a_supplement_request_fact_without_items_asks_for_none_listed() -> None:
    d = given()
    apply_fact(
        d, _fact(FactType.SUPPLEMENT_REQUESTED, vn(2025, 4, 15, 9), reason="x"), RULES, Dossier
    )
    (requested,) = then(d, "SupplementRequested")
    assert (requested.reason, requested.items) == ("x", [])


def test_a_pause_carried_over_as_a_fact_keeps_its_reason() -> None:
    d = _opened()
    d.pause(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="public_posting")
    again = _replayed(d)
    assert again.pauses[-1].reason == "public_posting"
    assert again.pauses[-1].agency == CENTRE


def test_two_digitisation_facts_count_their_components_together() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    apply_fact(d, _fact(FactType.DIGITISED, vn(2025, 4, 15, 10), components=2), RULES, Dossier)
    apply_fact(d, _fact(FactType.DIGITISED, vn(2025, 4, 15, 11), components=3), RULES, Dossier)
    assert d.digitised_components == 5


def test_returning_the_result_records_who_returned_it() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    d.return_result(at=vn(2025, 4, 15, 10), agency=CENTRE, actor="cb-07")
    (returned,) = then(d, "ResultReturned")
    assert returned.actor == "cb-07"


def test_a_withdrawal_without_a_reason_records_an_empty_one() -> None:
    d = given()
    d.withdraw(at=vn(2025, 4, 14, 10), agency=CENTRE)
    (withdrawn,) = then(d, "Withdrawn")
    assert withdrawn.reason == ""


def test_receiving_a_submitted_dossier_checks_its_actor_and_procedure_name_naming_each() -> None:
    def receive(**given_fields: object) -> None:
        d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
        d.receive(
            code=CODE,
            procedure="1.004227",
            at=vn(2025, 4, 14, 9),
            agency=CENTRE,
            limit=TimeLimit.parse("4 ngày làm việc"),
            calendar=CAL,
            **given_fields,
        )

    with pytest.raises(InvalidInputError, match=r"^actor: "):
        receive(actor=7)
    with pytest.raises(InvalidInputError, match=r"^procedure_name: "):
        receive(procedure_name=7)


def test_forwarding_by_an_agency_that_does_not_hold_the_step_is_refused_naming_the_action() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    error = refused(
        d,
        forward(DEPT, vn(2025, 4, 14, 10)),
        Rule.STEP_HELD_BY_AGENCY,
    )
    assert f"{CODE}: cannot forward: step 'receive' is held by {CENTRE}, not {DEPT}" in str(error)


def test_starting_a_step_after_the_resolution_is_refused_naming_the_action() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    error = refused(d, start("appraise", vn(2025, 4, 15, 10)), Rule.CLOSED_DOSSIER)
    assert "cannot start a step while" in str(error)


def test_receiving_a_submitted_dossier_checks_who_acts_before_what_is_received() -> None:
    # As every command does: the business time, the agency and the actor first, then the content.
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    with pytest.raises(InvalidInputError, match=r"^actor: "):
        d.receive(
            procedure="1.004227",
            at=vn(2025, 4, 14, 9),
            agency=CENTRE,
            limit="mười ngày",
            calendar=CAL,
            actor=7,
        )


# -- survivors of a second sample (seed 13) ---------------------------------------------------
def test_a_submission_carried_over_as_a_fact_keeps_its_agency() -> None:
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    assert _replayed(d).holder == CENTRE


def test_payments_and_complaints_carried_over_as_facts_keep_what_they_said() -> None:
    d = _opened()
    d.record_payment(at=vn(2025, 4, 14, 10), agency=CENTRE, amount=50_000, online=True)
    d.resolve(at=vn(2025, 4, 15, 9), agency=CENTRE)
    d.record_feedback(at=vn(2025, 4, 16, 9), agency=CENTRE, rating="dissatisfied", complaint=True)
    again = _replayed(d, excluded_pauses=["public_posting"])
    assert [(p.amount, p.online) for p in again.payments] == [(50_000, True)]
    assert [f.complaint for f in again.feedback] == [True]
    assert again.excluded_pauses == [PauseReason.PUBLIC_POSTING]


def test_a_dossier_late_by_time_is_charged_to_the_overrunning_step_even_after_two_requests() -> (
    None
):
    # DEPT holds 'appraise' (2 WD) from Mon 14/04 10:00 to Fri 18/04 10:00 and overruns it;
    # PPC then asks for a second supplement; the dossier is resolved Mon 21/04, late by time.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        supplement(DEPT, vn(2025, 4, 14, 10, 30)),
        supplemented(vn(2025, 4, 14, 14)),
        forward(DEPT, vn(2025, 4, 18, 10)),
        supplement(PPC, vn(2025, 4, 18, 11)),
        supplemented(vn(2025, 4, 18, 14)),
        resolve(PPC, vn(2025, 4, 21, 9)),
    )
    assert d.late_by(CAL) > 0
    assert d.late_cause(LONG_AFTER, CAL) == DEPT


def test_a_dossier_judged_at_the_instant_of_its_receipt_is_measured_there() -> None:
    d = given()
    assert j.measured_end(d, vn(2025, 4, 14, 9)) == vn(2025, 4, 14, 9)
    assert j.measured_end(d, vn(2025, 4, 14, 8, 59)) is None


def test_a_dossier_resolved_late_in_the_day_of_its_due_is_late_only_to_the_minute() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 18, 16)))  # due Fri 18/04 09:00
    assert not d.is_late(LONG_AFTER, CAL)
    assert d.is_late(LONG_AFTER, CAL, by="datetime")


def test_withdrawing_a_resolved_dossier_is_refused_naming_the_action() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    error = refused(
        d, lambda d: d.withdraw(at=vn(2025, 4, 15, 10), agency=CENTRE), Rule.CLOSED_DOSSIER
    )
    assert "cannot withdraw while" in str(error)


def test_a_naive_receipt_time_is_refused_naming_at() -> None:
    with pytest.raises(InvalidInputError, match=r"^at: "):
        _opened(at=datetime(2025, 4, 14, 9))


def test_payment_pause_and_resumption_events_record_who_acted_and_when() -> None:
    d = given()
    d.record_payment(at=vn(2025, 4, 14, 10), agency=CENTRE, amount=1, online=False, actor="kt-1")
    d.pause(at=vn(2025, 4, 14, 11), agency=CENTRE, reason="public_posting")
    d.resume(at=vn(2025, 4, 15, 11), agency=CENTRE, calendar=CAL, command_id="r-1")
    paid, paused, resumed = then(d, "FeePaid", "Paused", "Resumed")
    assert (paid.agency, paid.actor, paid.timestamp) == (CENTRE, "kt-1", vn(2025, 4, 14, 10))
    assert paused.timestamp == vn(2025, 4, 14, 11)
    assert resumed.timestamp == vn(2025, 4, 15, 11)
    assert d.resume(at=vn(2025, 4, 15, 11), agency=CENTRE, calendar=CAL, command_id="r-1") is False


def test_forwarding_beyond_the_last_planned_step_is_refused_saying_none_is_left() -> None:
    # The process of tests.domain.test_rules: receive (CENTRE), then appraise (DEPT).
    d = given(start("receive", vn(2025, 4, 14, 9)), forward(CENTRE, vn(2025, 4, 14, 10)))
    error = refused(
        d,
        forward(DEPT, vn(2025, 4, 15, 10)),
        Rule.UNKNOWN_STEP,
    )
    assert f"{CODE}: no next step in the process" in str(error)


def test_a_step_started_without_a_name_takes_the_name_of_the_process() -> None:
    d = given(start("appraise", vn(2025, 4, 14, 10)))
    assert d.current_step is not None
    assert d.current_step.name == "Thẩm định"


def test_a_forward_records_its_command_id_on_the_step_it_finishes() -> None:
    d = given(start("receive", vn(2025, 4, 14, 9)))
    d.forward(agency=CENTRE, at=vn(2025, 4, 14, 10), calendar=CAL, command_id="fw-1")
    finished, started = then(d, "StepFinished", "StepStarted")
    assert finished.command_id == started.command_id == "fw-1"


def test_a_step_started_by_an_actor_that_is_not_text_is_refused_naming_the_field() -> None:
    d = given()
    with pytest.raises(InvalidInputError, match=r"^actor: "):
        d.start_step(step="receive", at=vn(2025, 4, 14, 9), calendar=CAL, actor=7)  # type: ignore[arg-type]


def test_forwarding_after_every_planned_step_finished_is_refused_saying_none_is_left() -> None:
    d = given(
        start("receive", vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        lambda d: d.finish_step(agency=DEPT, at=vn(2025, 4, 15, 10), calendar=CAL),
    )
    assert d.current_step is None
    error = refused(
        d,
        forward(DEPT, vn(2025, 4, 15, 11)),
        Rule.UNKNOWN_STEP,
    )
    assert f"{CODE}: no next step in the process" in str(error)


def test_a_step_carried_over_as_a_fact_keeps_the_agency_that_started_it() -> None:
    d = _opened()
    d.start_step(
        step="consult",
        agency=DEPT,
        allotted=TimeLimit.parse("1 ngày làm việc"),
        at=vn(2025, 4, 14, 10),
        calendar=CAL,
    )
    assert [s.agency for s in _replayed(d).steps] == [DEPT]


# -- survivors of the blind sample (seed 14), answered after it was measured -------------------
def test_what_the_commands_said_survives_being_carried_over_as_facts() -> None:
    d = Dossier.submit(
        code=CODE,
        procedure="1.004227",
        at=vn(2025, 4, 14, 8),
        agency=CENTRE,
        applicant={"name": "Lê Thị Hoa"},
    )
    d.receive(
        procedure="1.004227",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        limit=TimeLimit.parse("4 ngày làm việc"),
        calendar=CAL,
    )
    d.request_supplement(at=vn(2025, 4, 14, 10), agency=CENTRE, reason="thiếu", items=["CCCD"])
    d.receive_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, calendar=CAL)
    d.resolve(at=vn(2025, 4, 16, 9), agency=CENTRE)
    d.record_digitisation(at=vn(2025, 4, 16, 10), agency=CENTRE, components=2, reused=True)
    d.return_result(at=vn(2025, 4, 17, 9), agency=CENTRE, channel="postal")
    events = list(d.collect_events())
    requested = next(e for e in events if type(e).__name__ == "SupplementRequested")
    assert fact_of_event(requested, CODE, "f").data == {"reason": "thiếu", "items": ["CCCD"]}
    replayed: Dossier | None = None
    for n, event in enumerate(events):
        result = apply_fact(replayed, fact_of_event(event, CODE, f"f{n}"), RULES, Dossier)
        assert isinstance(result, Dossier)
        replayed = result
    assert replayed is not None
    again = {type(e).__name__: e for e in replayed.collect_events()}
    assert again["SupplementRequested"].items == ["CCCD"]
    assert again["Submitted"].timestamp == vn(2025, 4, 14, 8)
    assert replayed.applicant is None  # the applicant never leaves the store in a fact
    submitted = Dossier.submit(
        code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE
    )
    assert _replayed(submitted, applicant={"name": "Lê Thị Hoa"}).applicant == {
        "name": "Lê Thị Hoa"
    }
    assert (replayed.reused_data, replayed.return_channel.value) == (True, "postal")  # type: ignore[union-attr]


def test_a_withdrawal_without_a_reason_is_a_fact_without_one() -> None:
    d = given()
    d.withdraw(at=vn(2025, 4, 14, 10), agency=CENTRE)
    (withdrawn,) = then(d, "Withdrawn")
    assert fact_of_event(withdrawn, CODE, "f").data == {}


def test_the_folded_state_of_a_history_is_the_aggregates() -> None:
    d = _opened()
    d.request_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="thiếu")
    d.receive_supplement(at=vn(2025, 4, 16, 9), agency=CENTRE, calendar=CAL)
    d.resolve(at=vn(2025, 4, 17, 9), agency=CENTRE)
    folded = FoldedDossier()
    for event in d.collect_events():
        folded.apply_event(event)
    assert (folded.status, folded.legal_due, folded.resolved_at) == (
        d.status,
        d.legal_due,
        d.resolved_at,
    )


def test_a_hand_over_by_another_agency_before_any_step_is_refused_naming_the_dossier() -> None:
    d = given()
    error = refused(
        d,
        forward(DEPT, vn(2025, 4, 14, 10)),
        Rule.STEP_HELD_BY_AGENCY,
    )
    assert f"{CODE}: cannot forward: the dossier is held by {CENTRE}, not {DEPT}" in str(error)


def test_a_supplement_may_list_up_to_a_hundred_items() -> None:
    d = given()
    items = [f"giấy tờ {n}" for n in range(100)]
    d.request_supplement(at=vn(2025, 4, 14, 10), agency=CENTRE, reason="thiếu", items=items)
    with pytest.raises(InvalidInputError, match=r"^items: 101 entries; the limit is 100$"):
        given().request_supplement(
            at=vn(2025, 4, 14, 10), agency=CENTRE, reason="thiếu", items=[*items, "x"]
        )


def test_more_events_record_who_acted_and_when() -> None:
    d = _opened(process=RULES_PROCESS)  # receive (CENTRE), then appraise (DEPT)
    start("receive", vn(2025, 4, 14, 9))(d)
    forward(CENTRE, vn(2025, 4, 14, 10))(d)
    d.request_supplement(at=vn(2025, 4, 14, 11), agency=DEPT, reason="thiếu")
    d.receive_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, calendar=CAL)
    d.resolve(at=vn(2025, 4, 16, 9), agency=DEPT, actor="cv-9")
    d.record_digitisation(at=vn(2025, 4, 16, 10), agency=CENTRE)
    events = {type(e).__name__: e for e in d.collect_events()}
    assert events["Received"].timestamp == vn(2025, 4, 14, 9)
    assert events["StepFinished"].timestamp == vn(2025, 4, 14, 10)
    assert events["SupplementRequested"].timestamp == vn(2025, 4, 14, 11)
    assert events["Digitised"].timestamp == vn(2025, 4, 16, 10)
    assert events["Resolved"].actor == "cv-9"


def test_receiving_a_submission_twice_under_one_command_id_records_it_once() -> None:
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    fields: dict[str, Any] = {
        "procedure": "1.004227",
        "at": vn(2025, 4, 14, 9),
        "agency": CENTRE,
        "limit": TimeLimit.parse("4 ngày làm việc"),
        "calendar": CAL,
        "command_id": "rcv-1",
    }
    assert d.receive(**fields) is True
    assert d.receive(**fields) is False
    with pytest.raises(BusinessRuleError):
        d.receive(**{**fields, "command_id": "rcv-2"})


def test_digitised_components_are_at_most_ten_thousand_and_named() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    with pytest.raises(InvalidInputError, match=r"^components: "):
        d.record_digitisation(at=vn(2025, 4, 15, 10), agency=CENTRE, components=10_001)
    assert d.record_digitisation(at=vn(2025, 4, 15, 10), agency=CENTRE, components=10_000)


def test_feedback_on_a_submission_not_yet_received_is_refused_naming_the_action() -> None:
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    with pytest.raises(BusinessRuleError, match="cannot record feedback before receipt"):
        d.record_feedback(at=vn(2025, 4, 14, 9), agency=CENTRE, rating="satisfied")


def test_the_receipt_slip_states_the_limit_in_its_words() -> None:
    assert receipt_slip(given())["limit"] == "4 ngày làm việc"
