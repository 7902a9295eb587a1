"""Successive versions of one procedure code: which one is in force on a day, and how a
catalog that lets two of them share a day is reported."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

import tthc_engine
from tthc_engine.catalog import (
    Catalog,
    CatalogError,
    CatalogValidationError,
    Level,
    ProcedureNotInForceError,
    UnknownProcedureError,
)
from tthc_engine.worktime import TimeLimit

BIRTH = "1.001193"
MARRIAGE = "1.000894"


def _version(code: str, valid_from: date | None, valid_to: date | None, **fields: Any) -> Any:
    """A catalog entry of the shape of the YAML file (steps left out)."""
    entry: dict[str, Any] = {
        "code": code,
        "name": "Đăng ký khai sinh" if code == BIRTH else "Đăng ký kết hôn",
        "field": "Hộ tịch",
        "level": "commune",
        "limit": "Trong ngày",
    }
    if valid_from is not None:
        entry["valid_from"] = valid_from
    if valid_to is not None:
        entry["valid_to"] = valid_to
    entry.update(fields)
    return entry


def _catalog(*entries: Any, source: str = "v.yaml") -> Catalog:
    return Catalog.from_mapping({"procedures": list(entries)}, source=source)


def _problems(*entries: Any) -> list[str]:
    with pytest.raises(CatalogValidationError) as info:
        _catalog(*entries)
    return info.value.problems


OLD = _version(BIRTH, date(2021, 12, 6), date(2025, 6, 30), level="district")
NEW = _version(BIRTH, date(2025, 7, 1), None, limit="3 ngày làm việc")


# -- the version in force -----------------------------------------------------------------------
def test_each_day_gets_the_version_whose_period_contains_it_both_ends_included() -> None:
    catalog = _catalog(NEW, OLD)
    assert catalog.in_force(BIRTH, date(2021, 12, 6)).level is Level.DISTRICT
    assert catalog.in_force(BIRTH, date(2025, 6, 30)).level is Level.DISTRICT
    assert catalog.in_force(BIRTH, date(2025, 7, 1)).level is Level.COMMUNE
    assert catalog.in_force(BIRTH, date(2031, 1, 1)).limit == TimeLimit.working_days(3)


def test_versions_are_ordered_by_valid_from_whatever_the_file_order() -> None:
    catalog = _catalog(NEW, OLD)
    assert [v.valid_from for v in catalog.versions(BIRTH)] == [date(2021, 12, 6), date(2025, 7, 1)]


def test_a_version_with_no_valid_from_comes_first_and_reaches_back_without_limit() -> None:
    first = _version(BIRTH, None, date(2021, 12, 5))
    catalog = _catalog(OLD, first)
    assert catalog.versions(BIRTH)[0].valid_from is None
    assert catalog.in_force(BIRTH, date(1999, 1, 1)).valid_to == date(2021, 12, 5)


def test_the_mapping_answers_with_the_most_recent_version_and_counts_codes() -> None:
    catalog = _catalog(OLD, NEW, _version(MARRIAGE, None, None))
    assert len(catalog) == 2
    assert sorted(catalog) == [MARRIAGE, BIRTH]
    assert catalog[BIRTH].valid_from == date(2025, 7, 1)
    assert catalog.get(BIRTH) == catalog[BIRTH]
    assert BIRTH in catalog
    assert catalog.get("9.999999", None) is None


def test_a_day_no_version_covers_names_the_code_the_day_and_every_period() -> None:
    gap = _version(BIRTH, date(2026, 1, 1), None)
    catalog = _catalog(OLD, gap)
    for day in (date(2020, 1, 1), date(2025, 7, 1), date(2025, 12, 31)):
        with pytest.raises(ProcedureNotInForceError) as info:
            catalog.in_force(BIRTH, day)
        error = info.value
        assert isinstance(error, CatalogError)
        assert (error.code, error.day) == (BIRTH, day)
        assert error.periods == ((date(2021, 12, 6), date(2025, 6, 30)), (date(2026, 1, 1), None))
        message = str(error)
        assert f"'{BIRTH}' is not in force on {day.isoformat()}" in message
        assert "from 2021-12-06 to 2025-06-30; from 2026-01-01 with no end date" in message


def test_an_unknown_code_still_raises_unknown_procedure_error_with_suggestions() -> None:
    catalog = _catalog(OLD, NEW)
    for lookup in (
        lambda: catalog.in_force("1.001194", date(2025, 4, 1)),
        lambda: catalog.versions("1.001194"),
    ):
        with pytest.raises(UnknownProcedureError) as info:
            lookup()
        assert info.value.suggestions == (BIRTH,)


def test_the_new_error_is_exported_by_the_package_and_the_catalog() -> None:
    assert tthc_engine.ProcedureNotInForceError is ProcedureNotInForceError
    assert "ProcedureNotInForceError" in tthc_engine.__all__


def test_in_force_on_lists_one_version_per_code_in_force_that_day_by_code() -> None:
    later = _version(MARRIAGE, date(2025, 7, 1), None)
    catalog = _catalog(NEW, OLD, later)
    assert [(p.code, p.valid_from) for p in catalog.in_force_on(date(2025, 6, 30))] == [
        (BIRTH, date(2021, 12, 6))
    ]
    assert [p.code for p in catalog.in_force_on(date(2025, 7, 1))] == [MARRIAGE, BIRTH]


# -- problems the loader reports ------------------------------------------------------------------
def test_overlapping_versions_are_reported_against_the_later_one_naming_both() -> None:
    overlapping = _version(BIRTH, date(2025, 1, 1), None)
    [problem] = _problems(OLD, overlapping)
    assert problem.startswith("v.yaml:procedures[1.001193@2025-01-01]:valid_from: ")
    assert "2025-01-01 to no valid_to overlaps the version procedures[1.001193@2021-12-06]" in (
        problem
    )
    assert "(2021-12-06 to 2025-06-30)" in problem
    assert "end the earlier version with valid_to: 2024-12-31" in problem


def test_a_valid_to_equal_to_the_next_valid_from_is_an_overlap_of_one_day() -> None:
    touching = _version(BIRTH, date(2021, 12, 6), date(2025, 7, 1))
    [problem] = _problems(touching, NEW)
    assert problem.startswith("v.yaml:procedures[1.001193@2025-07-01]:valid_from: ")
    assert "both inclusive" in problem
    assert "valid_to: 2025-06-30" in problem


def test_a_version_overlapping_one_that_is_not_its_neighbour_is_still_reported() -> None:
    long = _version(BIRTH, date(2020, 1, 1), date(2030, 12, 31))
    short = _version(BIRTH, date(2021, 1, 1), date(2021, 6, 30))
    later = _version(BIRTH, date(2022, 1, 1), None)
    problems = _problems(long, short, later)
    assert len(problems) == 2
    assert all("overlaps the version procedures[1.001193@2020-01-01]" in p for p in problems)


def test_two_versions_without_dates_overlap_and_get_labels_that_tell_them_apart() -> None:
    problems = _problems(_version(BIRTH, None, None), _version(BIRTH, None, None))
    assert problems == [
        "v.yaml:procedures[1.001193@open#1]:valid_from: no valid_from to no valid_to "
        "overlaps the version procedures[1.001193@open] (no valid_from to no valid_to); "
        "versions of one code may not share a day (valid_from and valid_to are both inclusive)"
    ]


def test_reversed_dates_and_an_overlap_are_reported_together_with_other_problems() -> None:
    reversed_ = _version(BIRTH, date(2025, 6, 30), date(2021, 12, 6))
    broken = _version(MARRIAGE, None, None, limit="năm ngày")
    overlapping = _version(BIRTH, date(2025, 7, 1), None)
    problems = _problems(reversed_, broken, overlapping, copy.deepcopy(overlapping))
    assert any(
        p.startswith("v.yaml:procedures[1.001193@2025-06-30]:valid_to: 2021-12-06 is before")
        for p in problems
    )
    assert any(p.startswith("v.yaml:procedures[1.000894]:limit: ") for p in problems)
    assert any(
        p.startswith("v.yaml:procedures[1.001193@2025-07-01#3]:valid_from: ") for p in problems
    )
    assert len(problems) == 3


def test_a_catalog_built_in_memory_refuses_overlapping_versions() -> None:
    one = _catalog(OLD)[BIRTH]
    other = _catalog(_version(BIRTH, date(2025, 6, 30), None))[BIRTH]
    with pytest.raises(CatalogValidationError, match=r"memory>:procedures\[1.001193@2025-06-30\]"):
        Catalog([one, other])
    assert Catalog({BIRTH: one}).in_force(BIRTH, date(2022, 1, 1)) == one


def test_agency_codes_gather_the_agencies_section_and_every_step_of_every_version() -> None:
    step = {"key": "receive", "name": "Tiếp nhận", "allotted": "1 giờ làm việc"}
    data = {
        "agencies": {"centre": "000.00.10.H41", "unused": "000.00.99.H41"},
        "procedures": [
            _version(BIRTH, None, date(2025, 6, 30), steps=[dict(step, agency="000.40.10.H41")]),
            _version(BIRTH, date(2025, 7, 1), None, steps=[dict(step, agency="centre")]),
        ],
    }
    catalog = Catalog.from_mapping(data)
    assert catalog.agency_codes == frozenset({"000.00.10.H41", "000.00.99.H41", "000.40.10.H41"})
    assert Catalog().agency_codes == frozenset()
