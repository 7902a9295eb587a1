"""The indicator tables of :mod:`tthc_engine.projections.tables` in PostgreSQL.

Kept apart because psycopg is an optional dependency (``pip install "tthc-engine[postgres]"``).
The tables live in the application's schema with a tracking table of their own
(``tthc_indicator_tracking``); a page's transaction first takes an advisory lock of the
schema's indicator projection, so two followers never count the same page.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Composed, Identifier

from tthc_engine.application.postgres import OrderedTrackingRecorder
from tthc_engine.projections.tables import (
    DOSSIER_COLUMNS,
    CountRow,
    DossierRow,
    check_position,
    dossier_params,
)

__all__ = ["PostgresIndicatorTables"]


class PostgresIndicatorTables(OrderedTrackingRecorder):
    """The indicator tables in the application's PostgreSQL schema, with a tracking table
    of their own (``tthc_indicator_tracking``)."""

    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        tracking_table_name: str = "tthc_indicator_tracking",
        **kwargs: Any,
    ) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        schema = Identifier(self.datastore.schema)
        self._counts = SQL("{}.{}").format(schema, Identifier("tthc_indicator_counts"))
        self._dossiers = SQL("{}.{}").format(schema, Identifier("tthc_indicator_dossiers"))
        self._settings = SQL("{}.{}").format(schema, Identifier("tthc_indicator_settings"))
        self._tracking = SQL("{}.{}").format(schema, Identifier(tracking_table_name))
        self._lock_key = zlib.crc32(f"tthc_indicator:{self.datastore.schema}".encode())
        self.sql_create_statements += [
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (month integer NOT NULL, scope text NOT NULL, "
                "value text NOT NULL, key text NOT NULL, n bigint NOT NULL, "
                "PRIMARY KEY (month, scope, value, key))"
            ).format(self._counts),
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (originator_id text PRIMARY KEY, "
                "code text NOT NULL, boundary integer NOT NULL, open_from integer, "
                "ended_pending integer, state bytea NOT NULL)"
            ).format(self._dossiers),
            SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (open_from) WHERE open_from IS NOT NULL"
            ).format(Identifier("tthc_indicator_dossiers_open"), self._dossiers),
            SQL(
                "CREATE INDEX IF NOT EXISTS {} ON {} (ended_pending) "
                "WHERE ended_pending IS NOT NULL"
            ).format(Identifier("tthc_indicator_dossiers_ended"), self._dossiers),
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, value text NOT NULL)"
            ).format(self._settings),
        ]
        self._add_count: Composed = SQL(
            "INSERT INTO {0} AS t (month, scope, value, key, n) "
            "SELECT * FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], "
            "%s::bigint[]) ON CONFLICT (month, scope, value, key) DO UPDATE SET n = t.n + "
            "excluded.n"
        ).format(self._counts)
        self._put_dossier: Composed = SQL(
            "INSERT INTO {0} AS t (originator_id, code, boundary, open_from, ended_pending, "
            "state) SELECT * FROM unnest(%s::text[], %s::text[], %s::integer[], "
            "%s::integer[], %s::integer[], %s::bytea[]) ON CONFLICT (originator_id) DO UPDATE "
            "SET code = excluded.code, boundary = excluded.boundary, "
            "open_from = excluded.open_from, ended_pending = excluded.ended_pending, "
            "state = excluded.state"
        ).format(self._dossiers)
        self._columns = SQL(DOSSIER_COLUMNS)

    def position(self, application_name: str) -> int:
        return self.max_tracking_id(application_name) or 0

    def settings(self) -> dict[str, str]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT name, value FROM {}").format(self._settings))
            return {row["name"]: row["value"] for row in curs.fetchall()}

    def dossiers(self, originator_ids: Collection[str]) -> dict[str, DossierRow]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL("SELECT {} FROM {} WHERE originator_id = ANY(%s)").format(
                    self._columns, self._dossiers
                ),
                (list(originator_ids),),
            )
            return {row["originator_id"]: _pg_dossier(row) for row in curs.fetchall()}

    def commit_page(
        self,
        application_name: str,
        read_from: int,
        reached: int,
        dossiers: Sequence[DossierRow],
        counts: Sequence[CountRow],
    ) -> None:
        with self.datastore.transaction(commit=True) as curs:
            # one follower at a time past this point, until the commit
            curs.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            check_position(self._max_tracking_id(application_name, curs), read_from)
            if counts:
                curs.execute(self._add_count, _columns(counts))
            if dossiers:
                curs.execute(self._put_dossier, _columns(dossier_params(dossiers)))
            self._insert_tracking(curs, Tracking(application_name, reached))

    def snapshot(self, first: int, last: int) -> tuple[list[CountRow], list[DossierRow]]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            curs.execute(
                SQL(
                    "SELECT month, scope, value, key, n FROM {} WHERE month BETWEEN %s AND %s"
                ).format(self._counts),
                (first, last),
            )
            counts = [
                (r["month"], r["scope"], r["value"], r["key"], r["n"]) for r in curs.fetchall()
            ]
            curs.execute(
                SQL(
                    "SELECT {} FROM {} WHERE open_from <= %s OR ended_pending BETWEEN %s AND %s"
                ).format(self._columns, self._dossiers),
                (last, first, last),
            )
            pending = [_pg_dossier(row) for row in curs.fetchall()]
        return counts, pending

    def months(self) -> tuple[int, int] | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL("SELECT MIN(month) AS low, MAX(month) AS high FROM {}").format(self._counts)
            )
            row = curs.fetchone()
        if row is None or row["low"] is None:
            return None
        return int(row["low"]), int(row["high"])

    def reset(self, application_name: str, settings: Mapping[str, str]) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            curs.execute(SQL("DELETE FROM {}").format(self._counts))
            curs.execute(SQL("DELETE FROM {}").format(self._dossiers))
            curs.execute(
                SQL("DELETE FROM {} WHERE application_name = %s").format(self._tracking),
                (application_name,),
            )
            curs.execute(SQL("DELETE FROM {}").format(self._settings))
            for name, value in settings.items():
                curs.execute(
                    SQL("INSERT INTO {} (name, value) VALUES (%s, %s)").format(self._settings),
                    (name, value),
                )

    def close(self) -> None:
        self.datastore.close()


def _pg_dossier(row: Mapping[str, Any]) -> DossierRow:
    return DossierRow(
        row["originator_id"],
        row["code"],
        row["boundary"],
        row["open_from"],
        row["ended_pending"],
        bytes(row["state"]),
    )


def _columns(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows as columns: one array parameter per column for ``unnest``."""
    return [list(column) for column in zip(*rows, strict=True)]
