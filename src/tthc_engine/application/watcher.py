"""The deadline watcher and the index of open dossiers' dues.

:class:`DueIndex` is a read model kept from the application's notification log: it
follows the log from where it stopped (tracking position in memory), so it costs
one pass over new events per query and holds only open dossiers. The watcher's
:meth:`DeadlineWatcher.tick` uses it to emit ``BecameOverdue`` exactly once per dossier
when its legal due passes unresolved, and due-soon warnings once per (dossier, due).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import attrs

from tthc_engine.domain import Dossier
from tthc_engine.worktime import Timeliness, ensure_aware

if TYPE_CHECKING:
    from tthc_engine.application.app import OneStopShop

__all__ = ["DeadlineWatcher", "DueIndex", "DueItem", "TickResult"]


@attrs.define
class DueItem:
    """An open dossier's due as the index knows it."""

    code: str
    legal_due: datetime
    holder: str
    clock_stopped: bool = False
    overdue_marked: bool = False


@attrs.frozen
class TickResult:
    """What one :meth:`DeadlineWatcher.tick` did."""

    overdue: tuple[str, ...]
    """Codes that got a ``BecameOverdue`` event in this tick."""
    due_soon: tuple[DueItem, ...]
    """Dossiers warned in this tick (each (dossier, due) is warned once)."""


_OPENING = {"Dossier.Received"}
_CLOSING = {"Dossier.Resolved", "Dossier.Withdrawn", "Dossier.Stopped", "Dossier.Refused"}


class DueIndex:
    """Open dossiers by legal due, caught up from the notification log on each query."""

    def __init__(self, app: OneStopShop) -> None:
        self._app = app
        self._position = 0
        self._items: dict[UUID, DueItem] = {}
        self._handlers: dict[str, Callable[[Any], None]] = {
            "tthc:Dossier.Received": self._received,
            "tthc:Dossier.StepStarted": self._step_started,
            "tthc:Dossier.SupplementRequested": self._clock_stop,
            "tthc:Dossier.Paused": self._paused,
            "tthc:Dossier.SupplementReceived": self._restart,
            "tthc:Dossier.Resumed": self._restart,
            "tthc:Dossier.BecameOverdue": self._overdue,
            "tthc:Dossier.Resolved": self._closed,
            "tthc:Dossier.Withdrawn": self._closed,
            "tthc:Dossier.Stopped": self._closed,
            "tthc:Dossier.Refused": self._closed,
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

    def _received(self, e: Dossier.Received) -> None:
        self._items[e.originator_id] = DueItem(e.code, e.original_due, e.agency)

    def _step_started(self, e: Dossier.StepStarted) -> None:
        item = self._items.get(e.originator_id)
        if item is not None:
            item.holder = e.agency

    def _clock_stop(self, e: Any) -> None:
        item = self._items.get(e.originator_id)
        if item is not None:
            item.clock_stopped = True

    def _paused(self, e: Dossier.Paused) -> None:
        if e.stops_clock:
            self._clock_stop(e)

    def _restart(self, e: Dossier.Resumed | Dossier.SupplementReceived) -> None:
        item = self._items.get(e.originator_id)
        if item is not None:
            item.clock_stopped = False
            item.legal_due = e.legal_due

    def _overdue(self, e: Dossier.BecameOverdue) -> None:
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
        verdict = self._app.calendar.classify(at, item.legal_due, self._app.timeliness_by)
        return verdict is Timeliness.LATE

    def overdue(self, at: datetime) -> list[DueItem]:
        at = ensure_aware(at, "at")
        return [i for i in self.open_items() if not i.clock_stopped and self._late(i, at)]

    def due_soon(self, at: datetime, within: int = 1) -> list[DueItem]:
        at = ensure_aware(at, "at")
        cal = self._app.calendar
        out = []
        for item in self.open_items():
            if item.clock_stopped or self._late(item, at):
                continue
            if cal.working_days_between(at.date(), item.legal_due.date()) <= within:
                out.append(item)
        return out


class DeadlineWatcher:
    """Emits ``BecameOverdue`` once per dossier and due-soon warnings once per due.

    ``tick(now)`` is idempotent: repeating it with the same (or an earlier) ``now``
    changes nothing and warns nothing new. Warnings are remembered in memory: a new
    watcher warns again once about dossiers still due soon.
    """

    def __init__(self, app: OneStopShop, warn_within: int = 1) -> None:
        self.app = app
        self.warn_within = warn_within
        self._warned: set[tuple[str, datetime]] = set()

    def tick(self, now: datetime) -> TickResult:
        now = ensure_aware(now, "now")
        marked: list[str] = []
        for item in self.app.due_index.overdue(now):
            if item.overdue_marked:
                continue
            dossier = self.app.dossier(item.code)
            if dossier.mark_overdue(
                at=now,
                by=self.app.timeliness_by,
                command_id=f"overdue/{item.legal_due.isoformat()}",
            ):
                self.app.save(dossier)
                marked.append(item.code)
            item.overdue_marked = True
        warned = []
        for item in self.app.due_index.due_soon(now, self.warn_within):
            key = (item.code, item.legal_due)
            if key not in self._warned:
                self._warned.add(key)
                warned.append(item)
        return TickResult(tuple(marked), tuple(warned))
