"""Event-log lines at their edges, found unpinned by mutation testing (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime, time
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.conftest import REPO
from tests.interchange.conftest import COUNTER, DEPARTMENT, event, write_log
from tests.interchange.test_national import HEADER, _csv, _import, vn
from tthc_engine import Catalog, InvalidInputError, OneStopShop
from tthc_engine.application import DossierNotFoundError
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import Channel, Status, dossier_id
from tthc_engine.domain.facts import Fact, FactType
from tthc_engine.interchange.exporter import facts_of_store
from tthc_engine.interchange.importer import (
    ImportInterruptedError,
    ImportOutcome,
    JsonlSource,
    SourceLine,
    difference,
    import_jsonl,
    import_source,
)
from tthc_engine.interchange.jsonl import dumps, read_facts
from tthc_engine.interchange.national import (
    NationalSource,
    RowError,
    StatusMapper,
    StatusRow,
    export_national,
    national_payloads,
    national_time,
)
from tthc_engine.interchange.replay import _mine, lines_span, replay
from tthc_engine.interchange.rows import COLUMNS as ROW_COLUMNS
from tthc_engine.interchange.rows import dossier_rows, dossiers_of_store, export_rows, write_csv
from tthc_engine.interchange.schema import SCHEMA, FieldSpec, Problem, _enum, check_record
from tthc_engine.interchange.schema import main as schema_main
from tthc_engine.projections import Period
from tthc_engine.worktime import Comparison, TimeLimit

CODE = "000.00.10.H41-250414-0001"
_REASON_VALUES = [r.value for r in PauseReason]


def _problems(kind: str, data: dict[str, Any], at: str = "2025-04-14T09:00:00+07:00") -> list[str]:
    record = {
        "schema": SCHEMA,
        "id": "a1",
        "dossier": CODE,
        "type": kind,
        "at": at,
        "agency": "000.00.10.H41",
        "data": data,
    }
    fact, problems = check_record(record, 7)
    assert (fact is None) == bool(problems)
    return [str(p) for p in problems]


def test_a_fact_line_is_checked_field_by_field_each_problem_with_its_line() -> None:
    assert _problems("fee_paid", {"amount": 50000, "online": True}) == []
    assert _problems("fee_paid", {"amount": [1], "online": "yes", "note": "x"}) == [
        "line 7: data.note: unknown field for fee_paid (fields: amount, online)",
        "line 7: data.amount: expected a whole number, got a list",
        "line 7: data.online: expected true or false, got text 'yes'",
    ]
    assert _problems("paused", {"reason": "lunch"}) == [
        "line 7: data.reason: 'lunch' is not one of " + ", ".join(r.value for r in PauseReason),
    ]


def test_a_time_that_cannot_be_expressed_in_utc7_is_a_problem_of_its_field() -> None:
    problems = _problems("resolved", {}, at="0001-01-01T00:00:00+08:00")
    assert problems == [
        "line 7: at: 0001-01-01T00:00:00+08:00 cannot be expressed in UTC+7 "
        "(out of the range of dates)"
    ]


# -- replay with bad dossiers skipped ---------------------------------------------------------
def _line(ident: str, dossier: str, kind: str, at: str, **data: str) -> str:
    return json.dumps(
        {
            "schema": SCHEMA,
            "id": ident,
            "dossier": dossier,
            "type": kind,
            "at": f"2025-04-{at}:00+07:00",
            "agency": COUNTER,
            "data": data,
        },
        ensure_ascii=False,
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_replay_that_skips_bad_dossiers_counts_the_good_ones_and_names_every_bad_one(
    tmp_path: Path, jobs: int
) -> None:
    good = f"{COUNTER}-250414-0001"
    bad = [f"{COUNTER}-250414-{n:04d}" for n in range(2, 8)]  # resolved, never received
    lines = [
        _line("g1", good, "received", "14T09:00", procedure="1.004227", limit="4 ngày làm việc"),
        _line("g2", good, "resolved", "15T09:00"),
        *(_line(f"b{n}", code, "resolved", "15T09:00") for n, code in enumerate(bad)),
    ]
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    strict = replay([log], period=Period.month(2025, 4))
    assert strict.report is None
    assert len(strict.problems) == len(bad)
    outcome = replay([log], period=Period.month(2025, 4), skip_bad=True, jobs=jobs)
    assert outcome.rejected == frozenset(bad)
    assert (outcome.lines, outcome.facts) == (len(lines), 2)
    assert outcome.report is not None
    assert outcome.report.as_dict()["resolved"] == 1


# -- national status histories ---------------------------------------------------------------
def _history(tmp_path: Path, rows: list[str]) -> OneStopShop:
    """A store holding the national status history ``rows``, imported without a problem."""
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(app, _csv(tmp_path / "history.csv", rows))
    assert outcome.problems == ()
    return app


def test_each_hand_over_of_a_national_history_starts_the_next_numbered_step(
    tmp_path: Path,
) -> None:
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-21 09:00:00,1.001193",
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,,",
        f"{CODE},4,2025-04-15 10:00:00,{COUNTER},,,",
    ]
    app = _history(tmp_path, rows)
    assert [(s.key, s.agency) for s in app.dossier(CODE).steps] == [
        ("buoc-1", DEPARTMENT),
        ("buoc-2", COUNTER),
    ]


def test_an_appointment_before_the_receipt_is_a_problem_of_ngay_hen_tra(tmp_path: Path) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rows = [f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-11 09:00:00,1.001193"]
    outcome = _import(app, _csv(tmp_path / "history.csv", rows))
    ((problem_field, message),) = [(p.problem.field, p.problem.message) for p in outcome.problems]
    assert problem_field == "NgayHenTra"
    assert message == "2025-04-11 is before the receipt 2025-04-14"


def test_each_field_problem_names_its_field_and_what_was_expected() -> None:
    assert _problems("supplement_received", {"note": "x"}) == [
        "line 7: data.note: unknown field for supplement_received (fields: none)",
    ]
    assert _problems("received", {"procedure": "1.004227", "limit": "mười ngày"})[0].startswith(
        "line 7: data.limit: "
    )
    assert _problems(
        "received",
        {"procedure": "1.004227", "limit": "4 ngày làm việc", "excluded_pauses": ["lunch"]},
    ) == ["line 7: data.excluded_pauses: expected values among " + ", ".join(_REASON_VALUES)]
    assert _problems("withdrawn", {"reason": {"text": "x"}}) == [
        "line 7: data.reason: expected non-empty text, got an object",
    ]


def test_every_wrong_list_of_a_fact_is_named_not_only_the_first() -> None:
    assert _problems(
        "received",
        {
            "procedure": "1.004227",
            "limit": "4 ngày làm việc",
            "excluded_pauses": "public_posting",
            "process": "x",
        },
    ) == [
        "line 7: data.excluded_pauses: expected a list of texts, got text 'public_posting'",
        "line 7: data.process: expected a list of step objects",
    ]


def test_a_business_time_that_is_not_iso_8601_shows_the_form_expected_on_its_line() -> None:
    assert _problems("resolved", {}, at="14/04/2025 09:00") == [
        "line 7: at: '14/04/2025 09:00' is not an ISO 8601 time (2025-04-14T09:00:00+07:00)",
    ]
    record = {"schema": SCHEMA, "id": "a1", "dossier": CODE, "type": "resolved", "at": 20250414}
    record |= {"agency": COUNTER, "data": {}}
    _, problems = check_record(record, 9)
    assert [str(p) for p in problems] == [
        "line 9: at: expected an ISO 8601 time, got a number (20250414)"
    ]


# -- reading logs -----------------------------------------------------------------------------
def test_a_log_that_is_not_there_is_named() -> None:
    with pytest.raises(InvalidInputError, match=r"^nowhere/april\.jsonl: no such file$"):
        JsonlSource(["nowhere/april.jsonl"])


def test_skipping_a_dossier_with_a_malformed_line_drops_its_later_lines_and_keeps_the_catalog(
    tmp_path: Path,
) -> None:
    good, bad = f"{COUNTER}-250414-0001", f"{COUNTER}-250414-0002"
    lines = [
        _line("g1", good, "received", "14T09:00", procedure="2.001610"),
        _line("b1", bad, "received", "14T09:00", procedure="2.001610", note="x"),
        _line("b2", bad, "resolved", "15T09:00"),  # well formed, but its dossier is bad
        _line("g2", good, "resolved", "15T09:00"),
    ]
    log = tmp_path / "log.jsonl"
    log.write_text("\n\n".join(lines) + "\n", encoding="utf-8")  # blank lines still count
    outcome = replay([log], period=Period.month(2025, 4), catalog=Catalog.sample(), skip_bad=True)
    assert [(p.line, p.field) for p in outcome.problems] == [(3, "data.note")]
    assert outcome.rejected == frozenset({bad})
    assert outcome.report is not None
    report = outcome.report.as_dict()
    assert (report["received"], report["resolved"]) == (1, 1)
    assert list(report["by_field"]) == ["Thành lập và hoạt động của doanh nghiệp"]


def test_an_import_reports_its_progress_as_twice_the_size_of_its_input(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(
        _line("g1", CODE, "received", "14T09:00", procedure="1.004227", limit="4 ngày làm việc")
        + "\n",
        encoding="utf-8",
    )
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    read: list[int] = []
    source = JsonlSource([log])
    assert import_source(app, source, progress=read.append).ok
    assert sum(read) == 2 * source.size == 2 * log.stat().st_size


def test_an_appointment_on_a_day_off_takes_the_fewest_working_days_that_reach_it(
    tmp_path: Path,
) -> None:
    # Received Mon 14/04/2025 09:00; NgayHenTra Sunday 20/04: no limit gives that day, and
    # 5 working days (due Mon 21/04) is the first to reach it.
    rows = [f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-20,1.001193"]
    app = _history(tmp_path, rows)
    assert str(app.dossier(CODE).limit) == "5 ngày làm việc"


def test_a_resolution_while_waiting_for_a_supplement_receives_it_first(tmp_path: Path) -> None:
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-21 09:00:00,1.001193",
        f"{CODE},5,2025-04-15 09:00:00,{COUNTER},,,",
        f"{CODE},9,2025-04-17 09:00:00,{COUNTER},,,",
    ]
    app = _history(tmp_path, rows)
    d = app.dossier(CODE)
    assert d.resolved_at == vn(2025, 4, 17, 9)
    assert d.supplement_requests == 1
    assert [(p.kind.value, p.started_at, p.ended_at) for p in d.pauses] == [
        ("supplement", vn(2025, 4, 15, 9), vn(2025, 4, 17, 9))
    ]


def test_a_dossier_refused_at_the_counter_keeps_its_procedure_and_channel(tmp_path: Path) -> None:
    rows = [f"{CODE},3,2025-04-14 09:00:00,{COUNTER},3,,1.001193"]
    app = _history(tmp_path, rows)
    d = app.dossier(CODE)
    assert (d.procedure, d.channel.value) == ("1.001193", "postal")


def test_every_row_of_a_dossier_left_out_is_written_to_the_rejects_and_counted_once(
    tmp_path: Path,
) -> None:
    # No NgayHenTra and no catalog: the receipt cannot be computed, so the dossier is left out
    # with its later row; a dossier with a row that cannot be read is left out too.
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    unreadable = "000.00.10.H41-250414-0002"
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,,1.001193",
        f"{CODE},9,2025-04-15 09:00:00,{COUNTER},,,",
        f"{unreadable},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.001193",
        f"{unreadable},11,2025-04-15 10:00:00,{COUNTER},,,",
    ]
    path, rejects = _csv(tmp_path / "history.csv", rows), tmp_path / "rejects.csv"
    source = NationalSource(path, app.calendar, None)
    read: list[int] = []
    outcome = import_source(app, source, keep_going=True, rejects=rejects, progress=read.append)
    assert [p.problem.field for p in outcome.problems] == ["NgayHenTra", "TrangThaiHoSo"]
    assert sorted(rejects.read_text(encoding="utf-8").splitlines()[1:]) == sorted(rows)
    assert sum(read) == 2 * source.size == 2 * len(rows)  # one unit per row read


# -- what the store's dossiers are exported as ------------------------------------------------
def _shop() -> OneStopShop:
    return OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog.sample())


def test_an_empty_store_has_no_rows() -> None:
    assert dossier_rows(_shop()) == []


def test_a_row_takes_the_procedure_version_in_force_on_the_receipt_day_and_the_rating() -> None:
    # 1.001612 is a district procedure until 30/06/2025 and a commune one from 01/07/2025.
    app = _shop()
    code = app.receive("1.001612", agency=COUNTER, at=vn(2025, 6, 27, 9)).code
    app.resolve(code, agency=COUNTER, at=vn(2025, 7, 2, 9))
    app.record_feedback(code, agency=COUNTER, rating="satisfied", at=vn(2025, 7, 3, 9))
    (row,) = dossier_rows(app)
    assert (row["level"], row["rating"]) == ("district", "satisfied")


def test_the_national_payload_gives_the_last_supplement_request() -> None:
    app = _shop()
    code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9)).code
    app.request_supplement(code, agency=COUNTER, reason="thiếu", at=vn(2025, 4, 15, 9))
    (payload,) = national_payloads(app)
    assert payload["NgayYeuCauBoSung"] == "2025-04-15T09:00:00+07:00"


def test_a_good_national_import_reports_one_unit_of_progress_per_row_read(tmp_path: Path) -> None:
    # The resolution by another unit is two facts of one row: a hand-over, then the resolution.
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{CODE},9,2025-04-15 10:00:00,{DEPARTMENT},,,",
    ]
    source = NationalSource(_csv(tmp_path / "history.csv", rows), app.calendar, None)
    read: list[int] = []
    assert import_source(app, source, progress=read.append).ok
    assert sum(read) == 2 * source.size == 2 * len(rows)


def test_the_procedure_and_channel_given_on_any_row_serve_the_whole_dossier(tmp_path: Path) -> None:
    rows = [  # the receipt row gives neither MaTTHC nor KenhThucHien
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},,2025-04-18,",
        f"{CODE},9,2025-04-15 10:00:00,{COUNTER},3,,1.000656",
    ]
    app = _history(tmp_path, rows)
    d = app.dossier(CODE)
    assert (d.procedure, d.channel.value) == ("1.000656", "postal")


def test_a_postal_submission_keeps_its_channel(tmp_path: Path) -> None:
    rows = [  # submitted by post, withdrawn before it was received
        f"{CODE},1,2025-04-14 08:00:00,{COUNTER},3,,1.000656",
        f"{CODE},7,2025-04-14 09:00:00,{COUNTER},,,",
    ]
    app = _history(tmp_path, rows)
    assert app.dossier(CODE).channel.value == "postal"


def test_a_receipt_without_any_procedure_code_is_a_problem_of_ma_tthc(tmp_path: Path) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rows = [f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,"]
    outcome = _import(app, _csv(tmp_path / "history.csv", rows))
    assert [(p.problem.field, p.problem.message) for p in outcome.problems] == [
        ("MaTTHC", "the procedure code is needed to receive the dossier")
    ]


def test_rejected_rows_of_a_json_history_are_a_json_list(tmp_path: Path) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rows: list[dict[str, Any]] = [
        {"MaHoSo": CODE, "TrangThaiHoSo": 2, "ThoiGian": "20250414090000", "MaDonVi": COUNTER},
        {"MaHoSo": CODE, "TrangThaiHoSo": 9, "ThoiGian": "20250415100000", "MaDonVi": COUNTER},
    ]  # no MaTTHC, no NgayHenTra, no catalog: the receipt cannot be computed
    path, rejects = tmp_path / "rows.json", tmp_path / "rejects.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    outcome = _import(app, path, keep_going=True, rejects=rejects)
    assert outcome.imported == 0
    assert json.loads(rejects.read_text(encoding="utf-8")) == rows


def test_every_empty_text_is_named_and_the_fields_after_it_are_still_checked() -> None:
    assert _problems("received", {"procedure": " ", "limit": "mười ngày"})[0] == (
        "line 7: data.procedure: expected non-empty text, got text ' '"
    )
    assert len(_problems("received", {"procedure": " ", "limit": "mười ngày"})) == 2


def test_a_line_of_another_schema_shows_what_it_gave() -> None:
    record = {"schema": "tthc.event/0", "id": "a1", "dossier": CODE, "type": "resolved"}
    record |= {"at": "2025-04-14T09:00:00+07:00", "agency": COUNTER, "data": {}}
    _, problems = check_record(record, 3)
    assert [str(p) for p in problems] == [
        f"line 3: schema: expected {SCHEMA!r}, got text 'tthc.event/0'"
    ]


def test_the_rows_written_as_csv_are_counted() -> None:
    app = _shop()
    for n in (1, 2):
        app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=f"{CODE[:-1]}{n}")
    out = io.StringIO()
    assert write_csv(dossier_rows(app), out) == 2
    assert len(out.getvalue().splitlines()) == 3


# -- seed 15 sample: every problem a line's own fields can have, word for word --------------
_GOOD: dict[str, Any] = {
    "schema": SCHEMA,
    "id": "a1",
    "dossier": CODE,
    "type": "resolved",
    "at": "2025-04-14T09:00:00+07:00",
    "agency": COUNTER,
    "data": {},
}
_TOP = "schema, id, dossier, type, at, agency, data, actor"
_TYPES = ", ".join(t.value for t in FactType)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"note": "x"}, f"line 7: note: unknown field (fields: {_TOP})"),
        ({"schema": None}, "line 7: schema: expected 'tthc.event/1', got null"),
        ({"id": None}, "line 7: id: expected a non-empty text id, got null"),
        ({"id": " "}, "line 7: id: expected a non-empty text id, got text ' '"),
        ({"dossier": 5}, "line 7: dossier: expected a dossier code, got a number (5)"),
        ({"dossier": "\t"}, "line 7: dossier: expected a dossier code, got text '\\t'"),
        ({"agency": [COUNTER]}, "line 7: agency: expected an agency code, got a list"),
        ({"agency": " "}, "line 7: agency: expected an agency code, got text ' '"),
        ({"actor": True}, "line 7: actor: expected text, got a boolean"),
        ({"at": None}, "line 7: at: expected an ISO 8601 time, got null"),
        (
            {"at": "2025-04-14T09:00:00"},
            "line 7: at: naive time '2025-04-14T09:00:00': business times carry their offset "
            "(+07:00)",
        ),
        ({"type": "teleported"}, f"line 7: type: unknown type 'teleported' (types: {_TYPES})"),
        ({"type": None}, f"line 7: type: unknown type None (types: {_TYPES})"),
        ({"data": []}, "line 7: data: expected an object, got a list"),
        (
            {"data": {"outcome": 1}},
            "line 7: data.outcome: expected non-empty text, got a number (1)",
        ),
        ({"type": "paused"}, "line 7: data.reason: missing: paused needs it"),
        (
            {"type": "apology_issued", "data": {"new_due": "soon", "reason": "x"}},
            "line 7: data.new_due: 'soon' is not an ISO 8601 time (2025-04-14T09:00:00+07:00)",
        ),
        (
            {
                "type": "apology_issued",
                "data": {"new_due": "0001-01-01T00:00:00+08:00", "reason": "x"},
            },
            "line 7: data.new_due: 0001-01-01T00:00:00+08:00 cannot be expressed in UTC+7 "
            "(out of the range of dates)",
        ),
        (
            {"type": "supplement_requested", "data": {"reason": "x", "items": [1]}},
            "line 7: data.items: expected a list of texts, got a list",
        ),
        (
            {"type": "submitted", "data": {"procedure": "1.004227", "applicant": {"tên": 1}}},
            "line 7: data.applicant: expected an object of text fields",
        ),
        (
            {"type": "submitted", "data": {"procedure": "1.004227", "applicant": "A"}},
            "line 7: data.applicant: expected an object of text fields",
        ),
        (
            {"type": "received", "data": {"procedure": "1.004227", "process": [1]}},
            "line 7: data.process: expected a list of step objects",
        ),
        (
            {"type": "digitised", "data": {"components": True}},
            "line 7: data.components: expected a whole number, got a boolean",
        ),
        (
            {"type": "digitised", "data": {"reused": 1}},
            "line 7: data.reused: expected true or false, got a number (1)",
        ),
        (
            {"type": "result_returned", "data": {"channel": "pigeon"}},
            "line 7: data.channel: 'pigeon' is not one of " + ", ".join(c.value for c in Channel),
        ),
    ],
)
def test_each_problem_of_a_line_names_its_line_its_field_and_what_was_expected(
    change: dict[str, Any], expected: str
) -> None:
    fact, problems = check_record(_GOOD | change, 7)
    assert fact is None
    assert [str(p) for p in problems] == [expected]
    assert [(p.line, p.field) for p in problems] == [(7, expected.split(": ")[1])]


def test_a_line_that_is_not_an_object_is_one_problem_of_the_whole_line() -> None:
    fact, problems = check_record([_GOOD], 4)
    assert fact is None
    assert problems == [Problem(4, "(line)", "expected a JSON object, got a list")]


def test_a_line_wrong_in_every_field_names_each_problem_in_the_order_of_the_format() -> None:
    record = {"x": 1, "schema": 1, "id": 2, "dossier": 3, "agency": 4, "actor": 5, "at": 6}
    record |= {"type": 7, "data": 8}
    _, problems = check_record(record, 2)
    assert [str(p) for p in problems] == [
        f"line 2: x: unknown field (fields: {_TOP})",
        "line 2: schema: expected 'tthc.event/1', got a number (1)",
        "line 2: id: expected a non-empty text id, got a number (2)",
        "line 2: dossier: expected a dossier code, got a number (3)",
        "line 2: agency: expected an agency code, got a number (4)",
        "line 2: actor: expected text, got a number (5)",
        "line 2: at: expected an ISO 8601 time, got a number (6)",
        f"line 2: type: unknown type 7 (types: {_TYPES})",
        "line 2: data: expected an object, got a number (8)",
    ]


def test_a_good_line_is_its_fact_with_its_actor_and_checked_data() -> None:
    record = _GOOD | {"actor": "cb-01", "type": "fee_paid"}
    record |= {"data": {"amount": 50000, "online": False}}
    fact, problems = check_record(record, 1)
    assert problems == []
    assert fact == Fact(
        "a1",
        CODE,
        FactType.FEE_PAID,
        vn(2025, 4, 14, 9),
        COUNTER,
        {"amount": 50000, "online": False},
        "cb-01",
    )
    without_data = {k: v for k, v in _GOOD.items() if k != "data"}
    assert check_record(without_data, 1) == (
        Fact("a1", CODE, FactType.RESOLVED, vn(2025, 4, 14, 9), COUNTER, {}, None),
        [],
    )


def test_make_schemas_writes_the_committed_schemas_and_prints_each_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert schema_main([str(tmp_path / "out")]) == 0
    written = sorted((tmp_path / "out").glob("*.json"))
    assert capsys.readouterr().out == "".join(
        f"{tmp_path / 'out' / f'{k.value}.json'}\n" for k in FactType
    )
    committed = REPO / "docs" / "schema" / "tthc.event-1"
    assert [p.name for p in written] == sorted(p.name for p in committed.glob("*.json"))
    for path in written:
        assert path.read_bytes() == (committed / path.name).read_bytes()


def test_make_schemas_without_a_directory_writes_into_docs_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["schemas"])
    assert schema_main() == 0
    folder = Path("docs/schema/tthc.event-1")
    assert capsys.readouterr().out == "".join(f"{folder / k.value}.json\n" for k in FactType)
    assert len(list((tmp_path / folder).glob("*.json"))) == len(FactType)
    monkeypatch.setattr(sys, "argv", ["schemas", "elsewhere"])
    assert schema_main() == 0
    assert len(list((tmp_path / "elsewhere").glob("*.json"))) == len(FactType)
    assert capsys.readouterr().out.startswith("elsewhere/")
    assert schema_main([]) == 0  # an empty list is not "read sys.argv"
    assert "elsewhere" not in capsys.readouterr().out


# -- seed 15 sample: an export of interleaved dossiers, whole and resumed anywhere -------------
def _interleaved() -> tuple[OneStopShop, str, str]:
    """Two dossiers whose events interleave; a forward (two events of one command) of the
    first comes after the second's receipt."""
    app = _shop()
    a = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), command_id="ra").code
    b = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 10)).code
    app.forward(a, agency=COUNTER, at=vn(2025, 4, 14, 11), actor="cb-01", command_id="fa")
    app.resolve(b, agency=COUNTER, at=vn(2025, 4, 15, 9), actor="cb-02")
    app.forward(a, agency=COUNTER, at=vn(2025, 4, 15, 10), command_id="fb")
    app.resolve(a, agency="000.00.20.H41", at=vn(2025, 4, 16, 9))
    return app, a, b


