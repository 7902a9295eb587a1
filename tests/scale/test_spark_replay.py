"""The Spark engine gives the streaming replay's report, key by key, and its problems.

One local SparkSession (``local[2]``, three shuffle partitions) serves every test; the logs
are small, so that the whole module runs in seconds once the JVM is up.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES
from tests.scale.conftest import lay_out
from tthc_engine import Catalog
from tthc_engine.interchange import log_files, replay
from tthc_engine.projections import Period
from tthc_engine.scale import replay_spark

pytestmark = pytest.mark.spark

SPRING = Period.parse("2025-03", "2025-05")
APRIL = CASES / "replay-april-2025.jsonl"
EXPECTED: dict[str, Any] = json.loads(
    (CASES / "replay-april-2025.expected.json").read_text(encoding="utf-8")
)


def _same_report(spark_report: dict[str, Any], local_report: dict[str, Any]) -> None:
    assert list(spark_report) == list(local_report)
    for key, value in local_report.items():
        assert spark_report[key] == value, key


def test_a_partitioned_national_log_gives_the_streaming_replays_report_key_by_key(
    spark: Any, national_log: Path
) -> None:
    catalog = Catalog.sample()
    files = log_files([national_log / "partitioned"])
    assert len(files) == 3 * 3 * 2  # provinces × months × halves
    local = replay([national_log / "all.jsonl"], period=SPRING, catalog=catalog)
    on_spark = replay_spark(
        [national_log / "partitioned"], period=SPRING, catalog=catalog, spark=spark
    )
    assert local.report is not None
    assert on_spark.report is not None
    assert on_spark.problems == ()
    assert (on_spark.lines, on_spark.facts) == (local.lines, local.facts)
    report = local.report.as_dict()
    assert set(report["by_month"]) == {"2025-03", "2025-04", "2025-05"}
    assert report["received"] > 300
    assert report["by_month"]["2025-04"]["carried_over"] > 0  # dossiers open across months
    _same_report(on_spark.report.as_dict(), report)


def test_a_dossier_split_across_files_named_out_of_order_is_read_in_time_order(
    spark: Any, national_log: Path
) -> None:
    files = list(reversed(log_files([national_log / "partitioned"])))
    local = replay([national_log / "all.jsonl"], period=SPRING)
    on_spark = replay_spark(files, period=SPRING, spark=spark)
    assert on_spark.problems == ()
    assert local.report is not None
    assert on_spark.report is not None
    _same_report(on_spark.report.as_dict(), local.report.as_dict())


def test_the_april_case_gives_the_hand_worked_figures_on_spark(spark: Any) -> None:
    outcome = replay_spark([APRIL], period=Period.parse("2025-04-01", "2025-04-30"), spark=spark)
    assert outcome.problems == ()
    assert outcome.report is not None
    report = outcome.report.as_dict()
    for key, value in EXPECTED.items():
        assert report[key] == value, key


def test_the_period_defaults_to_the_months_the_logs_cover_as_in_the_streaming_replay(
    spark: Any,
) -> None:
    outcome = replay_spark([APRIL], spark=spark)
    assert outcome.report is not None
    assert outcome.report.as_dict()["period"] == {"from": "2025-03-01", "to": "2025-04-30"}


def _bad_logs(root: Path) -> list[Path]:
    """The April case in two files, with a line that is not JSON and a line of an unknown
    type in the first, and a stop after a resolution (a broken rule) in the second."""
    lines = APRIL.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "{not json")
    bad_type = json.loads(lines[5])
    bad_type["type"] = "teleported"
    lines[5] = json.dumps(bad_type, ensure_ascii=False)
    stop = json.loads(lines[-1])
    stop.update(id="apr-099", type="stopped", data={"reason": "x"})
    lines.append(json.dumps(stop, ensure_ascii=False))
    lines.insert(12, "")  # a blank line is counted, not read
    first, second = root / "a.jsonl", root / "b.jsonl"
    first.write_text("\n".join(lines[:12]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[12:]) + "\n", encoding="utf-8")
    return [first, second]


def test_bad_lines_are_the_same_line_numbered_problems_and_no_report(
    spark: Any, tmp_path: Path
) -> None:
    logs = _bad_logs(tmp_path)
    april = Period.month(2025, 4)
    local = replay(logs, period=april)
    on_spark = replay_spark(logs, period=april, spark=spark)
    assert [(p.line, p.field) for p in local.problems] == [
        (3, "(json)"),
        (6, "type"),
        (23, "stopped"),  # the last line of the second file (a blank line counted before)
    ]
    assert "CLOSED_DOSSIER" in local.problems[-1].message
    assert on_spark.problems == local.problems
    assert on_spark.report is None
    assert (on_spark.lines, on_spark.rejected) == (local.lines, local.rejected)


def test_skip_bad_leaves_the_same_dossiers_out_as_the_streaming_replay(
    spark: Any, tmp_path: Path
) -> None:
    logs = _bad_logs(tmp_path)
    april = Period.month(2025, 4)
    local = replay(logs, period=april, skip_bad=True)
    on_spark = replay_spark(logs, period=april, skip_bad=True, spark=spark)
    assert on_spark.problems == local.problems
    assert local.report is not None
    assert on_spark.report is not None
    assert on_spark.facts == local.facts
    _same_report(on_spark.report.as_dict(), local.report.as_dict())
    assert on_spark.report.as_dict()["received"] < EXPECTED["received"]


def test_a_directory_of_logs_replays_the_same_on_both_engines(spark: Any, tmp_path: Path) -> None:
    files = lay_out(APRIL.read_bytes().splitlines(), tmp_path)
    assert len(files) >= 2
    local = replay([tmp_path])
    on_spark = replay_spark([tmp_path], spark=spark)
    assert local.report is not None
    assert on_spark.report is not None
    _same_report(on_spark.report.as_dict(), local.report.as_dict())
