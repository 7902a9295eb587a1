"""Receipt (tiếp nhận): online submission, receipt with its appointment, refusal.

* ``Submitted`` — status 1 "Mới đăng ký": an online dossier waits for an officer; the
  clock does not start (DOMAIN.md §1.5).
* ``Received`` — status 2, Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả": fixes the
  limit, the calendar version, the regime and the appointment ``original_due``
  (ND 61/2018 Điều 17; ND 118/2025).
* ``Refused`` — status 3, Mẫu 03 "Phiếu từ chối tiếp nhận giải quyết hồ sơ".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

from eventsourcing.utils import get_topic

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import inputs
from tthc_engine.domain.event import DossierCreated, Opening
from tthc_engine.domain.guards import DossierGuards
from tthc_engine.domain.records import PlannedStep
from tthc_engine.domain.regime import Regime
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.values import Channel, DossierCode, Status
from tthc_engine.errors import CalendarRangeError, InvalidInputError
from tthc_engine.worktime import LimitUnit, TimeLimit, VietnamCalendar, ensure_aware

if TYPE_CHECKING:
    from tthc_engine.domain.dossier import Dossier

__all__ = ["ReceiptCommands", "Received", "Refused", "Submitted"]


class Submitted(Opening, DossierCreated):
    """Nộp hồ sơ trực tuyến (status 1 "Mới đăng ký"): the clock does not start yet."""

    TOPIC = "tthc:Dossier.Submitted"
    code: str
    procedure: str
    channel: Channel
    applicant: dict[str, str] | None

    def apply(self, d: Dossier) -> None:
        d.code, d.procedure, d.channel = self.code, self.procedure, self.channel
        d.applicant = self.applicant
        d.submitted_at = self.at
        d.status = Status.SUBMITTED
        d.holder = self.agency
        d._note(self)


class Received(Opening, DossierCreated):
    """Tiếp nhận hồ sơ (status 2), Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"."""

    TOPIC = "tthc:Dossier.Received"
    code: str
    procedure: str
    procedure_name: str
    channel: Channel
    applicant: dict[str, str] | None
    limit: TimeLimit
    regime: Regime
    calendar_version: str
    supplement_policy: SupplementPolicy
    excluded_pauses: list[str]
    process: list[dict[str, str]]
    effective_start: datetime
    original_due: datetime

    def apply(self, d: Dossier) -> None:
        d.code, d.procedure, d.channel = self.code, self.procedure, self.channel
        d.procedure_name = self.procedure_name
        if self.applicant is not None:
            d.applicant = self.applicant
        d.limit, d.regime = self.limit, self.regime
        d.calendar_version = self.calendar_version
        d.supplement_policy = self.supplement_policy
        d.excluded_pauses = [PauseReason(r) for r in self.excluded_pauses]
        d.process = [PlannedStep.from_dict(s) for s in self.process]
        d.received_at, d.effective_start = self.at, self.effective_start
        d.original_due = d.legal_due = d.current_due = self.original_due
        d.status = Status.RECEIVED
        d.holder = d.receiving_agency = self.agency
        d._note(self)


class Refused(Opening, DossierCreated):
    """Từ chối tiếp nhận (status 3), Mẫu 03 "Phiếu từ chối tiếp nhận giải quyết hồ sơ"."""

    TOPIC = "tthc:Dossier.Refused"
    code: str
    procedure: str
    channel: Channel
    reason: str

    def apply(self, d: Dossier) -> None:
        d.code, d.procedure, d.channel = self.code, self.procedure, self.channel
        d.status = Status.REFUSED
        d.ended_at, d.outcome = self.at, self.reason
        d.holder = self.agency
        d._note(self)


def _limit(limit: object) -> TimeLimit:
    """The legal limit of a dossier: a :class:`TimeLimit` of more than zero."""
    if isinstance(limit, str):
        limit = TimeLimit.parse(limit)
    if not isinstance(limit, TimeLimit):
        raise InvalidInputError(f"limit: expected a TimeLimit, got {inputs.shown(limit)}")
    if limit.unit is not LimitUnit.SAME_DAY and limit.amount <= 0:
        raise InvalidInputError(
            f"limit: a legal time limit must be more than zero, got '{limit}' "
            "(a procedure with an immediate result has the limit 'trong ngày')"
        )
    return limit


def _process(process: object) -> list[dict[str, str]]:
    if isinstance(process, str) or not isinstance(process, Iterable):
        raise InvalidInputError(
            f"process: expected a list of PlannedStep, got {inputs.shown(process)}"
        )
    steps = list(process)
    if not all(isinstance(s, PlannedStep) for s in steps):
        raise InvalidInputError("process: expected a list of PlannedStep")
    return [s.as_dict() for s in steps]


