"""The shared April 2025 case: a hand-worked log and the figures it must give (DESIGN §7).

``tests/data/replay-april-2025.jsonl`` holds a dossier carried over from March, a due
moved by the worked Saturday 26/04/2025, Giỗ Tổ 07/04 skipped, a stopped dossier, a liên
thông dossier whose second agency overran its share and apologised in time, one pending
and one overdue at the period's end. Every key of the expected JSON must come out equal,
in one process and split across processes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import CASES
from tthc_engine.interchange import replay
from tthc_engine.projections import Period

LOG = CASES / "replay-april-2025.jsonl"
EXPECTED: dict[str, Any] = json.loads(
    (CASES / "replay-april-2025.expected.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_the_april_case_gives_the_hand_worked_figures(jobs: int) -> None:
    outcome = replay([LOG], period=Period.parse("2025-04-01", "2025-04-30"), jobs=jobs)
    assert outcome.problems == ()
    assert outcome.report is not None
    report = outcome.report.as_dict()
    for key, value in EXPECTED.items():
        assert report[key] == value, key


def test_the_period_defaults_to_the_months_the_log_covers() -> None:
    outcome = replay([LOG])
    assert outcome.report is not None
    report = outcome.report.as_dict()
    assert report["period"] == {"from": "2025-03-01", "to": "2025-04-30"}
    assert list(report["by_month"]) == ["2025-03", "2025-04"]
    assert report["by_month"]["2025-03"]["received"] == 1
    assert report["by_month"]["2025-04"]["carried_over"] == 1
    # the months add up: received in March plus received in April
    assert report["received"] == 7


def test_a_month_of_the_period_is_the_same_as_that_month_alone() -> None:
    both = replay([LOG], period=Period.parse("2025-03-01", "2025-04-30")).report
    april = replay([LOG], period=Period.month(2025, 4)).report
    assert both is not None
    assert april is not None
    april_alone = april.as_dict()
    in_both = both.as_dict()["by_month"]["2025-04"]
    for key, value in in_both.items():
        assert april_alone[key] == value, key
