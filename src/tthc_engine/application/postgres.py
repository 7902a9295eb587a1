"""PostgreSQL persistence whose notification log can be followed: ``PERSISTENCE_MODULE=
tthc_engine.application.postgres``.

A drop-in for eventsourcing's ``eventsourcing.postgres`` (same ``POSTGRES_*`` settings,
same tables, same stored format) that keeps three promises eventsourcing 9.5 does not
keep all at once (ADR 0008, ``docs/decisions/0008-postgresql-ordering.md``):

1. **Notification ids become visible in id order.** Every insert of events takes
   ``LOCK TABLE <events> IN EXCLUSIVE MODE`` before the id sequence hands out its first
   id and holds it until commit, so a transaction that got lower ids has committed before
   any transaction gets higher ones. A follower that reads ``notification_id > p`` and
   moves ``p`` to the last id it saw (the ``DueIndex``, eventsourcing's subscriptions and
   projections) therefore never passes over an id that commits later. ``SELECT`` takes
   ``ACCESS SHARE``, which ``EXCLUSIVE`` does not block: readers never wait for writers.
2. **Large batches commit.** The lock, the ``NOTIFY`` and the ``INSERT … RETURNING`` run
   in one PL/pgSQL function per events table (``tthc_insert_<table>``), called with one
   array parameter in one statement: no psycopg pipeline, whose pure-Python
   ``pipeline_communicate`` (psycopg 3.3.9) stops flushing when its command queue is empty
   and then waits to read while several MB of the ``INSERT`` are still in libpq's output
   buffer (client in ``Pipeline.sync``, server in ``ClientRead``, forever).
3. **Many processes can start at once.** All ``CREATE`` statements of a recorder run in
   one transaction that first takes ``pg_advisory_xact_lock`` on a key derived from the
   schema, so concurrent starts queue instead of failing with ``tuple concurrently
   updated`` (two ``CREATE OR REPLACE FUNCTION``) or a duplicate ``pg_type`` row (two
   ``CREATE TABLE``/``CREATE TYPE``).

What eventsourcing does instead: with ``POSTGRES_ENABLE_DB_FUNCTIONS`` unset it locks the
table but sends lock and insert through a psycopg pipeline (promise 2 broken); with it
set it calls ``es_insert_events_<id type>``, which takes no lock (promise 1 broken), is
named per schema rather than per table (a second application in the same schema
redirects the first one's inserts into its own table), and skips the tracking row of a
process recorder. Here ``POSTGRES_ENABLE_DB_FUNCTIONS`` has no effect: the locking
function is always used.

Cost: writers of one events table are serialised, each holding the lock through its
commit (WAL flush included); a 12,500-event batch holds it for the length of its insert,
during which other writers wait. Measured in ADR 0008 (``benchmarks/bench_pg_insert.py``).
Every writer of a table must use this module: an ``eventsourcing.postgres`` writer with
database functions enabled bypasses the lock and breaks promise 1 for everyone.

Projections' own tables (``eventsourcing.projection`` views) get promise 3 when their
recorder class derives from :class:`OrderedTrackingRecorder`. An application that lets
users ask for ``eventsourcing.postgres`` passes its environment through
:func:`tthc_engine.application.persistence.prefer_ordered_postgres` in its
``construct_env`` (that module imports no database driver).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import eventsourcing.postgres as es_postgres
import psycopg
import psycopg.errors
from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    StoredEvent,
    Tracking,
)
from eventsourcing.utils import retry
from psycopg import Connection, Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

__all__ = [
    "Factory",
    "OrderedAggregateRecorder",
    "OrderedApplicationRecorder",
    "OrderedPostgresFactory",
    "OrderedProcessRecorder",
    "OrderedTrackingRecorder",
]

CREATION_LOCK_CLASS = 0x74746863
"""First key of the advisory lock taken around table creation (``'tthc'`` in ASCII); the
second key is ``hashtext(<schema>)``, so creations in different schemas do not queue."""

_LOCK_CREATION = SQL("SELECT pg_advisory_xact_lock(%s, hashtext(%s))")


class _CreatesUnderAdvisoryLock(es_postgres.PostgresRecorder):
    """Runs every ``CREATE`` of the recorder in one transaction under an advisory lock.

    eventsourcing creates each type in its own transaction (a duplicate type aborts the
    transaction) and the rest in another, with nothing to stop two processes doing it at
    the same moment. Here a type that already exists is skipped inside a savepoint.
    """

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(_LOCK_CREATION, (CREATION_LOCK_CLASS, self.datastore.schema))
            self._inspect_existing_tables(curs)
            for statement in self.sql_create_statements:
                if "CREATE TYPE" in statement.as_string():
                    self._create_type(curs, statement)
            self._create_table(curs)
        self.datastore.register_type_adapters()
        self._check_created_tables()

    @staticmethod
    def _create_type(curs: Cursor[DictRow], statement: Composed) -> None:
        # PostgreSQL has no CREATE TYPE IF NOT EXISTS; the savepoint keeps the
        # surrounding transaction usable when the type is already there.
        with contextlib.suppress(psycopg.errors.DuplicateObject), curs.connection.transaction():
            curs.execute(statement, prepare=False)

    def _inspect_existing_tables(self, curs: Cursor[DictRow]) -> None:
        """Read, under the lock, what the creation depends on (nothing by default)."""

    def _check_created_tables(self) -> None:
        """Check what was created, after the commit (nothing by default)."""


class OrderedAggregateRecorder(_CreatesUnderAdvisoryLock, es_postgres.PostgresAggregateRecorder):
    """eventsourcing's aggregate recorder (snapshots) with safe concurrent creation."""