def test_an_export_gives_each_event_its_own_dossier_and_numbers_a_commands_events() -> None:
    app, a, b = _interleaved()
    facts = list(facts_of_store(app))
    assert [(f.id, f.dossier, f.type.value) for f in facts] == [
        ("ra", a, "received"),
        (f"{b}:1", b, "received"),
        ("fa", a, "step_started"),
        (f"{b}:2", b, "resolved"),
        ("fb", a, "step_finished"),
        ("fb/2", a, "step_started"),
        (f"{a}:5", a, "resolved"),
    ]
    assert dumps(facts[3]) == (
        f'{{"schema": "tthc.event/1", "id": "{b}:2", "dossier": "{b}", "type": "resolved", '
        f'"at": "2025-04-15T09:00:00+07:00", "agency": "{COUNTER}", "actor": "cb-02", '
        '"data": {"outcome": "approved"}}'
    )


def test_an_export_resumed_after_any_notification_gives_exactly_the_dossier_events_after_it() -> (
    None
):
    app, _, _ = _interleaved()
    whole = [dumps(f) for f in facts_of_store(app)]
    last = app.recorder.max_notification_id() or 0
    notifications = app.recorder.select_notifications(start=1, limit=last)
    for position in range(last + 1):
        after = [
            n for n in notifications if n.id > position and n.topic.startswith("tthc:Dossier.")
        ]
        resumed = [dumps(f) for f in facts_of_store(app, after=position, page=2)]
        assert resumed == whole[len(whole) - len(after) :], position


