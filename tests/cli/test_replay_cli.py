"""``tthc replay`` as a user runs it: a real subprocess on real log files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli import run_tthc as _tthc
from tests.conftest import CASES

APRIL = CASES / "replay-april-2025.jsonl"
EXPECTED = json.loads((CASES / "replay-april-2025.expected.json").read_text(encoding="utf-8"))


def test_the_json_report_of_the_april_case_is_the_hand_worked_one(tmp_path: Path) -> None:
    result = _tthc(
        "replay", str(APRIL), "--from", "2025-04-01", "--to", "2025-04-30", "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {k: report[k] for k in EXPECTED} == EXPECTED


def test_the_table_speaks_vietnamese_by_default_and_english_on_request(tmp_path: Path) -> None:
    vi = _tthc("replay", str(APRIL), "--from", "2025-04", "--to", "2025-04", cwd=tmp_path)
    en = _tthc(
        "replay", str(APRIL), "--from", "2025-04", "--to", "2025-04", "--lang", "en", cwd=tmp_path
    )
    assert vi.returncode == 0, vi.stderr
    assert "Tiếp nhận trong kỳ" in vi.stdout
    assert "Đang giải quyết, quá hạn" in vi.stdout
    assert "Received in the period" in en.stdout
    assert "Tiếp nhận" not in en.stdout


def test_every_bad_line_is_reported_with_its_number_and_no_report_is_printed(
    tmp_path: Path,
) -> None:
    lines = APRIL.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "{not json")
    bad_type = json.loads(lines[5])
    bad_type["type"] = "teleported"
    lines[5] = json.dumps(bad_type, ensure_ascii=False)
    naive = json.loads(lines[7])
    naive["at"] = naive["at"][:19]  # the offset removed
    lines[7] = json.dumps(naive, ensure_ascii=False)
    log = tmp_path / "bad.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _tthc("replay", str(log), "--from", "2025-04", "--to", "2025-04", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    errors = result.stderr.strip().splitlines()
    assert errors[0].startswith("tthc replay: error: line 3: (json): not valid JSON")
    assert any("line 6: type: unknown type 'teleported'" in e for e in errors)
    assert any("line 8: at: naive time" in e for e in errors)
    assert errors[-1].startswith("tthc replay: error: 3 bad line(s); no report")
    assert all("Traceback" not in e for e in errors)


def test_skip_bad_reports_the_rest_and_warns_about_the_bad_lines(tmp_path: Path) -> None:
    lines = APRIL.read_text(encoding="utf-8").splitlines()
    stop = json.loads(lines[-1])  # a stop after the dossier was resolved
    stop.update(id="apr-099", type="stopped", data={"reason": "x"})
    lines.append(json.dumps(stop, ensure_ascii=False))
    log = tmp_path / "late-stop.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _tthc(
        "replay",
        str(log),
        "--from",
        "2025-04",
        "--to",
        "2025-04",
        "--skip-bad",
        "--json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "warning: line 21: stopped: " in result.stderr
    assert "CLOSED_DOSSIER" in result.stderr
    report = json.loads(result.stdout)
    assert report["received"] == EXPECTED["received"] - 1  # the bad dossier is left out


def test_a_missing_log_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = _tthc("replay", str(tmp_path / "nope.jsonl"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no such log file" in result.stderr


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    from tthc_engine import Catalog, OneStopShop
    from tthc_engine.simulation import simulate_month

    db = tmp_path / "store.sqlite"
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(db)},
        catalog=Catalog.sample(),
    )
    simulate_month(app, 2025, 4, per_day=8, seed=3)  # an export far larger than a pipe's buffer
    app.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "tthc_engine.cli", "export", "--jsonl", "-", "--db", str(db)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith('{"schema": "tthc.event/1"')
    process.stdout.close()  # like `| head -1`
    _, err = process.communicate(timeout=120)
    assert "Traceback" not in err
    assert "BrokenPipe" not in err


def test_a_directory_of_logs_is_read_file_by_file_in_sorted_order(tmp_path: Path) -> None:
    lines = APRIL.read_text(encoding="utf-8").splitlines(keepends=True)
    logs = tmp_path / "logs"
    (logs / "month=2025-04").mkdir(parents=True)
    (logs / "month=2025-04" / "a.jsonl").write_text("".join(lines[:9]), encoding="utf-8")
    (logs / "month=2025-04" / "b.jsonl").write_text("".join(lines[9:]), encoding="utf-8")
    result = _tthc(
        "replay", str(logs), "--from", "2025-04", "--to", "2025-04", "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {k: report[k] for k in EXPECTED} == EXPECTED


def test_master_without_the_spark_engine_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = _tthc("replay", str(APRIL), "--master", "local[2]", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "tthc replay: error: --master goes with --engine spark"


def test_the_spark_engine_without_pyspark_names_the_extra_in_one_line(tmp_path: Path) -> None:
    # pyspark made unimportable in this process only, as on a machine without the extra
    code = (
        "import sys; sys.modules['pyspark'] = None; from tthc_engine.cli import main; "
        f"sys.exit(main(['replay', {str(APRIL)!r}, '--engine', 'spark']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'tthc replay: error: the Spark engine (--engine spark) needs the "spark" extra: '
        'pip install "tthc-engine[spark]"'
    )
