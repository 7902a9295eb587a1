"""One row per dossier with every input of the indicators, as CSV and Parquet, read back
without pandas."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import REPO
from tthc_engine import VN_TZ, Catalog, OneStopShop
from tthc_engine.domain.facts import FactRules
from tthc_engine.interchange.exporter import facts_of_store
from tthc_engine.interchange.rows import COLUMNS, export_rows
from tthc_engine.projections import Period, Report, ReportFold
from tthc_engine.simulation import simulate_month

END_OF_APRIL = datetime(2025, 4, 30, 23, 59, 59, tzinfo=VN_TZ)


LATE = "000.00.10.H41-250414-9001"
"""A dossier made late on purpose: 2.001610 (3 working days) received Mon 14/04/2025 09:00,
due Thu 17/04 09:00; finance holds it until Tue 22/04, resolved then."""


@pytest.fixture(scope="module")
def april(catalog: Catalog) -> OneStopShop:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog)
    simulate_month(app, 2025, 4, per_day=5, seed=3)
    t = lambda *a: datetime(*a, tzinfo=VN_TZ)  # noqa: E731
    centre, finance = "000.00.10.H41", "000.00.20.H41"
    app.receive("2.001610", agency=centre, code=LATE, at=t(2025, 4, 14, 9))
    app.forward(LATE, agency=centre, at=t(2025, 4, 14, 9))
    app.forward(LATE, agency=centre, at=t(2025, 4, 14, 10))
    app.resolve(LATE, agency=finance, at=t(2025, 4, 22, 15))
    return app


@pytest.fixture(scope="module")
def rows_csv(april: OneStopShop, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    path = tmp_path_factory.mktemp("rows") / "dossiers.csv"
    export_rows(april, path, as_of=END_OF_APRIL)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [c.name for c in COLUMNS]
        return list(reader)


def test_the_csv_has_one_row_per_dossier_with_every_column(
    april: OneStopShop, rows_csv: list[dict[str, str]]
) -> None:
    codes = [row["code"] for row in rows_csv]
    assert len(codes) == len(set(codes)) == 105 + 1  # 5 a day, 21 working days, and LATE
    late = next(r for r in rows_csv if r["code"] == LATE)
    assert late["timeliness"] == "late"
    d = april.dossier(late["code"])
    cal = april.calendar
    assert late["late"] == "true"
    assert late["late_cause"] == d.late_cause(END_OF_APRIL, cal)
    assert int(late["late_by_days"]) == d.late_by(cal) > 0
    assert late["legal_due"] == d.legal_due.isoformat()  # type: ignore[union-attr]
    assert late["field"]  # from the catalog's version in force at receipt
    assert late["level"]
    assert {r["as_of"] for r in rows_csv} == {END_OF_APRIL.isoformat()}


def test_the_rows_recount_the_report_of_the_month(
    april: OneStopShop, rows_csv: list[dict[str, str]]
) -> None:
    period = Period.month(2025, 4)
    fold = ReportFold(period, FactRules(april.calendar), april.catalog)
    for fact in facts_of_store(april):
        fold.add(fact)
    report = Report(period, fold.finish()).as_dict()
    received = [r for r in rows_csv if r["received_at"]]
    resolved = Counter(r["timeliness"] for r in rows_csv if r["resolved_at"])
    channels = Counter(r["channel"] for r in received)
    assert len(received) == report["received"]
    assert dict(channels) == {k: v for k, v in report["received_by_channel"].items() if v}
    assert (resolved["early"], resolved["on_time"], resolved["late"]) == (
        report["early"],
        report["on_time"],
        report["late"],
    )
    open_ = [r for r in received if not r["end_of_processing"]]
    assert sum(r["late"] == "true" for r in open_) == report["overdue"]
    assert len(open_) - report["overdue"] == report["pending"]
    causes = Counter(r["late_cause"] for r in rows_csv if r["timeliness"] == "late")
    assert dict(causes) == report["late_caused_by"]


def test_the_parquet_rows_read_back_with_pyarrow_alone(
    april: OneStopShop, rows_csv: list[dict[str, str]], tmp_path: Path
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "dossiers.parquet"
    assert export_rows(april, path, as_of=END_OF_APRIL) == len(rows_csv)
    table = pq.read_table(path)
    assert table.column_names == [c.name for c in COLUMNS]
    assert str(table.schema.field("received_at").type) == "timestamp[us, tz=Asia/Ho_Chi_Minh]"
    assert str(table.schema.field("late_by_days").type) == "int64"
    assert str(table.schema.field("late").type) == "bool"
    first = table.slice(0, 1).to_pylist()[0]
    assert first["code"] == rows_csv[0]["code"]
    assert first["received_at"].isoformat() == rows_csv[0]["received_at"]
    assert table.column("timeliness").to_pylist() == [r["timeliness"] or None for r in rows_csv]


def test_the_docs_describe_every_column() -> None:
    doc = (REPO / "docs" / "interchange.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column.name}` | {column.kind} | {column.description} |" in doc
