"""One dossier's history, generated as facts that pass the domain's rules.

A dossier is handled the way the province's internal process (quy trình nội bộ) says:
received by the unit of its first step (tiếp nhận, Mẫu 01), handed from step to step
(chuyển hồ sơ, ND 61/2018 Điều 18; each step a row of the process-control slip, TT
01/2018 Mẫu 05 / TT 03/2025 Mẫu 06), resolved (status 9) by the agency holding its last
step and returned (status 10) at the counter, by post or online. On the way it may be
refused at receipt (Mẫu 03), asked for a supplement once or twice (Mẫu 02; ND 61/2018
Điều 19 khoản 1 điểm a), paused for a financial obligation its procedure excludes from
the limit (status 6), withdrawn (status 7) or stopped after appraisal (status 8).

An agency whose step will end on a later date than the dossier's current due apologises
(Mẫu 04; ND 61/2018 Điều 19 khoản 3) — if it remembers (``apologies.compliance``) and if it
can still do so on a date before the due, since it may apologise only then; the receiving
counter apologises only for its own first step, never for another agency's delay
(:func:`tthc_engine.domain.judgements.apology_agencies`).

The generator keeps business time as *working positions* (office seconds since the start
of the calendar, :meth:`~tthc_engine.worktime.VietnamCalendar.working_position`): a step
that takes 3 working hours moves the position by 10,800, and the instant comes back with
:meth:`~tthc_engine.worktime.VietnamCalendar.instant_at_position`. Dues are computed with
the calendar's own functions (``due``, ``extend_by_pause``), the ones the commands use, so
that the generated apologies land where the rules allow them; the proof that every
history is legal is in the tests, which carry the facts out with
:func:`~tthc_engine.domain.facts.apply_fact`.

Every random choice of a dossier reads a fixed slot of its own row of uniforms (see
:mod:`tthc_engine.simulation.streams`): a variant that changes one rate or one agency's
durations moves only what depends on it (common random numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from statistics import NormalDist
from typing import Any

from tthc_engine.catalog import (
    Catalog,
    Level,
    OnlineLevel,
    PauseReason,
    Procedure,
    SupplementPolicy,
)
from tthc_engine.domain import Channel, Rating
from tthc_engine.domain.facts import Fact, FactType
from tthc_engine.errors import CalendarRangeError
from tthc_engine.simulation.profile import Duration, Profile
from tthc_engine.worktime import VN_TZ, LimitUnit, TimeLimit, VietnamCalendar

__all__ = ["Arrival", "Generator", "Plan", "Slot", "StepPlan", "end_of_day"]

OFFICE_DAY = 8 * 3600
"""Working seconds of a working day (1 ngày làm việc = 8 giờ làm việc)."""

_Z = NormalDist().inv_cdf


class Slot:
    """Which uniform of a dossier's row each decision reads (common random numbers)."""

    CHANNEL = 0
    TIME = 1
    TIME2 = 2
    AUTO = 3
    AFTER_CLOSE = 4
    REFUSE = 5
    RECEPTION = 6
    SUPPLEMENT = 7
    TWICE = 8
    WAIT1 = 9
    WAIT2 = 10
    ABANDON = 11
    FINANCIAL = 12
    FINANCIAL_WAIT = 13
    WITHDRAW = 14
    WITHDRAW_STEP = 15
    WITHDRAW_AT = 16
    STOP = 17
    APOLOGY = 18
    APOLOGY_AT = 19
    PAY = 20
    DIGITISE = 21
    REUSE = 22
    E_RESULT = 23
    RETURN = 24
    RETURN_POSTAL = 25
    UNCOLLECTED = 26
    PICKUP = 27
    RATE = 28
    RATING = 29
    COMPLAINT = 30
    STEPS = 32
    """Each step ``i`` reads ``STEPS + 2i`` (its body) and ``STEPS + 2i + 1`` (its tail)."""
    MAX_STEPS = 8
    """Steps beyond the eighth reuse the slots of the first ones."""
    WIDTH = STEPS + 2 * MAX_STEPS


_REASON_REFUSED = "Hồ sơ không thuộc phạm vi giải quyết hoặc không đủ điều kiện tiếp nhận"
_REASON_REFUSED_ONLINE = "Hồ sơ trực tuyến không đúng, không đủ thành phần theo quy định"
_REASON_SUPPLEMENT = "Hồ sơ chưa đầy đủ, hợp lệ; đề nghị bổ sung, hoàn thiện"
_ITEMS_SUPPLEMENT = ("Giấy tờ chứng minh theo thành phần hồ sơ",)
_REASON_STOP = "Hồ sơ không đủ điều kiện giải quyết theo quy định"
_REASON_WITHDRAW = "Người nộp hồ sơ đề nghị rút hồ sơ"
_REASON_APOLOGY = "Cần thêm thời gian thẩm định, xác minh hồ sơ"


