"""The dossier rows written by Spark: the same rows as the store's export, one Parquet
dataset partitioned by province and month."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.scale.conftest import lay_out
from tthc_engine import Catalog, OneStopShop
from tthc_engine.interchange import dossier_rows
from tthc_engine.interchange.exporter import export_jsonl
from tthc_engine.interchange.rows import COLUMNS
from tthc_engine.scale import export_rows_spark

pytestmark = pytest.mark.spark


def test_the_rows_written_by_spark_are_the_stores_rows_partitioned_by_province_and_month(
    spark: Any, simulated_store: OneStopShop, tmp_path: Path
) -> None:
    catalog = Catalog.sample()
    log = tmp_path / "h41.jsonl"
    export_jsonl(simulated_store, log)
    lay_out(log.read_bytes().splitlines(), tmp_path / "logs")
    out = tmp_path / "rows"
    outcome = export_rows_spark([tmp_path / "logs"], out, catalog=catalog, spark=spark)
    expected = {row["code"]: row for row in dossier_rows(simulated_store, catalog=catalog)}
    assert outcome.problems == ()
    assert outcome.rows == len(expected)
    assert sorted(p.name for p in (out / "province=H41").iterdir()) == [
        "month=2025-03",
        "month=2025-04",
        "month=2025-05",
    ]
    written = pq.read_table(out).to_pylist()
    assert len(written) == len(expected)
    for row in written:
        mine = expected[row["code"]]
        assert row["province"] == "H41"
        filed = mine["received_at"] or mine["submitted_at"]  # a refusal: its one time
        if filed is not None:
            assert row["month"] == filed.strftime("%Y-%m")
        for column in COLUMNS:
            assert row[column.name] == mine[column.name], (row["code"], column.name)


def test_a_dossier_with_a_bad_line_is_left_out_of_the_rows_and_its_problem_numbered(
    spark: Any, tmp_path: Path
) -> None:
    from tests.conftest import CASES

    lines = (CASES / "replay-april-2025.jsonl").read_text(encoding="utf-8").splitlines()
    lines.insert(4, "{not json")
    log = tmp_path / "april.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = export_rows_spark([log], tmp_path / "rows", spark=spark)
    assert [(p.line, p.field) for p in outcome.problems] == [(5, "(json)")]
    codes = {row["code"] for row in pq.read_table(tmp_path / "rows").to_pylist()}
    assert len(codes) == outcome.rows
    assert outcome.rows > 0