# -- seed 15 sample: what an import tells of its work ------------------------------------------
_RECEIPT = {"procedure": "1.000656", "channel": "counter", "limit": "5 ngày làm việc"}


def _three(tmp_path: Path) -> Path:
    """Three facts of two dossiers (D1 received and resolved, D2 received)."""
    return write_log(
        tmp_path / "three.jsonl",
        [
            event("r1", f"{CODE[:-1]}1", "received", "2025-04-14T09:00:00+07:00", **_RECEIPT),
            event("s1", f"{CODE[:-1]}1", "resolved", "2025-04-15T10:00:00+07:00"),
            event("r2", f"{CODE[:-1]}2", "received", "2025-04-14T09:00:00+07:00", **_RECEIPT),
        ],
    )


def test_an_import_counts_each_fact_once_and_tells_each_batch_with_the_facts_so_far(
    tmp_path: Path,
) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    batches: list[tuple[int, int]] = []
    outcome = import_jsonl(app, _three(tmp_path), batch=2, on_batch=lambda *b: batches.append(b))
    assert outcome == ImportOutcome((), 3, 3, 0, frozenset(), 0, 2)
    assert batches == [(1, 2), (2, 3)]
    again = import_jsonl(app, _three(tmp_path), batch=2, on_batch=lambda *b: batches.append(b))
    assert again == ImportOutcome((), 3, 0, 3, frozenset(), 0, 0)
    assert batches == [(1, 2), (2, 3)]


def test_the_applicant_of_a_line_is_not_compared_with_the_store_which_never_holds_it(
    tmp_path: Path,
) -> None:
    line = event(
        "r1",
        CODE,
        "received",
        "2025-04-14T09:00:00+07:00",
        applicant={"name": "Nguyễn Văn A"},
        **_RECEIPT,
    )
    log = write_log(tmp_path / "applicant.jsonl", [line])
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert import_jsonl(app, log).imported == 1
    again = import_jsonl(app, log)
    assert (again.problems, again.imported, again.present) == ((), 0, 1)


