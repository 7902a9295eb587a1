"""The persistence infrastructure the suite relies on is really there.

- the PostgreSQL server named by TTHC_PG_* accepts connections (psycopg);
- an eventsourcing Application round-trips an aggregate on SQLite and on
  PostgreSQL, configured with the tthc_engine.testing helpers and fixtures;
- CIPHER_KEY encrypts what is stored (dossiers hold personal data, ND 13/2023);
- the `tthc` pytest plugin skips PostgreSQL tests locally and fails them in CI.

PostgreSQL tests use a fresh schema per test (dropped afterwards), so reruns
are clean.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.cipher import AESCipher
from eventsourcing.domain import Aggregate, event

from tthc_engine.testing import (
    PostgresNotConfiguredError,
    in_ci,
    postgres_configured,
    postgres_env,
    sqlite_env,
)

pytest_plugins = ["pytester"]

SECRET = "Nguyễn Văn A, CCCD 040090001234"


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text

    @event("Edited")
    def edit(self, text: str) -> None:
        self.text = text


class Notebook(Application[UUID]):
    def write(self, text: str) -> UUID:
        note = Note(text)
        self.save(note)
        return note.id

    def edit(self, note_id: UUID, text: str) -> None:
        note: Note = self.repository.get(note_id)
        note.edit(text)
        self.save(note)

    def text(self, note_id: UUID) -> str:
        note: Note = self.repository.get(note_id)
        return note.text


def round_trip(env: dict[str, str]) -> UUID:
    """Write, edit, close; reopen the same store in a new application and read back."""
    app = Notebook(env=env)
    try:
        note_id = app.write("Hồ sơ 000.00.00.H41-250123-0001")
        app.edit(note_id, SECRET)
        assert app.repository.get(note_id).version == 2
    finally:
        app.close()
    reopened = Notebook(env=env)
    try:
        assert reopened.text(note_id) == SECRET
        assert reopened.repository.get(note_id).version == 2
        assert len(list(reopened.notification_log.select(start=1, limit=10))) == 2
    finally:
        reopened.close()
    return note_id


# --- helpers (no server needed) ------------------------------------------------

PG_VARS = {
    "TTHC_PG_HOST": "127.0.0.1",
    "TTHC_PG_PORT": "5433",
    "TTHC_PG_USER": "tthc",
    "TTHC_PG_PASSWORD": "tthc",
    "TTHC_PG_DBNAME": "tthc_test",
}


def test_postgres_env_maps_tthc_variables_to_eventsourcing_keys() -> None:
    assert postgres_env(schema="s1", environ=PG_VARS) == {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "tthc_test",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": "5433",
        "POSTGRES_USER": "tthc",
        "POSTGRES_PASSWORD": "tthc",
        "POSTGRES_SCHEMA": "s1",
    }


def test_postgres_env_defaults_port_and_names_missing_variables() -> None:
    no_port = {k: v for k, v in PG_VARS.items() if k != "TTHC_PG_PORT"}
    assert postgres_env(environ=no_port)["POSTGRES_PORT"] == "5432"
    assert "POSTGRES_SCHEMA" not in postgres_env(environ=no_port)
    with pytest.raises(PostgresNotConfiguredError, match="TTHC_PG_PASSWORD, TTHC_PG_DBNAME"):
        postgres_env(environ={"TTHC_PG_HOST": "h", "TTHC_PG_USER": "u"})
    assert not postgres_configured({})
    assert postgres_configured(PG_VARS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("", False), ("false", False), ("0", False)],
)
def test_in_ci(value: str, expected: bool) -> None:
    assert in_ci({"CI": value}) is expected
    assert in_ci({}) is False


def test_sqlite_env(tmp_path: Path) -> None:
    assert sqlite_env(tmp_path / "x.db") == {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(tmp_path / "x.db"),
    }


# --- SQLite ----------------------------------------------------------------------


def test_application_round_trips_an_aggregate_on_sqlite(sqlite_env: dict[str, str]) -> None:
    round_trip(sqlite_env)
    assert Path(sqlite_env["SQLITE_DBNAME"]).stat().st_size > 0


def test_cipher_key_encrypts_stored_events(sqlite_env: dict[str, str]) -> None:
    env = {**sqlite_env, "CIPHER_KEY": AESCipher.create_key(num_bytes=32)}
    note_id = round_trip(env)
    with sqlite3.connect(env["SQLITE_DBNAME"]) as db:
        states = [row[0] for row in db.execute("SELECT state FROM stored_events")]
    assert len(states) == 2
    assert all(SECRET.encode() not in state and b"040090001234" not in state for state in states)
    # Without the key the application cannot read the dossier back.
    app = Notebook(env=sqlite_env)
    try:
        with pytest.raises(ValueError):  # noqa: PT011 - whatever the decoder raises on ciphertext
            app.repository.get(note_id)
    finally:
        app.close()


# --- PostgreSQL --------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_server_is_reachable(postgres_env: dict[str, str]) -> None:
    with psycopg.connect(
        host=postgres_env["POSTGRES_HOST"],
        port=postgres_env["POSTGRES_PORT"],
        dbname=postgres_env["POSTGRES_DBNAME"],
        user=postgres_env["POSTGRES_USER"],
        password=postgres_env["POSTGRES_PASSWORD"],
        connect_timeout=10,
    ) as conn:
        row = conn.execute("SELECT current_user, current_database()").fetchone()
        assert row == (postgres_env["POSTGRES_USER"], postgres_env["POSTGRES_DBNAME"])
        assert conn.info.server_version >= 120000
        schema = conn.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (postgres_env["POSTGRES_SCHEMA"],)
        ).fetchone()
        assert schema == (1,), "the postgres_env fixture creates its schema"


@pytest.mark.postgres
def test_application_round_trips_an_aggregate_on_postgres(postgres_env: dict[str, str]) -> None:
    round_trip(postgres_env)


# --- the pytest plugin's skip/fail contract ------------------------------------------

PLUGIN_PROBE = """
import pytest

@pytest.mark.postgres
def test_marked():
    pass

def test_fixture(postgres_env):
    pass
"""


@pytest.fixture
def no_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "TTHC_PG_HOST",
        "TTHC_PG_PORT",
        "TTHC_PG_USER",
        "TTHC_PG_PASSWORD",
        "TTHC_PG_DBNAME",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_postgres")
def test_plugin_skips_postgres_tests_locally(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(PLUGIN_PROBE)
    result = pytester.runpytest_subprocess("-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*PostgreSQL not configured: set TTHC_PG_HOST*"])


@pytest.mark.usefixtures("no_postgres")
def test_plugin_fails_postgres_tests_in_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makepyfile(PLUGIN_PROBE)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*In CI, a missing PostgreSQL fails the run instead of skipping.*"]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
