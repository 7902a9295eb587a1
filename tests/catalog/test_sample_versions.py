"""The sample catalog's versions: every code is in force through the spring of 2025, the
district level ends on 30/06/2025, the March 2025 mergers change the agencies, and every
receipt of the shared worked cases finds its agency and a version in force."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import CASES
from tthc_engine.catalog import Catalog, Level, Procedure
from tthc_engine.worktime import TimeLimit

SAMPLE = Catalog.sample()


def test_every_sample_code_has_a_version_in_force_every_day_of_march_to_june_2025() -> None:
    day = date(2025, 3, 1)
    while day <= date(2025, 7, 1):
        assert {p.code for p in SAMPLE.in_force_on(day)} == set(SAMPLE), day
        day += timedelta(days=1)


def test_the_sample_versions_change_level_on_1_july_2025() -> None:
    before, after = date(2025, 6, 30), date(2025, 7, 1)
    assert SAMPLE.in_force("1.001612", before).level is Level.DISTRICT
    assert SAMPLE.in_force("1.001612", after).level is Level.COMMUNE
    assert SAMPLE.in_force("1.013225", before).level is Level.DISTRICT
    assert SAMPLE.in_force("1.013225", after).level is Level.COMMUNE
    districts = [v for code in SAMPLE for v in SAMPLE.versions(code) if v.level is Level.DISTRICT]
    assert districts
    assert all(v.valid_to is not None and v.valid_to <= before for v in districts)


def test_the_sample_follows_the_march_2025_department_mergers() -> None:
    def agencies(code: str, day: date) -> set[str]:
        return {s.agency for s in SAMPLE.in_force(code, day).steps}

    last, first = date(2025, 2, 28), date(2025, 3, 1)
    assert "planning_investment_department" in agencies("2.001610", last)
    assert "finance_department" in agencies("2.001610", first)
    assert "natural_resources_department" in agencies("1.012753", last)
    assert "agriculture_environment_department" in agencies("1.012753", first)
    assert "justice_department" in agencies("2.000488", last)
    assert "provincial_police" in agencies("2.000488", first)


def test_the_investment_limit_is_35_days_until_the_17_day_version() -> None:
    assert SAMPLE.in_force("1.009645", date(2025, 9, 2)).limit == TimeLimit.calendar_days(35)
    assert SAMPLE.in_force("1.009645", date(2025, 9, 3)).limit == TimeLimit.calendar_days(17)


def _shared_receipts() -> list[dict[str, Any]]:
    lines = (CASES / "replay-april-2025.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines if line.strip()]
    return [e for e in events if e["type"] in ("received", "submitted")]


NOT_IN_SAMPLE = {"1.004227"}
"""Procedures of the shared cases the sample does not list; those events carry their limit."""


def test_the_only_shared_case_procedures_missing_from_the_sample_are_known() -> None:
    codes = {e["data"]["procedure"] for e in _shared_receipts()}
    assert codes - set(SAMPLE) == NOT_IN_SAMPLE


@pytest.mark.parametrize(
    "event",
    [e for e in _shared_receipts() if e["data"]["procedure"] not in NOT_IN_SAMPLE],
    ids=lambda e: f"{e['id']}-{e['data']['procedure']}",
)
def test_a_shared_case_receipt_finds_its_agency_and_a_version_in_force(
    event: dict[str, Any],
) -> None:
    assert event["agency"] in SAMPLE.agency_codes
    day = date.fromisoformat(event["at"][:10])
    assert isinstance(SAMPLE.in_force(event["data"]["procedure"], day), Procedure)
