"""Benchmark of the one-stop-shop application (``OneStopShop``) on SQLite and PostgreSQL.

Measures, in one run and next to peers measured in the same run:

* ``receive`` latency (one command, one saved event, code given), and ``receive`` with a
  code issued by the daily ``CodeSequence`` (two or three events);
* a full lifecycle of 5 commands / 6 events: receive (Received), forward (StepStarted:
  no step is running after receipt), forward (StepFinished + StepStarted), resolve
  (Resolved), return_result (ResultReturned); each command loads and saves;
* the bulk path: ``with app.batch() as b:`` N dossiers with that lifecycle, one
  transaction, in events/s (commands and commit timed separately).

Peers: (a) eventsourcing's plain ``Application.save`` of a trivial ``Aggregate`` (latency
of one save; ``get`` + ``save`` per command for the lifecycle shape; one
``app.save(*aggs)`` call for bulk), (b) the floor: raw ``sqlite3`` / ``psycopg`` INSERTs
of a real ``Dossier.Received`` JSON row into the same table, one transaction per row or
many rows per transaction.

SQLite settings are eventsourcing's defaults, used by the application and the raw floor
alike: a file in a temp dir, WAL journal (set by eventsourcing), ``synchronous`` left at
SQLite's default (FULL: one fsync of the WAL per commit), ``SQLITE_LOCK_TIMEOUT`` unset
(sqlite3's 5 s busy timeout; a single writer never waits), no aggregate cache, no
snapshots other than the application's own, no cipher/compressor. ``--prototypes``
measures changes that ``src/`` could adopt (synchronous=NORMAL, aggregate cache, no
``repository.get`` miss per received code) and splits the bulk path by phase.

Usage::

    .venv/bin/python benchmarks/bench_app.py            # SQLite (+ PostgreSQL if TTHC_PG_* set)
    .venv/bin/python benchmarks/bench_app.py --pg       # require PostgreSQL
    .venv/bin/python benchmarks/bench_app.py --quick --profile --prototypes
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteFactory

from tthc_engine.application import OneStopShop
from tthc_engine.application.app import Batch
from tthc_engine.catalog import Catalog
from tthc_engine.domain import Dossier
from tthc_engine.testing import postgres_configured, postgres_env, sqlite_env
from tthc_engine.worktime import VN_TZ

REPO = Path(__file__).resolve().parents[1]
PROCEDURE = "2.001610"  # Đăng ký thành lập DNTN: receive → register → return
RECEIVING = "000.00.10.H41"  # Trung tâm Phục vụ hành chính công tỉnh
FINANCE = "000.00.20.H41"  # Sở Tài chính
DAY = datetime(2025, 4, 14, tzinfo=VN_TZ)  # a Monday
HOURS = (8, 9, 10, 14, 15)  # business times of the 5 lifecycle commands
TARGET_RECEIVE_US = 1_000.0
TARGET_BULK_EPS = 40_000.0
PG_BULK_MAX = 500  # lifecycles (3,000 events) per PostgreSQL transaction; see the note


# -- peers ---------------------------------------------------------------------------------
class Trivial(Aggregate):
    """The plain eventsourcing peer: no fields, a Created event and a Touched event."""

    class Touched(Aggregate.Event):
        pass

    def touch(self) -> None:
        self.trigger_event(self.Touched)


class PlainApp(Application[UUID]):
    name = "BenchPlain"


class _NormalSyncPool(SQLiteConnectionPool):
    """Prototype: eventsourcing's SQLite pool with ``PRAGMA synchronous=NORMAL``."""

    def _create_connection(self) -> SQLiteConnection:
        conn = super()._create_connection()
        conn._sqlite_conn.execute("PRAGMA synchronous=NORMAL")
        return conn