def test_two_facts_differ_in_the_first_data_field_that_means_something_else() -> None:
    at = vn(2025, 4, 14, 9)
    stored = Fact(
        "r1", CODE, FactType.RECEIVED, at, COUNTER, {"process": ["a"], "limit": "5 ngày làm việc"}
    )
    same = Fact(
        "r1", CODE, FactType.RECEIVED, at, COUNTER, {"process": ["a"], "limit": "5 ngày làm việc"}
    )
    assert difference(same, stored) is None
    other = Fact("r1", CODE, FactType.RECEIVED, at, COUNTER, {"process": ["b"]})
    assert difference(other, stored) == "data.process"


def test_a_last_batch_changed_by_another_writer_stops_the_import_naming_the_batch(
    tmp_path: Path,
) -> None:
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "s.db")}
    app, other = OneStopShop(env=env), OneStopShop(env=env)
    read: list[int] = []

    def meddle(size: int) -> None:
        read.append(size)
        if len(read) == 4:  # the first line of the write: someone receives D2 meanwhile
            other.receive(
                "1.000656",
                agency=COUNTER,
                at=vn(2025, 4, 14, 8),
                code=f"{CODE[:-1]}2",
                limit="5 ngày làm việc",
            )

    with pytest.raises(ImportInterruptedError) as caught:
        import_source(app, JsonlSource([_three(tmp_path)]), batch=10, progress=meddle)
    assert str(caught.value) == (
        f"batch 1: dossier {CODE[:-1]}2: changed by another writer since it was read; nothing "
        "of this command was written — reload and retry (commands with a command_id apply "
        "once); the 0 batch(es) before it are stored — run the import again to complete it"
    )
    with pytest.raises(DossierNotFoundError):
        app.dossier(f"{CODE[:-1]}1")  # the batch was not written
    other.close()
    app.close()


# -- seed 15 sample: the national payload and status histories, whole ---------------------------
def _paid() -> tuple[OneStopShop, str]:
    app = _shop()
    code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9)).code
    app.record_payment(code, agency=COUNTER, amount=50000, online=True, at=vn(2025, 4, 14, 10))
    app.forward(code, agency=COUNTER, at=vn(2025, 4, 14, 11))
    app.forward(code, agency=COUNTER, at=vn(2025, 4, 14, 14))
    return app, code


def test_the_national_payload_of_a_dossier_is_its_sync_fields_and_every_hand_over() -> None:
    app, code = _paid()
    assert list(national_payloads(app)) == [
        {
            "MaHoSo": code,
            "MaTTHC": "2.001610",
            "TenTTHC": "Đăng ký thành lập doanh nghiệp tư nhân",
            "MaDonVi": COUNTER,
            "KenhThucHien": 1,
            "NgayNopHoSo": "2025-04-14T09:00:00+07:00",
            "NgayTiepNhan": "2025-04-14T09:00:00+07:00",
            "NgayHenTra": "2025-04-17T09:00:00+07:00",
            "NgayKetThucXuLy": None,
            "ThoiGianGiaiQuyet": 3.0,
            "DonViTinh": "ngày làm việc",
            "TrangThaiHoSo": 4,
            "NgayYeuCauBoSung": None,
            "DuocThanhToanTrucTuyen": 1,
            "DanhSachPhiLePhi": [{"Gia": 50000}],
            "HoSoCoThanhPhanSoHoa": 0,
            "LichSuTrangThai": [
                {
                    "TrangThaiHoSo": 2,
                    "ThoiGian": "2025-04-14T09:00:00+07:00",
                    "MaDonVi": COUNTER,
                    "NgayHenTra": "2025-04-17T09:00:00+07:00",
                },
                {"TrangThaiHoSo": 4, "ThoiGian": "2025-04-14T11:00:00+07:00", "MaDonVi": COUNTER},
                {
                    "TrangThaiHoSo": 4,
                    "ThoiGian": "2025-04-14T14:00:00+07:00",
                    "MaDonVi": "000.00.20.H41",
                },
            ],
        }
    ]


def test_the_national_export_is_a_json_list_one_payload_a_line_and_empty_when_no_dossier(
    tmp_path: Path,
) -> None:
    empty = io.StringIO()
    assert export_national(_shop(), empty) == 0
    assert empty.getvalue() == "[]\n"
    app, _ = _paid()
    out = tmp_path / "national.json"
    assert export_national(app, out) == 1
    (payload,) = national_payloads(app)
    assert out.read_text(encoding="utf-8") == (
        "[\n" + json.dumps(payload, ensure_ascii=False) + "\n]\n"
    )


def test_a_json_object_holding_the_payloads_under_dossiers_imports_like_the_list(
    tmp_path: Path,
) -> None:
    app, code = _paid()
    path = tmp_path / "national.json"
    path.write_text(json.dumps({"dossiers": list(national_payloads(app))}), encoding="utf-8")
    fresh = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(fresh, path)
    assert (outcome.problems, outcome.imported) == ((), 4)
    assert [(s.agency, s.key) for s in fresh.dossier(code).steps] == [
        (COUNTER, "buoc-1"),
        ("000.00.20.H41", "buoc-2"),
    ]


def test_the_lines_of_a_national_history_are_its_facts_each_with_its_row_number_and_text(
    tmp_path: Path,
) -> None:
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{CODE},9,2025-04-15 10:00:00,{DEPARTMENT},,,",
    ]
    path = _csv(tmp_path / "history.csv", rows)
    source = NationalSource(path, _shop().calendar, None)
    received = Fact(
        f"{CODE}:2:20250414T090000:{COUNTER}",
        CODE,
        FactType.RECEIVED,
        vn(2025, 4, 14, 9),
        COUNTER,
        {"procedure": "1.000656", "channel": "counter", "limit": "4 ngày làm việc"},
    )
    base = f"{CODE}:9:20250415T100000:{DEPARTMENT}"
    at = vn(2025, 4, 15, 10)
    started = Fact(
        base,
        CODE,
        FactType.STEP_STARTED,
        at,
        DEPARTMENT,
        {
            "step": "buoc-1",
            "allotted": "4 ngày làm việc",
            "name": f"Xử lý tại {DEPARTMENT} (TrangThaiHoSo 4)",
        },
    )
    resolved = Fact(f"{base}/2", CODE, FactType.RESOLVED, at, DEPARTMENT, {})
    raw = [(r + "\n").encode("utf-8") for r in rows]
    assert list(source.lines()) == [
        SourceLine(str(path), 2, received, (), CODE, raw[0], 1),
        SourceLine(str(path), 3, started, (), CODE, raw[1], 1),
        SourceLine(str(path), 3, resolved, (), CODE, raw[1], 0),
    ]


def test_a_fact_of_a_national_row_refused_by_the_rules_is_named_by_its_row_and_rejected_once(
    tmp_path: Path,
) -> None:
    rows = [  # the resolution is two facts of one row, the first already refused
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{CODE},9,2099-04-15 10:00:00,{DEPARTMENT},,,",
    ]
    path, rejects = _csv(tmp_path / "history.csv", rows), tmp_path / "rejects.csv"
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(app, path, keep_going=True, rejects=rejects)
    assert [(p.path, p.problem.line, p.problem.field) for p in outcome.problems] == [
        (str(path), 3, "step_started")
    ]
    assert rejects.read_text(encoding="utf-8") == "".join(f"{r}\n" for r in [HEADER, *rows])


def test_the_rejects_of_a_csv_history_with_a_bom_start_with_its_header_without_the_bom(
    tmp_path: Path,
) -> None:
    path, rejects = tmp_path / "history.csv", tmp_path / "rejects.csv"
    row = f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,,1.001193"  # no NgayHenTra, no catalog
    path.write_bytes(f"\ufeff{HEADER}\r\n{row}\r\n".encode())
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    _import(app, path, keep_going=True, rejects=rejects)
    assert rejects.read_bytes() == f"{HEADER}\n{row}\n".encode()


def test_a_rejected_csv_row_keeps_a_quoted_line_break_as_it_was_read(tmp_path: Path) -> None:
    path, rejects = tmp_path / "history.csv", tmp_path / "rejects.csv"
    row = f'{CODE},2,2025-04-14 09:00:00,{COUNTER},1,,"1.001193\r\nx"'
    path.write_bytes(f"{HEADER}\r\n{row}\r\n".encode())
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(app, path, keep_going=True, rejects=rejects)
    assert [p.problem.line for p in outcome.problems] == [3]  # the row ends on line 3
    assert rejects.read_bytes() == f"{HEADER}\n{row}\n".encode()


def test_a_refusal_row_without_its_channel_takes_the_one_another_row_gives() -> None:
    def row(number: int, channel: Channel | None) -> StatusRow:
        at = vn(2025, 4, 14, 9)
        return StatusRow(
            "h.csv", number, CODE, Status.REFUSED, at, COUNTER, channel, None, "1.001193", b""
        )

    mapper = StatusMapper(_shop().calendar)
    ((_, (refused,)), _) = mapper.facts([row(2, None), row(3, Channel.POSTAL)])
    assert refused.data == {
        "reason": "Không được tiếp nhận (TrangThaiHoSo 3)",
        "procedure": "1.001193",
        "channel": "postal",
    }


def test_an_appointment_the_next_working_day_for_a_receipt_after_15h_is_the_same_day_limit(
    tmp_path: Path,
) -> None:
    # Received Mon 14/04/2025 16:00, NgayHenTra Tue 15/04 17:00: "trong ngày", received after
    # the 15:00 cut-off (one working day would be due Tue 16:00).
    rows = [f"{CODE},2,2025-04-14 16:00:00,{COUNTER},1,2025-04-15 17:00:00,1.001193"]
    app = _history(tmp_path, rows)
    assert app.dossier(CODE).limit == TimeLimit.same_day(cutoff=time(15))


