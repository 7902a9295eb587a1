"""``tthc replay --engine spark`` as a user runs it: a subprocess that starts its own Spark."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES
from tests.scale.conftest import lay_out

pytestmark = pytest.mark.spark

APRIL = CASES / "replay-april-2025.jsonl"
EXPECTED = json.loads((CASES / "replay-april-2025.expected.json").read_text(encoding="utf-8"))


def test_replay_on_spark_prints_the_hand_worked_april_report_from_a_partitioned_directory(
    spark: object, tmp_path: Path
) -> None:
    lay_out(APRIL.read_bytes().splitlines(), tmp_path / "logs")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tthc_engine.cli",
            "replay",
            str(tmp_path / "logs"),
            "--engine",
            "spark",
            "--master",
            "local[1]",
            "--from",
            "2025-04",
            "--to",
            "2025-04",
            "--json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {k: report[k] for k in EXPECTED} == EXPECTED
    assert "Traceback" not in result.stderr
