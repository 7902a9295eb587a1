"""``OneStopShop``: the application a one-stop-shop system embeds.

One method per use case (:mod:`tthc_engine.application.use_cases`), each run in a unit of
work (:mod:`tthc_engine.application.unit_of_work`) that saves a command's events in one
transaction, records command ids, and translates storage conflicts. Business time is each
command's ``at``, or the injected ``clock`` when ``at`` is omitted. Persistence is chosen
by environment, the eventsourcing way:

* in memory: ``{"PERSISTENCE_MODULE": "eventsourcing.popo"}``;
* SQLite, the embedded default: ``{"PERSISTENCE_MODULE": "eventsourcing.sqlite",
  "SQLITE_DBNAME": "/path/to/tthc.sqlite"}`` (default file ``tthc.sqlite``);
* PostgreSQL: ``PERSISTENCE_MODULE=eventsourcing.postgres`` with ``POSTGRES_DBNAME``,
  ``POSTGRES_HOST``, ``POSTGRES_PORT``, ``POSTGRES_USER``, ``POSTGRES_PASSWORD``; the
  application writes through :mod:`tthc_engine.application.postgres`, whose inserts commit
  in notification-id order (followers never skip an event) and whose tables are created
  safely by processes starting together (decision 0008).

Dossiers hold personal data (Nghị định 13/2023/NĐ-CP): set ``CIPHER_KEY`` (create one with
``OneStopShop.create_cipher_key()``; needs ``pip install "tthc-engine[crypto]"``) and the
stored events are AES-GCM encrypted; ``COMPRESSOR_TOPIC=eventsourcing.compressor:ZlibCompressor``
compresses them. A store read without its key fails with :class:`EncryptedStoreError`.
"""

from __future__ import annotations

import binascii
import itertools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import Environment, EnvType, TopicError

from tthc_engine.application.codes import CodeSequence
from tthc_engine.application.errors import (
    DossierConflictError,
    DossierNotFoundError,
    EncryptedStoreError,
)
from tthc_engine.application.idempotency import AppliedCommand
from tthc_engine.application.persistence import prefer_ordered_postgres
from tthc_engine.application.transcodings import Transcoder as TthcTranscoder
from tthc_engine.application.transcodings import register_transcodings
from tthc_engine.application.unit_of_work import UnitOfWork
from tthc_engine.application.use_cases import Command, UseCases
from tthc_engine.application.watcher import DueIndex, DueItem
from tthc_engine.catalog import Catalog, Procedure
from tthc_engine.domain import (
    BusinessRuleError,
    Dossier,
    DossierCode,
    PlannedStep,
    Rule,
    dossier_id,
    inputs,
    slips,
)
from tthc_engine.errors import (
    CalendarRangeError,
    InvalidInputError,
    MissingExtraError,
    ProcedureNotInForceError,
)
from tthc_engine.worktime import (
    VN_TZ,
    Comparison,
    TimeLimit,
    VietnamCalendar,
    ensure_aware,
)

__all__ = ["Batch", "OneStopShop", "system_clock"]

Clock = Callable[[], datetime]

_jitter = random.Random()


def system_clock() -> datetime:
    """The wall clock in Vietnam; the default clock of the application (never the domain)."""
    return datetime.now(VN_TZ)


def _back_off(attempt: int) -> None:
    """Wait before retrying a lost race for a code: exponential, capped, with full jitter
    (so that writers that collided do not collide again in step)."""
    time.sleep(_jitter.uniform(0.0, min(0.25, 0.002 * 2**attempt)))