# -- seed 15 sample: a replay's rule problems and settings; a dossier's row, whole -------------
def test_a_replay_allows_one_apology_by_default_and_names_the_rule_a_second_one_breaks(
    tmp_path: Path,
) -> None:
    lines = [
        _line("r", CODE, "received", "14T09:00", procedure="1.004227", limit="4 ngày làm việc"),
        _line("a1", CODE, "apology_issued", "15T09:00", new_due=_at("22T09:00"), reason="chậm"),
        _line("a2", CODE, "apology_issued", "16T09:00", new_due=_at("24T09:00"), reason="lại"),
        _line("x", CODE, "resolved", "14T08:00"),
    ]
    log = write_log(tmp_path / "apologies.jsonl", lines)
    assert replay([log], period=Period.month(2025, 4)).problems == (
        Problem(
            3,
            "apology_issued",
            f"APOLOGY_LIMIT: {CODE} already has 1 apology(ies) — rule: a new appointment may be "
            "given at most once (configurable) (ND 61/2018 Điều 19 khoản 3)",
        ),
    )
    assert replay([log], period=Period.month(2025, 4), max_apologies=2).problems == (
        Problem(
            4,
            "resolved",
            f"TIME_RUNS_FORWARD: {CODE}: at 2025-04-14T08:00:00+07:00 is before the last event "
            "(2025-04-16T09:00:00+07:00) — rule: a dossier's events happen in time order: a "
            "command cannot be dated before the dossier's last event (business time comes from "
            "the event)",
        ),
    )


def _at(day_time: str) -> str:
    return f"2025-04-{day_time}:00+07:00"


def test_the_dossiers_of_a_store_are_folded_with_their_own_ids() -> None:
    app, a, b = _interleaved()
    assert [(d.id, d.code) for d in dossiers_of_store(app)] == [
        (dossier_id(a), a),
        (dossier_id(b), b),
    ]


def test_a_dossiers_row_gives_every_column_and_its_paused_hours_to_four_places() -> None:
    app = _shop()
    code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9)).code
    app.request_supplement(code, agency=COUNTER, reason="thiếu", at=vn(2025, 4, 14, 9, 10))
    app.receive_supplement(code, agency=COUNTER, at=vn(2025, 4, 14, 10, 30))
    assert dossier_rows(app, as_of=vn(2025, 4, 16, 9)) == [
        {
            "code": code,
            "receiving_agency": COUNTER,
            "procedure": "2.001610",
            "procedure_name": "Đăng ký thành lập doanh nghiệp tư nhân",
            "field": "Thành lập và hoạt động của doanh nghiệp",
            "level": "province",
            "channel": "counter",
            "status": 2,
            "status_name": "Được tiếp nhận",
            "submitted_at": None,
            "received_at": vn(2025, 4, 14, 9),
            "limit": "3 ngày làm việc",
            "original_due": vn(2025, 4, 17, 9),
            "legal_due": vn(2025, 4, 17, 10, 30),  # restarted when the supplement came
            "current_due": vn(2025, 4, 17, 10, 30),
            "end_of_processing": None,
            "resolved_at": None,
            "returned_at": None,
            "outcome": None,
            "timeliness": None,
            "late": False,
            "late_by_days": 0,
            "late_cause": None,
            "in_time_766": True,
            "apologies": 0,
            "apology_at": None,
            "apology_agency": None,
            "apology_new_due": None,
            "supplement_requests": 1,
            "paused_working_hours": 1.3333,  # 80 minutes
            "steps": 0,
            "fee_paid": 0,
            "paid_online": False,
            "digitised_components": 0,
            "e_result": False,
            "reused_data": False,
            "rating": None,
            "complaint": False,
            "as_of": vn(2025, 4, 16, 9),
        }
    ]


def test_a_generated_id_equal_to_the_previous_command_id_is_numbered_in_its_run() -> None:
    # The receipt's command id is what the next event's generated id would be: the two make
    # one numbered run, so ids stay unique (DESIGN.md §6).
    app = _shop()
    app.receive(
        "2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE, command_id=f"{CODE}:2"
    )
    app.forward(CODE, agency=COUNTER, at=vn(2025, 4, 14, 11))
    app.resolve(CODE, agency=COUNTER, at=vn(2025, 4, 14, 12))
    assert [f.id for f in facts_of_store(app)] == [f"{CODE}:2", f"{CODE}:2/2", f"{CODE}:3"]


# -- seed 15 sample: every problem of a national history, word for word -------------------------
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            f"{CODE},2,2025-04-14 09:00:00,,1,2025-04-18,1.000656",
            "MaDonVi: missing: every row needs MaHoSo, TrangThaiHoSo, ThoiGian and MaDonVi",
        ),
        (
            f"{CODE},2,hôm qua,{COUNTER},1,2025-04-18,1.000656",
            "ThoiGian: 'hôm qua' is not a time (2025-04-14 09:30:00, ISO 8601)",
        ),
        (
            f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,18-04,1.000656",
            "NgayHenTra: '18-04' is not a time (2025-04-14 09:30:00, ISO 8601)",
        ),
        (
            f"{CODE},x,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
            "TrangThaiHoSo: 'x' is not a status code 1–10",
        ),
        (
            f"{CODE},1,2025-04-14 09:00:00,{COUNTER},2,,",
            "MaTTHC: the procedure code is needed at submission",
        ),
        (
            f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,,1.000656",
            "NgayHenTra: missing, and no procedure MaTTHC in force in the catalog to take the "
            "time limit from: the appointment cannot be computed",
        ),
    ],
)
def test_each_problem_of_a_national_row_names_its_line_its_column_and_what_was_expected(
    tmp_path: Path, row: str, expected: str
) -> None:
    path = _csv(tmp_path / "history.csv", [row])
    outcome = _import(OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), path)
    assert [str(p) for p in outcome.problems] == [f"{path}:2: {expected}"]


def test_a_national_history_that_cannot_be_read_is_one_error_naming_the_file(
    tmp_path: Path,
) -> None:
    calendar = _shop().calendar
    csv_path = tmp_path / "history.csv"
    csv_path.write_text("MaHoSo,TrangThaiHoSo\n", encoding="utf-8")
    columns = "MaHoSo, TrangThaiHoSo, ThoiGian, MaDonVi, KenhThucHien, NgayHenTra, MaTTHC"
    with pytest.raises(InvalidInputError) as caught:
        NationalSource(csv_path, calendar)
    assert str(caught.value) == (
        f"{csv_path}: the header lacks ThoiGian, MaDonVi (columns: {columns})"
    )
    json_path = tmp_path / "history.json"
    json_path.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        NationalSource(json_path, calendar)
    assert str(caught.value) == (
        f"{json_path}: not valid JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)"
    )
    for data in ("1", '{"rows": 1}', '{"other": []}'):
        json_path.write_text(data, encoding="utf-8")
        with pytest.raises(InvalidInputError) as caught:
            NationalSource(json_path, calendar)
        assert str(caught.value) == (
            f"{json_path}: expected a JSON list of rows or of dossier payloads"
        )
    with pytest.raises(InvalidInputError) as caught:
        NationalSource(tmp_path / "nowhere.csv", calendar)
    assert str(caught.value) == f"{tmp_path / 'nowhere.csv'}: no such file"


def test_a_json_history_entry_that_is_not_an_object_is_a_problem_of_its_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rows.json"
    row = {"MaHoSo": CODE, "TrangThaiHoSo": 2, "ThoiGian": "20250414090000", "MaDonVi": COUNTER}
    payload = {"MaHoSo": CODE, "MaTTHC": "1.000656", "KenhThucHien": 1, "LichSuTrangThai": [7]}
    path.write_text(
        json.dumps({"rows": [row | {"NgayHenTra": "20250418", "MaTTHC": "1.000656"}, payload]}),
        "utf-8",
    )
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(app, path)
    assert [str(p) for p in outcome.problems] == [
        f"{path}:2: (row): expected an object with MaHoSo, TrangThaiHoSo…",
    ]


def test_a_payload_whose_history_is_one_row_reads_it_with_the_payloads_fields(
    tmp_path: Path,
) -> None:
    path = tmp_path / "payloads.json"
    history = {"TrangThaiHoSo": 2, "ThoiGian": "2025-04-14 09:00:00", "MaDonVi": COUNTER}
    history["NgayHenTra"] = "2025-04-18"
    payload = {"MaHoSo": CODE, "MaTTHC": "1.000656", "KenhThucHien": 3, "LichSuTrangThai": history}
    path.write_text(json.dumps([payload]), encoding="utf-8")
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert _import(app, path).ok
    d = app.dossier(CODE)
    assert (d.procedure, d.channel.value, str(d.limit)) == ("1.000656", "postal", "4 ngày làm việc")


