"""``tthc simulate`` and ``tthc whatif``, run as real subprocesses."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.cli import run_tthc as _tthc

SMALL = """\
# three days of 20 dossiers a working day
extends: nghe-an-month
period: {from: 2025-10-06, to: 2025-10-08}
arrivals: {mode: fixed, per_day: 20}
"""


def test_simulate_writes_a_log_that_replays_without_a_problem_and_again_byte_for_byte(
    tmp_path: Path,
) -> None:
    period = ("--from", "2025-10-06", "--to", "2025-10-07")
    first = _tthc("simulate", *period, "--out", "a.jsonl", cwd=tmp_path)
    again = _tthc("simulate", *period, "--out", "b.jsonl", "--jobs", "2", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert "hồ sơ" in first.stdout  # the one-line summary, in Vietnamese by default
    log = tmp_path / "a.jsonl"
    assert log.read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    replayed = _tthc(
        "replay", str(log), *period, "--catalog", str(_sample()), "--json", cwd=tmp_path
    )
    assert replayed.returncode == 0, replayed.stderr
    report = json.loads(replayed.stdout)
    assert report["received"] > 600  # ~400 dossiers a working day in the month profile


def _sample() -> Path:
    from importlib import resources

    return Path(str(resources.files("tthc_engine.catalog").joinpath("data/nghe-an.yaml")))


def test_simulate_without_out_writes_the_log_to_standard_output(tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    result = _tthc("simulate", "--profile", "small.yaml", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) > 3 * 20
    assert all(json.loads(line)["schema"] == "tthc.event/1" for line in lines)
    assert "dossiers" in result.stderr


def test_simulate_records_through_one_stop_shop_into_sqlite(tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    result = _tthc("simulate", "--profile", "small.yaml", "--db", "sim.sqlite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "sim.sqlite") as connection:
        (stored,) = connection.execute(
            "SELECT COUNT(*) FROM stored_events WHERE topic LIKE 'tthc:Dossier.%'"
        ).fetchone()
    assert f"{stored:,} " in result.stdout


@pytest.mark.postgres
def test_simulate_records_into_postgresql(tmp_path: Path, postgres_env: dict[str, str]) -> None:
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    env = {**os.environ, **postgres_env}
    result = _tthc("simulate", "--profile", "small.yaml", "--db", "postgres", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "sự kiện" in result.stdout


def test_a_profile_with_problems_is_refused_in_one_line_naming_each(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        'extends = "nghe-an-month"\n[supplements]\nrate = 2\n[ratings]\nstars = 5\n',
        encoding="utf-8",
    )
    result = _tthc("simulate", "--profile", "bad.toml", "--out", "x.jsonl", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "bad.toml:supplements.rate: expected a number ≥ 0 and ≤ 1, got 2" in result.stderr
    assert "bad.toml:ratings.stars: unknown field" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_whatif_reports_each_variant_against_the_baseline_as_json(tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    result = _tthc(
        "whatif",
        "--profile",
        "small.yaml",
        "--seeds",
        "2",
        "--change",
        "/supplements/rate=0",
        "--change",
        "/catalog/2.001610/limit=2 ngày làm việc; "
        "/catalog/2.001610/steps/register/allotted=1 ngày làm việc",
        "--json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["seeds"] == [2025, 2026]
    assert data["variants"][0]["name"] == "/supplements/rate=0"
    fewer = data["variants"][0]["deltas"]["resolved"]
    assert fewer["mean"] >= 0
    assert len(fewer["per_seed"]) == 2
    table = _tthc(
        "whatif",
        "--profile",
        "small.yaml",
        "--seeds",
        "1",
        "--change",
        "/stops/rate=0",
        cwd=tmp_path,
    )
    assert table.returncode == 0, table.stderr
    assert "Phương án 1: /stops/rate=0" in table.stdout


def test_whatif_needs_a_change(tmp_path: Path) -> None:
    result = _tthc("whatif", "--profile", "nghe-an-month", cwd=tmp_path)
    assert result.returncode == 2
    assert "--change" in result.stderr
