"""Whole-dossier scenarios on the sample Nghệ An catalog, written with the testing toolkit
(``tthc_scenario``: receive, hand over, let working days pass, expect) and stored in
SQLite.

Dates are Vietnam time; the March–April 2025 versions of the procedures apply (ND 61/2018 +
ND 107/2021 regime, departments as merged on 01/03/2025)."""

from __future__ import annotations

import pytest

from tthc_engine.domain import BusinessRuleError, Rule, Status
from tthc_engine.testing import Scenario, instant

FINANCE = "000.00.20.H41"


@pytest.fixture
def tthc_store_env(sqlite_env: dict[str, str]) -> dict[str, str]:
    """These scenarios run on the embedded SQLite store."""
    return sqlite_env


def test_a_land_office_that_sits_on_a_dossier_makes_it_late_and_owes_the_apology(
    tthc_scenario: Scenario,
) -> None:
    # 1.013831 land transfer, version of 03/2025: 10 working days (không tính thời gian
    # thực hiện nghĩa vụ tài chính), counter 0,5 → land registration office 4 + 4,5 → counter 1
    s = tthc_scenario
    dossier = s.receive("1.013831", at="2025-03-03 09:00")
    dossier.expect_due("2025-03-17 09:00")  # BLDS 2015 Điều 147: 03/03 not counted
    dossier.hand_to("receiving_unit").hand_to("land_registration_office")
    s.advance(working_days=11)  # Tuesday 18/03 09:00: one working day past the due
    dossier.expect_late(working_days=1, apology_owed_by="land_registration_office")
    dossier.expect_slip(
        ("receive", "receiving_unit", "early"),
        ("check", "land_registration_office", None),  # still in progress, 4 WD allotted
    )
    s.expect_report(received=1, resolved=0, overdue=1, pending=0, rate_766=0.0)


def test_supplement_pause_keeps_consumed_time_but_restart_gives_the_whole_limit(
    tthc_scenario: Scenario,
) -> None:
    # 1.013831 (10 WD, pause policy) and 2.001610 enterprise (3 WD, restart policy)
    s = tthc_scenario.at("2025-03-03 09:00")
    land, firm = s.receive("1.013831"), s.receive("2.001610")
    s.at("2025-03-04 09:00")
    land.request_supplement("bản sao CCCD")
    firm.request_supplement("bản sao CCCD")
    s.at("2025-03-11 09:00")
    land.supplement_received().expect_due("2025-03-24 09:00")  # 1 WD used, 9 left from 11/03
    firm.supplement_received().expect_due("2025-03-14 09:00")  # 3 WD again from 11/03
    assert land.dossier.original_due == instant("2025-03-17 09:00")


def test_a_financial_obligation_pause_in_a_land_procedure_moves_the_due(
    tthc_scenario: Scenario,
) -> None:
    s = tthc_scenario
    dossier = s.receive("1.013831", at="2025-03-03 09:00")
    s.at("2025-03-03 10:00")
    dossier.hand_to("receiving_unit")
    s.at("2025-03-03 11:00")
    dossier.hand_to("land_registration_office")
    s.at("2025-03-05 09:00")
    dossier.pause_for_financial_obligation().expect_status(Status.FINANCIAL_OBLIGATION)
    s.at("2025-03-12 09:00")
    dossier.resume().expect_status(Status.PROCESSING)
    dossier.expect_due("2025-03-24 09:00")  # 17/03 + the 5 working days waited
    step = dossier.dossier.current_step
    assert step is not None
    assert step.due_at == instant("2025-03-14 11:00")  # the step's own due moves alike


