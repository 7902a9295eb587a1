"""Bad input to every command: the error's type, a message naming the field and the rule,
and nothing written (the dossier's stored version is unchanged).

Commands go through ``OneStopShop`` on the in-memory (POPO) store and the sample catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tthc_engine import (
    VN_TZ,
    BusinessRuleError,
    CalendarRangeError,
    DossierNotFoundError,
    InvalidInputError,
    NaiveDatetimeError,
    OneStopShop,
    Rule,
    TthcError,
    UnknownProcedureError,
)
from tthc_engine.catalog import Catalog
from tthc_engine.domain import Dossier, Status, dossier_id

CATALOG = Catalog.sample()
COUNTER = "000.00.10.H41"
LAND_OFFICE = "000.22.10.H41"
LAND = "1.012753"  # steps: receive (counter), check (land registration office), …
CODE = f"{COUNTER}-250414-0001"
ONLINE = f"{COUNTER}-250414-0002"
FRESH = f"{COUNTER}-250414-0003"
T0 = datetime(2025, 4, 14, 9, 0, tzinfo=VN_TZ)
LATER = T0 + timedelta(hours=2)
NAIVE = datetime(2025, 4, 14, 11, 0)


@pytest.fixture
def app() -> OneStopShop:
    """A counter-received land dossier (``CODE``) and an online submission (``ONLINE``)."""
    shop = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=CATALOG)
    shop.receive(LAND, agency=COUNTER, code=CODE, at=T0, applicant={"name": "Trần Thị B"})
    shop.submit(LAND, agency=COUNTER, code=ONLINE, at=T0)
    return shop


def stored_version(app: OneStopShop, code: str) -> int:
    """The version of the dossier in the store (0 when nothing was ever written)."""
    events = list(app.repository.event_store.get(dossier_id(code)))
    return events[-1].originator_version if events else 0


def refused(
    app: OneStopShop, code: str, error: type[TthcError], command: Callable[[], Any]
) -> TthcError:
    """Run ``command``, expect ``error``, and check that nothing was written for ``code``."""
    before = stored_version(app, code)
    with pytest.raises(error) as caught:
        command()
    assert stored_version(app, code) == before, "a refused command wrote events"
    return caught.value


def broken_rule(
    app: OneStopShop, code: str, rule: Rule, command: Callable[[], Any]
) -> BusinessRuleError:
    error = refused(app, code, BusinessRuleError, command)
    assert isinstance(error, BusinessRuleError)
    assert error.rule is rule, f"expected {rule.name}, got {error.rule.name}: {error}"
    assert str(error).startswith(rule.name)
    assert rule.statement in str(error)
    return error


# -- naive datetimes ----------------------------------------------------------------------
# each command with the arguments it needs besides ``at``, on CODE (received, no step)
COMMANDS: dict[str, dict[str, Any]] = {
    "forward": {"agency": COUNTER},
    "start_step": {"step": "receive"},
    "finish_step": {"agency": COUNTER},
    "request_supplement": {"agency": COUNTER, "reason": "thiếu giấy tờ"},
    "receive_supplement": {"agency": COUNTER},
    "pause": {"agency": COUNTER, "reason": "financial_obligation"},
    "resume": {"agency": COUNTER},
    "resolve": {"agency": COUNTER},
    "return_result": {"agency": COUNTER},
    "withdraw": {"agency": COUNTER},
    "stop": {"agency": COUNTER, "reason": "vi phạm"},
    "issue_apology": {
        "agency": COUNTER,
        "new_due": T0 + timedelta(days=60),
        "reason": "cần xác minh",
    },
    "record_feedback": {"agency": COUNTER, "rating": "satisfied"},
    "record_payment": {"agency": COUNTER, "amount": 50_000, "online": True},
    "record_digitisation": {"agency": COUNTER, "components": 2},
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_naive_at_is_refused_by_every_command_on_a_dossier(
    app: OneStopShop, command: str
) -> None:
    run = getattr(app, command)
    error = refused(app, CODE, NaiveDatetimeError, lambda: run(CODE, at=NAIVE, **COMMANDS[command]))
    assert str(error).startswith("at: naive datetime")
    assert "must be aware" in str(error)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(
            lambda app: app.receive(LAND, agency=COUNTER, code=FRESH, at=NAIVE), id="receive"
        ),
        pytest.param(
            lambda app: app.submit(LAND, agency=COUNTER, code=FRESH, at=NAIVE), id="submit"
        ),
        pytest.param(
            lambda app: app.refuse(FRESH, agency=COUNTER, reason="sai thẩm quyền", at=NAIVE),
            id="refuse at the counter",
        ),
    ],
)
def test_a_naive_at_is_refused_when_a_dossier_is_opened(
    app: OneStopShop, command: Callable[[OneStopShop], Any]
) -> None:
    error = refused(app, FRESH, NaiveDatetimeError, lambda: command(app))
    assert str(error).startswith("at: naive datetime")
    assert stored_version(app, FRESH) == 0


def test_a_naive_at_is_refused_when_an_online_submission_is_received(app: OneStopShop) -> None:
    error = refused(
        app,
        ONLINE,
        NaiveDatetimeError,
        lambda: app.receive(LAND, agency=COUNTER, code=ONLINE, at=NAIVE),
    )
    assert str(error).startswith("at: naive datetime")


def test_a_naive_new_appointment_in_an_apology_is_refused(app: OneStopShop) -> None:
    error = refused(
        app,
        CODE,
        NaiveDatetimeError,
        lambda: app.issue_apology(
            CODE, agency=COUNTER, new_due=datetime(2025, 6, 1, 9), reason="x", at=LATER
        ),
    )
    assert str(error).startswith("new_due: naive datetime")


def test_an_aware_datetime_in_another_zone_is_converted_not_refused(app: OneStopShop) -> None:
    dossier = app.record_feedback(
        CODE, agency=COUNTER, rating="satisfied", at=LATER.astimezone(UTC)
    )
    assert dossier.feedback[-1].at == LATER
    assert dossier.feedback[-1].at.utcoffset() == timedelta(hours=7)


# -- unknown and malformed codes ----------------------------------------------------------
def test_an_unknown_procedure_code_is_refused_with_suggestions(app: OneStopShop) -> None:
    error = refused(
        app,
        FRESH,
        UnknownProcedureError,
        lambda: app.receive("1.01275", agency=COUNTER, code=FRESH, at=T0),
    )
    assert isinstance(error, UnknownProcedureError)
    assert error.code == "1.01275"
    assert "unknown procedure code '1.01275'" in str(error)
    assert "not in the catalog" in str(error)
    assert "1.012753" in error.suggestions
    assert "did you mean '1.012753'" in str(error)
    assert stored_version(app, FRESH) == 0


def test_an_unknown_procedure_code_is_refused_on_online_submission(app: OneStopShop) -> None:
    error = refused(
        app,
        FRESH,
        UnknownProcedureError,
        lambda: app.submit("9.999999", agency=COUNTER, code=FRESH, at=T0),
    )
    assert "unknown procedure code '9.999999'" in str(error)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_dossier_code_is_not_found(app: OneStopShop, command: str) -> None:
    run = getattr(app, command)
    error = refused(
        app, FRESH, DossierNotFoundError, lambda: run(FRESH, at=LATER, **COMMANDS[command])
    )
    assert isinstance(error, DossierNotFoundError)
    assert error.code == FRESH
    assert str(error) == f"dossier {FRESH}: not found (no event recorded for this code)"


@pytest.mark.parametrize(
    ("code", "says"),
    [
        pytest.param("H41-2504-1", "expected <agency code>-<yyMMdd>-<seq4>", id="too short"),
        pytest.param(
            "000.00.10.H41-250414-001", "expected <agency code>-<yyMMdd>-<seq4>", id="seq3"
        ),
        pytest.param(
            "000.00.10.h41-250414-0001", "expected <agency code>-<yyMMdd>-<seq4>", id="lower"
        ),
        pytest.param("000.00.10.H41-251340-0001", "is not a date yyMMdd", id="month 13"),
        pytest.param("000.00.10.H41-250414-0000", "sequence 0 must be 1..9999", id="sequence 0"),
    ],
)
def test_a_malformed_dossier_code_names_the_expected_format(
    app: OneStopShop, code: str, says: str
) -> None:
    error = refused(
        app, CODE, InvalidInputError, lambda: app.resolve(code, agency=COUNTER, at=LATER)
    )
    assert "dossier code" in str(error)
    assert says in str(error)


def test_a_malformed_dossier_code_is_refused_on_receipt(app: OneStopShop) -> None:
    error = refused(
        app, CODE, InvalidInputError, lambda: app.receive(LAND, agency=COUNTER, code="HS-1", at=T0)
    )
    assert "dossier code 'HS-1': expected <agency code>-<yyMMdd>-<seq4>" in str(error)
    assert "000.00.00.H41-250123-0001" in str(error)


# -- impossible transitions ---------------------------------------------------------------
def test_a_submitted_dossier_cannot_be_resolved_before_receipt(app: OneStopShop) -> None:
    error = broken_rule(
        app,
        ONLINE,
        Rule.NOTHING_BEFORE_RECEIPT,
        lambda: app.resolve(ONLINE, agency=COUNTER, at=LATER),
    )
    assert "cannot resolve before receipt" in str(error)


def test_a_result_cannot_be_returned_before_resolution(app: OneStopShop) -> None:
    error = broken_rule(
        app,
        CODE,
        Rule.RESULT_NEEDS_RESOLUTION,
        lambda: app.return_result(CODE, agency=COUNTER, at=LATER),
    )
    assert "is not resolved (status 2)" in str(error)


def test_a_step_cannot_start_while_another_is_in_progress(app: OneStopShop) -> None:
    app.start_step(CODE, "receive", at=T0)
    error = broken_rule(
        app, CODE, Rule.ONE_STEP_AT_A_TIME, lambda: app.start_step(CODE, "check", at=LATER)
    )
    assert "step 'receive' held by 000.00.10.H41 is still in progress" in str(error)


def test_a_step_cannot_be_finished_by_an_agency_that_does_not_hold_it(app: OneStopShop) -> None:
    app.start_step(CODE, "receive", at=T0)
    error = broken_rule(
        app,
        CODE,
        Rule.STEP_HELD_BY_AGENCY,
        lambda: app.finish_step(CODE, agency=LAND_OFFICE, at=LATER),
    )
    assert f"held by {COUNTER}, not {LAND_OFFICE}" in str(error)


def test_a_forward_by_an_agency_that_does_not_hold_the_step_writes_nothing(
    app: OneStopShop,
) -> None:
    app.start_step(CODE, "receive", at=T0)
    broken_rule(
        app, CODE, Rule.STEP_HELD_BY_AGENCY, lambda: app.forward(CODE, agency=LAND_OFFICE, at=LATER)
    )
    assert app.dossier(CODE).current_step is not None
    assert app.dossier(CODE).current_step.key == "receive"  # type: ignore[union-attr]


def test_a_resolution_by_an_agency_that_does_not_hold_the_dossier_is_refused(
    app: OneStopShop,
) -> None:
    app.forward(CODE, agency=COUNTER, at=T0)  # starts "receive" at the counter
    app.forward(CODE, agency=COUNTER, at=LATER)  # hands over to "check" at the land office
    error = broken_rule(
        app, CODE, Rule.STEP_HELD_BY_AGENCY, lambda: app.resolve(CODE, agency=COUNTER, at=LATER)
    )
    assert f"step 'check' is held by {LAND_OFFICE}, not {COUNTER}" in str(error)
    check = app.dossier(CODE).current_step
    assert check is not None
    assert (check.key, check.finished_at) == ("check", None), "nobody closed its step for it"


@pytest.mark.parametrize("opening", ["receive", "submit"])
def test_a_dossier_is_opened_only_at_an_agency_the_catalog_lists(
    app: OneStopShop, opening: str
) -> None:
    run = getattr(app, opening)
    error = broken_rule(
        app,
        FRESH,
        Rule.AGENCY_IN_CATALOG,
        lambda: run(LAND, agency="999.99.99.H99", code=FRESH, at=T0),
    )
    assert "agency '999.99.99.H99' is not in the catalog" in str(error)


def test_a_receipt_under_a_procedure_not_yet_in_force_is_refused(app: OneStopShop) -> None:
    before = f"{COUNTER}-240715-0001"
    error = broken_rule(
        app,
        before,
        Rule.PROCEDURE_IN_FORCE,
        lambda: app.receive(
            LAND, agency=COUNTER, code=before, at=datetime(2024, 7, 15, 9, tzinfo=VN_TZ)
        ),
    )
    assert f"procedure '{LAND}' is not in force on 2024-07-15" in str(error)


def test_a_dossier_cannot_resume_without_a_pause(app: OneStopShop) -> None:
    error = broken_rule(
        app, CODE, Rule.PAUSE_STATE, lambda: app.resume(CODE, agency=COUNTER, at=LATER)
    )
    assert "cannot resume" in str(error)


def test_a_second_pause_while_one_runs_is_refused(app: OneStopShop) -> None:
    app.pause(CODE, agency=COUNTER, reason="public_posting", at=T0)
    error = broken_rule(
        app,
        CODE,
        Rule.PAUSE_STATE,
        lambda: app.pause(CODE, agency=COUNTER, reason="expert_assessment", at=LATER),
    )
    assert "paused for public_posting" in str(error)


def test_a_supplement_never_requested_is_refused_by_its_rule_and_writes_nothing(
    app: OneStopShop,
) -> None:
    error = broken_rule(
        app,
        CODE,
        Rule.SUPPLEMENT_PENDING,
        lambda: app.receive_supplement(CODE, agency=COUNTER, at=LATER),
    )
    assert "cannot receive a supplement" in str(error)


def test_a_second_supplement_request_while_one_is_pending_is_refused(app: OneStopShop) -> None:
    app.request_supplement(CODE, agency=COUNTER, reason="thiếu bản đồ", at=T0)
    refused(
        app,
        CODE,
        BusinessRuleError,
        lambda: app.request_supplement(CODE, agency=COUNTER, reason="thiếu nữa", at=LATER),
    )


AFTER_WITHDRAWAL: dict[str, Callable[[OneStopShop], Any]] = {
    "receive": lambda app: app.receive(LAND, agency=COUNTER, code=CODE, at=LATER),
    **{
        name: (lambda app, name=name: getattr(app, name)(CODE, at=LATER, **COMMANDS[name]))
        for name in sorted(COMMANDS)
        if name != "record_feedback"
    },
}


@pytest.mark.parametrize("command", sorted(AFTER_WITHDRAWAL))
def test_nothing_but_feedback_is_accepted_after_withdrawal(app: OneStopShop, command: str) -> None:
    app.withdraw(CODE, agency=COUNTER, reason="công dân xin rút", at=T0)
    expected = Rule.ALREADY_RECEIVED if command == "receive" else Rule.CLOSED_DOSSIER
    error = broken_rule(app, CODE, expected, lambda: AFTER_WITHDRAWAL[command](app))
    if expected is Rule.CLOSED_DOSSIER:
        assert "WITHDRAWN (7" in str(error)


def test_feedback_is_accepted_after_withdrawal(app: OneStopShop) -> None:
    app.withdraw(CODE, agency=COUNTER, at=T0)
    before = stored_version(app, CODE)
    dossier = app.record_feedback(CODE, agency=COUNTER, rating="dissatisfied", at=LATER)
    assert dossier.status is Status.WITHDRAWN
    assert stored_version(app, CODE) == before + 1


# -- fields of the wrong type -------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount"),
    [
        pytest.param("50000", id="str"),
        pytest.param(50.5, id="float"),
        pytest.param(True, id="bool"),
        pytest.param(-1, id="negative"),
    ],
)
def test_a_payment_amount_must_be_a_whole_number_of_dong(app: OneStopShop, amount: object) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.record_payment(CODE, agency=COUNTER, amount=amount, online=True, at=LATER),  # type: ignore[arg-type]
    )
    assert str(error) == f"amount: expected a whole number of đồng ≥ 0, got {amount!r}"


@pytest.mark.parametrize("online", ["yes", 1, None])
def test_a_payment_online_flag_must_be_true_or_false(app: OneStopShop, online: object) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.record_payment(CODE, agency=COUNTER, amount=1, online=online, at=LATER),  # type: ignore[arg-type]
    )
    assert str(error) == f"online: expected true or false, got {online!r}"


def test_an_unknown_rating_is_refused_naming_the_ratings(app: OneStopShop) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.record_feedback(CODE, agency=COUNTER, rating="great", at=LATER),
    )
    assert str(error).startswith("rating: 'great' is not one of")
    assert "very_satisfied, satisfied, dissatisfied" in str(error)


def test_an_unknown_pause_reason_is_refused_naming_the_reasons(app: OneStopShop) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.pause(CODE, agency=COUNTER, reason="holiday", at=LATER),
    )
    assert str(error).startswith("reason: 'holiday' is not a pause reason")
    assert "financial_obligation" in str(error)


def test_a_limit_given_as_a_number_is_refused(app: OneStopShop) -> None:
    error = refused(
        app,
        FRESH,
        InvalidInputError,
        lambda: app.receive(LAND, agency=COUNTER, code=FRESH, at=T0, limit=5),  # type: ignore[arg-type]
    )
    assert str(error) == "limit: expected a TimeLimit, got 5"
    assert stored_version(app, FRESH) == 0


@pytest.mark.parametrize("agency", ["", "   ", "Sở Tư pháp", " 000.00.10.H41"])
def test_an_agency_that_is_not_an_agency_code_is_refused(app: OneStopShop, agency: str) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.resolve(CODE, agency=agency, at=LATER),
    )
    assert str(error).startswith(f"agency: {agency!r} is not an agency code like 000.00.10.H41")


@pytest.mark.parametrize("agency", [None, 41])
def test_a_missing_or_numeric_agency_is_refused(app: OneStopShop, agency: object) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.resolve(CODE, agency=agency, at=LATER),  # type: ignore[arg-type]
    )
    kind = type(agency).__name__
    assert (
        str(error) == f"agency: expected an agency code like 000.00.10.H41, got {kind} {agency!r}"
    )


def test_an_agency_code_with_non_ascii_digits_is_refused(app: OneStopShop) -> None:
    lookalike = "000.00.1\uff10.H41"  # a full-width zero: prints like 000.00.10.H41
    error = refused(
        app, FRESH, InvalidInputError, lambda: app.receive(LAND, agency=lookalike, at=T0)
    )
    assert str(error).startswith("agency: ")
    assert "ASCII digits" in str(error)


def test_an_empty_agency_is_refused_on_receipt(app: OneStopShop) -> None:
    error = refused(
        app, FRESH, InvalidInputError, lambda: app.receive(LAND, agency="", code=FRESH, at=T0)
    )
    assert str(error).startswith("agency: '' is not an agency code")


@pytest.mark.parametrize(
    ("applicant", "message"),
    [
        pytest.param(
            "Nguyễn Văn A", "applicant: expected a mapping of text fields, got str", id="text"
        ),
        pytest.param(
            ["Nguyễn Văn A"], "applicant: expected a mapping of text fields, got list", id="list"
        ),
        pytest.param({"name": 5}, "applicant.name: expected text, got int", id="number value"),
        pytest.param({1: "Nguyễn Văn A"}, "applicant: field #1 has no text name", id="number key"),
        pytest.param(
            {"id_number": "0401234\ud800"},
            "applicant.id_number: the value is not valid Unicode text (it holds a lone surrogate)",
            id="lone surrogate",
        ),
    ],
)
@pytest.mark.parametrize("opening", ["receive", "submit"])
def test_an_applicant_must_be_a_mapping_of_text_fields_and_is_never_echoed(
    app: OneStopShop, applicant: object, message: str, opening: str
) -> None:
    run = getattr(app, opening)
    error = refused(
        app,
        FRESH,
        InvalidInputError,
        lambda: run(LAND, agency=COUNTER, code=FRESH, at=T0, applicant=applicant),
    )
    assert str(error) == message
    assert "Nguyễn" not in str(error)  # personal data (ND 13/2023) is never repeated
    assert "0401234" not in str(error)
    assert stored_version(app, FRESH) == 0


def test_an_unknown_channel_is_refused_on_receipt(app: OneStopShop) -> None:
    error = refused(
        app,
        FRESH,
        InvalidInputError,
        lambda: app.receive(LAND, agency=COUNTER, code=FRESH, at=T0, channel="fax"),
    )
    assert str(error) == "channel: 'fax' is not one of counter, online, postal"


def test_an_unknown_channel_is_refused_when_the_result_is_returned(app: OneStopShop) -> None:
    app.resolve(CODE, agency=COUNTER, at=T0)
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.return_result(CODE, agency=COUNTER, channel="fax", at=LATER),
    )
    assert str(error) == "channel: 'fax' is not one of counter, online, postal"


def test_an_unknown_rating_given_to_the_aggregate_is_refused(app: OneStopShop) -> None:
    dossier: Dossier = app.dossier(CODE)
    with pytest.raises(InvalidInputError, match=r"^rating: 'great'"):
        dossier.record_feedback(at=LATER, agency=COUNTER, rating="great")  # type: ignore[arg-type]
    assert dossier.collect_events() == []


# -- out of the calendar's range ----------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "at"),
    [
        pytest.param(f"{COUNTER}-191230-0001", datetime(2019, 12, 30, 9, tzinfo=VN_TZ), id="2019"),
        pytest.param(f"{COUNTER}-280103-0001", datetime(2028, 1, 3, 9, tzinfo=VN_TZ), id="2028"),
    ],
)
def test_a_receipt_outside_the_calendar_years_is_refused(
    app: OneStopShop, code: str, at: datetime
) -> None:
    error = refused(
        app, code, CalendarRangeError, lambda: app.receive(LAND, agency=COUNTER, code=code, at=at)
    )
    assert f"at: {at.date().isoformat()} is outside the calendar's data range" in str(error)
    assert "2020-01-01..2027-12-31" in str(error)
    assert stored_version(app, code) == 0


def test_a_receipt_whose_due_leaves_the_calendar_is_refused() -> None:
    at = datetime(2027, 12, 29, 9, tzinfo=VN_TZ)
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=CATALOG, clock=lambda: at
    )
    code = f"{COUNTER}-271229-0001"
    error = refused(
        app, code, CalendarRangeError, lambda: app.receive(LAND, agency=COUNTER, code=code, at=at)
    )
    assert "data range" in str(error)
    assert stored_version(app, code) == 0


# -- hostile text, datetimes and flags (issue 7 §4) ------------------------------------------
TEXT_FIELDS: dict[str, tuple[str, Callable[[OneStopShop, object], Any]]] = {
    "reason of a supplement request": (
        "reason",
        lambda app, v: app.request_supplement(CODE, agency=COUNTER, reason=v, at=LATER),
    ),
    "items of a supplement request": (
        "items[0]",
        lambda app, v: app.request_supplement(
            CODE, agency=COUNTER, reason="thiếu", items=[v], at=LATER
        ),
    ),
    "reason of a stop": (
        "reason",
        lambda app, v: app.stop(CODE, agency=COUNTER, reason=v, at=LATER),
    ),
    "reason of a withdrawal": (
        "reason",
        lambda app, v: app.withdraw(CODE, agency=COUNTER, reason=v, at=LATER),
    ),
    "outcome of a resolution": (
        "outcome",
        lambda app, v: app.resolve(CODE, agency=COUNTER, outcome=v, at=LATER),
    ),
    "comment of feedback": (
        "comment",
        lambda app, v: app.record_feedback(
            CODE, agency=COUNTER, rating="satisfied", comment=v, at=LATER
        ),
    ),
    "reason of an apology": (
        "reason",
        lambda app, v: app.issue_apology(
            CODE, agency=COUNTER, new_due=T0 + timedelta(days=60), reason=v, at=LATER
        ),
    ),
    "name of a step": (
        "name",
        lambda app, v: app.start_step(CODE, "receive", name=v, at=LATER),
    ),
    "actor": (
        "actor",
        lambda app, v: app.record_payment(
            CODE, agency=COUNTER, amount=1, online=True, actor=v, at=LATER
        ),
    ),
    "command id": (
        "command_id",
        lambda app, v: app.record_payment(
            CODE, agency=COUNTER, amount=1, online=True, command_id=v, at=LATER
        ),
    ),
    "reason of a refusal at the counter": (
        "reason",
        lambda app, v: app.refuse(FRESH, agency=COUNTER, reason=v, at=T0),
    ),
}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param("thiếu \ud800 giấy", "lone surrogate", id="lone surrogate"),
        pytest.param("thiếu\x00giấy", "NUL character", id="NUL"),
        pytest.param("x" * 5_000_000, "5,000,000 characters long", id="5 MB"),
    ],
)
@pytest.mark.parametrize("where", sorted(TEXT_FIELDS))
def test_a_text_that_cannot_be_stored_is_refused_at_the_command_naming_its_field(
    app: OneStopShop, where: str, value: str, problem: str
) -> None:
    field, command = TEXT_FIELDS[where]
    error = refused(app, CODE, InvalidInputError, lambda: command(app, value))
    assert str(error).startswith(f"{field}: ")
    assert problem in str(error)
    assert len(str(error)) < 200, "the value is not repeated"
    assert stored_version(app, FRESH) == 0


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(5, id="number"),
        pytest.param(["rất tốt"], id="list"),
        pytest.param(b"rat tot", id="bytes"),
    ],
)
def test_a_comment_that_is_not_text_is_refused(app: OneStopShop, value: object) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.record_feedback(
            CODE,
            agency=COUNTER,
            rating="satisfied",
            comment=value,  # type: ignore[arg-type]
            at=LATER,
        ),
    )
    assert str(error).startswith(f"comment: expected text, got {type(value).__name__}")


def test_items_given_as_one_text_are_refused_not_split_into_letters(app: OneStopShop) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.request_supplement(
            CODE,
            agency=COUNTER,
            reason="thiếu",
            items="abc",  # type: ignore[arg-type]
            at=LATER,
        ),
    )
    assert str(error) == "items: expected a list of texts, got 'abc'"


@pytest.mark.parametrize("value", ["no", "yes", 0, 1, None, 1.0])
@pytest.mark.parametrize(
    ("field", "command"),
    [
        pytest.param(
            "e_result",
            lambda app, v: app.record_digitisation(CODE, agency=COUNTER, e_result=v, at=LATER),
            id="e_result",
        ),
        pytest.param(
            "reused",
            lambda app, v: app.record_digitisation(CODE, agency=COUNTER, reused=v, at=LATER),
            id="reused",
        ),
        pytest.param(
            "complaint",
            lambda app, v: app.record_feedback(
                CODE, agency=COUNTER, rating="satisfied", complaint=v, at=LATER
            ),
            id="complaint",
        ),
    ],
)
def test_a_flag_is_true_or_false_itself_never_a_guess_from_text_or_numbers(
    app: OneStopShop, field: str, command: Callable[[OneStopShop, object], Any], value: object
) -> None:
    error = refused(app, CODE, InvalidInputError, lambda: command(app, value))
    assert str(error) == f"{field}: expected true or false, got {value!r}"


EXTREME_LATE = datetime.max.replace(tzinfo=timezone(timedelta(hours=-23)))
EXTREME_EARLY = datetime.min.replace(tzinfo=timezone(timedelta(hours=23)))


@pytest.mark.parametrize(
    "at", [EXTREME_LATE, EXTREME_EARLY], ids=["max at -23:00", "min at +23:00"]
)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_datetime_that_cannot_be_expressed_in_utc7_is_refused_by_every_command(
    app: OneStopShop, command: str, at: datetime
) -> None:
    run = getattr(app, command)
    error = refused(app, CODE, InvalidInputError, lambda: run(CODE, at=at, **COMMANDS[command]))
    assert str(error).startswith(f"at: {at.isoformat()} cannot be expressed in UTC+7")


@pytest.mark.parametrize(
    "new_due",
    [
        pytest.param(datetime(9999, 12, 31, 17, tzinfo=VN_TZ), id="year 9999"),
        pytest.param(datetime(2205, 1, 5, 17, tzinfo=VN_TZ), id="year 2205"),
        pytest.param(EXTREME_LATE, id="max at -23:00"),
    ],
)
def test_an_apology_cannot_set_a_new_appointment_past_the_calendar(
    app: OneStopShop, new_due: datetime
) -> None:
    error = refused(
        app,
        CODE,
        InvalidInputError,
        lambda: app.issue_apology(
            CODE, agency=COUNTER, new_due=new_due, reason="cần xác minh", at=LATER
        ),
    )
    assert str(error).startswith("new_due: ")


@pytest.mark.parametrize("limit", ["0 ngày làm việc", "0 giờ làm việc", "0 ngày", "0 tháng"])
def test_a_legal_limit_of_zero_is_refused_at_receipt(app: OneStopShop, limit: str) -> None:
    error = refused(
        app,
        FRESH,
        InvalidInputError,
        lambda: app.receive(LAND, agency=COUNTER, code=FRESH, at=T0, limit=limit),
    )
    assert str(error).startswith(f"limit: a legal time limit must be more than zero, got '{limit}")


@pytest.mark.parametrize("command_id", ["", "   ", 42])
def test_an_empty_or_non_text_command_id_is_refused(app: OneStopShop, command_id: object) -> None:
    error = refused(
        app,
        FRESH,
        InvalidInputError,
        lambda: app.receive(LAND, agency=COUNTER, at=T0, command_id=command_id),  # type: ignore[arg-type]
    )
    assert str(error).startswith("command_id: expected a non-empty text that identifies")


@pytest.mark.parametrize(
    ("field", "command"),
    [
        pytest.param(
            "dossier code",
            lambda app, v: app.resolve(v, agency=COUNTER, at=LATER),
            id="dossier code",
        ),
        pytest.param(
            "time limit",
            lambda app, v: app.receive(LAND, agency=COUNTER, code=FRESH, at=T0, limit=v),
            id="limit",
        ),
        pytest.param(
            "at", lambda app, v: app.resolve(CODE, agency=COUNTER, at=v), id="at given as text"
        ),
        pytest.param(
            "channel",
            lambda app, v: app.receive(LAND, agency=COUNTER, code=FRESH, at=T0, channel=v),
            id="channel",
        ),
    ],
)
def test_an_error_never_repeats_megabytes_of_the_value_it_refuses(
    app: OneStopShop, field: str, command: Callable[[OneStopShop, object], Any]
) -> None:
    error = refused(app, CODE, InvalidInputError, lambda: command(app, "9" * 5_000_000))
    assert str(error).startswith(field)
    assert len(str(error)) < 300


@pytest.mark.parametrize(
    ("forward", "message"),
    [
        pytest.param({"to_step": 5}, "to_step: expected text, got int 5", id="to_step"),
        pytest.param(
            {"to_step": "check", "to_agency": 41},
            "to_agency: expected an agency code like 000.00.10.H41, got int 41",
            id="to_agency",
        ),
    ],
)
def test_a_bad_target_of_a_forward_is_named_as_the_argument_given(
    app: OneStopShop, forward: dict[str, object], message: str
) -> None:
    error = refused(
        app, CODE, InvalidInputError, lambda: app.forward(CODE, agency=COUNTER, at=LATER, **forward)
    )
    assert str(error) == message


def test_a_limit_whose_due_leaves_the_calendar_is_refused_naming_the_limit(
    app: OneStopShop,
) -> None:
    error = refused(
        app,
        FRESH,
        CalendarRangeError,
        lambda: app.receive(LAND, agency=COUNTER, code=FRESH, at=T0, limit="99999 ngày làm việc"),
    )
    assert str(error).startswith("limit: 99999 ngày làm việc: counting from 2025-04-14 runs past")


def test_a_step_share_whose_due_leaves_the_calendar_is_refused_naming_the_share(
    app: OneStopShop,
) -> None:
    error = refused(
        app,
        CODE,
        CalendarRangeError,
        lambda: app.start_step(
            CODE, "extra", agency=COUNTER, allotted="9999 ngày làm việc", at=LATER
        ),
    )
    assert str(error).startswith("allotted: 9999 ngày làm việc: counting from")
