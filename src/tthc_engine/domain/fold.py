"""The dossier as a left fold of its events, without an event store.

A replay of a month's log (one streaming pass over millions of lines) needs each dossier's
state and the same rules and dues as the application, but not eventsourcing's machinery
(an event object, a version check and a pending list per fact). :class:`FoldedDossier` is
the dossier's commands (:class:`~tthc_engine.domain.commands.DossierCommands`) applying
their events' own ``apply`` methods to plain state: the same code decides and records,
so a history replayed here and one written through ``OneStopShop`` end in equal states.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Self
from uuid import UUID

from tthc_engine.domain.commands import DossierCommands
from tthc_engine.domain.event import DossierEvent

__all__ = ["FoldedDossier"]


class FoldedDossier(DossierCommands):
    """A dossier whose events are applied to plain state as they happen (no store)."""

    def __init__(self) -> None:
        self._init_state()
        self.id: UUID | None = None  # type: ignore[assignment]
        self.version = 0

    @classmethod
    def _create(cls, event_class: type[Any], **kwargs: Any) -> Self:
        dossier = cls()
        dossier.id = kwargs.pop("id")
        dossier.trigger_event(event_class, **kwargs)
        return dossier

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        event_class.apply(SimpleNamespace(**kwargs), self)
        self.version += 1

    def apply_event(self, event: DossierEvent) -> None:
        """Apply a stored event as it is (its dues already derived)."""
        type(event).apply(event, self)
        self.version += 1
