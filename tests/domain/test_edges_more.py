"""More of the dossier's rules at their edges: survivors of the mutation samples (issue 12).

The dossier and helpers of :mod:`tests.domain.test_edges`: received Mon 14/04/2025 09:00
with "4 ngày làm việc", due Fri 18/04/2025 09:00; events are compared whole (every field
the store keeps), so that a field dropped or replaced is seen.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from uuid import UUID

import pytest

from tests.domain.test_edges import RULES, _fact, _opened, _replayed
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
from tests.domain.test_judgements import PROCESS as JUDGED_PROCESS
from tests.domain.test_rules import CAL, CENTRE, CODE, DEPT, PPC, given, refused, start, then, vn
from tests.domain.test_rules import PROCESS as RULES_PROCESS
from tthc_engine import TimeLimit
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import BusinessRuleError, Dossier, PlannedStep, Regime, Rule, Status, inputs
from tthc_engine.domain import judgements as j
from tthc_engine.domain.facts import Fact, FactRules, FactType, apply_fact, fact_of_event
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
from tthc_engine.domain.values import Channel, DossierCode, Rating
from tthc_engine.errors import CalendarRangeError, InvalidInputError
from tthc_engine.worktime import Timeliness

ID = DossierCode.parse(CODE).id


def _submitted() -> Dossier:
    """Submitted online Mon 14/04/2025 08:00; its event is cleared."""
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    d.collect_events()
    return d


def _whole(event: Any) -> dict[str, Any]:
    """Every field of a stored event."""
    return dict(vars(event))


def _stored(d: Dossier, at: datetime) -> dict[str, Any]:
    """The fields eventsourcing gives the last event of ``d``, recorded at ``at``."""
    return {"originator_id": ID, "originator_version": d.version, "timestamp": at}


def _opening(at: datetime, *, version: int) -> dict[str, Any]:
    """The fields eventsourcing gives the event that opens the dossier (``version`` 2 when a
    submission came first), recorded at ``at``."""
    return {
        "originator_id": ID,
        "originator_version": version,
        "originator_topic": "tthc:Dossier",
        "timestamp": at,
    }


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


# -- seed 15 sample: what a refusal of an apology and a bad process say -------------------------
def test_an_apology_by_an_agency_not_responsible_names_every_agency_that_is() -> None:
    # appraise (DEPT, 2 WD) 14/04 10:00 → 16/04 15:00 overran; PPC holds the signature now.
    d = dossier(
        forward(CENTRE, vn(2025, 4, 14, 9)),
        forward(CENTRE, vn(2025, 4, 14, 10)),
        forward(DEPT, vn(2025, 4, 16, 15)),
    )
    error = refused(
        d,
        apology(CENTRE, vn(2025, 4, 16, 16), vn(2025, 4, 22, 9)),
        Rule.APOLOGY_BY_RESPONSIBLE_AGENCY,
    )
    assert error.detail == (
        f"{CODE}: {CENTRE} may not apologise; the agencies responsible now are {PPC}, {DEPT}"
    )


def test_a_process_that_is_not_a_list_of_planned_steps_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInputError, match=r"^process: expected a list of PlannedStep$"):
        _opened(process=[{"key": "receive"}])
    with pytest.raises(
        InvalidInputError, match=r"^process: expected a list of PlannedStep, got 'receive'$"
    ):
        _opened(process="receive")


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


# -- seed 15 sample: facts carried over -------------------------------------------------------
def test_a_stop_carried_over_as_a_fact_keeps_its_reason() -> None:
    d = _opened()
    d.stop(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="hồ sơ giả mạo")
    again = _replayed(d)
    assert (again.status, again.outcome) == (Status.STOPPED, "hồ sơ giả mạo")


def test_a_step_carried_over_as_a_fact_keeps_its_own_name() -> None:
    d = _opened(
        process=[PlannedStep("receive", "Tiếp nhận", CENTRE, TimeLimit.parse("1 ngày làm việc"))]
    )
    d.start_step(step="receive", at=vn(2025, 4, 14, 9), calendar=CAL, name="Tiếp nhận lại")
    d.finish_step(agency=CENTRE, at=vn(2025, 4, 14, 10), calendar=CAL)
    events = d.collect_events()
    assert fact_of_event(events[1], CODE, "f1").data == {
        "step": "receive",
        "name": "Tiếp nhận lại",
        "allotted": "1 ngày làm việc",
    }
    assert fact_of_event(events[2], CODE, "f2").data == {"step": "receive"}
    replayed: Dossier | None = None
    for n, event in enumerate(events):
        result = apply_fact(replayed, fact_of_event(event, CODE, f"f{n}"), RULES, Dossier)
        assert isinstance(result, Dossier)
        replayed = result
    assert replayed is not None
    (step,) = replayed.steps
    assert (step.key, step.name, step.finished_at) == (
        "receive",
        "Tiếp nhận lại",
        vn(2025, 4, 14, 10),
    )


def test_a_submission_fact_without_a_channel_is_online_and_one_with_a_channel_keeps_it() -> None:
    def submitted(**data: object) -> Any:
        fact = _fact(FactType.SUBMITTED, vn(2025, 4, 14, 8), procedure="1.004227", **data)
        return apply_fact(None, fact, RULES, Dossier)

    online, counter = submitted(), submitted(channel="counter")
    assert (online.channel, counter.channel) == (Channel.ONLINE, Channel.COUNTER)


def test_a_feedback_fact_without_a_comment_or_complaint_records_neither() -> None:
    d = given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    apply_fact(
        d, _fact(FactType.FEEDBACK_GIVEN, vn(2025, 4, 16, 9), rating="satisfied"), RULES, Dossier
    )
    assert d.feedback == [FeedbackRecord(vn(2025, 4, 16, 9), Rating.SATISFIED, "", False)]


def test_a_digitisation_carried_over_as_a_fact_keeps_its_electronic_result() -> None:
    d = _opened()
    d.resolve(at=vn(2025, 4, 15, 9), agency=CENTRE)
    d.record_digitisation(at=vn(2025, 4, 15, 10), agency=CENTRE, components=3, e_result=True)
    digitised = d.collect_events()[-1]
    assert fact_of_event(digitised, CODE, "f").data == {
        "components": 3,
        "e_result": True,
        "reused": False,
    }
    d = _opened()
    d.resolve(at=vn(2025, 4, 15, 9), agency=CENTRE)
    d.record_digitisation(at=vn(2025, 4, 15, 10), agency=CENTRE, components=3, e_result=True)
    again = _replayed(d)
    assert (again.digitised_components, again.e_result, again.reused_data) == (3, True, False)


def test_a_fact_that_is_not_an_opening_cannot_open_a_dossier_and_says_so() -> None:
    with pytest.raises(
        InvalidInputError,
        match=re.escape(
            f"dossier {CODE}: a resolved before the dossier was submitted, received or refused"
        )
        + "$",
    ):
        apply_fact(None, _fact(FactType.RESOLVED, vn(2025, 4, 14, 9)), RULES, Dossier)


# -- seed 15 sample: a whole history as facts, and back ----------------------------------------
def _long_history() -> Dossier:
    """An online submission received under the four-step process of
    :mod:`tests.domain.test_judgements` (restart policy, public posting excluded), then
    every kind of event up to its digitisation; its events are kept."""
    d = Dossier.submit(
        code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE, actor="cd-1"
    )
    d.receive(
        procedure="1.004227",
        procedure_name="Cấp giấy phép",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        limit="4 ngày làm việc",
        calendar=CAL,
        process=JUDGED_PROCESS,
        supplement_policy=SupplementPolicy.RESTART,
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
        actor="cb-01",
        command_id="rcv",
    )
    d.start_step(
        step="receive", at=vn(2025, 4, 14, 9), calendar=CAL, name="Tiếp nhận hồ sơ", actor="cb-01"
    )
    d.forward(agency=CENTRE, at=vn(2025, 4, 14, 10), calendar=CAL)
    d.record_payment(at=vn(2025, 4, 14, 10, 30), agency=CENTRE, amount=50_000, online=True)
    d.request_supplement(at=vn(2025, 4, 14, 11), agency=DEPT, reason="thiếu", items=["CCCD"])
    d.receive_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, calendar=CAL)
    d.pause(at=vn(2025, 4, 15, 10), agency=DEPT, reason="public_posting")
    d.resume(at=vn(2025, 4, 16, 9), agency=DEPT, calendar=CAL)
    d.issue_apology(
        at=vn(2025, 4, 16, 10), agency=DEPT, new_due=vn(2025, 5, 6, 9), reason="chờ", calendar=CAL
    )
    d.mark_overdue(at=vn(2025, 4, 28, 9), calendar=CAL)
    d.resolve(at=vn(2025, 4, 28, 10), agency=DEPT, outcome="rejected", calendar=CAL, actor="cv-9")
    d.return_result(at=vn(2025, 4, 29, 9), agency=CENTRE, channel="postal")
    d.record_feedback(
        at=vn(2025, 4, 29, 10), agency=CENTRE, rating="dissatisfied", comment="chậm", complaint=True
    )
    d.record_digitisation(
        at=vn(2025, 4, 29, 11), agency=CENTRE, components=2, e_result=True, reused=True
    )
    return d


def test_every_kind_of_event_is_a_fact_with_what_its_command_said_and_nothing_derived() -> None:
    facts = [
        fact_of_event(e, CODE, f"f{n}") for n, e in enumerate(_long_history().collect_events())
    ]
    process = [
        {"key": s.key, "name": s.name, "agency": s.agency, "allotted": str(s.allotted)}
        for s in JUDGED_PROCESS
    ]

    def fact(n: int, kind: FactType, at: Any, agency: str, actor: str | None = None, **data: Any):  # type: ignore[no-untyped-def]
        return Fact(f"f{n}", CODE, kind, at, agency, data, actor)

    assert facts == [
        fact(
            0, FactType.SUBMITTED, vn(2025, 4, 14, 8), CENTRE, "cd-1",
            procedure="1.004227", channel="online",
        ),
        fact(
            1, FactType.RECEIVED, vn(2025, 4, 14, 9), CENTRE, "cb-01",
            procedure="1.004227", channel="counter", limit="4 ngày làm việc",
            procedure_name="Cấp giấy phép", supplement_policy="restart",
            excluded_pauses=["public_posting"], process=process,
        ),
        fact(
            2, FactType.STEP_STARTED, vn(2025, 4, 14, 9), CENTRE, "cb-01",
            step="receive", name="Tiếp nhận hồ sơ", allotted="4 giờ làm việc",
        ),
        fact(3, FactType.STEP_FINISHED, vn(2025, 4, 14, 10), CENTRE, step="receive"),
        fact(
            4, FactType.STEP_STARTED, vn(2025, 4, 14, 10), DEPT,
            step="appraise", name="Thẩm định", allotted="2 ngày làm việc",
        ),
        fact(5, FactType.FEE_PAID, vn(2025, 4, 14, 10, 30), CENTRE, amount=50_000, online=True),
        fact(
            6, FactType.SUPPLEMENT_REQUESTED, vn(2025, 4, 14, 11), DEPT,
            reason="thiếu", items=["CCCD"],
        ),
        fact(7, FactType.SUPPLEMENT_RECEIVED, vn(2025, 4, 15, 9), CENTRE),
        fact(8, FactType.PAUSED, vn(2025, 4, 15, 10), DEPT, reason="public_posting"),
        fact(9, FactType.RESUMED, vn(2025, 4, 16, 9), DEPT),
        fact(
            10, FactType.APOLOGY_ISSUED, vn(2025, 4, 16, 10), DEPT,
            new_due=vn(2025, 5, 6, 9), reason="chờ",
        ),
        fact(11, FactType.BECAME_OVERDUE, vn(2025, 4, 28, 9), DEPT),
        fact(12, FactType.RESOLVED, vn(2025, 4, 28, 10), DEPT, "cv-9", outcome="rejected"),
        fact(13, FactType.RESULT_RETURNED, vn(2025, 4, 29, 9), CENTRE, channel="postal"),
        fact(
            14, FactType.FEEDBACK_GIVEN, vn(2025, 4, 29, 10), CENTRE,
            rating="dissatisfied", complaint=True, comment="chậm",
        ),
        fact(
            15, FactType.DIGITISED, vn(2025, 4, 29, 11), CENTRE,
            components=2, e_result=True, reused=True,
        ),
    ]  # fmt: skip


def test_a_whole_history_carried_over_as_facts_records_the_same_events() -> None:
    events = _long_history().collect_events()
    ids = [event.command_id or f"f{n}" for n, event in enumerate(events)]
    replayed: Dossier | None = None
    for fact_id, event in zip(ids, events, strict=True):
        result = apply_fact(replayed, fact_of_event(event, CODE, fact_id), RULES, Dossier)
        assert isinstance(result, Dossier)
        replayed = result
    assert replayed is not None
    again = replayed.collect_events()
    assert [type(e).__name__ for e in again] == [type(e).__name__ for e in events]
    for fact_id, original, copy in zip(ids, events, again, strict=True):
        assert _whole(copy) == {**_whole(original), "command_id": fact_id}


def test_a_whole_history_folded_from_facts_ends_in_the_aggregates_state() -> None:
    d = _long_history()
    events = d.collect_events()
    folded: Any = None
    for n, event in enumerate(events):
        folded = apply_fact(folded, fact_of_event(event, CODE, f"f{n}"), RULES, FoldedDossier)
    assert isinstance(folded, FoldedDossier)
    state = [k for k in vars(FoldedDossier()) if k not in ("id", "version", "command_ids")]
    state.remove("applied_by")
    assert {k: getattr(folded, k) for k in state} == {k: getattr(d, k) for k in state}
    assert (folded.id, folded.version) == (ID, len(events))


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


# -- seed 15 sample: every command names its action and checks its actor ----------------------
T = vn(2025, 4, 16, 9)
_COMMANDS: dict[str, tuple[str, Any]] = {
    "resolve": ("resolve", lambda d, **x: d.resolve(at=T, agency=CENTRE, **x)),
    "return_result": ("return a result", lambda d, **x: d.return_result(at=T, agency=CENTRE, **x)),
    "withdraw": ("withdraw", lambda d, **x: d.withdraw(at=T, agency=CENTRE, **x)),
    "stop": ("stop", lambda d, **x: d.stop(at=T, agency=CENTRE, reason="x", **x)),
    "refuse": ("refuse", lambda d, **x: d.refuse(at=T, agency=CENTRE, reason="x", **x)),
    "start_step": (
        "start a step",
        lambda d, **x: d.start_step(step="receive", at=T, calendar=CAL, **x),
    ),
    "finish_step": (
        "finish a step",
        lambda d, **x: d.finish_step(at=T, agency=CENTRE, calendar=CAL, **x),
    ),
    "forward": ("forward", lambda d, **x: d.forward(at=T, agency=CENTRE, calendar=CAL, **x)),
    "request_supplement": (
        "request a supplement",
        lambda d, **x: d.request_supplement(at=T, agency=CENTRE, reason="x", **x),
    ),
    "receive_supplement": (
        "receive a supplement",
        lambda d, **x: d.receive_supplement(at=T, agency=CENTRE, calendar=CAL, **x),
    ),
    "pause": ("pause", lambda d, **x: d.pause(at=T, agency=CENTRE, reason="public_posting", **x)),
    "resume": ("resume", lambda d, **x: d.resume(at=T, agency=CENTRE, calendar=CAL, **x)),
    "issue_apology": (
        "issue an apology",
        lambda d, **x: d.issue_apology(
            at=T, agency=CENTRE, new_due=vn(2025, 5, 6, 9), reason="x", calendar=CAL, **x
        ),
    ),
    "record_feedback": (
        "record feedback",
        lambda d, **x: d.record_feedback(at=T, agency=CENTRE, rating="satisfied", **x),
    ),
    "record_payment": (
        "record a payment",
        lambda d, **x: d.record_payment(at=T, agency=CENTRE, amount=1, online=True, **x),
    ),
    "record_digitisation": (
        "record digitisation",
        lambda d, **x: d.record_digitisation(at=T, agency=CENTRE, **x),
    ),
}
_BEFORE_RECEIPT = sorted(set(_COMMANDS) - {"withdraw", "refuse"})
_AFTER_WITHDRAWAL = sorted(set(_COMMANDS) - {"record_feedback"})
_AFTER_RESOLUTION = sorted(
    set(_COMMANDS) - {"return_result", "record_feedback", "record_payment", "record_digitisation"}
)


@pytest.mark.parametrize("name", _BEFORE_RECEIPT)
def test_a_command_before_receipt_is_refused_naming_its_action(name: str) -> None:
    action, command = _COMMANDS[name]
    error = refused(_submitted(), command, Rule.NOTHING_BEFORE_RECEIPT)
    assert error.detail == f"{CODE}: cannot {action} before receipt"


@pytest.mark.parametrize("name", _AFTER_WITHDRAWAL)
def test_a_command_after_a_withdrawal_is_refused_naming_its_action_and_the_status(
    name: str,
) -> None:
    action, command = _COMMANDS[name]
    d = given(lambda d: d.withdraw(at=vn(2025, 4, 15, 9), agency=CENTRE))
    error = refused(d, command, Rule.CLOSED_DOSSIER)
    assert error.detail == (
        f"{CODE}: cannot {action} while the dossier is WITHDRAWN (7 Công dân yêu cầu rút hồ sơ)"
    )


@pytest.mark.parametrize("name", _AFTER_RESOLUTION)
def test_a_command_after_the_resolution_is_refused_naming_its_action_and_the_status(
    name: str,
) -> None:
    action, command = _COMMANDS[name]
    error = refused(given(resolve(CENTRE, vn(2025, 4, 15, 9))), command, Rule.CLOSED_DOSSIER)
    assert (
        error.detail == f"{CODE}: cannot {action} while the dossier is RESOLVED (9 Đã xử lý xong)"
    )


def _ready_for(name: str) -> Dossier:
    """A dossier on which the command ``name`` would be accepted (its events cleared)."""
    if name in ("refuse",):
        return _submitted()
    if name == "return_result":
        return given(resolve(CENTRE, vn(2025, 4, 15, 9)))
    if name == "finish_step":
        return given(start("receive", vn(2025, 4, 15, 9)))
    if name == "receive_supplement":
        return given(
            lambda d: d.request_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="x")
        )
    if name == "resume":
        return given(
            lambda d: d.pause(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="public_posting")
        )
    return given()


@pytest.mark.parametrize("name", sorted(_COMMANDS))
def test_a_command_by_an_actor_that_is_not_text_is_refused_naming_the_actor(name: str) -> None:
    _, command = _COMMANDS[name]
    d = _ready_for(name)
    version = d.version
    with pytest.raises(InvalidInputError, match=r"^actor: expected text, got int 7$"):
        command(d, actor=7)
    assert (d.version, d.collect_events()) == (version, [])
    assert command(d, actor="cb-01") is True
    assert d.collect_events()[-1].actor == "cb-01"


# -- seed 15 sample: what a receipt fact may give, and what it may not --------------------------
def _receipt_fact(**data: object) -> Fact:
    return _fact(FactType.RECEIVED, vn(2025, 4, 14, 9), procedure="1.004227", **data)


def _received_from(fact: Fact, **defaults: object) -> Dossier:
    d = apply_fact(None, fact, RULES, Dossier, defaults or None)
    assert isinstance(d, Dossier)
    return d


def test_a_receipt_fact_gives_every_field_of_the_receipt() -> None:
    d = _received_from(
        _receipt_fact(
            channel="postal",
            limit="5 ngày làm việc",
            procedure_name="Cấp phép",
            applicant={"name": "Lê Thị Hoa"},
            supplement_policy="restart",
            excluded_pauses=["public_posting", "boundary_signing"],
            process=[
                {"key": "a", "name": "A", "agency": DEPT, "allotted": "2 ngày làm việc"},
            ],
        )
    )
    assert (d.channel, d.limit, d.procedure_name, d.applicant) == (
        Channel.POSTAL,
        TimeLimit.parse("5 ngày làm việc"),
        "Cấp phép",
        {"name": "Lê Thị Hoa"},
    )
    assert (d.supplement_policy, d.excluded_pauses) == (
        SupplementPolicy.RESTART,
        [PauseReason.BOUNDARY_SIGNING, PauseReason.PUBLIC_POSTING],
    )
    assert d.process == [PlannedStep("a", "A", DEPT, TimeLimit.parse("2 ngày làm việc"))]


def test_a_receipt_fact_takes_the_catalogs_defaults_for_what_it_does_not_say() -> None:
    catalog = {
        "limit": "4 ngày làm việc",
        "procedure_name": "Theo danh mục",
        "supplement_policy": SupplementPolicy.RESTART,
        "process": RULES_PROCESS,
    }
    d = _received_from(_receipt_fact(procedure_name="Theo nhật ký"), **catalog)
    assert (d.limit, d.procedure_name, d.supplement_policy, d.process) == (
        TimeLimit.parse("4 ngày làm việc"),
        "Theo nhật ký",
        SupplementPolicy.RESTART,
        RULES_PROCESS,
    )
    assert d.legal_due == vn(2025, 4, 18, 9)
    submitted = _submitted()
    apply_fact(submitted, _receipt_fact(), RULES, Dossier, catalog)
    assert (submitted.limit, submitted.process) == (
        TimeLimit.parse("4 ngày làm việc"),
        RULES_PROCESS,
    )


def test_a_receipt_fact_with_an_empty_process_has_none() -> None:
    d = _received_from(_receipt_fact(limit="4 ngày làm việc", process=None), process=RULES_PROCESS)
    assert d.process == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"supplement_policy": "sometimes"},
            "data.supplement_policy: 'sometimes' is not pause or restart",
        ),
        (
            {"supplement_policy": "x" * 60},
            "data.supplement_policy: '" + "x" * 39 + " is not pause or restart",
        ),
        (
            {"excluded_pauses": "public_posting"},
            "data.excluded_pauses: expected a list of pause reasons",
        ),
        (
            {"excluded_pauses": {"public_posting": 1}},
            "data.excluded_pauses: expected a list of pause reasons",
        ),
        (
            {"excluded_pauses": ["public_posting", "lunch"]},
            "data.excluded_pauses: 'lunch' is not a valid PauseReason",
        ),
        ({"process": "receive"}, "data.process: expected a list of steps"),
        ({"process": {"key": "a"}}, "data.process: expected a list of steps"),
        (
            {"process": [RULES_PROCESS[0].as_dict(), "appraise"]},
            "data.process[1]: expected a mapping",
        ),
        (
            {"process": [{"key": "a", "agency": DEPT, "allotted": "1 ngày làm việc"}]},
            "data.process[0]: missing 'name'",
        ),
    ],
)
def test_a_receipt_fact_with_a_bad_field_is_refused_naming_the_field(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=re.escape(message) + "$"):
        _received_from(_receipt_fact(limit="4 ngày làm việc", **data))


def test_a_submission_fact_on_a_dossier_already_opened_is_refused_naming_the_dossier() -> None:
    with pytest.raises(
        InvalidInputError, match=re.escape(f"dossier {CODE}: submitted after it was opened") + "$"
    ):
        apply_fact(given(), _fact(FactType.SUBMITTED, vn(2025, 4, 14, 10)), RULES, Dossier)


# -- seed 15 sample: the whole of issue_apology ----------------------------------------------
def _apologise(d: Dossier, at: Any, new_due: Any, **options: Any) -> Any:
    fields: dict[str, Any] = {"agency": CENTRE, "reason": "chờ", "calendar": CAL, **options}
    return d.issue_apology(at=at, new_due=new_due, **fields)


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
def _pause(at: Any, reason: str = "public_posting", **x: Any) -> Any:
    return lambda d: d.pause(at=at, agency=CENTRE, reason=reason, **x)


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


# -- seed 15 sample: what each reader of a command's input says --------------------------------
_LONG_KEY = "  " + "n" * 50 + " "


@pytest.mark.parametrize(
    ("read", "message"),
    [
        (
            lambda: inputs.applicant({str(n): "x" for n in range(51)}),
            "applicant: 51 fields; the limit is 50",
        ),
        (lambda: inputs.applicant({"name": "a", " ": "b"}), "applicant: field #2 has no text name"),
        (
            lambda: inputs.applicant({"k" * 501: "b"}),
            "applicant: the name of field #1 is 501 characters long; the limit is 500",
        ),
        (
            lambda: inputs.applicant({_LONG_KEY: "v" * 501}),
            f"applicant.{'n' * 40}: the value is 501 characters long; the limit is 500",
        ),
        (lambda: inputs.applicant({" name ": 5}), "applicant.name: expected text, got int"),
        (lambda: inputs.whole_number(True, "n"), "n: expected a whole number ≥ 0, got True"),
        (lambda: inputs.whole_number(1.0, "n"), "n: expected a whole number ≥ 0, got 1.0"),
        (lambda: inputs.whole_number(-1, "n"), "n: expected a whole number ≥ 0, got -1"),
        (
            lambda: inputs.whole_number(0, "n", minimum=1, unit="of đồng"),
            "n: expected a whole number of đồng ≥ 1, got 0",
        ),
        (lambda: inputs.whole_number(11, "n", maximum=10), "n: 11 is outside 0..10"),
        (
            lambda: inputs.whole_number(10**15 + 1, "n"),
            "n: 1000000000000001 is outside 0..1,000,000,000,000,000",
        ),
        (lambda: inputs.texts(["a", ""], "items"), "items[1]: expected non-empty text, got ''"),
        (lambda: inputs.texts(b"ab", "items"), "items: expected a list of texts, got b'ab'"),
        (lambda: inputs.texts({"a": 1}, "items"), "items: expected a list of texts, got {'a': 1}"),
        (lambda: inputs.texts(5, "items"), "items: expected a list of texts, got 5"),
        (
            lambda: inputs.texts(["x" * 501], "items"),
            "items[0]: the text is 501 characters long; the limit is 500",
        ),
        (lambda: inputs.texts(["x"] * 3, "items", limit=2), "items: 3 entries; the limit is 2"),
        (
            lambda: inputs.text("x" * 2001, "reason"),
            "reason: the text is 2,001 characters long; the limit is 2,000",
        ),
        (lambda: inputs.text("x\x00", "reason"), "reason: the text holds a NUL character"),
        (lambda: inputs.text(None, "reason"), "reason: expected text, got NoneType None"),
        (
            lambda: inputs.command_id("  "),
            "command_id: expected a non-empty text that identifies the command, got '  '",
        ),
        (
            lambda: inputs.command_id(5),
            "command_id: expected a non-empty text that identifies the command, got 5",
        ),
        (
            lambda: inputs.command_id("x" * 201),
            "command_id: the text is 201 characters long; the limit is 200",
        ),
        (
            lambda: inputs.optional_text("x" * 201, "actor"),
            "actor: the text is 201 characters long; the limit is 200",
        ),
        (lambda: inputs.optional_text("", "actor"), "actor: expected non-empty text, got ''"),
        (
            lambda: inputs.agency_code(5, "to_agency"),
            "to_agency: expected an agency code like 000.00.10.H41, got int 5",
        ),
        (
            lambda: inputs.agency_code("abc", "to_agency"),
            "to_agency: 'abc' is not an agency code like 000.00.10.H41 (mã định danh: ASCII "
            "digits and capitals, QĐ 20/2020/QĐ-TTg)",
        ),
        (lambda: inputs.flag(0, "online"), "online: expected true or false, got 0"),
    ],
)
def test_a_bad_input_is_refused_naming_the_field_and_the_rule(read: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read()
    assert str(caught.value) == message


def test_inputs_at_their_limits_are_accepted_as_given() -> None:
    fifty = {str(n): "x" for n in range(50)}
    assert inputs.applicant(fifty) == fifty
    assert inputs.applicant({"k" * 500: "v" * 500}) == {"k" * 500: "v" * 500}
    assert inputs.applicant({" name ": "Lê"}) == {" name ": "Lê"}
    assert inputs.applicant(None) is None
    assert inputs.whole_number(10, "n", maximum=10) == 10
    assert inputs.whole_number(0, "n") == 0
    assert inputs.whole_number(10**15, "n") == 10**15
    assert inputs.texts(("a", "b"), "items") == ["a", "b"]
    assert inputs.texts(["x"] * 100, "items") == ["x"] * 100
    assert inputs.text("x" * 2000, "reason") == "x" * 2000
    assert inputs.text(" a ", "reason") == " a "
    assert inputs.text("  ", "reason", optional=True) == ""
    assert inputs.text(None, "reason", optional=True) == ""
    assert inputs.command_id("c" * 200) == "c" * 200
    assert inputs.command_id(None) is None
    assert inputs.optional_text(None, "actor") is None
    assert inputs.optional_text("a" * 200, "actor") == "a" * 200
    assert inputs.agency_code("000.00.99.H41") == "000.00.99.H41"
    assert inputs.flag(False, "online") is False


# -- seed 15 sample: the dossier code ---------------------------------------------------------
def test_a_dossier_code_reads_its_agency_day_and_sequence_and_prints_them_back() -> None:
    code = DossierCode.parse(" 000.00.10.H41-250414-0007 ")
    assert code == DossierCode("000.00.10.H41", date(2025, 4, 14), 7)
    assert str(code) == "000.00.10.H41-250414-0007"
    assert str(DossierCode("000.00.10.H41", date(2025, 4, 14), 9999)).endswith("-250414-9999")
    assert DossierCode.parse(CODE).id == UUID("c0225232-e41b-56b3-a9eb-053251100d92")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: DossierCode.parse("000.00.10.H41-251345-0001"),
            "dossier code '000.00.10.H41-251345-0001': 251345 is not a date yyMMdd",
        ),
        (
            lambda: DossierCode.parse("000.00.10.H41-250230-0001"),
            "dossier code '000.00.10.H41-250230-0001': 250230 is not a date yyMMdd",
        ),
        (
            lambda: DossierCode.parse("000.00.10.H41-250414-0000"),
            "dossier code: sequence 0 must be 1..9999 (4 digits a day)",
        ),
        (
            lambda: DossierCode("000.00.10.H41", date(2025, 4, 14), 10_000),
            "dossier code: sequence 10000 must be 1..9999 (4 digits a day)",
        ),
        (
            lambda: DossierCode("abc", date(2025, 4, 14), 1),
            "dossier code: agency 'abc' is not an agency code like 000.00.00.H41",
        ),
        (lambda: DossierCode.parse(5), "dossier code: expected text, got 5"),
        (
            lambda: DossierCode.parse("HS-1"),
            "dossier code 'HS-1': expected <agency code>-<yyMMdd>-<seq4>, "
            "e.g. 000.00.00.H41-250123-0001",
        ),
    ],
)
def test_a_bad_dossier_code_is_refused_saying_what_is_wrong(make: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        make()
    assert str(caught.value) == message


# -- seed 15 sample: each kind of fact, what it gives and what it leaves to the default --------
def _apply(d: Any, kind: FactType, at: Any, rules: Any = RULES, **data: object) -> Any:
    return apply_fact(d, _fact(kind, at, **data), rules, Dossier)


def test_a_counter_refusal_carried_over_as_a_fact_keeps_its_procedure() -> None:
    d = Dossier.refuse_at_counter(
        code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 9), agency=CENTRE, reason="thiếu"
    )
    (event,) = d.collect_events()
    assert fact_of_event(event, CODE, "f").data == {
        "procedure": "1.004227",
        "channel": "counter",
        "reason": "thiếu",
    }
    again = _apply(None, FactType.REFUSED, vn(2025, 4, 14, 9), procedure="1.004227", reason="x")
    assert (again.procedure, again.outcome, again.status) == ("1.004227", "x", Status.REFUSED)


def test_step_facts_take_the_process_share_or_their_own_and_finish_the_step_they_name() -> None:
    d = given()
    _apply(d, FactType.STEP_STARTED, vn(2025, 4, 14, 9), step="receive")
    assert d.current_step is not None
    assert (d.current_step.name, d.current_step.allotted, d.current_step.due_at) == (
        "Tiếp nhận",
        TimeLimit.parse("1 ngày làm việc"),
        vn(2025, 4, 15, 9),
    )
    with pytest.raises(BusinessRuleError) as caught:
        _apply(d, FactType.STEP_FINISHED, vn(2025, 4, 14, 10), step="appraise")
    assert caught.value.detail == f"{CODE}: step 'appraise' is not the one in progress ('receive')"
    _apply(d, FactType.STEP_FINISHED, vn(2025, 4, 14, 10), step="receive")
    assert d.current_step is None
    own = TimeLimit.parse("2 giờ làm việc")
    _apply(d, FactType.STEP_STARTED, vn(2025, 4, 14, 10), step="x", allotted=own)
    assert d.current_step is not None
    assert (d.current_step.allotted, d.current_step.due_at) == (own, vn(2025, 4, 14, 14))


def test_resolution_return_withdrawal_and_digitisation_facts_take_their_defaults() -> None:
    d = given()
    _apply(d, FactType.RESOLVED, vn(2025, 4, 15, 9))
    _apply(d, FactType.RESULT_RETURNED, vn(2025, 4, 15, 10))
    _apply(d, FactType.DIGITISED, vn(2025, 4, 15, 11))
    assert (d.outcome, d.return_channel) == ("approved", Channel.COUNTER)
    assert (d.digitised_components, d.e_result, d.reused_data) == (1, False, False)
    withdrawn = given()
    _apply(withdrawn, FactType.WITHDRAWN, vn(2025, 4, 15, 9))
    assert (withdrawn.status, withdrawn.outcome, withdrawn.ended_at) == (
        Status.WITHDRAWN,
        "",
        vn(2025, 4, 15, 9),
    )


def test_a_withdrawal_carried_over_as_a_fact_keeps_its_reason() -> None:
    d = _opened()
    d.withdraw(at=vn(2025, 4, 15, 9), agency=CENTRE, reason="công dân rút")
    again = _replayed(d)
    assert (again.status, again.outcome, again.ended_at) == (
        Status.WITHDRAWN,
        "công dân rút",
        vn(2025, 4, 15, 9),
    )


def test_an_overdue_fact_is_recorded_under_the_agency_the_fact_names() -> None:
    d = given()
    _apply(d, FactType.BECAME_OVERDUE, vn(2025, 4, 21, 9))  # CENTRE, the handler
    other = given()
    apply_fact(
        other,
        Fact("o", CODE, FactType.BECAME_OVERDUE, vn(2025, 4, 21, 9), DEPT),
        RULES,
        Dossier,
    )
    (event,) = then(other, "BecameOverdue")
    assert (event.agency, event.command_id, event.due_at) == (DEPT, "o", DUE)
    assert other.overdue_at == vn(2025, 4, 21, 9)


def test_apology_facts_follow_the_rules_of_the_application_that_wrote_them() -> None:
    def apologies(rules: FactRules) -> list[Any]:
        d = given()
        for at, new_due in (
            (vn(2025, 4, 16, 9), vn(2025, 4, 22, 9)),
            (vn(2025, 4, 21, 9), vn(2025, 4, 25, 9)),
        ):
            _apply(d, FactType.APOLOGY_ISSUED, at, rules, new_due=new_due, reason="x")
        return [a.new_due for a in d.apologies]

    assert apologies(FactRules(CAL, max_apologies=2)) == [vn(2025, 4, 22, 9), vn(2025, 4, 25, 9)]
    with pytest.raises(BusinessRuleError) as caught:
        apologies(RULES)
    assert caught.value.rule is Rule.APOLOGY_LIMIT
    on_the_due_date = given()
    late = {"new_due": vn(2025, 4, 22, 9), "reason": "x"}
    with pytest.raises(BusinessRuleError) as caught:
        _apply(on_the_due_date, FactType.APOLOGY_ISSUED, vn(2025, 4, 18, 8), **late)
    assert caught.value.rule is Rule.APOLOGY_BEFORE_DUE
    lenient = FactRules(CAL, apology_lead_days=0)
    _apply(on_the_due_date, FactType.APOLOGY_ISSUED, vn(2025, 4, 18, 8), lenient, **late)
    assert on_the_due_date.current_due == vn(2025, 4, 22, 9)


def test_a_receipt_fact_for_another_dossier_is_refused_naming_both_codes() -> None:
    other = "000.00.10.H41-250414-0002"
    fact = Fact(
        "r",
        other,
        FactType.RECEIVED,
        vn(2025, 4, 14, 9),
        CENTRE,
        {"procedure": "1.004227", "limit": "4 ngày làm việc"},
    )
    with pytest.raises(InvalidInputError) as caught:
        apply_fact(_submitted(), fact, RULES, Dossier)
    assert str(caught.value) == f"code: {other} is not this dossier ({CODE})"


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
