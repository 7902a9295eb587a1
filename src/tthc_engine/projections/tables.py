"""The tables an indicator projection keeps, in SQLite or PostgreSQL, beside its tracking row.

Each class is one of eventsourcing's tracking recorders (the ``Tracking`` of the last
notification counted, in a row named ``<application>/indicators``) extended with the view's
own tables,
created with it and written in the same transaction as the tracking row — eventsourcing's
idiom for a materialised view that is updated exactly once:

``tthc_indicator_counts (month, scope, value, key, n)``
    The counts of each month's :class:`~tthc_engine.projections.tally.SegmentTally`, added
    up page after page: ``scope`` is ``all`` (``value`` empty), a group dimension (agency,
    procedure, field, level: ``value`` is the group), ``step`` (``value`` the agency,
    ``key`` the verdict) or ``cause`` (``value`` the agency, ``key`` ``late``). ``month``
    is ``YYYYMM``.
``tthc_indicator_dossiers (originator_id, code, boundary, open_from, ended_pending, state)``
    Every dossier seen: ``boundary`` is the month at whose end it is to be counted next;
    ``open_from`` (open and received) and ``ended_pending`` (ended, not yet counted at the
    end of the month it ended in) say which dossiers a report must still count itself;
    ``state`` is the pickled fold state (see ADR 0010).
``tthc_indicator_settings (name, value)``
    What the projection was built with (state format, calendar, catalog, rules).

A page is committed by :meth:`commit_page`: in one transaction, the tracked position is
checked to be the one the page was read from (another follower that moved it makes the page
fail instead of counting twice), then the counts are added, the dossiers written and the
new position recorded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs
from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from tthc_engine.errors import TthcError

__all__ = [
    "DOSSIER_COLUMNS",
    "CountRow",
    "DossierRow",
    "IndicatorTables",
    "PositionMovedError",
    "SQLiteIndicatorTables",
    "check_position",
    "dossier_params",
    "tables_for",
]

CountRow = tuple[int, str, str, str, int]
"""``(month, scope, value, key, n)``."""


@attrs.frozen
class DossierRow:
    """One row of ``tthc_indicator_dossiers``."""

    originator_id: str
    code: str
    boundary: int
    open_from: int | None
    ended_pending: int | None
    state: bytes


class PositionMovedError(TthcError):
    """The tracked position moved while a page was being folded (another follower)."""


class IndicatorTables(Protocol):
    """What the indicator projection asks of its tables."""

    def position(self, application_name: str) -> int:
        """The last notification id counted (0: none)."""
        ...

    def settings(self) -> dict[str, str]: ...

    def dossiers(self, originator_ids: Collection[str]) -> dict[str, DossierRow]:
        """The rows of these dossiers (those that exist)."""
        ...

    def commit_page(
        self,
        application_name: str,
        read_from: int,
        reached: int,
        dossiers: Sequence[DossierRow],
        counts: Sequence[CountRow],
    ) -> None:
        """Add ``counts``, write ``dossiers`` and move the position from ``read_from`` to
        ``reached``, in one transaction.

        Raises:
            PositionMovedError: the position is no longer ``read_from``; nothing written.
        """
        ...

    def snapshot(self, first: int, last: int) -> tuple[list[CountRow], list[DossierRow]]:
        """In one consistent read: the counts of months ``first``..``last`` and the
        dossiers a report of those months must count itself (open ones counted up to a month
        before ``last``, ended ones not yet counted at the end of their month)."""
        ...

    def months(self) -> tuple[int, int] | None:
        """The first and last month with counts."""
        ...

    def reset(self, application_name: str, settings: Mapping[str, str]) -> None:
        """Empty the tables and the position; record ``settings``."""
        ...

    def wait(self, application_name: str, notification_id: int | None, timeout: float) -> None:
        """Block until ``notification_id`` is counted (eventsourcing's tracking wait)."""
        ...

    def close(self) -> None: ...


# -- SQLite --------------------------------------------------------------------------------
_SQLITE_TABLES = [
    "CREATE TABLE IF NOT EXISTS tthc_indicator_counts ("
    "month INTEGER NOT NULL, scope TEXT NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (month, scope, value, key)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS tthc_indicator_dossiers ("
    "originator_id TEXT PRIMARY KEY, code TEXT NOT NULL, boundary INTEGER NOT NULL, "
    "open_from INTEGER, ended_pending INTEGER, state BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS tthc_indicator_dossiers_open "
    "ON tthc_indicator_dossiers (open_from) WHERE open_from IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS tthc_indicator_dossiers_ended "
    "ON tthc_indicator_dossiers (ended_pending) WHERE ended_pending IS NOT NULL",
    "CREATE TABLE IF NOT EXISTS tthc_indicator_settings ("
    "name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
]
_ADD_COUNT = (
    "INSERT INTO tthc_indicator_counts (month, scope, value, key, n) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (month, scope, value, key) DO UPDATE SET n = n + excluded.n"
)
_PUT_DOSSIER = (
    "INSERT OR REPLACE INTO tthc_indicator_dossiers "
    "(originator_id, code, boundary, open_from, ended_pending, state) VALUES (?, ?, ?, ?, ?, ?)"
)
DOSSIER_COLUMNS = "originator_id, code, boundary, open_from, ended_pending, state"
_SQLITE_CHUNK = 900
"""Dossiers asked for in one ``IN (...)`` (SQLite allows 999 parameters in old builds)."""


def _dossier(row: Any) -> DossierRow:
    return DossierRow(row[0], row[1], row[2], row[3], row[4], bytes(row[5]))


def _count(row: Any) -> CountRow:
    return (row[0], row[1], row[2], row[3], row[4])


def dossier_params(rows: Iterable[DossierRow]) -> list[tuple[Any, ...]]:
    return [
        (r.originator_id, r.code, r.boundary, r.open_from, r.ended_pending, r.state) for r in rows
    ]


class SQLiteIndicatorTables(SQLiteTrackingRecorder):
    """The indicator tables in an SQLite database (eventsourcing's ``tracking`` table for
    the position)."""

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *_SQLITE_TABLES]

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def settings(self) -> dict[str, str]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT name, value FROM tthc_indicator_settings")
            return {row[0]: row[1] for row in c.fetchall()}

    def dossiers(self, originator_ids: Collection[str]) -> dict[str, DossierRow]:
        found: dict[str, DossierRow] = {}
        ids = list(originator_ids)
        with self.datastore.transaction(commit=False) as c:
            for at in range(0, len(ids), _SQLITE_CHUNK):
                chunk = ids[at : at + _SQLITE_CHUNK]
                marks = ", ".join("?" * len(chunk))
                c.execute(
                    f"SELECT {DOSSIER_COLUMNS} FROM tthc_indicator_dossiers "
                    f"WHERE originator_id IN ({marks})",
                    chunk,
                )
                for row in c.fetchall():
                    found[row[0]] = _dossier(row)
        return found

    def commit_page(
        self,
        application_name: str,
        read_from: int,
        reached: int,
        dossiers: Sequence[DossierRow],
        counts: Sequence[CountRow],
    ) -> None:
        # BEGIN IMMEDIATE takes the write lock first, so the position read below is the
        # latest one and cannot change before the commit (a deferred BEGIN would read an
        # older snapshot, then fail to write while the application writes events).
        with self.datastore.get_connection(commit=True) as conn:
            c = conn.cursor()
            try:
                c.execute("BEGIN IMMEDIATE")
                check_position(self._max_tracking_id(application_name, c), read_from)
                c.executemany(_ADD_COUNT, counts)
                c.executemany(_PUT_DOSSIER, dossier_params(dossiers))
                self._insert_tracking(c, Tracking(application_name, reached))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                c.sqlite_cursor.close()

    def snapshot(self, first: int, last: int) -> tuple[list[CountRow], list[DossierRow]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT month, scope, value, key, n FROM tthc_indicator_counts "
                "WHERE month BETWEEN ? AND ?",
                (first, last),
            )
            counts = [_count(row) for row in c.fetchall()]
            c.execute(
                f"SELECT {DOSSIER_COLUMNS} FROM tthc_indicator_dossiers "
                "WHERE open_from <= ? OR ended_pending BETWEEN ? AND ?",
                (last, first, last),
            )
            pending = [_dossier(row) for row in c.fetchall()]
        return counts, pending

    def months(self) -> tuple[int, int] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT MIN(month), MAX(month) FROM tthc_indicator_counts")
            low, high = c.fetchone()
        return None if low is None else (int(low), int(high))

    def reset(self, application_name: str, settings: Mapping[str, str]) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM tthc_indicator_counts")
            c.execute("DELETE FROM tthc_indicator_dossiers")
            c.execute("DELETE FROM tracking WHERE application_name = ?", (application_name,))
            c.execute("DELETE FROM tthc_indicator_settings")
            c.executemany(
                "INSERT INTO tthc_indicator_settings (name, value) VALUES (?, ?)",
                list(settings.items()),
            )

    def close(self) -> None:
        self.datastore.close()


def check_position(current: int | None, read_from: int) -> None:
    if (current or 0) != read_from:
        raise PositionMovedError(
            f"the projection's position moved from {read_from} to {current or 0} while a page "
            "was being counted (another follower); the page was not written"
        )


def tables_for(datastore: object) -> IndicatorTables:
    """The indicator tables in the database of ``datastore`` (created if missing)."""
    if isinstance(datastore, SQLiteDatastore):
        tables = SQLiteIndicatorTables(datastore)
        tables.create_table()
        return tables
    if type(datastore).__module__.startswith("eventsourcing.postgres"):
        # psycopg is an optional dependency (the postgres extra): imported only when used
        from tthc_engine.projections.tables_postgres import PostgresIndicatorTables

        pg = PostgresIndicatorTables(datastore)  # type: ignore[arg-type]
        pg.create_table()
        return pg
    raise TthcError(
        "indicator projections are kept in SQLite or PostgreSQL tables: this store is "
        f"{type(datastore).__name__ if datastore is not None else 'in memory'}"
    )
