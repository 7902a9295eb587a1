"""The state of a dossier and what is derived from it (no events are triggered here).

:class:`DossierState` is the read side of the :class:`~tthc_engine.domain.dossier.Dossier`
aggregate: the fields its events set, the derived state (national status, holder, current
step and its due, pauses, lateness and who caused it, time consumed) and the data of the
receipt slip (Mẫu 01) and the process-control slip.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain.records import (
    ApologyRecord,
    FeedbackRecord,
    PauseRecord,
    PaymentRecord,
    PlannedStep,
    StepRecord,
)
from tthc_engine.domain.regime import Form, Regime
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.values import Channel, DossierCode, Status
from tthc_engine.worktime import TimeLimit, Timeliness, VietnamCalendar, ensure_aware

if TYPE_CHECKING:
    from tthc_engine.domain.dossier import Dossier

__all__ = ["DossierState"]


class DossierState:
    """Fields and derived readings of a dossier (mixed into the ``Dossier`` aggregate)."""

    def _init_state(self) -> None:
        """The state of a new dossier, before its first event is applied."""
        self.code = ""
        self.procedure = ""
        self.procedure_name = ""
        self.channel = Channel.COUNTER
        self.applicant: dict[str, str] | None = None
        self.status = Status.SUBMITTED
        self.limit: TimeLimit | None = None
        self.regime: Regime | None = None
        self.calendar_version = ""
        self.supplement_policy = SupplementPolicy.PAUSE
        self.excluded_pauses: list[PauseReason] = []
        self.process: list[PlannedStep] = []
        self.submitted_at: datetime | None = None
        self.received_at: datetime | None = None
        self.effective_start: datetime | None = None
        self.original_due: datetime | None = None
        self.legal_due: datetime | None = None
        self.current_due: datetime | None = None
        self.holder = ""
        self.receiving_agency = ""
        self.steps: list[StepRecord] = []
        self.pauses: list[PauseRecord] = []
        self.supplement_requests = 0
        self.status_before_pause: Status | None = None
        self.apologies: list[ApologyRecord] = []
        self.overdue_at: datetime | None = None
        self.resolved_at: datetime | None = None
        self.returned_at: datetime | None = None
        self.return_channel: Channel | None = None
        self.ended_at: datetime | None = None
        self.outcome = ""
        self.feedback: list[FeedbackRecord] = []
        self.payments: list[PaymentRecord] = []
        self.digitised_components = 0
        self.e_result = False
        self.reused_data = False
        self.last_at: datetime | None = None
        self.command_ids: set[str] = set()

    def _note(self, event: Dossier.Event) -> None:
        self.last_at = event.at
        if event.command_id:
            self.command_ids.add(event.command_id)

    def _end_pause(self, event: Dossier.SupplementReceived | Dossier.Resumed) -> None:
        pause = self.running_pause
        assert pause is not None
        pause.ended_at = event.at
        self.legal_due, self.current_due = event.legal_due, event.current_due
        step = self.current_step
        if step is not None and event.step_due is not None:
            step.due_at = event.step_due
        restored = self.status_before_pause or Status.RECEIVED
        self.status = restored
        self.status_before_pause = None
        self._note(event)

    def _end(self, status: Status, event: Dossier.Event, outcome: str) -> None:
        """The dossier ends without a result (withdrawn, stopped)."""
        self.status, self.ended_at, self.outcome = status, event.at, outcome
        self._close_step(event.at)
        self._note(event)

    def _close_step(self, at: datetime) -> None:
        """A dossier that ends closes its running step (without judging it) and ends a
        pause that still runs (e.g. a public posting the resolution made moot)."""
        step = self.current_step
        if step is not None:
            step.finished_at = at
        pause = self.running_pause
        if pause is not None:
            pause.ended_at = at

    # -- derived state --------------------------------------------------------------------
    @property
    def dossier_code(self) -> DossierCode:
        return DossierCode.parse(self.code)

    @property
    def is_received(self) -> bool:
        return self.received_at is not None

    @property
    def is_open(self) -> bool:
        """Received and neither resolved nor ended."""
        return self.is_received and self.ended_at is None

    @property
    def current_step(self) -> StepRecord | None:
        if self.steps and self.steps[-1].in_progress:
            return self.steps[-1]
        return None

    @property
    def running_pause(self) -> PauseRecord | None:
        if self.pauses and self.pauses[-1].running:
            return self.pauses[-1]
        return None

    @property
    def clock_stopped(self) -> bool:
        """True while a supplement or an excluded pause holds the clock."""
        pause = self.running_pause
        return pause is not None and pause.stops_clock

    @property
    def multiple_supplements(self) -> bool:
        """More than one supplement request: QĐ 766 chỉ số 2.1 counts the dossier late."""
        return self.supplement_requests > 1

    @property
    def end_of_processing(self) -> datetime | None:
        """NgayKetThucXuLy: resolved (9), else returned (10), else stop/refusal/withdrawal."""
        return self.resolved_at or self.returned_at or self.ended_at

    def timeliness(self, calendar: VietnamCalendar, by: str = "date") -> Timeliness | None:
        """Early / on time / late of the resolution against the legal due (None if open)."""
        if self.resolved_at is None or self.legal_due is None:
            return None
        if self.multiple_supplements:
            return Timeliness.LATE
        return calendar.classify(self.resolved_at, self.legal_due, by)

    def is_late(self, as_of: datetime, calendar: VietnamCalendar, by: str = "date") -> bool:
        """Late at ``as_of``: resolved late, or still open past the legal due."""
        if self.legal_due is None:
            return False
        verdict = self.timeliness(calendar, by)
        if verdict is not None:
            return verdict is Timeliness.LATE
        if not self.is_open or self.clock_stopped:
            return False
        as_of = ensure_aware(as_of, "as_of")
        return calendar.classify(as_of, self.legal_due, by) is Timeliness.LATE

    def late_by(self, calendar: VietnamCalendar, as_of: datetime | None = None) -> int:
        """Working days late: of the resolution, or of ``as_of`` for an open dossier."""
        if self.legal_due is None:
            return 0
        end = self.resolved_at or (ensure_aware(as_of, "as_of") if as_of else None)
        return 0 if end is None else calendar.late_by(end, self.legal_due)

    def late_cause(self, as_of: datetime, calendar: VietnamCalendar) -> str | None:
        """The agency whose step overran its share first; with no late step, the agency
        holding the dossier at its due; None when the dossier is not late."""
        as_of = ensure_aware(as_of, "as_of")
        if not self.is_late(as_of, calendar) and not any(
            calendar.classify(s.finished_at or as_of, s.due_at) is Timeliness.LATE
            for s in self.steps
            if s.finished_at or self.is_open
        ):
            return None
        for step in self.steps:
            end = step.finished_at or (as_of if self.is_open else None)
            if end is not None and calendar.classify(end, step.due_at) is Timeliness.LATE:
                return step.agency
        return self.holder_at(self.legal_due) if self.legal_due else self.holder

    def holder_at(self, instant: datetime | None) -> str:
        """Who held the dossier at ``instant`` (the last step started before it)."""
        holder = self.receiving_agency or self.holder
        if instant is None:
            return self.holder
        for step in self.steps:
            if step.started_at <= instant:
                holder = step.agency
        return holder

    def time_consumed(self, calendar: VietnamCalendar, as_of: datetime) -> float:
        """Working seconds used from the effective start to ``as_of`` (or the end),
        excluding clock-stopping pauses."""
        if self.effective_start is None:
            return 0.0
        end = ensure_aware(as_of, "as_of")
        if self.end_of_processing is not None:
            end = min(end, self.end_of_processing)
        if end <= self.effective_start:
            return 0.0
        used = calendar.working_position(end) - calendar.working_position(self.effective_start)
        for pause in self.pauses:
            if not pause.stops_clock:
                continue
            p_end = min(pause.ended_at or end, end)
            if p_end > pause.started_at:
                used -= calendar.working_position(p_end) - calendar.working_position(
                    pause.started_at
                )
        return max(used, 0.0)

    def receipt_slip(self) -> dict[str, Any]:
        """Data of Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"."""
        self._require_received("receipt slip")
        assert self.regime is not None
        assert self.received_at is not None
        assert self.original_due is not None
        assert self.limit is not None
        number, title = self.regime.form(Form.RECEIPT)
        return {
            "form": number,
            "title": title,
            "legal_basis": self.regime.legal_basis(self.received_at.date()),
            "code": self.code,
            "procedure": self.procedure,
            "procedure_name": self.procedure_name,
            "applicant": (self.applicant or {}).get("name", ""),
            "channel": self.channel.value,
            "received_at": self.received_at.isoformat(),
            "limit": str(self.limit),
            "due_at": self.original_due.isoformat(),
            "receiving_agency": self.receiving_agency,
        }

    def control_slip(self) -> dict[str, Any]:
        """Data of the process-control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ)."""
        self._require_received("control slip")
        assert self.regime
        number, title = self.regime.form(Form.CONTROL_SLIP)
        return {
            "form": number,
            "title": title,
            "code": self.code,
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
                for s in self.steps
            ],
        }

    def _require_received(self, what: str) -> None:
        if not self.is_received:
            raise BusinessRuleError(
                Rule.NOTHING_BEFORE_RECEIPT, f"{self.code}: no {what} before receipt"
            )
