"""Waiting on the applicant or on a procedure pause: supplements and pauses.

* ``SupplementRequested`` / ``SupplementReceived`` — "Yêu cầu bổ sung, hoàn thiện hồ sơ"
  (status 5, Mẫu 02; ND 61/2018 Điều 19 khoản 1 điểm a). Under the ``pause`` policy the
  working time consumed is kept and the remainder runs from the completed dossier (QĐ 766
  subtracts the waiting time); under ``restart`` the whole limit runs again. More than one
  request is recorded: QĐ 766 chỉ số 2.1 counts the dossier late.
* ``Paused`` / ``Resumed`` — "Tạm dừng": a financial obligation (status 6) or another
  waiting period; the clock stops only for a reason the procedure sheet excludes ("không
  tính thời gian …", DOMAIN.md §2.7).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import inputs
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.guards import DossierGuards
from tthc_engine.domain.records import PauseKind, PauseRecord
from tthc_engine.domain.rules import Rule
from tthc_engine.domain.values import Status
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import VietnamCalendar

if TYPE_CHECKING:
    from tthc_engine.domain.dossier import Dossier

__all__ = [
    "Paused",
    "Resumed",
    "SupplementReceived",
    "SupplementRequested",
    "WaitingCommands",
]


class SupplementRequested(DossierEvent):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ (status 5), Mẫu 02 (ND 61/2018 Điều 19)."""

    TOPIC = "tthc:Dossier.SupplementRequested"
    reason: str
    items: list[str]

    def apply(self, d: Dossier) -> None:
        d.pauses.append(
            PauseRecord(PauseKind.SUPPLEMENT, self.reason, self.at, True, agency=self.agency)
        )
        d.supplement_requests += 1
        d.status_before_pause = d.status
        d.status = Status.SUPPLEMENT_REQUESTED
        d._note(self)


class SupplementReceived(DossierEvent):
    """The applicant completed the dossier: dues moved (pause) or recomputed (restart)."""

    TOPIC = "tthc:Dossier.SupplementReceived"
    restarted: bool
    legal_due: datetime
    current_due: datetime
    step_due: datetime | None

    def apply(self, d: Dossier) -> None:
        d._end_pause(self, restarted=self.restarted)


class Paused(DossierEvent):
    """Tạm dừng: e.g. thực hiện nghĩa vụ tài chính (status 6), niêm yết công khai.

    ``stops_clock`` is true only for a reason the procedure excludes from its limit;
    otherwise the pause is recorded and the clock keeps running.
    """

    TOPIC = "tthc:Dossier.Paused"
    reason: PauseReason
    stops_clock: bool

    def apply(self, d: Dossier) -> None:
        d.pauses.append(
            PauseRecord(
                PauseKind.PAUSE, self.reason.value, self.at, self.stops_clock, agency=self.agency
            )
        )
        d.status_before_pause = d.status
        if self.reason is PauseReason.FINANCIAL_OBLIGATION:
            d.status = Status.FINANCIAL_OBLIGATION
        d._note(self)


class Resumed(DossierEvent):
    """The pause ended; for a clock-stopping pause, the dues moved by the pause."""

    TOPIC = "tthc:Dossier.Resumed"
    legal_due: datetime
    current_due: datetime
    step_due: datetime | None

    def apply(self, d: Dossier) -> None:
        d._end_pause(self)


class WaitingCommands(DossierGuards):
    """Supplement requests and procedure pauses."""

    def request_supplement(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str,
        items: Sequence[str] = (),
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Ask the applicant for a supplement (Mẫu 02); the clock waits.

        A second request is recorded and flagged: QĐ 766 chỉ số 2.1 counts the dossier late.
        """
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            self.ACTIVE,
            "request a supplement",
            Rule.SUPPLEMENT_PENDING,
            records=(SupplementRequested,),
        )
        if when is None:
            return False
        self._require_no_pause("request a supplement")
        self.trigger_event(
            SupplementRequested,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=inputs.text(reason, "reason"),
            items=inputs.texts(items, "items"),
            timestamp=when,
        )
        return True

    def receive_supplement(
        self,
        *,
        at: datetime,
        agency: str,
        calendar: VietnamCalendar,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The completed dossier is back. Under ``pause`` the consumed working time is kept
        and the remainder runs from now; under ``restart`` the full limit runs again."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            (Status.SUPPLEMENT_REQUESTED,),
            "receive a supplement",
            Rule.SUPPLEMENT_PENDING,
            records=(SupplementReceived,),
        )
        if when is None:
            return False
        pause = self.running_pause
        assert pause is not None
        assert self.limit is not None
        assert self.legal_due is not None
        assert self.current_due is not None
        step = self.current_step
        restart = self.supplement_policy is SupplementPolicy.RESTART
        if restart:
            legal = calendar.due(when, self.limit).due_at
            current = max(legal, self.current_due) if self.apologies else legal
            step_due = calendar.due(when, step.allotted).due_at if step else None
        else:
            legal = calendar.extend_by_pause(self.legal_due, pause.started_at, when)
            current = calendar.extend_by_pause(self.current_due, pause.started_at, when)
            step_due = (
                calendar.extend_by_pause(step.due_at, pause.started_at, when) if step else None
            )
        self.trigger_event(
            SupplementReceived,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            restarted=restart,
            legal_due=legal,
            current_due=current,
            step_due=step_due,
            timestamp=when,
        )
        return True

    def pause(
        self,
        *,
        at: datetime,
        agency: str,
        reason: PauseReason | str,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Pause for ``reason``; the clock stops only if the procedure excludes that reason
        ("không tính thời gian …" on the procedure sheet), otherwise it keeps running."""
        when = self._check(at, agency, actor, command_id, self.ACTIVE, "pause", records=(Paused,))
        if when is None:
            return False
        self._require_no_pause("pause")
        try:
            why = PauseReason(reason)
        except ValueError:
            choices = ", ".join(r.value for r in PauseReason)
            raise InvalidInputError(
                f"reason: {inputs.shown(reason)} is not a pause reason ({choices})"
            ) from None
        self.trigger_event(
            Paused,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=why,
            stops_clock=why in self.excluded_pauses,
            timestamp=when,
        )
        return True

    def resume(
        self,
        *,
        at: datetime,
        agency: str,
        calendar: VietnamCalendar,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """End the running pause; a clock-stopping pause moves every due by its working time."""
        cid = inputs.command_id(command_id)
        if self.was_applied(cid, Resumed):
            return False
        pause = self.running_pause
        if pause is None or pause.kind is not PauseKind.PAUSE:
            self._check(at, agency, actor, None, (), "resume", records=(Resumed,))
        when = self._check(at, agency, actor, cid, self.OPEN, "resume", records=(Resumed,))
        assert when is not None
        assert pause is not None
        assert self.legal_due is not None
        assert self.current_due is not None
        step = self.current_step
        if pause.stops_clock:
            legal = calendar.extend_by_pause(self.legal_due, pause.started_at, when)
            current = calendar.extend_by_pause(self.current_due, pause.started_at, when)
            step_due = (
                calendar.extend_by_pause(step.due_at, pause.started_at, when) if step else None
            )
        else:
            legal, current = self.legal_due, self.current_due
            step_due = step.due_at if step else None
        self.trigger_event(
            Resumed,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            legal_due=legal,
            current_due=current,
            step_due=step_due,
            timestamp=when,
        )
        return True
