"""``tthc watch``: the deadline watcher run against a store from the command line."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.cli import run_tthc as _tthc
from tests.projections.stores import shop
from tthc_engine import VN_TZ, Catalog, VietnamCalendar
from tthc_engine.simulation import simulate_month
from tthc_engine.testing import sqlite_env

OVERDUE = "tthc:Dossier.BecameOverdue"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """April 2025 at 3 dossiers a day, recorded until the month's end."""
    db = tmp_path / "office.sqlite"
    app = shop(sqlite_env(db), Catalog.sample())
    simulate_month(app, 2025, 4, per_day=3, seed=7)
    app.close()
    return db


def _marked(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        (n,) = connection.execute(
            "SELECT COUNT(*) FROM stored_events WHERE topic = ?", (OVERDUE,)
        ).fetchone()
    return int(n)


def test_a_tick_marks_each_dossier_past_its_due_once(store: Path, tmp_path: Path) -> None:
    at = "2025-05-20T09:00:00+07:00"  # every dossier left open in April is past its due
    first = _tthc("watch", "--db", str(store), "--at", at, "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    tick = json.loads(first.stdout)
    assert tick["at"] == at
    assert tick["overdue"], "the open April dossiers are overdue by 20 May"
    assert tick["open"] >= len(tick["overdue"])
    assert all(item["legal_due"] < at for item in tick["overdue"])
    assert _marked(store) == len(tick["overdue"])
    again = _tthc("watch", "--db", str(store), "--at", at, "--json", cwd=tmp_path)
    assert json.loads(again.stdout)["overdue"] == []  # marked once, never twice
    assert _marked(store) == len(tick["overdue"])


def test_the_tick_speaks_vietnamese_by_default_and_names_the_holder(
    store: Path, tmp_path: Path
) -> None:
    result = _tthc("watch", "--db", str(store), "--at", "2025-05-20T09:00:00+07:00",
                   cwd=tmp_path)  # fmt: skip
    head, title, first = result.stdout.splitlines()[:3]
    assert head.startswith("20/05/2025 09:00: ")
    assert "hồ sơ chuyển quá hạn" in head
    assert title == "Chuyển quá hạn:"
    assert " hạn " in first
    assert " đang ở " in first
    assert "(000." in first or "(001." in first  # the holder's name from the catalog, then code


def test_every_ticks_until_interrupted(store: Path, tmp_path: Path) -> None:
    """Ticks at the wall clock's time, so it needs today inside the calendar's data; past
    that (a year whose schedule is not shipped yet) the watcher refuses to tick, which
    test_a_bad_watch_request_is_refused_in_one_line pins."""
    if datetime.now(VN_TZ).date() > VietnamCalendar().last_day:
        pytest.skip("today is after the calendar's data: --every cannot tick")
    watcher = subprocess.Popen(
        [sys.executable, "-m", "tthc_engine.cli", "watch", "--db", str(store),
         "--every", "3600", "--json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert watcher.stdout is not None
        tick = json.loads(watcher.stdout.readline())  # one JSON object per tick and line
        assert tick["overdue"]
        watcher.send_signal(signal.SIGINT)
        _, err = watcher.communicate(timeout=60)
    finally:
        watcher.kill()
    assert watcher.returncode == 0, err
    assert err == ""
    assert _marked(store) == len(tick["overdue"])


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--at", "2099-01-01T09:00:00+07:00"], 1, "--at: 2099-01-01 is outside the calendar"),
        pytest.param(
            ["--at", (datetime.now(VN_TZ) + timedelta(days=2)).isoformat()],
            1,
            "in the future",
            marks=pytest.mark.skipif(
                (datetime.now(VN_TZ) + timedelta(days=2)).date() > VietnamCalendar().last_day,
                reason="two days from today is after the calendar's data",
            ),
            id="future",
        ),
        (["--at", "20/05/2025"], 1, "--at: '20/05/2025' is not an ISO 8601 date-time"),
        (["--every", "0"], 1, "--every: 0 must be more than 0 seconds"),
        (["--every", "5", "--at", "2025-05-20T09:00:00+07:00"], 2, "not allowed with"),
        (["--db", "nowhere.sqlite"], 1, "--db: nowhere.sqlite does not exist"),
    ],
)
def test_a_bad_watch_request_is_refused_in_one_line(
    store: Path, tmp_path: Path, args: list[str], code: int, says: str
) -> None:
    if "--db" not in args:
        args = ["--db", str(store), *args]
    result = _tthc("watch", *args, cwd=tmp_path)
    assert result.returncode == code
    assert says in result.stderr.strip().splitlines()[-1]
    assert _marked(store) == 0