class _ExplainingMapper(Mapper[UUID]):
    """eventsourcing's mapper, saying why an encrypted store cannot be read."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        try:
            return super().to_domain_event(stored_event)
        except MapperDeserialisationError:
            where = f"stored event {stored_event.originator_id} v{stored_event.originator_version}"
            if self.cipher is None:
                message = (
                    f"{where} cannot be read: the store is encrypted (or damaged) and CIPHER_KEY "
                    "is not set; set the CIPHER_KEY the store was written with"
                )
            else:
                message = (
                    f"{where} cannot be read: CIPHER_KEY is not the key this store was written "
                    "with (or the store is not encrypted, or damaged)"
                )
            raise EncryptedStoreError(message) from None


class OneStopShop(UseCases, Application[UUID]):
    """The one-stop-shop application (Bộ phận Một cửa / Trung tâm Phục vụ hành chính công).

    Args:
        env: eventsourcing environment (persistence, cipher…); SQLite ``tthc.sqlite`` by
            default. Values in ``os.environ`` apply too, and ``env`` wins over them.
        catalog: the procedure catalog; procedures unknown to it, not in force on the
            receipt day, or received at an agency it does not list are refused.
        calendar: the working-day calendar (default ``VietnamCalendar()``).
        clock: returns "now" when a command omits ``at`` (default: the system clock).
        max_apologies: how many new appointments a dossier may get (ND 61/2018: once).
        apology_lead_days: how many working days before the due date an apology must come
            (default 1: on an earlier date; 0: any time before the due instant).
        timeliness_by: ``Comparison.DATE`` (QĐ 766, default) or ``Comparison.DATETIME``.
        future_tolerance: how far past the clock a command's ``at`` may lie (clock skew
            between the processes of one office); later business times are refused.
    """

    name = "OneStopShop"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {CodeSequence: 25}
    """A busy counter issues hundreds of codes a day: snapshot each day's sequence every
    25 numbers, so issuing the next one reads a snapshot and at most 24 events."""
    env: ClassVar[dict[str, str]] = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": "tthc.sqlite",
    }
    OPENING_ATTEMPTS: ClassVar[int] = 40
    """How often a command that issues a code retries after losing the number to another
    writer (with jittered back-off) before it reports the conflict."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        catalog: Catalog | None = None,
        calendar: VietnamCalendar | None = None,
        clock: Clock | None = None,
        max_apologies: int = 1,
        apology_lead_days: int = 1,
        timeliness_by: Comparison | str = Comparison.DATE,
        future_tolerance: timedelta = timedelta(minutes=10),
    ) -> None:
        if catalog is not None and not isinstance(catalog, Catalog):
            raise InvalidInputError(f"catalog: expected a Catalog, got {inputs.shown(catalog)}")
        if calendar is not None and not isinstance(calendar, VietnamCalendar):
            raise InvalidInputError(
                f"calendar: expected a VietnamCalendar, got {inputs.shown(calendar)}"
            )
        if clock is not None and not callable(clock):
            raise InvalidInputError(
                f"clock: expected a function returning the time, got {inputs.shown(clock)}"
            )
        self.catalog = catalog
        self.calendar = calendar or VietnamCalendar()
        self.clock: Clock = clock or system_clock
        self.max_apologies = inputs.whole_number(max_apologies, "max_apologies", maximum=100)
        self.apology_lead_days = inputs.whole_number(
            apology_lead_days, "apology_lead_days", maximum=60
        )
        self.timeliness_by = Comparison.parse(timeliness_by, "timeliness_by")
        if not isinstance(future_tolerance, timedelta) or future_tolerance < timedelta(0):
            raise InvalidInputError(
                f"future_tolerance: expected a timedelta ≥ 0, got {inputs.shown(future_tolerance)}"
            )
        self.future_tolerance = future_tolerance
        super().__init__(env)
        self.due_index = DueIndex(self)

    @staticmethod
    def create_cipher_key() -> str:
        """A new random AES-256 key for ``CIPHER_KEY`` (needs the ``crypto`` extra)."""
        try:
            from eventsourcing.cipher import AESCipher
        except ImportError:
            raise MissingExtraError("encrypting stored events", "crypto") from None
        return AESCipher.create_key(num_bytes=32)

    # -- eventsourcing hooks --------------------------------------------------------------
    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """eventsourcing's environment, with ``eventsourcing.postgres`` replaced by the
        ordered PostgreSQL recorders (:mod:`tthc_engine.application.postgres`, decision
        0008): notification ids become visible in id order, so followers never skip an
        event, and large batches commit."""
        return prefer_ordered_postgres(super().construct_env(name, env))

    def construct_transcoder(self) -> Transcoder:
        transcoder = TthcTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    def construct_mapper(self) -> Mapper[UUID]:
        """eventsourcing's mapper, with one-line errors for a missing ``crypto`` extra, a
        malformed ``CIPHER_KEY``, and a store read without its key."""
        try:
            mapper = super().construct_mapper()
        except (ImportError, TopicError) as exc:
            if self.env.get("CIPHER_KEY") and "Crypto" in str(exc):
                raise MissingExtraError("CIPHER_KEY (encrypted stored events)", "crypto") from None
            raise
        except (ValueError, binascii.Error):
            if self.env.get("CIPHER_KEY"):
                raise InvalidInputError(
                    "CIPHER_KEY: not a base64 AES key of 16, 24 or 32 bytes "
                    "(make one with OneStopShop.create_cipher_key())"
                ) from None
            raise
        return _ExplainingMapper(
            mapper.transcoder, compressor=mapper.compressor, cipher=mapper.cipher
        )

    # -- units of work --------------------------------------------------------------------
    @property
    def _shop(self) -> OneStopShop:
        return self

    def _run(self, command_id: str | None, run: Command, *, opening: str | None = None) -> Dossier:
        """Run a use case in a unit of work of its own and commit it.

        A command that opens a dossier under an issued code (``opening`` names it) records
        its command id with it, and retries (with jittered back-off) when another writer
        took the number."""
        cid = inputs.command_id(command_id)
        for attempt in itertools.count():
            uow = UnitOfWork(self)
            if opening is not None and cid is not None:
                done = uow.applied(cid)
                if done is not None:
                    return self._already_applied(uow, done, opening, cid)
            dossier = run(uow)
            if opening is not None and cid is not None:
                uow.add(AppliedCommand.record(cid, opening, dossier.code))
            try:
                uow.commit()
            except DossierConflictError:
                if opening is None or attempt + 1 >= self.OPENING_ATTEMPTS:
                    raise
                _back_off(attempt)
                continue
            return dossier
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _already_applied(
        uow: UnitOfWork, done: AppliedCommand, command: str, command_id: str
    ) -> Dossier:
        if done.command != command:
            raise InvalidInputError(
                f"command_id: {inputs.shown(command_id)} was already applied by {done.command} to "
                f"{done.dossier}; a command id names one command"
            )
        return uow.dossier(done.dossier)

    def _business_time(self, at: object, field: str = "at") -> datetime:
        """Business time of a command: ``at``, or the clock's now; refused when it lies past
        the clock plus :attr:`future_tolerance`, or outside the calendar's range."""
        when = ensure_aware(at, field) if at is not None else ensure_aware(self.clock(), "clock()")
        cal = self.calendar
        if not cal.first_day <= when.date() <= cal.last_day:
            raise CalendarRangeError(
                f"{field}: {when.date().isoformat()} is outside the calendar's data range "
                f"{cal.first_day.isoformat()}..{cal.last_day.isoformat()}"
            )
        if at is not None:
            now = ensure_aware(self.clock(), "clock()")
            if when > now + self.future_tolerance:
                raise InvalidInputError(
                    f"{field}: {when.isoformat()} is later than the application clock "
                    f"({now.isoformat()}) plus the tolerance of {self.future_tolerance}; "
                    "business time cannot be in the future"
                )
        return when

    def _procedure_on(self, code: str, when: datetime, agency: str) -> Procedure | None:
        """The catalog's version of procedure ``code`` in force at ``when``, after checking
        that the catalog lists ``agency``; None without a catalog."""
        if self.catalog is None:
            return None
        self._listed_agency(agency)
        procedure = inputs.text(code, "procedure", limit=inputs.MAX_ID)
        try:
            return self.catalog.in_force(procedure, when.date())
        except ProcedureNotInForceError as exc:
            raise BusinessRuleError(Rule.PROCEDURE_IN_FORCE, str(exc)) from None

    def _listed_agency(self, agency: object) -> str:
        """``agency``, once it is an agency code the catalog lists (any code without a
        catalog, or with one that lists no agencies)."""
        code = inputs.agency_code(agency)
        listed = self.catalog.agency_codes if self.catalog is not None else None
        if listed and code not in listed:
            assert self.catalog is not None
            raise BusinessRuleError(
                Rule.AGENCY_IN_CATALOG,
                f"agency {inputs.shown(code)} is not in the catalog of "
                f"{self.catalog.province.name if self.catalog.province else self.catalog.source}",
            )
        return code

    def _receipt_fields(
        self, procedure: str, when: datetime, agency: str, limit: TimeLimit | str | None
    ) -> dict[str, Any]:
        """What the catalog fixes at receipt (limit, process, policies), ``limit`` winning."""
        proc = self._procedure_on(procedure, when, agency)
        if proc is None:
            if limit is None:
                raise InvalidInputError(
                    f"limit: this application has no catalog to find procedure "
                    f"{inputs.shown(procedure)} in; pass catalog=... or give the limit"
                )
            return {"limit": limit}
        return {
            "procedure_name": proc.name,
            "limit": proc.limit if limit is None else limit,
            "supplement_policy": proc.supplement_policy,
            "excluded_pauses": proc.excluded_pauses,
            "process": self._plan(proc),
        }

    def _plan(self, procedure: Procedure) -> list[PlannedStep]:
        plan = []
        for step in procedure.steps:
            agency = step.agency_code
            if agency is None and self.catalog is not None:
                agency = self.catalog.agency_code(step.agency)
            plan.append(PlannedStep(step.key, step.name, agency or step.agency, step.allotted))
        return plan

    # -- commands outside the use cases -------------------------------------------------
    def next_code(self, agency: str, day: date | None = None) -> DossierCode:
        """Issue the next dossier code of ``agency`` for ``day`` (never the same twice).

        Concurrent writers race on the day's sequence; the loser retries. The agency must
        be one the catalog lists, and ``day`` a date in the calendar's range (the code
        writes it as ``yyMMdd``)."""
        if day is None:
            when = ensure_aware(self.clock(), "clock()").date()
        elif isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidInputError(
                f"day: expected a date, got {type(day).__name__} {inputs.shown(day)}"
            )
        else:
            when = day
        cal = self.calendar
        if not cal.first_day <= when <= cal.last_day:
            raise CalendarRangeError(
                f"day: {when.isoformat()} is outside the calendar's data range "
                f"{cal.first_day.isoformat()}..{cal.last_day.isoformat()}"
            )
        self._listed_agency(agency)
        for attempt in itertools.count():
            uow = UnitOfWork(self)
            code = uow.claim_code(agency, when)
            try:
                uow.commit()
            except DossierConflictError:
                if attempt + 1 >= self.OPENING_ATTEMPTS:
                    raise
                _back_off(attempt)
                continue
            return DossierCode.parse(code)
        raise AssertionError("unreachable")  # pragma: no cover

    def mark_overdue(self, code: str, *, at: datetime | None = None) -> bool:
        """Record that dossier ``code`` passed its legal due unresolved (``BecameOverdue``,
        once). Returns whether this call recorded it.

        An ``at`` a little before the dossier's last event (clock skew between processes,
        within :attr:`future_tolerance`) is moved up to that event."""
        when = self._business_time(at)
        marked = False

        def run(uow: UnitOfWork) -> Dossier:
            nonlocal marked
            dossier = uow.dossier(code)
            moment = when
            if dossier.last_at is not None and dossier.last_at > when:
                if dossier.last_at - when > self.future_tolerance:
                    raise InvalidInputError(
                        f"at: {when.isoformat()} is before {dossier.code}'s last event "
                        f"({dossier.last_at.isoformat()}) by more than the tolerance"
                    )
                moment = dossier.last_at
            marked = dossier.mark_overdue(at=moment, calendar=self.calendar, by=self.timeliness_by)
            return dossier

        self._run(None, run)
        return marked

    # -- queries --------------------------------------------------------------------------
    def dossier(self, code: str) -> Dossier:
        """The current state of dossier ``code`` (raises ``DossierNotFoundError``)."""
        parsed = str(DossierCode.parse(code))
        try:
            found: Dossier = self.repository.get(dossier_id(parsed))
        except AggregateNotFoundError:
            raise DossierNotFoundError(parsed) from None
        return found

    def procedure(self, code: str) -> Procedure:
        """The catalog's procedure ``code`` (raises ``UnknownProcedureError``)."""
        if self.catalog is None:
            raise InvalidInputError(
                f"procedure {inputs.shown(code)}: this application has no catalog"
            )
        return self.catalog.get(code)

    def receipt_slip(self, code: str) -> dict[str, Any]:
        """Data of Mẫu 01 (receipt and appointment)."""
        return slips.receipt_slip(self.dossier(code))

    def control_slip(self, code: str) -> dict[str, Any]:
        """Data of the process-control slip (one row per handoff)."""
        return slips.control_slip(self.dossier(code))

    def overdue(self, at: datetime | None = None) -> list[DueItem]:
        """Open dossiers past their legal due at ``at`` (a stopped clock is measured at its
        pause's start), oldest due first."""
        return self.due_index.overdue(self._business_time(at))

    def due_soon(self, at: datetime | None = None, within: int = 1) -> list[DueItem]:
        """Open dossiers due within ``within`` working days of ``at`` and not yet overdue."""
        days = inputs.whole_number(within, "within", maximum=366, unit="of working days")
        return self.due_index.due_soon(self._business_time(at), days)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Run many commands and save all their events in one transaction at the end.

        The bulk path for imports and simulations: a refused command leaves the batch as
        it was (its error propagates to the caller, who may go on); nothing is written if
        the block raises or the commit fails.
        """
        unit = Batch(self)
        yield unit
        unit.commit()


class Batch(UseCases):
    """Commands whose events are saved together by :meth:`commit` (one transaction).

    Each command is a savepoint of the batch's unit of work: a refused command changes
    nothing in the batch, and does not consume a code number."""

    def __init__(self, app: OneStopShop) -> None:
        self.app = app
        self._unit = UnitOfWork(app)

    @property
    def _shop(self) -> OneStopShop:
        return self.app

    def _run(self, command_id: str | None, run: Command, *, opening: str | None = None) -> Dossier:
        cid = inputs.command_id(command_id)
        if opening is not None and cid is not None:
            done = self._unit.applied(cid)
            if done is not None:
                return self.app._already_applied(self._unit, done, opening, cid)

        def step(uow: UnitOfWork) -> Dossier:
            dossier = run(uow)
            if opening is not None and cid is not None:
                uow.add(AppliedCommand.record(cid, opening, dossier.code))
            return dossier

        result: Dossier = self._unit.run(step)
        return result

    def dossier(self, code: str) -> Dossier:
        """Dossier ``code`` as this batch sees it (with its uncommitted events)."""
        return self._unit.dossier(code)

    def commit(self) -> None:
        """Save every pending event in one transaction (all or nothing)."""
        self._unit.commit()
