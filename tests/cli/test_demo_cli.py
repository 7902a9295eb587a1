"""``tthc demo``, the quick start's main job, run as a real subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from tests.cli import run_tthc as _tthc


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
    assert figures["html"] == str(tmp_path / "demo.html")  # the page goes next to the store
    assert (tmp_path / "demo.html").read_text(encoding="utf-8").startswith("<!doctype html>")


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


def test_with_nothing_configured_the_demo_keeps_its_store_and_page_in_the_users_data_folder(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env["HOME"] = str(tmp_path / "home")
    result = _tthc("demo", cwd=tmp_path, env=env, timeout=60)  # the default month, 20 a day
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "home" / ".local" / "share" / "tthc-engine"
    assert (folder / "demo.sqlite").is_file()
    assert '<html lang="vi">' in (folder / "demo.html").read_text(encoding="utf-8")
    store, page = result.stderr.splitlines()  # where both went, and nothing else
    assert store.startswith(f"Kho sự kiện SQLite: {folder / 'demo.sqlite'} (")
    assert page == f"Báo cáo HTML: {folder / 'demo.html'}"
    assert "Tình hình, kết quả giải quyết TTHC" in result.stdout
    assert not list(tmp_path.glob("*.sqlite"))  # nothing left in the working directory


def test_xdg_data_home_moves_the_demo_and_quiet_keeps_stderr_empty(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = _tthc("demo", "--per-day", "1", "-q", "--lang", "en", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "data" / "tthc-engine" / "demo.html").is_file()
    assert "Dossier handling report" in result.stdout
