"""How a one-stop-shop system built on tthc-engine tests its own code with the ``tthc``
pytest plugin (installed with tthc-engine; nothing to register).

The system here is a province's overdue-notice job: each morning it lists the dossiers
past their legal due and writes the SMS the citizen and the late agency get. It reads the
*system* clock (as production code does), uses the province's own catalog, and is tested
with the plugin's fixtures:

* ``tthc_catalog`` overridden below with a catalog built by ``CatalogBuilder``;
* ``tthc_frozen_clock`` — business time that also moves ``datetime.now()`` (freezegun);
* ``tthc_scenario`` — receive, hand over, let working days pass, expect.

Run it like any test: ``pytest examples/test_embedding.py``.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tthc_engine import VN_TZ, Catalog, OneStopShop
from tthc_engine.testing import BusinessClock, CatalogBuilder, Scenario

# -- the embedding system's own code ---------------------------------------------------------


def overdue_notices(app: OneStopShop) -> list[str]:
    """This morning's SMS for each overdue dossier (reads the system clock, as deployed)."""
    now = datetime.now(VN_TZ)
    notices = []
    for item in app.overdue(now):
        dossier = app.dossier(item.code)
        late = dossier.late_by(app.calendar, now)
        cause = dossier.late_cause(now, app.calendar) or dossier.handler
        notices.append(f"{item.code}: quá hạn {late} ngày làm việc; cơ quan chậm: {cause}")
    return notices


# -- its tests ----------------------------------------------------------------------------------
CENTRE, PERMITS = "000.31.10.H41", "000.31.12.H41"


@pytest.fixture(scope="session")
def tthc_catalog() -> Catalog:
    """The province's own catalog: one commune-level permit in 5 working days."""
    return (
        CatalogBuilder()
        .agency("commune_centre", CENTRE, "Trung tâm Phục vụ hành chính công xã")
        .agency("commune_economy", PERMITS, "Phòng Kinh tế, Hạ tầng và Đô thị")
        .procedure(
            "1.099999",
            "Cấp giấy phép thử nghiệm",
            level="commune",
            limit="05 ngày làm việc",
            steps=[
                ("receive", "commune_centre", "0,5 ngày làm việc"),
                ("appraise", "commune_economy", "4 ngày làm việc"),
                ("return", "commune_centre", "0,5 ngày làm việc"),
            ],
        )
        .build()
    )


def test_a_dossier_held_too_long_gets_one_notice_naming_the_late_office(
    tthc_scenario: Scenario, tthc_frozen_clock: BusinessClock
) -> None:
    s = tthc_scenario
    permit = s.receive("1.099999", at="2025-10-06 08:00")  # Monday: due Monday 13/10 08:00
    permit.hand_to("commune_centre")
    s.advance(working_hours=2)
    permit.hand_to("commune_economy")
    s.advance(working_days=5)  # Monday 13/10 10:00: the due date, not yet late
    assert overdue_notices(s.app) == []
    s.advance(working_days=1)
    assert overdue_notices(s.app) == [
        f"{permit.code}: quá hạn 1 ngày làm việc; cơ quan chậm: {PERMITS}"
    ]
    permit.expect_late(working_days=1, apology_owed_by="commune_economy")


def test_a_dossier_resolved_in_time_gets_no_notice(
    tthc_scenario: Scenario, tthc_frozen_clock: BusinessClock
) -> None:
    s = tthc_scenario
    permit = s.receive("1.099999", at="2025-10-06 08:00")
    permit.hand_to("commune_centre").hand_to("commune_economy")
    s.advance(working_days=3)
    permit.hand_to("commune_centre").resolve().expect_on_time()
    s.advance(working_days=10)
    assert overdue_notices(s.app) == []
    s.expect_report(received=1, resolved=1, on_time_rate=1.0)
