"""pytest plugin ``tthc``: fixtures for tests of tthc-engine and code built on it.

Registered through the ``pytest11`` entry point, so installing tthc-engine is
enough. Fixtures:

``postgres_env``
    eventsourcing environment for PostgreSQL (from TTHC_PG_*) with a fresh,
    uniquely named schema that is dropped after the test, so reruns are clean.
``sqlite_env``
    eventsourcing environment for an SQLite file in the test's ``tmp_path``.
``tthc_calendar`` (session)
    ``VietnamCalendar()``.
``tthc_catalog`` (session)
    the Nghệ An sample catalog; override it in a ``conftest.py`` to use yours.
``tthc_catalog_builder``
    a fresh :class:`~tthc_engine.testing.CatalogBuilder`.
``tthc_clock``
    a :class:`~tthc_engine.testing.BusinessClock` at Monday 03/03/2025 07:00.
``tthc_frozen_clock``
    the same clock, with the system clock following it (freezegun) during the test.
``tthc_store_env``
    the store of ``tthc_shop``: in memory; override it (e.g. with ``sqlite_env``).
``tthc_shop``
    a ``OneStopShop`` on ``tthc_store_env``, ``tthc_catalog``, ``tthc_calendar`` and
    ``tthc_clock``.
``tthc_scenario``
    a :class:`~tthc_engine.testing.Scenario` of ``tthc_shop`` and ``tthc_clock``.

Tests marked ``@pytest.mark.postgres`` and tests using ``postgres_env`` are
skipped when TTHC_PG_* are absent; when ``CI`` is set they fail instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog
from tthc_engine.testing import (
    PG_REQUIRED_VARS,
    BusinessClock,
    CatalogBuilder,
    PostgresNotConfiguredError,
    Scenario,
    in_ci,
    memory_env,
    postgres_configured,
)
from tthc_engine.testing import postgres_env as make_postgres_env
from tthc_engine.testing import sqlite_env as make_sqlite_env
from tthc_engine.worktime import VietnamCalendar

__all__ = [
    "postgres_env",
    "require_postgres",
    "sqlite_env",
    "tthc_calendar",
    "tthc_catalog",
    "tthc_catalog_builder",
    "tthc_clock",
    "tthc_frozen_clock",
    "tthc_scenario",
    "tthc_shop",
    "tthc_store_env",
]

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


@pytest.fixture(scope="session")
def tthc_calendar() -> VietnamCalendar:
    """The civil-servant working-day calendar."""
    return VietnamCalendar()


@pytest.fixture(scope="session")
def tthc_catalog() -> Catalog:
    """The Nghệ An sample catalog (override this fixture to test with your own)."""
    return Catalog.sample()


@pytest.fixture
def tthc_catalog_builder() -> CatalogBuilder:
    """A fresh catalog builder."""
    return CatalogBuilder()


@pytest.fixture
def tthc_clock(tthc_calendar: VietnamCalendar) -> BusinessClock:
    """Business time at Monday 03/03/2025 07:00, moved by the test."""
    return BusinessClock("2025-03-03 07:00", tthc_calendar)


@pytest.fixture
def tthc_frozen_clock(tthc_clock: BusinessClock) -> Iterator[BusinessClock]:
    """``tthc_clock`` with the system clock following it (freezegun) during the test."""
    with tthc_clock.freeze():
        yield tthc_clock


@pytest.fixture
def tthc_store_env() -> dict[str, str]:
    """The store of ``tthc_shop``: in memory (override it, e.g. to return ``sqlite_env``)."""
    return memory_env()


@pytest.fixture
def tthc_shop(
    tthc_store_env: dict[str, str],
    tthc_catalog: Catalog,
    tthc_calendar: VietnamCalendar,
    tthc_clock: BusinessClock,
) -> Iterator[OneStopShop]:
    """A ``OneStopShop`` on the test's store, catalog, calendar and business clock."""
    shop = OneStopShop(
        env=dict(tthc_store_env), catalog=tthc_catalog, calendar=tthc_calendar, clock=tthc_clock
    )
    yield shop
    shop.close()


@pytest.fixture
def tthc_scenario(tthc_shop: OneStopShop, tthc_clock: BusinessClock) -> Scenario:
    """A scenario: the shop driven at the business clock's now."""
    return Scenario(tthc_shop, tthc_clock)
