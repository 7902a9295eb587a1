"""The facts of a dossier's history in a form independent of any store.

A *fact* is what an event log line says (DESIGN.md §6, schema ``tthc.event/1``): a type
(the snake_case name of the event, ``received``, ``step_started``…), a business time
``at``, the acting ``agency``, an optional ``actor``, and the ``data`` that the command
needed — not what the engine derives from it (dues, verdicts, the regime), which a replay
computes again with the calendar and the same rules. This module is the one mapping
between the two forms:

* :func:`fact_of_event` — a stored ``Dossier`` event as a fact (for export and for
  projections that read the store);
* :func:`apply_fact` — a fact carried out as the command that produces that event, on any
  dossier that has the commands (the ``Dossier`` aggregate, or the plain
  :class:`~tthc_engine.domain.fold.FoldedDossier` of a replay), so a history read from a
  log passes the same rules as one written through the application.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import attrs

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.lateness import ApologyIssued, BecameOverdue
from tthc_engine.domain.outcome import Resolved, ResultReturned, Stopped, Withdrawn
from tthc_engine.domain.receipt import Received, Refused, Submitted
from tthc_engine.domain.records import PlannedStep
from tthc_engine.domain.service import Digitised, FeedbackGiven, FeePaid
from tthc_engine.domain.steps import StepFinished, StepStarted
from tthc_engine.domain.values import Channel
from tthc_engine.domain.waiting import Paused, Resumed, SupplementReceived, SupplementRequested
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import TimeLimit, VietnamCalendar

if TYPE_CHECKING:
    from tthc_engine.domain.commands import DossierCommands

__all__ = ["Fact", "FactRules", "FactType", "apply_fact", "fact_of_event"]


class FactType(enum.Enum):
    """The type of a fact: the snake_case name of its event (DESIGN.md §6)."""

    SUBMITTED = "submitted"
    RECEIVED = "received"
    REFUSED = "refused"
    STEP_STARTED = "step_started"
    STEP_FINISHED = "step_finished"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_RECEIVED = "supplement_received"
    PAUSED = "paused"
    RESUMED = "resumed"
    RESOLVED = "resolved"
    RESULT_RETURNED = "result_returned"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    BECAME_OVERDUE = "became_overdue"
    APOLOGY_ISSUED = "apology_issued"
    FEEDBACK_GIVEN = "feedback_given"
    FEE_PAID = "fee_paid"
    DIGITISED = "digitised"

    @property
    def event_class(self) -> type[DossierEvent]:
        return _EVENTS[self]

    @property
    def opens(self) -> bool:
        """Whether a fact of this type may be the first of a dossier."""
        return self in (FactType.SUBMITTED, FactType.RECEIVED, FactType.REFUSED)


_EVENTS: dict[FactType, type[DossierEvent]] = {
    FactType.SUBMITTED: Submitted,
    FactType.RECEIVED: Received,
    FactType.REFUSED: Refused,
    FactType.STEP_STARTED: StepStarted,
    FactType.STEP_FINISHED: StepFinished,
    FactType.SUPPLEMENT_REQUESTED: SupplementRequested,
    FactType.SUPPLEMENT_RECEIVED: SupplementReceived,
    FactType.PAUSED: Paused,
    FactType.RESUMED: Resumed,
    FactType.RESOLVED: Resolved,
    FactType.RESULT_RETURNED: ResultReturned,
    FactType.WITHDRAWN: Withdrawn,
    FactType.STOPPED: Stopped,
    FactType.BECAME_OVERDUE: BecameOverdue,
    FactType.APOLOGY_ISSUED: ApologyIssued,
    FactType.FEEDBACK_GIVEN: FeedbackGiven,
    FactType.FEE_PAID: FeePaid,
    FactType.DIGITISED: Digitised,
}
_TYPE_OF_TOPIC: dict[str, FactType] = {cast(Any, c).TOPIC: t for t, c in _EVENTS.items()}


@attrs.frozen
class Fact:
    """One line of a dossier's history (DESIGN.md §6), with Python values in ``data``:
    aware datetimes for instants, texts and numbers as JSON gives them."""

    id: str
    dossier: str
    type: FactType
    at: datetime
    agency: str
    data: Mapping[str, Any] = attrs.field(factory=dict)
    actor: str | None = None


@attrs.frozen
class FactRules:
    """The settings a fact is carried out under (those of the application that wrote it)."""

    calendar: VietnamCalendar
    max_apologies: int = 1
    apology_lead_days: int = 1


# -- event → fact ---------------------------------------------------------------------------
def _process_data(process: list[dict[str, str]]) -> list[dict[str, str]]:
    return [dict(step) for step in process]


def fact_of_event(event: DossierEvent, code: str, fact_id: str) -> Fact:
    """A stored event of dossier ``code`` as a fact (derived values left out)."""
    kind = _TYPE_OF_TOPIC[cast(Any, type(event)).TOPIC]
    e: Any = event
    data: dict[str, Any]
    if kind is FactType.SUBMITTED:
        data = {"procedure": e.procedure, "channel": e.channel.value}
    elif kind is FactType.RECEIVED:
        # everything the receipt fixed, so that a replay with a catalog never fills in
        # another version's policies or process (DESIGN.md §6)
        data = {"procedure": e.procedure, "channel": e.channel.value, "limit": str(e.limit)}
        if e.procedure_name:
            data["procedure_name"] = e.procedure_name
        data["supplement_policy"] = e.supplement_policy.value
        data["excluded_pauses"] = list(e.excluded_pauses)
        data["process"] = _process_data(e.process)
    elif kind is FactType.REFUSED:
        data = {"procedure": e.procedure, "channel": e.channel.value, "reason": e.reason}
    elif kind is FactType.STEP_STARTED:
        data = {"step": e.step, "name": e.name, "allotted": str(e.allotted)}
    elif kind is FactType.STEP_FINISHED:
        data = {"step": e.step}
    elif kind is FactType.SUPPLEMENT_REQUESTED:
        data = {"reason": e.reason, "items": list(e.items)}
    elif kind is FactType.PAUSED:
        data = {"reason": e.reason.value}
    elif kind is FactType.RESOLVED:
        data = {"outcome": e.outcome}
    elif kind is FactType.RESULT_RETURNED:
        data = {"channel": e.channel.value}
    elif kind in (FactType.WITHDRAWN, FactType.STOPPED):
        data = {"reason": e.reason} if e.reason else {}
    elif kind is FactType.APOLOGY_ISSUED:
        data = {"new_due": e.new_due, "reason": e.reason}
    elif kind is FactType.FEEDBACK_GIVEN:
        data = {"rating": e.rating.value, "complaint": e.complaint}
        if e.comment:
            data["comment"] = e.comment
    elif kind is FactType.FEE_PAID:
        data = {"amount": e.amount, "online": e.online}
    elif kind is FactType.DIGITISED:
        data = {"components": e.components, "e_result": e.e_result, "reused": e.reused}
    else:  # supplement_received, resumed, became_overdue: the dues are derived
        data = {}
    return Fact(fact_id, code, kind, e.at, e.agency, data, e.actor)


# -- fact → command -------------------------------------------------------------------------
def _field(data: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """A data field as given (the command reads and checks it)."""
    return data.get(key, default)


def _plan(process: object) -> list[PlannedStep]:
    if process is None:
        return []
    if isinstance(process, str) or not isinstance(process, list):
        raise InvalidInputError("data.process: expected a list of steps")
    steps = []
    for index, step in enumerate(process):
        if not isinstance(step, Mapping):
            raise InvalidInputError(f"data.process[{index}]: expected a mapping")
        try:
            steps.append(PlannedStep.from_dict(dict(step)))
        except (KeyError, TypeError) as exc:
            raise InvalidInputError(f"data.process[{index}]: missing {exc}") from None
    return steps


def receipt_arguments(data: Mapping[str, Any]) -> dict[str, Any]:
    """What a ``received`` fact's data gives the receipt command (the catalog may add the
    rest: see the application's import)."""
    found: dict[str, Any] = {"procedure": data.get("procedure")}
    if "channel" in data:
        found["channel"] = data["channel"]
    if "limit" in data:
        found["limit"] = data["limit"]
    if "procedure_name" in data:
        found["procedure_name"] = data["procedure_name"]
    if "applicant" in data:
        found["applicant"] = data["applicant"]
    if "supplement_policy" in data:
        try:
            found["supplement_policy"] = SupplementPolicy(data["supplement_policy"])
        except ValueError:
            raise InvalidInputError(
                f"data.supplement_policy: {data['supplement_policy']!r:.40} is not pause or restart"
            ) from None
    if "excluded_pauses" in data:
        reasons = data["excluded_pauses"]
        if isinstance(reasons, str) or not isinstance(reasons, list):
            raise InvalidInputError("data.excluded_pauses: expected a list of pause reasons")
        try:
            found["excluded_pauses"] = [PauseReason(r) for r in reasons]
        except ValueError as exc:
            raise InvalidInputError(f"data.excluded_pauses: {exc}") from None
    if "process" in data:
        found["process"] = _plan(data["process"])
    return found


