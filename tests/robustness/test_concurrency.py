"""Concurrent writers (issue 7 §3), on an SQLite file and on PostgreSQL.

Four deadline watchers tick at once in separate processes: none of them sees a raw
``IntegrityError`` (the watcher saves through the application's unit of work, which
translates conflicts), and every overdue dossier gets exactly one ``BecameOverdue``. A
batch that loses a race names the dossier (or the code sequence) that really changed, not
one the batch was opening, and writes nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.robustness import workers
from tests.robustness.conftest import AppFactory, last_id, vn
from tthc_engine import OneStopShop
from tthc_engine.application import DossierConflictError
from tthc_engine.domain import Dossier

COUNTER = "000.00.10.H41"
BUSINESS = "2.001610"
T0 = vn(2025, 7, 1, 9)
NOW = vn(2025, 8, 1, 9)  # a month after: every dossier received at T0 is overdue
DOSSIERS = 40


def _overdue_events(app: OneStopShop) -> Counter[str]:
    """How many BecameOverdue events each dossier has in the store."""
    notifications = app.recorder.select_notifications(
        start=1, limit=100_000, topics=[Dossier.BecameOverdue.TOPIC]
    )
    return Counter(str(n.originator_id) for n in notifications)


def test_four_watchers_ticking_at_once_in_processes_mark_each_dossier_once(
    make_app: AppFactory, store: dict[str, str]
) -> None:
    app = make_app()
    with app.batch() as batch:
        codes = [batch.receive(BUSINESS, agency=COUNTER, at=T0).code for _ in range(DOSSIERS)]
    reports = workers.run_together(workers.tick, 4, store, NOW, 3)
    errors = [value for kind, value in reports if kind != "ok"]
    assert errors == [], "a watcher raised"
    marked = [code for _, (codes_marked, _) in reports for code in codes_marked]
    failed = [failure for _, (_, failures) in reports for failure in failures]
    assert sorted(marked) == sorted(codes), "each dossier marked by exactly one watcher"
    assert failed == []
    per_dossier = _overdue_events(app)
    assert len(per_dossier) == DOSSIERS
    assert set(per_dossier.values()) == {1}


def test_a_batch_conflict_names_the_dossier_another_writer_changed(
    make_app: AppFactory,
) -> None:
    app, other = make_app(), make_app()
    changed = app.receive(BUSINESS, agency=COUNTER, at=T0).code
    written = last_id(app)

    def racing() -> None:
        with app.batch() as batch:
            for n in range(3):
                batch.receive(BUSINESS, agency=COUNTER, at=T0, code=f"{COUNTER}-250702-{n + 1:04d}")
            batch.receive(BUSINESS, agency=COUNTER, at=T0)  # an issued code too
            at = vn(2025, 7, 1, 10)
            batch.record_payment(changed, agency=COUNTER, amount=1, online=True, at=at)
            other.record_payment(changed, agency=COUNTER, amount=2, online=True, at=at)

    with pytest.raises(DossierConflictError) as caught:
        racing()
    assert (caught.value.what, caught.value.code) == ("dossier", changed)
    assert str(caught.value).startswith(f"dossier {changed}: changed by another writer")
    assert last_id(app) == written + 1, "only the other writer's payment was stored"


def test_a_batch_conflict_on_a_code_names_that_code(make_app: AppFactory) -> None:
    app, other = make_app(), make_app()
    taken = f"{COUNTER}-250702-0002"

    def racing() -> None:
        with app.batch() as batch:
            batch.receive(BUSINESS, agency=COUNTER, at=T0, code=f"{COUNTER}-250702-0001")
            batch.receive(BUSINESS, agency=COUNTER, at=T0, code=taken)
            other.receive(BUSINESS, agency=COUNTER, at=T0, code=taken)

    with pytest.raises(DossierConflictError) as caught:
        racing()
    assert caught.value.code == taken
    assert app.dossier(taken).version == 1


def test_a_batch_that_lost_the_race_for_a_code_number_names_the_days_sequence(
    make_app: AppFactory,
) -> None:
    app, other = make_app(), make_app()

    def racing() -> None:
        with app.batch() as batch:
            batch.receive(BUSINESS, agency=COUNTER, at=T0)
            other.receive(BUSINESS, agency=COUNTER, at=T0)

    with pytest.raises(DossierConflictError) as caught:
        racing()
    assert (caught.value.what, caught.value.code) == ("dossier code", f"{COUNTER}-250701-????")
    assert last_id(app) == 3, "only the other writer's receipt (sequence, issue, dossier)"


def test_a_batch_that_lost_the_race_for_its_command_id_names_the_dossier_it_was_opening(
    make_app: AppFactory,
) -> None:
    # The same command id used at two counters (different code sequences, so only the record
    # of the command id conflicts): the batch names the dossier it would have opened.
    app, other = make_app(), make_app()

    def racing() -> None:
        with app.batch() as batch:
            batch.receive(BUSINESS, agency=COUNTER, at=T0, command_id="rcv-42")
            other.receive(BUSINESS, agency="000.22.10.H41", at=T0, command_id="rcv-42")

    with pytest.raises(DossierConflictError) as caught:
        racing()
    assert (caught.value.what, caught.value.code) == (
        "command that opened dossier",
        f"{COUNTER}-250701-0001",
    )
    assert str(caught.value) == (
        f"command that opened dossier {COUNTER}-250701-0001: changed by another writer since it "
        "was read; nothing of this command was written — reload and retry (commands with a "
        "command_id apply once)"
    )
    assert app.dossier("000.22.10.H41-250701-0001").version == 1
