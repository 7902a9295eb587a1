"""Importing event logs into a store: through the domain's rules, all problems reported with
their lines, idempotent by id, atomic per batch (DESIGN.md §6)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.interchange.conftest import COUNTER, DEPARTMENT, event, write_log
from tthc_engine import VN_TZ, Catalog, OneStopShop
from tthc_engine.application import DossierNotFoundError
from tthc_engine.interchange.exporter import export_jsonl
from tthc_engine.interchange.importer import (
    ImportInterruptedError,
    JsonlSource,
    import_jsonl,
    import_source,
)

D = "000.00.10.H41-250414-000"
"""Dossier codes of the hand-written logs: D + "1", D + "2"…"""
RECEIPT = {"procedure": "1.000656", "channel": "counter", "limit": "5 ngày làm việc"}


def _count(app: OneStopShop) -> int:
    return app.recorder.max_notification_id() or 0


def _bad_log(path: Path) -> Path:
    """Twelve lines, one good dossier (D1) and every kind of problem."""
    return write_log(
        path,
        [
            event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", **RECEIPT),
            event("a2", D + "1", "resolved", "2025-04-15T10:00:00+07:00"),
            '{"schema": "tthc.event/1", "id": "broken"',
            event("b1", D + "2", "received", "2025-04-14T09:00:00+07:00", **RECEIPT),
            event("b2", D + "2", "teleported", "2025-04-14T10:00:00+07:00"),
            event("c1", D + "3", "received", "2025-04-14T09:00:00+07:00", limit="5 ngày"),
            event("d1", D + "4", "received", "2025-04-14T09:00:00+07:00", procedure="1", limit=5),
            event("e1", D + "5", "received", "2025-04-14T09:00:00", **RECEIPT),
            event("f1", D + "6", "received", "2025-04-14T10:00:00+07:00", **RECEIPT),
            event("f2", D + "6", "resolved", "2025-04-14T09:00:00+07:00"),
            event("g1", D + "7", "resolved", "2025-04-14T09:00:00+07:00"),
            event("a1", D + "8", "received", "2025-04-14T09:00:00+07:00", **RECEIPT),
        ],
    )


def test_an_export_imported_into_a_fresh_store_exports_byte_identical(
    april_log: Path, store_env: dict[str, str], catalog: Catalog, tmp_path: Path
) -> None:
    app = OneStopShop(env=store_env, catalog=catalog)
    outcome = import_jsonl(app, april_log, batch=250)
    assert outcome.ok, [str(p) for p in outcome.problems[:3]]
    lines = april_log.read_text(encoding="utf-8").count("\n")
    assert outcome.imported == lines == _count(app)
    assert outcome.batches == -(-lines // 250)
    again = tmp_path / "again.jsonl"
    export_jsonl(app, again)
    assert again.read_bytes() == april_log.read_bytes()
    app.close()


def test_importing_the_same_log_twice_adds_nothing(
    april_log: Path, store_env: dict[str, str], catalog: Catalog
) -> None:
    app = OneStopShop(env=store_env, catalog=catalog)
    first = import_jsonl(app, april_log)
    stored = _count(app)
    second = import_jsonl(app, april_log)
    assert second.ok
    assert (second.imported, second.present, second.batches) == (0, first.imported, 0)
    assert _count(app) == stored
    app.close()


def test_a_store_takes_its_own_export_back_without_change(catalog: Catalog, tmp_path: Path) -> None:
    """A forward writes two events under one command id, exported as ``<id>`` and
    ``<id>/2``; importing the export into the same store must recognise both."""
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog)
    at = datetime(2025, 4, 14, 9, tzinfo=VN_TZ)
    code = app.receive("1.001193", agency=COUNTER, at=at, command_id="rcv").code
    app.forward(code, agency=COUNTER, at=at + timedelta(minutes=5), command_id="fw-1")
    holder = app.dossier(code).current_step
    assert holder is not None
    app.forward(code, agency=holder.agency, at=at + timedelta(hours=2), command_id="fw-2")
    log = tmp_path / "own.jsonl"
    export_jsonl(app, log)
    assert '"id": "fw-2/2"' in log.read_text(encoding="utf-8")
    before = _count(app)
    outcome = import_jsonl(app, log)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert (outcome.imported, outcome.present) == (0, 4)  # receipt, start, finish + start
    assert _count(app) == before


def test_every_problem_is_reported_with_its_line_and_nothing_is_imported(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    outcome = import_jsonl(sqlite_app, _bad_log(tmp_path / "bad.jsonl"))
    found = {(p.problem.line, p.problem.field) for p in outcome.problems}
    assert (3, "(json)") in found
    assert (5, "type") in found
    assert (6, "data.procedure") in found
    assert (7, "data.limit") in found
    assert (8, "at") in found
    assert (10, "resolved") in found
    assert (11, "resolved") in found
    assert (12, "id") in found
    text = "\n".join(str(p) for p in outcome.problems)
    assert "bad.jsonl:8: at: naive time" in text
    assert "TIME_RUNS_FORWARD" in text  # line 10
    assert "before the dossier was submitted, received or refused" in text  # line 11
    assert "'a1' is already the id of a different fact" in text  # line 12
    assert not {line for line, _ in found} & {1, 2, 4, 9}
    assert outcome.imported == 0
    assert _count(sqlite_app) == 0


def test_keep_going_imports_the_good_dossiers_and_rejects_every_line_of_the_bad_ones(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    log = _bad_log(tmp_path / "bad.jsonl")
    rejects = tmp_path / "rejects.jsonl"
    outcome = import_jsonl(sqlite_app, log, keep_going=True, rejects=rejects)
    assert not outcome.ok
    assert outcome.imported == 2
    assert sqlite_app.dossier(D + "1").resolved_at is not None
    lines = log.read_text(encoding="utf-8").splitlines()
    assert rejects.read_text(encoding="utf-8").splitlines() == lines[2:]
    assert outcome.rejected_lines == 10
    assert outcome.rejected == {D + str(n) for n in range(2, 9)}


def test_a_bad_dossier_goes_to_the_rejects_with_its_repeated_and_stored_lines(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    receipt = event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", **RECEIPT)
    import_jsonl(sqlite_app, write_log(tmp_path / "first.jsonl", [receipt]))
    lines = [receipt, receipt, event("a2", D + "1", "resolved", "2025-04-14T08:00:00+07:00")]
    rejects = tmp_path / "rejects.jsonl"
    log = write_log(tmp_path / "second.jsonl", lines)
    outcome = import_jsonl(sqlite_app, log, keep_going=True, rejects=rejects)
    assert [p.problem.line for p in outcome.problems] == [3]
    assert rejects.read_text(encoding="utf-8").splitlines() == lines
    assert outcome.rejected_lines == 3


def test_a_stored_id_given_to_a_different_fact_is_a_problem(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    first = [
        event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", **RECEIPT),
        event("a2", D + "1", "resolved", "2025-04-15T10:00:00+07:00"),
    ]
    import_jsonl(sqlite_app, write_log(tmp_path / "first.jsonl", first))
    second = [first[0], event("a2", D + "1", "resolved", "2025-04-15T11:00:00+07:00")]
    outcome = import_jsonl(sqlite_app, write_log(tmp_path / "second.jsonl", second))
    assert [str(p) for p in outcome.problems] == [
        f"{tmp_path / 'second.jsonl'}:2: id: 'a2' is stored for dossier {D}1 as a different "
        "fact (its at differs); an id names one fact"
    ]


def test_a_line_that_leaves_defaults_out_is_the_same_as_the_stored_fact(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    lines = [
        event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", **RECEIPT),
        event("a2", D + "1", "resolved", "2025-04-15T10:00:00+07:00"),
        event("a3", D + "1", "result_returned", "2025-04-15T11:00:00+07:00"),
    ]
    import_jsonl(sqlite_app, write_log(tmp_path / "short.jsonl", lines))
    exported = tmp_path / "full.jsonl"
    export_jsonl(sqlite_app, exported)
    assert '"outcome": "approved"' in exported.read_text(encoding="utf-8")
    again = import_jsonl(sqlite_app, write_log(tmp_path / "short2.jsonl", lines))
    assert (again.ok, again.present, again.imported) == (True, 3, 0)


def test_a_line_repeated_in_the_input_is_imported_once(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    receipt = event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", **RECEIPT)
    outcome = import_jsonl(sqlite_app, write_log(tmp_path / "twice.jsonl", [receipt, receipt]))
    assert (outcome.ok, outcome.imported, outcome.present) == (True, 1, 1)


def test_the_catalog_fills_a_receipt_and_checks_its_agency_and_version(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog)
    lines = [
        event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", procedure="1.001193"),
        event(
            "b1",
            D + "2",
            "received",
            "2025-04-14T09:00:00+07:00",
            "000.99.99.H41",
            procedure="1.001193",
        ),
        event("c1", D + "3", "received", "2025-04-14T09:00:00+07:00", procedure="9.999999"),
    ]
    outcome = import_jsonl(app, write_log(tmp_path / "catalog.jsonl", lines), keep_going=True)
    messages = {p.problem.line: p.problem.message for p in outcome.problems}
    assert set(messages) == {2, 3}
    assert messages[2].startswith("AGENCY_IN_CATALOG")
    assert "9.999999" in messages[3]
    received = app.dossier(D + "1")
    assert received.limit == catalog.in_force("1.001193", received.received_at.date()).limit
    assert received.process  # the catalog's internal process, fixed at receipt


def test_a_receipt_without_its_limit_needs_a_catalog(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    line = event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", procedure="1.001193")
    outcome = import_jsonl(sqlite_app, write_log(tmp_path / "nolimit.jsonl", [line]))
    (problem,) = outcome.problems
    assert problem.problem.field == "received"
    assert "no catalog" in problem.problem.message


def test_a_business_time_after_the_application_clock_is_refused(tmp_path: Path) -> None:
    now = datetime(2025, 4, 14, 12, tzinfo=VN_TZ)
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=lambda: now)
    lines = [
        event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", **RECEIPT),
        event("a2", D + "1", "resolved", "2025-04-15T10:00:00+07:00"),
    ]
    outcome = import_jsonl(app, write_log(tmp_path / "future.jsonl", lines))
    (problem,) = outcome.problems
    assert problem.problem.line == 2
    assert "business time cannot be in the future" in problem.problem.message


def test_a_batch_that_fails_leaves_the_batches_before_it_and_nothing_of_itself(
    tmp_path: Path,
) -> None:
    """Another writer opens a dossier between the check and the write: the batch that opens
    it again conflicts; the batches committed before it stay, the failing one is not
    written."""
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "s.db")}
    app = OneStopShop(env=env)
    other = OneStopShop(env=env)
    lines = []
    for n in range(1, 7):
        code = f"{D}{n}"
        lines.append(event(f"r{n}", code, "received", "2025-04-14T09:00:00+07:00", **RECEIPT))
        lines.append(event(f"s{n}", code, "resolved", "2025-04-15T10:00:00+07:00"))

    def meddle(batch: int, imported: int) -> None:
        if batch == 1:  # D5 is written in the third batch; someone resolves it first
            assert imported == 4
            other.receive(
                "1.000656",
                agency=COUNTER,
                at=datetime(2025, 4, 14, 8, tzinfo=VN_TZ),
                code=f"{D}5",
                limit="5 ngày làm việc",
            )

    source = JsonlSource([write_log(tmp_path / "six.jsonl", lines)])
    with pytest.raises(
        ImportInterruptedError,
        match=r"^batch 3 .*six.jsonl:12.*250414-0005: changed by another writer",
    ):
        import_source(app, source, batch=4, on_batch=meddle)
    assert app.dossier(D + "4").resolved_at is not None  # second batch: r3 s3 r4 s4
    assert app.dossier(D + "5").resolved_at is None  # the other writer's receipt only
    with pytest.raises(DossierNotFoundError):
        app.dossier(D + "6")  # third batch: r5 s5 r6 s6, none of it
    assert _count(app) == 8 + 1
    other.close()
    app.close()


def test_a_fact_for_another_department_step_keeps_the_agency_rules(
    sqlite_app: OneStopShop, tmp_path: Path
) -> None:
    lines = [
        event("a1", D + "1", "received", "2025-04-14T09:00:00+07:00", **RECEIPT),
        event(
            "a2",
            D + "1",
            "step_started",
            "2025-04-14T10:00:00+07:00",
            DEPARTMENT,
            step="check",
            allotted="3 ngày làm việc",
        ),
        event("a3", D + "1", "resolved", "2025-04-15T10:00:00+07:00"),
    ]
    outcome = import_jsonl(sqlite_app, write_log(tmp_path / "holder.jsonl", lines))
    (problem,) = outcome.problems
    assert problem.problem.line == 3
    assert problem.problem.message.startswith("STEP_HELD_BY_AGENCY")
