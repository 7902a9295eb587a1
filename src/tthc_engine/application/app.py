"""``OneStopShop``: the application a one-stop-shop system embeds.

One method per use case (receive, start_step/forward, finish_step, request_supplement,
receive_supplement, pause, resume, resolve, return_result, refuse, withdraw, stop,
issue_apology, record_feedback, record_payment, record_digitisation). Business time is
each command's ``at``, or the injected ``clock`` when ``at`` is omitted. Persistence is
chosen by environment, the eventsourcing way:

* in memory: ``{"PERSISTENCE_MODULE": "eventsourcing.popo"}``;
* SQLite, the embedded default: ``{"PERSISTENCE_MODULE": "eventsourcing.sqlite",
  "SQLITE_DBNAME": "/path/to/tthc.sqlite"}`` (default file ``tthc.sqlite``);
* PostgreSQL: ``PERSISTENCE_MODULE=eventsourcing.postgres`` with ``POSTGRES_DBNAME``,
  ``POSTGRES_HOST``, ``POSTGRES_PORT``, ``POSTGRES_USER``, ``POSTGRES_PASSWORD``.

Dossiers hold personal data (Nghị định 13/2023/NĐ-CP): set ``CIPHER_KEY`` (create one with
``OneStopShop.create_cipher_key()``) and the stored events are AES-GCM encrypted;
``COMPRESSOR_TOPIC=eventsourcing.compressor:ZlibCompressor`` compresses them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoder

from tthc_engine.application.codes import CodeSequence, sequence_id
from tthc_engine.application.errors import DossierConflictError, DossierNotFoundError
from tthc_engine.application.transcodings import Transcoder as TthcTranscoder
from tthc_engine.application.transcodings import register_transcodings
from tthc_engine.application.watcher import DueIndex, DueItem
from tthc_engine.catalog import Catalog, PauseReason, Procedure
from tthc_engine.domain import (
    BusinessRuleError,
    Channel,
    Dossier,
    DossierCode,
    PlannedStep,
    Rating,
    Rule,
    Status,
    dossier_id,
)
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import VN_TZ, TimeLimit, VietnamCalendar, ensure_aware

__all__ = ["Batch", "OneStopShop", "system_clock"]

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The wall clock in Vietnam; the default clock of the application (never the domain)."""
    return datetime.now(VN_TZ)


