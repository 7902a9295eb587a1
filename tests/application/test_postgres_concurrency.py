"""PostgreSQL under concurrent processes: ``tthc_engine.application.postgres`` (ADR 0008).

Writers are separate processes (``spawn``), as in a deployment; they import this module
for :func:`write_batches`, :func:`write_singly` and :func:`construct_at_once`. The
follower reads the notification log the way ``DueIndex`` does: ``notification_log.select``
after a tracked position, ``inclusive_of_start=False``.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from multiprocessing.synchronize import Barrier
from typing import Any

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import InfrastructureFactory

from tthc_engine.application.postgres import OrderedPostgresFactory

pytestmark = pytest.mark.postgres

ORDERED = "tthc_engine.application.postgres"
PAYLOAD = "hồ sơ " * 40
"""About 250 bytes of state per event, the size of a small dossier event."""
PROCESS_TIMEOUT = 120.0
"""Bound on any wait for a child process; a healthy run takes seconds."""

spawn = multiprocessing.get_context("spawn")


class Entry(Aggregate):
    """A trivial aggregate: one event per instance."""

    @event("Written")
    def __init__(self, writer: str, text: str) -> None:
        self.writer = writer
        self.text = text


class Ledger(Application[Any]):
    """A plain eventsourcing application with snapshots (two tables)."""

    is_snapshotting_enabled = True


@pytest.fixture
def ordered_env(postgres_env: dict[str, str]) -> dict[str, str]:
    return {**postgres_env, "PERSISTENCE_MODULE": ORDERED}


@pytest.fixture
def ledger(ordered_env: dict[str, str]) -> Iterator[Ledger]:
    app = Ledger(env=ordered_env)
    yield app
    app.close()


# -- child processes ---------------------------------------------------------------------
def write_batches(env: dict[str, str], batches: int, size: int, start: Barrier) -> None:
    app = Ledger(env=env)
    start.wait(PROCESS_TIMEOUT)
    for _ in range(batches):
        app.save(*[Entry("batch", PAYLOAD) for _ in range(size)])
    app.close()


def write_singly(env: dict[str, str], count: int, start: Barrier) -> None:
    app = Ledger(env=env)
    start.wait(PROCESS_TIMEOUT)
    for _ in range(count):
        app.save(Entry("single", PAYLOAD))
    app.close()


def construct_at_once(env: dict[str, str], start: Barrier) -> None:
    start.wait(PROCESS_TIMEOUT)
    Ledger(env=env).close()
    factory = InfrastructureFactory.construct(env)
    factory.tracking_recorder()
    factory.process_recorder()
    factory.close()


def run_processes(*targets: tuple[Callable[..., None], tuple[Any, ...]]) -> list[int | None]:
    """Start every target in its own process and return their exit codes."""
    processes = [spawn.Process(target=target, args=args) for target, args in targets]
    for process in processes:
        process.start()
    for process in processes:
        process.join(PROCESS_TIMEOUT)
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()
    return [process.exitcode for process in processes]


class Follower(threading.Thread):
    """Tails the notification log from a tracked position until told writers are done."""

    def __init__(self, app: Application[Any]) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.writers_done = threading.Event()
        self.seen: list[int] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        log = self.app.notification_log
        position = 0
        try:
            while True:
                # Read the flag first: an empty read that began after the writers ended
                # means everything they committed has been seen.
                done = self.writers_done.is_set()
                batch = log.select(start=position, limit=log.section_size, inclusive_of_start=False)
                self.seen.extend(notification.id for notification in batch)
                if batch:
                    position = batch[-1].id
                elif done:
                    return
        except BaseException as error:  # reported by the test
            self.error = error


# -- tests -------------------------------------------------------------------------------
def test_the_module_topic_resolves_to_the_ordered_factory(ordered_env: dict[str, str]) -> None:
    factory = InfrastructureFactory.construct(ordered_env)
    try:
        assert type(factory) is OrderedPostgresFactory
    finally:
        factory.close()


def test_a_follower_sees_every_event_once_while_processes_write_batches_and_single_events(
    ledger: Ledger, ordered_env: dict[str, str]
) -> None:
    follower = Follower(ledger)
    follower.start()
    start = spawn.Barrier(3)
    exit_codes = run_processes(
        (write_batches, (ordered_env, 3, 1_500, start)),
        (write_singly, (ordered_env, 300, start)),
        (write_singly, (ordered_env, 300, start)),
    )
    follower.writers_done.set()
    follower.join(PROCESS_TIMEOUT)

    assert exit_codes == [0, 0, 0]
    assert not follower.is_alive()
    assert follower.error is None
    recorded = [n.id for n in ledger.recorder.select_notifications(start=None, limit=10**6)]
    assert len(recorded) == 3 * 1_500 + 2 * 300
    missed = sorted(set(recorded) - set(follower.seen))
    assert missed == [], f"the follower missed {len(missed)} of {len(recorded)} notifications"
    assert follower.seen == recorded


def test_processes_that_construct_the_application_at_the_same_moment_all_start(
    ordered_env: dict[str, str],
) -> None:
    processes = 8
    start = spawn.Barrier(processes)
    exit_codes = run_processes(*[(construct_at_once, (ordered_env, start))] * processes)
    assert exit_codes == [0] * processes


def test_a_twelve_thousand_five_hundred_event_save_commits_promptly(
    ledger: Ledger, ordered_env: dict[str, str]
) -> None:
    # In a child process: a save stuck in psycopg's pipeline holds the table lock with
    # the server waiting for the rest of the message; killing the process ends that
    # transaction, so the schema can still be dropped after a failure.
    alone = spawn.Barrier(1)  # referenced here until the child has unpickled it
    saver = spawn.Process(target=write_batches, args=(ordered_env, 1, 12_500, alone))
    saver.start()
    saver.join(60)
    stalled = saver.is_alive()
    if stalled:
        saver.kill()
        saver.join()

    assert not stalled, "the save did not return within 60 s"
    assert saver.exitcode == 0
    assert ledger.recorder.max_notification_id() == 12_500
