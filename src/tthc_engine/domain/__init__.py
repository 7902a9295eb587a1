"""The dossier domain: the ``Dossier`` aggregate, its events, values and business rules.

No I/O and no wall clock here: business time comes from each command's ``at`` and the
calendar is passed in.
"""

from tthc_engine.domain.dossier import Dossier
from tthc_engine.domain.records import (
    ApologyRecord,
    PauseKind,
    PauseRecord,
    PlannedStep,
    StepRecord,
)
from tthc_engine.domain.regime import Form, Regime
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.values import Channel, DossierCode, Rating, Status, dossier_id

__all__ = [
    "ApologyRecord",
    "BusinessRuleError",
    "Channel",
    "Dossier",
    "DossierCode",
    "Form",
    "PauseKind",
    "PauseRecord",
    "PlannedStep",
    "Rating",
    "Regime",
    "Rule",
    "Status",
    "StepRecord",
    "dossier_id",
]
