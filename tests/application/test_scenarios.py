"""Whole-dossier scenarios on the sample Nghệ An catalog, stored in SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.application.conftest import vn
from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog
from tthc_engine.domain import BusinessRuleError, Rule, Status
from tthc_engine.worktime import Timeliness

CENTRE = "000.00.10.H41"
FINANCE = "000.00.20.H41"
PPC_OFFICE = "000.01.00.H41"
PPC = "000.00.00.H41"
LAND_REG = "000.22.10.H41"


@pytest.fixture
def app(tmp_path: Path, catalog: Catalog) -> Iterator[OneStopShop]:
    shop = OneStopShop(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(tmp_path / "tthc.sqlite"),
        },
        catalog=catalog,
    )
    yield shop
    shop.close()


def test_supplement_pause_keeps_consumed_time_but_restart_gives_the_whole_limit(
    app: OneStopShop,
) -> None:
    # 1.013831 land transfer (10 WD before 07/2025, pause policy) and 2.001610 enterprise
    # (3 WD, restart), in the versions in force in March 2025
    land = app.receive("1.013831", agency=CENTRE, at=vn(2025, 3, 3, 9)).code
    firm = app.receive("2.001610", agency=CENTRE, at=vn(2025, 3, 3, 9)).code
    for code in (land, firm):
        app.request_supplement(
            code,
            agency=CENTRE,
            reason="thiếu giấy tờ",
            items=["bản sao CCCD"],
            at=vn(2025, 3, 4, 9),
        )
        app.receive_supplement(code, agency=CENTRE, at=vn(2025, 3, 11, 9))
    assert app.dossier(land).legal_due == vn(2025, 3, 24, 9)  # 1 WD used, 9 left from 11/03
    assert app.dossier(firm).legal_due == vn(2025, 3, 14, 9)  # 3 WD again from 11/03
    assert app.dossier(land).original_due == vn(2025, 3, 17, 9)


def test_a_financial_obligation_pause_in_a_land_procedure_moves_the_due(
    app: OneStopShop,
) -> None:
    code = app.receive("1.013831", agency=CENTRE, at=vn(2025, 3, 3, 9)).code
    app.forward(code, agency=CENTRE, at=vn(2025, 3, 3, 10))
    app.forward(code, agency=CENTRE, at=vn(2025, 3, 3, 11))  # → land registration office
    app.pause(code, agency=LAND_REG, reason="financial_obligation", at=vn(2025, 3, 5, 9))
    assert app.dossier(code).status is Status.FINANCIAL_OBLIGATION
    app.resume(code, agency=LAND_REG, at=vn(2025, 3, 12, 9))
    dossier = app.dossier(code)
    assert dossier.status is Status.PROCESSING
    assert dossier.legal_due == vn(2025, 3, 24, 9)  # 17/03 + the 5 working days waited
    assert dossier.current_step is not None
    # the step's own due (07/03 11:00, 4 WD) moves by the same 5 working days
    assert dossier.current_step.due_at == vn(2025, 3, 14, 11)


def test_a_lien_thong_dossier_late_at_one_agency_is_attributed_to_it(app: OneStopShop) -> None:
    # 1.009645 investment policy, version of 03/2025: centre 1 → finance dept 25 → PPC office
    # 4 → PPC 5 → return 0 (35 calendar days)
    code = app.receive("1.009645", agency=CENTRE, at=vn(2025, 3, 3, 9)).code
    assert app.dossier(code).legal_due == vn(2025, 4, 8, 17)  # 07/04 is Giỗ Tổ: rolls to 08/04
    app.forward(code, agency=CENTRE, at=vn(2025, 3, 3, 10))
    app.forward(code, agency=CENTRE, at=vn(2025, 3, 4, 9))
    step_due = app.dossier(code).current_step.due_at  # type: ignore[union-attr]
    assert step_due == vn(2025, 3, 31, 17)  # 04/03 + 25 days = Sat 29/03 → Mon 31/03 close
    with pytest.raises(BusinessRuleError) as caught:  # the counter is not responsible
        app.issue_apology(
            code,
            agency=CENTRE,
            new_due=vn(2025, 4, 15, 17),
            reason="chờ ý kiến",
            at=vn(2025, 4, 2, 9),
        )
    assert caught.value.rule is Rule.APOLOGY_BY_RESPONSIBLE_AGENCY
    app.issue_apology(
        code,
        agency=FINANCE,
        new_due=vn(2025, 4, 15, 17),
        reason="chờ ý kiến cơ quan phối hợp",
        at=vn(2025, 4, 2, 9),
    )
    app.forward(code, agency=FINANCE, at=vn(2025, 4, 3, 9))
    app.forward(code, agency=PPC_OFFICE, at=vn(2025, 4, 4, 9))
    app.forward(code, agency=PPC, at=vn(2025, 4, 9, 9))
    app.resolve(code, agency=CENTRE, at=vn(2025, 4, 9, 10))
    dossier = app.dossier(code)
    assert dossier.legal_due == vn(2025, 4, 8, 17)
    assert dossier.timeliness(app.calendar) is Timeliness.LATE
    assert dossier.late_cause(vn(2025, 4, 30, 9), app.calendar) == FINANCE
    assert dossier.current_due == vn(2025, 4, 15, 17)
    # steps are judged by working time used against their share
    assert [s.timeliness for s in dossier.steps] == [
        Timeliness.EARLY,
        Timeliness.LATE,
        Timeliness.EARLY,
        Timeliness.EARLY,
        Timeliness.EARLY,
    ]  # the return step ("0 ngày": until the day's close) is finished by the resolution


def test_an_apology_after_the_due_and_a_second_apology_are_refused(app: OneStopShop) -> None:
    code = app.receive("2.001610", agency=CENTRE, at=vn(2025, 3, 3, 9)).code
    app.forward(code, agency=CENTRE, at=vn(2025, 3, 3, 9))
    app.forward(code, agency=CENTRE, at=vn(2025, 3, 3, 10))
    with pytest.raises(BusinessRuleError) as late:
        app.issue_apology(
            code, agency=FINANCE, new_due=vn(2025, 3, 12, 9), reason="x", at=vn(2025, 3, 6, 10)
        )
    assert late.value.rule is Rule.APOLOGY_BEFORE_DUE
    app.issue_apology(
        code, agency=FINANCE, new_due=vn(2025, 3, 10, 9), reason="x", at=vn(2025, 3, 5, 10)
    )
    with pytest.raises(BusinessRuleError) as second:
        app.issue_apology(
            code, agency=FINANCE, new_due=vn(2025, 3, 12, 9), reason="y", at=vn(2025, 3, 5, 11)
        )
    assert second.value.rule is Rule.APOLOGY_LIMIT
    assert len(app.dossier(code).apologies) == 1


def test_a_withdrawn_dossier_accepts_only_feedback(app: OneStopShop) -> None:
    code = app.receive("1.013225", agency=CENTRE, at=vn(2025, 3, 3, 9)).code
    app.withdraw(code, agency=CENTRE, reason="người dân rút hồ sơ", at=vn(2025, 3, 4, 9))
    with pytest.raises(BusinessRuleError) as caught:
        app.forward(code, agency=CENTRE, at=vn(2025, 3, 4, 10))
    assert caught.value.rule is Rule.CLOSED_DOSSIER
    app.record_feedback(code, agency=CENTRE, rating="satisfied", at=vn(2025, 3, 5, 9))
    dossier = app.dossier(code)
    assert dossier.status is Status.WITHDRAWN
    assert app.overdue(vn(2025, 4, 1, 9)) == []


def test_a_dossier_refused_at_the_counter_never_starts_the_clock(app: OneStopShop) -> None:
    dossier = app.refuse(
        agency=CENTRE, procedure="1.013225", reason="không thuộc thẩm quyền", at=vn(2025, 3, 3, 9)
    )
    assert dossier.status is Status.REFUSED
    assert dossier.legal_due is None
    assert dossier.code == "000.00.10.H41-250303-0001"
    assert app.overdue(vn(2025, 4, 1, 9)) == []


def test_a_receipt_after_17h_counts_from_the_next_morning(app: OneStopShop) -> None:
    dossier = app.receive("2.001610", agency=CENTRE, at=vn(2025, 3, 10, 17, 20))
    assert dossier.effective_start == vn(2025, 3, 11, 7)
    assert dossier.original_due == vn(2025, 3, 14, 7)
    slip = app.receipt_slip(dossier.code)
    assert slip["due_at"] == "2025-03-14T07:00:00+07:00"
    assert slip["form"] == "Mẫu 01"


def test_a_same_day_attestation_after_15h_is_due_the_next_working_day(app: OneStopShop) -> None:
    before = app.receive("2.000815", agency=CENTRE, at=vn(2025, 3, 14, 14, 50))
    after = app.receive("2.000815", agency=CENTRE, at=vn(2025, 3, 14, 15, 10))
    assert before.original_due == vn(2025, 3, 14, 17)
    assert after.original_due == vn(2025, 3, 17, 17)  # Friday after 15:00 → Monday
