"""The internal process (quy trình nội bộ / liên thông) and its control slip.

A dossier moves through the steps its procedure's process lists, each held by one agency
with a share of the legal limit. Each handoff is a row of the process-control slip
("Phiếu kiểm soát quá trình giải quyết hồ sơ", TT 01/2018 Mẫu 05, TT 03/2025 Mẫu 06): who
received it and when, its due, when it was finished, and whether the step kept to its
share — judged by working time used against working time allowed
(:func:`tthc_engine.domain.judgements.step_verdict`).

* ``StepStarted`` — an agency takes the dossier for a step; the step's due comes from its
  share (counted like a dossier's limit, DESIGN §3).
* ``StepFinished`` — the holding agency finishes its step.

``forward`` is the usual hand-over (ND 61/2018 Điều 18, chuyển hồ sơ): it finishes the
current step and starts the next one in one change, after checking both.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from tthc_engine.domain import inputs, judgements
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.guards import DossierGuards
from tthc_engine.domain.records import StepRecord
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.values import Status
from tthc_engine.errors import CalendarRangeError, InvalidInputError
from tthc_engine.worktime import TimeLimit, Timeliness, VietnamCalendar

if TYPE_CHECKING:
    from tthc_engine.domain.dossier import Dossier

__all__ = ["StepCommands", "StepFinished", "StepStarted"]


class StepStarted(DossierEvent):
    """A unit or agency takes the dossier for one step of the internal process."""

    TOPIC = "tthc:Dossier.StepStarted"
    step: str
    name: str
    allotted: TimeLimit
    due_at: datetime

    def apply(self, d: Dossier) -> None:
        d.steps.append(
            StepRecord(self.step, self.name, self.agency, self.allotted, self.at, self.due_at)
        )
        d.holder = self.agency
        if d.status is Status.RECEIVED:
            d.status = Status.PROCESSING
        d._note(self)


class StepFinished(DossierEvent):
    """The holding agency finishes its step; the control slip records its verdict."""

    TOPIC = "tthc:Dossier.StepFinished"
    step: str
    timeliness: Timeliness

    def apply(self, d: Dossier) -> None:
        step = d.current_step
        assert step is not None
        step.finished_at, step.timeliness = self.at, self.timeliness
        d._note(self)


def _due(calendar: VietnamCalendar, start: datetime, share: TimeLimit, field: str) -> datetime:
    """The due of a share started at ``start``; a due past the calendar's data range is
    refused naming ``field`` (the argument that gave the share, or the step)."""
    try:
        return calendar.due(start, share).due_at
    except CalendarRangeError as exc:
        raise CalendarRangeError(f"{field}: {share}: {exc}") from None


class StepCommands(DossierGuards):
    """Starting, finishing and handing over the steps of the internal process."""

    def start_step(
        self,
        *,
        step: str,
        at: datetime,
        calendar: VietnamCalendar,
        agency: str | None = None,
        allotted: TimeLimit | None = None,
        name: str | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """An agency takes the dossier for ``step`` of the process (or an extra step with its
        own ``allotted`` share); the step's due comes from its share."""
        when = self._admit(at, command_id, self.ACTIVE, "start a step", records=(StepStarted,))
        if when is None:
            return False
        inputs.optional_text(actor, "actor")
        started = self._starting(step, when, calendar, agency, allotted, name, handing_over=False)
        self.trigger_event(
            StepStarted, actor=actor, command_id=command_id, timestamp=when, **started
        )
        return True

    def finish_step(
        self,
        *,
        at: datetime,
        agency: str,
        calendar: VietnamCalendar,
        step: str | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The agency holding the current step finishes it (early / on time / late)."""
        when = self._check(
            at, agency, actor, command_id, self.OPEN, "finish a step", records=(StepFinished,)
        )
        if when is None:
            return False
        finished = self._finishing(when, agency, calendar, step)
        self.trigger_event(
            StepFinished, actor=actor, command_id=command_id, timestamp=when, **finished
        )
        return True

    def forward(
        self,
        *,
        at: datetime,
        agency: str,
        calendar: VietnamCalendar,
        to_step: str | None = None,
        to_agency: str | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Hand the dossier over (chuyển hồ sơ): ``agency``, which holds it, finishes its
        step and the next step of the process (or ``to_step``) starts at once, held by its
        planned agency (or ``to_agency``). Both halves are checked before either happens."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            self.ACTIVE,
            "forward",
            records=(StepFinished, StepStarted),
        )
        if when is None:
            return False
        self._require_handler(agency, "forward")
        current = self.current_step
        target = to_step if to_step is not None else self._next_step_key()
        finished = self._finishing(when, agency, calendar, None) if current else None
        started = self._starting(
            target,
            when,
            calendar,
            to_agency,
            None,
            None,
            handing_over=current is not None,
            fields=("to_step", "to_agency"),
        )
        if finished is not None:
            self.trigger_event(
                StepFinished, actor=actor, command_id=command_id, timestamp=when, **finished
            )
        self.trigger_event(
            StepStarted, actor=actor, command_id=command_id, timestamp=when, **started
        )
        return True

    # -- checks ---------------------------------------------------------------------------
    def _next_step_key(self) -> str:
        keys = [s.key for s in self.process]
        current = self.current_step
        if current is not None and current.key in keys:
            after = keys[keys.index(current.key) + 1 :]
            target = after[0] if after else None
        else:
            done = {s.key for s in self.steps}
            target = next((k for k in keys if k not in done), None)
        if target is None:
            raise BusinessRuleError(Rule.UNKNOWN_STEP, f"{self.code}: no next step in the process")
        return target

    def _starting(
        self,
        step: object,
        when: datetime,
        calendar: VietnamCalendar,
        agency: object,
        allotted: object,
        name: object,
        *,
        handing_over: bool,
        fields: tuple[str, str] = ("step", "agency"),
    ) -> dict[str, Any]:
        """The fields of a ``StepStarted`` at ``when``, once every rule is checked.

        ``handing_over``: the current step is being finished in the same change; ``fields``
        names the step and agency arguments in errors (``to_step``, ``to_agency`` when
        forwarding)."""
        key = inputs.text(step, fields[0], limit=inputs.MAX_ID)
        planned = next((s for s in self.process if s.key == key), None)
        if planned is None and allotted is None:
            known = ", ".join(s.key for s in self.process) or "none"
            raise BusinessRuleError(
                Rule.UNKNOWN_STEP, f"{self.code}: step {key!r} is not in the process ({known})"
            )
        if allotted is not None and not isinstance(allotted, TimeLimit):
            raise InvalidInputError(f"allotted: expected a TimeLimit, got {inputs.shown(allotted)}")
        holder = inputs.agency_code(
            agency if agency is not None else (planned.agency if planned else None), fields[1]
        )
        current = self.current_step
        if current is not None and not handing_over:
            raise BusinessRuleError(
                Rule.ONE_STEP_AT_A_TIME,
                f"{self.code}: step {current.key!r} held by {current.agency} is still in progress",
            )
        share = allotted if isinstance(allotted, TimeLimit) else None
        if share is None:
            assert planned is not None
            share = planned.allotted
        title = name if name is not None else (planned.name if planned else key)
        return {
            "at": when,
            "agency": holder,
            "step": key,
            "name": inputs.text(title, "name"),
            "allotted": share,
            "due_at": _due(calendar, when, share, fields[0] if allotted is None else "allotted"),
        }

    def _finishing(
        self, when: datetime, agency: str, calendar: VietnamCalendar, step: object
    ) -> dict[str, Any]:
        """The fields of a ``StepFinished`` at ``when``, once every rule is checked."""
        current = self.current_step
        if current is None:
            raise BusinessRuleError(Rule.STEP_IN_PROGRESS, f"{self.code}: no step in progress")
        if step is not None and step != current.key:
            raise BusinessRuleError(
                Rule.STEP_IN_PROGRESS,
                f"{self.code}: step {inputs.shown(step)} is not the one in progress "
                f"({current.key!r})",
            )
        if agency != current.agency:
            raise BusinessRuleError(
                Rule.STEP_HELD_BY_AGENCY,
                f"{self.code}: step {current.key!r} is held by {current.agency}, not {agency}",
            )
        return {
            "at": when,
            "agency": agency,
            "step": current.key,
            "timeliness": judgements.step_verdict(self, current, when, calendar),
        }
