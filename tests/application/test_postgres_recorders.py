"""eventsourcing's own recorder test cases, run against ``tthc_engine.application.postgres``.

The recorders of ADR 0008 replace eventsourcing's insert path and table creation; these
are the behaviours eventsourcing promises of every recorder (insert/select, conflicts,
notification ids, tracking), each run in a fresh schema dropped afterwards.
"""

from __future__ import annotations

import unittest
import uuid
from typing import Any, ClassVar

import psycopg
import pytest
from eventsourcing.persistence import OperationalError, StoredEvent, Tracking
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    NonInterleavingNotificationIDsBaseCase,
    ProcessRecorderTestCase,
    TrackingRecorderTestCase,
)
from psycopg import sql

from tthc_engine.application.postgres import (
    OrderedAggregateRecorder,
    OrderedApplicationRecorder,
    OrderedProcessRecorder,
    OrderedTrackingRecorder,
)
from tthc_engine.testing import postgres_env

pytestmark = pytest.mark.postgres


class FreshSchema:
    """A unique schema and a datastore on it for each test method."""

    recorder_class: ClassVar[type[Any]]
    datastore: PostgresDatastore

    def setUp(self) -> None:
        self.env = postgres_env(schema=f"tthc_test_{uuid.uuid4().hex[:12]}")
        self._admin(sql.SQL("CREATE SCHEMA {}"))
        self.datastore = self._datastore()

    def _datastore(self, **options: Any) -> PostgresDatastore:
        return PostgresDatastore(
            dbname=self.env["POSTGRES_DBNAME"],
            host=self.env["POSTGRES_HOST"],
            port=self.env["POSTGRES_PORT"],
            user=self.env["POSTGRES_USER"],
            password=self.env["POSTGRES_PASSWORD"],
            schema=self.env["POSTGRES_SCHEMA"],
            **{"pool_size": 12, **options},
        )

    def tearDown(self) -> None:
        self.datastore.close()
        self._admin(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE"))

    def _admin(self, statement: sql.SQL) -> None:
        conninfo = psycopg.conninfo.make_conninfo(
            host=self.env["POSTGRES_HOST"],
            port=self.env["POSTGRES_PORT"],
            dbname=self.env["POSTGRES_DBNAME"],
            user=self.env["POSTGRES_USER"],
            password=self.env["POSTGRES_PASSWORD"],
        )
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(statement.format(sql.Identifier(self.env["POSTGRES_SCHEMA"])))

    def create_recorder(self) -> Any:
        recorder = self.recorder_class(self.datastore)
        recorder.create_table()
        return recorder


class TestOrderedAggregateRecorder(FreshSchema, AggregateRecorderTestCase):
    recorder_class = OrderedAggregateRecorder


class TestOrderedApplicationRecorder(FreshSchema, ApplicationRecorderTestCase[Any]):
    recorder_class = OrderedApplicationRecorder


class TestOrderedApplicationRecorderNeverInterleavesIds(
    FreshSchema, NonInterleavingNotificationIDsBaseCase
):
    recorder_class = OrderedApplicationRecorder


class TestOrderedTrackingRecorder(FreshSchema, TrackingRecorderTestCase):
    recorder_class = OrderedTrackingRecorder


class TestOrderedProcessRecorder(FreshSchema, ProcessRecorderTestCase):
    recorder_class = OrderedProcessRecorder


@pytest.mark.postgres
def test_one_stop_shop_writes_eventsourcing_postgres_through_the_ordered_recorders(
    postgres_env: dict[str, str],
) -> None:
    from tthc_engine import Catalog, OneStopShop
    from tthc_engine.application.postgres import OrderedApplicationRecorder

    assert postgres_env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    app = OneStopShop(env=postgres_env, catalog=Catalog.sample())
    try:
        assert isinstance(app.recorder, OrderedApplicationRecorder)
        assert "POSTGRES_ENABLE_DB_FUNCTIONS" not in OneStopShop.env
    finally:
        app.close()


class TestTrackingTableKinds(FreshSchema, unittest.TestCase):
    """Single-row tracking (eventsourcing's default) and legacy multi-row tracking tables,
    created under the creation lock, and the refusal to mix them."""

    def _tracking(self, *, single_row: bool) -> OrderedTrackingRecorder:
        datastore = self._datastore(single_row_tracking=single_row)
        self.addCleanup(datastore.close)
        recorder = OrderedTrackingRecorder(datastore)
        recorder.create_table()
        return recorder

    def test_a_multi_row_tracking_table_is_created_where_there_was_none(self) -> None:
        recorder = self._tracking(single_row=False)
        recorder.insert_tracking(Tracking("OneStopShop", 1))
        recorder.insert_tracking(Tracking("OneStopShop", 2))
        assert recorder.max_tracking_id("OneStopShop") == 2
        assert recorder.max_tracking_id("__migration__") is None
        again = self._tracking(single_row=False)
        assert again.max_tracking_id("OneStopShop") == 2

    def test_multi_row_tracking_over_a_single_row_table_is_refused_saying_so(self) -> None:
        self._tracking(single_row=True).insert_tracking(Tracking("OneStopShop", 5))
        with pytest.raises(OperationalError) as caught:
            self._tracking(single_row=False)
        assert str(caught.value) == "Can't do multi-row tracking with single-row tracking table"

    def test_a_second_start_on_a_single_row_table_keeps_its_positions(self) -> None:
        first = self._tracking(single_row=True)
        first.insert_tracking(Tracking("OneStopShop", 5))
        second = self._tracking(single_row=True)
        assert second.max_tracking_id("__migration__") == 1
        assert second.max_tracking_id("OneStopShop") == 5
        second.insert_tracking(Tracking("OneStopShop", 6))
        assert first.max_tracking_id("OneStopShop") == 6


class TestProcessRecorderWithoutTracking(FreshSchema, unittest.TestCase):
    def test_events_inserted_without_a_tracking_row_are_stored_in_order(self) -> None:
        recorder = OrderedProcessRecorder(self.datastore)
        recorder.create_table()
        originator = uuid.uuid4()
        events = [
            StoredEvent(originator, version, "topic:x", f"state {version}".encode())
            for version in (1, 2)
        ]
        ids = recorder.insert_events(events)
        assert ids == [1, 2]
        assert [(e.originator_version, e.state) for e in recorder.select_events(originator)] == [
            (1, b"state 1"),
            (2, b"state 2"),
        ]
        assert recorder.max_tracking_id("OneStopShop") is None


class TestInsertStatement(FreshSchema, unittest.TestCase):
    def test_the_insert_through_the_locking_function_is_prepared_on_its_first_use(self) -> None:
        datastore = self._datastore(pool_size=1)
        self.addCleanup(datastore.close)
        recorder = OrderedApplicationRecorder(datastore)
        recorder.create_table()
        recorder.insert_events([StoredEvent(uuid.uuid4(), 1, "topic:x", b"state")])
        with datastore.get_connection() as conn:
            prepared = conn.execute("SELECT statement FROM pg_prepared_statements").fetchall()
        assert [row["statement"] for row in prepared] == [
            recorder.sql_insert_through_function.as_string(conn).replace("%s", "$1")
        ]

    def test_the_types_created_at_start_are_not_kept_as_prepared_statements(self) -> None:
        datastore = self._datastore(pool_size=1)
        self.addCleanup(datastore.close)
        for _ in range(7):  # past psycopg's threshold for preparing a repeated query
            OrderedApplicationRecorder(datastore).create_table()
        with datastore.get_connection() as conn:
            prepared = conn.execute("SELECT statement FROM pg_prepared_statements").fetchall()
        assert [row["statement"] for row in prepared if "CREATE" in row["statement"]] == []

    def test_the_locking_insert_function_is_created_in_the_schema_under_its_name(self) -> None:
        recorder = OrderedApplicationRecorder(self.datastore, events_table_name="dossier_events")
        recorder.create_table()
        with self.datastore.get_connection() as conn:
            functions = conn.execute(
                "SELECT proname FROM pg_proc WHERE pronamespace = %s::regnamespace",
                (self.env["POSTGRES_SCHEMA"],),
            ).fetchall()
        assert [row["proname"] for row in functions] == ["tthc_insert_dossier_events"]
        assert recorder.insert_events([StoredEvent(uuid.uuid4(), 1, "topic:x", b"state")]) == [1]
