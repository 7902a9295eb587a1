"""A batch gives the state that the same commands give one by one (issue 7 §1).

Random sequences of commands — valid and refused ones, on several dossiers opened under
issued and explicit codes — run one by one on one application and inside ``app.batch()``
on another (same clock and catalog, each on its own in-memory SQLite database). Each
command must have the same outcome on both (the same error, or success); a refused
command inside the batch must leave every dossier of the batch as it was; after the
commit the stores hold the same events, every dossier has the same state, and the next
issued code is the same (a refused command consumed no code number).

Then the cases the issue names, as plain tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.robustness.conftest import CATALOG, NOW, vn
from tests.robustness.hostile import state
from tthc_engine import BusinessRuleError, InvalidInputError, OneStopShop, Rule, TthcError
from tthc_engine.application import Batch
from tthc_engine.domain import Dossier

COUNTER = "000.00.10.H41"
REGISTRY = "000.00.20.H41"
BUSINESS = "2.001610"  # receive (counter) → register (REGISTRY) → return; 3 working days
LAND = "1.012753"  # receive (counter) → check → site → approve → record → return
T0 = vn(2025, 7, 1, 8)
EXPLICIT = tuple(f"{COUNTER}-250701-{n:04d}" for n in (3, 5))
"""Codes opened explicitly; issued codes skip them."""


def memory_app() -> OneStopShop:
    """An application on a fresh in-memory SQLite database."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:"}
    return OneStopShop(env=env, catalog=CATALOG, clock=lambda: NOW)


# -- the commands -------------------------------------------------------------------------
@attrs.frozen
class Step:
    """One command: ``name`` on dossier ``target`` (for an opening: ``new`` for an issued
    code, or an explicit code; otherwise ``k``: the k-th dossier this run opened, modulo
    how many it opened), ``minutes`` after the previous command, with ``options``."""

    name: str
    target: str | int
    minutes: int
    options: tuple[Any, ...]


AGENCY = st.sampled_from((COUNTER, REGISTRY))
TEXT = st.sampled_from(("Thiếu bản sao", "a\ud800b", "", "x" * 2001))
OPTIONS: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "receive": st.tuples(st.sampled_from((BUSINESS, LAND, "9.999999")), st.booleans()),
    "submit": st.tuples(st.sampled_from((BUSINESS, "9.999999"))),
    "refuse": st.tuples(TEXT),
    "start_step": st.tuples(st.sampled_from(("receive", "register", "check", "nope"))),
    "finish_step": st.tuples(AGENCY),
    "forward": st.tuples(AGENCY, st.sampled_from((None, None, "register", "return", "nope"))),
    "request_supplement": st.tuples(AGENCY, TEXT, st.sampled_from(((), ["Điều lệ"], "abc"))),
    "receive_supplement": st.tuples(AGENCY),
    "pause": st.tuples(st.sampled_from(("financial_obligation", "public_posting", "holiday"))),
    "resume": st.tuples(AGENCY),
    "resolve": st.tuples(AGENCY),
    "return_result": st.tuples(st.sampled_from(("counter", "fax"))),
    "withdraw": st.tuples(TEXT),
    "stop": st.tuples(TEXT),
    "issue_apology": st.tuples(AGENCY, st.integers(-1, 8)),
    "record_feedback": st.tuples(TEXT, st.sampled_from((False, "no"))),
    "record_payment": st.tuples(st.sampled_from((50_000, -1, 1.5))),
}
OPENING = ("receive", "submit", "refuse")
NAMES = (*sorted(OPTIONS), "forward", "forward", "forward", "start_step", "resolve", "resolve")
"""The commands drawn, those that move a dossier on more often."""


@st.composite
def steps(draw: st.DrawFn) -> Step:
    name = draw(st.sampled_from(NAMES))
    target: str | int
    if name in OPENING:
        target = draw(st.sampled_from(("new", "new", *EXPLICIT)))
    else:
        target = draw(st.integers(0, 3))
    minutes = draw(st.sampled_from((0, 5, 5, 30, 30, 90, 24 * 60, -30)))
    return Step(name, target, minutes, draw(OPTIONS[name]))


