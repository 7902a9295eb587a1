"""Every command of a dossier, independent of how its events are kept.

:class:`DossierCommands` gathers the commands of each part of a dossier's life (each
module keeps its events, commands and guards together). The
:class:`~tthc_engine.domain.dossier.Dossier` aggregate adds eventsourcing to it; the
:class:`~tthc_engine.domain.fold.FoldedDossier` of a replay applies the same events to plain
state. Both therefore check the same rules and compute the same dues.
"""

from __future__ import annotations

from tthc_engine.domain.lateness import LatenessCommands
from tthc_engine.domain.outcome import OutcomeCommands
from tthc_engine.domain.receipt import ReceiptCommands
from tthc_engine.domain.service import ServiceCommands
from tthc_engine.domain.steps import StepCommands
from tthc_engine.domain.waiting import WaitingCommands

__all__ = ["DossierCommands"]


class DossierCommands(
    ReceiptCommands,
    StepCommands,
    WaitingCommands,
    OutcomeCommands,
    LatenessCommands,
    ServiceCommands,
):
    """The commands of a dossier (receipt, steps, waiting, outcome, lateness, service)."""
