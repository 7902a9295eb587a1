"""Exporting a store's dossier history as facts (and as ``tthc.event/1`` lines).

The store's notification log is read in order; every ``Dossier`` event becomes a fact
(:func:`~tthc_engine.domain.facts.fact_of_event`). A fact's id is the command id the event
was written with, so that importing an export and exporting again gives the same lines;
an event written without one gets ``<code>:<version>``, and the second event of a command
that wrote two (a ``forward`` finishes a step and starts the next) gets ``<id>/2``.

Personal data (the applicant, ND 13/2023/NĐ-CP) is never exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from uuid import UUID

from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.facts import Fact, fact_of_event
from tthc_engine.interchange.jsonl import dumps

if TYPE_CHECKING:
    from tthc_engine.application import OneStopShop

__all__ = ["export_jsonl", "facts_of_store"]


def facts_of_store(app: OneStopShop, *, after: int = 0, page: int = 1000) -> Iterator[Fact]:
    """Every dossier fact recorded in ``app``'s store after notification ``after``."""
    codes: dict[UUID, str] = {}
    last: dict[UUID, tuple[str, int]] = {}
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
            origin = event.originator_id
            code = getattr(event, "code", None) or codes.get(origin)
            if code is None:  # pragma: no cover - an opening event always comes first
                continue
            codes[origin] = code
            command_id = event.command_id or f"{code}:{event.originator_version}"
            previous = last.get(origin)
            if previous is not None and previous[0] == command_id:
                n = previous[1] + 1
                fact_id = f"{command_id}/{n}"
            else:
                n, fact_id = 1, command_id
            last[origin] = (command_id, n)
            yield fact_of_event(event, code, fact_id)


def export_jsonl(app: OneStopShop, out: TextIO | str | Path) -> int:
    """Write every dossier fact of the store as ``tthc.event/1`` lines; returns how many."""
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="\n") as handle:
            return export_jsonl(app, handle)
    n = 0
    for fact in facts_of_store(app):
        out.write(dumps(fact))
        out.write("\n")
        n += 1
    return n
