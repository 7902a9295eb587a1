"""The unit of work: what one command, or one batch of commands, reads and changes.

Every use case of :class:`~tthc_engine.application.OneStopShop` runs in a unit of work: it
loads the aggregates it needs through the unit (dossiers, the day's code sequence, the
record of an applied command), changes them, and the unit saves all their new events in
one transaction — so atomicity, idempotency and the translation of storage conflicts live
here and nowhere else. A single command is a unit of one; ``OneStopShop.batch()`` runs many
commands in one unit and commits at the end.

Inside a batch each command is a savepoint: when a command is refused (or fails in any
way), every aggregate it touched is put back exactly as it was before the command — its
state rebuilt from the stored version and the batch's earlier events — so a refused command
leaves the batch as if it had never been given, and its code number is not consumed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from tthc_engine.application.codes import CodeSequence, sequence_id
from tthc_engine.application.errors import DossierConflictError, DossierNotFoundError
from tthc_engine.application.idempotency import AppliedCommand, applied_command_id
from tthc_engine.domain import Dossier, DossierCode, dossier_id, inputs

if TYPE_CHECKING:
    from tthc_engine.application.app import OneStopShop

__all__ = ["UnitOfWork"]

_A = TypeVar("_A", bound=Aggregate)


class UnitOfWork:
    """The aggregates loaded and changed by one command or one batch, saved together."""

    def __init__(self, app: OneStopShop) -> None:
        self.app = app
        self._aggregates: dict[UUID, Aggregate] = {}
        self._stored_version: dict[UUID, int | None] = {}
        """The version each aggregate had in the store when loaded (None: new here)."""
        self._marks: dict[UUID, int | None] | None = None
        """While a command runs: each touched aggregate's count of pending events before
        the command (None: created by the command)."""

    # -- reading ------------------------------------------------------------------------
    def _load(self, aggregate_id: UUID, kind: type[_A]) -> _A | None:
        found = self._aggregates.get(aggregate_id)
        if found is None:
            try:
                found = self.app.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
            self._aggregates[aggregate_id] = found
            self._stored_version[aggregate_id] = found.version
        self._touch(aggregate_id, found)
        assert isinstance(found, kind)
        return found

    def find(self, code: str) -> Dossier | None:
        """The dossier with this code as this unit sees it, or None."""
        return self._load(dossier_id(str(DossierCode.parse(code))), Dossier)

    def dossier(self, code: str) -> Dossier:
        """The dossier with this code (raises :class:`DossierNotFoundError`)."""
        parsed = str(DossierCode.parse(code))
        found = self._load(dossier_id(parsed), Dossier)
        if found is None:
            raise DossierNotFoundError(parsed)
        return found

    def exists(self, code: str) -> bool:
        """Whether a dossier is stored, or opened in this unit, under ``code`` (an indexed
        read, no replay)."""
        aggregate_id = dossier_id(code)
        return aggregate_id in self._aggregates or bool(
            self.app.recorder.select_events(aggregate_id, limit=1)
        )

    def applied(self, command_id: str) -> AppliedCommand | None:
        """The record of ``command_id`` if a command that opened a dossier applied it."""
        return self._load(applied_command_id(command_id), AppliedCommand)

    # -- changing -----------------------------------------------------------------------
    def add(self, aggregate: Aggregate) -> None:
        """A new aggregate (a dossier just opened, a record, a day's first sequence)."""
        self._aggregates[aggregate.id] = aggregate
        self._stored_version[aggregate.id] = None
        if self._marks is not None:
            self._marks[aggregate.id] = None

    def change(self, code: str, command: Callable[[Dossier], object]) -> Dossier:
        """Run ``command`` on the dossier ``code`` (its events stay pending in the unit)."""
        dossier = self.dossier(code)
        command(dossier)
        return dossier

    def claim_code(self, agency: str, day: date) -> str:
        """The agency's next free dossier code for ``day``: the day's sequence advances past
        numbers already taken (e.g. by dossiers received under explicit codes). If another
        writer issues the same number meanwhile, saving the sequence fails (a conflict)."""
        inputs.agency_code(agency)
        sequence = self._load(sequence_id(agency, day), CodeSequence)
        if sequence is None:
            sequence = CodeSequence.start(agency, day)
            self.add(sequence)
        code = sequence.issue()
        while self.exists(str(code)):
            code = sequence.issue()
        return str(code)

    # -- savepoints ---------------------------------------------------------------------
    def _touch(self, aggregate_id: UUID, aggregate: Aggregate) -> None:
        if self._marks is not None and aggregate_id not in self._marks:
            self._marks[aggregate_id] = len(aggregate.pending_events)

    def run(self, command: Callable[[UnitOfWork], Any]) -> Any:
        """Run ``command`` as a savepoint: if it raises, every aggregate it touched is put
        back as it was, then the error propagates."""
        self._marks = {}
        try:
            return command(self)
        except BaseException:
            self._roll_back(self._marks)
            raise
        finally:
            self._marks = None

    def _roll_back(self, marks: dict[UUID, int | None]) -> None:
        for aggregate_id, kept in marks.items():
            current = self._aggregates.get(aggregate_id)
            if current is None:
                continue
            stored = self._stored_version[aggregate_id]
            if kept is None or (kept == 0 and stored is not None):
                # created by the command, or loaded by it with nothing pending: forget it
                del self._aggregates[aggregate_id]
                del self._stored_version[aggregate_id]
                continue
            events = list(current.pending_events[:kept])
            rebuilt: Any = (
                None if stored is None else self.app.repository.get(aggregate_id, version=stored)
            )
            for event in events:
                rebuilt = event.mutate(rebuilt)
            rebuilt.pending_events.extend(events)
            self._aggregates[aggregate_id] = rebuilt

    # -- committing ---------------------------------------------------------------------
    @property
    def pending(self) -> list[Aggregate]:
        return [a for a in self._aggregates.values() if a.pending_events]

    def commit(self) -> None:
        """Save every pending event in one transaction, all or nothing.

        Raises:
            DossierConflictError: another writer changed one of the aggregates first; it
                names the aggregate that conflicted, and nothing was written.
        """
        pending = self.pending
        if not pending:
            return
        first = {a.id: a.pending_events[0].originator_version for a in pending}
        try:
            self.app.save(*pending)
        except IntegrityError:
            raise self._conflict(pending, first) from None
        self._aggregates.clear()
        self._stored_version.clear()

    def _conflict(self, pending: list[Aggregate], first: dict[UUID, int]) -> DossierConflictError:
        """The error naming what another writer changed first (read back from the store);
        ``first`` is each aggregate's first unsaved version."""
        for aggregate in pending:
            stored = self.app.recorder.select_events(aggregate.id, desc=True, limit=1)
            if stored and stored[0].originator_version >= first[aggregate.id]:
                if isinstance(aggregate, Dossier):
                    return DossierConflictError(aggregate.code)
                if isinstance(aggregate, CodeSequence):
                    return DossierConflictError(
                        f"{aggregate.agency}-{aggregate.day:%y%m%d}-????", "dossier code"
                    )
                if isinstance(aggregate, AppliedCommand):
                    return DossierConflictError(aggregate.dossier, "command that opened dossier")
        return DossierConflictError("?")
