"""Event-log lines at their edges, found unpinned by mutation testing (issue 12)."""

from __future__ import annotations

from typing import Any

from tthc_engine.catalog import PauseReason
from tthc_engine.interchange.schema import SCHEMA, check_record

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