class StepPlan:
    """A step of a procedure version as the generator needs it."""

    __slots__ = ("agency", "duration", "finished", "key", "nominal", "started")

    def __init__(
        self, key: str, name: str, agency: str, allotted: TimeLimit, duration: Duration
    ) -> None:
        self.key = key
        self.agency = agency
        self.nominal = nominal_seconds(allotted)
        self.duration = duration
        self.started: Mapping[str, Any] = {"step": key, "name": name, "allotted": str(allotted)}
        self.finished: Mapping[str, Any] = {"step": key}


def nominal_seconds(share: TimeLimit) -> float:
    """The working seconds a step's share stands for, to scale its durations: working days
    and hours as they are; a calendar day as 5/7 of a working day; a month as 22 working
    days; a same-day share as half a day; a "0 ngày" share (the return of the result) as
    half an hour."""
    amount = float(share.amount)
    unit = share.unit
    if unit is LimitUnit.WORKING_DAYS:
        return amount * OFFICE_DAY
    if unit is LimitUnit.WORKING_HOURS:
        return amount * 3600
    if unit is LimitUnit.SAME_DAY:
        return OFFICE_DAY / 2
    if amount == 0:
        return 1800.0
    if unit is LimitUnit.CALENDAR_DAYS:
        return amount * OFFICE_DAY * 5 / 7
    return amount * OFFICE_DAY * 22


class Plan:
    """A procedure version as the generator runs it: its agencies resolved to codes, the
    data of its facts prepared once, and the profile's settings for it."""

    __slots__ = (
        "code",
        "expected_after",
        "fee",
        "fee_online",
        "financial",
        "full_online",
        "level",
        "limit",
        "online_level",
        "pause_index",
        "procedure",
        "received",
        "receiving",
        "refused",
        "restart",
        "steps",
        "submitted",
        "supplement_index",
        "valid_from",
    )

    def __init__(self, procedure: Procedure, catalog: Catalog, profile: Profile) -> None:
        self.procedure = procedure
        self.code = procedure.code
        self.level: Level = procedure.level
        self.online_level: OnlineLevel = procedure.online_level
        self.full_online = procedure.online_level is OnlineLevel.FULL
        self.limit = procedure.limit
        self.valid_from = procedure.valid_from
        steps = []
        process = []
        for step in procedure.steps:
            agency = step.agency_code or catalog.agency_code(step.agency) or step.agency
            steps.append(
                StepPlan(
                    step.key,
                    step.name,
                    agency,
                    step.allotted,
                    profile.duration(step.agency, agency),
                )
            )
            process.append(
                {
                    "key": step.key,
                    "name": step.name,
                    "agency": agency,
                    "allotted": str(step.allotted),
                }
            )
        self.steps = tuple(steps)
        self.expected_after = tuple(
            sum(s.nominal * s.duration.median for s in steps[i + 1 :]) for i in range(len(steps))
        )
        fallback = catalog.agency_code("receiving_unit") or "000.00.10.H41"
        self.receiving = steps[0].agency if steps else fallback
        self.restart = procedure.supplement_policy is SupplementPolicy.RESTART
        self.financial = PauseReason.FINANCIAL_OBLIGATION in procedure.excluded_pauses
        fee = procedure.fee.amount or 0
        self.fee = fee
        self.fee_online = procedure.fee.online_payment
        load = profile.procedures.get(procedure.code)
        keys = [s.key for s in procedure.steps]
        default = 1 if len(keys) > 1 else 0
        self.supplement_index = _index(keys, load.supplement_step if load else None, default)
        self.pause_index = _index(keys, load.pause_step if load else None, default)
        received: dict[Channel, dict[str, Any]] = {}
        for channel in Channel:
            data: dict[str, Any] = {
                "procedure": procedure.code,
                "channel": channel.value,
                "limit": str(procedure.limit),
            }
            if procedure.name:
                data["procedure_name"] = procedure.name
            # what the receipt fixes, always written (as an export of the store writes it)
            data["supplement_policy"] = procedure.supplement_policy.value
            data["excluded_pauses"] = sorted(r.value for r in procedure.excluded_pauses)
            data["process"] = process or []
            received[channel] = data
        self.received = received
        self.submitted = {"procedure": procedure.code, "channel": Channel.ONLINE.value}
        self.refused = {
            channel: {
                "procedure": procedure.code,
                "channel": channel.value,
                "reason": _REASON_REFUSED_ONLINE if channel is Channel.ONLINE else _REASON_REFUSED,
            }
            for channel in Channel
        }

    def with_receiving(self, agency: str) -> Plan:
        """The same plan received at ``agency`` (``simulate_month(receiving_agency=...)``)."""
        clone = object.__new__(Plan)
        for name in Plan.__slots__:
            setattr(clone, name, getattr(self, name))
        clone.receiving = agency
        return clone