class NormalSyncSQLiteFactory(SQLiteFactory):
    """Prototype factory (``PERSISTENCE_MODULE=__main__:NormalSyncSQLiteFactory``)."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        self.datastore.pool.__class__ = _NormalSyncPool


# -- measurement ---------------------------------------------------------------------------
@dataclass
class Stats:
    samples_ns: list[int]

    @property
    def median(self) -> float:
        return float(statistics.median(self.samples_ns))

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ns)
        return float(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))])


def measure(fn: Callable[[], object], n: int, warmup: int) -> Stats:
    """Warm up, then time ``n`` calls with perf_counter_ns."""
    for _ in range(warmup):
        fn()
    gc.collect()
    samples: list[int] = []
    clock = time.perf_counter_ns
    for _ in range(n):
        t0 = clock()
        fn()
        samples.append(clock() - t0)
    return Stats(samples)


@dataclass
class Row:
    operation: str
    store: str
    impl: str
    median: float  # ns per op, or events/s when throughput
    p95: float  # ns per op, or events/s at the slow end (5th percentile) when throughput
    events: float  # events per op (latency) or per transaction (throughput)
    throughput: bool = False
    extra: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row


def fmt_time(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.0f} µs"


def fmt_value(row: Row, value: float) -> str:
    return f"{value / 1e3:.1f}k ev/s" if row.throughput else fmt_time(value)


def ratio(ours: Row, peer: Row) -> str:
    """How many times the peer's cost ours is (latency ratio, or inverse throughput)."""
    if ours.throughput:
        return f"{peer.median / ours.median:.1f}×"
    return f"{ours.median / peer.median:.1f}×"


class Codes:
    """Unique dossier codes ``<agency>-<yyMMdd>-<seq>`` (days from 2010, never a receipt day
    used with generated codes)."""

    def __init__(self, agency: str = RECEIVING, start: date = date(2010, 1, 1)) -> None:
        self.agency, self.day, self.seq = agency, start, 0

    def next(self) -> str:
        self.seq += 1
        if self.seq > 9999:
            self.day, self.seq = self.day + timedelta(days=1), 1
        return f"{self.agency}-{self.day:%y%m%d}-{self.seq:04d}"


def at(hour: int, day: datetime = DAY) -> datetime:
    return day.replace(hour=hour)


def lifecycle(shop: Any, code: str) -> None:
    """5 commands, 6 events; ``shop`` is the app (each command saves) or a batch."""
    shop.receive(PROCEDURE, agency=RECEIVING, at=at(HOURS[0]), code=code)
    shop.forward(code, agency=RECEIVING, at=at(HOURS[1]))  # StepStarted(receive)
    shop.forward(code, agency=RECEIVING, at=at(HOURS[2]))  # StepFinished + StepStarted
    shop.resolve(code, agency=FINANCE, at=at(HOURS[3]))
    shop.return_result(code, agency=RECEIVING, at=at(HOURS[4]))


# -- stores ----------------------------------------------------------------------------------
@dataclass
class Store:
    """One persistence backend: environments for the apps and a raw-insert floor."""

    name: str
    tthc_env: dict[str, str]
    plain_env: dict[str, str]
    raw: RawFloor
    cleanup: Callable[[], None]