class _UseCases:
    """The use cases, written once over a load/store pair (the app saves at once, a batch
    saves everything in one transaction at the end)."""

    catalog: Catalog | None
    calendar: VietnamCalendar
    clock: Clock
    max_apologies: int
    timeliness_by: str

    def _load(self, code: str) -> Dossier | None:
        raise NotImplementedError

    def _store(self, *aggregates: Any) -> None:
        raise NotImplementedError

    def _next_code(self, agency: str, day: date) -> tuple[DossierCode, CodeSequence]:
        raise NotImplementedError

    # -- helpers ----------------------------------------------------------------------
    def _now(self, at: datetime | None) -> datetime:
        return ensure_aware(self.clock() if at is None else at, "at")

    def _get(self, code: str) -> Dossier:
        parsed = str(DossierCode.parse(code))
        dossier = self._load(parsed)
        if dossier is None:
            raise DossierNotFoundError(parsed)
        return dossier

    def _apply(self, code: str, command: Callable[[Dossier], bool]) -> Dossier:
        dossier = self._get(code)
        if command(dossier):
            self._store(dossier)
        return dossier

    def dossier(self, code: str) -> Dossier:
        """The current state of dossier ``code`` (raises ``DossierNotFoundError``)."""
        return self._get(code)

    def _claim(
        self, code: str | None, agency: str, when: datetime
    ) -> tuple[str, CodeSequence | None, Dossier | None]:
        """The code a new dossier opens under: ``code``, or the agency's next free number for
        the day (with the sequence to save alongside, advanced past numbers already taken,
        e.g. by dossiers received under explicit codes); and the dossier already stored
        under a given ``code``. If another writer issues the same number meanwhile, saving
        the sequence fails and the caller retries (:class:`DossierConflictError`)."""
        if code is None:
            parsed, sequence = self._next_code(agency, when.date())
            while self._exists(str(parsed)):
                parsed = sequence.issue()
            return str(parsed), sequence, None
        code = str(DossierCode.parse(code))
        return code, None, self._load(code)

    def _exists(self, code: str) -> bool:
        return self._load(code) is not None

    def procedure(self, code: str) -> Procedure:
        """The catalog's procedure ``code`` (raises ``UnknownProcedureError``)."""
        if self.catalog is None:
            raise InvalidInputError(
                f"procedure {code!r}: this application has no catalog; pass catalog=... or "
                "give the limit explicitly"
            )
        return self.catalog.get(code)

    def _plan(self, procedure: Procedure) -> list[PlannedStep]:
        plan = []
        for step in procedure.steps:
            agency = step.agency_code
            if agency is None and self.catalog is not None:
                agency = self.catalog.agency_code(step.agency)
            plan.append(PlannedStep(step.key, step.name, agency or step.agency, step.allotted))
        return plan

    # -- receipt ----------------------------------------------------------------------
    def submit(
        self,
        procedure: str,
        *,
        agency: str,
        at: datetime | None = None,
        code: str | None = None,
        applicant: dict[str, str] | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Register an online submission (status 1 "Mới đăng ký"); the clock waits for receipt."""
        when = self._now(at)
        if self.catalog is not None:
            self.procedure(procedure)
        code, sequence, existing = self._claim(code, agency, when)
        if existing is not None:
            if command_id and command_id in existing.command_ids:
                return existing
            raise BusinessRuleError(Rule.ALREADY_RECEIVED, f"{code} exists already")
        dossier = Dossier.submit(
            code=code,
            procedure=procedure,
            at=when,
            agency=agency,
            applicant=applicant,
            actor=actor,
            command_id=command_id,
        )
        self._store(*(a for a in (sequence, dossier) if a is not None))
        return dossier

    def receive(
        self,
        procedure: str,
        *,
        agency: str,
        at: datetime | None = None,
        code: str | None = None,
        channel: Channel | str = Channel.COUNTER,
        applicant: dict[str, str] | None = None,
        limit: TimeLimit | str | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Receive a dossier (status 2) and fix its appointment (Mẫu 01).

        The procedure comes from the catalog (its limit, process, supplement policy and
        excluded pauses); ``limit`` overrides the catalog's, and is required without one.
        With no ``code``, the next code of ``agency`` for the receipt day is issued.
        """
        when = self._now(at)
        fields: dict[str, Any] = {}
        if self.catalog is not None or limit is None:
            proc = self.procedure(procedure)
            fields.update(
                procedure_name=proc.name,
                limit=proc.limit,
                supplement_policy=proc.supplement_policy,
                excluded_pauses=proc.excluded_pauses,
                process=self._plan(proc),
            )
        if limit is not None:
            fields["limit"] = TimeLimit.parse(limit) if isinstance(limit, str) else limit
        channel = Channel.parse(channel)
        code, sequence, existing = self._claim(code, agency, when)
        common = dict(
            at=when,
            agency=agency,
            actor=actor,
            command_id=command_id,
            calendar=self.calendar,
            **fields,
        )
        if existing is not None:
            if command_id and command_id in existing.command_ids:
                return existing
            if existing.status is not Status.SUBMITTED:
                raise BusinessRuleError(Rule.ALREADY_RECEIVED, f"{code} was received already")
            existing.receive(
                procedure=procedure,
                channel=channel,
                applicant=applicant or existing.applicant,
                **common,
            )
            dossier = existing
        else:
            dossier = Dossier.open_by_receipt(
                code=code, procedure=procedure, channel=channel, applicant=applicant, **common
            )
        self._store(*(a for a in (sequence, dossier) if a is not None))
        return dossier

    def refuse(
        self,
        code: str | None = None,
        *,
        agency: str,
        reason: str,
        procedure: str = "",
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Refuse at receipt (Mẫu 03): an online submission, or a dossier at the counter."""
        when = self._now(at)
        code, sequence, existing = self._claim(code, agency, when)
        if existing is not None:
            if existing.refuse(
                at=when, agency=agency, reason=reason, actor=actor, command_id=command_id
            ):
                self._store(existing)
            return existing
        if self.catalog is not None and procedure:
            self.procedure(procedure)
        dossier = Dossier.refuse_at_counter(
            code=code,
            procedure=procedure,
            at=when,
            agency=agency,
            reason=reason,
            actor=actor,
            command_id=command_id,
        )
        self._store(*(a for a in (sequence, dossier) if a is not None))
        return dossier

    # -- processing -------------------------------------------------------------------
    def start_step(
        self,
        code: str,
        step: str,
        *,
        at: datetime | None = None,
        agency: str | None = None,
        allotted: TimeLimit | str | None = None,
        name: str | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """A unit/agency takes the dossier for ``step``; its due comes from its share."""
        when = self._now(at)
        share = TimeLimit.parse(allotted) if isinstance(allotted, str) else allotted
        return self._apply(
            code,
            lambda d: d.start_step(
                step=step,
                at=when,
                calendar=self.calendar,
                agency=agency,
                allotted=share,
                name=name,
                actor=actor,
                command_id=command_id,
            ),
        )

    def finish_step(
        self,
        code: str,
        *,
        agency: str,
        at: datetime | None = None,
        step: str | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """The holding agency finishes its step (early / on time / late on the control slip)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.finish_step(
                at=when,
                agency=agency,
                calendar=self.calendar,
                step=step,
                by=self.timeliness_by,
                actor=actor,
                command_id=command_id,
            ),
        )

    def forward(
        self,
        code: str,
        *,
        agency: str,
        to_step: str | None = None,
        to_agency: str | None = None,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Hand the dossier over: finish the current step (held by ``agency``) and start the
        next one of the process (or ``to_step``), in one change."""
        when = self._now(at)
        dossier = self._get(code)
        if command_id and command_id in dossier.command_ids:
            return dossier
        current = dossier.current_step
        target = to_step
        if target is None:
            keys = [s.key for s in dossier.process]
            done = {s.key for s in dossier.steps}
            if current is not None and current.key in keys:
                after = keys[keys.index(current.key) + 1 :]
                target = after[0] if after else None
            else:
                target = next((k for k in keys if k not in done), None)
            if target is None:
                raise BusinessRuleError(
                    Rule.UNKNOWN_STEP, f"{dossier.code}: no next step in the process"
                )
        if current is not None:
            dossier.finish_step(
                at=when,
                agency=agency,
                calendar=self.calendar,
                by=self.timeliness_by,
                actor=actor,
                command_id=f"{command_id}/finish" if command_id else None,
            )
        dossier.start_step(
            step=target,
            at=when,
            calendar=self.calendar,
            agency=to_agency,
            actor=actor,
            command_id=command_id,
        )
        self._store(dossier)
        return dossier

    def request_supplement(
        self,
        code: str,
        *,
        agency: str,
        reason: str,
        items: Sequence[str] = (),
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Ask for a supplement (Mẫu 02); more than one request is flagged (QĐ 766)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.request_supplement(
                at=when,
                agency=agency,
                reason=reason,
                items=items,
                actor=actor,
                command_id=command_id,
            ),
        )

    def receive_supplement(
        self,
        code: str,
        *,
        agency: str,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """The completed dossier is back: dues move (pause) or restart (restart policy)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.receive_supplement(
                at=when, agency=agency, calendar=self.calendar, actor=actor, command_id=command_id
            ),
        )

    def pause(
        self,
        code: str,
        *,
        agency: str,
        reason: PauseReason | str,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Pause (financial obligation, public posting…); the clock stops only for reasons
        the procedure excludes."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.pause(
                at=when, agency=agency, reason=reason, actor=actor, command_id=command_id
            ),
        )

    def resume(
        self,
        code: str,
        *,
        agency: str,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """End the running pause."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.resume(
                at=when, agency=agency, calendar=self.calendar, actor=actor, command_id=command_id
            ),
        )

    def resolve(
        self,
        code: str,
        *,
        agency: str,
        outcome: str = "approved",
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """The result is ready (status 9)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.resolve(
                at=when,
                agency=agency,
                outcome=outcome,
                calendar=self.calendar,
                by=self.timeliness_by,
                actor=actor,
                command_id=command_id,
            ),
        )

    def return_result(
        self,
        code: str,
        *,
        agency: str,
        channel: Channel | str = Channel.COUNTER,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Hand the result over (status 10)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.return_result(
                at=when,
                agency=agency,
                channel=Channel.parse(channel),
                actor=actor,
                command_id=command_id,
            ),
        )

    def withdraw(
        self,
        code: str,
        *,
        agency: str,
        reason: str = "",
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """The applicant withdraws the dossier (status 7)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.withdraw(
                at=when, agency=agency, reason=reason, actor=actor, command_id=command_id
            ),
        )

    def stop(
        self,
        code: str,
        *,
        agency: str,
        reason: str,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Stop processing (status 8)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.stop(
                at=when, agency=agency, reason=reason, actor=actor, command_id=command_id
            ),
        )

    def issue_apology(
        self,
        code: str,
        *,
        agency: str,
        new_due: datetime,
        reason: str,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Apology and new appointment by the agency holding the late step (Mẫu 04)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.issue_apology(
                at=when,
                agency=agency,
                new_due=new_due,
                reason=reason,
                max_apologies=self.max_apologies,
                actor=actor,
                command_id=command_id,
            ),
        )

    def record_feedback(
        self,
        code: str,
        *,
        agency: str,
        rating: Rating | str,
        comment: str = "",
        complaint: bool = False,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """A citizen's rating or complaint."""
        when = self._now(at)
        rated = Rating.parse(rating)
        return self._apply(
            code,
            lambda d: d.record_feedback(
                at=when,
                agency=agency,
                rating=rated,
                comment=comment,
                complaint=complaint,
                actor=actor,
                command_id=command_id,
            ),
        )

    def record_payment(
        self,
        code: str,
        *,
        agency: str,
        amount: int,
        online: bool,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """A fee payment (online through the portal, or at the counter)."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.record_payment(
                at=when,
                agency=agency,
                amount=amount,
                online=online,
                actor=actor,
                command_id=command_id,
            ),
        )

    def record_digitisation(
        self,
        code: str,
        *,
        agency: str,
        components: int = 1,
        e_result: bool = False,
        reused: bool = False,
        at: datetime | None = None,
        actor: str | None = None,
        command_id: str | None = None,
    ) -> Dossier:
        """Components digitised / an electronic result issued / data reused."""
        when = self._now(at)
        return self._apply(
            code,
            lambda d: d.record_digitisation(
                at=when,
                agency=agency,
                components=components,
                e_result=e_result,
                reused=reused,
                actor=actor,
                command_id=command_id,
            ),
        )


class OneStopShop(_UseCases, Application[UUID]):
    """The one-stop-shop application (Bộ phận Một cửa / Trung tâm Phục vụ hành chính công).

    Args:
        env: eventsourcing environment (persistence, cipher…); SQLite ``tthc.sqlite`` by
            default. Values in ``os.environ`` apply too, and ``env`` wins over them.
        catalog: the procedure catalog; procedures unknown to it are refused.
        calendar: the working-day calendar (default ``VietnamCalendar()``).
        clock: returns "now" when a command omits ``at`` (default: the system clock).
        max_apologies: how many new appointments a dossier may get (ND 61/2018: once).
        timeliness_by: ``"date"`` (QĐ 766, default) or ``"datetime"``.
    """

    name = "OneStopShop"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {CodeSequence: 25}
    """A busy counter issues hundreds of codes a day: snapshot each day's sequence every
    25 numbers, so issuing the next one reads a snapshot and at most 24 events."""
    env: ClassVar[dict[str, str]] = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": "tthc.sqlite",
        # PostgreSQL: insert through eventsourcing's database function rather than a
        # pipelined statement; a pipelined insert of a large batch (~10k events, several
        # MB in one array parameter) never returned here (client in Pipeline.sync, server
        # in ClientRead), with both the pure-Python and the binary psycopg.
        "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
    }

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        catalog: Catalog | None = None,
        calendar: VietnamCalendar | None = None,
        clock: Clock | None = None,
        max_apologies: int = 1,
        timeliness_by: str = "date",
    ) -> None:
        self.catalog = catalog
        self.calendar = calendar or VietnamCalendar()
        self.clock = clock or system_clock
        self.max_apologies = max_apologies
        if timeliness_by not in ("date", "datetime"):
            raise InvalidInputError(
                f"timeliness_by: expected 'date' or 'datetime', got {timeliness_by!r}"
            )
        self.timeliness_by = timeliness_by
        super().__init__(env)
        self.due_index = DueIndex(self)

    @staticmethod
    def create_cipher_key() -> str:
        """A new random AES-256 key for ``CIPHER_KEY``."""
        return AESCipher.create_key(num_bytes=32)

    def construct_transcoder(self) -> Transcoder:
        transcoder = TthcTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # -- persistence hooks ------------------------------------------------------------
    def _load(self, code: str) -> Dossier | None:
        try:
            dossier: Dossier = self.repository.get(dossier_id(code))
        except AggregateNotFoundError:
            return None
        return dossier

    def _store(self, *aggregates: Any) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError:
            code = next((a.code for a in aggregates if isinstance(a, Dossier)), "?")
            raise DossierConflictError(code) from None

    def _exists(self, code: str) -> bool:
        """Whether a dossier is stored under ``code`` (one indexed read, no replay)."""
        return bool(self.recorder.select_events(dossier_id(code), limit=1))

    def _next_code(self, agency: str, day: date) -> tuple[DossierCode, CodeSequence]:
        try:
            sequence: CodeSequence = self.repository.get(sequence_id(agency, day))
        except AggregateNotFoundError:
            sequence = CodeSequence.start(agency, day)
        return sequence.issue(), sequence

    def next_code(self, agency: str, day: date | None = None) -> DossierCode:
        """Issue the next dossier code of ``agency`` for ``day`` (never the same twice).

        Concurrent writers race on the sequence's version; the loser retries."""
        when = day or self.clock().date()
        for _ in range(100):
            code, sequence = self._next_code(agency, when)
            try:
                self.save(sequence)
            except IntegrityError:
                continue
            return code
        raise DossierConflictError(f"{agency}-{when:%y%m%d}-????")  # pragma: no cover

    def _retrying(self, command: Callable[[], Dossier]) -> Dossier:
        """Run a command that issues a code, again when another writer took the number."""
        for _ in range(100):
            try:
                return command()
            except DossierConflictError:
                continue
        raise DossierConflictError("<generated code>")  # pragma: no cover

    def receive(self, procedure: str, **kwargs: Any) -> Dossier:
        """Receive a dossier (status 2); a lost race for a generated code is retried."""
        if kwargs.get("code") is not None:
            return super().receive(procedure, **kwargs)
        return self._retrying(lambda: super(OneStopShop, self).receive(procedure, **kwargs))

    def refuse(self, code: str | None = None, **kwargs: Any) -> Dossier:
        """Refuse at receipt (Mẫu 03); a lost race for a generated code is retried."""
        if code is not None:
            return super().refuse(code, **kwargs)
        return self._retrying(lambda: super(OneStopShop, self).refuse(None, **kwargs))

    def submit(self, procedure: str, **kwargs: Any) -> Dossier:
        """Register an online submission; a lost race for a generated code is retried."""
        if kwargs.get("code") is not None:
            return super().submit(procedure, **kwargs)
        return self._retrying(lambda: super(OneStopShop, self).submit(procedure, **kwargs))

    # -- queries ----------------------------------------------------------------------
    def receipt_slip(self, code: str) -> dict[str, Any]:
        """Data of Mẫu 01 (receipt and appointment)."""
        return self._get(code).receipt_slip()

    def control_slip(self, code: str) -> dict[str, Any]:
        """Data of the process-control slip (one row per handoff)."""
        return self._get(code).control_slip()

    def overdue(self, at: datetime | None = None) -> list[DueItem]:
        """Open dossiers past their legal due at ``at`` (clock running), oldest due first."""
        return self.due_index.overdue(self._now(at))

    def due_soon(self, at: datetime | None = None, within: int = 1) -> list[DueItem]:
        """Open dossiers due within ``within`` working days of ``at`` and not yet overdue."""
        return self.due_index.due_soon(self._now(at), within)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Run many commands and save all their events in one transaction at the end.

        The bulk path for imports and simulations: nothing is written if a command fails.
        """
        unit = Batch(self)
        yield unit
        unit.commit()


class Batch(_UseCases):
    """Commands whose events are saved together by :meth:`commit` (one transaction)."""

    def __init__(self, app: OneStopShop) -> None:
        self.app = app
        self.catalog = app.catalog
        self.calendar = app.calendar
        self.clock = app.clock
        self.max_apologies = app.max_apologies
        self.timeliness_by = app.timeliness_by
        self._dossiers: dict[str, Dossier] = {}
        self._sequences: dict[tuple[str, date], CodeSequence] = {}
        self._pending: dict[int, Any] = {}

    def _load(self, code: str) -> Dossier | None:
        if code in self._dossiers:
            return self._dossiers[code]
        found = self.app._load(code)
        if found is not None:
            self._dossiers[code] = found
        return found

    def _store(self, *aggregates: Any) -> None:
        for aggregate in aggregates:
            if isinstance(aggregate, Dossier):
                self._dossiers[aggregate.code] = aggregate
            self._pending[id(aggregate)] = aggregate

    def _next_code(self, agency: str, day: date) -> tuple[DossierCode, CodeSequence]:
        key = (agency, day)
        sequence = self._sequences.get(key)
        if sequence is None:
            code, sequence = self.app._next_code(agency, day)
            self._sequences[key] = sequence
            return code, sequence
        return sequence.issue(), sequence

    def _exists(self, code: str) -> bool:
        return code in self._dossiers or self.app._exists(code)

    def commit(self) -> None:
        """Save every pending event in one transaction (all or nothing)."""
        if not self._pending:
            return
        pending = list(self._pending.values())
        self._pending.clear()
        try:
            self.app.save(*pending)
        except IntegrityError:
            code = next((a.code for a in pending if isinstance(a, Dossier)), "?")
            raise DossierConflictError(code) from None
