"""The CLI under bad arguments (issue 7 §4), run for real in a subprocess: one line on
stderr, exit code 1, and no file that is not a tthc store is ever deleted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def tthc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, "-m", "tthc_engine.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def one_line_error(run: subprocess.CompletedProcess[str], command: str) -> str:
    assert run.returncode == 1, run.stderr
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1, run.stderr
    assert run.stderr.startswith(f"tthc {command}: error: ")
    return run.stderr


def _other_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE users (name TEXT)")
        connection.execute("INSERT INTO users VALUES ('Nguyễn Văn An')")
    connection.close()


def _foreign_event_store(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
        )
        connection.execute("INSERT INTO stored_events VALUES ('x', 1, 'shop:Order.Placed', x'00')")
    connection.close()


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        pytest.param(
            lambda p: p.write_text("ghi chú quan trọng\n", encoding="utf-8"),
            "is not an SQLite database",
            id="a text file",
        ),
        pytest.param(_other_sqlite, "not an event store of tthc-engine", id="another SQLite db"),
        pytest.param(
            _foreign_event_store,
            "holds events that are not tthc-engine's",
            id="another application's event store",
        ),
    ],
)
def test_the_demo_never_replaces_a_file_that_is_not_a_tthc_store(
    tmp_path: Path, make: object, problem: str
) -> None:
    db = tmp_path / "notes.sqlite"
    make(db)  # type: ignore[operator]
    wal = tmp_path / "notes.sqlite-wal"
    wal.write_bytes(b"not a journal of ours")
    before = db.read_bytes()
    message = one_line_error(tthc("demo", "--db", str(db), "--per-day", "1", cwd=tmp_path), "demo")
    assert f"--db: {db} " in message
    assert problem in message
    assert "left alone" in message
    assert db.read_bytes() == before
    assert wal.read_bytes() == b"not a journal of ours"


def test_the_demo_leaves_a_stray_journal_alone(tmp_path: Path) -> None:
    wal = tmp_path / "demo.sqlite-wal"
    wal.write_bytes(b"someone's journal")
    message = one_line_error(
        tthc("demo", "--db", "demo.sqlite", "--per-day", "1", cwd=tmp_path), "demo"
    )
    assert "demo.sqlite-wal exist(s) without demo.sqlite" in message
    assert wal.read_bytes() == b"someone's journal"
    assert not (tmp_path / "demo.sqlite").exists()


def test_the_demo_replaces_the_store_of_its_previous_run(tmp_path: Path) -> None:
    for _ in range(2):
        run = tthc("demo", "--db", "demo.sqlite", "--per-day", "1", "--json", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
    with sqlite3.connect(tmp_path / "demo.sqlite") as connection:
        (dossiers,) = connection.execute(
            "SELECT COUNT(*) FROM stored_events WHERE topic IN "
            "('tthc:Dossier.Received', 'tthc:Dossier.Refused', 'tthc:Dossier.Submitted')"
        ).fetchone()
    connection.close()
    assert dossiers <= 21 * 2, "one month of one dossier a day, not two runs' worth"


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        pytest.param(".", "--db: . is a directory", id="a directory"),
        pytest.param(
            "no/such/dir/demo.sqlite",
            "--db: cannot open no/such/dir/demo.sqlite as an SQLite file",
            id="a missing directory",
        ),
        pytest.param(
            "file.txt/demo.sqlite",
            "--db: cannot open file.txt/demo.sqlite as an SQLite file",
            id="under a regular file",
        ),
    ],
)
def test_a_bad_db_path_is_one_line_not_a_traceback(tmp_path: Path, db: str, expected: str) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    message = one_line_error(tthc("demo", "--db", db, "--per-day", "1", cwd=tmp_path), "demo")
    assert expected in message
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("per_day", ["0", "10000"])
def test_the_demo_says_the_daily_limit_of_codes_before_writing_anything(
    tmp_path: Path, per_day: str
) -> None:
    message = one_line_error(
        tthc("demo", "--db", "demo.sqlite", "--per-day", per_day, cwd=tmp_path), "demo"
    )
    assert f"--per-day: {per_day} is not in 1..9,999" in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "received_at",
    ["9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+23:00"],
    ids=["max at -23:00", "min at +23:00"],
)
def test_a_deadline_from_an_instant_utc7_cannot_express_is_one_line(
    tmp_path: Path, received_at: str
) -> None:
    message = one_line_error(
        tthc("deadline", received_at, "5 ngày làm việc", cwd=tmp_path), "deadline"
    )
    assert f"RECEIVED_AT: {received_at} cannot be expressed in UTC+7" in message
