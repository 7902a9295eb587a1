"""A command carrying a command id is applied once (issue 7 §1), on SQLite and PostgreSQL.

A retried counter request (``receive(..., command_id="rcv-42")`` sent twice) returns the
dossier the first attempt opened and writes nothing: from the same application, from a
second application on the same store, and when the attempts race each other in threads
or processes. Every other command repeated with its command id writes nothing either. A
command id names one command: using it for another one is a clear error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from tests.robustness import workers
from tests.robustness.conftest import NOW, AppFactory, last_id, vn
from tthc_engine import InvalidInputError, OneStopShop
from tthc_engine.domain import Status

COUNTER = "000.00.10.H41"
REGISTRY = "000.00.20.H41"
BUSINESS = "2.001610"  # receive (counter) → register (REGISTRY) → return; 3 working days
T0 = vn(2025, 7, 1, 9)
RECEIVE = {"procedure": BUSINESS, "agency": COUNTER, "at": T0, "command_id": "rcv-42"}


@pytest.mark.parametrize(
    "opening",
    [
        pytest.param(
            lambda app, cid: app.receive(BUSINESS, agency=COUNTER, at=T0, command_id=cid),
            id="receive",
        ),
        pytest.param(
            lambda app, cid: app.submit(BUSINESS, agency=COUNTER, at=T0, command_id=cid),
            id="submit",
        ),
        pytest.param(
            lambda app, cid: app.refuse(
                agency=COUNTER, reason="Sai thẩm quyền", at=T0, command_id=cid
            ),
            id="refuse at the counter",
        ),
    ],
)
def test_a_retried_opening_under_an_issued_code_returns_the_same_dossier_and_writes_nothing(
    make_app: AppFactory, opening: Callable[[OneStopShop, str], Any]
) -> None:
    first, second = make_app(), make_app()
    opened = opening(first, "rcv-42")
    written = last_id(first)
    assert opening(first, "rcv-42").code == opened.code, "retried by the same application"
    assert opening(second, "rcv-42").code == opened.code, "retried by another application"
    assert last_id(first) == written
    assert second.dossier(opened.code).version == opened.version
    after = first.receive(BUSINESS, agency=COUNTER, at=T0)
    assert after.code == f"{COUNTER}-250701-0002", "the retries consumed no code number"


def test_a_receive_retried_inside_a_batch_returns_the_dossier_the_batch_opened(
    make_app: AppFactory,
) -> None:
    app = make_app()
    with app.batch() as batch:
        opened = batch.receive(**RECEIVE)
        assert batch.receive(**RECEIVE).code == opened.code
    assert make_app().receive(**RECEIVE).code == opened.code
    assert app.receive(BUSINESS, agency=COUNTER, at=T0).code.endswith("-0002")


def test_receives_with_one_command_id_racing_in_threads_open_one_dossier(
    make_app: AppFactory,
) -> None:
    apps = [make_app() for _ in range(6)]
    start = threading.Barrier(len(apps))
    codes: list[str] = []
    errors: list[BaseException] = []

    def attempt(app: OneStopShop) -> None:
        start.wait(timeout=30)
        try:
            codes.append(app.receive(**RECEIVE).code)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=attempt, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert codes == [f"{COUNTER}-250701-0001"] * len(apps)
    assert _received(apps[0]) == 1


def test_receives_with_one_command_id_racing_in_processes_open_one_dossier(
    make_app: AppFactory, store: dict[str, str]
) -> None:
    app = make_app()
    app.next_code(REGISTRY, T0.date())  # the tables exist before the workers start
    reports = workers.run_together(workers.receive, 4, store, NOW, RECEIVE)
    assert reports == [("ok", f"{COUNTER}-250701-0001")] * 4
    assert _received(app) == 1


def test_a_command_id_used_for_another_opening_command_is_a_clear_error(
    make_app: AppFactory,
) -> None:
    app = make_app()
    opened = app.receive(**RECEIVE)
    written = last_id(app)
    with pytest.raises(InvalidInputError) as caught:
        app.submit(BUSINESS, agency=COUNTER, at=T0, command_id="rcv-42")
    assert str(caught.value).startswith(
        f"command_id: 'rcv-42' was already applied by receive to {opened.code}"
    )
    assert last_id(app) == written


@pytest.mark.parametrize(
    ("first", "then"),
    [
        pytest.param(
            lambda app, code: app.record_payment(
                code, agency=COUNTER, amount=50_000, online=True, at=T0, command_id="cmd-1"
            ),
            lambda app, code: app.resolve(code, agency=COUNTER, at=T0, command_id="cmd-1"),
            id="payment then resolution",
        ),
        pytest.param(
            lambda app, code: app.start_step(code, "receive", at=T0, command_id="cmd-1"),
            lambda app, code: app.finish_step(code, agency=COUNTER, at=T0, command_id="cmd-1"),
            id="start then finish a step",
        ),
        pytest.param(
            lambda app, code: None,
            lambda app, code: app.record_feedback(
                code, agency=COUNTER, rating="satisfied", at=T0, command_id="rcv-1"
            ),
            id="the receipt's id on feedback",
        ),
    ],
)
def test_a_command_id_applied_to_a_dossier_by_another_command_is_refused(
    make_app: AppFactory,
    first: Callable[[OneStopShop, str], Any],
    then: Callable[[OneStopShop, str], Any],
) -> None:
    app = make_app()
    code = f"{COUNTER}-250701-0001"
    app.receive(BUSINESS, agency=COUNTER, code=code, at=T0, command_id="rcv-1")
    first(app, code)
    written = last_id(app)
    with pytest.raises(InvalidInputError, match=r"^command_id: '\S+' was already applied to "):
        then(make_app(), code)
    assert last_id(app) == written


def test_every_command_repeated_with_its_command_id_by_another_application_writes_nothing(
    make_app: AppFactory,
) -> None:
    app, retry = make_app(), make_app()
    code = f"{COUNTER}-250701-0001"
    at = iter(T0 + timedelta(minutes=5 * n) for n in range(100))
    steps: list[tuple[str, Callable[[OneStopShop, str, Any], Any]]] = [
        (
            "submit",
            lambda a, c, t: a.submit(BUSINESS, agency=COUNTER, code=code, at=t, command_id=c),
        ),
        (
            "receive",
            lambda a, c, t: a.receive(BUSINESS, agency=COUNTER, code=code, at=t, command_id=c),
        ),
        ("start_step", lambda a, c, t: a.start_step(code, "receive", at=t, command_id=c)),
        ("finish_step", lambda a, c, t: a.finish_step(code, agency=COUNTER, at=t, command_id=c)),
        ("forward", lambda a, c, t: a.forward(code, agency=COUNTER, at=t, command_id=c)),
        (
            "request_supplement",
            lambda a, c, t: a.request_supplement(
                code, agency=REGISTRY, reason="Thiếu điều lệ", items=["Điều lệ"], at=t, command_id=c
            ),
        ),
        (
            "receive_supplement",
            lambda a, c, t: a.receive_supplement(code, agency=REGISTRY, at=t, command_id=c),
        ),
        (
            "pause",
            lambda a, c, t: a.pause(
                code, agency=REGISTRY, reason="public_posting", at=t, command_id=c
            ),
        ),
        ("resume", lambda a, c, t: a.resume(code, agency=REGISTRY, at=t, command_id=c)),
        (
            "issue_apology",
            lambda a, c, t: a.issue_apology(
                code,
                agency=REGISTRY,
                new_due=vn(2025, 7, 10, 9),
                reason="Xác minh",
                at=t,
                command_id=c,
            ),
        ),
        (
            "record_feedback",
            lambda a, c, t: a.record_feedback(
                code, agency=COUNTER, rating="satisfied", at=t, command_id=c
            ),
        ),
        (
            "record_payment",
            lambda a, c, t: a.record_payment(
                code, agency=COUNTER, amount=50_000, online=True, at=t, command_id=c
            ),
        ),
        (
            "record_digitisation",
            lambda a, c, t: a.record_digitisation(
                code, agency=COUNTER, components=2, at=t, command_id=c
            ),
        ),
        ("resolve", lambda a, c, t: a.resolve(code, agency=REGISTRY, at=t, command_id=c)),
        (
            "return_result",
            lambda a, c, t: a.return_result(code, agency=COUNTER, at=t, command_id=c),
        ),
    ]
    for name, command in steps:
        when = next(at)
        done = command(app, f"{name}-1", when)
        written = last_id(app)
        again = command(retry, f"{name}-1", when)
        assert last_id(app) == written, f"a repeated {name} wrote"
        assert again.version == done.version
        late = command(retry, f"{name}-1", next(at))
        assert last_id(app) == written, f"a repeated {name} at a later time wrote"
        assert late.version == done.version
    assert app.dossier(code).status is Status.RETURNED


@pytest.mark.parametrize("ending", ["withdraw", "stop"])
def test_an_ending_repeated_with_its_command_id_writes_nothing(
    make_app: AppFactory, ending: str
) -> None:
    app = make_app()
    code = app.receive(BUSINESS, agency=COUNTER, at=T0).code
    end = getattr(app, ending)
    end(code, agency=COUNTER, reason="Công dân xin rút", at=T0, command_id="end-1")
    written = last_id(app)
    again = getattr(make_app(), ending)
    again(code, agency=COUNTER, reason="Công dân xin rút", at=T0, command_id="end-1")
    assert last_id(app) == written


def _received(app: OneStopShop) -> int:
    """How many Received events the store holds."""
    from tthc_engine.domain import Dossier

    notifications = app.recorder.select_notifications(
        start=1, limit=10_000, topics=[Dossier.Received.TOPIC]
    )
    return len(notifications)
