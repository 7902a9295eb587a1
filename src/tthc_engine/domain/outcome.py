"""How a dossier ends: resolved and returned, withdrawn, or stopped.

* ``Resolved`` — status 9 "Đã xử lý xong": the result is ready. Processing ends here and
  timeliness is measured here (QĐ 766 chỉ số 2.1; DOMAIN.md §2.9).
* ``ResultReturned`` — status 10 "Đã trả kết quả", at the counter, by post or online: a
  separate step that cannot make a resolved dossier late.
* ``Withdrawn`` — status 7 "Công dân yêu cầu rút hồ sơ".
* ``Stopped`` — status 8 "Dừng xử lý" (TT 03/2025 Mẫu 05 "Thông báo dừng giải quyết hồ sơ").

An ending closes the running step and any pause still running; a clock-stopping pause cut
short this way keeps its start as the dossier's measured end
(:func:`tthc_engine.domain.judgements.measured_end`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tthc_engine.domain import inputs, judgements
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.guards import DossierGuards
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.values import Channel, Status
from tthc_engine.worktime import Timeliness, VietnamCalendar

if TYPE_CHECKING:
    from tthc_engine.domain.dossier import Dossier

__all__ = ["OutcomeCommands", "Resolved", "ResultReturned", "Stopped", "Withdrawn"]


class Resolved(DossierEvent):
    """Đã xử lý xong (status 9): the result is ready; QĐ 766 measures timeliness here."""

    TOPIC = "tthc:Dossier.Resolved"
    outcome: str
    step_timeliness: Timeliness | None
    """The running step, finished by the resolution, judged against its share."""

    def apply(self, d: Dossier) -> None:
        d.status, d.resolved_at, d.outcome = Status.RESOLVED, self.at, self.outcome
        d.ended_at = self.at
        d._close_step(self.at)
        if self.step_timeliness is not None and d.steps:
            d.steps[-1].timeliness = self.step_timeliness
        d._note(self)


class ResultReturned(DossierEvent):
    """Đã trả kết quả (status 10), at the counter, by post or online."""

    TOPIC = "tthc:Dossier.ResultReturned"
    channel: Channel

    def apply(self, d: Dossier) -> None:
        d.status, d.returned_at, d.return_channel = Status.RETURNED, self.at, self.channel
        d._note(self)


class Withdrawn(DossierEvent):
    """Công dân yêu cầu rút hồ sơ (status 7)."""

    TOPIC = "tthc:Dossier.Withdrawn"
    reason: str

    def apply(self, d: Dossier) -> None:
        d._end(Status.WITHDRAWN, self, self.reason)


class Stopped(DossierEvent):
    """Dừng xử lý (status 8); TT 03/2025 Mẫu 05 "Thông báo dừng giải quyết hồ sơ"."""

    TOPIC = "tthc:Dossier.Stopped"
    reason: str

    def apply(self, d: Dossier) -> None:
        d._end(Status.STOPPED, self, self.reason)


class OutcomeCommands(DossierGuards):
    """Resolving, returning the result, withdrawing and stopping."""

    def resolve(
        self,
        *,
        at: datetime,
        agency: str,
        outcome: str = "approved",
        calendar: VietnamCalendar | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The result is ready (status 9), declared by the agency handling the dossier.

        With a ``calendar``, a step still in progress is finished by the resolution and
        judged on the control slip."""
        when = self._check(
            at, agency, actor, command_id, self.ACTIVE, "resolve", records=(Resolved,)
        )
        if when is None:
            return False
        self._require_handler(agency, "resolve")
        step = self.current_step
        verdict = (
            judgements.step_verdict(self, step, when, calendar)
            if step is not None and calendar is not None
            else None
        )
        self.trigger_event(
            Resolved,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            outcome=inputs.text(outcome, "outcome"),
            step_timeliness=verdict,
            timestamp=when,
        )
        return True

    def return_result(
        self,
        *,
        at: datetime,
        agency: str,
        channel: Channel | str = Channel.COUNTER,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Hand the result over (status 10); only after resolution."""
        cid = inputs.command_id(command_id)
        if not self.was_applied(cid, ResultReturned) and self.status in self.OPEN:
            raise BusinessRuleError(
                Rule.RESULT_NEEDS_RESOLUTION,
                f"{self.code} is not resolved (status {self.status.value})",
            )
        when = self._check(
            at, agency, actor, cid, (Status.RESOLVED,), "return a result", records=(ResultReturned,)
        )
        if when is None:
            return False
        self.trigger_event(
            ResultReturned,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            channel=Channel.parse(channel),
            timestamp=when,
        )
        return True

    def withdraw(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str = "",
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The applicant withdraws the dossier (status 7)."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            (Status.SUBMITTED, *self.OPEN),
            "withdraw",
            records=(Withdrawn,),
        )
        if when is None:
            return False
        self.trigger_event(
            Withdrawn,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=inputs.text(reason, "reason", optional=True),
            timestamp=when,
        )
        return True

    def stop(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Stop processing (status 8; TT 03/2025 Mẫu 05)."""
        when = self._check(at, agency, actor, command_id, self.OPEN, "stop", records=(Stopped,))
        if when is None:
            return False
        self.trigger_event(
            Stopped,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=inputs.text(reason, "reason"),
            timestamp=when,
        )
        return True
