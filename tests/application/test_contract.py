"""The OneStopShop contract, run on every store: in memory, SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from freezegun import freeze_time

from tests.application.conftest import AppFactory, vn
from tthc_engine import TthcError
from tthc_engine.application import (
    DeadlineWatcher,
    DossierConflictError,
    DossierNotFoundError,
    EncryptedStoreError,
    OneStopShop,
)
from tthc_engine.application.codes import sequence_id
from tthc_engine.application.unit_of_work import UnitOfWork
from tthc_engine.domain import BusinessRuleError, Channel, Rating, Rule, Status, dossier_id
from tthc_engine.errors import UnknownProcedureError

RECEIVING = "000.00.10.H41"
LAND = "1.013831"  # land transfer registration: 8 working days, financial obligation excluded
BUSINESS = "2.001610"  # private enterprise registration: 3 working days
CODE = "000.00.10.H41-250414-0001"


def _stored_version(app: OneStopShop, code: str) -> int:
    return len(list(app.events.get(dossier_id(code))))


def test_a_received_dossier_is_stored_with_its_appointment(make_app: AppFactory) -> None:
    app = make_app()
    dossier = app.receive(
        LAND,
        agency=RECEIVING,
        at=vn(2025, 4, 14, 9),
        code=CODE,
        applicant={"name": "Nguyễn Văn An"},
    )
    assert dossier.status is Status.RECEIVED
    # 10 working days (the version in force in April 2025); Saturday 26/04 is worked
    assert dossier.original_due == vn(2025, 4, 26, 9)
    again = make_app().dossier(CODE)  # a new application on the same store when it persists
    assert again == app.dossier(CODE)
    slip = make_app().receipt_slip(CODE)
    assert slip["due_at"] == "2025-04-26T09:00:00+07:00"
    assert slip["title"] == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"


def test_a_full_lifecycle_ends_with_the_result_returned_on_time(app: OneStopShop) -> None:
    app.receive(
        BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE, channel=Channel.ONLINE
    )
    app.forward(CODE, agency=RECEIVING, at=vn(2025, 4, 14, 9, 5))
    app.forward(CODE, agency=RECEIVING, at=vn(2025, 4, 14, 11))  # receive → register
    app.forward(CODE, agency="000.00.20.H41", at=vn(2025, 4, 15, 15))  # register → return
    app.finish_step(CODE, agency=RECEIVING, at=vn(2025, 4, 16, 8))
    app.resolve(CODE, agency=RECEIVING, at=vn(2025, 4, 16, 8, 5))
    app.return_result(CODE, agency=RECEIVING, channel="online", at=vn(2025, 4, 16, 9))
    app.record_feedback(
        CODE, agency=RECEIVING, rating=Rating.VERY_SATISFIED, at=vn(2025, 4, 16, 10)
    )
    dossier = app.dossier(CODE)
    assert dossier.status is Status.RETURNED
    # the control slip compares working time used with the share: 1h55 of 4h, 10h of 16h,
    # 3h of 4h (not dates: the first and last finish on their due's date, yet early)
    assert [s.timeliness.value for s in dossier.steps if s.timeliness] == [
        "early",
        "early",
        "early",
    ]
    assert dossier.timeliness(app.calendar).value == "early"
    assert [h["agency"] for h in app.control_slip(CODE)["handoffs"]] == [
        RECEIVING,
        "000.00.20.H41",
        RECEIVING,
    ]


def test_a_repeated_command_id_changes_nothing(app: OneStopShop) -> None:
    app.receive(LAND, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE, command_id="rcv-1")
    app.receive(LAND, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE, command_id="rcv-1")
    app.forward(CODE, agency=RECEIVING, at=vn(2025, 4, 14, 10), command_id="fwd-1")
    version = _stored_version(app, CODE)
    app.forward(CODE, agency=RECEIVING, at=vn(2025, 4, 14, 10), command_id="fwd-1")
    app.record_payment(
        CODE,
        agency=RECEIVING,
        amount=50_000,
        online=True,
        at=vn(2025, 4, 14, 11),
        command_id="pay-1",
    )
    app.record_payment(
        CODE,
        agency=RECEIVING,
        amount=50_000,
        online=True,
        at=vn(2025, 4, 14, 11),
        command_id="pay-1",
    )
    assert _stored_version(app, CODE) == version + 1
    assert len(app.dossier(CODE).payments) == 1


def test_a_second_receipt_of_the_same_code_is_refused(app: OneStopShop) -> None:
    app.receive(LAND, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    with pytest.raises(BusinessRuleError) as caught:
        app.receive(LAND, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    assert caught.value.rule is Rule.ALREADY_RECEIVED


def test_concurrent_writers_to_one_dossier_one_wins_the_other_gets_a_conflict(
    make_app: AppFactory,
) -> None:
    first = make_app()
    first.receive(LAND, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    slow = UnitOfWork(make_app())  # a writer that read the dossier before the other wrote
    stale = slow.dossier(CODE)
    first.record_payment(CODE, agency=RECEIVING, amount=1, online=False, at=vn(2025, 4, 14, 10))
    stale.record_payment(at=vn(2025, 4, 14, 10), agency=RECEIVING, amount=2, online=True)
    with pytest.raises(DossierConflictError, match=f"dossier {CODE}: changed by another writer"):
        slow.commit()
    assert [p.amount for p in first.dossier(CODE).payments] == [1]


def test_generated_codes_are_unique_under_concurrent_writers(make_app: AppFactory) -> None:
    apps = [make_app(), make_app()]  # two applications on one store (one in memory)
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(app: OneStopShop) -> None:
        try:
            for _ in range(12):
                code = app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9)).code
                with lock:
                    codes.append(code)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(codes) == 24
    assert sorted(codes) == [f"{RECEIVING}-250414-{n:04d}" for n in range(1, 25)]


def test_a_busy_day_of_codes_reads_a_snapshot_not_the_whole_sequence(app: OneStopShop) -> None:
    for n in range(1, 61):
        code = app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9)).code
        assert code == f"{RECEIVING}-250414-{n:04d}"
    sequence = sequence_id(RECEIVING, vn(2025, 4, 14).date())
    snapshots = list(app.snapshots.get(sequence)) if app.snapshots else []
    assert [s.originator_version for s in snapshots][-1:] == [50]
    assert app.next_code(RECEIVING, vn(2025, 4, 14).date()).sequence == 61


def test_issued_codes_skip_numbers_taken_by_explicit_codes(app: OneStopShop) -> None:
    app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=f"{RECEIVING}-250414-0002")
    app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=f"{RECEIVING}-250414-0003")
    issued = [app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9)).code for _ in range(2)]
    with app.batch() as batch:
        issued.append(batch.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9)).code)
    assert issued == [f"{RECEIVING}-250414-{n:04d}" for n in (1, 4, 5)]


def test_an_unknown_dossier_is_a_clear_error(app: OneStopShop) -> None:
    with pytest.raises(DossierNotFoundError, match=r"000\.00\.10\.H41-250414-0009: not found"):
        app.resolve("000.00.10.H41-250414-0009", agency=RECEIVING, at=vn(2025, 4, 14, 9))


def test_an_unknown_procedure_is_refused_and_nothing_is_written(app: OneStopShop) -> None:
    with pytest.raises(UnknownProcedureError, match=r"1\.013830"):
        app.receive("1.013830", agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    with pytest.raises(DossierNotFoundError):
        app.dossier(CODE)


def test_the_watcher_marks_an_overdue_dossier_exactly_once(make_app: AppFactory) -> None:
    app = make_app()
    app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    app.forward(CODE, agency=RECEIVING, at=vn(2025, 4, 14, 10))
    watcher = DeadlineWatcher(app)
    assert watcher.tick(vn(2025, 4, 17, 16)).overdue == ()  # due Thu 17/04 09:00: same date
    first = watcher.tick(vn(2025, 4, 18, 8))
    assert first.overdue == (CODE,)
    assert watcher.tick(vn(2025, 4, 18, 8)).overdue == ()
    assert DeadlineWatcher(make_app()).tick(vn(2025, 4, 21, 8)).overdue == ()
    dossier = make_app().dossier(CODE)
    assert dossier.overdue_at == vn(2025, 4, 18, 8)
    assert (
        sum(1 for e in app.events.get(dossier_id(CODE)) if type(e).__name__ == "BecameOverdue") == 1
    )


def test_due_soon_warnings_are_given_once_per_due(app: OneStopShop) -> None:
    app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    watcher = DeadlineWatcher(app, warn_within=1)
    assert watcher.tick(vn(2025, 4, 14, 10)).due_soon == ()
    warned = watcher.tick(vn(2025, 4, 16, 10)).due_soon
    assert [w.code for w in warned] == [CODE]
    assert watcher.tick(vn(2025, 4, 16, 11)).due_soon == ()
    assert [i.code for i in app.due_soon(vn(2025, 4, 16, 11))] == [CODE]


def test_overdue_lists_open_dossiers_past_their_legal_due_only(app: OneStopShop) -> None:
    app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    other = "000.00.10.H41-250414-0002"
    app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=other)
    app.resolve(other, agency=RECEIVING, at=vn(2025, 4, 15, 9))
    assert [i.code for i in app.overdue(vn(2025, 4, 18, 9))] == [CODE]
    assert app.overdue(vn(2025, 4, 17, 9)) == []


def test_a_batch_saves_all_commands_in_one_transaction_or_nothing(app: OneStopShop) -> None:
    with app.batch() as batch:
        for _ in range(3):
            batch.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9))
        batch.forward(f"{RECEIVING}-250414-0001", agency=RECEIVING, at=vn(2025, 4, 14, 10))
    assert app.dossier(f"{RECEIVING}-250414-0003").status is Status.RECEIVED
    assert app.dossier(f"{RECEIVING}-250414-0001").status is Status.PROCESSING

    def failing_batch() -> None:
        with app.batch() as batch:
            batch.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 15, 9))
            batch.resolve(f"{RECEIVING}-250414-0002", agency=RECEIVING, at=vn(2025, 4, 14, 8))

    with pytest.raises(TthcError, match="TIME_RUNS_FORWARD"):
        failing_batch()
    with pytest.raises(DossierNotFoundError):
        app.dossier(f"{RECEIVING}-250415-0001")


def test_business_time_comes_from_the_command_or_the_injected_clock(
    make_app: AppFactory,
) -> None:
    times = iter([vn(2025, 4, 14, 9), vn(2025, 4, 15, 10)])
    app = make_app(clock=lambda: next(times))
    with freeze_time("2031-01-01 12:00:00"):  # the wall clock is never read by the engine
        dossier = app.receive(BUSINESS, agency=RECEIVING, code=CODE)
        app.resolve(CODE, agency=RECEIVING)
    assert dossier.received_at == vn(2025, 4, 14, 9)
    assert app.dossier(CODE).resolved_at == vn(2025, 4, 15, 10)


def test_an_online_submission_starts_the_clock_only_at_receipt(app: OneStopShop) -> None:
    app.submit(
        BUSINESS,
        agency=RECEIVING,
        at=vn(2025, 4, 12, 21),
        code=CODE,
        applicant={"name": "Trần Thị Bình"},
    )
    with pytest.raises(BusinessRuleError) as caught:
        app.resolve(CODE, agency=RECEIVING, at=vn(2025, 4, 13, 9))
    assert caught.value.rule is Rule.NOTHING_BEFORE_RECEIPT
    dossier = app.receive(
        BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 8), code=CODE, channel="online"
    )
    assert dossier.submitted_at == vn(2025, 4, 12, 21)
    assert dossier.original_due == vn(2025, 4, 17, 8)
    assert dossier.applicant == {"name": "Trần Thị Bình"}


@pytest.mark.parametrize("store_env", ["sqlite", "postgres"], indirect=True)
def test_stored_events_are_encrypted_with_a_cipher_key(
    make_app: AppFactory, store_env: dict[str, str]
) -> None:
    key = OneStopShop.create_cipher_key()
    env = {"CIPHER_KEY": key, "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor"}
    app = make_app(env=env)
    app.receive(
        LAND,
        agency=RECEIVING,
        at=vn(2025, 4, 14, 9),
        code=CODE,
        applicant={"name": "Nguyễn Văn An", "id_number": "040123456789"},
    )
    raw = b"".join(bytes(s.state) for s in app.recorder.select_events(dossier_id(CODE)))
    assert b"040123456789" not in raw
    assert "Nguyễn".encode() not in raw
    assert make_app(env=env).dossier(CODE).applicant["id_number"] == "040123456789"
    with pytest.raises(EncryptedStoreError, match="CIPHER_KEY is not the key"):
        make_app(
            env={
                "CIPHER_KEY": OneStopShop.create_cipher_key(),
                "COMPRESSOR_TOPIC": env["COMPRESSOR_TOPIC"],
            }
        ).dossier(CODE)


def _received_at(app: OneStopShop) -> datetime | None:  # pragma: no cover - helper for typing
    return app.dossier(CODE).received_at


@pytest.mark.parametrize("store_env", ["sqlite", "postgres"], indirect=True)
def test_a_large_batch_commits_in_one_transaction(make_app: AppFactory) -> None:
    app = make_app()
    outcome: list[object] = []

    def bulk() -> None:
        try:
            with app.batch() as batch:
                for _ in range(2500):
                    code = batch.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9)).code
                    batch.forward(code, agency=RECEIVING, at=vn(2025, 4, 14, 10))
                    batch.forward(code, agency=RECEIVING, at=vn(2025, 4, 14, 11))
                    batch.resolve(code, agency="000.00.20.H41", at=vn(2025, 4, 14, 15))
            outcome.append("committed")
        except BaseException as exc:  # pragma: no cover - reported below
            outcome.append(exc)

    worker = threading.Thread(target=bulk, daemon=True)
    worker.start()
    worker.join(timeout=120)  # a hung commit fails the test instead of the CI run
    assert outcome == ["committed"]
    assert app.recorder.max_notification_id() is not None
    assert app.recorder.max_notification_id() >= 2500 * 5
    assert app.dossier(f"{RECEIVING}-250414-2500").status is Status.RESOLVED


def test_overdue_follows_a_legal_due_that_a_supplement_or_an_excluded_pause_moved(
    app: OneStopShop,
) -> None:
    # BUSINESS: 3 working days from Mon 14/04 09:00, due Thu 17/04 09:00; its supplements
    # restart the count: received back Mon 21/04 09:00, it is due Thu 24/04 09:00.
    app.receive(BUSINESS, agency=RECEIVING, at=vn(2025, 4, 14, 9), code=CODE)
    app.request_supplement(CODE, agency=RECEIVING, reason="thiếu", at=vn(2025, 4, 15, 9))
    app.receive_supplement(CODE, agency=RECEIVING, at=vn(2025, 4, 21, 9))
    assert app.dossier(CODE).legal_due == vn(2025, 4, 24, 9)
    assert app.overdue(vn(2025, 4, 24, 16)) == []
    assert [i.code for i in app.overdue(vn(2025, 4, 25, 9))] == [CODE]
    # LAND (10 working days, due Sat 26/04 09:00) excludes the wait for the financial
    # obligation: 15/04 09:00 → 21/04 09:00 is 4 working days, so the due moves to 28, 29/04,
    # 05 and 06/05 (30/04–04/05 off): Tue 06/05 09:00.
    land = app.receive(LAND, agency=RECEIVING, at=vn(2025, 4, 14, 9)).code
    app.pause(land, agency=RECEIVING, reason="financial_obligation", at=vn(2025, 4, 15, 9))
    app.resume(land, agency=RECEIVING, at=vn(2025, 4, 21, 9))
    assert app.dossier(land).legal_due == vn(2025, 5, 6, 9)
    assert land not in [i.code for i in app.overdue(vn(2025, 5, 6, 16))]
    assert land in [i.code for i in app.overdue(vn(2025, 5, 7, 9))]
