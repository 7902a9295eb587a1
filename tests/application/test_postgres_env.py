"""``prefer_ordered_postgres``: asking for eventsourcing's PostgreSQL gets ours (ADR 0008).

No server needed: building a factory opens no connection.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from tthc_engine.application.persistence import ORDERED_POSTGRES, prefer_ordered_postgres
from tthc_engine.application.postgres import OrderedPostgresFactory

SERVER = {
    "POSTGRES_DBNAME": "tthc",
    "POSTGRES_HOST": "127.0.0.1",
    "POSTGRES_USER": "tthc",
    "POSTGRES_PASSWORD": "tthc",
}


@pytest.mark.parametrize(
    "topic",
    [
        "eventsourcing.postgres",
        "eventsourcing.postgres:PostgresFactory",
        "eventsourcing.postgres:Factory",
    ],
)
def test_asking_for_eventsourcing_postgres_builds_the_ordered_factory(topic: str) -> None:
    env = prefer_ordered_postgres(
        Environment("OneStopShop", {"PERSISTENCE_MODULE": topic, **SERVER})
    )
    factory = InfrastructureFactory.construct(env)
    try:
        assert type(factory) is OrderedPostgresFactory
    finally:
        factory.close()


def test_the_application_prefixed_key_is_redirected_too() -> None:
    env = Environment(
        "OneStopShop",
        {
            "ONESTOPSHOP_PERSISTENCE_MODULE": "eventsourcing.postgres",
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        },
    )
    prefer_ordered_postgres(env)
    assert env.get("PERSISTENCE_MODULE") == ORDERED_POSTGRES
    assert dict(env)["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"


@pytest.mark.parametrize("topic", ["eventsourcing.sqlite", "eventsourcing.popo", ORDERED_POSTGRES])
def test_other_persistence_modules_are_left_alone(topic: str) -> None:
    env = prefer_ordered_postgres(Environment("OneStopShop", {"PERSISTENCE_MODULE": topic}))
    assert env.get("PERSISTENCE_MODULE") == topic


def test_an_environment_without_a_persistence_module_is_left_alone() -> None:
    env = prefer_ordered_postgres(Environment("OneStopShop", {}))
    assert dict(env) == {}


def test_choosing_the_persistence_module_imports_no_database_driver() -> None:
    code = "import sys, tthc_engine.application.persistence; sys.exit('psycopg' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
