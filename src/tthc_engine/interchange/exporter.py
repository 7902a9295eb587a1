"""Exporting a store's dossier history as facts (and as ``tthc.event/1`` lines).

The store's notification log is read in order; every ``Dossier`` event becomes a fact
(:func:`~tthc_engine.domain.facts.fact_of_event`). A fact's id is the command id the event
was written with, so that importing an export and exporting again gives the same lines;
an event written without one gets ``<code>:<version>``, and the second event of a command
that wrote two (a ``forward`` finishes a step and starts the next) gets ``<id>/2``
(:class:`FactIds`, the one numbering the exporter and the importer share).

Personal data (the applicant, ND 13/2023/NĐ-CP) is never exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from uuid import UUID

from tthc_engine.domain import dossier_id
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.facts import Fact, fact_of_event
from tthc_engine.interchange.jsonl import dumps, writing

if TYPE_CHECKING:
    from tthc_engine.application import OneStopShop

__all__ = [
    "FactIds",
    "dossier_events",
    "export_jsonl",
    "facts_of_store",
    "stored_events",
    "stored_facts",
]


class FactIds:
    """The fact id of each stored event (DESIGN.md §6: ``id`` is unique in a log).

    The command id the event was written with; ``<code>:<version>`` for an event written
    without one; ``<id>/<n>`` for the n-th event of a command that wrote several in a row.
    """

    def __init__(self) -> None:
        self._last: dict[UUID, tuple[str, int]] = {}

    def of(self, event: DossierEvent, code: str) -> str:
        """The id of ``event`` of dossier ``code`` (events given in their stored order)."""
        origin = event.originator_id
        command_id = event.command_id or f"{code}:{event.originator_version}"
        previous = self._last.get(origin)
        if previous is not None and previous[0] == command_id:
            n = previous[1] + 1
            self._last[origin] = (command_id, n)
            return f"{command_id}/{n}"
        self._last[origin] = (command_id, 1)
        return command_id


def dossier_events(app: OneStopShop, *, after: int = 0, page: int = 1000) -> Iterator[DossierEvent]:
    """Every dossier event recorded in ``app``'s store after notification ``after``, in
    the order of the notification log (a dossier's opening event carries its ``code``;
    the later ones share its ``originator_id``)."""
    recorder = app.recorder
    position = after
    while True:
        notifications = recorder.select_notifications(
            start=position, limit=page, inclusive_of_start=False
        )
        if not notifications:
            return
        for notification in notifications:
            position = notification.id
            if not notification.topic.startswith("tthc:Dossier."):
                continue
            event = app.mapper.to_domain_event(notification)
            assert isinstance(event, DossierEvent)
            yield event


def facts_of_store(app: OneStopShop, *, after: int = 0, page: int = 1000) -> Iterator[Fact]:
    """Every dossier fact recorded in ``app``'s store after notification ``after``."""
    codes: dict[UUID, str] = {}
    ids = FactIds()
    for event in dossier_events(app, after=after, page=page):
        origin = event.originator_id
        code = getattr(event, "code", None) or codes.get(origin)
        if code is None:
            # resumed after the dossier's first events: read them back, for its code and
            # for the numbering of a command's events that straddle the position
            earlier = [
                app.mapper.to_domain_event(s)
                for s in app.recorder.select_events(origin, lte=event.originator_version - 1)
            ]
            code = next(
                (getattr(e, "code", None) for e in earlier if getattr(e, "code", None)), None
            )
            if code is None:  # pragma: no cover - a dossier event without its opening event
                continue
            for previous in earlier:
                assert isinstance(previous, DossierEvent)
                ids.of(previous, code)
        codes[origin] = code
        yield fact_of_event(event, code, ids.of(event, code))


def stored_events(app: OneStopShop, code: str) -> list[DossierEvent]:
    """The stored events of dossier ``code``, oldest first (none if it was never stored)."""
    found = []
    for stored in app.recorder.select_events(dossier_id(code)):
        event = app.mapper.to_domain_event(stored)
        assert isinstance(event, DossierEvent)
        found.append(event)
    return found


def stored_facts(code: str, events: list[DossierEvent]) -> dict[str, Fact]:
    """The facts of dossier ``code``'s stored ``events`` by fact id, numbered as an export
    of the store numbers them (:class:`FactIds`)."""
    ids = FactIds()
    facts = {}
    for event in events:
        fact_id = ids.of(event, code)
        facts[fact_id] = fact_of_event(event, code, fact_id)
    return facts


def export_jsonl(app: OneStopShop, out: TextIO | str | Path) -> int:
    """Write every dossier fact of the store as ``tthc.event/1`` lines (``"-"``: standard
    output); returns how many (DESIGN.md §6: export → import → export is byte-identical)."""
    n = 0
    with writing(out) as stream:
        for fact in facts_of_store(app):
            stream.write(dumps(fact))
            stream.write("\n")
            n += 1
    return n
