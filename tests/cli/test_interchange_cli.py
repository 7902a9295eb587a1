"""``tthc import`` and ``tthc export`` run for real, in a subprocess (DESIGN.md §6, §8)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tthc_engine import Catalog, OneStopShop
from tthc_engine.interchange.exporter import export_jsonl
from tthc_engine.simulation import simulate_month

CATALOG = REPO / "src" / "tthc_engine" / "catalog" / "data" / "nghe-an.yaml"
GOOD = (
    '{"schema": "tthc.event/1", "id": "a1", "dossier": "000.00.10.H41-250414-0001", '
    '"type": "received", "at": "2025-04-14T09:00:00+07:00", "agency": "000.00.10.H41", '
    '"data": {"procedure": "1.000656", "limit": "5 ngày làm việc"}}'
)


def tthc(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "PERSIST"))}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tthc_engine.cli", *args],
        cwd=cwd,
        capture_output=True,
        encoding="utf-8",
        env=environ,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def april_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog.sample())
    simulate_month(app, 2025, 4, per_day=3, seed=5)
    path = tmp_path_factory.mktemp("cli") / "april.jsonl"
    export_jsonl(app, path)
    return path


def test_import_then_export_gives_the_log_back_byte_for_byte(
    april_log: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "tthc.sqlite")
    imported = tthc("import", str(april_log), "--db", db, "--catalog", str(CATALOG), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr == ""  # no progress bar when stderr is not a terminal
    lines = april_log.read_text(encoding="utf-8").count("\n")
    assert imported.stdout.startswith(f"Đã nhập {lines} sự kiện")
    again = tthc("import", str(april_log), "--db", db, "--lang", "en", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == (f"Imported 0 events (0 transactions); {lines} already stored")
    out = tmp_path / "out.jsonl"
    exported = tthc("export", "--jsonl", str(out), "--db", db, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == april_log.read_bytes()
    to_stdout = tthc("export", "--jsonl", "-", "--db", db, cwd=tmp_path)
    assert to_stdout.stdout == april_log.read_text(encoding="utf-8")


def test_problems_are_one_line_each_with_file_and_line_and_exit_code_1(tmp_path: Path) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_text(
        GOOD + "\n" + "{not json\n" + GOOD.replace('"a1"', '"a2"').replace("09:00", "08:00") + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "tthc.sqlite"
    result = tthc("import", str(log), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"tthc import: error: {log}:2: (json): not valid JSON")
    assert errors[1].startswith(f"tthc import: error: {log}:3: received: ALREADY_RECEIVED")
    assert errors[2] == (
        "tthc import: error: 2 lỗi: không nhập gì (dùng --keep-going để nhập các hồ sơ không lỗi)"
    )
    rows = tmp_path / "rows.csv"
    assert tthc("export", "--rows", str(rows), "--db", str(db), cwd=tmp_path).returncode == 0
    assert rows.read_text(encoding="utf-8").count("\n") == 1  # the header: nothing was imported


def test_keep_going_imports_the_rest_and_writes_the_rejects_beside_the_log(tmp_path: Path) -> None:
    other = GOOD.replace("0001", "0002").replace('"a1"', '"b1"')
    log = tmp_path / "mixed.jsonl"
    log.write_text(f"{GOOD}\n{other}\n" + other.replace('"b1"', '"b2"') + "\n", encoding="utf-8")
    result = tthc(
        "import", str(log), "--db", str(tmp_path / "t.sqlite"), "--keep-going", cwd=tmp_path
    )
    assert result.returncode == 1
    assert f"{log}:3: received: ALREADY_RECEIVED" in result.stderr
    rejects = tmp_path / "mixed.rejects.jsonl"
    assert rejects.read_text(encoding="utf-8").splitlines() == log.read_text().splitlines()[1:]
    assert "Đã nhập 1 sự kiện" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["import", "--db", "x.sqlite"], id="import-nothing"),
        pytest.param(["import", "a.jsonl", "--national", "b.csv"], id="import-both"),
        pytest.param(["import", "a.jsonl", "--batch", "0"], id="import-batch-0"),
        pytest.param(["export", "--db", "x.sqlite"], id="export-what"),
        pytest.param(["export", "--jsonl", "a", "--rows", "b"], id="export-two"),
    ],
)
def test_a_usage_error_exits_with_code_2(args: list[str], tmp_path: Path) -> None:
    result = tthc(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: tthc" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["export", "--jsonl", "-", "--db", "none.sqlite"],
            "--db: none.sqlite does not exist",
            id="no-db",
        ),
        pytest.param(
            ["import", "missing.jsonl", "--db", "x.sqlite"],
            "missing.jsonl: no such file",
            id="no-log",
        ),
        pytest.param(["import", "a.jsonl"], "no store: give --db PATH", id="no-store"),
        pytest.param(
            ["export", "--rows", "r.csv", "--db", "x", "--as-of", "2025-04-30"],
            "--as-of",
            id="naive-as-of",
        ),
    ],
)
def test_a_user_error_is_one_line_with_exit_code_1(
    args: list[str], message: str, tmp_path: Path
) -> None:
    (tmp_path / "a.jsonl").write_text(GOOD + "\n", encoding="utf-8")
    result = tthc(*args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_a_national_history_goes_in_and_payloads_and_rows_come_out(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text(
        "MaHoSo,TrangThaiHoSo,ThoiGian,MaDonVi,KenhThucHien,NgayHenTra,MaTTHC\n"
        "000.00.10.H41-250414-0001,2,14/04/2025 09:00:00,000.00.10.H41,2,21/04/2025 09:00:00,"
        "1.001193\n"
        "000.00.10.H41-250414-0001,4,14/04/2025 10:00:00,000.00.21.H41,,,\n"
        "000.00.10.H41-250414-0001,9,22/04/2025 10:00:00,000.00.21.H41,,,\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "t.sqlite")
    result = tthc("import", "--national", str(history), "--db", db, "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Imported 3 events")
    payloads = tmp_path / "national.json"
    assert tthc("export", "--national", str(payloads), "--db", db, cwd=tmp_path).returncode == 0
    (payload,) = json.loads(payloads.read_text(encoding="utf-8"))
    assert [row["TrangThaiHoSo"] for row in payload["LichSuTrangThai"]] == [2, 4, 9]
    assert payload["NgayHenTra"] == "2025-04-21T09:00:00+07:00"
    rows = tmp_path / "rows.csv"
    assert tthc("export", "--rows", str(rows), "--db", db, cwd=tmp_path).returncode == 0
    with open(rows, encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["timeliness"], row["late"], row["late_by_days"]) == ("late", "true", "1")
    assert row["late_cause"] == "000.00.21.H41"


def test_parquet_without_pyarrow_names_the_extra_in_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "t.sqlite")
    (tmp_path / "a.jsonl").write_text(GOOD + "\n", encoding="utf-8")
    assert tthc("import", "a.jsonl", "--db", db, cwd=tmp_path).returncode == 0
    blocked = (
        "import sys; sys.modules['pyarrow'] = None; from tthc_engine.cli import main; "
        "sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocked, "export", "--rows", "r.parquet", "--db", db],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        'tthc export: error: writing Parquet (--rows FILE.parquet) needs the "parquet" extra: '
        'pip install "tthc-engine[parquet]"\n'
    )
    assert not (tmp_path / "r.parquet").exists()
