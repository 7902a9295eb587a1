"""eventsourcing's own recorder test cases, run against ``tthc_engine.application.postgres``.

The recorders of ADR 0008 replace eventsourcing's insert path and table creation; these
are the behaviours eventsourcing promises of every recorder (insert/select, conflicts,
notification ids, tracking), each run in a fresh schema dropped afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

import psycopg
import pytest
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
        self.datastore = PostgresDatastore(
            dbname=self.env["POSTGRES_DBNAME"],
            host=self.env["POSTGRES_HOST"],
            port=self.env["POSTGRES_PORT"],
            user=self.env["POSTGRES_USER"],
            password=self.env["POSTGRES_PASSWORD"],
            schema=self.env["POSTGRES_SCHEMA"],
            pool_size=12,
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
