"""The deadline watcher and the index of open dossiers' dues.

:class:`DueIndex` is a read model kept from the application's notification log: it
follows the log from where it stopped (tracking position in memory), so it costs one pass
over new events per query and holds only open dossiers. The watcher's
:meth:`DeadlineWatcher.tick` uses it to record ``BecameOverdue`` exactly once per dossier
when its legal due passes unresolved, and due-soon warnings once per (dossier, due). A
dossier whose clock stopped (waiting on a supplement or an excluded pause) is measured at
the pause's start (:func:`tthc_engine.domain.judgements.measured_end`), so one that waits
after its due is still overdue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import attrs

from tthc_engine.domain import Dossier, inputs
from tthc_engine.domain.lateness import BecameOverdue
from tthc_engine.domain.receipt import Received
from tthc_engine.domain.steps import StepStarted
from tthc_engine.domain.waiting import Paused, Resumed, SupplementReceived
from tthc_engine.errors import TthcError
from tthc_engine.worktime import Timeliness

if TYPE_CHECKING:
    from tthc_engine.application.app import OneStopShop

__all__ = ["DeadlineWatcher", "DueIndex", "DueItem", "TickResult"]


@attrs.define
class DueItem:
    """An open dossier's due as the index knows it."""

    code: str
    legal_due: datetime
    holder: str
    stopped_at: datetime | None = None
    """When a clock-stopping pause began, while one runs."""
    overdue_marked: bool = False

    @property
    def clock_stopped(self) -> bool:
        return self.stopped_at is not None


@attrs.frozen
class TickResult:
    """What one :meth:`DeadlineWatcher.tick` did."""

    overdue: tuple[str, ...]
    """Codes that got a ``BecameOverdue`` event in this tick."""
    due_soon: tuple[DueItem, ...]
    """Dossiers warned in this tick (each (dossier, due) is warned once)."""
    failed: tuple[tuple[str, str], ...] = ()
    """(code, error) of dossiers the tick could not mark; the tick went on without them."""


class DueIndex:
    """Open dossiers by legal due, caught up from the notification log on each query."""

    def __init__(self, app: OneStopShop) -> None:
        self._app = app
        self._position = 0
        self._items: dict[UUID, DueItem] = {}
        self._handlers: dict[str, Callable[[Any], None]] = {
            Dossier.Received.TOPIC: self._received,
            Dossier.StepStarted.TOPIC: self._step_started,
            Dossier.SupplementRequested.TOPIC: self._clock_stop,
            Dossier.Paused.TOPIC: self._paused,
            Dossier.SupplementReceived.TOPIC: self._restart,
            Dossier.Resumed.TOPIC: self._restart,
            Dossier.BecameOverdue.TOPIC: self._overdue,
            Dossier.Resolved.TOPIC: self._closed,
            Dossier.Withdrawn.TOPIC: self._closed,
            Dossier.Stopped.TOPIC: self._closed,
            Dossier.Refused.TOPIC: self._closed,
        }

    def catch_up(self) -> None:
        """Read the notifications recorded since the last call."""
        log = self._app.notification_log
        topics = tuple(self._handlers)
        while True:
            batch = log.select(
                start=self._position,
                limit=log.section_size,
                topics=topics,
                inclusive_of_start=False,
            )
            if not batch:
                return
            for notification in batch:
                event = self._app.mapper.to_domain_event(notification)
                self._handlers[notification.topic](event)
                self._position = notification.id

    def _received(self, e: Received) -> None:
        self._items[e.originator_id] = DueItem(e.code, e.original_due, e.agency)

    def _step_started(self, e: StepStarted) -> None:
        item = self._items.get(e.originator_id)
        if item is not None:
            item.holder = e.agency

    def _clock_stop(self, e: Any) -> None:
        item = self._items.get(e.originator_id)
        if item is not None:
            item.stopped_at = e.at

    def _paused(self, e: Paused) -> None:
        if e.stops_clock:
            self._clock_stop(e)

    def _restart(self, e: Resumed | SupplementReceived) -> None:
        item = self._items.get(e.originator_id)
        if item is not None:
            item.stopped_at = None
            item.legal_due = e.legal_due

    def _overdue(self, e: BecameOverdue) -> None:
        item = self._items.get(e.originator_id)
        if item is not None:
            item.overdue_marked = True

    def _closed(self, e: Any) -> None:
        self._items.pop(e.originator_id, None)

    # -- queries ----------------------------------------------------------------------
    def open_items(self) -> list[DueItem]:
        self.catch_up()
        return sorted(self._items.values(), key=lambda i: (i.legal_due, i.code))

    def _late(self, item: DueItem, at: datetime) -> bool:
        measured = item.stopped_at if item.stopped_at is not None and item.stopped_at < at else at
        verdict = self._app.calendar.classify(measured, item.legal_due, self._app.timeliness_by)
        return verdict is Timeliness.LATE

    def overdue(self, at: datetime) -> list[DueItem]:
        """Open dossiers past their legal due at ``at``."""
        return [i for i in self.open_items() if self._late(i, at)]

    def due_soon(self, at: datetime, within: int = 1) -> list[DueItem]:
        """Open dossiers with a running clock, due within ``within`` working days of ``at``."""
        cal = self._app.calendar
        out = []
        for item in self.open_items():
            if item.clock_stopped or self._late(item, at):
                continue
            if cal.working_days_between(at.date(), item.legal_due.date()) <= within:
                out.append(item)
        return out


class DeadlineWatcher:
    """Records ``BecameOverdue`` once per dossier and warns once per due.

    ``tick(now)`` is idempotent: repeating it with the same (or an earlier) ``now``
    changes nothing and warns nothing new, and several watchers may tick at once (the
    mark is saved through the application's unit of work; a watcher that loses the race
    finds the dossier marked). A dossier the tick cannot mark (bad data, a conflict that
    persists) is reported in :attr:`TickResult.failed` and the tick goes on. Warnings are
    remembered in memory: a new watcher warns again once about dossiers still due soon.
    """

    def __init__(self, app: OneStopShop, warn_within: int = 1) -> None:
        self.app = app
        self.warn_within = inputs.whole_number(
            warn_within, "warn_within", maximum=366, unit="of working days"
        )
        self._warned: set[tuple[str, datetime]] = set()

    def tick(self, now: datetime) -> TickResult:
        now = self.app._business_time(now, "now")
        marked: list[str] = []
        failed: list[tuple[str, str]] = []
        for item in self.app.due_index.overdue(now):
            if item.overdue_marked:
                continue
            try:
                if self._mark(item.code, now):
                    marked.append(item.code)
            except TthcError as error:
                failed.append((item.code, str(error)))
                continue
            item.overdue_marked = True
        warned = []
        for item in self.app.due_index.due_soon(now, self.warn_within):
            key = (item.code, item.legal_due)
            if key not in self._warned:
                self._warned.add(key)
                warned.append(item)
        return TickResult(tuple(marked), tuple(warned), tuple(failed))

    def _mark(self, code: str, now: datetime) -> bool:
        from tthc_engine.application.errors import DossierConflictError

        for attempt in range(3):
            try:
                return self.app.mark_overdue(code, at=now)
            except DossierConflictError:
                if attempt == 2:
                    raise
        return False  # pragma: no cover
