"""Benchmark of the store projection's catch-up (``StoreProjection``), SQLite and PostgreSQL.

A store is filled with simulated months of the sample province, then counted, in one run:

* ``StoreProjection.rebuild()`` with pages of 1,000 and 5,000 notifications (one
  transaction per page: counts, dossiers and the tracking position);
* the same fold with one transaction per event (``page=1``);
* eventsourcing's ``ProjectionRunner`` (PostgreSQL: SQLite has no subscription in
  eventsourcing 9.5) running the same fold with one transaction per event — the
  ``process_event(domain_event, tracking)`` idiom — and running a trivial view (one counter
  row incremented per event, eventsourcing's documented example), the ceiling of that
  idiom whatever the view does; on SQLite the trivial view is driven by a plain loop;
* the floor: the notifications read and mapped to domain events, nothing else.

Every fold's report of each month is checked equal to the first one's. One-transaction-per-
event peers are timed on the first ``--per-event`` notifications (they are slow).

Usage::

    .venv/bin/python benchmarks/bench_catch_up.py     # SQLite (+ PostgreSQL if TTHC_PG_* set)
    .venv/bin/python benchmarks/bench_catch_up.py --per-day 50 --months 2 --per-event 3000
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection, ProjectionRunner
from eventsourcing.sqlite import SQLiteTrackingRecorder

from tthc_engine import VN_TZ, Catalog, OneStopShop
from tthc_engine.domain.event import DossierEvent
from tthc_engine.projections import Period, StoreProjection
from tthc_engine.simulation import simulate_month
from tthc_engine.testing import postgres_configured, postgres_env, sqlite_env

NOW = datetime(2026, 1, 1, tzinfo=VN_TZ)
TARGET = 70_000.0


class SampleShop(OneStopShop):
    """The application as eventsourcing's runner builds it: ``Application(env)``."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env, catalog=Catalog.sample(), clock=lambda: NOW)


# -- eventsourcing's idiom: one transaction per event ---------------------------------------
class FoldPerEvent(Projection[Any]):
    """The store projection's fold, one event and one transaction at a time."""

    name = "tthc_bench_fold"
    store: ClassVar[StoreProjection]

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.at = 0

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        view, store = self.view, self.store
        dossiers: list[Any] = []
        counts: list[Any] = []
        if isinstance(domain_event, DossierEvent):
            origin = str(domain_event.originator_id)
            rows = view.dossiers({origin})
            dossiers, counts = store._fold([(origin, tracking.notification_id, domain_event)], rows)
        view.commit_page(
            tracking.application_name, self.at, tracking.notification_id, dossiers, counts
        )
        self.at = tracking.notification_id


