"""The checks every dossier command makes before it triggers anything.

A command first reads its inputs (:mod:`.inputs`), then checks the dossier's state against
the named rules (:mod:`.rules`); only then does it trigger its events, so a refused command
changes nothing. Commands whose ``command_id`` was already applied return ``False`` and
change nothing either.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from tthc_engine.domain import inputs
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.state import DossierState
from tthc_engine.domain.values import Status
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import ensure_aware

__all__ = ["DossierGuards"]


class DossierGuards(DossierState):
    """State checks shared by the commands of every part of the dossier's life."""

    ACTIVE: ClassVar[tuple[Status, ...]] = (Status.RECEIVED, Status.PROCESSING)
    """Received and processing: steps, supplements, pauses and resolution happen here."""
    OPEN: ClassVar[tuple[Status, ...]] = (
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.FINANCIAL_OBLIGATION,
    )
    """Received and not yet ended (waiting on the applicant counts)."""
    AFTER_RESOLUTION: ClassVar[tuple[Status, ...]] = (*OPEN, Status.RESOLVED, Status.RETURNED)
    """Open, or resolved: payments and digitisation may still be recorded."""
    ANY_RECEIVED: ClassVar[tuple[Status, ...]] = (
        *AFTER_RESOLUTION,
        Status.WITHDRAWN,
        Status.STOPPED,
        Status.REFUSED,
    )
    """Every state but a bare online submission: feedback may be given."""

    if TYPE_CHECKING:  # provided by eventsourcing's Aggregate, which Dossier also is
        id: UUID
        version: int

        def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...

    def was_applied(self, command_id: object, *records: type[Any]) -> bool:
        """Whether the command ``command_id`` was already applied to this dossier by a
        command that records the events ``records`` (a retry, which changes nothing).

        Raises:
            InvalidInputError: the id was applied to this dossier by another command
                (a command id names one command).
        """
        cid = inputs.command_id(command_id)
        done = None if cid is None else self.applied_by.get(cid)
        if done is None:
            return False
        if done in {event.__name__ for event in records}:
            return True
        raise InvalidInputError(
            f"command_id: {inputs.shown(cid)} was already applied to {self.code} by another "
            f"command (it recorded {done}); a command id names one command"
        )

    def _admit(
        self,
        at: object,
        command_id: object,
        allowed: Iterable[Status],
        action: str,
        mismatch: Rule = Rule.PAUSE_STATE,
        *,
        records: tuple[type[Any], ...],
    ) -> datetime | None:
        """Command id, time and state checks; returns the aware ``at``, or None when the
        command id was already applied (by a command that ``records`` these events).
        ``mismatch`` is the rule reported when an open dossier is in the wrong state for
        ``action``."""
        if self.was_applied(command_id, *records):
            return None
        when = ensure_aware(at, "at")
        if self.status not in set(allowed):
            if not self.is_received and self.status is Status.SUBMITTED:
                raise BusinessRuleError(
                    Rule.NOTHING_BEFORE_RECEIPT, f"{self.code}: cannot {action} before receipt"
                )
            raise BusinessRuleError(
                Rule.CLOSED_DOSSIER
                if (self.status.is_terminal or self.status is Status.RESOLVED)
                else mismatch,
                f"{self.code}: cannot {action} while the dossier is "
                f"{self.status.name} ({self.status.value} {self.status.label_vi})",
            )
        if self.last_at is not None and when < self.last_at:
            raise BusinessRuleError(
                Rule.TIME_RUNS_FORWARD,
                f"{self.code}: at {when.isoformat()} is before the last event "
                f"({self.last_at.isoformat()})",
            )
        return when

    def _check(
        self,
        at: object,
        agency: object,
        actor: object,
        command_id: object,
        allowed: Iterable[Status],
        action: str,
        mismatch: Rule = Rule.PAUSE_STATE,
        *,
        records: tuple[type[Any], ...],
    ) -> datetime | None:
        """:meth:`_admit`, then the acting agency (an agency code) and the actor."""
        when = self._admit(at, command_id, allowed, action, mismatch, records=records)
        if when is not None:
            inputs.agency_code(agency)
            inputs.optional_text(actor, "actor")
        return when

    def _require_no_pause(self, action: str) -> None:
        pause = self.running_pause
        if pause is not None:
            raise BusinessRuleError(
                Rule.PAUSE_STATE,
                f"{self.code}: cannot {action}: paused for {pause.reason} since "
                f"{pause.started_at.isoformat()}",
            )

    def _require_handler(self, agency: str, action: str) -> None:
        """Only the agency handling the dossier may ``action`` (ND 61/2018 Điều 18–19)."""
        if agency != self.handler:
            step = self.current_step
            what = f"step {step.key!r}" if step is not None else "the dossier"
            raise BusinessRuleError(
                Rule.STEP_HELD_BY_AGENCY,
                f"{self.code}: cannot {action}: {what} is held by {self.handler}, not {agency}",
            )
