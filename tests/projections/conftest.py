"""Fixtures of the projection tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc_engine.testing import sqlite_env


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """An empty store of each kind the indicator tables live in: an SQLite file, then a
    PostgreSQL schema of its own."""
    if request.param == "sqlite":
        return sqlite_env(tmp_path / "store.sqlite")
    env: dict[str, str] = request.getfixturevalue("postgres_env")
    return env
