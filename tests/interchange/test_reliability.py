"""An import killed with SIGKILL half-way, then run again, stores every event exactly once
(issue 8 §4), on SQLite and PostgreSQL: each batch is one transaction, and a fact whose id
is stored already is skipped."""

from __future__ import annotations

import functools
import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interchange.conftest import STORES
from tthc_engine import Catalog, OneStopShop
from tthc_engine.interchange.exporter import export_jsonl


def _environ(store_env: dict[str, str]) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "PERSIST"))}
    environ.update(store_env)
    return environ


def _import(log: Path, store_env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tthc_engine.cli", "import", str(log), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        env=_environ(store_env),
    )


@pytest.fixture(params=STORES)
def two_stores(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Two fresh stores of one kind: one to kill an import in, one for a clean import."""
    if request.param == "sqlite":
        yield (
            {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "a")},
            {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "b")},
        )
        return
    import psycopg
    from psycopg import sql

    first = request.getfixturevalue("postgres_env")
    clean = {**first, "POSTGRES_SCHEMA": first["POSTGRES_SCHEMA"] + "_clean"}
    schema = sql.Identifier(clean["POSTGRES_SCHEMA"])
    connect = functools.partial(
        psycopg.connect,
        host=first["POSTGRES_HOST"],
        port=first["POSTGRES_PORT"],
        dbname=first["POSTGRES_DBNAME"],
        user=first["POSTGRES_USER"],
        password=first["POSTGRES_PASSWORD"],
        autocommit=True,
    )
    with connect() as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
    yield first, clean
    with connect() as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(schema))


def _stored(store_env: dict[str, str], catalog: Catalog) -> list[str]:
    """The store's export, line by line (PostgreSQL notification ids may have gaps where a
    killed transaction took numbers, so events are counted by exporting them)."""
    app = OneStopShop(env=store_env, catalog=catalog)
    try:
        buffer = io.StringIO()
        export_jsonl(app, buffer)
        return buffer.getvalue().splitlines()
    finally:
        app.close()


def test_an_import_killed_half_way_and_run_again_stores_each_event_once(
    april_log: Path, two_stores: tuple[dict[str, str], dict[str, str]], catalog: Catalog
) -> None:
    killed_env, clean_env = two_stores
    lines = april_log.read_text(encoding="utf-8").count("\n")
    process = _import(april_log, killed_env, "--batch", "20", "--verbose")
    assert process.stderr is not None
    seen = process.stderr.readline()  # the first batch is committed: kill it now
    assert "lô 1" in seen, seen + process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    half = len(_stored(killed_env, catalog))
    assert 20 <= half < lines  # not all of it,
    assert half % 20 == 0  # and whole batches only

    again = _import(april_log, killed_env, "--lang", "en")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{half} already stored" in out

    clean = _import(april_log, clean_env)
    _, err = clean.communicate(timeout=300)
    assert clean.returncode == 0, err
    restarted = _stored(killed_env, catalog)
    assert len(restarted) == lines
    assert restarted == _stored(clean_env, catalog)
    assert restarted == april_log.read_text(encoding="utf-8").splitlines()