class ReceiptCommands(DossierGuards):
    """Opening a dossier: submit online, receive (with its appointment), refuse."""

    if TYPE_CHECKING:

        @classmethod
        def _create(cls, event_class: type[Any], **kwargs: Any) -> Self: ...

    @classmethod
    def submit(
        cls,
        *,
        code: str,
        procedure: str,
        at: datetime,
        agency: str,
        channel: Channel | str = Channel.ONLINE,
        applicant: dict[str, str] | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Self:
        """Register an online submission (status 1); the clock does not start."""
        return cls._open(
            Submitted,
            code=code,
            at=at,
            agency=agency,
            actor=actor,
            command_id=command_id,
            procedure=inputs.text(procedure, "procedure", limit=inputs.MAX_ID),
            channel=Channel.parse(channel),
            applicant=inputs.applicant(applicant),
        )

    @classmethod
    def refuse_at_counter(
        cls,
        *,
        code: str,
        procedure: str,
        at: datetime,
        agency: str,
        reason: str,
        channel: Channel | str = Channel.COUNTER,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Self:
        """Refuse a dossier at the counter (Mẫu 03); it never enters processing."""
        return cls._open(
            Refused,
            code=code,
            at=at,
            agency=agency,
            actor=actor,
            command_id=command_id,
            procedure=inputs.text(procedure, "procedure", limit=inputs.MAX_ID, optional=True),
            channel=Channel.parse(channel),
            reason=inputs.text(reason, "reason"),
        )

    @classmethod
    def _open(
        cls,
        event_class: type[DossierCreated],
        *,
        code: str,
        at: datetime,
        agency: str,
        actor: str | None,
        command_id: str | None,
        **fields: Any,
    ) -> Self:
        """Open a dossier with ``event_class`` once its code, time and agency are checked."""
        parsed = DossierCode.parse(code)
        when = ensure_aware(at, "at")
        return cls._create(
            event_class,
            id=parsed.id,
            at=when,
            agency=inputs.agency_code(agency),
            actor=inputs.optional_text(actor, "actor"),
            command_id=inputs.command_id(command_id),
            code=str(parsed),
            timestamp=when,
            **fields,
        )

    @classmethod
    def open_by_receipt(cls, **fields: Any) -> Self:
        """Receive a dossier at the counter with no prior online submission (the fields of
        :meth:`receive`, plus its ``code``)."""
        event = cls._receipt_fields(**fields)
        return cls._create(Received, id=DossierCode.parse(event["code"]).id, **event)

    def receive(self, **fields: Any) -> bool:
        """Receive an online submission (status 1 → 2); see :meth:`_receipt_fields`."""
        cid = inputs.command_id(fields.get("command_id"))
        if self.was_applied(cid, Received):
            return False
        if self.is_received:
            raise BusinessRuleError(Rule.ALREADY_RECEIVED, f"{self.code} was received already")
        self._check(
            fields.get("at"),
            fields.get("agency"),
            fields.get("actor"),
            cid,
            (Status.SUBMITTED,),
            "receive",
            records=(Received,),
        )
        fields.setdefault("code", self.code)
        fields.setdefault("applicant", self.applicant)
        event = self._receipt_fields(**fields)
        if event["code"] != self.code:
            raise InvalidInputError(f"code: {event['code']} is not this dossier ({self.code})")
        self.trigger_event(Received, originator_topic=get_topic(type(self)), **event)
        return True

    @staticmethod
    def _receipt_fields(
        *,
        code: str,
        procedure: str,
        at: datetime,
        agency: str,
        limit: TimeLimit | str,
        calendar: VietnamCalendar,
        procedure_name: str = "",
        channel: Channel | str = Channel.COUNTER,
        applicant: dict[str, str] | None = None,
        supplement_policy: SupplementPolicy = SupplementPolicy.PAUSE,
        excluded_pauses: Iterable[PauseReason] = (),
        process: Sequence[PlannedStep] = (),
        actor: str | None = None,
        command_id: str | None = None,
    ) -> dict[str, Any]:
        """Check every field of a receipt and compute its appointment (the ``Received``
        event's fields); nothing is triggered here."""
        parsed = DossierCode.parse(code)
        when = ensure_aware(at, "at")
        if not isinstance(calendar, VietnamCalendar):
            raise InvalidInputError(f"calendar: expected a VietnamCalendar, got {calendar!r:.60}")
        legal_limit = _limit(limit)
        try:
            policy = SupplementPolicy(supplement_policy)
            excluded = sorted(PauseReason(r).value for r in excluded_pauses)
        except (ValueError, TypeError) as exc:
            raise InvalidInputError(f"supplement_policy/excluded_pauses: {exc}") from None
        fields = {
            "at": when,
            "agency": inputs.agency_code(agency),
            "actor": inputs.optional_text(actor, "actor"),
            "command_id": inputs.command_id(command_id),
            "code": str(parsed),
            "procedure": inputs.text(procedure, "procedure", limit=inputs.MAX_ID),
            "procedure_name": inputs.text(procedure_name, "procedure_name", optional=True),
            "channel": Channel.parse(channel),
            "applicant": inputs.applicant(applicant),
            "limit": legal_limit,
            "regime": Regime.at(when.date()),
            "calendar_version": calendar.version,
            "supplement_policy": policy,
            "excluded_pauses": excluded,
            "process": _process(process),
            "timestamp": when,
        }
        try:
            deadline = calendar.due(when, legal_limit)
        except CalendarRangeError as exc:
            raise CalendarRangeError(f"limit: {legal_limit}: {exc}") from None
        fields["effective_start"] = deadline.effective_start
        fields["original_due"] = deadline.due_at
        return fields

    def refuse(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Refuse an online submission (status 1 → 3), Mẫu 03."""
        when = self._check(
            at, agency, actor, command_id, (Status.SUBMITTED,), "refuse", records=(Refused,)
        )
        if when is None:
            return False
        self.trigger_event(
            Refused,
            originator_topic=get_topic(type(self)),
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            code=self.code,
            procedure=self.procedure,
            channel=self.channel,
            reason=inputs.text(reason, "reason"),
            timestamp=when,
        )
        return True