class RawFloor:
    """Raw INSERTs of a stored-event row into eventsourcing's table layout."""

    def insert_one_per_txn(self, rows: list[tuple[str, int, str, bytes]]) -> None:
        raise NotImplementedError

    def insert_many(self, rows: list[tuple[str, int, str, bytes]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SQLiteFloor(RawFloor):
    def __init__(self, path: str, synchronous: str | None = None) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, cached_statements=True)
        self.conn.execute("PRAGMA journal_mode=WAL")
        if synchronous:
            self.conn.execute(f"PRAGMA synchronous={synchronous}")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS stored_events (originator_id TEXT, "
            "originator_version INTEGER, topic TEXT, state BLOB, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
        self.sql = "INSERT INTO stored_events VALUES (?,?,?,?)"

    def insert_one_per_txn(self, rows: list[tuple[str, int, str, bytes]]) -> None:
        for row in rows:
            self.conn.execute("BEGIN")
            self.conn.execute(self.sql, row)
            self.conn.execute("COMMIT")

    def insert_many(self, rows: list[tuple[str, int, str, bytes]]) -> None:
        self.conn.execute("BEGIN")
        self.conn.executemany(self.sql, rows)
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


class PostgresFloor(RawFloor):
    def __init__(self, conninfo: dict[str, str], schema: str) -> None:
        import psycopg

        self.conn = psycopg.connect(**conninfo, autocommit=True)  # type: ignore[arg-type]
        self.conn.execute(
            f"CREATE TABLE IF NOT EXISTS {schema}.stored_events (originator_id uuid NOT NULL, "
            "originator_version bigint NOT NULL, topic text, state bytea, "
            "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"
        )
        self.sql = (
            f"INSERT INTO {schema}.stored_events (originator_id, originator_version, topic, "
            "state) VALUES (%s, %s, %s, %s)"
        )

    def insert_one_per_txn(self, rows: list[tuple[str, int, str, bytes]]) -> None:
        for row in rows:
            with self.conn.transaction():
                self.conn.execute(self.sql, row)

    def insert_many(self, rows: list[tuple[str, int, str, bytes]]) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.executemany(self.sql, rows)

    def close(self) -> None:
        self.conn.close()


def sqlite_store(tmp: Path) -> Store:
    raw = SQLiteFloor(str(tmp / "raw.sqlite"))
    return Store(
        "sqlite",
        sqlite_env(tmp / "tthc.sqlite"),
        sqlite_env(tmp / "plain.sqlite"),
        raw,
        raw.close,
    )


def postgres_store() -> Store:
    import psycopg

    base = postgres_env()
    conninfo = {
        "dbname": base["POSTGRES_DBNAME"],
        "host": base["POSTGRES_HOST"],
        "port": base["POSTGRES_PORT"],
        "user": base["POSTGRES_USER"],
        "password": base["POSTGRES_PASSWORD"],
    }
    prefix = f"bench_app_{os.getpid()}"
    schemas = [f"{prefix}_{s}" for s in ("tthc", "plain", "raw")]
    with psycopg.connect(**conninfo, autocommit=True) as conn:  # type: ignore[arg-type]
        for schema in schemas:
            conn.execute(f"CREATE SCHEMA {schema}")
    raw = PostgresFloor(conninfo, schemas[2])

    def cleanup() -> None:
        raw.close()
        with psycopg.connect(**conninfo, autocommit=True) as conn:  # type: ignore[arg-type]
            for schema in schemas:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    return Store("postgres", postgres_env(schemas[0]), postgres_env(schemas[1]), raw, cleanup)


# -- benchmarks ------------------------------------------------------------------------------
@dataclass
class Config:
    n: int
    warmup: int
    bulk_sizes: tuple[int, ...]
    bulk_repeats: int
    depth: int


def max_id(app: Application[Any]) -> int:
    return app.recorder.max_notification_id() or 0


def received_row(shop: OneStopShop) -> tuple[str, int, str, bytes]:
    """A real stored ``Dossier.Received`` row (for the raw floor)."""
    (stored,) = shop.recorder.select_notifications(start=1, limit=1)
    return (uuid.uuid4().hex, 1, stored.topic, stored.state)


def fresh_rows(template: tuple[str, int, str, bytes], n: int) -> list[tuple[str, int, str, bytes]]:
    return [(str(uuid.uuid4()), 1, template[2], template[3]) for _ in range(n)]


def bench_store(store: Store, catalog: Catalog, cfg: Config, report: Report) -> None:
    shop = OneStopShop(env=store.tthc_env, catalog=catalog)
    plain = PlainApp(env=store.plain_env)
    codes = Codes()
    label = store.name
    try:
        # --- receive, code given: 1 event -------------------------------------------------
        before = max_id(shop)
        shop.receive(PROCEDURE, agency=RECEIVING, at=at(8), code=codes.next())
        events = max_id(shop) - before
        template = received_row(shop)
        s = measure(
            lambda: shop.receive(PROCEDURE, agency=RECEIVING, at=at(8), code=codes.next()),
            cfg.n,
            cfg.warmup,
        )
        report.add(Row("receive (code given)", label, "tthc", s.median, s.p95, events))
        s = measure(lambda: plain.save(Trivial()), cfg.n, cfg.warmup)
        report.add(Row("receive (code given)", label, "es app.save", s.median, s.p95, 1))
        rows = iter(fresh_rows(template, cfg.n + cfg.warmup))
        s = measure(lambda: store.raw.insert_one_per_txn([next(rows)]), cfg.n, cfg.warmup)
        report.add(Row("receive (code given)", label, "raw 1 row/txn", s.median, s.p95, 1))

        # --- receive, code issued by the daily sequence (2 events; 3 for the day's first) --
        # Fresh receipt day every 50 receives: depth 1..50 of the day's sequence.
        days = iter(DAY + timedelta(days=400 + k) for k in range(10_000))
        state: dict[str, Any] = {"day": next(days), "k": 0}

        def receive_issued() -> None:
            if state["k"] == 50:
                state["day"], state["k"] = next(days), 0
            state["k"] += 1
            shop.receive(PROCEDURE, agency=RECEIVING, at=at(8, state["day"]))

        s = measure(receive_issued, cfg.n, cfg.warmup)
        report.add(Row("receive (code issued, 1-50th of day)", label, "tthc", s.median, s.p95, 2))
        s = measure(lambda: plain.save(Trivial(), Trivial()), cfg.n, cfg.warmup)
        report.add(
            Row("receive (code issued, 1-50th of day)", label, "es app.save", s.median, s.p95, 2)
        )
        rows = iter(fresh_rows(template, 2 * (cfg.n + cfg.warmup)))
        s = measure(lambda: store.raw.insert_many([next(rows), next(rows)]), cfg.n, cfg.warmup)
        report.add(
            Row("receive (code issued, 1-50th of day)", label, "raw 2 rows/txn", s.median, s.p95, 2)
        )
        depth_line(shop, label, cfg.depth, DAY + timedelta(days=399), report)

        # --- lifecycle: 5 commands, 6 events --------------------------------------------------
        before = max_id(shop)
        lifecycle(shop, codes.next())
        events = max_id(shop) - before
        report.notes.append(
            f"[{label}] events per lifecycle: {events} (receive 1, forward 1, forward 2, "
            "resolve 1, return_result 1); record_feedback would add a 7th"
        )
        nl = max(cfg.n // 5, 50)
        s = measure(lambda: lifecycle(shop, codes.next()), nl, cfg.warmup // 5)
        report.add(Row("lifecycle (5 cmds, 6 ev)", label, "tthc", s.median, s.p95, events))

        def plain_lifecycle() -> None:
            agg_id = uuid.uuid4()
            with suppress(AggregateNotFoundError):
                plain.repository.get(agg_id)
            agg = Trivial()
            agg_id = agg.id
            plain.save(agg)
            for touches in (1, 2, 1, 1):
                agg = plain.repository.get(agg_id)
                for _ in range(touches):
                    agg.touch()
                plain.save(agg)

        s = measure(plain_lifecycle, nl, cfg.warmup // 5)
        report.add(Row("lifecycle (5 cmds, 6 ev)", label, "es get+save", s.median, s.p95, 6))

        def raw_lifecycle() -> None:
            for k in (1, 1, 2, 1, 1):
                store.raw.insert_many(fresh_rows(template, k))

        s = measure(raw_lifecycle, nl, cfg.warmup // 5)
        report.add(Row("lifecycle (5 cmds, 6 ev)", label, "raw 5 txns", s.median, s.p95, 6))

        # --- bulk -------------------------------------------------------------------------------
        sizes = cfg.bulk_sizes
        if store.name == "postgres":
            sizes = tuple(n for n in sizes if n <= PG_BULK_MAX) or (PG_BULK_MAX,)
            if sizes != cfg.bulk_sizes:
                report.notes.append(
                    f"[postgres] bulk capped at {PG_BULK_MAX:,} lifecycles for the plain "
                    "eventsourcing peer: its pipelined one-statement insert of a big batch "
                    "never returns (client in Pipeline.sync, server in ClientRead; seen at "
                    "60,000 trivial events). OneStopShop sets POSTGRES_ENABLE_DB_FUNCTIONS=y "
                    "and commits 12,500-event batches (tests/application/test_contract.py)"
                )
        for size in sizes:
            bench_bulk(shop, plain, store, template, codes, size, cfg.bulk_repeats, report)
    finally:
        shop.close()
        plain.close()


def depth_line(shop: OneStopShop, label: str, depth: int, day: datetime, report: Report) -> None:
    """Latency of ``receive`` with an issued code as the day's sequence grows."""
    marks = sorted({1, 10, 100, depth // 2, depth} - {0})
    samples: dict[int, int] = {}
    for k in range(1, depth + 1):
        t0 = time.perf_counter_ns()
        shop.receive(PROCEDURE, agency=RECEIVING, at=at(8, day))
        if k in marks:
            samples[k] = time.perf_counter_ns() - t0
    text = ", ".join(f"#{k}: {fmt_time(v)}" for k, v in samples.items())
    report.notes.append(
        f"[{label}] receive with an issued code, k-th of the same agency-day: {text} "
        "(each receive loads the day's CodeSequence)"
    )


def bench_bulk(
    shop: OneStopShop,
    plain: PlainApp,
    store: Store,
    template: tuple[str, int, str, bytes],
    codes: Codes,
    size: int,
    repeats: int,
    report: Report,
) -> None:
    label = store.name
    op = f"bulk {size:,} lifecycles"
    eps: list[float] = []
    command_share: list[float] = []
    total_events = 0
    for _ in range(repeats):
        gc.collect()
        before = max_id(shop)
        batch_cm = shop.batch()
        t0 = time.perf_counter_ns()
        batch = batch_cm.__enter__()
        for _ in range(size):
            lifecycle(batch, codes.next())
        t1 = time.perf_counter_ns()
        batch_cm.__exit__(None, None, None)
        t2 = time.perf_counter_ns()
        total_events = max_id(shop) - before
        eps.append(total_events / ((t2 - t0) / 1e9))
        command_share.append((t1 - t0) / (t2 - t0))
    ours = Row(
        op,
        label,
        "tthc app.batch()",
        statistics.median(eps),
        min(eps),
        total_events,
        throughput=True,
        extra=f"commands {statistics.median(command_share):.0%} of the time, commit the rest",
    )
    report.add(ours)

    eps = []
    for _ in range(repeats):
        aggs = [Trivial() for _ in range(total_events)]
        gc.collect()
        t0 = time.perf_counter_ns()
        plain.save(*aggs)
        eps.append(total_events / ((time.perf_counter_ns() - t0) / 1e9))
    report.add(
        Row(
            op,
            label,
            "es app.save(*aggs)",
            statistics.median(eps),
            min(eps),
            total_events,
            throughput=True,
            extra="1 Created event per aggregate",
        )
    )

    eps = []
    for _ in range(repeats):
        rows = fresh_rows(template, total_events)
        gc.collect()
        t0 = time.perf_counter_ns()
        store.raw.insert_many(rows)
        eps.append(total_events / ((time.perf_counter_ns() - t0) / 1e9))
    report.add(
        Row(
            op,
            label,
            "raw executemany/txn",
            statistics.median(eps),
            min(eps),
            total_events,
            throughput=True,
        )
    )


# -- prototypes (SQLite) ---------------------------------------------------------------------
def prototypes(tmp: Path, catalog: Catalog, cfg: Config, report: Report) -> None:
    """Changes src/ could adopt, measured on SQLite next to the default."""

    def receive_latency(env: dict[str, str], cls: type[OneStopShop] = OneStopShop) -> Stats:
        shop = cls(env=env, catalog=catalog)
        codes = Codes()
        try:
            return measure(
                lambda: shop.receive(PROCEDURE, agency=RECEIVING, at=at(8), code=codes.next()),
                cfg.n,
                cfg.warmup,
            )
        finally:
            shop.close()

    def deep_issued(env: dict[str, str], cls: type[OneStopShop] = OneStopShop) -> Stats:
        """receive with an issued code at depth 451..500 of the day's sequence."""
        shop = cls(env=env, catalog=catalog)
        try:
            for _ in range(450):
                shop.receive(PROCEDURE, agency=RECEIVING, at=at(8))
            return measure(lambda: shop.receive(PROCEDURE, agency=RECEIVING, at=at(8)), 50, 0)
        finally:
            shop.close()

    base = sqlite_env(tmp / "proto-base.sqlite")
    normal = {
        **sqlite_env(tmp / "proto-normal.sqlite"),
        "PERSISTENCE_MODULE": f"{__name__}:NormalSyncSQLiteFactory",
    }
    s0 = receive_latency(base)
    s1 = receive_latency(normal)
    report.notes.append(
        f"[prototype] receive (code given), synchronous=FULL (default) {fmt_time(s0.median)} "
        f"vs synchronous=NORMAL {fmt_time(s1.median)} median (p95 {fmt_time(s0.p95)} vs "
        f"{fmt_time(s1.p95)})"
    )
    floor_normal = SQLiteFloor(str(tmp / "raw-normal.sqlite"), synchronous="NORMAL")
    row = ("", 1, "t", b"x" * 1200)
    rows = iter([(uuid.uuid4().hex, *row[1:]) for _ in range(cfg.n + cfg.warmup)])
    s2 = measure(lambda: floor_normal.insert_one_per_txn([next(rows)]), cfg.n, cfg.warmup)
    floor_normal.close()
    report.notes.append(
        f"[prototype] raw sqlite3 1 row/txn with synchronous=NORMAL: {fmt_time(s2.median)}"
    )

    d0 = deep_issued(sqlite_env(tmp / "proto-d0.sqlite"))
    d1 = deep_issued({**sqlite_env(tmp / "proto-d1.sqlite"), "AGGREGATE_CACHE_MAXSIZE": "1000"})
    report.notes.append(
        "[prototype] receive (code issued) at depth 451-500 of the day: default "
        f"{fmt_time(d0.median)}, AGGREGATE_CACHE_MAXSIZE=1000 (fast-forward on) "
        f"{fmt_time(d1.median)}"
    )

    bulk_breakdown(tmp, catalog, cfg.bulk_sizes[-1], report)
    bulk_variants(tmp, catalog, cfg.bulk_sizes[-1], report)

    # Cost of the repository.get on a missing aggregate that every new receive pays.
    shop = OneStopShop(env=sqlite_env(tmp / "proto-miss.sqlite"), catalog=catalog)
    try:
        s3 = measure(lambda: shop._load(Codes().next()), cfg.n, cfg.warmup)
    finally:
        shop.close()
    report.notes.append(
        f"[prototype] repository.get of a missing dossier (paid by every receive, in the "
        f"batch too): {fmt_time(s3.median)} median"
    )


def bulk_breakdown(tmp: Path, catalog: Catalog, size: int, report: Report) -> None:
    """The bulk path split by phase, without a profiler: commands by kind, then the two
    halves of ``Batch.commit`` (``mapper.to_stored_event`` and the recorder's insert)."""
    shop = OneStopShop(env=sqlite_env(tmp / "proto-bulk.sqlite"), catalog=catalog)
    codes = Codes()
    clock = time.perf_counter_ns
    phases: dict[str, int] = dict.fromkeys(
        ("receive", "forward ×2", "resolve", "return_result", "encode", "insert+commit"), 0
    )
    try:
        lifecycle(shop, codes.next())  # warm the tables and caches
        batch = Batch(shop)
        for _ in range(size):
            code = codes.next()
            t0 = clock()
            batch.receive(PROCEDURE, agency=RECEIVING, at=at(HOURS[0]), code=code)
            t1 = clock()
            batch.forward(code, agency=RECEIVING, at=at(HOURS[1]))
            batch.forward(code, agency=RECEIVING, at=at(HOURS[2]))
            t2 = clock()
            batch.resolve(code, agency=FINANCE, at=at(HOURS[3]))
            t3 = clock()
            batch.return_result(code, agency=RECEIVING, at=at(HOURS[4]))
            t4 = clock()
            phases["receive"] += t1 - t0
            phases["forward ×2"] += t2 - t1
            phases["resolve"] += t3 - t2
            phases["return_result"] += t4 - t3
        t0 = clock()
        events = [e for agg in batch._pending.values() for e in agg.collect_events()]
        stored = [shop.mapper.to_stored_event(e) for e in events]
        t1 = clock()
        shop.recorder.insert_events(stored)
        t2 = clock()
        phases["encode"], phases["insert+commit"] = t1 - t0, t2 - t1
        misses = [codes.next() for _ in range(size)]
        t0 = clock()
        for code in misses:
            shop._load(code)
        miss = clock() - t0
    finally:
        shop.close()
    total = sum(phases.values())
    parts = ", ".join(f"{k} {v / 1e6:.0f} ms ({v / total:.0%})" for k, v in phases.items())
    report.notes.append(
        f"[breakdown] bulk {size:,} lifecycles on SQLite = {len(events):,} events in "
        f"{total / 1e6:.0f} ms ({len(events) / (total / 1e9) / 1e3:.1f}k ev/s): {parts}; "
        f"of receive, the repository.get miss alone is {miss / 1e6:.0f} ms "
        f"({miss / size / 1e3:.0f} µs each)"
    )


class _NoMissBatch(Batch):
    """Prototype: the batch knows its codes are new (as one ``SELECT originator_id ...
    WHERE originator_id IN (...)`` up front would tell it), so it skips N ``repository.get``
    misses."""

    def _load(self, code: str) -> Dossier | None:
        return self._dossiers.get(code)


def bulk_variants(tmp: Path, catalog: Catalog, size: int, report: Report) -> None:
    """Bulk events/s without the per-receive ``repository.get`` miss (SQLite)."""
    results: list[str] = []
    for label, batch_cls in (("default", Batch), ("no repository.get miss", _NoMissBatch)):
        shop = OneStopShop(env=sqlite_env(tmp / f"proto-{len(results)}.sqlite"), catalog=catalog)
        codes = Codes()
        try:
            lifecycle(shop, codes.next())
            gc.collect()
            before = max_id(shop)
            t0 = time.perf_counter_ns()
            batch = batch_cls(shop)
            for _ in range(size):
                lifecycle(batch, codes.next())
            batch.commit()
            elapsed = time.perf_counter_ns() - t0
            results.append(f"{label} {(max_id(shop) - before) / (elapsed / 1e9) / 1e3:.1f}k")
        finally:
            shop.close()
    report.notes.append(
        f"[prototype] bulk {size:,} lifecycles on SQLite, ev/s: " + ", ".join(results)
    )


# -- profiling -------------------------------------------------------------------------------
@contextmanager
def profiled(title: str, limit: int = 22) -> Iterator[None]:
    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("cumulative").print_stats(limit)
        stats.sort_stats("tottime").print_stats(limit)
        print(f"\n== profile: {title} (by cumulative, then own time) ==")
        print("\n".join(line for line in out.getvalue().splitlines() if "(" in line))


def profile(tmp: Path, catalog: Catalog, cfg: Config) -> None:
    shop = OneStopShop(env=sqlite_env(tmp / "profile.sqlite"), catalog=catalog)
    codes = Codes()
    try:
        with profiled(f"SQLite, {cfg.n} receive (code given)"):
            for _ in range(cfg.n):
                shop.receive(PROCEDURE, agency=RECEIVING, at=at(8), code=codes.next())
        size = cfg.bulk_sizes[-1]
        with profiled(f"SQLite, app.batch() of {size} lifecycles"), shop.batch() as batch:
            for _ in range(size):
                lifecycle(batch, codes.next())
    finally:
        shop.close()


# -- output ------------------------------------------------------------------------------------
def print_table(report: Report) -> None:
    header = (
        f"{'operation':<38} {'store':<8} {'impl':<20} {'median':>12} {'p95':>12} "
        f"{'ev/op':>6} {'vs es':>7} {'vs raw':>7}"
    )
    print(header)
    print("-" * len(header))
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in report.rows:
        groups.setdefault((row.operation, row.store), []).append(row)
    for (op, store), rows in groups.items():
        ours = rows[0]
        peers = rows[1:]
        es = next((r for r in peers if r.impl.startswith("es")), None)
        raw = next((r for r in peers if r.impl.startswith("raw")), None)
        for i, row in enumerate(rows):
            vs_es = ratio(ours, es) if i == 0 and es else ""
            vs_raw = ratio(ours, raw) if i == 0 and raw else ""
            events = f"{row.events:g}" if not row.throughput else f"{row.events:,.0f}"
            p95_label = fmt_value(row, row.p95)
            line = (
                f"{op if i == 0 else '':<38} {store if i == 0 else '':<8} {row.impl:<20} "
                f"{fmt_value(row, row.median):>12} {p95_label:>12} {events:>6} "
                f"{vs_es:>7} {vs_raw:>7}" + (f"  ({row.extra})" if row.extra else "")
            )
            print(line.rstrip())
    print(
        "\nlatency rows: median / p95 per operation; bulk rows: median / slowest events/s "
        "over the repeats; 'vs' = how many times the peer's cost (time, or 1/throughput)."
    )


def check_targets(report: Report) -> list[str]:
    lines = []
    for row in report.rows:
        if row.store != "sqlite" or not row.impl.startswith("tthc"):
            continue
        if row.operation == "receive (code given)":
            ok = row.median / 1e3 <= TARGET_RECEIVE_US
            lines.append(
                f"target receive on SQLite ≤ 1 ms median: {fmt_time(row.median)} "
                f"{'MET' if ok else 'MISSED'}"
            )
        if row.throughput:
            ok = row.median >= TARGET_BULK_EPS
            lines.append(
                f"target bulk ≥ 40k events/s on SQLite ({row.operation}): "
                f"{row.median / 1e3:.1f}k ev/s {'MET' if ok else 'MISSED'}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="require PostgreSQL (TTHC_PG_*)")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("-n", type=int, default=2000, help="timed iterations (latency)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--bulk", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--repeats", type=int, default=3, help="bulk repeats per size")
    parser.add_argument("--depth", type=int, default=1000, help="sequence depth probe")
    parser.add_argument("--quick", action="store_true", help="small N for a smoke run")
    parser.add_argument("--profile", action="store_true", help="cProfile receive and bulk")
    parser.add_argument("--prototypes", action="store_true", help="measure src/ suggestions")
    args = parser.parse_args(argv)
    cfg = Config(args.n, args.warmup, tuple(args.bulk), args.repeats, args.depth)
    if args.quick:
        cfg = Config(200, 20, (500,), 1, 100)

    use_pg = args.pg or (postgres_configured() and not args.no_pg)
    catalog = Catalog.sample()
    report = Report()
    print(
        f"bench_app: Python {sys.version.split()[0]}, eventsourcing "
        f"{metadata.version('eventsourcing')}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs; n={cfg.n} warmup={cfg.warmup} bulk={cfg.bulk_sizes}"
        f"×{cfg.bulk_repeats}"
    )
    with tempfile.TemporaryDirectory(prefix="bench_app_") as tmpdir:
        tmp = Path(tmpdir)
        stores = [sqlite_store(tmp)]
        if use_pg:
            stores.append(postgres_store())
        for store in stores:
            try:
                print(f"... {store.name}", flush=True)
                bench_store(store, catalog, cfg, report)
            finally:
                store.cleanup()
        if args.prototypes:
            print("... prototypes", flush=True)
            prototypes(tmp, catalog, cfg, report)
        print()
        print_table(report)
        print()
        for note in report.notes:
            print(note)
        print()
        for line in check_targets(report):
            print(line)
        if args.profile:
            profile(tmp, catalog, cfg)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