class Run:
    """The dossiers one run opened, and how it calls a step on ``on`` (an app or a batch)."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.at = T0

    def code(self, target: str | int) -> str | None:
        if target == "new":
            return None
        if isinstance(target, int):
            return self.opened[target % len(self.opened)] if self.opened else EXPLICIT[0]
        return target

    def call(self, on: OneStopShop | Batch, step: Step) -> str:
        """Run ``step``; return ``"ok"`` or the error's class and message."""
        self.at = max(T0, self.at + timedelta(minutes=step.minutes))
        try:
            dossier = self._call(on, step, self.code(step.target), self.at)
        except TthcError as error:
            return f"{type(error).__name__}: {error}"
        if step.name in OPENING and dossier.code not in self.opened:
            self.opened.append(dossier.code)
        return "ok"

    @staticmethod
    def _call(on: Any, step: Step, code: str | None, at: datetime) -> Dossier:
        o = step.options
        match step.name:
            case "receive":
                return on.receive(o[0], agency=COUNTER, code=code, at=at, channel="counter")
            case "submit":
                return on.submit(o[0], agency=COUNTER, code=code, at=at)
            case "refuse":
                return on.refuse(code, agency=COUNTER, reason=o[0], procedure=BUSINESS, at=at)
            case "start_step":
                return on.start_step(code, o[0], at=at)
            case "finish_step":
                return on.finish_step(code, agency=o[0], at=at)
            case "forward":
                return on.forward(code, agency=o[0], to_step=o[1], at=at)
            case "request_supplement":
                return on.request_supplement(code, agency=o[0], reason=o[1], items=o[2], at=at)
            case "receive_supplement":
                return on.receive_supplement(code, agency=o[0], at=at)
            case "pause":
                return on.pause(code, agency=COUNTER, reason=o[0], at=at)
            case "resume":
                return on.resume(code, agency=COUNTER, at=at)
            case "resolve":
                return on.resolve(code, agency=o[0], at=at)
            case "return_result":
                return on.return_result(code, agency=COUNTER, channel=o[0], at=at)
            case "withdraw":
                return on.withdraw(code, agency=COUNTER, reason=o[0], at=at)
            case "stop":
                return on.stop(code, agency=COUNTER, reason=o[0], at=at)
            case "issue_apology":
                new_due = at + timedelta(days=o[1])
                return on.issue_apology(
                    code, agency=o[0], new_due=new_due, reason="Xác minh", at=at
                )
            case "record_feedback":
                return on.record_feedback(
                    code, agency=COUNTER, rating="satisfied", comment=o[0], complaint=o[1], at=at
                )
            case "record_payment":
                return on.record_payment(code, agency=COUNTER, amount=o[0], online=True, at=at)
        raise AssertionError(step.name)  # pragma: no cover


def codes_of(run: Run) -> list[str]:
    return sorted({*run.opened, *EXPLICIT})


def states(on: OneStopShop | Batch, codes: list[str]) -> dict[str, object]:
    """Each dossier's state as ``on`` sees it (None: not opened)."""
    seen: dict[str, object] = {}
    for code in codes:
        try:
            seen[code] = state(on.dossier(code))
        except TthcError:
            seen[code] = None
    return seen


OPENERS = st.builds(
    Step,
    name=st.just("receive"),
    target=st.sampled_from(("new", "new", *EXPLICIT)),
    minutes=st.just(5),
    options=st.tuples(st.sampled_from((BUSINESS, BUSINESS, LAND)), st.just(True)),
)
"""Most sequences start by receiving a few dossiers, so that later commands find some."""


