"""What a refused command says, word for word: the action, the rule, the field and the value
(issue 12, mutation testing)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from tests.domain.test_edges import _opened
from tests.domain.test_judgements import (
    apology,
    dossier,
    forward,
    resolve,
)
from tests.domain.test_rules import CAL, CENTRE, CODE, DEPT, PPC, given, refused, start, vn
from tests.domain.whole import _submitted
from tthc_engine.domain import Dossier, Rule, inputs
from tthc_engine.domain.values import DossierCode
from tthc_engine.errors import InvalidInputError


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