def _index(keys: list[str], key: str | None, default: int) -> int:
    if key is not None and key in keys:
        return keys.index(key)
    return min(default, max(len(keys) - 1, 0))


class Arrival:
    """A dossier before its history: its procedure version, channel, times and code."""

    __slots__ = ("channel", "code", "day", "opened", "plan", "received", "submitted", "u")

    def __init__(
        self,
        day: date,
        plan: Plan,
        channel: Channel,
        submitted: datetime | None,
        received: datetime,
        u: list[float],
    ) -> None:
        self.day = day
        self.plan = plan
        self.channel = channel
        self.submitted = submitted
        self.received = received
        self.opened = submitted if submitted is not None else received
        self.u = u
        self.code = ""


_FEEDBACK: dict[tuple[Rating, bool], Mapping[str, Any]] = {
    (rating, complaint): {"rating": rating.value, "complaint": complaint}
    for rating in Rating
    for complaint in (False, True)
}
_EMPTY: Mapping[str, Any] = {}
_RESOLVED = {"outcome": "approved"}
_RETURNED = {channel: {"channel": channel.value} for channel in Channel}
_SUPPLEMENT = {"reason": _REASON_SUPPLEMENT, "items": list(_ITEMS_SUPPLEMENT)}
_PAUSED = {"reason": PauseReason.FINANCIAL_OBLIGATION.value}
_WITHDRAWN = {"reason": _REASON_WITHDRAW}
_STOPPED = {"reason": _REASON_STOP}
_E_RESULT = {"components": 0, "e_result": True, "reused": False}


