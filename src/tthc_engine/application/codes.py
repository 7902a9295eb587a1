"""Dossier codes (mã hồ sơ) handed out once: one sequence aggregate per agency and day.

``<agency code>-<yyMMdd>-<4-digit daily sequence>`` (TT 01/2018/TT-VPCP; TT 03/2025/TT-VPCP).
Each (agency, day) has a :class:`CodeSequence` aggregate; issuing a number is an event,
so two writers that read the same sequence version cannot both save: the loser's
transaction fails on the event store's version constraint and retries with the next
number. A code is therefore never handed out twice, across processes too.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from tthc_engine.domain import DossierCode
from tthc_engine.errors import InvalidInputError

__all__ = ["CodeSequence", "sequence_id"]

_NAMESPACE = uuid5(NAMESPACE_URL, "https://tthc-engine/code-sequence")


def sequence_id(agency: str, day: date) -> UUID:
    return uuid5(_NAMESPACE, f"{agency}/{day.isoformat()}")


class CodeSequence(Aggregate):
    """The daily sequence of dossier numbers of one receiving agency."""

    TOPIC = "tthc:CodeSequence"

    class Event(Aggregate.Event):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "tthc:CodeSequence.Created"

    class Started(Created):
        TOPIC = "tthc:CodeSequence.Started"
        agency: str
        day: date

    class Issued(Event):
        TOPIC = "tthc:CodeSequence.Issued"
        number: int

        def apply(self, seq: CodeSequence) -> None:
            seq.last = self.number

    def __init__(self, agency: str, day: date) -> None:
        self.agency = agency
        self.day = day
        self.last = 0

    @classmethod
    def start(cls, agency: str, day: date) -> CodeSequence:
        DossierCode(agency, day, 1)  # validates the agency code
        return cls._create(cls.Started, id=sequence_id(agency, day), agency=agency, day=day)

    def issue(self) -> DossierCode:
        if self.last >= 9999:
            raise InvalidInputError(
                f"{self.agency} {self.day.isoformat()}: the 4-digit daily sequence is exhausted"
            )
        self.trigger_event(self.Issued, number=self.last + 1)
        return DossierCode(self.agency, self.day, self.last)
