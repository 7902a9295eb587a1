"""What the QĐ 766 service indicators read besides time: feedback, fees, digitisation.

* ``FeedbackGiven`` — a rating or complaint (đánh giá mức độ hài lòng, phản ánh kiến nghị;
  QĐ 766 chỉ số 5.4: satisfaction = 100% − late% − complaint/dissatisfied%).
* ``FeePaid`` — phí, lệ phí paid; ``online`` when through the portal's payment
  (QĐ 766 chỉ số 3.6).
* ``Digitised`` — components digitised, an electronic result issued, data reused
  (ND 107/2021; TT 01/2023/TT-VPCP; QĐ 766 chỉ số 4.1–4.3).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tthc_engine.domain import inputs
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.guards import DossierGuards
from tthc_engine.domain.records import FeedbackRecord, PaymentRecord
from tthc_engine.domain.values import Rating

if TYPE_CHECKING:
    from tthc_engine.domain.dossier import Dossier

__all__ = ["Digitised", "FeePaid", "FeedbackGiven", "ServiceCommands"]


class FeedbackGiven(DossierEvent):
    """Đánh giá mức độ hài lòng / phản ánh, kiến nghị (QĐ 766 chỉ số 5.4)."""

    TOPIC = "tthc:Dossier.FeedbackGiven"
    rating: Rating
    comment: str
    complaint: bool

    def apply(self, d: Dossier) -> None:
        d.feedback.append(FeedbackRecord(self.at, self.rating, self.comment, self.complaint))
        d._note(self)


class FeePaid(DossierEvent):
    """Phí, lệ phí paid; ``online`` when through the portal's payment (QĐ 766 chỉ số 3.6)."""

    TOPIC = "tthc:Dossier.FeePaid"
    amount: int
    online: bool

    def apply(self, d: Dossier) -> None:
        d.payments.append(PaymentRecord(self.at, self.amount, self.online))
        d._note(self)


class Digitised(DossierEvent):
    """Số hóa hồ sơ, kết quả (ND 107/2021; TT 01/2023; QĐ 766 chỉ số 4.1–4.3)."""

    TOPIC = "tthc:Dossier.Digitised"
    components: int
    e_result: bool
    reused: bool

    def apply(self, d: Dossier) -> None:
        d.digitised_components += self.components
        d.e_result = d.e_result or self.e_result
        d.reused_data = d.reused_data or self.reused
        d._note(self)


class ServiceCommands(DossierGuards):
    """Feedback, payments and digitisation."""

    def record_feedback(
        self,
        *,
        at: datetime,
        agency: str,
        rating: Rating | str,
        comment: str = "",
        complaint: bool = False,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """A rating or complaint (QĐ 766 chỉ số 5.4); allowed after any state but submission."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            self.ANY_RECEIVED,
            "record feedback",
            records=(FeedbackGiven,),
        )
        if when is None:
            return False
        self.trigger_event(
            FeedbackGiven,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            rating=Rating.parse(rating),
            comment=inputs.text(comment, "comment", optional=True),
            complaint=inputs.flag(complaint, "complaint"),
            timestamp=when,
        )
        return True

    def record_payment(
        self,
        *,
        at: datetime,
        agency: str,
        amount: int,
        online: bool,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """A fee payment (phí, lệ phí) in đồng; online when paid through the portal."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            self.AFTER_RESOLUTION,
            "record a payment",
            records=(FeePaid,),
        )
        if when is None:
            return False
        self.trigger_event(
            FeePaid,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            amount=inputs.whole_number(amount, "amount", unit="of đồng"),
            online=inputs.flag(online, "online"),
            timestamp=when,
        )
        return True

    def record_digitisation(
        self,
        *,
        at: datetime,
        agency: str,
        components: int = 1,
        e_result: bool = False,
        reused: bool = False,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Components digitised, an electronic result issued, or data reused."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            self.AFTER_RESOLUTION,
            "record digitisation",
            records=(Digitised,),
        )
        if when is None:
            return False
        self.trigger_event(
            Digitised,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            components=inputs.whole_number(components, "components", maximum=10_000),
            e_result=inputs.flag(e_result, "e_result"),
            reused=inputs.flag(reused, "reused"),
            timestamp=when,
        )
        return True
