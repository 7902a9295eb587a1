"""Helpers of the domain tests that compare events whole: the dossier of
:mod:`tests.domain.test_edges` (received Mon 14/04/2025 09:00 with "4 ngày làm việc", due
Fri 18/04/2025 09:00) and the fields eventsourcing gives its events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.domain.test_judgements import PROCESS as JUDGED_PROCESS
from tests.domain.test_rules import CAL, CENTRE, CODE, DEPT, vn
from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import Dossier
from tthc_engine.domain.values import DossierCode

ID = DossierCode.parse(CODE).id


def _submitted() -> Dossier:
    """Submitted online Mon 14/04/2025 08:00; its event is cleared."""
    d = Dossier.submit(code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE)
    d.collect_events()
    return d


def _whole(event: Any) -> dict[str, Any]:
    """Every field of a stored event."""
    return dict(vars(event))


def _stored(d: Dossier, at: datetime) -> dict[str, Any]:
    """The fields eventsourcing gives the last event of ``d``, recorded at ``at``."""
    return {"originator_id": ID, "originator_version": d.version, "timestamp": at}


def _opening(at: datetime, *, version: int) -> dict[str, Any]:
    """The fields eventsourcing gives the event that opens the dossier (``version`` 2 when a
    submission came first), recorded at ``at``."""
    return {
        "originator_id": ID,
        "originator_version": version,
        "originator_topic": "tthc:Dossier",
        "timestamp": at,
    }


def _long_history() -> Dossier:
    """An online submission received under the four-step process of
    :mod:`tests.domain.test_judgements` (restart policy, public posting excluded), then
    every kind of event up to its digitisation; its events are kept."""
    d = Dossier.submit(
        code=CODE, procedure="1.004227", at=vn(2025, 4, 14, 8), agency=CENTRE, actor="cd-1"
    )
    d.receive(
        procedure="1.004227",
        procedure_name="Cấp giấy phép",
        at=vn(2025, 4, 14, 9),
        agency=CENTRE,
        limit="4 ngày làm việc",
        calendar=CAL,
        process=JUDGED_PROCESS,
        supplement_policy=SupplementPolicy.RESTART,
        excluded_pauses=[PauseReason.PUBLIC_POSTING],
        actor="cb-01",
        command_id="rcv",
    )
    d.start_step(
        step="receive", at=vn(2025, 4, 14, 9), calendar=CAL, name="Tiếp nhận hồ sơ", actor="cb-01"
    )
    d.forward(agency=CENTRE, at=vn(2025, 4, 14, 10), calendar=CAL)
    d.record_payment(at=vn(2025, 4, 14, 10, 30), agency=CENTRE, amount=50_000, online=True)
    d.request_supplement(at=vn(2025, 4, 14, 11), agency=DEPT, reason="thiếu", items=["CCCD"])
    d.receive_supplement(at=vn(2025, 4, 15, 9), agency=CENTRE, calendar=CAL)
    d.pause(at=vn(2025, 4, 15, 10), agency=DEPT, reason="public_posting")
    d.resume(at=vn(2025, 4, 16, 9), agency=DEPT, calendar=CAL)
    d.issue_apology(
        at=vn(2025, 4, 16, 10), agency=DEPT, new_due=vn(2025, 5, 6, 9), reason="chờ", calendar=CAL
    )
    d.mark_overdue(at=vn(2025, 4, 28, 9), calendar=CAL)
    d.resolve(at=vn(2025, 4, 28, 10), agency=DEPT, outcome="rejected", calendar=CAL, actor="cv-9")
    d.return_result(at=vn(2025, 4, 29, 9), agency=CENTRE, channel="postal")
    d.record_feedback(
        at=vn(2025, 4, 29, 10), agency=CENTRE, rating="dissatisfied", comment="chậm", complaint=True
    )
    d.record_digitisation(
        at=vn(2025, 4, 29, 11), agency=CENTRE, components=2, e_result=True, reused=True
    )
    return d


def _apologise(d: Dossier, at: Any, new_due: Any, **options: Any) -> Any:
    fields: dict[str, Any] = {"agency": CENTRE, "reason": "chờ", "calendar": CAL, **options}
    return d.issue_apology(at=at, new_due=new_due, **fields)


def _pause(at: Any, reason: str = "public_posting", **x: Any) -> Any:
    return lambda d: d.pause(at=at, agency=CENTRE, reason=reason, **x)
