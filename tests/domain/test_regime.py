"""The regime and the forms a dossier cites follow its receipt day, and never cite a
text before it took effect (ADR 0007)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_engine.domain.regime import (
    ND61_2018_IN_FORCE,
    ND107_2021_IN_FORCE,
    ND118_2025_IN_FORCE,
    TT01_2018_IN_FORCE,
    TT03_2025_IN_FORCE,
    Form,
    FormSet,
    Regime,
)
from tthc_engine.errors import InvalidInputError

TT01_FORMS = {
    Form.RECEIPT: ("Mẫu 01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    Form.SUPPLEMENT_REQUEST: ("Mẫu 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    Form.REFUSAL: ("Mẫu 03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    Form.APOLOGY: ("Mẫu 04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    Form.CONTROL_SLIP: ("Mẫu 05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    Form.REGISTER: ("Mẫu 06", "Sổ theo dõi hồ sơ"),
}
"""TT 01/2018/TT-VPCP, Mẫu 01–06 (lawnet.vn summary of the circular's six templates)."""

TT03_FORMS = {
    Form.RECEIPT: ("Mẫu 01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    Form.SUPPLEMENT_REQUEST: ("Mẫu 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    Form.REFUSAL: ("Mẫu 03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    Form.APOLOGY: ("Mẫu 04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    Form.STOP_NOTICE: ("Mẫu 05", "Thông báo dừng giải quyết hồ sơ"),
    Form.CONTROL_SLIP: ("Mẫu 06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    Form.REGISTER: ("Mẫu 07", "Sổ theo dõi hồ sơ"),
}
"""TT 03/2025/TT-VPCP Phụ lục I, Mẫu 01–07 (thuviennhadat.vn list of the appendix)."""

IN_FORCE = {
    "Nghị định 61/2018/NĐ-CP": date(2018, 6, 21),
    "Thông tư 01/2018/TT-VPCP": date(2019, 1, 6),
    "Nghị định 107/2021/NĐ-CP": date(2021, 12, 6),
    "Nghị định 118/2025/NĐ-CP": date(2025, 7, 1),
    "Thông tư 03/2025/TT-VPCP": date(2025, 9, 15),
}
"""Each cited text and its first day in force, as the ADR records them."""


def _cites(received: date) -> str:
    return Regime.at(received).legal_basis(received)


def test_the_dates_in_force_are_the_ones_the_sources_give() -> None:
    assert IN_FORCE["Nghị định 61/2018/NĐ-CP"] == ND61_2018_IN_FORCE
    assert IN_FORCE["Thông tư 01/2018/TT-VPCP"] == TT01_2018_IN_FORCE
    assert IN_FORCE["Nghị định 107/2021/NĐ-CP"] == ND107_2021_IN_FORCE
    assert IN_FORCE["Nghị định 118/2025/NĐ-CP"] == ND118_2025_IN_FORCE
    assert IN_FORCE["Thông tư 03/2025/TT-VPCP"] == TT03_2025_IN_FORCE


@pytest.mark.parametrize("form", list(TT01_FORMS), ids=lambda f: f.value)
def test_a_receipt_under_nd61_uses_the_numbers_and_titles_of_tt01_2018(form: Form) -> None:
    assert Regime.ND61_2018.form(form, date(2023, 5, 10)) == TT01_FORMS[form]


@pytest.mark.parametrize("form", list(TT03_FORMS), ids=lambda f: f.value)
def test_a_receipt_from_15_september_2025_uses_the_numbers_and_titles_of_tt03_2025(
    form: Form,
) -> None:
    assert Regime.ND118_2025.form(form, date(2025, 9, 15)) == TT03_FORMS[form]
    assert Regime.ND118_2025.form(form, date(2026, 11, 24)) == TT03_FORMS[form]


def test_tt01_2018_has_no_stop_notice() -> None:
    with pytest.raises(KeyError, match="Thông tư 01/2018/TT-VPCP has no form for stop_notice"):
        Regime.ND61_2018.form(Form.STOP_NOTICE, date(2023, 5, 10))


def test_the_first_day_of_nd107_2021_cites_the_amendment_and_the_day_before_does_not() -> None:
    assert _cites(date(2021, 12, 5)) == "Nghị định 61/2018/NĐ-CP; Thông tư 01/2018/TT-VPCP"
    assert _cites(date(2021, 12, 6)) == (
        "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP; Thông tư 01/2018/TT-VPCP"
    )
    for day in (date(2021, 12, 5), date(2021, 12, 6)):
        assert Regime.ND61_2018.form(Form.CONTROL_SLIP, day) == TT01_FORMS[Form.CONTROL_SLIP]


def test_1_july_2025_changes_the_decree_but_the_forms_stay_those_of_tt01_2018() -> None:
    last, first = date(2025, 6, 30), date(2025, 7, 1)
    assert (Regime.at(last), Regime.at(first)) == (Regime.ND61_2018, Regime.ND118_2025)
    assert _cites(last) == (
        "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP; Thông tư 01/2018/TT-VPCP"
    )
    assert _cites(first) == "Nghị định 118/2025/NĐ-CP; biểu mẫu theo Thông tư 01/2018/TT-VPCP"
    for form, expected in TT01_FORMS.items():
        assert Regime.ND61_2018.form(form, last) == expected
        assert Regime.ND118_2025.form(form, first) == expected
    assert Regime.ND118_2025.forms_on(first) is FormSet.TT01_2018


def test_15_september_2025_switches_to_the_forms_of_tt03_2025() -> None:
    before, switch = date(2025, 9, 14), date(2025, 9, 15)
    regime = Regime.ND118_2025
    assert _cites(before) == "Nghị định 118/2025/NĐ-CP; biểu mẫu theo Thông tư 01/2018/TT-VPCP"
    assert _cites(switch) == "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP"
    assert regime.form(Form.CONTROL_SLIP, before) == ("Mẫu 05", TT01_FORMS[Form.CONTROL_SLIP][1])
    assert regime.form(Form.CONTROL_SLIP, switch) == ("Mẫu 06", TT03_FORMS[Form.CONTROL_SLIP][1])
    assert regime.form(Form.APOLOGY, before)[1] == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert regime.form(Form.APOLOGY, switch)[1] == (
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    )
    assert regime.form(Form.REGISTER, before)[0] == "Mẫu 06"
    assert regime.form(Form.REGISTER, switch)[0] == "Mẫu 07"
    with pytest.raises(KeyError, match="no form for stop_notice"):
        regime.form(Form.STOP_NOTICE, before)
    assert regime.form(Form.STOP_NOTICE, switch) == ("Mẫu 05", "Thông báo dừng giải quyết hồ sơ")


def test_a_receipt_before_tt01_2018_took_effect_cites_the_decree_alone_and_has_no_forms() -> None:
    day = date(2018, 12, 1)
    assert _cites(day) == "Nghị định 61/2018/NĐ-CP"
    assert Regime.ND61_2018.forms_on(day) is None
    with pytest.raises(KeyError, match="took effect on 2019-01-06"):
        Regime.ND61_2018.form(Form.RECEIPT, day)
    assert _cites(date(2019, 1, 6)) == "Nghị định 61/2018/NĐ-CP; Thông tư 01/2018/TT-VPCP"


@given(st.dates(min_value=date(2018, 6, 21), max_value=date(2030, 12, 31)))
def test_no_receipt_day_cites_a_text_before_it_took_effect(received: date) -> None:
    basis = _cites(received)
    cited = [text for text in IN_FORCE if text in basis]
    assert cited, basis
    assert all(IN_FORCE[text] <= received for text in cited), (received, basis)
    forms = Regime.at(received).forms_on(received)
    assert forms is None or forms.in_force_from <= received


def test_a_regime_answers_only_for_the_receipt_days_it_governs() -> None:
    with pytest.raises(InvalidInputError, match="falls under Nghị định 61/2018/NĐ-CP"):
        Regime.ND118_2025.legal_basis(date(2025, 6, 30))
    with pytest.raises(InvalidInputError, match="falls under Nghị định 118/2025/NĐ-CP"):
        Regime.ND61_2018.form(Form.RECEIPT, date(2025, 7, 1))
    too_early = ND61_2018_IN_FORCE - timedelta(days=1)
    with pytest.raises(InvalidInputError, match="before Nghị định 61/2018/NĐ-CP took effect"):
        Regime.at(too_early).legal_basis(too_early)