class CounterView(SQLiteTrackingRecorder):
    """eventsourcing's counter example on SQLite: one row incremented per event."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS bench_counter (name TEXT PRIMARY KEY, n INTEGER)",
        ]

    def incr(self, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            self._insert_tracking(c, tracking)
            c.execute(
                "INSERT INTO bench_counter VALUES ('events', 1) "
                "ON CONFLICT (name) DO UPDATE SET n = n + 1"
            )


def _postgres_counter_view() -> type[Any]:
    from eventsourcing.postgres import PostgresTrackingRecorder
    from psycopg.sql import SQL, Identifier

    class PostgresCounterView(PostgresTrackingRecorder):
        def __init__(self, datastore: Any, **kwargs: Any) -> None:
            super().__init__(datastore, **kwargs)
            self.table = SQL("{}.{}").format(
                Identifier(datastore.schema), Identifier("bench_counter")
            )
            self.sql_create_statements.append(
                SQL("CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, n bigint)").format(
                    self.table
                )
            )

        def incr(self, tracking: Tracking) -> None:
            with self.datastore.transaction(commit=True) as curs:
                self._insert_tracking(curs, tracking)
                curs.execute(
                    SQL(
                        "INSERT INTO {0} VALUES ('events', 1) ON CONFLICT (name) "
                        "DO UPDATE SET n = {0}.n + 1"
                    ).format(self.table)
                )

    return PostgresCounterView


class CountPerEvent(Projection[Any]):
    name = "tthc_bench_counter"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.incr(tracking)


# -- measuring -----------------------------------------------------------------------------
def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds / 1000:7.1f}k ev/s"


def _timed(run: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    n = run()
    return n, time.perf_counter() - started


def _reports(projection: StoreProjection, months: list[int]) -> list[dict[str, Any]]:
    return [projection.report(Period.month(2025, m)).as_dict() for m in months]


def _bench(kind: str, env: dict[str, str], args: argparse.Namespace) -> list[str]:
    app = SampleShop(env)
    months = list(range(3, 3 + args.months))
    started = time.perf_counter()
    for month in months:
        simulate_month(app, 2025, month, per_day=args.per_day, seed=month)
    total = app.recorder.max_notification_id() or 0
    lines = [
        f"{kind}: {total:,} notifications ({args.months} months × {args.per_day} dossiers a "
        f"working day), written in {time.perf_counter() - started:.1f} s"
    ]

    def floor() -> int:
        n, at = 0, 0
        while notes := app.recorder.select_notifications(
            start=at, limit=1000, inclusive_of_start=False
        ):
            for note in notes:
                app.mapper.to_domain_event(note)
            n, at = n + len(notes), notes[-1].id
        return n

    n, s = _timed(floor)
    lines.append(f"  read + map only (floor)                      {_rate(n, s)}")
    reference: list[dict[str, Any]] | None = None
    for page in (1000, 5000):
        projection = StoreProjection(app, page=page)
        n, s = _timed(projection.rebuild)
        reports = _reports(projection, months)
        reference = reference or reports
        same = "same reports" if reports == reference else "REPORTS DIFFER"
        lines.append(f"  StoreProjection, pages of {page:<5,}             {_rate(n, s)}   ({same})")
    rate_ok = n / s
    limit = min(args.per_event, total)
    per_event = StoreProjection(app, page=1)
    per_event.tables.reset(per_event.name, per_event.settings)
    n, s = _timed(lambda: per_event.catch_up(limit=limit))
    lines.append(
        f"  same fold, 1 transaction per event           {_rate(n, s)}   (first {limit:,})"
    )
    per_event.rebuild()
    if kind == "postgres":
        lines += _runners(env, limit)
    else:
        view = CounterView(app.factory.datastore)  # type: ignore[attr-defined]
        view.create_table()

        def counter() -> int:
            n, at = 0, 0
            while n < limit and (
                notes := app.recorder.select_notifications(
                    start=at, limit=500, inclusive_of_start=False
                )
            ):
                for note in notes:
                    app.mapper.to_domain_event(note)
                    view.incr(Tracking(app.name, note.id))
                n, at = n + len(notes), notes[-1].id
            return n

        n, s = _timed(counter)
        label = "es idiom, trivial counter view, 1 txn/event"
        lines.append(f"  {label}  {_rate(n, s)}   (a loop: no subscription)")
    verdict = "met" if rate_ok >= TARGET else "MISSED"
    lines.append(f"  target catch-up ≥ {TARGET / 1000:.0f}k ev/s: {rate_ok / 1000:.1f}k {verdict}")
    app.close()
    return lines


def _runners(env: dict[str, str], limit: int) -> list[str]:
    lines = []
    app = SampleShop(env)
    FoldPerEvent.store = StoreProjection(app)
    from tthc_engine.projections.tables_postgres import PostgresIndicatorTables

    for label, projection_class, view_class in (
        ("ProjectionRunner, same fold, 1 txn/event", FoldPerEvent, PostgresIndicatorTables),
        ("ProjectionRunner, trivial counter view", CountPerEvent, _postgres_counter_view()),
    ):
        with _schema() as other:
            runner_env = {**env, f"{projection_class.name.upper()}_POSTGRES_SCHEMA": other}
            started = time.perf_counter()
            with ProjectionRunner(
                application_class=SampleShop,
                projection_class=projection_class,
                view_class=view_class,
                env=runner_env,
            ) as runner:
                runner.wait(limit, timeout=600)
                seconds = time.perf_counter() - started
        lines.append(f"  {label:<45}{_rate(limit, seconds)}   (first {limit:,})")
    app.close()
    return lines


@contextmanager
def _schema() -> Iterator[str]:
    import psycopg

    name = f"tthc_bench_{uuid.uuid4().hex[:10]}"
    env = postgres_env()
    conninfo = (
        f"host={env['POSTGRES_HOST']} port={env['POSTGRES_PORT']} dbname={env['POSTGRES_DBNAME']} "
        f"user={env['POSTGRES_USER']} password={env['POSTGRES_PASSWORD']}"
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--per-day", type=int, default=100)
    parser.add_argument(
        "--per-event", type=int, default=5000, help="events timed one transaction each"
    )
    parser.add_argument("--pg", action="store_true", help="require PostgreSQL")
    args = parser.parse_args()
    print(
        f"tthc-engine catch-up benchmark — Python {sys.version.split()[0]}, eventsourcing "
        f"{metadata.version('eventsourcing')}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory() as folder:
        for line in _bench("sqlite", sqlite_env(Path(folder) / "store.sqlite"), args):
            print(line, flush=True)
    if args.pg or postgres_configured():
        with _schema() as schema:
            for line in _bench("postgres", postgres_env(schema=schema), args):
                print(line, flush=True)


if __name__ == "__main__":
    main()
