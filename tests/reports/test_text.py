"""The office's table as text: the same report as the JSON, written as each language writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CASES
from tthc_engine import InvalidInputError
from tthc_engine.interchange import replay
from tthc_engine.projections import Period
from tthc_engine.reports import render


def _april() -> dict[str, object]:
    outcome = replay([CASES / "replay-april-2025.jsonl"], period=Period.month(2025, 4))
    assert outcome.report is not None
    return outcome.report.as_dict()


def test_vietnamese_rates_are_written_with_a_decimal_comma_and_english_with_a_point() -> None:
    report = _april()  # on-time rate 2 of 4 = 50%, QĐ 766 2.1: 4 of 7 = 57.1%
    vi, en = render(report, "vi"), render(report, "en")
    assert "50,0%" in vi
    assert "57,1%" in vi
    assert "50.0%" in en
    assert "57.1%" in en
    assert "57.1%" not in vi


def test_a_log_without_a_dated_event_asks_for_the_period(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="no dated event in the logs"):
        replay([empty])
