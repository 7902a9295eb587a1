"""What a separate process does in the concurrency tests (importable by the forkserver).

Each worker builds its own application on the shared store, waits at a barrier so that
all of them act at once, does one thing, and puts ``(kind, value)`` on a queue: ``("ok",
...)`` or ``("error", "<module>.<class>: <message>")`` for any exception, so the test sees
raw infrastructure errors that escape our translation.

The applications are built one at a time (under a lock): on PostgreSQL, processes that
start at once can fail to create the tables and functions (``InternalError: tuple
concurrently updated``, issue 7 §3, handled apart from these tests), and what these
tests race is the work, not the start-up.
"""

from __future__ import annotations

from datetime import datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier, Lock
from typing import Any

from tthc_engine import OneStopShop
from tthc_engine.application import DeadlineWatcher
from tthc_engine.catalog import Catalog

WAIT = 60.0
"""Seconds a worker waits for the others at the barrier before giving up."""


def _app(env: dict[str, str], now: datetime, lock: Lock) -> OneStopShop:
    with lock:
        return OneStopShop(env=env, catalog=Catalog.sample(), clock=lambda: now)


def _report(results: Queue[Any], barrier: Barrier, error: BaseException) -> None:
    barrier.abort()  # the others stop waiting for this one
    results.put(("error", f"{type(error).__module__}.{type(error).__name__}: {error}"))


def receive(
    env: dict[str, str],
    now: datetime,
    kwargs: dict[str, Any],
    lock: Lock,
    barrier: Barrier,
    results: Queue[Any],
) -> None:
    """``receive(**kwargs)`` once, at the same moment as the other workers."""
    try:
        app = _app(env, now, lock)
        barrier.wait(WAIT)
        results.put(("ok", app.receive(**kwargs).code))
        app.close()
    except BaseException as error:
        _report(results, error)


def tick(
    env: dict[str, str],
    now: datetime,
    ticks: int,
    lock: Lock,
    barrier: Barrier,
    results: Queue[Any],
) -> None:
    """A deadline watcher ticking ``ticks`` times at ``now``, with the other workers'."""
    try:
        app = _app(env, now, lock)
        watcher = DeadlineWatcher(app)
        barrier.wait(WAIT)
        marked: list[str] = []
        failed: list[tuple[str, str]] = []
        for _ in range(ticks):
            result = watcher.tick(now)
            marked += result.overdue
            failed += result.failed
        results.put(("ok", (marked, failed)))
        app.close()
    except BaseException as error:
        _report(results, error)


def _context() -> Any:
    """A forkserver that has imported this module (and tthc-engine) once: each worker
    forks from it, fresh (no connection or thread of the test process), without paying
    the imports again."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def run_together(target: Any, count: int, *args: Any, timeout: float = 90.0) -> list[Any]:
    """Start ``count`` processes running ``target(*args, lock, barrier, results)``;
    return their ``(kind, value)`` reports once all have finished (or fail after
    ``timeout``)."""
    ctx = _context()
    lock, barrier, results = ctx.Lock(), ctx.Barrier(count), ctx.Queue()
    processes = [
        ctx.Process(target=target, args=(*args, lock, barrier, results)) for _ in range(count)
    ]
    for process in processes:
        process.start()
    try:
        reports = [results.get(timeout=timeout) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=timeout)
            if process.is_alive():  # pragma: no cover - only when a worker hangs
                process.kill()
    return reports