def test_a_csv_history_separated_by_semicolons_reads_like_one_separated_by_commas(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.csv"
    row = f"{CODE};2;2025-04-14 09:00:00;{COUNTER};3;2025-04-18;1.000656"
    path.write_text(HEADER.replace(",", ";") + "\n" + row + "\n", encoding="utf-8")
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert _import(app, path).ok
    assert (app.dossier(CODE).channel.value, str(app.dossier(CODE).limit)) == (
        "postal",
        "4 ngày làm việc",
    )


# -- seed 15 sample: settings refused with their value; a dossier's row as CSV ------------------
@pytest.mark.parametrize("batch", [0, -1, True, 2.0, "10"])
def test_an_import_batch_that_is_not_a_whole_number_from_one_is_refused_with_its_value(
    tmp_path: Path, batch: object
) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with pytest.raises(InvalidInputError) as caught:
        import_jsonl(app, _three(tmp_path), batch=batch)
    assert str(caught.value) == f"batch: expected a whole number ≥ 1, got {batch!r}"
    assert app.recorder.max_notification_id() is None


def test_a_replay_of_logs_without_a_dated_line_asks_for_the_period(tmp_path: Path) -> None:
    log = write_log(tmp_path / "undated.jsonl", ['{"schema": "tthc.event/1"}'])
    with pytest.raises(InvalidInputError) as caught:
        replay([log])
    assert str(caught.value) == f"{log}: no dated event in the logs; give the period"
    with pytest.raises(InvalidInputError) as caught:
        replay([])
    assert str(caught.value) == "logs: no dated event in the logs; give the period"


def test_rows_judged_at_a_naive_time_are_refused_and_by_default_at_the_last_business_time() -> None:
    app, a, b = _interleaved()
    with pytest.raises(InvalidInputError) as caught:
        dossier_rows(app, as_of=datetime(2025, 4, 30, 9))
    assert str(caught.value) == "as_of: naive time 2025-04-30T09:00:00 (give its offset)"
    assert [(r["code"], r["as_of"]) for r in dossier_rows(app)] == [
        (a, vn(2025, 4, 16, 9)),
        (b, vn(2025, 4, 16, 9)),
    ]


def test_a_rows_csv_writes_empty_cells_booleans_and_times_as_text(tmp_path: Path) -> None:
    app, _, b = _interleaved()
    out = tmp_path / "rows.csv"
    assert export_rows(app, out, as_of=vn(2025, 4, 16, 9)) == 2
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [c.name for c in ROW_COLUMNS]
        rows = list(reader)
    shown = ("code", "submitted_at", "resolved_at", "late", "paused_working_hours", "steps")
    assert {k: rows[1][k] for k in shown} == {
        "code": b,
        "submitted_at": "",
        "resolved_at": "2025-04-15T09:00:00+07:00",
        "late": "false",
        "paused_working_hours": "0.0",
        "steps": "0",
    }
    assert rows[0]["in_time_766"] == "true"


# -- seed 15 sample (400): the rest of the survivors ----------------------------------------------
def test_every_bad_data_field_of_a_line_is_named_not_only_the_first() -> None:
    received = {
        "procedure": " ",
        "channel": "fax",
        "limit": "mười ngày",
        "procedure_name": 1,
        "applicant": [],
        "supplement_policy": "never",
        "excluded_pauses": ["lunch"],
        "process": [1],
    }
    assert _problems("received", received) == [
        "line 7: data.procedure: expected non-empty text, got text ' '",
        "line 7: data.channel: 'fax' is not one of " + ", ".join(c.value for c in Channel),
        "line 7: data.limit: time limit 'mười ngày': no amount found; expected e.g. "
        "'5 ngày làm việc', '8 giờ làm việc', '10 ngày' or 'trong ngày'",
        "line 7: data.procedure_name: expected non-empty text, got a number (1)",
        "line 7: data.applicant: expected an object of text fields",
        "line 7: data.supplement_policy: 'never' is not one of "
        + ", ".join(p.value for p in SupplementPolicy),
        "line 7: data.excluded_pauses: expected values among " + ", ".join(_REASON_VALUES),
        "line 7: data.process: expected a list of step objects",
    ]
    assert _problems("digitised", {"components": "2", "e_result": 1, "reused": None}) == [
        "line 7: data.components: expected a whole number, got text '2'",
        "line 7: data.e_result: expected true or false, got a number (1)",
        "line 7: data.reused: expected true or false, got null",
    ]
    assert _problems("apology_issued", {"new_due": "2025-04-20T09:00:00"}) == [
        "line 7: data.new_due: naive time '2025-04-20T09:00:00': business times carry their "
        "offset (+07:00)",
        "line 7: data.reason: missing: apology_issued needs it",
    ]


def test_an_enum_field_keeps_whether_it_is_required_and_its_description() -> None:
    assert _enum(("a", "b"), True, "default a") == FieldSpec("enum", True, ("a", "b"), "default a")
    assert _enum(("a",)) == FieldSpec("enum", False, ("a",), "")


def test_a_fact_whose_command_changes_nothing_is_a_problem_of_its_line(tmp_path: Path) -> None:
    # Marked overdue twice: the second mark adds no event to the dossier.
    lines = [
        event(
            "r",
            CODE,
            "received",
            "2025-04-14T09:00:00+07:00",
            procedure="1.004227",
            limit="1 ngày làm việc",
        ),
        event("o1", CODE, "became_overdue", "2025-04-16T09:00:00+07:00"),
        event("o2", CODE, "became_overdue", "2025-04-16T10:00:00+07:00"),
    ]
    log = write_log(tmp_path / "overdue.jsonl", lines)
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert [str(p) for p in import_jsonl(app, log).problems] == [
        f"{log}:3: became_overdue: id: 'o2' changes nothing on dossier {CODE}: it already is "
        "as the line says (each line of a log records one change)"
    ]


def test_a_data_field_the_schema_does_not_list_is_written_after_the_known_ones() -> None:
    fact = Fact(
        "a1",
        CODE,
        FactType.RESOLVED,
        vn(2025, 4, 14, 9),
        COUNTER,
        {"note": "x", "outcome": "approved"},
    )
    assert dumps(fact) == (
        f'{{"schema": "tthc.event/1", "id": "a1", "dossier": "{CODE}", "type": "resolved", '
        f'"at": "2025-04-14T09:00:00+07:00", "agency": "{COUNTER}", '
        '"data": {"outcome": "approved", "note": "x"}}'
    )


def test_each_line_read_from_a_log_names_its_file(tmp_path: Path) -> None:
    log = write_log(tmp_path / "one.jsonl", [_line("g1", CODE, "resolved", "14T09:00")])
    assert [(line.number, line.path) for line in read_facts([log])] == [(1, str(log))]


def test_a_comma_csv_whose_header_has_as_many_semicolons_stays_comma_separated(
    tmp_path: Path,
) -> None:
    path, rejects = tmp_path / "history.csv", tmp_path / "rejects.csv"
    header = HEADER + ',"a;b;c;d;e;f;g;h;i",FAX'  # as many semicolons as commas; ends with X
    row = f"{CODE},2,2025-04-14 09:00:00,{COUNTER},3,,1.001193,,"  # no NgayHenTra: rejected
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(app, path, keep_going=True, rejects=rejects)
    assert [p.problem.field for p in outcome.problems] == ["NgayHenTra"]
    assert rejects.read_text(encoding="utf-8") == f"{header}\n{row}\n"


def test_the_national_payload_counts_only_online_payments_of_an_amount_and_digitisation() -> None:
    app = _shop()
    code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9)).code
    app.record_payment(code, agency=COUNTER, amount=50000, online=False, at=vn(2025, 4, 14, 9))
    app.record_payment(code, agency=COUNTER, amount=0, online=True, at=vn(2025, 4, 14, 9, 5))
    (payload,) = national_payloads(app)
    assert (payload["DuocThanhToanTrucTuyen"], payload["DanhSachPhiLePhi"]) == (
        0,
        [{"Gia": 50000}, {"Gia": 0}],
    )
    assert payload["HoSoCoThanhPhanSoHoa"] == 0
    app.record_digitisation(code, agency=COUNTER, at=vn(2025, 4, 14, 10))
    (payload,) = national_payloads(app)
    assert payload["HoSoCoThanhPhanSoHoa"] == 1


def test_a_dossier_whose_first_row_is_unreadable_is_left_out_with_every_row(
    tmp_path: Path,
) -> None:
    rows = [
        f"{CODE},11,2025-04-14 08:00:00,{COUNTER},,,",
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-18,1.000656",
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,,",
    ]
    path = _csv(tmp_path / "history.csv", rows)
    raw = [(r + "\n").encode("utf-8") for r in rows]
    problem = Problem(2, "TrangThaiHoSo", "'11' is not a status code 1–10")
    assert list(NationalSource(path, _shop().calendar).lines()) == [
        SourceLine(str(path), 2, None, (problem,), CODE, raw[0], 1),
        SourceLine(str(path), 3, None, (), CODE, raw[1], 1),
        SourceLine(str(path), 4, None, (), CODE, raw[2], 1),
    ]


def test_every_row_of_a_dossier_whose_mapping_fails_is_a_line_of_its_own(tmp_path: Path) -> None:
    rows = [  # the receipt needs NgayHenTra (no catalog): the dossier cannot be mapped
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,,1.000656",
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,,",
        f"{CODE},9,2025-04-15 10:00:00,{DEPARTMENT},,,",
    ]
    path = _csv(tmp_path / "history.csv", rows)
    raw = [(r + "\n").encode("utf-8") for r in rows]
    lines = list(NationalSource(path, _shop().calendar).lines())
    assert [
        (line.path, line.number, line.fact, line.dossier, line.raw, line.size) for line in lines
    ] == [
        (str(path), 2, None, CODE, raw[0], 1),
        (str(path), 3, None, CODE, raw[1], 1),
        (str(path), 4, None, CODE, raw[2], 1),
    ]
    assert lines[0].problems[0].field == "NgayHenTra"
    assert (lines[1].problems, lines[2].problems) == ((), ())


