"""The state of a dossier and what is derived from it (no events are triggered here).

:class:`DossierState` holds the fields the :class:`~tthc_engine.domain.dossier.Dossier`'s
events set, the helpers their ``apply`` methods share, and the derived readings (national
status, holder, current step, pauses, lateness and who caused it, time consumed). The
legal judgements behind the readings are defined once in
:mod:`tthc_engine.domain.judgements`; the slips are presented by
:mod:`tthc_engine.domain.slips`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import judgements
from tthc_engine.domain.records import (
    ApologyRecord,
    FeedbackRecord,
    PauseRecord,
    PaymentRecord,
    PlannedStep,
    StepRecord,
)
from tthc_engine.domain.regime import Regime
from tthc_engine.domain.values import Channel, DossierCode, Status
from tthc_engine.worktime import Comparison, TimeLimit, Timeliness, VietnamCalendar, ensure_aware

if TYPE_CHECKING:
    from tthc_engine.domain.event import DossierEvent
    from tthc_engine.domain.waiting import Resumed, SupplementReceived

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
        self.applied_by: dict[str, str] = {}
        """For each command id, the name of the first event its command recorded."""

    def _note(self, event: DossierEvent) -> None:
        self.last_at = event.at
        if event.command_id:
            self.command_ids.add(event.command_id)
            self.applied_by.setdefault(event.command_id, type(event).__name__)

    def _end_pause(self, event: SupplementReceived | Resumed, *, restarted: bool = False) -> None:
        """A pause ends: the dues move by it (or, on a restart, run again from now)."""
        pause = self.running_pause
        assert pause is not None
        pause.ended_at = event.at
        self.legal_due, self.current_due = event.legal_due, event.current_due
        step = self.current_step
        if step is not None and event.step_due is not None:
            step.due_at = event.step_due
            if restarted:  # the step's whole share runs again from the completed dossier
                step.counted_from, step.allotted_until = event.at, event.step_due
        restored = self.status_before_pause or Status.RECEIVED
        self.status = restored
        self.status_before_pause = None
        self._note(event)

    def _end(self, status: Status, event: DossierEvent, outcome: str) -> None:
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
            pause.ended_at, pause.cut_by_end = at, True

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

    def measured_end(self, as_of: datetime | None = None) -> datetime | None:
        """The instant the dossier is judged at (see :func:`judgements.measured_end`)."""
        return judgements.measured_end(self, as_of)

    def timeliness(
        self, calendar: VietnamCalendar, by: Comparison | str = Comparison.DATE
    ) -> Timeliness | None:
        """Early / on time / late of a resolved dossier against its legal due (None if it is
        not resolved); see :func:`judgements.timeliness`."""
        return judgements.timeliness(self, calendar, by)

    def is_late(
        self, as_of: datetime, calendar: VietnamCalendar, by: Comparison | str = Comparison.DATE
    ) -> bool:
        """Late at ``as_of``: resolved late, or still open past the legal due (a supplement
        requested after the due keeps it late); see :func:`judgements.is_late`."""
        return judgements.is_late(self, as_of, calendar, by)

    def late_by(self, calendar: VietnamCalendar, as_of: datetime | None = None) -> int:
        """Working days late: of the resolution, or of ``as_of`` for an open dossier."""
        return judgements.late_by(self, calendar, as_of)

    def late_cause(
        self, as_of: datetime, calendar: VietnamCalendar, by: Comparison | str = Comparison.DATE
    ) -> str | None:
        """The agency that caused the lateness (None when the dossier is not late at
        ``as_of``); see :func:`judgements.late_cause` for the rule."""
        return judgements.late_cause(self, as_of, calendar, by)

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

    @property
    def handler(self) -> str:
        """The agency handling the dossier now: the holder of the running step, else the
        last holder (the receiving agency when no step was recorded)."""
        step = self.current_step
        return step.agency if step is not None else self.holder
