"""Exporting a store as ``tthc.event/1`` lines: canonical, complete, free of personal data."""

from __future__ import annotations

from pathlib import Path

from tthc_engine import Catalog, OneStopShop
from tthc_engine.domain.facts import FactRules
from tthc_engine.interchange import dumps, read_facts, replay
from tthc_engine.interchange.exporter import export_jsonl, facts_of_store
from tthc_engine.projections import Period, Report, ReportFold
from tthc_engine.simulation import simulate_month


def _month() -> OneStopShop:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog.sample())
    simulate_month(app, 2025, 4, per_day=6, seed=7)
    return app


def test_an_export_reads_back_line_for_line(tmp_path: Path) -> None:
    app = _month()
    log = tmp_path / "april.jsonl"
    n = export_jsonl(app, log)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == n > 100
    parsed = list(read_facts([log]))
    assert all(line.fact is not None for line in parsed), [line.problems for line in parsed][:3]
    assert [dumps(line.fact) for line in parsed if line.fact] == lines
    assert len({line.fact.id for line in parsed if line.fact}) == n  # ids are unique


def test_no_applicant_data_leaves_the_store(tmp_path: Path) -> None:
    app = _month()
    log = tmp_path / "april.jsonl"
    export_jsonl(app, log)
    assert "Công dân" not in log.read_text(encoding="utf-8")  # the simulator's applicant names


def test_the_exported_log_replays_to_the_report_of_the_stored_facts(tmp_path: Path) -> None:
    app = _month()
    log = tmp_path / "april.jsonl"
    export_jsonl(app, log)
    period = Period.month(2025, 4)
    fold = ReportFold(period, FactRules(app.calendar), app.catalog)
    for fact in facts_of_store(app):
        fold.add(fact)
    direct = Report(period, fold.finish()).as_dict()
    outcome = replay([log], period=period, catalog=app.catalog)
    assert outcome.problems == ()
    assert outcome.report is not None
    assert outcome.report.as_dict() == direct
    assert direct["received"] > 100


def test_an_export_resumed_inside_a_dossier_gives_the_same_lines_as_a_whole_one() -> None:
    app = _month()
    whole = list(facts_of_store(app))
    last = app.recorder.max_notification_id() or 0
    middle = last // 2
    resumed = list(facts_of_store(app, after=middle))
    assert resumed  # dossiers opened before the position are found and numbered as a whole
    assert [dumps(f) for f in resumed] == [dumps(f) for f in whole[-len(resumed) :]]


def test_a_receipt_line_carries_the_policies_and_process_fixed_at_receipt(tmp_path: Path) -> None:
    app = _month()
    received = next(f for f in facts_of_store(app) if f.type.value == "received")
    assert set(received.data) >= {"supplement_policy", "excluded_pauses", "process"}
