"""Facts carried over from another system: each kind, what it gives and what it leaves to the
command's default, and a whole history as facts and back (issue 12, mutation testing)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.domain.test_edges import RULES, _fact, _opened, _replayed
from tests.domain.test_judgements import (
    DUE,
    resolve,
)
from tests.domain.test_judgements import PROCESS as JUDGED_PROCESS
from tests.domain.test_rules import CAL, CENTRE, CODE, DEPT, given, then, vn
from tests.domain.test_rules import PROCESS as RULES_PROCESS
from tests.domain.whole import ID, _long_history, _submitted, _whole
from tthc_engine import TimeLimit
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import BusinessRuleError, Dossier, PlannedStep, Rule, Status
from tthc_engine.domain.facts import Fact, FactRules, FactType, apply_fact, fact_of_event
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.domain.records import (
    FeedbackRecord,
)
from tthc_engine.domain.values import Channel, Rating
from tthc_engine.errors import InvalidInputError


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
