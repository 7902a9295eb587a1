"""Commands applied once: the record of a command id that opened a dossier.

A retried counter request (``receive(..., command_id="rcv-42")`` sent twice) must return
the dossier the first attempt opened and write nothing. When the code is given, the
dossier's own events carry the command id and answer the question. When the application
issues the code, the dossier cannot be found by code, so the first attempt stores an
:class:`AppliedCommand` — keyed by the command id, saved in the same transaction as the
dossier — and a retry, from this process or another one on the same store, finds it. Two
attempts racing each other cannot both save it: the loser's transaction fails on the
event store's version constraint, retries, and finds the winner's record.
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

__all__ = ["AppliedCommand", "applied_command_id"]

_NAMESPACE = uuid5(NAMESPACE_URL, "https://tthc-engine/applied-command")


def applied_command_id(command_id: str) -> UUID:
    """The id of the record of ``command_id`` (uuid5, so every writer derives the same)."""
    return uuid5(_NAMESPACE, command_id)


class AppliedCommand(Aggregate):
    """That the command ``command_id`` (a ``receive``, ``submit`` or ``refuse``) opened
    dossier ``dossier``."""

    TOPIC = "tthc:AppliedCommand"

    class Event(Aggregate.Event):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "tthc:AppliedCommand.Created"

    class Recorded(Created):
        TOPIC = "tthc:AppliedCommand.Recorded"
        command: str
        dossier: str

    def __init__(self, command: str, dossier: str) -> None:
        self.command = command
        self.dossier = dossier

    @classmethod
    def record(cls, command_id: str, command: str, dossier: str) -> AppliedCommand:
        return cls._create(
            cls.Recorded, id=applied_command_id(command_id), command=command, dossier=dossier
        )
