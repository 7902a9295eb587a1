"""The ``Dossier`` aggregate: a hồ sơ thủ tục hành chính as a stream of events.

The aggregate is composed of the parts of a dossier's life, each a module that keeps its
events, the commands that trigger them and their guards together:

* :mod:`.receipt` — ``Submitted``, ``Received``, ``Refused`` (status 1, 2, 3);
* :mod:`.steps` — ``StepStarted``, ``StepFinished``: the internal process and its
  control slip;
* :mod:`.waiting` — ``SupplementRequested``/``SupplementReceived`` (status 5),
  ``Paused``/``Resumed`` (status 6 and other pauses);
* :mod:`.outcome` — ``Resolved`` (9), ``ResultReturned`` (10), ``Withdrawn`` (7),
  ``Stopped`` (8);
* :mod:`.lateness` — ``BecameOverdue``, ``ApologyIssued`` (Mẫu 04);
* :mod:`.service` — ``FeedbackGiven``, ``FeePaid``, ``Digitised``.

Every fact is an event with its business time ``at`` (aware, UTC+7), the ``agency`` that
acted, an optional ``actor`` and an optional ``command_id`` (a command whose id was already
applied changes nothing). Commands check the named business rules
(:mod:`tthc_engine.domain.rules`) before triggering anything, so a refused command writes
nothing. Dues are computed by the command (with the injected calendar) and stored in the
event, so replaying a stream never depends on today's calendar.

Three dues are kept:

* ``original_due`` — the appointment printed at receipt (Mẫu 01), never changed;
* ``legal_due`` — the due the indicators judge by: the original one moved only by
  legal pauses (a supplement under the pause policy, an excluded financial
  obligation…) or reset by a restart; an apology never moves it;
* ``current_due`` — the appointment the citizen holds now: the legal due, or the
  apology's new appointment (Mẫu 04), moved by the same legal pauses.

The stored topics (``tthc:Dossier.<Event>``) are fixed on each event class; the event
classes are reachable as ``Dossier.Received`` and so on.
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from tthc_engine.domain.commands import DossierCommands
from tthc_engine.domain.event import DossierCreated, DossierEvent
from tthc_engine.domain.lateness import ApologyIssued, BecameOverdue
from tthc_engine.domain.outcome import Resolved, ResultReturned, Stopped, Withdrawn
from tthc_engine.domain.receipt import Received, Refused, Submitted
from tthc_engine.domain.service import Digitised, FeedbackGiven, FeePaid
from tthc_engine.domain.steps import StepFinished, StepStarted
from tthc_engine.domain.waiting import Paused, Resumed, SupplementReceived, SupplementRequested

__all__ = ["Dossier"]


class Dossier(DossierCommands, Aggregate):
    """A dossier (hồ sơ TTHC), identified by its code (see :class:`DossierCode`)."""

    TOPIC = "tthc:Dossier"

    Event = DossierEvent
    Created = DossierCreated
    Submitted = Submitted
    Received = Received
    Refused = Refused
    StepStarted = StepStarted
    StepFinished = StepFinished
    SupplementRequested = SupplementRequested
    SupplementReceived = SupplementReceived
    Paused = Paused
    Resumed = Resumed
    Resolved = Resolved
    ResultReturned = ResultReturned
    Withdrawn = Withdrawn
    Stopped = Stopped
    BecameOverdue = BecameOverdue
    ApologyIssued = ApologyIssued
    FeedbackGiven = FeedbackGiven
    FeePaid = FeePaid
    Digitised = Digitised

    def __init__(self) -> None:
        self._init_state()