class OrderedApplicationRecorder(
    _CreatesUnderAdvisoryLock, es_postgres.PostgresApplicationRecorder
):
    """Inserts through ``tthc_insert_<table>``: lock, notify, insert, in one statement."""

    def __init__(
        self,
        datastore: es_postgres.PostgresDatastore,
        *,
        events_table_name: str = "stored_events",
        **kwargs: Any,
    ) -> None:
        # **kwargs: the process recorder's tracking_table_name, passed along its MRO.
        super().__init__(datastore, events_table_name=events_table_name, **kwargs)
        self.insert_function_name = f"tthc_insert_{self.events_table_name}"
        self.check_identifier_length(self.insert_function_name)
        schema = Identifier(self.datastore.schema)
        function = Identifier(self.insert_function_name)
        event_type = Identifier(self.stored_event_type_name)
        # Replace eventsourcing's unlocked, per-schema es_insert_events_<type> function.
        self.sql_create_statements[self.create_insert_function_statement_index] = SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event_type}[]) "
            "RETURNS SETOF bigint "
            "LANGUAGE plpgsql "
            "SET lock_timeout = '{lock_timeout}s' "
            "AS $BODY$ "
            "BEGIN "
            # Before the first nextval() of the id sequence, until commit: ids are
            # handed out to one transaction at a time, in commit order.
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "RETURN QUERY "
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state FROM unnest(events) "
            "RETURNING notification_id; "
            "END; "
            "$BODY$"
        ).format(
            schema=schema,
            function=function,
            event_type=event_type,
            lock_timeout=self.datastore.lock_timeout,
            table=Identifier(self.events_table_name),
            channel=Identifier(self.channel_name),
        )
        self.sql_insert_through_function = SQL(
            "SELECT notification_id FROM {schema}.{function}(%s::{schema}.{event_type}[]) "
            "AS inserted(notification_id)"
        ).format(schema=schema, function=function, event_type=event_type)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            return self._insert_in_order(conn, curs, stored_events, **kwargs)

    def _insert_in_order(
        self,
        conn: Connection[DictRow],
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        **kwargs: Any,
    ) -> list[int]:
        """One statement in the connection's autocommit mode: the lock lasts until its commit."""
        if not stored_events:
            return []
        rows = [
            self.construct_pg_stored_event(
                originator_id=e.originator_id,
                originator_version=e.originator_version,
                topic=e.topic,
                state=e.state,
            )
            for e in stored_events
        ]
        curs.execute(self.sql_insert_through_function, (rows,), prepare=True)
        return [row["notification_id"] for row in curs.fetchall()]


class OrderedTrackingRecorder(_CreatesUnderAdvisoryLock, es_postgres.PostgresTrackingRecorder):
    """eventsourcing's tracking recorder with safe concurrent creation.

    eventsourcing reads the tracking table's migration state before creating it, outside
    any lock; two processes starting together both find no table and the second then fails
    to record the migration row. Here the state is read under the creation lock.
    """

    def _inspect_existing_tables(self, curs: Cursor[DictRow]) -> None:
        name = Identifier(self.datastore.schema, self.tracking_table_name).as_string(curs)
        row = curs.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (name,)).fetchone()
        self.tracking_table_exists = bool(row and row["present"])
        previous = None
        if self.tracking_table_exists:
            previous = self._max_tracking_id(self.table_migration_identifier, curs)
        self.tracking_migration_previous = self.tracking_migration_current = previous

    def _check_created_tables(self) -> None:
        if not self.datastore.single_row_tracking and self.tracking_migration_current is not None:
            msg = "Can't do multi-row tracking with single-row tracking table"
            raise OperationalError(msg)


class OrderedProcessRecorder(
    OrderedTrackingRecorder, OrderedApplicationRecorder, es_postgres.PostgresProcessRecorder
):
    """Records the tracking row and the new events in one transaction, in id order."""

    def __init__(
        self,
        datastore: es_postgres.PostgresDatastore,
        *,
        events_table_name: str = "stored_events",
        tracking_table_name: str = "notification_tracking",
    ) -> None:
        super().__init__(
            datastore,
            events_table_name=events_table_name,
            tracking_table_name=tracking_table_name,
        )

    def _insert_in_order(
        self,
        conn: Connection[DictRow],
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        **kwargs: Any,
    ) -> list[int]:
        tracking: Tracking | None = kwargs.get("tracking")
        if tracking is None:
            return super()._insert_in_order(conn, curs, stored_events)
        with conn.transaction():
            self._insert_tracking(curs, tracking)
            return super()._insert_in_order(conn, curs, stored_events)


class OrderedPostgresFactory(es_postgres.PostgresFactory):
    """eventsourcing's PostgreSQL factory building the ordered recorders above."""

    aggregate_recorder_class = OrderedAggregateRecorder
    application_recorder_class = OrderedApplicationRecorder
    tracking_recorder_class = OrderedTrackingRecorder
    process_recorder_class = OrderedProcessRecorder


Factory = OrderedPostgresFactory