def test_a_hand_over_before_any_receipt_is_allotted_one_working_day() -> None:
    def row(number: int, status: Status, hour: int) -> StatusRow:
        at = vn(2025, 4, 14, hour)
        return StatusRow("h.csv", number, CODE, status, at, COUNTER, None, None, "1.001193", b"")

    mapper = StatusMapper(_shop().calendar)
    rows = [row(2, Status.SUBMITTED, 9), row(3, Status.PROCESSING, 10)]
    ((_, (submitted,)), (_, (started,))) = mapper.facts(rows)
    assert submitted.data == {"procedure": "1.001193", "channel": "online"}
    assert started.data == {
        "step": "buoc-1",
        "allotted": "1 ngày làm việc",
        "name": f"Xử lý tại {COUNTER} (TrangThaiHoSo 4)",
    }


def test_a_replay_in_three_parts_reports_a_line_without_a_dossier_once(tmp_path: Path) -> None:
    lines = [
        _line("g1", CODE, "received", "14T09:00", procedure="1.004227", limit="4 ngày làm việc"),
        '{"schema": "tthc.event/1", "id": "broken"',
    ]
    log = write_log(tmp_path / "log.jsonl", lines)
    outcome = replay([log], period=Period.month(2025, 4), jobs=3, skip_bad=True)
    assert [(p.line, p.field) for p in outcome.problems] == [(2, "(json)")]
    assert (outcome.lines, outcome.facts) == (2, 1)


def test_the_span_of_a_log_reads_past_a_line_without_a_time() -> None:
    raws = [b'{"at": "2025-04-14T09:00"}', b'{"id": "x"}', b'{"at": "2025-05-02T09:00"}']
    assert lines_span(raws) == ("2025-04-14", "2025-05-02")
    assert lines_span([b"{}"]) is None


def test_a_replay_by_default_runs_in_one_process_and_tells_its_progress(tmp_path: Path) -> None:
    log = write_log(
        tmp_path / "log.jsonl",
        [_line("g1", CODE, "received", "14T09:00", procedure="1.004227", limit="4 ngày làm việc")],
    )
    read: list[int] = []
    assert replay([log], period=Period.month(2025, 4), progress=read.append).problems == ()
    assert sum(read) == log.stat().st_size


def test_a_replay_in_parts_reads_the_catalog_as_one_process_does(april_log: Path) -> None:
    catalog = Catalog.sample()
    one = replay([april_log], period=Period.month(2025, 4), catalog=catalog)
    two = replay([april_log], period=Period.month(2025, 4), catalog=catalog, jobs=2)
    assert one.report is not None
    assert two.report is not None
    assert two.report.as_dict() == one.report.as_dict()
    assert list(one.report.as_dict()["by_field"])


def test_the_rows_export_takes_the_catalog_given_over_the_applications(tmp_path: Path) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.receive(
        "2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=CODE, limit="3 ngày làm việc"
    )
    out = tmp_path / "rows.csv"
    export_rows(app, out, catalog=Catalog.sample())
    with open(out, encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["field"], row["level"]) == ("Thành lập và hoạt động của doanh nghiệp", "province")


def test_a_rows_in_time_766_compares_as_the_rows_are_asked_to() -> None:
    # Due Thu 17/04 09:00, resolved that day at 15:00: in time by date, late by the minute.
    app = _shop()
    code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9)).code
    app.resolve(code, agency=COUNTER, at=vn(2025, 4, 17, 15))
    judged = {
        by: [(r["timeliness"], r["late"], r["in_time_766"]) for r in dossier_rows(app, by=by)]
        for by in (Comparison.DATE, Comparison.DATETIME)
    }
    assert judged == {
        Comparison.DATE: [("on_time", False, True)],
        Comparison.DATETIME: [("late", True, False)],
    }


def test_a_line_without_a_findable_dossier_belongs_to_the_first_part_only() -> None:
    # The parts run in other processes, where the mutation run does not follow the calls.
    broken, line = (
        b'{"schema": "tthc.event/1", "id": "broken"',
        _line("g", CODE, "resolved", "14T09:00"),
    )
    assert [_mine(broken, part, 3) for part in range(3)] == [True, False, False]
    assert sum(_mine(line.encode(), part, 3) for part in range(3)) == 1
    assert _mine(broken, 0, 1)


# -- the national module, pinned whole (mutants of every function) -------------------------------
def _rows(*specs: tuple[Status, int, str]) -> list[StatusRow]:
    """Status rows of CODE on Mon 14/04/2025 at the given hours, by the given units."""
    return [
        StatusRow("h.csv", n, CODE, status, vn(2025, 4, 14, hour), agency, None, None, None, b"")
        for n, (status, hour, agency) in enumerate(specs, 2)
    ]


def _mapped(
    rows: list[StatusRow], catalog: Catalog | None = None
) -> list[list[tuple[str, dict[str, Any]]]]:
    mapper = StatusMapper(_shop().calendar, catalog)
    return [[(f.type.value, dict(f.data)) for f in facts] for _, facts in mapper.facts(rows)]


def _received(hour: int = 9, due: str = "2025-04-18 09:00:00", **more: Any) -> StatusRow:
    return attrs.evolve(
        _rows((Status.RECEIVED, hour, COUNTER))[0],
        due=national_time(due),
        procedure="1.000656",
        **more,
    )


def test_a_receipt_row_while_a_supplement_is_awaited_receives_it() -> None:
    rows = [
        _received(),
        *_rows((Status.SUPPLEMENT_REQUESTED, 10, COUNTER), (Status.RECEIVED, 11, COUNTER)),
    ]
    reason = "Yêu cầu bổ sung giấy tờ (TrangThaiHoSo 5)"
    assert _mapped(rows)[1:] == [
        [("supplement_requested", {"reason": reason, "items": []})],
        [("supplement_received", {})],
    ]
    assert _mapped([_received(), *_rows((Status.RECEIVED, 11, COUNTER))])[1:] == [[]]


def test_after_a_resolution_or_a_withdrawal_a_hand_over_finishes_no_step() -> None:
    for ending in (Status.RESOLVED, Status.WITHDRAWN):
        rows = [_received(), *_rows((ending, 10, COUNTER), (Status.PROCESSING, 11, DEPARTMENT))]
        assert [kind for kind, _ in _mapped(rows)[2]] == ["step_started"]


def test_a_refusal_without_a_procedure_code_refuses_it_with_none() -> None:
    ((refused,),) = _mapped(_rows((Status.REFUSED, 9, COUNTER)))
    assert refused == (
        "refused",
        {"reason": "Không được tiếp nhận (TrangThaiHoSo 3)", "procedure": "", "channel": "counter"},
    )


def test_a_financial_pause_is_excluded_from_the_clock_only_when_the_catalog_does_not_say() -> None:
    rows = [
        attrs.evolve(_received(), procedure="2.001610"),
        *_rows((Status.FINANCIAL_OBLIGATION, 10, COUNTER)),
    ]
    (without,), _ = _mapped(rows)
    assert without[1]["excluded_pauses"] == ["financial_obligation"]
    (listed,), _ = _mapped(rows, Catalog.sample())
    assert "excluded_pauses" not in listed[1]


def test_a_row_the_calendar_cannot_place_is_a_problem_of_the_row() -> None:
    row = _received(due="1990-04-20 09:00:00")
    row = attrs.evolve(row, at=vn(1990, 4, 16, 9))
    with pytest.raises(RowError) as caught:
        list(StatusMapper(_shop().calendar).facts([row]))
    assert (caught.value.row, caught.value.field) == (row, "(row)")
    assert str(caught.value) == (
        "h.csv:2: (row): end 1990-04-20: outside the calendar's data range 2020-01-01..2027-12-31 "
        "(no official schedule; the engine does not guess)"
    )


def test_a_row_error_names_the_file_the_row_and_the_field() -> None:
    row = attrs.evolve(_rows((Status.SUBMITTED, 9, COUNTER))[0])
    with pytest.raises(RowError) as caught:
        list(StatusMapper(_shop().calendar).facts([row]))
    assert str(caught.value) == "h.csv:2: MaTTHC: the procedure code is needed at submission"


@pytest.mark.parametrize(
    ("due", "limit"),
    [
        ("2025-04-14", "Trong ngày"),  # the receipt day itself
        ("2025-04-15", "1 ngày làm việc"),  # the next working day
    ],
)
def test_an_appointment_on_the_receipt_day_or_the_next_is_the_shortest_limit_reaching_it(
    due: str, limit: str
) -> None:
    ((received,),) = _mapped([_received(due=due)])
    assert received[1]["limit"] == limit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20250414093015", vn(2025, 4, 14, 9, 30, 15)),
        ("14/04/2025 09:30:15", vn(2025, 4, 14, 9, 30, 15)),
        ("2025-04-14T02:30:15+00:00", vn(2025, 4, 14, 9, 30, 15)),
    ],
)
def test_a_national_time_keeps_its_seconds_and_is_given_in_vietnam_time(
    text: str, expected: datetime
) -> None:
    parsed = national_time(text)
    assert (parsed, parsed.utcoffset()) == (expected, expected.utcoffset())


