"""What ordered inserts cost on PostgreSQL (ADR 0008): eventsourcing's two insert paths
next to ``tthc_engine.application.postgres``, measured in one run.

Configurations, each in a fresh schema of the TTHC_PG_* database:

* ``eventsourcing.postgres`` — eventsourcing's default: ``LOCK TABLE … EXCLUSIVE``, ``NOTIFY``
  and ``INSERT`` sent through a psycopg pipeline in one transaction;
* ``eventsourcing.postgres + DB functions`` — ``POSTGRES_ENABLE_DB_FUNCTIONS=y`` (what
  ``OneStopShop`` shipped): one call of ``es_insert_events_uuid``, no lock;
* ``tthc_engine.application.postgres`` — one call of ``tthc_insert_<table>``: lock,
  ``NOTIFY`` and ``INSERT`` in one statement.

Measurements (a plain eventsourcing ``Application`` saving a trivial aggregate whose one
event carries ~250 bytes, the size of a small dossier event; every writer is its own
process, started with ``spawn`` and released together by a barrier; times from
``time.perf_counter``):

* ``1 writer``: N saves of one event each, after 50 warm-up saves — median and p95
  latency, saves per second;
* ``3 writers``: three processes doing N saves each at once — total saves per second
  (all saves / the slowest writer's elapsed time) and the worst p95;
* ``batch``: one ``save`` of 12,500 events — seconds, or ``stalled`` when the process has
  not returned after ``--timeout`` seconds (it is then killed, which ends its
  transaction);
* ``batch + 2 writers``: the same batch while two processes save one event at a time
  until it has committed — the batch's seconds and the single saves' median and longest
  latency (how long a counter clerk's save waits behind a bulk import).

Usage::

    . /tmp/pgenv; .venv/bin/python benchmarks/bench_pg_insert.py [--singles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
import uuid
from dataclasses import dataclass
from importlib import metadata
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from multiprocessing.synchronize import Event as EventType
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from psycopg import sql

from tthc_engine.testing import postgres_env

PAYLOAD = "hồ sơ " * 40
BATCH = 12_500
CONFIGS: dict[str, dict[str, str]] = {
    "eventsourcing.postgres": {"PERSISTENCE_MODULE": "eventsourcing.postgres"},
    "eventsourcing.postgres + DB functions": {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
    },
    "tthc_engine.application.postgres": {"PERSISTENCE_MODULE": "tthc_engine.application.postgres"},
}
spawn = multiprocessing.get_context("spawn")


class Entry(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class Bench(Application[Any]):
    pass


# -- child processes ---------------------------------------------------------------------
def singles(env: dict[str, str], n: int, warmup: int, start: Barrier, out: Queue[Any]) -> None:
    try:
        app = Bench(env=env)
        for _ in range(warmup):
            app.save(Entry(PAYLOAD))
        start.wait()
        samples = []
        began = time.perf_counter()
        for _ in range(n):
            t0 = time.perf_counter()
            app.save(Entry(PAYLOAD))
            samples.append(time.perf_counter() - t0)
        out.put(("singles", time.perf_counter() - began, samples))
        app.close()
    except Exception as error:  # tell the driver instead of letting it wait
        out.put(("error", f"{type(error).__name__}: {error}", []))


def singles_during_batch(
    env: dict[str, str], done: EventType, start: Barrier, out: Queue[Any]
) -> None:
    """Save one event at a time from the batch's start until it has committed."""
    try:
        app = Bench(env=env)
        start.wait()
        samples = []
        began = time.perf_counter()
        while not done.is_set():
            t0 = time.perf_counter()
            app.save(Entry(PAYLOAD))
            samples.append(time.perf_counter() - t0)
        out.put(("singles", time.perf_counter() - began, samples))
        app.close()
    except Exception as error:  # tell the driver instead of letting it wait
        out.put(("error", f"{type(error).__name__}: {error}", []))


def batch(
    env: dict[str, str], size: int, done: EventType | None, start: Barrier, out: Queue[Any]
) -> None:
    try:
        app = Bench(env=env)
        entries = [Entry(PAYLOAD) for _ in range(size)]
        start.wait()
        t0 = time.perf_counter()
        app.save(*entries)
        out.put(("batch", time.perf_counter() - t0, []))
        if done is not None:
            done.set()
        app.close()
    except Exception as error:  # tell the driver instead of letting it wait
        out.put(("error", f"{type(error).__name__}: {error}", []))


# -- driver ------------------------------------------------------------------------------
@dataclass
class Run:
    results: list[tuple[str, float, list[float]]]
    stalled: bool


