"""The slips a one-stop office prints for a dossier, as plain data.

* Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (:func:`receipt_slip`);
* the process-control slip, "Phiếu kiểm soát quá trình giải quyết hồ sơ" (TT 01/2018
  Mẫu 05, TT 03/2025 Mẫu 06; :func:`control_slip`), one row per handoff with the step's
  verdict as :func:`tthc_engine.domain.judgements.step_verdict` gave it.

Form numbers and titles follow the regime fixed at receipt
(:mod:`tthc_engine.domain.regime`). A read side of the dossier: nothing here changes it.
"""

from __future__ import annotations

from typing import Any

from tthc_engine.domain.regime import Form
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.state import DossierState

__all__ = ["control_slip", "receipt_slip"]


def _form(d: DossierState, form: Form, what: str) -> tuple[str, str]:
    if d.regime is None or d.received_at is None:
        raise BusinessRuleError(Rule.NOTHING_BEFORE_RECEIPT, f"{d.code}: no {what} before receipt")
    return d.regime.form(form, d.received_at.date())


def receipt_slip(d: DossierState) -> dict[str, Any]:
    """Data of Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (ND 61/2018 Điều 17;
    ND 118/2025): the code, the procedure, the receipt and the appointment."""
    number, title = _form(d, Form.RECEIPT, "receipt slip")
    assert d.regime is not None
    assert d.received_at is not None
    assert d.original_due is not None
    assert d.limit is not None
    return {
        "form": number,
        "title": title,
        "legal_basis": d.regime.legal_basis(d.received_at.date()),
        "code": d.code,
        "procedure": d.procedure,
        "procedure_name": d.procedure_name,
        "applicant": (d.applicant or {}).get("name", ""),
        "channel": d.channel.value,
        "received_at": d.received_at.isoformat(),
        "limit": str(d.limit),
        "due_at": d.original_due.isoformat(),
        "current_due": (d.current_due or d.original_due).isoformat(),
        "receiving_agency": d.receiving_agency,
    }


def control_slip(d: DossierState) -> dict[str, Any]:
    """Data of the process-control slip: per handoff the sender's step, the agency, when it
    was received and due, when it was finished, and early / on time / late by working time."""
    number, title = _form(d, Form.CONTROL_SLIP, "control slip")
    return {
        "form": number,
        "title": title,
        "code": d.code,
        "handoffs": [
            {
                "step": s.key,
                "name": s.name,
                "agency": s.agency,
                "received_at": s.started_at.isoformat(),
                "due_at": s.due_at.isoformat(),
                "finished_at": s.finished_at.isoformat() if s.finished_at else None,
                "timeliness": s.timeliness.value if s.timeliness else None,
            }
            for s in d.steps
        ],
    }
