"""``tthc report``: a period's report from a store's indicator projection or from event logs,
as a table, JSON or an HTML page, run as a subprocess."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli import run_tthc as _tthc
from tests.conftest import CASES
from tests.projections.stores import shop
from tthc_engine import Catalog
from tthc_engine.simulation import simulate_month


def _without_store_settings() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if k != "PERSISTENCE_MODULE" and not k.startswith("POSTGRES_")
    }


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "demo.sqlite"
    result = _tthc("demo", "--db", str(db), "--per-day", "3", "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    return db, json.loads(result.stdout)


def test_the_report_of_the_demo_store_is_the_report_the_demo_printed(
    demo_db: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    db, demo = demo_db
    result = _tthc("report", "--db", str(db), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {k: v for k, v in demo.items() if k not in ("store", "example", "html")}
    assert report["period"] == {"from": "2025-04-01", "to": "2025-04-30"}


def test_the_report_speaks_vietnamese_and_english_and_says_where_the_projection_stands(
    demo_db: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    db, demo = demo_db
    vi = _tthc("report", "--db", str(db), "--from", "2025-04", "--to", "2025-04", cwd=tmp_path)
    assert vi.returncode == 0, vi.stderr
    assert "Tình hình, kết quả giải quyết TTHC — 01/04/2025 đến 30/04/2025" in vi.stdout
    assert f"Tiếp nhận trong kỳ{'':<30} {demo['received']:>8}" in vi.stdout
    assert "(còn 0 chưa đếm)" in vi.stderr  # where the figures come from: a notice
    en = _tthc("report", "--db", str(db), "--lang", "en", cwd=tmp_path)
    assert "On-time rate" in en.stdout
    assert "(0 not yet counted)" in en.stderr
    quiet = _tthc("report", "--db", str(db), "-q", cwd=tmp_path)
    assert quiet.stdout == vi.stdout
    assert quiet.stderr == ""


def test_a_store_written_after_the_last_report_is_caught_up_by_the_next(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(db)}
    app = shop(env, Catalog.sample())
    simulate_month(app, 2025, 4, per_day=2, seed=1)
    first = _tthc("report", "--db", str(db), "--json", cwd=tmp_path)
    simulate_month(app, 2025, 5, per_day=2, seed=2)
    app.close()
    second = _tthc("report", "--db", str(db), "--json", cwd=tmp_path)
    assert first.returncode == second.returncode == 0, second.stderr
    april, both = json.loads(first.stdout), json.loads(second.stdout)
    assert both["period"] == {"from": "2025-04-01", "to": "2025-05-31"}
    assert both["by_month"]["2025-04"] == april["by_month"]["2025-04"]
    assert both["received"] == april["received"] + both["by_month"]["2025-05"]["received"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--db", "missing.sqlite"], "--db: missing.sqlite does not exist"),
        ([], "--db: give the store's SQLite file"),
        (["--from", "2025-04-02", "--to", "2025-04-30"], "is not whole months"),
        (["--from", "2025-04-01"], "give both --from and --to"),
        (["--catalog", "nowhere.yaml"], "--catalog: nowhere.yaml does not exist"),
    ],
)
def test_a_bad_request_is_refused_in_one_line(
    demo_db: tuple[Path, dict[str, object]], tmp_path: Path, args: list[str], says: str
) -> None:
    db, _ = demo_db
    if args and args[0] != "--db":
        args = ["--db", str(db), *args]
    result = _tthc("report", *args, cwd=tmp_path, env=_without_store_settings())
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert says in result.stderr


def test_tables_built_with_another_catalog_ask_for_a_rebuild(
    demo_db: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    db, _ = demo_db
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(db.read_bytes())
    catalog = tmp_path / "empty.yaml"
    catalog.write_text("procedures: []\n", encoding="utf-8")
    refused = _tthc("report", "--db", str(copy), "--catalog", str(catalog), cwd=tmp_path)
    assert refused.returncode == 1
    assert "--rebuild" in refused.stderr
    assert refused.stderr.strip().count("\n") == 0


@pytest.mark.postgres
def test_the_report_of_a_postgresql_store_named_by_the_environment(
    postgres_env: dict[str, str], tmp_path: Path
) -> None:
    app = shop(postgres_env, Catalog.sample())
    simulate_month(app, 2025, 4, per_day=2, seed=4)
    app.close()
    env = {**_without_store_settings(), **postgres_env}
    result = _tthc("report", "--json", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["period"] == {"from": "2025-04-01", "to": "2025-04-30"}
    assert report["received"] > 30
    text = _tthc("report", "--lang", "en", cwd=tmp_path, env=env)
    assert f"PostgreSQL {postgres_env['POSTGRES_DBNAME']}/" in text.stderr


def test_the_report_of_an_event_log_is_the_report_of_its_replay(tmp_path: Path) -> None:
    log = CASES / "replay-april-2025.jsonl"
    expected = json.loads((CASES / "replay-april-2025.expected.json").read_text("utf-8"))
    result = _tthc("report", str(log), "--from", "2025-04-01", "--to", "2025-04-30", "--json",
                   cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {k: report[k] for k in expected} == expected
    replayed = _tthc("replay", str(log), "--from", "2025-04", "--to", "2025-04", "--json",
                     cwd=tmp_path)  # fmt: skip
    assert json.loads(replayed.stdout) == report


def test_html_writes_the_page_and_says_where(
    demo_db: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    db, demo = demo_db
    out = tmp_path / "reports" / "april.html"
    result = _tthc("report", "--db", str(db), "--html", str(out), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["received"] == demo["received"]  # stdout stays JSON
    assert f"Báo cáo HTML: {out}" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith('<!doctype html><html lang="vi">')
    assert f'<data value="{demo["received"]}" data-key="/received">' in page
    logs = _tthc("report", str(CASES / "replay-april-2025.jsonl"), "--html", "log.html",
                 "--lang", "en", cwd=tmp_path)  # fmt: skip
    assert logs.returncode == 0, logs.stderr
    assert "HTML report: log.html" in logs.stderr
    assert '<html lang="en">' in (tmp_path / "log.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["log.jsonl", "--db", "x.sqlite"], 2, "give LOG files or --db, not both"),
        (["log.jsonl", "--rebuild"], 2, "--rebuild is for a store"),
        (["missing.jsonl"], 1, "missing.jsonl: no such log file"),
        (["bad.jsonl"], 1, "dòng lỗi; không lập báo cáo"),
        (["log.jsonl", "--html", "."], 1, "--html: . is a directory"),
    ],
)
def test_bad_report_requests_from_logs_exit_1_or_2(
    tmp_path: Path, args: list[str], code: int, says: str
) -> None:
    (tmp_path / "log.jsonl").write_bytes((CASES / "replay-april-2025.jsonl").read_bytes())
    bad = (CASES / "replay-april-2025.jsonl").read_text("utf-8").replace('"counter"', '"fax"', 1)
    (tmp_path / "bad.jsonl").write_text(bad, encoding="utf-8")
    result = _tthc("report", *args, cwd=tmp_path)
    assert result.returncode == code
    assert says in result.stderr.strip().splitlines()[-1]
