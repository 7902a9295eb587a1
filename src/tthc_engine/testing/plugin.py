"""pytest plugin ``tthc``: fixtures for tests of tthc-engine and code built on it.

Registered through the ``pytest11`` entry point, so installing tthc-engine is
enough. Fixtures:

``postgres_env``
    eventsourcing environment for PostgreSQL (from TTHC_PG_*) with a fresh,
    uniquely named schema that is dropped after the test, so reruns are clean.
``sqlite_env``
    eventsourcing environment for an SQLite file in the test's ``tmp_path``.

Tests marked ``@pytest.mark.postgres`` and tests using ``postgres_env`` are
skipped when TTHC_PG_* are absent; when ``CI`` is set they fail instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tthc_engine.testing import (
    PG_REQUIRED_VARS,
    PostgresNotConfiguredError,
    in_ci,
    postgres_configured,
)
from tthc_engine.testing import postgres_env as make_postgres_env
from tthc_engine.testing import sqlite_env as make_sqlite_env

__all__ = ["postgres_env", "require_postgres", "sqlite_env"]

CI_MESSAGE = "In CI, a missing PostgreSQL fails the run instead of skipping."


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgres: needs a PostgreSQL server (TTHC_PG_* environment variables)"
    )


def require_postgres() -> None:
    """Skip the current test when PostgreSQL is not configured (fail in CI)."""
    if postgres_configured():
        return
    missing = ", ".join(PG_REQUIRED_VARS)
    if in_ci():
        pytest.fail(f"PostgreSQL not configured ({missing} unset). {CI_MESSAGE}", pytrace=False)
    pytest.skip(f"PostgreSQL not configured: set {missing} (and TTHC_PG_PORT)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") is not None:
        require_postgres()


@pytest.fixture
def postgres_env() -> Iterator[dict[str, str]]:
    """eventsourcing env for PostgreSQL with a unique schema, dropped afterwards."""
    require_postgres()
    import psycopg  # optional dependency: tthc-engine[postgres]
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    schema = f"tthc_test_{uuid.uuid4().hex[:12]}"
    try:
        env = make_postgres_env(schema=schema)
    except PostgresNotConfiguredError as error:  # pragma: no cover - checked above
        pytest.fail(str(error), pytrace=False)
    conninfo = make_conninfo(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        connect_timeout=10,
    )
    where = f"{env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}"
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    except psycopg.OperationalError as error:
        pytest.fail(
            f"PostgreSQL at {where}/{env['POSTGRES_DBNAME']} is configured but not "
            f"reachable: {error}",
            pytrace=False,
        )
    try:
        yield env
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    """eventsourcing env for an SQLite file in this test's tmp_path."""
    return make_sqlite_env(tmp_path / "events.sqlite")
