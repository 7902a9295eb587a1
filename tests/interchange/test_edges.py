"""Event-log lines at their edges, found unpinned by mutation testing (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.interchange.conftest import COUNTER, DEPARTMENT
from tests.interchange.test_national import _csv, _import
from tthc_engine import OneStopShop
from tthc_engine.catalog import PauseReason
from tthc_engine.interchange.replay import replay
from tthc_engine.interchange.schema import SCHEMA, check_record
from tthc_engine.projections import Period

CODE = "000.00.10.H41-250414-0001"


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
def test_each_hand_over_of_a_national_history_starts_the_next_numbered_step(
    tmp_path: Path,
) -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    rows = [
        f"{CODE},2,2025-04-14 09:00:00,{COUNTER},1,2025-04-21 09:00:00,1.001193",
        f"{CODE},4,2025-04-14 10:00:00,{DEPARTMENT},,,",
        f"{CODE},4,2025-04-15 10:00:00,{COUNTER},,,",
    ]
    outcome = _import(app, _csv(tmp_path / "history.csv", rows))
    assert outcome.problems == ()
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