class Generator:
    """Turns arrivals into facts under one profile, calendar and period end."""

    def __init__(self, profile: Profile, calendar: VietnamCalendar, until: datetime) -> None:
        self.profile = profile
        self.calendar = calendar
        self.until = until
        self._pos = calendar.working_position
        self._instant = calendar.instant_at_position
        self._stop = calendar.working_position(until)
        self._after = until + timedelta(seconds=1)
        self._fees: dict[tuple[int, bool], Mapping[str, Any]] = {}
        self._digitised: dict[tuple[int, bool], Mapping[str, Any]] = {}

    # -- helpers -----------------------------------------------------------------------------
    def _at(self, position: float) -> datetime:
        """The instant at a working position; any instant after the period's end is the
        same to the generator (nothing after it is written)."""
        if position <= self._stop:
            return self._instant(position)
        return self._after

    def _fee(self, amount: int, online: bool) -> Mapping[str, Any]:
        key = (amount, online)
        data = self._fees.get(key)
        if data is None:
            data = self._fees[key] = {"amount": amount, "online": online}
        return data

    def _digitise(self, components: int, reused: bool) -> Mapping[str, Any]:
        key = (components, reused)
        data = self._digitised.get(key)
        if data is None:
            data = self._digitised[key] = {
                "components": components,
                "e_result": False,
                "reused": reused,
            }
        return data

    def _closing_before(self, due: datetime) -> float:
        """The last working position on a date before ``due``'s date (a minute before the
        previous working day's close): the latest an apology may come (lead of 1 day)."""
        cal = self.calendar
        prev = cal.previous_working_day(due.date())
        return self._pos(cal.closing(prev)) - 60.0

    # -- one dossier ---------------------------------------------------------------------------
    def facts(self, a: Arrival) -> list[Fact]:
        """The facts of ``a``'s history up to the end of the period, in time order."""
        profile = self.profile
        cal = self.calendar
        pos = self._pos
        at = self._at
        until = self.until
        u = a.u
        plan = a.plan
        code = a.code
        recv = plan.receiving
        out: list[Fact] = []
        n = 0

        def emit(kind: FactType, when: datetime, agency: str, data: Mapping[str, Any]) -> bool:
            nonlocal n
            if when > until:
                return False
            n += 1
            out.append(Fact(f"{code}:{n}", code, kind, when, agency, data))
            return True

        channel = a.channel
        received = a.received
        if a.submitted is not None:
            if not emit(FactType.SUBMITTED, a.submitted, recv, plan.submitted):
                return out
            if u[Slot.REFUSE] < profile.refusals[1]:
                emit(FactType.REFUSED, received, recv, plan.refused[channel])
                return out
        elif channel is Channel.COUNTER and u[Slot.REFUSE] < profile.refusals[0]:
            emit(FactType.REFUSED, received, recv, plan.refused[channel])
            return out
        if not emit(FactType.RECEIVED, received, recv, plan.received[channel]):
            return out
        # at receipt: the fee, the digitised components (ND 107/2021 khoản 11; TT 01/2023)
        if plan.fee > 0:
            online = (
                channel is Channel.ONLINE
                and plan.fee_online
                and u[Slot.PAY] < profile.online_payment
            )
            emit(FactType.FEE_PAID, received, recv, self._fee(plan.fee, online))
        dg = profile.digitisation
        if u[Slot.DIGITISE] < dg.rate:
            components = 1 + int(u[Slot.DIGITISE] / dg.rate * dg.max_components) % dg.max_components
            emit(
                FactType.DIGITISED,
                received,
                recv,
                self._digitise(components, u[Slot.REUSE] < dg.reuse),
            )
        due = cal.due(received, plan.limit).due_at
        current = due
        apologised = False
        p = pos(received) + max(
            60.0, round(profile.reception.at(_Z(_clip(u[Slot.RECEPTION]))) * 3600)
        )
        steps = plan.steps
        count = len(steps)
        sup = profile.supplements
        supplements = 0
        if u[Slot.SUPPLEMENT] < sup.rate:
            supplements = 2 if u[Slot.TWICE] < sup.twice else 1
        fin_rate, fin_wait = profile.financial_obligation
        financial = plan.financial and u[Slot.FINANCIAL] < fin_rate
        withdraw = u[Slot.WITHDRAW] < profile.withdrawals and count > 0
        withdraw_step = int(u[Slot.WITHDRAW_STEP] * count) if withdraw else -1
        stop = u[Slot.STOP] < profile.stops
        holder = ""
        requests = 0
        for i, step in enumerate(steps):
            start = p
            when = at(start)
            if holder and not emit(FactType.STEP_FINISHED, when, holder, steps[i - 1].finished):
                return out
            if not emit(FactType.STEP_STARTED, when, step.agency, step.started):
                return out
            holder = step.agency
            slot = Slot.STEPS + 2 * (i % Slot.MAX_STEPS)
            work = max(
                60.0, round(step.nominal * step.duration.factor(_Z(_clip(u[slot])), u[slot + 1]))
            )
            if i == withdraw_step:
                moment = at(start + max(60.0, round(work * u[Slot.WITHDRAW_AT])))
                emit(FactType.WITHDRAWN, moment, recv, _WITHDRAWN)
                return out
            done = 0.0
            last = start
            if supplements and i == plan.supplement_index:
                for k in range(supplements):
                    p = last + max(60.0, round(work * (0.4 if k == 0 else 0.2)))
                    done += 0.4 if k == 0 else 0.2
                    asked = at(p)
                    if not emit(FactType.SUPPLEMENT_REQUESTED, asked, holder, _SUPPLEMENT):
                        return out
                    requests += 1
                    if k == supplements - 1 and u[Slot.ABANDON] < sup.abandon:
                        return out  # the applicant never comes back: measured at the request
                    wait = sup.wait.at(_Z(_clip(u[Slot.WAIT1 if k == 0 else Slot.WAIT2])))
                    p += max(60.0, round(wait * OFFICE_DAY))
                    back = at(p)
                    if not emit(FactType.SUPPLEMENT_RECEIVED, back, recv, _EMPTY):
                        return out
                    if plan.restart:
                        due = cal.due(back, plan.limit).due_at
                        current = max(due, current) if apologised else due
                    else:
                        due = cal.extend_by_pause(due, asked, back)
                        current = cal.extend_by_pause(current, asked, back)
                    last = p
            if financial and i == plan.pause_index:
                p = last + max(60.0, round(work * 0.3))
                done += 0.3
                paused = at(p)
                if not emit(FactType.PAUSED, paused, holder, _PAUSED):
                    return out
                p += max(60.0, round(fin_wait.at(_Z(_clip(u[Slot.FINANCIAL_WAIT]))) * OFFICE_DAY))
                resumed = at(p)
                if not emit(FactType.RESUMED, resumed, holder, _EMPTY):
                    return out
                due = cal.extend_by_pause(due, paused, resumed)
                current = cal.extend_by_pause(current, paused, resumed)
                last = p
            end = last + max(60.0, round(work * max(0.0, 1.0 - done)))
            if (
                not apologised
                and (holder != recv or i == 0)
                and u[Slot.APOLOGY] < profile.apologies.compliance
                and at(end + plan.expected_after[i]).date() > current.date()
            ):
                latest = self._closing_before(current)
                moment_p = max(last + 60.0, start + round((end - start) * u[Slot.APOLOGY_AT]))
                moment_p = min(moment_p, latest)
                if moment_p >= last + 60.0:
                    new_due = self._new_due(at(end + plan.expected_after[i]), current)
                    if new_due is not None:
                        if not emit(
                            FactType.APOLOGY_ISSUED,
                            at(moment_p),
                            holder,
                            {"new_due": new_due, "reason": _REASON_APOLOGY},
                        ):
                            return out
                        apologised = True
                        current = new_due
            p = end
            if stop and i == plan.supplement_index:
                emit(FactType.STOPPED, at(p), holder, _STOPPED)
                return out
        if not steps:
            p += max(
                60.0,
                round(
                    OFFICE_DAY
                    / 4
                    * profile.agencies["default"].factor(
                        _Z(_clip(u[Slot.STEPS])), u[Slot.STEPS + 1]
                    )
                ),
            )
            holder = recv
        resolved = at(p)
        if not emit(FactType.RESOLVED, resolved, holder, _RESOLVED):
            return out
        if u[Slot.E_RESULT] < dg.e_result:
            emit(FactType.DIGITISED, resolved, holder, _E_RESULT)
        late = resolved.date() > due.date() or requests > 1
        returns = profile.returns
        if a.submitted is not None and plan.full_online and u[Slot.RETURN] < returns.online:
            back_by = Channel.ONLINE
            p += 300.0 + round(1500.0 * u[Slot.PICKUP])
        elif u[Slot.RETURN_POSTAL] < returns.postal:
            back_by = Channel.POSTAL
            p += max(3600.0, round(returns.postal_days.at(_Z(_clip(u[Slot.PICKUP]))) * OFFICE_DAY))
        else:
            back_by = Channel.COUNTER
            if u[Slot.UNCOLLECTED] < returns.uncollected:
                return out
            p += max(600.0, round(returns.pickup.at(_Z(_clip(u[Slot.PICKUP]))) * OFFICE_DAY))
        returned = at(p)
        if not emit(FactType.RESULT_RETURNED, returned, recv, _RETURNED[back_by]):
            return out
        ratings = profile.ratings
        if u[Slot.RATE] < ratings.rate:
            unhappy = ratings.dissatisfied_if_late if late else ratings.dissatisfied
            r = u[Slot.RATING]
            if r < unhappy:
                rating = Rating.DISSATISFIED
            elif r < unhappy + ratings.very_satisfied:
                rating = Rating.VERY_SATISFIED
            else:
                rating = Rating.SATISFIED
            complaint = u[Slot.COMPLAINT] < (
                ratings.complaint_if_late if late else ratings.complaint
            )
            emit(FactType.FEEDBACK_GIVEN, at(p + 120.0), recv, _FEEDBACK[(rating, complaint)])
        return out

    def _new_due(self, end: datetime, current: datetime) -> datetime | None:
        """The new appointment of an apology (Mẫu 04): the office close ``extension_days``
        working days after the dossier's expected end (or its current due, if later); None
        when that falls outside the calendar."""
        cal = self.calendar
        start = max(end.date(), current.date())
        try:
            day = cal.add_working_days(start, self.profile.apologies.extension_days)
        except CalendarRangeError:
            return None
        return cal.closing(day)


def _clip(u: float) -> float:
    """A uniform kept inside (0, 1) for the normal quantile function."""
    if u <= 1e-12:
        return 1e-12
    return u if u < 1.0 - 1e-12 else 1.0 - 1e-12


def end_of_day(day: date) -> datetime:
    """The last second of ``day`` in Vietnam (a period's end as the simulator stops it)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=VN_TZ)
