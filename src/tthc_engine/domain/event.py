"""What every dossier event carries, and the base classes the event modules build on.

Each event class lives beside the command that triggers it (:mod:`.receipt`, :mod:`.steps`,
:mod:`.waiting`, :mod:`.outcome`, :mod:`.lateness`, :mod:`.service`) and carries a fixed
``TOPIC`` (``tthc:Dossier.<Name>``), so moving a class never breaks a stored log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from eventsourcing.domain import Aggregate, CanMutateAggregate

__all__ = ["DossierCreated", "DossierEvent", "Opening"]


class DossierEvent(Aggregate.Event):
    """Base of every dossier event: business time ``at`` (aware, UTC+7), the acting
    ``agency`` (its mã định danh), an optional ``actor`` and an optional ``command_id``
    (a command whose id was already applied changes nothing)."""

    at: datetime
    agency: str
    actor: str | None
    command_id: str | None


class DossierCreated(DossierEvent, Aggregate.Created):
    """Base of the events that may open a dossier."""

    TOPIC = "tthc:Dossier.Created"


class Opening:
    """An event that opens the dossier when it comes first, and follows otherwise.

    ``Received`` and ``Refused`` may come first (a counter receipt or refusal) or after
    ``Submitted`` (an online submission); one topic serves both.
    """

    def mutate(self, aggregate: Any) -> Any:
        if aggregate is None:
            return super().mutate(None)  # type: ignore[misc]
        return CanMutateAggregate.mutate(cast("CanMutateAggregate[Any]", self), aggregate)
