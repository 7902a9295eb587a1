"""The ``Dossier`` aggregate: a hồ sơ thủ tục hành chính as a stream of events.

Every fact is an event with its business time ``at`` (aware, UTC+7), the ``agency``
that acted, an optional ``actor`` and an optional ``command_id`` (a command whose id
was already applied changes nothing). Commands check the named business rules
(:mod:`tthc_engine.domain.rules`) before triggering anything, so a refused command
writes nothing. Dues are computed by the command (with the injected calendar) and
stored in the event, so replaying a stream never depends on today's calendar.

Three dues are kept:

* ``original_due`` — the appointment printed at receipt (Mẫu 01), never changed;
* ``legal_due`` — the due the indicators judge by: the original one moved only by
  legal pauses (a supplement under the pause policy, an excluded financial
  obligation…) or reset by a restart; an apology never moves it;
* ``current_due`` — the appointment the citizen holds now: the legal due, or the
  apology's new appointment (Mẫu 04), moved by the same legal pauses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar, cast

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import get_topic

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain.records import (
    ApologyRecord,
    FeedbackRecord,
    PauseKind,
    PauseRecord,
    PaymentRecord,
    PlannedStep,
    StepRecord,
)
from tthc_engine.domain.regime import Regime
from tthc_engine.domain.rules import BusinessRuleError, Rule
from tthc_engine.domain.state import DossierState
from tthc_engine.domain.values import Channel, DossierCode, Rating, Status
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import TimeLimit, Timeliness, VietnamCalendar, ensure_aware

__all__ = ["Dossier"]


def _text(value: object, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{field}: expected non-empty text, got {value!r}")
    return value.strip()


class _Opening:
    """An event that opens the dossier when it comes first, and follows otherwise.

    ``Received`` and ``Refused`` may come first (a counter receipt or refusal) or after
    ``Submitted`` (an online submission); one topic serves both.
    """

    def mutate(self, aggregate: Any) -> Any:
        if aggregate is None:
            return super().mutate(None)  # type: ignore[misc]
        return CanMutateAggregate.mutate(cast("CanMutateAggregate[Any]", self), aggregate)


class Dossier(DossierState, Aggregate):
    """A dossier (hồ sơ TTHC), identified by its code (see :class:`DossierCode`)."""

    TOPIC = "tthc:Dossier"

    # -- events ---------------------------------------------------------------------------
    class Event(Aggregate.Event):
        """Base of every dossier event: business time, acting agency, actor, command id."""

        at: datetime
        agency: str
        actor: str | None
        command_id: str | None

    class Created(Event, Aggregate.Created):
        TOPIC = "tthc:Dossier.Created"

    class Submitted(_Opening, Created):
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

    class Received(_Opening, Created):
        """Tiếp nhận hồ sơ (status 2), Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".

        Fixes the limit, the calendar version, the regime and the appointment
        ``original_due`` (ND 61/2018 Điều 17; ND 118/2025).
        """

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

    class Refused(_Opening, Created):
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

    class StepStarted(Event):
        """A unit or agency takes the dossier for one step of the internal process."""

        TOPIC = "tthc:Dossier.StepStarted"
        step: str
        name: str
        allotted: TimeLimit
        due_at: datetime

        def apply(self, d: Dossier) -> None:
            d.steps.append(
                StepRecord(self.step, self.name, self.agency, self.allotted, self.at, self.due_at)
            )
            d.holder = self.agency
            if d.status is Status.RECEIVED:
                d.status = Status.PROCESSING
            d._note(self)

    class StepFinished(Event):
        """The holding agency finishes its step; the control slip records its timeliness."""

        TOPIC = "tthc:Dossier.StepFinished"
        step: str
        timeliness: Timeliness

        def apply(self, d: Dossier) -> None:
            step = d.current_step
            assert step is not None
            step.finished_at, step.timeliness = self.at, self.timeliness
            d._note(self)

    class SupplementRequested(Event):
        """Yêu cầu bổ sung, hoàn thiện hồ sơ (status 5), Mẫu 02 (ND 61/2018 Điều 19)."""

        TOPIC = "tthc:Dossier.SupplementRequested"
        reason: str
        items: list[str]

        def apply(self, d: Dossier) -> None:
            d.pauses.append(PauseRecord(PauseKind.SUPPLEMENT, self.reason, self.at, True))
            d.supplement_requests += 1
            d.status_before_pause = d.status
            d.status = Status.SUPPLEMENT_REQUESTED
            d._note(self)

    class SupplementReceived(Event):
        """The applicant completed the dossier: dues moved (pause) or recomputed (restart)."""

        TOPIC = "tthc:Dossier.SupplementReceived"
        restarted: bool
        legal_due: datetime
        current_due: datetime
        step_due: datetime | None

        def apply(self, d: Dossier) -> None:
            d._end_pause(self)

    class Paused(Event):
        """Tạm dừng: e.g. thực hiện nghĩa vụ tài chính (status 6), niêm yết công khai.

        ``stops_clock`` is true only for a reason the procedure excludes from its limit;
        otherwise the pause is recorded and the clock keeps running.
        """

        TOPIC = "tthc:Dossier.Paused"
        reason: PauseReason
        stops_clock: bool

        def apply(self, d: Dossier) -> None:
            d.pauses.append(
                PauseRecord(PauseKind.PAUSE, self.reason.value, self.at, self.stops_clock)
            )
            d.status_before_pause = d.status
            if self.reason is PauseReason.FINANCIAL_OBLIGATION:
                d.status = Status.FINANCIAL_OBLIGATION
            d._note(self)

    class Resumed(Event):
        """The pause ended; for a clock-stopping pause, the dues moved by the pause."""

        TOPIC = "tthc:Dossier.Resumed"
        legal_due: datetime
        current_due: datetime
        step_due: datetime | None

        def apply(self, d: Dossier) -> None:
            d._end_pause(self)

    class Resolved(Event):
        """Đã xử lý xong (status 9): the result is ready; QĐ 766 measures timeliness here."""

        TOPIC = "tthc:Dossier.Resolved"
        outcome: str
        step_timeliness: Timeliness | None
        """The running step, finished by the resolution, judged against its share."""

        def apply(self, d: Dossier) -> None:
            d.status, d.resolved_at, d.outcome = Status.RESOLVED, self.at, self.outcome
            d.ended_at = self.at
            d._close_step(self.at)
            if self.step_timeliness is not None and d.steps:
                d.steps[-1].timeliness = self.step_timeliness
            d._note(self)

    class ResultReturned(Event):
        """Đã trả kết quả (status 10), at the counter, by post or online."""

        TOPIC = "tthc:Dossier.ResultReturned"
        channel: Channel

        def apply(self, d: Dossier) -> None:
            d.status, d.returned_at, d.return_channel = Status.RETURNED, self.at, self.channel
            d._note(self)

    class Withdrawn(Event):
        """Công dân yêu cầu rút hồ sơ (status 7)."""

        TOPIC = "tthc:Dossier.Withdrawn"
        reason: str

        def apply(self, d: Dossier) -> None:
            d._end(Status.WITHDRAWN, self, self.reason)

    class Stopped(Event):
        """Dừng xử lý (status 8); TT 03/2025 Mẫu 05 "Thông báo dừng giải quyết hồ sơ"."""

        TOPIC = "tthc:Dossier.Stopped"
        reason: str

        def apply(self, d: Dossier) -> None:
            d._end(Status.STOPPED, self, self.reason)

    class BecameOverdue(Event):
        """The legal due passed with the dossier unresolved (emitted by the deadline watcher)."""

        TOPIC = "tthc:Dossier.BecameOverdue"
        due_at: datetime

        def apply(self, d: Dossier) -> None:
            d.overdue_at = self.at
            d._note(self)

    class ApologyIssued(Event):
        """Mẫu 04: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (TT 01/2018) / "Văn bản xin
        lỗi và đề nghị gia hạn thời gian giải quyết" (TT 03/2025); ND 61/2018 Điều 19 khoản 3.
        The new appointment becomes ``current_due``; ``legal_due`` is kept for indicators."""

        TOPIC = "tthc:Dossier.ApologyIssued"
        new_due: datetime
        reason: str

        def apply(self, d: Dossier) -> None:
            previous = d.current_due
            assert previous is not None
            d.apologies.append(
                ApologyRecord(self.at, self.agency, previous, self.new_due, self.reason)
            )
            d.current_due = self.new_due
            d._note(self)

    class FeedbackGiven(Event):
        """Đánh giá mức độ hài lòng / phản ánh, kiến nghị (QĐ 766 chỉ số 5.4)."""

        TOPIC = "tthc:Dossier.FeedbackGiven"
        rating: Rating
        comment: str
        complaint: bool

        def apply(self, d: Dossier) -> None:
            d.feedback.append(FeedbackRecord(self.at, self.rating, self.comment, self.complaint))
            d._note(self)

    class FeePaid(Event):
        """Phí, lệ phí paid; ``online`` when through the portal's payment (QĐ 766 chỉ số 3.6)."""

        TOPIC = "tthc:Dossier.FeePaid"
        amount: int
        online: bool

        def apply(self, d: Dossier) -> None:
            d.payments.append(PaymentRecord(self.at, self.amount, self.online))
            d._note(self)

    class Digitised(Event):
        """Số hóa hồ sơ, kết quả (ND 107/2021; TT 01/2023; QĐ 766 chỉ số 4.1–4.3)."""

        TOPIC = "tthc:Dossier.Digitised"
        components: int
        e_result: bool
        reused: bool

        def apply(self, d: Dossier) -> None:
            d.digitised_components += self.components
            d.e_result = d.e_result or self.e_result
            d.reused_data = d.reused_data or self.reused
            d._note(self)

    # -- state (see DossierState for the derived readings) ------------------------------
    def __init__(self) -> None:
        self._init_state()

    # -- guards ---------------------------------------------------------------------------
    def _check(
        self,
        at: object,
        agency: object,
        actor: object,
        command_id: object,
        allowed: Iterable[Status],
        action: str,
        mismatch: Rule = Rule.PAUSE_STATE,
    ) -> datetime | None:
        """Common checks; returns the aware ``at``, or None for a repeated command.

        ``mismatch`` is the rule reported when an open dossier is in the wrong state."""
        when = self._admit(at, command_id, allowed, action, mismatch)
        if when is not None:
            _text(agency, "agency")
            _text(actor, "actor", optional=True)
        return when

    def _require_no_pause(self, action: str) -> None:
        pause = self.running_pause
        if pause is not None:
            raise BusinessRuleError(
                Rule.PAUSE_STATE,
                f"{self.code}: cannot {action}: paused for {pause.reason} since "
                f"{pause.started_at.isoformat()}",
            )

    def _admit(
        self,
        at: object,
        command_id: object,
        allowed: Iterable[Status],
        action: str,
        mismatch: Rule = Rule.PAUSE_STATE,
    ) -> datetime | None:
        """Command id, time and state checks (the acting agency is checked after)."""
        if command_id is not None and not isinstance(command_id, str):
            raise InvalidInputError(f"command_id: expected text, got {command_id!r}")
        if command_id is not None and command_id in self.command_ids:
            return None
        when = ensure_aware(at, "at")
        if self.status not in set(allowed):
            if not self.is_received and self.status is Status.SUBMITTED:
                raise BusinessRuleError(
                    Rule.NOTHING_BEFORE_RECEIPT, f"{self.code}: cannot {action} before receipt"
                )
            raise BusinessRuleError(
                Rule.CLOSED_DOSSIER
                if (self.status.is_terminal or self.status is Status.RESOLVED)
                else mismatch,
                f"{self.code}: cannot {action} while the dossier is "
                f"{self.status.name} ({self.status.value} {self.status.label_vi})",
            )
        if self.last_at is not None and when < self.last_at:
            raise BusinessRuleError(
                Rule.TIME_RUNS_FORWARD,
                f"{self.code}: at {when.isoformat()} is before the last event "
                f"({self.last_at.isoformat()})",
            )
        return when

    _ACTIVE: ClassVar[tuple[Status, ...]] = (Status.RECEIVED, Status.PROCESSING)
    _OPEN: ClassVar[tuple[Status, ...]] = (
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.FINANCIAL_OBLIGATION,
    )

    # -- creation -------------------------------------------------------------------------
    @classmethod
    def submit(
        cls,
        *,
        code: str,
        procedure: str,
        at: datetime,
        agency: str,
        channel: Channel = Channel.ONLINE,
        applicant: dict[str, str] | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Register an online submission (status 1); the clock does not start."""
        return cls._open(
            cls.Submitted,
            code=code,
            at=at,
            agency=agency,
            actor=actor,
            command_id=command_id,
            texts={"procedure": procedure},
            procedure=procedure,
            channel=Channel.parse(channel),
            applicant=_applicant(applicant),
        )

    @classmethod
    def _open(
        cls,
        event_class: type[Dossier.Created],
        *,
        code: str,
        at: datetime,
        agency: str,
        actor: str | None,
        command_id: str | None,
        texts: dict[str, str],
        **fields: Any,
    ) -> Dossier:
        """Open a dossier with ``event_class``: the code, time and agency are checked, then
        each of ``texts`` (field name → value) must be non-empty text."""
        parsed = DossierCode.parse(code)
        when = ensure_aware(at, "at")
        _text(agency, "agency")
        for field, value in texts.items():
            _text(value, field)
        return cls._create(
            event_class,
            id=parsed.id,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            code=str(parsed),
            timestamp=when,
            **fields,
        )

    @classmethod
    def open_by_receipt(cls, **kwargs: Any) -> Dossier:
        """Receive a dossier at the counter with no prior online submission."""
        fields = cls._receipt_fields(**kwargs)
        return cls._create(cls.Received, id=DossierCode.parse(fields["code"]).id, **fields)

    def receive(self, **kwargs: Any) -> bool:
        """Receive an online submission (status 1 → 2)."""
        if kwargs.get("command_id") and kwargs["command_id"] in self.command_ids:
            return False
        if self.is_received:
            raise BusinessRuleError(Rule.ALREADY_RECEIVED, f"{self.code} was received already")
        self._check(
            kwargs.get("at"),
            kwargs.get("agency"),
            kwargs.get("actor"),
            kwargs.get("command_id"),
            (Status.SUBMITTED,),
            "receive",
        )
        kwargs.setdefault("code", self.code)
        kwargs.setdefault("applicant", self.applicant)
        fields = self._receipt_fields(**kwargs)
        if fields["code"] != self.code:
            raise InvalidInputError(f"code: {fields['code']} is not this dossier ({self.code})")
        self.trigger_event(self.Received, originator_topic=get_topic(type(self)), **fields)
        return True

    @staticmethod
    def _receipt_fields(
        *,
        code: str,
        procedure: str,
        procedure_name: str = "",
        at: datetime,
        agency: str,
        limit: TimeLimit,
        calendar: VietnamCalendar,
        channel: Channel = Channel.COUNTER,
        applicant: dict[str, str] | None = None,
        supplement_policy: SupplementPolicy = SupplementPolicy.PAUSE,
        excluded_pauses: Iterable[PauseReason] = (),
        process: Sequence[PlannedStep] = (),
        actor: str | None = None,
        command_id: str | None = None,
    ) -> dict[str, Any]:
        parsed = DossierCode.parse(code)
        when = ensure_aware(at, "at")
        _text(agency, "agency")
        _text(procedure, "procedure")
        if not isinstance(limit, TimeLimit):
            raise InvalidInputError(f"limit: expected a TimeLimit, got {limit!r}")
        if not isinstance(calendar, VietnamCalendar):
            raise InvalidInputError(f"calendar: expected a VietnamCalendar, got {calendar!r}")
        deadline = calendar.due(when, limit)
        return {
            "at": when,
            "agency": agency,
            "actor": actor,
            "command_id": command_id,
            "code": str(parsed),
            "procedure": procedure,
            "procedure_name": procedure_name,
            "channel": Channel.parse(channel),
            "applicant": _applicant(applicant),
            "limit": limit,
            "regime": Regime.at(when.date()),
            "calendar_version": calendar.version,
            "supplement_policy": SupplementPolicy(supplement_policy),
            "excluded_pauses": sorted(PauseReason(r).value for r in excluded_pauses),
            "process": [s.as_dict() for s in process],
            "effective_start": deadline.effective_start,
            "original_due": deadline.due_at,
            "timestamp": when,
        }

    @classmethod
    def refuse_at_counter(
        cls,
        *,
        code: str,
        procedure: str,
        at: datetime,
        agency: str,
        reason: str,
        channel: Channel = Channel.COUNTER,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Refuse a dossier at the counter (Mẫu 03); it never enters processing."""
        return cls._open(
            cls.Refused,
            code=code,
            at=at,
            agency=agency,
            actor=actor,
            command_id=command_id,
            texts={"reason": reason},
            procedure=procedure,
            channel=Channel.parse(channel),
            reason=reason,
        )

    def refuse(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Refuse an online submission (status 1 → 3)."""
        when = self._check(at, agency, actor, command_id, (Status.SUBMITTED,), "refuse")
        if when is None:
            return False
        _text(reason, "reason")
        self.trigger_event(
            self.Refused,
            originator_topic=get_topic(type(self)),
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            code=self.code,
            procedure=self.procedure,
            channel=self.channel,
            reason=reason,
            timestamp=when,
        )
        return True

    # -- processing -----------------------------------------------------------------------
    def start_step(
        self,
        *,
        step: str,
        at: datetime,
        calendar: VietnamCalendar,
        agency: str | None = None,
        allotted: TimeLimit | None = None,
        name: str | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """A unit/agency takes the dossier for ``step``; the step's due comes from its share."""
        planned = next((s for s in self.process if s.key == step), None)
        agency = agency or (planned.agency if planned else None)
        when = self._admit(at, command_id, self._ACTIVE, "start a step")
        if when is None:
            return False
        _text(step, "step")
        if planned is None and allotted is None:
            known = ", ".join(s.key for s in self.process) or "none"
            raise BusinessRuleError(
                Rule.UNKNOWN_STEP, f"{self.code}: step {step!r} is not in the process ({known})"
            )
        _text(agency, "agency")
        _text(actor, "actor", optional=True)
        if allotted is not None and not isinstance(allotted, TimeLimit):
            raise InvalidInputError(f"allotted: expected a TimeLimit, got {allotted!r}")
        current = self.current_step
        if current is not None:
            raise BusinessRuleError(
                Rule.ONE_STEP_AT_A_TIME,
                f"{self.code}: step {current.key!r} held by {current.agency} is still in progress",
            )
        share = allotted or (planned.allotted if planned else None)
        assert share is not None
        due = calendar.due(when, share).due_at
        self.trigger_event(
            self.StepStarted,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            step=step,
            name=name or (planned.name if planned else step),
            allotted=share,
            due_at=due,
            timestamp=when,
        )
        return True

    def finish_step(
        self,
        *,
        at: datetime,
        agency: str,
        calendar: VietnamCalendar,
        step: str | None = None,
        by: str = "date",
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The agency holding the current step finishes it (early / on time / late)."""
        when = self._check(at, agency, actor, command_id, self._OPEN, "finish a step")
        if when is None:
            return False
        current = self.current_step
        if current is None:
            raise BusinessRuleError(Rule.STEP_IN_PROGRESS, f"{self.code}: no step in progress")
        if step is not None and step != current.key:
            raise BusinessRuleError(
                Rule.STEP_IN_PROGRESS,
                f"{self.code}: step {step!r} is not the one in progress ({current.key!r})",
            )
        if agency != current.agency:
            raise BusinessRuleError(
                Rule.STEP_HELD_BY_AGENCY,
                f"{self.code}: step {current.key!r} is held by {current.agency}, not {agency}",
            )
        verdict = calendar.classify(when, current.due_at, by)
        self.trigger_event(
            self.StepFinished,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            step=current.key,
            timeliness=verdict,
            timestamp=when,
        )
        return True

    def request_supplement(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str,
        items: Sequence[str] = (),
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Ask the applicant for a supplement (Mẫu 02); the clock waits.

        A second request is recorded and flagged: QĐ 766 chỉ số 2.1 counts the dossier late.
        """
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            self._ACTIVE,
            "request a supplement",
            Rule.SUPPLEMENT_PENDING,
        )
        if when is None:
            return False
        self._require_no_pause("request a supplement")
        _text(reason, "reason")
        self.trigger_event(
            self.SupplementRequested,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=reason,
            items=[str(i) for i in items],
            timestamp=when,
        )
        return True

    def receive_supplement(
        self,
        *,
        at: datetime,
        agency: str,
        calendar: VietnamCalendar,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The completed dossier is back. Under ``pause`` the consumed working time is kept
        and the remainder runs from now; under ``restart`` the full limit runs again."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            (Status.SUPPLEMENT_REQUESTED,),
            "receive a supplement",
            Rule.SUPPLEMENT_PENDING,
        )
        if when is None:
            return False
        pause = self.running_pause
        assert pause is not None
        assert self.limit is not None
        assert self.legal_due is not None
        assert self.current_due is not None
        step = self.current_step
        if self.supplement_policy is SupplementPolicy.RESTART:
            legal = calendar.due(when, self.limit).due_at
            current = max(legal, self.current_due) if self.apologies else legal
            step_due = calendar.due(when, step.allotted).due_at if step else None
        else:
            legal = calendar.extend_by_pause(self.legal_due, pause.started_at, when)
            current = calendar.extend_by_pause(self.current_due, pause.started_at, when)
            step_due = (
                calendar.extend_by_pause(step.due_at, pause.started_at, when) if step else None
            )
        self.trigger_event(
            self.SupplementReceived,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            restarted=self.supplement_policy is SupplementPolicy.RESTART,
            legal_due=legal,
            current_due=current,
            step_due=step_due,
            timestamp=when,
        )
        return True

    def pause(
        self,
        *,
        at: datetime,
        agency: str,
        reason: PauseReason | str,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Pause for ``reason``; the clock stops only if the procedure excludes that reason
        ("không tính thời gian …" on the procedure sheet), otherwise it keeps running."""
        when = self._check(at, agency, actor, command_id, self._ACTIVE, "pause")
        if when is None:
            return False
        self._require_no_pause("pause")
        try:
            why = PauseReason(reason)
        except ValueError:
            choices = ", ".join(r.value for r in PauseReason)
            raise InvalidInputError(
                f"reason: {reason!r} is not a pause reason ({choices})"
            ) from None
        self.trigger_event(
            self.Paused,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=why,
            stops_clock=why in self.excluded_pauses,
            timestamp=when,
        )
        return True

    def resume(
        self,
        *,
        at: datetime,
        agency: str,
        calendar: VietnamCalendar,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """End the running pause; a clock-stopping pause moves every due by its working time."""
        if command_id is not None and command_id in self.command_ids:
            return False
        pause = self.running_pause
        if pause is None or pause.kind is not PauseKind.PAUSE:
            self._check(at, agency, actor, None, (), "resume")
        when = self._check(at, agency, actor, command_id, self._OPEN, "resume")
        if when is None:  # pragma: no cover - handled above
            return False
        assert pause is not None
        assert self.legal_due is not None
        assert self.current_due is not None
        step = self.current_step
        if pause.stops_clock:
            legal = calendar.extend_by_pause(self.legal_due, pause.started_at, when)
            current = calendar.extend_by_pause(self.current_due, pause.started_at, when)
            step_due = (
                calendar.extend_by_pause(step.due_at, pause.started_at, when) if step else None
            )
        else:
            legal, current = self.legal_due, self.current_due
            step_due = step.due_at if step else None
        self.trigger_event(
            self.Resumed,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            legal_due=legal,
            current_due=current,
            step_due=step_due,
            timestamp=when,
        )
        return True

    def resolve(
        self,
        *,
        at: datetime,
        agency: str,
        outcome: str = "approved",
        calendar: VietnamCalendar | None = None,
        by: str = "date",
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The result is ready (status 9). With a ``calendar``, a step still in progress is
        finished by the resolution and judged on the control slip."""
        when = self._check(at, agency, actor, command_id, self._ACTIVE, "resolve")
        if when is None:
            return False
        _text(outcome, "outcome")
        step = self.current_step
        verdict = calendar.classify(when, step.due_at, by) if step and calendar else None
        self.trigger_event(
            self.Resolved,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            outcome=outcome,
            step_timeliness=verdict,
            timestamp=when,
        )
        return True

    def return_result(
        self,
        *,
        at: datetime,
        agency: str,
        channel: Channel = Channel.COUNTER,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Hand the result over (status 10); only after resolution."""
        if (command_id is None or command_id not in self.command_ids) and self.status in self._OPEN:
            raise BusinessRuleError(
                Rule.RESULT_NEEDS_RESOLUTION,
                f"{self.code} is not resolved (status {self.status.value})",
            )
        when = self._check(at, agency, actor, command_id, (Status.RESOLVED,), "return a result")
        if when is None:
            return False
        self.trigger_event(
            self.ResultReturned,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            channel=Channel.parse(channel),
            timestamp=when,
        )
        return True

    def withdraw(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str = "",
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The applicant withdraws the dossier (status 7)."""
        when = self._check(
            at, agency, actor, command_id, (Status.SUBMITTED, *self._OPEN), "withdraw"
        )
        if when is None:
            return False
        self.trigger_event(
            self.Withdrawn,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=reason or "",
            timestamp=when,
        )
        return True

    def stop(
        self,
        *,
        at: datetime,
        agency: str,
        reason: str,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Stop processing (status 8; TT 03/2025 Mẫu 05)."""
        when = self._check(at, agency, actor, command_id, self._OPEN, "stop")
        if when is None:
            return False
        _text(reason, "reason")
        self.trigger_event(
            self.Stopped,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            reason=reason,
            timestamp=when,
        )
        return True

    def mark_overdue(
        self,
        *,
        at: datetime,
        agency: str | None = None,
        by: str = "date",
        command_id: str | None = None,
    ) -> bool:
        """Record, once, that the legal due passed unresolved (the deadline watcher's event).

        Past due means a later date than the due (QĐ 766 compares dates), or a later
        instant with ``by="datetime"``; a clock stopped by a pause has no due to pass."""
        if self.overdue_at is not None or not self.is_open or self.legal_due is None:
            return False
        holder = agency or self.holder
        when = self._check(at, holder, None, command_id, self._OPEN, "mark overdue")
        if when is None:
            return False
        due = self.legal_due
        passed = when.date() > due.date() if by == "date" else when > due
        if not passed or self.clock_stopped:
            raise BusinessRuleError(
                Rule.OVERDUE_AFTER_DUE,
                f"{self.code}: at {when.isoformat()} the legal due {due.isoformat()} has not "
                + ("passed (the clock is stopped by a pause)" if passed else "passed"),
            )
        self.trigger_event(
            self.BecameOverdue,
            at=when,
            agency=holder,
            actor=None,
            command_id=command_id,
            due_at=self.legal_due,
            timestamp=when,
        )
        return True

    def issue_apology(
        self,
        *,
        at: datetime,
        agency: str,
        new_due: datetime,
        reason: str,
        max_apologies: int = 1,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """The agency holding the late step apologises and sets a new appointment (Mẫu 04),
        before the due, at most ``max_apologies`` times (ND 61/2018 Điều 19 khoản 3)."""
        when = self._check(at, agency, actor, command_id, self._OPEN, "issue an apology")
        if when is None:
            return False
        _text(reason, "reason")
        new = ensure_aware(new_due, "new_due")
        assert self.current_due is not None
        if agency != self.holder:
            raise BusinessRuleError(
                Rule.APOLOGY_BY_HOLDER, f"{self.code} is held by {self.holder}, not {agency}"
            )
        if len(self.apologies) >= max_apologies:
            raise BusinessRuleError(
                Rule.APOLOGY_LIMIT, f"{self.code} already has {len(self.apologies)} apology(ies)"
            )
        if when > self.current_due:
            raise BusinessRuleError(
                Rule.APOLOGY_BEFORE_DUE,
                f"{self.code}: apology at {when.isoformat()} is after the due "
                f"{self.current_due.isoformat()}",
            )
        if new <= self.current_due:
            raise BusinessRuleError(
                Rule.APOLOGY_LATER_DATE,
                f"{self.code}: new appointment {new.isoformat()} is not after "
                f"{self.current_due.isoformat()}",
            )
        self.trigger_event(
            self.ApologyIssued,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            new_due=new,
            reason=reason,
            timestamp=when,
        )
        return True

    _AFTER_RESOLUTION: ClassVar[tuple[Status, ...]] = (*_OPEN, Status.RESOLVED)
    _ANY_RECEIVED: ClassVar[tuple[Status, ...]] = (
        *_OPEN,
        Status.RESOLVED,
        Status.RETURNED,
        Status.WITHDRAWN,
        Status.STOPPED,
        Status.REFUSED,
    )

    def record_feedback(
        self,
        *,
        at: datetime,
        agency: str,
        rating: Rating,
        comment: str = "",
        complaint: bool = False,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """A rating or complaint (QĐ 766 chỉ số 5.4); allowed after any state but submission."""
        when = self._check(at, agency, actor, command_id, self._ANY_RECEIVED, "record feedback")
        if when is None:
            return False
        if not isinstance(complaint, bool):
            raise InvalidInputError(f"complaint: expected true/false, got {complaint!r}")
        self.trigger_event(
            self.FeedbackGiven,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            rating=Rating.parse(rating),
            comment=comment or "",
            complaint=complaint,
            timestamp=when,
        )
        return True

    def record_payment(
        self,
        *,
        at: datetime,
        agency: str,
        amount: int,
        online: bool,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """A fee payment (phí, lệ phí); online when paid through the portal."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            (*self._AFTER_RESOLUTION, Status.RETURNED),
            "record a payment",
        )
        if when is None:
            return False
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise InvalidInputError(f"amount: expected a whole number of đồng ≥ 0, got {amount!r}")
        if not isinstance(online, bool):
            raise InvalidInputError(f"online: expected true/false, got {online!r}")
        self.trigger_event(
            self.FeePaid,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            amount=amount,
            online=online,
            timestamp=when,
        )
        return True

    def record_digitisation(
        self,
        *,
        at: datetime,
        agency: str,
        components: int = 1,
        e_result: bool = False,
        reused: bool = False,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> bool:
        """Components digitised, an electronic result issued, or data reused."""
        when = self._check(
            at,
            agency,
            actor,
            command_id,
            (*self._AFTER_RESOLUTION, Status.RETURNED),
            "record digitisation",
        )
        if when is None:
            return False
        if isinstance(components, bool) or not isinstance(components, int) or components < 0:
            raise InvalidInputError(f"components: expected a whole number ≥ 0, got {components!r}")
        self.trigger_event(
            self.Digitised,
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            components=components,
            e_result=bool(e_result),
            reused=bool(reused),
            timestamp=when,
        )
        return True


def _applicant(applicant: object) -> dict[str, str] | None:
    if applicant is None:
        return None
    if not isinstance(applicant, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in applicant.items()
    ):
        raise InvalidInputError(f"applicant: expected a mapping of text fields, got {applicant!r}")
    return dict(applicant)
