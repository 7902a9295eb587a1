"""``tthc demo``, the quick start's main job, run as a real subprocess."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path


def _tthc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tthc_engine.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_demo_records_a_month_in_sqlite_and_reports_it(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    result = _tthc("demo", "--db", str(db), "--per-day", "6", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["period"] == {"from": "2025-04-01", "to": "2025-04-30"}
    assert figures["received"] + figures["refused"] == 6 * 21  # 20 weekdays + Sat 26/04
    assert figures["resolved"] == figures["early"] + figures["on_time"] + figures["late"]
    assert sum(figures["received_by_channel"].values()) == figures["received"]
    with sqlite3.connect(db) as connection:
        (stored,) = connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()
    assert stored >= figures["store"]["events"] > figures["received"]


def test_the_demo_is_reproducible_and_speaks_vietnamese_by_default(tmp_path: Path) -> None:
    first = _tthc("demo", "--db", str(tmp_path / "a.sqlite"), "--per-day", "4", cwd=tmp_path)
    again = _tthc("demo", "--db", str(tmp_path / "a.sqlite"), "--per-day", "4", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Tình hình, kết quả giải quyết TTHC" in first.stdout
    assert "Tỷ lệ giải quyết đúng hạn" in first.stdout
    assert first.stdout == again.stdout  # the store is replaced, the seed fixes the traffic
    english = _tthc(
        "demo", "--db", str(tmp_path / "b.sqlite"), "--per-day", "4", "--lang", "en", cwd=tmp_path
    )
    assert "On-time rate" in english.stdout


def test_the_demo_rejects_a_bad_month_in_one_line(tmp_path: Path) -> None:
    result = _tthc("demo", "--db", str(tmp_path / "x.sqlite"), "--month", "2025-13", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "--month" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_the_demo_finds_the_sample_catalog_from_any_directory(tmp_path: Path) -> None:
    result = _tthc("demo", "--db", "here.sqlite", "--per-day", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "here.sqlite").exists()
