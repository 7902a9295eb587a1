"""Lateness: the overdue mark and the apology with its new appointment.

* ``BecameOverdue`` — the legal due passed with the dossier unresolved; recorded once, by
  the deadline watcher. A dossier whose clock stopped (waiting on a supplement, an excluded
  pause) is measured at the pause's start, so one that waits after its due stays overdue.
* ``ApologyIssued`` — Mẫu 04 "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (TT 01/2018) /
  "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" (TT 03/2025); ND 61/2018
  Điều 19 khoản 3. The new appointment becomes ``current_due``; the legal due still decides
  timeliness (an apology never turns a late dossier into an on-time one).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tthc_engine.domain import inputs, judgements
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.guards import DossierGuards
from tthc_engine.domain.records import ApologyRecord
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import Comparison, Timeliness, VietnamCalendar, ensure_aware

if TYPE_CHECKING:
    from tthc_engine.domain.dossier import Dossier

__all__ = ["ApologyIssued", "BecameOverdue", "LatenessCommands"]


class BecameOverdue(DossierEvent):
    """The legal due passed with the dossier unresolved (emitted by the deadline watcher)."""

    TOPIC = "tthc:Dossier.BecameOverdue"
    due_at: datetime

    def apply(self, d: Dossier) -> None:
        d.overdue_at = self.at
        d._note(self)


class ApologyIssued(DossierEvent):
    """Mẫu 04: apology and new appointment (ND 61/2018 Điều 19 khoản 3; TT 03/2025 Mẫu 04).
    The new appointment becomes ``current_due``; ``legal_due`` is kept for indicators."""

    TOPIC = "tthc:Dossier.ApologyIssued"
    new_due: datetime
    reason: str

    def apply(self, d: Dossier) -> None:
        previous = d.current_due
        assert previous is not None
        d.apologies.append(ApologyRecord(self.at, self.agency, previous, self.new_due, self.reason))
        d.current_due = self.new_due
        d._note(self)


class LatenessCommands(DossierGuards):
    """Marking a dossier overdue and apologising for it."""

    def mark_overdue(
        self,
        *,
        at: datetime,
        calendar: VietnamCalendar,
        agency: str | None = None,
        by: Comparison | str = Comparison.DATE,
        command_id: str | None = None,
    ) -> bool:
        """Record, once, that the legal due passed unresolved (the deadline watcher's event).

        Past due means a later date than the due (QĐ 766 compares dates), or a later
        instant with ``Comparison.DATETIME``; a dossier whose clock stopped is measured at
        the pause's start. Returns False when it is already marked or no longer open."""
        if self.overdue_at is not None or not self.is_open or self.legal_due is None:
            return False
        holder = agency or self.handler
        when = self._check(
            at, holder, None, command_id, self.OPEN, "mark overdue", records=(BecameOverdue,)
        )
        if when is None:
            return False
        due = self.legal_due
        if not judgements.is_late(self, when, calendar, by):
            stop = self.running_pause if self.clock_stopped else None
            why = (
                f"passed: the clock stopped at {stop.started_at.isoformat()} ({stop.reason})"
                if stop is not None and calendar.classify(when, due, by) is Timeliness.LATE
                else "passed"
            )
            raise BusinessRuleError(
                Rule.OVERDUE_AFTER_DUE,
                f"{self.code}: at {when.isoformat()} the legal due {due.isoformat()} has not "
                + why,
            )
        self.trigger_event(
            BecameOverdue,
            at=when,
            agency=holder,
            actor=None,
            command_id=command_id,
            due_at=due,
            timestamp=when,
        )
        return True

    def issue_apology(
        self,
        *,
        at: datetime,
        agency: str,
        new_due: datetime,
        reason: str,
        calendar: VietnamCalendar,
        max_apologies: int = 1,
        lead_days: int = 1,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """An agency responsible for the delay apologises and sets a new appointment (Mẫu 04).

        Who: the agency handling the dossier or one whose step overran its share, never the
        receiving counter for another agency's delay. When: at least ``lead_days`` working
        days before the due date (default 1: on an earlier date; 0: any time before the due
        instant). How often: at most ``max_apologies`` times (ND 61/2018 Điều 19 khoản 3:
        once)."""
        when = self._check(
            at, agency, actor, command_id, self.OPEN, "issue an apology", records=(ApologyIssued,)
        )
        if when is None:
            return False
        text = inputs.text(reason, "reason")
        new = ensure_aware(new_due, "new_due")
        if new.date() > calendar.last_day:
            raise InvalidInputError(
                f"new_due: {new.date().isoformat()} is after the calendar's data range "
                f"(to {calendar.last_day.isoformat()})"
            )
        due = self.current_due
        assert due is not None
        allowed = judgements.apology_agencies(self, when, calendar)
        if agency not in allowed:
            raise BusinessRuleError(
                Rule.APOLOGY_BY_RESPONSIBLE_AGENCY,
                f"{self.code}: {agency} may not apologise; the agencies responsible now are "
                f"{', '.join(sorted(allowed))}",
            )
        if len(self.apologies) >= max_apologies:
            raise BusinessRuleError(
                Rule.APOLOGY_LIMIT, f"{self.code} already has {len(self.apologies)} apology(ies)"
            )
        early_enough = (
            when <= due
            if lead_days <= 0
            else calendar.working_days_between(when.date(), due.date()) >= lead_days
        )
        if not early_enough:
            raise BusinessRuleError(
                Rule.APOLOGY_BEFORE_DUE,
                f"{self.code}: apology at {when.isoformat()} is not "
                + (
                    f"{lead_days} working day(s) before the due date {due.date().isoformat()}"
                    if lead_days > 0
                    else f"before the due {due.isoformat()}"
                ),
            )
        if new <= due:
            raise BusinessRuleError(
                Rule.APOLOGY_LATER_DATE,
                f"{self.code}: new appointment {new.isoformat()} is not after {due.isoformat()}",
            )
        self.trigger_event(
            ApologyIssued,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            new_due=new,
            reason=text,
            timestamp=when,
        )
        return True
