"""Stores and applications of the robustness suite: a real SQLite file or a PostgreSQL
schema per test, and applications on it with the sample catalog and a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tthc_engine import VN_TZ, OneStopShop
from tthc_engine.catalog import Catalog

SQLITE_AND_POSTGRES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
CATALOG = Catalog.sample()
NOW = datetime(2025, 12, 31, 10, 0, tzinfo=VN_TZ)
"""The clock of the applications made here: every business date of the suite is before it."""

AppFactory = Callable[..., OneStopShop]


def vn(*parts: int) -> datetime:
    """An aware business time in Vietnam: ``vn(2025, 7, 1, 9)``."""
    return datetime(*parts, tzinfo=VN_TZ)  # type: ignore[misc]


@pytest.fixture(params=SQLITE_AND_POSTGRES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The eventsourcing environment of one durable store (SQLite file or PostgreSQL)."""
    if request.param == "sqlite":
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(tmp_path / "tthc.sqlite"),
        }
    env: dict[str, str] = request.getfixturevalue("postgres_env")
    return env


@pytest.fixture
def make_app(store: dict[str, str]) -> Iterator[AppFactory]:
    """Applications on the test's store (each a separate instance, as in separate
    processes), closed after the test."""
    made: list[OneStopShop] = []

    def factory(**kwargs: object) -> OneStopShop:
        env = {**store, **kwargs.pop("env", {})}  # type: ignore[dict-item]
        kwargs.setdefault("catalog", CATALOG)
        kwargs.setdefault("clock", lambda: NOW)
        app = OneStopShop(env=env, **kwargs)  # type: ignore[arg-type]
        made.append(app)
        return app

    yield factory
    for app in made:
        app.close()


def last_id(app: OneStopShop) -> int:
    """The store's last notification id (0 when empty): what a write moves."""
    return app.recorder.max_notification_id() or 0
