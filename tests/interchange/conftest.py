"""Fixtures for the interchange suite: stores to import into, a simulated month, log lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tthc_engine import Catalog, OneStopShop
from tthc_engine.interchange.exporter import export_jsonl
from tthc_engine.simulation import simulate_month

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

COUNTER = "000.00.10.H41"
"""The receiving unit of the hand-written logs."""
DEPARTMENT = "000.00.21.H41"


@pytest.fixture(params=STORES)
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh, empty store of one kind (SQLite file, or a PostgreSQL schema)."""
    if request.param == "sqlite":
        yield {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(tmp_path / "tthc.sqlite"),
        }
    else:
        yield request.getfixturevalue("postgres_env")


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[OneStopShop]:
    """An application on a fresh SQLite store, without a catalog."""
    app = OneStopShop(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(tmp_path / "store.sqlite"),
        }
    )
    yield app
    app.close()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.sample()


@pytest.fixture(scope="session")
def april_log(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """The export of a simulated April 2025 (6 dossiers a working day, in memory)."""
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog)
    simulate_month(app, 2025, 4, per_day=6, seed=7)
    path = tmp_path_factory.mktemp("april") / "april.jsonl"
    export_jsonl(app, path)
    return path


def event(
    ident: str,
    dossier: str,
    kind: str,
    at: str,
    agency: str = COUNTER,
    **data: Any,
) -> str:
    """One ``tthc.event/1`` line (times written as given, e.g. ``2025-04-14T09:00:00+07:00``)."""
    record = {
        "schema": "tthc.event/1",
        "id": ident,
        "dossier": dossier,
        "type": kind,
        "at": at,
        "agency": agency,
        "data": data,
    }
    return json.dumps(record, ensure_ascii=False)


def write_log(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path