@given(st.lists(OPENERS, min_size=1, max_size=3), st.lists(steps(), min_size=1, max_size=25))
def test_commands_in_a_batch_give_the_state_they_give_one_by_one(
    openers: list[Step], later: list[Step]
) -> None:
    sequence = openers + later
    one_by_one, batched = memory_app(), memory_app()
    single, bulk = Run(), Run()
    expected = [single.call(one_by_one, step) for step in sequence]
    accepted = expected[len(openers) :].count("ok")
    event(f"accepted after the receipts: {min(accepted, 6)}{'+' if accepted >= 6 else ''}")
    event(f"refused: {'none' if expected.count('ok') == len(expected) else 'some'}")
    with batched.batch() as batch:
        for step, outcome in zip(sequence, expected, strict=True):
            before = states(batch, codes_of(bulk))
            got = bulk.call(batch, step)
            assert got == outcome, f"{step}: one by one {outcome!r}, in the batch {got!r}"
            if got != "ok":
                assert states(batch, codes_of(bulk)) == before, f"refused {step} changed the batch"
    assert bulk.opened == single.opened
    assert states(batched, codes_of(bulk)) == states(one_by_one, codes_of(single))
    assert batched.recorder.max_notification_id() == one_by_one.recorder.max_notification_id()
    day = T0.date()
    assert batched.next_code(COUNTER, day) == one_by_one.next_code(COUNTER, day)


# -- the cases of the issue -----------------------------------------------------------------
@pytest.fixture
def app() -> Iterator[OneStopShop]:
    shop = memory_app()
    yield shop
    shop.close()


def test_a_forward_to_an_unknown_step_in_a_batch_commits_no_implicit_finish(
    app: OneStopShop,
) -> None:
    with app.batch() as batch:
        code = batch.receive(BUSINESS, agency=COUNTER, at=vn(2025, 7, 1, 9)).code
        batch.start_step(code, "receive", at=vn(2025, 7, 1, 9))
        with pytest.raises(BusinessRuleError) as caught:
            batch.forward(code, agency=COUNTER, to_step="nope", at=vn(2025, 7, 1, 10))
        assert caught.value.rule is Rule.UNKNOWN_STEP
        batch.record_payment(code, agency=COUNTER, amount=1, online=False, at=vn(2025, 7, 1, 11))
    stored = app.dossier(code)
    assert [(s.key, s.finished_at) for s in stored.steps] == [("receive", None)]
    assert [type(e).__name__ for e in app.repository.event_store.get(stored.id)] == [
        "Received",
        "StepStarted",
        "FeePaid",
    ]


def test_a_refused_receive_in_a_batch_consumes_no_code_number(app: OneStopShop) -> None:
    at = vn(2025, 7, 1, 9)
    with app.batch() as batch:
        first = batch.receive(BUSINESS, agency=COUNTER, at=at).code
        with pytest.raises(TthcError):
            batch.receive("9.999999", agency=COUNTER, at=at)
        with pytest.raises(InvalidInputError):
            batch.receive(BUSINESS, agency=COUNTER, at=at, applicant={"name": "\ud800"})
        second = batch.receive(BUSINESS, agency=COUNTER, at=at).code
    assert (first, second) == (f"{COUNTER}-250701-0001", f"{COUNTER}-250701-0002")
    assert str(app.next_code(COUNTER, at.date())) == f"{COUNTER}-250701-0003"


def test_a_lone_surrogate_is_refused_at_the_command_and_the_batch_still_commits(
    app: OneStopShop,
) -> None:
    with app.batch() as batch:
        code = batch.receive(BUSINESS, agency=COUNTER, at=vn(2025, 7, 1, 9)).code
        with pytest.raises(InvalidInputError, match=r"^comment: .*lone surrogate"):
            batch.record_feedback(
                code, agency=COUNTER, rating="satisfied", comment="tốt\ud800", at=vn(2025, 7, 1, 10)
            )
        batch.withdraw(code, agency=COUNTER, reason="Xin rút", at=vn(2025, 7, 1, 11))
    stored = app.dossier(code)
    assert stored.feedback == []
    assert stored.outcome == "Xin rút"
