"""Fixtures for the application suite: one contract, three stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tthc_engine import VN_TZ
from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog

STORES = ["popo", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

AppFactory = Callable[..., OneStopShop]


def vn(*parts: int) -> datetime:
    """An aware business time in Vietnam: ``vn(2025, 4, 14, 9)``."""
    return datetime(*parts, tzinfo=VN_TZ)  # type: ignore[misc]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.sample()


@pytest.fixture(params=STORES)
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The eventsourcing environment of one store kind (shared by apps made in one test)."""
    kind = request.param
    if kind == "popo":
        yield {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    elif kind == "sqlite":
        yield {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(tmp_path / "tthc.sqlite"),
        }
    else:
        yield request.getfixturevalue("postgres_env")


@pytest.fixture
def make_app(store_env: dict[str, str], catalog: Catalog) -> Iterator[AppFactory]:
    """Build apps on the test's store; POPO apps share one instance (memory is per app)."""
    made: list[OneStopShop] = []

    def factory(**kwargs: object) -> OneStopShop:
        if store_env["PERSISTENCE_MODULE"] == "eventsourcing.popo" and made and not kwargs:
            return made[0]
        env = dict(store_env)
        env.update(kwargs.pop("env", {}))  # type: ignore[arg-type]
        kwargs.setdefault("catalog", catalog)
        app = OneStopShop(env=env, **kwargs)  # type: ignore[arg-type]
        made.append(app)
        return app

    yield factory
    for app in made:
        app.close()


@pytest.fixture
def app(make_app: AppFactory) -> OneStopShop:
    return make_app()