def test_the_national_export_counts_every_dossier_and_tells_when_processing_ended(
    tmp_path: Path,
) -> None:
    app, a, b = _interleaved()
    app.record_payment(b, agency=COUNTER, amount=1, online=True, at=vn(2025, 4, 16, 10))
    out = tmp_path / "national.json"
    assert export_national(app, out) == 2
    payloads = json.loads(out.read_text(encoding="utf-8"))
    assert [(p["MaHoSo"], p["NgayKetThucXuLy"], p["DuocThanhToanTrucTuyen"]) for p in payloads] == [
        (a, "2025-04-16T09:00:00+07:00", 0),
        (b, "2025-04-15T09:00:00+07:00", 1),
    ]
    assert "Đăng ký" in out.read_text(encoding="utf-8")  # UTF-8 text, not escaped


def test_a_json_history_with_a_bom_and_an_entry_that_is_not_a_row_reads_every_row(
    tmp_path: Path,
) -> None:
    path, rejects = tmp_path / "rows.json", tmp_path / "rejects.json"
    row = {
        "MaHoSo": CODE,
        "TrangThaiHoSo": 2,
        "ThoiGian": "20250414090000",
        "MaDonVi": "Sở Tư pháp",
    }
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([7, row]).encode("utf-8"))
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(app, path, keep_going=True, rejects=rejects)
    assert [str(p) for p in outcome.problems] == [
        f"{path}:1: (row): expected an object with MaHoSo, TrangThaiHoSo…",
        f"{path}:2: MaTTHC: the procedure code is needed to receive the dossier",
    ]
    assert rejects.read_bytes() == (
        b"[\n7,\n" + json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n]\n"
    )


def test_the_rejects_of_a_semicolon_csv_keep_its_separator_and_its_header_as_written(
    tmp_path: Path,
) -> None:
    path, rejects = tmp_path / "history.csv", tmp_path / "rejects.csv"
    header = HEADER.replace(",", ";") + " "
    row = f"{CODE};2;2025-04-14 09:00:00;{COUNTER};1;;1.001193"  # no NgayHenTra: rejected
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    _import(app, path, keep_going=True, rejects=rejects)
    assert rejects.read_text(encoding="utf-8") == f"{header}\n{row}\n"


def test_a_payload_history_entry_that_is_not_a_row_does_not_hide_the_rows_after_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "payloads.json"
    row = {"TrangThaiHoSo": 2, "ThoiGian": "20250414090000", "MaDonVi": COUNTER}
    row["NgayHenTra"] = "20250418"
    payload = {"MaHoSo": CODE, "MaTTHC": "1.000656", "LichSuTrangThai": [7, row]}
    path.write_text(json.dumps([payload]), encoding="utf-8")
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = _import(app, path, keep_going=True)
    assert [str(p) for p in outcome.problems] == [
        f"{path}:1: (row): expected an object with MaHoSo, TrangThaiHoSo…",
    ]
    assert (outcome.facts, outcome.imported) == (2, 1)


# -- the importer, pinned whole ---------------------------------------------------------------
def _fact(kind: FactType, **data: Any) -> Fact:
    return Fact("x1", CODE, kind, vn(2025, 4, 14, 9), COUNTER, data)


def test_a_stored_fact_differs_from_a_line_only_in_what_it_means() -> None:
    step = {"key": "a", "name": "A", "agency": COUNTER, "allotted": "0,5 ngày làm việc"}
    stored = _fact(
        FactType.RECEIVED,
        procedure="1.000656",
        limit="0,5 ngày làm việc",
        procedure_name="0,5 ngày làm việc",
        excluded_pauses=["public_posting", "financial_obligation"],
        process=[step],
    )
    same = _fact(
        FactType.RECEIVED,
        procedure="1.000656",
        limit="0.5 ngày làm việc",
        procedure_name="0,5 ngày làm việc",
        excluded_pauses=["financial_obligation", "public_posting"],
        process=[step | {"allotted": "0.5 ngày làm việc"}],
    )
    assert difference(same, stored) is None
    renamed = attrs.evolve(same, data=same.data | {"procedure_name": "0.5 ngày làm việc"})
    assert difference(renamed, stored) == "data.procedure_name"
    other_step = attrs.evolve(same, data=same.data | {"process": [step | {"name": "B"}]})
    assert difference(other_step, stored) == "data.process"
    items = _fact(FactType.SUPPLEMENT_REQUESTED, reason="x", items=["b", "a"])
    assert difference(items, attrs.evolve(items, data={"reason": "x", "items": ["a", "b"]})) == (
        "data.items"
    )


def test_a_field_left_out_of_a_line_compares_as_its_default_and_an_unknown_one_as_absent() -> None:
    assert (
        difference(_fact(FactType.RESOLVED), _fact(FactType.RESOLVED, outcome="approved")) is None
    )
    assert difference(_fact(FactType.RESOLVED), _fact(FactType.RESOLVED, outcome="rejected")) == (
        "data.outcome"
    )
    paid = _fact(FactType.FEE_PAID, amount=1, online=True)
    assert difference(_fact(FactType.FEE_PAID, amount=1), paid) == "data.online"
    assert difference(_fact(FactType.FEE_PAID, amount=1, online=True, note=None), paid) == (
        "data.note"
    )
    assert difference(paid, _fact(FactType.FEE_PAID, amount=1, online=True, note=None)) == (
        "data.note"
    )
    assert difference(paid, attrs.evolve(paid, actor="cb-01")) == "actor"


def test_an_import_stopped_by_problems_tells_what_it_read_and_stored_nothing(
    tmp_path: Path,
) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert import_jsonl(app, [_three(tmp_path)], batch=1).batches == 3
    bad = event("b1", f"{CODE[:-1]}3", "resolved", "2025-04-15T10:00:00+07:00")
    log = write_log(tmp_path / "more.jsonl", [*_three(tmp_path).read_text().splitlines(), bad])
    outcome = import_jsonl(app, log)
    assert outcome == ImportOutcome(outcome.problems, 4, 0, 3, frozenset({f"{CODE[:-1]}3"}), 0, 0)
    assert [p.problem.line for p in outcome.problems] == [4]


def test_an_id_given_twice_in_the_input_to_different_facts_names_where_it_was_first(
    tmp_path: Path,
) -> None:
    first = event("r1", CODE, "received", "2025-04-14T09:00:00+07:00", **_RECEIPT)
    again = event("r1", f"{CODE[:-1]}2", "received", "2025-04-14T09:00:00+07:00", **_RECEIPT)
    log = write_log(tmp_path / "twice.jsonl", ["", first, again])
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = import_jsonl(app, log, keep_going=True)
    assert [str(p) for p in outcome.problems] == [
        f"{log}:3: id: 'r1' is already the id of a different fact ({log}:2); an id names one fact"
    ]
    assert (outcome.rejected, outcome.imported) == (frozenset({f"{CODE[:-1]}2"}), 1)


def test_a_rejected_last_line_without_its_newline_is_written_with_one(tmp_path: Path) -> None:
    good = event("r1", CODE, "received", "2025-04-14T09:00:00+07:00", **_RECEIPT)
    bad = event("b1", f"{CODE[:-1]}2", "resolved", "2025-04-15T10:00:00+07:00")
    log, rejects = tmp_path / "log.jsonl", tmp_path / "rejects.jsonl"
    log.write_text(f"{good}\n\n{bad}", encoding="utf-8")  # a blank line, no final newline
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    outcome = import_jsonl(app, log, keep_going=True, rejects=rejects)
    assert [p.problem.line for p in outcome.problems] == [3]
    assert rejects.read_text(encoding="utf-8") == f"{bad}\n"
    assert (outcome.imported, outcome.rejected_lines) == (1, 1)


@pytest.mark.parametrize(
    ("settings", "apologies"),
    [
        ({"max_apologies": 2}, [("15T09:00", "22T09:00"), ("16T09:00", "24T09:00")]),
        ({"apology_lead_days": 0}, [("18T08:00", "22T09:00")]),
    ],
)
def test_an_import_carries_facts_out_under_the_applications_apology_settings(
    tmp_path: Path, settings: dict[str, int], apologies: list[tuple[str, str]]
) -> None:
    lines = [
        _line("r", CODE, "received", "14T09:00", procedure="1.004227", limit="4 ngày làm việc")
    ]
    lines += [
        _line(f"a{n}", CODE, "apology_issued", at, new_due=_at(due), reason="chậm")
        for n, (at, due) in enumerate(apologies)
    ]
    log = write_log(tmp_path / "apologies.jsonl", lines)
    strict = import_jsonl(OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), log)
    assert [(p.problem.line, p.problem.field) for p in strict.problems] == [
        (len(lines), "apology_issued")
    ]
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, **settings)
    assert import_jsonl(app, log).imported == len(lines)


def test_an_id_repeated_with_other_data_or_steps_is_a_different_fact(tmp_path: Path) -> None:
    step = {"key": "a", "name": "A", "agency": COUNTER, "allotted": "1 ngày làm việc"}
    pairs = [
        (_RECEIPT, _RECEIPT | {"limit": "6 ngày làm việc"}),
        (_RECEIPT | {"process": [step]}, _RECEIPT | {"process": [step | {"name": "B"}]}),
    ]
    for data, changed in pairs:
        first = event("r1", CODE, "received", "2025-04-14T09:00:00+07:00", **data)
        again = event("r1", CODE, "received", "2025-04-14T09:00:00+07:00", **changed)
        log = write_log(tmp_path / "twice.jsonl", [first, again])
        outcome = import_jsonl(OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), log)
        assert [(p.problem.line, p.problem.field) for p in outcome.problems] == [(2, "id")]
    log = write_log(tmp_path / "same.jsonl", [first, first])
    outcome = import_jsonl(OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}), log)
    assert (outcome.problems, outcome.imported, outcome.present) == ((), 1, 1)
