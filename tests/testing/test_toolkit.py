"""The testing toolkit itself: the business clock, the frozen system clock, the catalog
builder. (Scenarios are tested by use: tests/application/test_scenarios.py and
examples/test_embedding.py.)"""

from __future__ import annotations

from datetime import datetime

import pytest

from tthc_engine import VN_TZ, Catalog, CatalogValidationError, InvalidInputError, OneStopShop
from tthc_engine.testing import BusinessClock, CatalogBuilder, instant, memory_env


def test_working_days_keep_the_time_of_day_and_skip_the_tet_break() -> None:
    clock = BusinessClock("2025-01-24 09:30")  # Friday before Tết Ất Tỵ (25/01–02/02/2025)
    assert clock.advance(working_days=1) == instant("2025-02-03 09:30")
    assert clock.advance(working_days=5) == instant("2025-02-10 09:30")


def test_working_hours_run_inside_office_hours_only() -> None:
    clock = BusinessClock("2025-03-03 11:00")
    assert clock.advance(working_hours=2) == instant("2025-03-03 15:00")  # lunch 11:30–13:30
    assert clock.advance(working_hours=3) == instant("2025-03-04 08:00")  # close at 17:00
    assert clock.to_closing() == instant("2025-03-04 17:00")
    assert clock.to_opening() == instant("2025-03-05 07:00")


def test_business_time_never_runs_backwards() -> None:
    clock = BusinessClock("2025-03-03 09:00")
    with pytest.raises(InvalidInputError, match="runs forward"):
        clock.set("2025-03-03 08:59")
    with pytest.raises(InvalidInputError, match="naive"):
        clock.set(datetime(2025, 3, 4, 9))  # a naive datetime: refused as everywhere


def test_code_that_reads_the_system_clock_sees_business_time(
    tthc_frozen_clock: BusinessClock, tthc_catalog: Catalog
) -> None:
    app = OneStopShop(env=memory_env(), catalog=tthc_catalog)  # the system clock by default
    tthc_frozen_clock.set("2025-03-10 09:00")
    assert datetime.now(VN_TZ) == instant("2025-03-10 09:00")
    code = app.receive("2.001610", agency="000.00.10.H41").code  # no `at`: now
    assert app.dossier(code).received_at == instant("2025-03-10 09:00")
    tthc_frozen_clock.advance(working_days=3, working_minutes=1)
    assert [item.code for item in app.overdue()] == []  # the same date: on time (QĐ 766)
    tthc_frozen_clock.advance(working_days=1)
    assert [item.code for item in app.overdue()] == [code]


def test_the_catalog_builder_reports_every_problem_as_a_catalog_file_would() -> None:
    builder = (
        CatalogBuilder()
        .agency("centre", "000.00.10.H41")
        .agency("land", "0.22.10.H41")
        .procedure(
            "1.000001", limit="3 ngày làm việc", steps=[("receive", "centre", "1 ngày làm việc")]
        )
    )
    with pytest.raises(CatalogValidationError) as caught:
        builder.build()
    problems = "\n".join(caught.value.problems)
    assert "agencies[land]:code" in problems
    assert "but the legal limit '3 ngày làm việc' is 24 working hours" in problems


def test_a_built_catalog_has_its_agencies_versions_and_limits() -> None:
    catalog = (
        CatalogBuilder.with_sample_agencies()
        .procedure(
            "1.000002",
            "Cấp giấy phép thử nghiệm",
            limit="5 ngày làm việc",
            steps=[
                ("receive", "Tiếp nhận", "receiving_unit", "1 ngày làm việc"),
                {
                    "key": "appraise",
                    "name": "Thẩm định",
                    "agency": "finance_department",
                    "allotted": "4 ngày làm việc",
                },
            ],
            excluded_pauses=["financial_obligation"],
        )
        .build()
    )
    procedure = catalog["1.000002"]
    assert [s.agency_code for s in procedure.steps] == ["000.00.10.H41", "000.00.20.H41"]
    assert str(procedure.limit) == "5 ngày làm việc"
