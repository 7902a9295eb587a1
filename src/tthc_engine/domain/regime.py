"""The one-stop regime in force for a dossier, fixed at receipt, and its forms.

* Nghị định 61/2018/NĐ-CP (in force 21/06/2018), amended by Nghị định 107/2021/NĐ-CP
  (06/12/2021), with the forms of Thông tư 01/2018/TT-VPCP: receipts until 30/06/2025.
* Nghị định 118/2025/NĐ-CP (09/06/2025) with the forms of Thông tư 03/2025/TT-VPCP:
  receipts from 01/07/2025 (Trung tâm Phục vụ hành chính công cấp tỉnh, cấp xã).
"""

from __future__ import annotations

import enum
from datetime import date

__all__ = ["Form", "Regime"]


class Form(enum.Enum):
    """The forms of the one-stop process, by role (numbers differ between regimes)."""

    RECEIPT = "receipt"
    SUPPLEMENT_REQUEST = "supplement_request"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"
    CONTROL_SLIP = "control_slip"
    REGISTER = "register"


_ND118_FROM = date(2025, 7, 1)
_ND107_FROM = date(2021, 12, 6)


class Regime(enum.Enum):
    """The legal regime of the one-stop mechanism that governs a dossier."""

    ND61_2018 = "nd61-2018"
    """ND 61/2018/NĐ-CP (as amended by ND 107/2021/NĐ-CP from 06/12/2021) + TT 01/2018/TT-VPCP."""
    ND118_2025 = "nd118-2025"
    """ND 118/2025/NĐ-CP (as amended by ND 367/2025/NĐ-CP) + TT 03/2025/TT-VPCP."""

    @classmethod
    def at(cls, received: date) -> Regime:
        """The regime for a dossier received on ``received`` (ND 118/2025 from 01/07/2025)."""
        return cls.ND118_2025 if received >= _ND118_FROM else cls.ND61_2018

    @property
    def decree(self) -> str:
        return {
            Regime.ND61_2018: "Nghị định 61/2018/NĐ-CP",
            Regime.ND118_2025: "Nghị định 118/2025/NĐ-CP",
        }[self]

    def legal_basis(self, received: date) -> str:
        """The texts in force for a receipt on ``received``."""
        if self is Regime.ND118_2025:
            return "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP"
        if received >= _ND107_FROM:
            return (
                "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP; "
                "Thông tư 01/2018/TT-VPCP"
            )
        return "Nghị định 61/2018/NĐ-CP; Thông tư 01/2018/TT-VPCP"

    @property
    def circular(self) -> str:
        return (
            "Thông tư 01/2018/TT-VPCP" if self is Regime.ND61_2018 else "Thông tư 03/2025/TT-VPCP"
        )

    def form(self, form: Form) -> tuple[str, str]:
        """(number, Vietnamese name) of ``form`` under this regime."""
        table = _FORMS_TT01 if self is Regime.ND61_2018 else _FORMS_TT03
        try:
            return table[form]
        except KeyError:
            raise KeyError(f"{self.circular} has no form for {form.value}") from None


_FORMS_TT01 = {
    Form.RECEIPT: ("Mẫu 01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    Form.SUPPLEMENT_REQUEST: ("Mẫu 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    Form.REFUSAL: ("Mẫu 03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    Form.APOLOGY: ("Mẫu 04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    Form.CONTROL_SLIP: ("Mẫu 05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    Form.REGISTER: ("Mẫu 06", "Sổ theo dõi hồ sơ"),
}
_FORMS_TT03 = {
    Form.RECEIPT: ("Mẫu 01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    Form.SUPPLEMENT_REQUEST: ("Mẫu 02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    Form.REFUSAL: ("Mẫu 03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    Form.APOLOGY: ("Mẫu 04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    Form.STOP_NOTICE: ("Mẫu 05", "Thông báo dừng giải quyết hồ sơ"),
    Form.CONTROL_SLIP: ("Mẫu 06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    Form.REGISTER: ("Mẫu 07", "Sổ theo dõi hồ sơ"),
}