def admin(env: dict[str, str], statement: sql.Composable) -> None:
    conninfo = psycopg.conninfo.make_conninfo(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(statement)


def run(config: dict[str, str], jobs: list[tuple[Any, tuple[Any, ...]]], timeout: float) -> Run:
    """Run ``jobs`` (target, args without barrier and queue) at once in a fresh schema."""
    schema = f"tthc_bench_{uuid.uuid4().hex[:12]}"
    env = {**postgres_env(schema=schema), **config}
    admin(env, sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        Bench(env=env).close()  # create the tables here, once, before the clock starts
        writer_env = {**env, "CREATE_TABLE": "n"}
        start = spawn.Barrier(len(jobs))
        out: Queue[Any] = spawn.Queue()
        processes = [
            spawn.Process(target=target, args=(writer_env, *args, start, out))
            for target, args in jobs
        ]
        for process in processes:
            process.start()
        deadline = time.monotonic() + timeout + 30  # start-up included
        results = []
        stalled = False
        for _ in processes:
            try:
                result = out.get(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:  # queue.Empty: someone is stuck
                stalled = True
                break
            if result[0] == "error":
                raise RuntimeError(f"a writer failed: {result[1]}")
            results.append(result)
        for process in processes:
            process.join(timeout=1 if stalled else timeout)
            if process.is_alive():
                process.kill()
                process.join()
        return Run(results, stalled)
    finally:
        admin(env, sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


Figures = dict[str, float | None]
"""One run of one configuration; ``None`` where a save stalled (or was not run after one)."""


def measure(config: dict[str, str], n: int, timeout: float) -> Figures:
    figures: Figures = {}
    one = run(config, [(singles, (n, 50))], timeout)
    _, elapsed, samples = one.results[0]
    figures["1 writer: saves/s"] = n / elapsed
    figures["1 writer: median ms"] = statistics.median(samples) * 1e3
    figures["1 writer: p95 ms"] = p95(samples) * 1e3
    three = run(config, [(singles, (n, 50))] * 3, timeout)
    figures["3 writers: saves/s"] = 3 * n / max(elapsed for _, elapsed, _ in three.results)
    figures["3 writers: worst p95 ms"] = max(p95(s) for _, _, s in three.results) * 1e3
    big = run(config, [(batch, (BATCH, None))], timeout)
    figures["batch: s"] = None if big.stalled else big.results[0][1]
    done = spawn.Event()
    mixed = None
    if not big.stalled:
        mixed = run(
            config,
            [
                (batch, (BATCH, done)),
                (singles_during_batch, (done,)),
                (singles_during_batch, (done,)),
            ],
            timeout,
        )
    if mixed is None or mixed.stalled:
        figures["batch + 2 writers: batch s"] = None
        figures["batch + 2 writers: single median ms"] = None
        figures["batch + 2 writers: single longest ms"] = None
        return figures
    during = [x for kind, _, samples in mixed.results if kind == "singles" for x in samples]
    batch_s = next(elapsed for kind, elapsed, _ in mixed.results if kind == "batch")
    figures["batch + 2 writers: batch s"] = batch_s
    figures["batch + 2 writers: single median ms"] = statistics.median(during) * 1e3
    figures["batch + 2 writers: single longest ms"] = max(during) * 1e3
    return figures


def show(value: float | None) -> str:
    return "stalled" if value is None else f"{value:8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--singles", type=int, default=1000, help="saves per writer")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over every configuration")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before 'stalled'")
    args = parser.parse_args()
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("eventsourcing", "psycopg")
    )
    print(f"PostgreSQL insert benchmark — {versions} (psycopg.pq {psycopg.pq.__impl__}),")
    print(f"{os.cpu_count()} CPUs, {args.singles} saves per writer, batch {BATCH} events,")
    print(f"{args.repeat} rounds; configurations alternate within a round", flush=True)
    runs: dict[str, list[Figures]] = {label: [] for label in CONFIGS}
    for round_number in range(1, args.repeat + 1):
        for label, config in CONFIGS.items():
            figures = measure(config, args.singles, args.timeout)
            runs[label].append(figures)
            values = "  ".join(f"{key}={show(value).strip()}" for key, value in figures.items())
            print(f"round {round_number} {label}: {values}", flush=True)
    print("\nbest of the rounds (other jobs share the machine: the best round is the least")
    print("disturbed); 'stalled n/N': the 12,500-event save had not returned in n of N rounds")
    keys = list(next(iter(runs.values()))[0])
    print(f"{'':38}" + "".join(f"{label[:26]:>28}" for label in CONFIGS))
    for key in keys:
        cells = []
        for label in CONFIGS:
            values = [figures[key] for figures in runs[label]]
            measured = [v for v in values if v is not None]
            best = max if key.endswith("/s") else min
            cell = f"{best(measured):.2f}" if measured else "-"
            if len(measured) < len(values):
                cell += f" (stalled {len(values) - len(measured)}/{len(values)})"
            cells.append(f"{cell:>28}")
        print(f"{key:38}" + "".join(cells))


if __name__ == "__main__":
    main()