def test_a_lien_thong_dossier_late_at_one_agency_is_attributed_to_it(
    tthc_scenario: Scenario,
) -> None:
    # 1.009645 investment policy, version of 03/2025: centre 1 → finance dept 25 → PPC office
    # 4 → PPC 5 → return 0 (35 calendar days)
    s = tthc_scenario
    dossier = s.receive("1.009645", at="2025-03-03 09:00")
    dossier.expect_due("2025-04-08 17:00")  # 07/04 is Giỗ Tổ: rolls to 08/04 (BLDS Điều 148)
    s.at("2025-03-03 10:00")
    dossier.hand_to("receiving_unit")
    s.at("2025-03-04 09:00")
    dossier.hand_to("finance_department")
    step = dossier.dossier.current_step
    assert step is not None
    assert step.due_at == instant("2025-03-31 17:00")  # 04/03 + 25 days = Sat 29/03 → Mon
    s.at("2025-04-02 09:00")
    dossier.expect_may_apologise("finance_department", only=True)
    with pytest.raises(BusinessRuleError) as caught:  # the counter is not responsible
        dossier.apologise(new_due="2025-04-15 17:00", by="receiving_unit")
    assert caught.value.rule is Rule.APOLOGY_BY_RESPONSIBLE_AGENCY
    dossier.apologise(new_due="2025-04-15 17:00", reason="chờ ý kiến cơ quan phối hợp")
    for when, agency in (
        ("2025-04-03 09:00", "ppc_office"),
        ("2025-04-04 09:00", "ppc"),
        ("2025-04-09 09:00", "receiving_unit"),
    ):
        s.at(when)
        dossier.hand_to(agency)
    s.at("2025-04-09 10:00")
    dossier.resolve().expect_timeliness("late")
    dossier.expect_due("2025-04-08 17:00").expect_due("2025-04-15 17:00", legal=False)
    s.at("2025-04-30 09:00")
    dossier.expect_late(working_days=1, caused_by="finance_department")
    # steps are judged by working time used against their share; the return step ("0
    # ngày": until the day's close) is finished by the resolution
    dossier.expect_slip(
        ("receive", "receiving_unit", "early"),
        ("appraise", "finance_department", "late"),
        ("review", "ppc_office", "early"),
        ("decide", "ppc", "early"),
        ("return", "receiving_unit", "early"),
    )
    s.expect_report(
        "2025-03-01",
        "2025-04-30",
        received=1,
        late=1,
        late_with_apology=1,
        late_caused_by={FINANCE: 1},
    )


def test_an_apology_after_the_due_and_a_second_apology_are_refused(
    tthc_scenario: Scenario,
) -> None:
    # 2.001610 enterprise registration: 3 working days, due 06/03 09:00
    s = tthc_scenario.at("2025-03-03 09:00")
    prompt, tardy = s.receive("2.001610"), s.receive("2.001610")
    for dossier in (prompt, tardy):
        dossier.hand_to("receiving_unit")
    s.at("2025-03-03 10:00")
    for dossier in (prompt, tardy):
        dossier.hand_to("finance_department")
    s.at("2025-03-05 10:00")
    prompt.apologise(new_due="2025-03-10 09:00")
    s.at("2025-03-05 11:00")
    with pytest.raises(BusinessRuleError) as second:
        prompt.apologise(new_due="2025-03-12 09:00")
    assert second.value.rule is Rule.APOLOGY_LIMIT
    assert len(prompt.dossier.apologies) == 1
    s.at("2025-03-06 10:00")  # the due date itself: too late (on a date before the due)
    with pytest.raises(BusinessRuleError) as late:
        tardy.apologise(new_due="2025-03-12 09:00")
    assert late.value.rule is Rule.APOLOGY_BEFORE_DUE


def test_a_withdrawn_dossier_accepts_only_feedback(tthc_scenario: Scenario) -> None:
    s = tthc_scenario
    dossier = s.receive("1.013225", at="2025-03-03 09:00", agency="receiving_unit")
    s.at("2025-03-04 09:00")
    dossier.withdraw()
    s.at("2025-03-04 10:00")
    with pytest.raises(BusinessRuleError) as caught:
        dossier.hand_to()
    assert caught.value.rule is Rule.CLOSED_DOSSIER
    s.at("2025-03-05 09:00")
    dossier.rate("satisfied").expect_status(Status.WITHDRAWN)
    s.at("2025-04-01 09:00")
    assert s.app.overdue() == []


def test_a_dossier_refused_at_the_counter_never_starts_the_clock(tthc_scenario: Scenario) -> None:
    s = tthc_scenario
    dossier = s.refuse("1.013225", at="2025-03-03 09:00", agency="receiving_unit")
    dossier.expect_status(Status.REFUSED)
    assert dossier.dossier.legal_due is None
    assert dossier.code == "000.00.10.H41-250303-0001"
    s.at("2025-04-01 09:00")
    assert s.app.overdue() == []
    s.expect_report(received=0, refused=1)


def test_a_receipt_after_17h_counts_from_the_next_morning(tthc_scenario: Scenario) -> None:
    dossier = tthc_scenario.receive("2.001610", at="2025-03-10 17:20")
    assert dossier.dossier.effective_start == instant("2025-03-11 07:00")
    dossier.expect_due("2025-03-14 07:00")
    slip = dossier.receipt_slip()
    assert slip["due_at"] == "2025-03-14T07:00:00+07:00"
    assert slip["form"] == "Mẫu 01"


def test_a_same_day_attestation_after_15h_is_due_the_next_working_day(
    tthc_scenario: Scenario,
) -> None:
    # ND 23/2015 Điều 7: the same day; the next working day when received after 15:00
    s = tthc_scenario
    before = s.receive("2.000815", at="2025-03-14 14:50", agency="receiving_unit")
    after = s.receive("2.000815", at="2025-03-14 15:10", agency="receiving_unit")
    before.expect_due("2025-03-14 17:00")
    after.expect_due("2025-03-17 17:00")  # Friday after 15:00 → Monday
