"""Simulate a month of a province's one-stop traffic, reproducibly from a seed.

Each working day brings dossiers of the catalog's procedures in force that day
(:meth:`~tthc_engine.catalog.Catalog.in_force_on`), received inside office hours (some
online). Each dossier walks its internal process: every step takes a
random part of its allotted share (a few overrun it), some dossiers get a supplement
request (rarely two), land dossiers wait on the financial obligation, a few are
withdrawn or refused at the counter, and a holder that will miss the due apologises in
time most of the time. Commands go through the application's batch path, so a day of
traffic is saved in one transaction; nothing after ``until`` is recorded, which leaves
dossiers pending or overdue at the end of the period as a real office has them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

import attrs

from tthc_engine.application import Batch, OneStopShop
from tthc_engine.catalog import PauseReason, Procedure
from tthc_engine.domain import Channel, Rating
from tthc_engine.errors import TthcError
from tthc_engine.worktime import VN_TZ

__all__ = ["SimulatedMonth", "simulate_month"]


@attrs.frozen
class SimulatedMonth:
    """What :func:`simulate_month` recorded."""

    first_day: date
    last_day: date
    until: datetime
    codes: tuple[str, ...]
    events: int


def simulate_month(
    app: OneStopShop,
    year: int,
    month: int,
    *,
    per_day: int = 20,
    seed: int = 2025,
    receiving_agency: str | None = None,
) -> SimulatedMonth:
    """Receive ``per_day`` dossiers each working day of ``month`` and process them.

    Requires ``app.catalog``; returns the codes received and the number of events saved.
    """
    if app.catalog is None:
        raise TthcError("simulate_month needs an application with a catalog")
    catalog = app.catalog
    cal = app.calendar
    rng = random.Random(seed)
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    until = datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=VN_TZ)
    counter = receiving_agency or catalog.agency_code("receiving_unit") or "000.00.10.H41"
    codes: list[str] = []
    before = app.recorder.max_notification_id() or 0
    for day in cal.working_days_in(first, last):
        procedures = catalog.in_force_on(day)  # the versions in force that day, by code
        if not procedures:
            continue
        with app.batch() as batch:
            for _ in range(per_day):
                proc = rng.choice(procedures)
                opening = cal.opening(day)
                minutes = rng.randrange(0, 8 * 60)
                at = cal.add_working_time(opening, timedelta(minutes=minutes))
                code = _one_dossier(batch, app, rng, proc, counter, at, until)
                codes.append(code)
    events = (app.recorder.max_notification_id() or 0) - before
    return SimulatedMonth(first, last, until, tuple(codes), events)


def _one_dossier(
    batch: Batch,
    app: OneStopShop,
    rng: random.Random,
    proc: Procedure,
    counter: str,
    received: datetime,
    until: datetime,
) -> str:
    cal = app.calendar
    if rng.random() < 0.01:
        return batch.refuse(
            agency=counter,
            procedure=proc.code,
            at=received,
            reason="hồ sơ không thuộc thẩm quyền giải quyết",
        ).code
    channel = Channel.ONLINE if rng.random() < 0.6 else Channel.COUNTER
    dossier = batch.receive(
        proc.code,
        agency=counter,
        at=received,
        channel=channel,
        applicant={"name": f"Công dân {rng.randrange(10**6):06d}"},
    )
    code = dossier.code
    now = received

    def act(
        minutes: float,
        command: Callable[..., object] | None = None,
        *args: object,
        **kwargs: object,
    ) -> bool:
        """Advance business time by ``minutes`` of office time, then run ``command`` at it;
        False (and nothing run) once the period ends."""
        nonlocal now
        nxt = cal.add_working_time(now, timedelta(minutes=max(minutes, 1.0)))
        if nxt > until:
            return False
        now = nxt
        if command is not None:
            command(*args, at=now, **kwargs)
        return True

    if (
        proc.fee.amount
        and proc.fee.online_payment
        and channel is Channel.ONLINE
        and not act(
            5, batch.record_payment, code, agency=counter, amount=proc.fee.amount or 0, online=True
        )
    ):
        return code
    if rng.random() < 0.01:
        act(
            60 * rng.uniform(1, 16),
            batch.withdraw,
            code,
            agency=counter,
            reason="người nộp hồ sơ xin rút",
        )
        return code
    supplements = 2 if rng.random() < 0.01 else (1 if rng.random() < 0.05 else 0)
    # walk the process the dossier was received with (the application chose the version)
    process = batch.dossier(code).process
    late_step = rng.randrange(len(process)) if process and rng.random() < 0.04 else -1
    apologised = False
    for index, step in enumerate(process):
        if not act(2, batch.forward, code, agency=step_agency(batch.dossier(code))):
            return code
        current = batch.dossier(code)
        due = current.current_step.due_at if current.current_step else now
        budget = cal.working_time_between(now, due).total_seconds() / 60
        if current.legal_due is not None and current.legal_due > now:
            # an office paces its steps on the dossier's due, whatever the written shares
            fair = cal.working_time_between(now, current.legal_due).total_seconds() / 60
            budget = min(budget, fair / (len(process) - index))
        budget = max(budget, 10.0)
        share = rng.uniform(1.3, 3.0) if index == late_step else rng.uniform(0.2, 0.9)
        work = budget * share
        if supplements and index == min(1, len(process) - 1):
            for _ in range(supplements):
                if not act(
                    work * 0.3,
                    batch.request_supplement,
                    code,
                    agency=step_agency(current),
                    reason="thiếu thành phần hồ sơ",
                    items=["bản sao giấy tờ tùy thân"],
                ):
                    return code
                if not act(
                    60 * 8 * rng.uniform(1, 5), batch.receive_supplement, code, agency=counter
                ):
                    return code
        if PauseReason.FINANCIAL_OBLIGATION in current.excluded_pauses and step.key == "check":
            if not act(
                work * 0.5,
                batch.pause,
                code,
                agency=step_agency(current),
                reason=PauseReason.FINANCIAL_OBLIGATION,
            ):
                return code
            if not act(
                60 * 8 * rng.uniform(2, 10), batch.resume, code, agency=step_agency(current)
            ):
                return code
        state = batch.dossier(code)
        planned_end = cal.add_working_time(now, timedelta(minutes=work))
        legal_due = state.current_due
        if (
            not apologised
            and legal_due is not None
            and planned_end.date() > legal_due.date()
            and rng.random() < 0.7
        ):
            # Mẫu 04 comes on a date before the due date, from the agency handling it;
            # act() moves at least one minute of office time, which must stay on that date
            eve = cal.previous_working_day(legal_due.date())
            apologise_at = max(now, cal.opening(eve) + timedelta(hours=1))
            if cal.add_working_time(apologise_at, timedelta(minutes=1)).date() < legal_due.date():
                if not act(
                    cal.working_time_between(now, apologise_at).total_seconds() / 60,
                    batch.issue_apology,
                    code,
                    agency=step_agency(state),
                    new_due=cal.add_working_time(planned_end, timedelta(hours=8)),
                    reason="cần thêm thời gian thẩm định",
                ):
                    return code
                apologised = True
        remaining = cal.working_time_between(now, planned_end).total_seconds() / 60
        if index == len(process) - 1:
            if not act(remaining, batch.resolve, code, agency=step_agency(batch.dossier(code))):
                return code
        elif not act(remaining):
            return code
    if not process and not act(60, batch.resolve, code, agency=counter):
        return code
    if not act(
        60 * rng.uniform(0.5, 16), batch.return_result, code, agency=counter, channel=channel
    ):
        return code
    if rng.random() < 0.4:
        rating = rng.choices(list(Rating), weights=[60, 37, 3])[0]
        act(30, batch.record_feedback, code, agency=counter, rating=rating)
    return code


def step_agency(dossier: object) -> str:
    """The agency holding the dossier's current step (or the dossier)."""
    step = getattr(dossier, "current_step", None)
    return str(step.agency if step is not None else getattr(dossier, "holder", ""))
