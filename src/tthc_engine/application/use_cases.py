"""The use cases of the one-stop shop, each written once over a unit of work.

:class:`UseCases` is shared by :class:`~tthc_engine.application.OneStopShop` (each call is
a unit of work of its own, committed at once) and :class:`~tthc_engine.application.Batch`
(each call is a savepoint of the batch's unit, committed at the end). A use case turns its
arguments into a domain command on the dossier; business time is the command's ``at``, or
the application's injected clock when ``at`` is omitted, and is refused when it lies
beyond that clock plus a tolerance or before the calendar's range.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tthc_engine.application.unit_of_work import UnitOfWork
from tthc_engine.catalog import PauseReason
from tthc_engine.domain import BusinessRuleError, Channel, Dossier, Rating, Rule, Status
from tthc_engine.worktime import TimeLimit

if TYPE_CHECKING:
    from tthc_engine.application.app import OneStopShop

__all__ = ["UseCases"]

Command = Callable[[UnitOfWork], Dossier]


class UseCases:
    """One method per use case of the one-stop shop (Bộ phận Một cửa)."""

    @property
    def _shop(self) -> OneStopShop:
        raise NotImplementedError

    def _run(self, command_id: str | None, run: Command, *, opening: str | None = None) -> Dossier:
        """Run ``run`` in a unit of work. ``opening``: the name of a command that opens a
        dossier under a code the application issues; its command id is recorded with that
        name, so a retry returns the same dossier and another command reusing the id is
        refused."""
        raise NotImplementedError

    def _change(
        self, code: str, command_id: str | None, act: Callable[[Dossier], object]
    ) -> Dossier:
        return self._run(command_id, lambda uow: uow.change(code, act))

    # -- receipt ------------------------------------------------------------------------
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
        """Register an online submission (status 1 "Mới đăng ký"); the clock waits for receipt.

        With no ``code``, the agency's next code for the day is issued."""
        shop = self._shop
        when = shop._business_time(at)

        def run(uow: UnitOfWork) -> Dossier:
            shop._procedure_on(procedure, when, agency)
            if code is not None:
                existing = uow.find(code)
                if existing is not None:
                    if existing.was_applied(command_id, Dossier.Submitted):
                        return existing
                    raise BusinessRuleError(
                        Rule.ALREADY_RECEIVED, f"{existing.code} exists already"
                    )
            dossier = Dossier.submit(
                code=code if code is not None else uow.claim_code(agency, when.date()),
                procedure=procedure,
                at=when,
                agency=agency,
                applicant=applicant,
                actor=actor,
                command_id=command_id,
            )
            uow.add(dossier)
            return dossier

        return self._run(command_id, run, opening="submit" if code is None else None)

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

        The procedure comes from the catalog, in the version in force on the receipt day
        (its limit, process, supplement policy and excluded pauses), and the receiving
        ``agency`` must be one the catalog lists; ``limit`` overrides the catalog's limit
        and is required without a catalog. With no ``code``, the agency's next code for
        the receipt day is issued; a ``code`` that an online submission opened is received.
        """
        shop = self._shop
        when = shop._business_time(at)

        def run(uow: UnitOfWork) -> Dossier:
            fields = shop._receipt_fields(procedure, when, agency, limit)
            common = {
                "procedure": procedure,
                "at": when,
                "agency": agency,
                "channel": channel,
                "actor": actor,
                "command_id": command_id,
                "calendar": shop.calendar,
                **fields,
            }
            existing = uow.find(code) if code is not None else None
            if existing is None:
                dossier = Dossier.open_by_receipt(
                    code=code if code is not None else uow.claim_code(agency, when.date()),
                    applicant=applicant,
                    **common,
                )
                uow.add(dossier)
                return dossier
            if existing.was_applied(command_id, Dossier.Received):
                return existing
            if existing.status is not Status.SUBMITTED:
                raise BusinessRuleError(
                    Rule.ALREADY_RECEIVED, f"{existing.code} was received already"
                )
            existing.receive(applicant=applicant or existing.applicant, **common)
            return existing

        return self._run(command_id, run, opening="receive" if code is None else None)

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
        """Refuse at receipt (Mẫu 03): an online submission (``code``), or a dossier at the
        counter (a new code is issued when none is given)."""
        shop = self._shop
        when = shop._business_time(at)

        def run(uow: UnitOfWork) -> Dossier:
            existing = uow.find(code) if code is not None else None
            if existing is not None:
                existing.refuse(
                    at=when, agency=agency, reason=reason, actor=actor, command_id=command_id
                )
                return existing
            if procedure:
                shop._procedure_on(procedure, when, agency)
            else:
                shop._listed_agency(agency)
            dossier = Dossier.refuse_at_counter(
                code=code if code is not None else uow.claim_code(agency, when.date()),
                procedure=procedure,
                at=when,
                agency=agency,
                reason=reason,
                actor=actor,
                command_id=command_id,
            )
            uow.add(dossier)
            return dossier

        return self._run(command_id, run, opening="refuse" if code is None else None)

    # -- processing ---------------------------------------------------------------------
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
        """An agency takes the dossier for ``step``; its due comes from its share."""
        shop = self._shop
        when = shop._business_time(at)
        share = TimeLimit.parse(allotted) if isinstance(allotted, str) else allotted
        return self._change(
            code,
            command_id,
            lambda d: d.start_step(
                step=step,
                at=when,
                calendar=shop.calendar,
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
        """The holding agency finishes its step (early / on time / late by working time)."""
        shop = self._shop
        when = shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.finish_step(
                at=when,
                agency=agency,
                calendar=shop.calendar,
                step=step,
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
        """Hand the dossier over: the current step (held by ``agency``) finishes and the next
        one of the process (or ``to_step``) starts, in one change, or not at all."""
        shop = self._shop
        when = shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.forward(
                at=when,
                agency=agency,
                calendar=shop.calendar,
                to_step=to_step,
                to_agency=to_agency,
                actor=actor,
                command_id=command_id,
            ),
        )

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
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
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
        shop = self._shop
        when = shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.receive_supplement(
                at=when, agency=agency, calendar=shop.calendar, actor=actor, command_id=command_id
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
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
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
        shop = self._shop
        when = shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.resume(
                at=when, agency=agency, calendar=shop.calendar, actor=actor, command_id=command_id
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
        """The result is ready (status 9), declared by the agency handling the dossier."""
        shop = self._shop
        when = shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.resolve(
                at=when,
                agency=agency,
                outcome=outcome,
                calendar=shop.calendar,
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
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.return_result(
                at=when, agency=agency, channel=channel, actor=actor, command_id=command_id
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
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
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
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
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
        """Apology and new appointment (Mẫu 04) by the agency handling the dossier or one
        whose step overran, before the due date (``OneStopShop(apology_lead_days=...)``)."""
        shop = self._shop
        when = shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.issue_apology(
                at=when,
                agency=agency,
                new_due=new_due,
                reason=reason,
                calendar=shop.calendar,
                max_apologies=shop.max_apologies,
                lead_days=shop.apology_lead_days,
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
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
            lambda d: d.record_feedback(
                at=when,
                agency=agency,
                rating=rating,
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
        """A fee payment in đồng (online through the portal, or at the counter)."""
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
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
        when = self._shop._business_time(at)
        return self._change(
            code,
            command_id,
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