def apply_fact(
    dossier: DossierCommands | None,
    fact: Fact,
    rules: FactRules,
    opener: type[DossierCommands],
    defaults: Mapping[str, Any] | None = None,
) -> DossierCommands:
    """Carry ``fact`` out as its command on ``dossier`` (or open one of class ``opener``)
    and return the dossier. The fact's id is the command id, so a fact already applied
    changes nothing. ``defaults`` fill a receipt's missing fields (the catalog's limit,
    process and policies).

    Raises:
        BusinessRuleError / InvalidInputError: the history is impossible or a field is bad.
    """
    d = fact.data
    common: dict[str, Any] = {
        "at": fact.at,
        "agency": fact.agency,
        "actor": fact.actor,
        "command_id": fact.id,
    }
    kind = fact.type
    cal = rules.calendar
    if dossier is None:
        if not kind.opens:
            raise InvalidInputError(
                f"dossier {fact.dossier}: a {kind.value} before the dossier was submitted, "
                "received or refused"
            )
        if kind is FactType.SUBMITTED:
            return opener.submit(
                code=fact.dossier,
                procedure=_field(d, "procedure"),
                channel=_field(d, "channel", Channel.ONLINE),
                applicant=_field(d, "applicant"),
                **common,
            )
        if kind is FactType.REFUSED:
            return opener.refuse_at_counter(
                code=fact.dossier,
                procedure=_field(d, "procedure", ""),
                reason=_field(d, "reason"),
                channel=_field(d, "channel", Channel.COUNTER),
                **common,
            )
        fields = {**(defaults or {}), **receipt_arguments(d)}
        return opener.open_by_receipt(code=fact.dossier, calendar=cal, **fields, **common)
    if kind is FactType.SUBMITTED:
        raise InvalidInputError(f"dossier {fact.dossier}: submitted after it was opened")
    if kind is FactType.RECEIVED:
        fields = {**(defaults or {}), **receipt_arguments(d)}
        dossier.receive(code=fact.dossier, calendar=cal, **fields, **common)
    elif kind is FactType.REFUSED:
        dossier.refuse(reason=_field(d, "reason"), **common)
    elif kind is FactType.STEP_STARTED:
        allotted = _field(d, "allotted")
        dossier.start_step(
            step=_field(d, "step"),
            calendar=cal,
            allotted=TimeLimit.parse(allotted) if isinstance(allotted, str) else allotted,
            name=_field(d, "name"),
            **{k: v for k, v in common.items() if k != "agency"},
            agency=fact.agency,
        )
    elif kind is FactType.STEP_FINISHED:
        dossier.finish_step(step=_field(d, "step"), calendar=cal, **common)
    elif kind is FactType.SUPPLEMENT_REQUESTED:
        dossier.request_supplement(
            reason=_field(d, "reason"), items=_field(d, "items", ()), **common
        )
    elif kind is FactType.SUPPLEMENT_RECEIVED:
        dossier.receive_supplement(calendar=cal, **common)
    elif kind is FactType.PAUSED:
        dossier.pause(reason=_field(d, "reason"), **common)
    elif kind is FactType.RESUMED:
        dossier.resume(calendar=cal, **common)
    elif kind is FactType.RESOLVED:
        dossier.resolve(outcome=_field(d, "outcome", "approved"), calendar=cal, **common)
    elif kind is FactType.RESULT_RETURNED:
        dossier.return_result(channel=_field(d, "channel", Channel.COUNTER), **common)
    elif kind is FactType.WITHDRAWN:
        dossier.withdraw(reason=_field(d, "reason", ""), **common)
    elif kind is FactType.STOPPED:
        dossier.stop(reason=_field(d, "reason"), **common)
    elif kind is FactType.BECAME_OVERDUE:
        dossier.mark_overdue(at=fact.at, agency=fact.agency, calendar=cal, command_id=fact.id)
    elif kind is FactType.APOLOGY_ISSUED:
        dossier.issue_apology(
            new_due=_field(d, "new_due"),
            reason=_field(d, "reason"),
            calendar=cal,
            max_apologies=rules.max_apologies,
            lead_days=rules.apology_lead_days,
            **common,
        )
    elif kind is FactType.FEEDBACK_GIVEN:
        dossier.record_feedback(
            rating=_field(d, "rating"),
            comment=_field(d, "comment", ""),
            complaint=_field(d, "complaint", False),
            **common,
        )
    elif kind is FactType.FEE_PAID:
        dossier.record_payment(amount=_field(d, "amount"), online=_field(d, "online"), **common)
    elif kind is FactType.DIGITISED:
        dossier.record_digitisation(
            components=_field(d, "components", 1),
            e_result=_field(d, "e_result", False),
            reused=_field(d, "reused", False),
            **common,
        )
    return dossier
