"""Scenarios that read like the regulations: receive, hand over, let working days pass,
and expect what the one-stop rules say.

    def test_a_slow_land_office_owes_the_apology(tthc_scenario):
        s = tthc_scenario
        dossier = s.receive("1.013831", at="2025-03-03 09:00")     # Mẫu 01, due 17/03 09:00
        dossier.hand_to("receiving_unit").hand_to("land_registration_office")
        s.advance(working_days=11)                                  # one working day past due
        dossier.expect_late(working_days=1, apology_owed_by="land_registration_office")
        dossier.expect_slip(("receive", "receiving_unit", "early"),
                            ("check", "land_registration_office", None))
        s.expect_report(received=1, overdue=1)

Agencies are named by their catalog role (``land_registration_office``) or their code
(``000.22.10.H41``). Every action happens at the scenario clock's *now* and goes through
the application's use cases, so it passes — or breaks, with the named rule — exactly as
in production. Expectations raise ``AssertionError`` with what was found; the report is
the one ``tthc replay`` computes (:class:`~tthc_engine.projections.ReportFold` over the
store's facts), never a figure recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Self

from tthc_engine.application import OneStopShop
from tthc_engine.catalog import PauseReason
from tthc_engine.domain import Channel, Dossier, Rating, Status, judgements
from tthc_engine.domain.facts import FactRules
from tthc_engine.interchange.exporter import facts_of_store
from tthc_engine.projections import Period, Report, ReportFold
from tthc_engine.testing.clock import BusinessClock, instant
from tthc_engine.worktime import Timeliness, VietnamCalendar

__all__ = ["Case", "Scenario"]


class Scenario:
    """A one-stop shop and its business clock, driven step by step (see the module
    docstring). ``app`` must read ``clock`` for "now"."""

    def __init__(self, app: OneStopShop, clock: BusinessClock) -> None:
        self.app = app
        self.clock = clock

    @property
    def calendar(self) -> VietnamCalendar:
        return self.app.calendar

    @property
    def now(self) -> datetime:
        return self.clock.now

    # -- time -------------------------------------------------------------------------------
    def at(self, when: datetime | date | str) -> Self:
        """Move the clock to ``when``."""
        self.clock.set(when)
        return self

    def advance(
        self, *, working_days: int = 0, working_hours: float = 0, working_minutes: float = 0
    ) -> Self:
        """Let working days, hours or minutes pass (see :meth:`BusinessClock.advance`)."""
        self.clock.advance(
            working_days=working_days,
            working_hours=working_hours,
            working_minutes=working_minutes,
        )
        return self

    def agency(self, role_or_code: str) -> str:
        """The agency code of a catalog role (or the code itself)."""
        catalog = self.app.catalog
        code = catalog.agency_code(role_or_code) if catalog is not None else None
        if code is None:
            raise AssertionError(f"{role_or_code!r} is neither a role of the catalog nor a code")
        return code

    def _first_agency(self, procedure: str) -> str:
        catalog = self.app.catalog
        if catalog is None:
            raise AssertionError("give the receiving agency: the application has no catalog")
        version = catalog.in_force(procedure, self.now.date())
        if version.steps:
            step = version.steps[0]
            return step.agency_code or self.agency(step.agency)
        return self.agency("receiving_unit")

    # -- opening a dossier ----------------------------------------------------------------
    def receive(
        self,
        procedure: str,
        *,
        at: datetime | date | str | None = None,
        agency: str | None = None,
        channel: Channel | str = Channel.COUNTER,
    ) -> Case:
        """Receive a dossier of ``procedure`` (Mẫu 01), at ``at`` (default: now), at
        ``agency`` (default: the unit of the procedure's first step)."""
        if at is not None:
            self.at(at)
        where = self.agency(agency) if agency else self._first_agency(procedure)
        dossier = self.app.receive(procedure, agency=where, at=self.now, channel=channel)
        return Case(self, dossier.code)

    def submit_online(
        self, procedure: str, *, at: datetime | date | str | None = None, agency: str | None = None
    ) -> Case:
        """An online submission (status 1): the clock starts only at :meth:`Case.receive`."""
        if at is not None:
            self.at(at)
        where = self.agency(agency) if agency else self._first_agency(procedure)
        dossier = self.app.submit(procedure, agency=where, at=self.now)
        return Case(self, dossier.code)

    def refuse(
        self,
        procedure: str,
        *,
        reason: str = "Hồ sơ không thuộc thẩm quyền giải quyết",
        at: datetime | date | str | None = None,
        agency: str | None = None,
    ) -> Case:
        """Refuse a dossier at the counter (Mẫu 03)."""
        if at is not None:
            self.at(at)
        where = self.agency(agency) if agency else self._first_agency(procedure)
        dossier = self.app.refuse(agency=where, procedure=procedure, reason=reason, at=self.now)
        return Case(self, dossier.code)

    # -- the report -------------------------------------------------------------------------
    def report(
        self, first: date | str | None = None, last: date | str | None = None
    ) -> dict[str, Any]:
        """The report (DESIGN.md §7) of the scenario's store for ``first``..``last``
        (default: the months from the first fact to the clock's now)."""
        facts = list(facts_of_store(self.app))
        if first is None:
            start = min((f.at for f in facts), default=self.now).date().replace(day=1)
        else:
            start = instant(first).date()
        if last is None:
            end_month = Period.month(self.now.year, self.now.month)
            end = end_month.last
        else:
            end = instant(last).date()
        period = Period(start, end)
        fold = ReportFold(
            period,
            FactRules(self.calendar, self.app.max_apologies, self.app.apology_lead_days),
            self.app.catalog,
            self.app.timeliness_by,
        )
        for fact in facts:
            fold.add(fact)
        return Report(period, fold.finish()).as_dict()

    def expect_report(
        self, first: date | str | None = None, last: date | str | None = None, **expected: Any
    ) -> dict[str, Any]:
        """Assert the report's keys (``received=1``, ``late=1``, ``late_caused_by={...}``);
        returns the report."""
        report = self.report(first, last)
        wrong = {k: report.get(k) for k, v in expected.items() if report.get(k) != v}
        if wrong:
            raise AssertionError(
                "the report differs: "
                + "; ".join(f"{k}: expected {expected[k]!r}, got {v!r}" for k, v in wrong.items())
            )
        return report


class Case:
    """One dossier of a scenario: its actions at the clock's now, and expectations."""

    def __init__(self, scenario: Scenario, code: str) -> None:
        self.scenario = scenario
        self.code = code

    def __repr__(self) -> str:
        return f"Case({self.code})"

    @property
    def dossier(self) -> Dossier:
        """The dossier as the store has it now."""
        return self.scenario.app.dossier(self.code)

    @property
    def _app(self) -> OneStopShop:
        return self.scenario.app

    def _by(self, agency: str | None) -> str:
        return self.scenario.agency(agency) if agency else self.dossier.handler

    # -- actions ------------------------------------------------------------------------------
    def receive(self, *, channel: Channel | str = Channel.ONLINE) -> Self:
        """Receive this online submission (status 1 → 2): the clock starts now."""
        d = self.dossier
        self._app.receive(
            d.procedure, agency=d.holder, at=self.scenario.now, code=self.code, channel=channel
        )
        return self

    def hand_to(self, agency: str | None = None, *, step: str | None = None) -> Self:
        """Hand the dossier to the next step of its process (chuyển hồ sơ, ND 61/2018 Điều
        18) — or to ``step`` — and check that ``agency`` (role or code) holds it then."""
        d = self.dossier
        self._app.forward(self.code, agency=d.handler, to_step=step, at=self.scenario.now)
        if agency is not None:
            holder = self.dossier.handler
            wanted = self.scenario.agency(agency)
            if holder != wanted:
                raise AssertionError(
                    f"{self.code}: the next step is held by {holder}, not {agency} ({wanted})"
                )
        return self

    def request_supplement(
        self,
        *items: str,
        by: str | None = None,
        reason: str = "Hồ sơ chưa đầy đủ, hợp lệ",
    ) -> Self:
        """Ask for a supplement (Mẫu 02) on behalf of the holder (or ``by``)."""
        self._app.request_supplement(
            self.code,
            agency=self._by(by),
            reason=reason,
            items=list(items) or ["Giấy tờ theo thành phần hồ sơ"],
            at=self.scenario.now,
        )
        return self

    def supplement_received(self) -> Self:
        """The completed dossier is back at the counter."""
        d = self.dossier
        self._app.receive_supplement(self.code, agency=d.receiving_agency, at=self.scenario.now)
        return self

    def pause_for_financial_obligation(self, by: str | None = None) -> Self:
        """Status 6: the applicant pays taxes or fees (the clock stops if the procedure
        excludes it)."""
        self._app.pause(
            self.code,
            agency=self._by(by),
            reason=PauseReason.FINANCIAL_OBLIGATION,
            at=self.scenario.now,
        )
        return self

    def resume(self, by: str | None = None) -> Self:
        self._app.resume(self.code, agency=self._by(by), at=self.scenario.now)
        return self

    def apologise(
        self,
        *,
        new_due: datetime | date | str,
        by: str | None = None,
        reason: str = "Cần thêm thời gian thẩm định",
    ) -> Self:
        """Mẫu 04 from the holder (or ``by``), with a new appointment."""
        self._app.issue_apology(
            self.code,
            agency=self._by(by),
            new_due=instant(new_due, "new_due"),
            reason=reason,
            at=self.scenario.now,
        )
        return self

    def resolve(self, by: str | None = None) -> Self:
        """The result is ready (status 9), declared by the holder (or ``by``)."""
        self._app.resolve(self.code, agency=self._by(by), at=self.scenario.now)
        return self

    def return_result(self, channel: Channel | str = Channel.COUNTER) -> Self:
        """The result is handed over (status 10) by the receiving agency."""
        d = self.dossier
        self._app.return_result(
            self.code, agency=d.receiving_agency, channel=channel, at=self.scenario.now
        )
        return self

    def withdraw(self, reason: str = "Người nộp hồ sơ đề nghị rút hồ sơ") -> Self:
        d = self.dossier
        self._app.withdraw(
            self.code, agency=d.receiving_agency or d.holder, reason=reason, at=self.scenario.now
        )
        return self

    def rate(self, rating: Rating | str, *, complaint: bool = False) -> Self:
        d = self.dossier
        self._app.record_feedback(
            self.code,
            agency=d.receiving_agency or d.holder,
            rating=rating,
            complaint=complaint,
            at=self.scenario.now,
        )
        return self

    # -- expectations ---------------------------------------------------------------------------
    def expect_status(self, status: Status) -> Self:
        found = self.dossier.status
        if found is not status:
            raise AssertionError(f"{self.code}: status {found.name}, expected {status.name}")
        return self

    def expect_due(self, at: datetime | date | str, *, legal: bool = True) -> Self:
        """The legal due (or, with ``legal=False``, the citizen's current appointment)."""
        d = self.dossier
        found = d.legal_due if legal else d.current_due
        wanted = instant(at, "due")
        if found != wanted:
            shown = found.isoformat() if found else None
            raise AssertionError(f"{self.code}: due {shown}, expected {wanted.isoformat()}")
        return self

    def expect_timeliness(self, verdict: Timeliness | str) -> Self:
        """Early / on time / late of the resolved dossier (QĐ 766: dates compared)."""
        wanted = Timeliness(verdict)
        found = self.dossier.timeliness(self.scenario.calendar, self._app.timeliness_by)
        if found is not wanted:
            raise AssertionError(
                f"{self.code}: {found.value if found else 'not resolved'}, expected {wanted.value}"
            )
        return self

    def expect_on_time(self) -> Self:
        found = self.dossier.timeliness(self.scenario.calendar, self._app.timeliness_by)
        if found not in (Timeliness.EARLY, Timeliness.ON_TIME):
            raise AssertionError(
                f"{self.code}: {found.value if found else 'not resolved'}, expected early or "
                "on time"
            )
        return self

    def expect_late(
        self,
        *,
        working_days: int | None = None,
        caused_by: str | None = None,
        apology_owed_by: str | None = None,
    ) -> Self:
        """Late now (resolved late, or open past its legal due); by ``working_days``; caused
        by ``caused_by`` (the first agency over its share, judgements.late_cause); and owing
        an apology from ``apology_owed_by`` — the agency responsible for the delay, which
        has not issued one (ND 61/2018 Điều 19 khoản 3)."""
        d = self.dossier
        cal = self.scenario.calendar
        now = self.scenario.now
        by = self._app.timeliness_by
        if not d.is_late(now, cal, by):
            due = d.legal_due.isoformat() if d.legal_due else None
            raise AssertionError(f"{self.code}: not late at {now.isoformat()} (legal due {due})")
        if working_days is not None:
            found = d.late_by(cal, None if d.resolved_at else now)
            if found != working_days:
                raise AssertionError(
                    f"{self.code}: late by {found} working day(s), expected {working_days}"
                )
        cause = d.late_cause(now, cal, by)
        for expected in (caused_by, apology_owed_by):
            if expected is not None and cause != self.scenario.agency(expected):
                raise AssertionError(
                    f"{self.code}: the delay is {cause}'s, expected {expected} "
                    f"({self.scenario.agency(expected)})"
                )
        if apology_owed_by is not None:
            agency = self.scenario.agency(apology_owed_by)
            given = [a for a in d.apologies if a.agency == agency]
            if given:
                raise AssertionError(
                    f"{self.code}: {apology_owed_by} apologised already on "
                    f"{given[0].at.isoformat()}"
                )
        return self

    def expect_may_apologise(self, agency: str, *, only: bool = False) -> Self:
        """``agency`` may issue the apology now (the holder, or an agency whose step
        overran; never the counter for another agency's delay); with ``only``, no other."""
        allowed = judgements.apology_agencies(
            self.dossier, self.scenario.now, self.scenario.calendar
        )
        wanted = self.scenario.agency(agency)
        if wanted not in allowed or (only and allowed != {wanted}):
            raise AssertionError(
                f"{self.code}: the agencies that may apologise now are "
                f"{', '.join(sorted(allowed))}, expected {'only ' if only else ''}{wanted}"
            )
        return self

    def expect_slip(self, *rows: tuple[str, str, str | None]) -> Self:
        """The process-control slip, row by row: ``(step key, agency role or code, verdict)``
        with the verdict ``early``/``on_time``/``late`` or ``None`` for a step in progress."""
        slip = self._app.control_slip(self.code)["handoffs"]
        found = [(r["step"], r["agency"], r["timeliness"]) for r in slip]
        wanted = [(key, self.scenario.agency(agency), verdict) for key, agency, verdict in rows]
        if found != wanted:
            raise AssertionError(f"{self.code}: the control slip has {found}, expected {wanted}")
        return self

    def slip(self) -> Mapping[str, Any]:
        """The process-control slip's data."""
        return self._app.control_slip(self.code)

    def receipt_slip(self) -> Mapping[str, Any]:
        """Mẫu 01's data."""
        return self._app.receipt_slip(self.code)
