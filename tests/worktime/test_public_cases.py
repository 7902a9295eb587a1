"""Every worked deadline of tests/data/deadlines.jsonl (the shared cases), as its own test."""

from __future__ import annotations

import json
from datetime import time

import pytest

from tests.conftest import CASES
from tthc_engine import VietnamCalendar
from tthc_engine.worktime import parse_instant


def _cases() -> list[object]:
    lines = (CASES / "deadlines.jsonl").read_text(encoding="utf-8").splitlines()
    return [pytest.param(json.loads(line), id=json.loads(line)["id"]) for line in lines if line]


@pytest.fixture(scope="module")
def calendar() -> VietnamCalendar:
    return VietnamCalendar()


@pytest.mark.parametrize("case", _cases())
def test_public_deadline_case(calendar: VietnamCalendar, case: dict[str, str]) -> None:
    cutoff = time.fromisoformat(case["cutoff"]) if case["cutoff"] else None
    deadline = calendar.due(parse_instant(case["received_at"]), case["limit"], cutoff)
    assert deadline.due_at == parse_instant(case["due_at"]), case["note"]
    assert deadline.due_at.isoformat() == case["due_at"]
