"""The one-stop regime in force for a dossier, fixed at receipt, and its forms.

Which texts a dossier cites depends on its receipt day, and none may be cited before it
took effect (docs/decisions/0007-procedure-versions-and-regime-citations.md):

* Nghị định 61/2018/NĐ-CP, in force 21/06/2018; its forms are those of Thông tư
  01/2018/TT-VPCP (23/11/2018), in force 06/01/2019, Mẫu 01–06. Amended by Nghị định
  107/2021/NĐ-CP, in force 06/12/2021. Receipts until 30/06/2025.
* Nghị định 118/2025/NĐ-CP (09/06/2025), in force 01/07/2025: receipts from 01/07/2025
  (Trung tâm Phục vụ hành chính công cấp tỉnh, cấp xã). It leaves the forms to the
  Minister-Chairman of the Government Office (its Điều 35 khoản 1, as the preamble of
  Thông tư 03/2025/TT-VPCP recites), and Thông tư 03/2025/TT-VPCP (15/09/2025) is in
  force from the day it was signed, 15/09/2025, with Mẫu 01–07. Receipts from 01/07 to
  14/09/2025 keep the forms of Thông tư 01/2018/TT-VPCP, the only ones that existed.
"""

from __future__ import annotations

import enum
from datetime import date

from tthc_engine.errors import InvalidInputError

__all__ = [
    "ND61_2018_IN_FORCE",
    "ND107_2021_IN_FORCE",
    "ND118_2025_IN_FORCE",
    "TT01_2018_IN_FORCE",
    "TT03_2025_IN_FORCE",
    "Form",
    "FormSet",
    "Regime",
]

ND61_2018_IN_FORCE = date(2018, 6, 21)
"""Nghị định 61/2018/NĐ-CP (23/04/2018) takes effect."""
TT01_2018_IN_FORCE = date(2019, 1, 6)
"""Thông tư 01/2018/TT-VPCP (23/11/2018) takes effect, with the forms Mẫu 01–06."""
ND107_2021_IN_FORCE = date(2021, 12, 6)
"""Nghị định 107/2021/NĐ-CP, amending ND 61/2018, takes effect on the day it is signed."""
ND118_2025_IN_FORCE = date(2025, 7, 1)
"""Nghị định 118/2025/NĐ-CP (09/06/2025) takes effect and replaces ND 61/2018."""
TT03_2025_IN_FORCE = date(2025, 9, 15)
"""Thông tư 03/2025/TT-VPCP takes effect on the day it is signed, with the forms Mẫu 01–07."""


class Form(enum.Enum):
    """The forms of the one-stop process, by role (numbers differ between circulars)."""

    RECEIPT = "receipt"
    SUPPLEMENT_REQUEST = "supplement_request"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop_notice"
    CONTROL_SLIP = "control_slip"
    REGISTER = "register"


class FormSet(enum.Enum):
    """A circular's set of one-stop forms (biểu mẫu), with the day it took effect."""

    TT01_2018 = "tt01-2018"
    """Thông tư 01/2018/TT-VPCP, Mẫu 01–06, from 06/01/2019."""
    TT03_2025 = "tt03-2025"
    """Thông tư 03/2025/TT-VPCP Phụ lục I, Mẫu 01–07, from 15/09/2025."""

    @property
    def circular(self) -> str:
        return {
            FormSet.TT01_2018: "Thông tư 01/2018/TT-VPCP",
            FormSet.TT03_2025: "Thông tư 03/2025/TT-VPCP",
        }[self]

    @property
    def in_force_from(self) -> date:
        return TT01_2018_IN_FORCE if self is FormSet.TT01_2018 else TT03_2025_IN_FORCE

    def form(self, form: Form) -> tuple[str, str]:
        """(number, Vietnamese name) of ``form`` in this circular.

        Raises:
            KeyError: the circular has no such form (TT 01/2018 has no stop notice).
        """
        table = _FORMS_TT01 if self is FormSet.TT01_2018 else _FORMS_TT03
        try:
            return table[form]
        except KeyError:
            raise KeyError(f"{self.circular} has no form for {form.value}") from None


class Regime(enum.Enum):
    """The legal regime of the one-stop mechanism that governs a dossier."""

    ND61_2018 = "nd61-2018"
    """ND 61/2018/NĐ-CP (as amended by ND 107/2021/NĐ-CP from 06/12/2021) + TT 01/2018/TT-VPCP."""
    ND118_2025 = "nd118-2025"
    """ND 118/2025/NĐ-CP (as amended by ND 367/2025/NĐ-CP) + TT 03/2025/TT-VPCP."""

    @classmethod
    def at(cls, received: date) -> Regime:
        """The regime for a dossier received on ``received`` (ND 118/2025 from 01/07/2025)."""
        return cls.ND118_2025 if received >= ND118_2025_IN_FORCE else cls.ND61_2018

    @property
    def decree(self) -> str:
        return {
            Regime.ND61_2018: "Nghị định 61/2018/NĐ-CP",
            Regime.ND118_2025: "Nghị định 118/2025/NĐ-CP",
        }[self]

    @property
    def circular(self) -> str:
        """The circular that guides the decree; its forms apply only from the day it took
        effect (see :meth:`forms_on`)."""
        return (
            "Thông tư 01/2018/TT-VPCP" if self is Regime.ND61_2018 else "Thông tư 03/2025/TT-VPCP"
        )

    @property
    def in_force_from(self) -> date:
        """First day of receipts under this regime."""
        return ND61_2018_IN_FORCE if self is Regime.ND61_2018 else ND118_2025_IN_FORCE

    def forms_on(self, received: date) -> FormSet | None:
        """The forms a dossier received on ``received`` uses; ``None`` before any existed.

        ND 61/2018: TT 01/2018's forms from 06/01/2019 (none before). ND 118/2025: TT 01/2018's
        forms until 14/09/2025, TT 03/2025's from 15/09/2025 — ND 118 leaves the forms to the
        Government Office (Điều 35 khoản 1) and TT 03/2025 is in force from 15/09/2025.

        Raises:
            InvalidInputError: the receipt day does not fall under this regime.
        """
        self._check(received)
        if self is Regime.ND61_2018:
            return FormSet.TT01_2018 if received >= TT01_2018_IN_FORCE else None
        return FormSet.TT03_2025 if received >= TT03_2025_IN_FORCE else FormSet.TT01_2018

    def legal_basis(self, received: date) -> str:
        """The texts in force for a receipt on ``received``, none cited before its effect.

        Raises:
            InvalidInputError: the receipt day does not fall under this regime.
        """
        forms = self.forms_on(received)
        if self is Regime.ND118_2025:
            if forms is FormSet.TT03_2025:
                return "Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP"
            return "Nghị định 118/2025/NĐ-CP; biểu mẫu theo Thông tư 01/2018/TT-VPCP"
        decree = (
            "Nghị định 61/2018/NĐ-CP, sửa đổi bởi Nghị định 107/2021/NĐ-CP"
            if received >= ND107_2021_IN_FORCE
            else "Nghị định 61/2018/NĐ-CP"
        )
        return decree if forms is None else f"{decree}; {forms.circular}"

    def form(self, form: Form, received: date) -> tuple[str, str]:
        """(number, Vietnamese name) of ``form`` for a dossier received on ``received``:
        the forms change with the receipt day inside a regime (:meth:`forms_on`).

        Raises:
            KeyError: no form of that role applies (none before 06/01/2019; no stop
                notice under TT 01/2018).
            InvalidInputError: the receipt day does not fall under this regime.
        """
        found = self.forms_on(received)
        if found is None:
            raise KeyError(
                f"no one-stop forms were in force on {received.isoformat()}: "
                f"Thông tư 01/2018/TT-VPCP took effect on {TT01_2018_IN_FORCE.isoformat()}"
            )
        return found.form(form)

    def _check(self, received: date) -> None:
        """Rule: a regime answers only for receipt days it governs (:meth:`at`)."""
        if received < ND61_2018_IN_FORCE:
            raise InvalidInputError(
                f"a receipt on {received.isoformat()} is before Nghị định 61/2018/NĐ-CP took "
                f"effect ({ND61_2018_IN_FORCE.isoformat()}); no earlier regime is known"
            )
        governing = Regime.at(received)
        if governing is not self:
            raise InvalidInputError(
                f"a dossier received on {received.isoformat()} falls under "
                f"{governing.decree}, not {self.decree}"
            )


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
