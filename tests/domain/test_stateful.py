"""The dossier as a state machine: random command sequences on one ``OneStopShop`` (Hypothesis).

One in-memory (POPO) application, four dossier codes, four procedures of the sample
catalog (land with excluded pauses, a restart-policy one counted in calendar days, a
same-day one with a 15:00 cut-off, an investment one in calendar days) and a business
clock that only moves forward, by working or non-working amounts, within
2025-01-02..2027-06-30 (UTC+7).

Each command is predicted from the dossier's state before it (must succeed / must be
refused / either) by the rules of DESIGN §5 and :mod:`tthc_engine.domain.rules`. A refused
command must raise a ``TthcError`` and write nothing. After every step, every dossier
rebuilt from its stored events must equal the live aggregate and satisfy the
invariants of the national status codes and of the three dues.

A pause whose reason leaves the national status unchanged (public posting, expert
assessment…) does not block a resolution: the rules are silent there, so the machine
accepts either outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import pytest
from eventsourcing.domain import DomainEventProtocol
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tthc_engine import VN_TZ, InvalidInputError, TthcError, VietnamCalendar
from tthc_engine.application import DeadlineWatcher, OneStopShop
from tthc_engine.catalog import Catalog, PauseReason, SupplementPolicy
from tthc_engine.domain import Channel, Dossier, PauseKind, Rating, Status, dossier_id
from tthc_engine.domain.judgements import apology_agencies
from tthc_engine.domain.records import StepRecord
from tthc_engine.worktime import Timeliness

CATALOG = Catalog.sample()
CALENDAR = VietnamCalendar()
POPO = {"PERSISTENCE_MODULE": "eventsourcing.popo"}

START = datetime(2025, 1, 2, 8, 0, tzinfo=VN_TZ)
END = datetime(2027, 6, 30, 17, 0, tzinfo=VN_TZ)

COUNTER = "000.00.10.H41"
AGENCIES = (COUNTER, "000.22.10.H41", "000.00.24.H41", "000.31.11.H41", "000.00.20.H41")
CODES = tuple(f"{COUNTER}-250414-{n:04d}" for n in range(1, 5))
PROCEDURES = (
    "1.012753",  # land: 20 working days, pause policy, financial obligation excluded
    "2.000488",  # judicial record: 10 calendar days, restart policy
    "1.001193",  # birth registration: same day, 15:00 cut-off, hour-sized steps
    "1.009645",  # investment: 17 calendar days, pause policy, no exclusion
)
MAX_APOLOGIES = 1

WAITS = st.one_of(
    st.tuples(st.just("minutes"), st.integers(1, 600)),
    st.tuples(st.just("working hours"), st.integers(1, 60)),
    st.tuples(st.just("days"), st.integers(0, 45 * 24)),  # days * 24 + hour of arrival
)
HOLDER = st.booleans()  # act as the agency holding the dossier, or as ``OTHER``
OTHER = st.sampled_from(AGENCIES)
ARGUMENTS: dict[str, st.SearchStrategy[tuple[Any, ...]]] = {
    "forward": st.tuples(HOLDER, OTHER),
    "finish_step": st.tuples(HOLDER, OTHER),
    "request_supplement": st.tuples(),
    "receive_supplement": st.tuples(),
    "pause": st.tuples(st.sampled_from(PauseReason)),
    "resume": st.tuples(),
    "resolve": st.tuples(),
    "return_result": st.tuples(st.sampled_from(Channel)),
    "issue_apology": st.tuples(HOLDER, OTHER, st.integers(-3, 30)),
    "record_feedback": st.tuples(st.sampled_from(Rating), st.booleans()),
    "record_payment": st.tuples(st.integers(0, 500_000), st.booleans()),
    "record_digitisation": st.tuples(st.integers(0, 5)),
}

ACTIVE = frozenset({Status.RECEIVED, Status.PROCESSING})
RECORDS = {
    "resolve": "Resolved",
    "withdraw": "Withdrawn",
    "stop": "Stopped",
    "request_supplement": "SupplementRequested",
    "pause": "Paused",
    "resume": "Resumed",
    "receive_supplement": "SupplementReceived",
    "return_result": "ResultReturned",
    "record_feedback": "FeedbackGiven",
    "record_payment": "FeePaid",
    "issue_apology": "ApologyIssued",
    "finish_step": "StepFinished",
}
"""The first event each aggregate command records (what its command id is known by)."""
OPEN = ACTIVE | {Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION}
ENDED = frozenset(
    {Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED}
)


class Expect(Enum):
    OK = "must be applied"
    REFUSED = "must be refused"
    EITHER = "either"


def _expect(condition: bool) -> Expect:
    return Expect.OK if condition else Expect.REFUSED


def _next_step(d: Dossier) -> str | None:
    """The step ``forward`` moves to, as the internal process orders them."""
    keys = [s.key for s in d.process]
    current = d.current_step
    if current is not None:
        after = keys[keys.index(current.key) + 1 :]
        return after[0] if after else None
    done = {s.key for s in d.steps}
    return next((k for k in keys if k not in done), None)


def _step_verdict(d: Dossier, step: StepRecord, end: datetime) -> Timeliness:
    """The control slip's verdict, worked out here independently: working minutes used
    (clock-stopping pauses excluded) against the working minutes of the step's share."""
    start = step.counted_from
    used = CALENDAR.working_time_between(start, end)
    for p in d.pauses:
        if p.stops_clock:
            a, b = max(p.started_at, start), min(p.ended_at or end, end)
            if b > a:
                used -= CALENDAR.working_time_between(a, b)
    allowed = CALENDAR.working_time_between(start, step.allotted_until)
    u, a_ = int(used.total_seconds() // 60), int(allowed.total_seconds() // 60)
    return Timeliness.EARLY if u < a_ else Timeliness.ON_TIME if u == a_ else Timeliness.LATE


def _handler(d: Dossier) -> str:
    step = d.current_step
    return step.agency if step is not None else d.holder


def _quiet_pause(d: Dossier) -> bool:
    """A pause runs that leaves the national status unchanged (the rules are silent on
    resolving then)."""
    pause = d.running_pause
    return pause is not None and pause.kind is PauseKind.PAUSE and d.status in ACTIVE


class DossierMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.app = OneStopShop(env=POPO, catalog=CATALOG, calendar=CALENDAR)
        self.watcher = DeadlineWatcher(self.app)
        self.now = START
        self.live: dict[str, Dossier] = {}
        self.applied: list[tuple[str, str, dict[str, Any]]] = []
        self.serial = 0

    # -- helpers --------------------------------------------------------------------------
    def _command_id(self) -> str:
        self.serial += 1
        return f"cmd-{self.serial:04d}"

    def _events(self, code: str) -> list[DomainEventProtocol[Any]]:
        return list(self.app.repository.event_store.get(dossier_id(code)))

    def _version(self, code: str) -> int:
        events = self._events(code)
        return events[-1].originator_version if events else 0

    def _run(
        self,
        code: str,
        kind: str,
        kwargs: dict[str, Any],
        expect: Expect,
    ) -> Dossier | None:
        """Run ``app.<kind>(**kwargs)``; check the prediction and what was written."""
        before = self._version(code)
        pre = self.live.get(code)
        call: Callable[..., Dossier] = getattr(self.app, kind)
        try:
            dossier = call(**kwargs)
        except TthcError as error:
            refusal: TthcError | None = error
        else:
            refusal = None
        if refusal is not None:
            event(f"{kind}: refused ({type(refusal).__name__})")
            assert expect is not Expect.OK, f"{kind} on {code} must be applied, got {refusal!r}"
            assert self._version(code) == before, f"refused {kind} wrote events: {refusal}"
            return None
        assert expect is not Expect.REFUSED, (
            f"{kind} {kwargs} on {code} (status {pre.status if pre else None}) must be refused"
        )
        event(f"{kind}: applied")
        after = self._version(code)
        assert after > before, f"{kind} on {code} was applied but wrote nothing"
        assert dossier.version == after
        new_events = self._events(code)[before:]
        assert len(new_events) == after - before
        assert [e.originator_version for e in new_events] == list(range(before + 1, after + 1))
        self._check_transition(pre, dossier, new_events)
        self.live[code] = dossier
        if kwargs.get("command_id"):
            self.applied.append((code, kind, kwargs))
        return dossier

    def _check_transition(
        self, pre: Dossier | None, post: Dossier, events: list[DomainEventProtocol[Any]]
    ) -> None:
        """What a single applied command may change."""
        for fact in events:
            if isinstance(fact, Dossier.Received):
                limit = post.limit
                assert limit is not None
                assert fact.original_due == CALENDAR.due(fact.at, limit).due_at
            if isinstance(fact, Dossier.SupplementReceived) and fact.restarted:
                assert post.limit is not None
                assert fact.legal_due == CALENDAR.due(fact.at, post.limit).due_at
        if pre is None or pre.original_due is None:
            return
        assert post.original_due == pre.original_due, "the appointment of Mẫu 01 never changes"
        assert post.legal_due is not None
        assert post.current_due is not None
        assert pre.legal_due is not None
        assert pre.current_due is not None
        assert post.legal_due >= pre.legal_due, "the legal due never moves earlier"
        assert post.current_due >= pre.current_due, "the appointment never moves earlier"
        assert len(post.steps) >= len(pre.steps), "the control slip only grows"
        for before, after in zip(pre.steps, post.steps, strict=False):
            assert after.due_at >= before.due_at, "a step's due never moves earlier"
        assert len(post.pauses) >= len(pre.pauses)
        pause = pre.running_pause
        if any(isinstance(e, Dossier.Resumed) for e in events):
            assert pause is not None
            if not pause.stops_clock:
                assert (post.legal_due, post.current_due) == (pre.legal_due, pre.current_due), (
                    "a pause that does not stop the clock moves no due"
                )
        if any(isinstance(e, Dossier.ApologyIssued) for e in events):
            assert post.legal_due == pre.legal_due, "an apology never moves the legal due"

    def _agency(self, d: Dossier | None, holder: bool, other: str) -> str:
        if holder and d is not None:
            step = d.current_step
            return step.agency if step is not None else d.holder or COUNTER
        return other

    @initialize(procedures=st.lists(st.sampled_from(PROCEDURES), min_size=2, max_size=2))
    def open_two_dossiers(self, procedures: list[str]) -> None:
        """One dossier received at the counter, one submitted online: most rules find one."""
        self.receive(CODES[0], procedures[0], Channel.COUNTER, with_id=True)
        self.submit_online(CODES[1], procedures[1])

    # -- the clock ------------------------------------------------------------------------
    @rule(wait=WAITS)
    def wait(self, wait: tuple[str, int]) -> None:
        """Minutes (maybe into the lunch break or the night), working hours, or whole days."""
        how, amount = wait
        if how == "minutes":
            self.wait_minutes(amount)
        elif how == "working hours":
            self.now = min(CALENDAR.add_working_time(self.now, timedelta(hours=amount)), END)
        else:
            later = (self.now + timedelta(days=amount // 24 + 1)).replace(hour=amount % 24)
            self.now = min(max(later, self.now), END)

    def wait_minutes(self, minutes: int) -> None:
        self.now = min(self.now + timedelta(minutes=minutes), END)

    # -- receipt --------------------------------------------------------------------------
    @rule(
        code=st.sampled_from(CODES),
        procedure=st.sampled_from(PROCEDURES),
        channel=st.sampled_from(Channel) | st.none(),
        with_id=st.booleans(),
    )
    def open_a_dossier(
        self, code: str, procedure: str, channel: Channel | None, with_id: bool
    ) -> None:
        """Receive a dossier (or, with no channel, submit it online): once per code."""
        if channel is None:
            self.submit_online(code, procedure)
        else:
            self.receive(code, procedure, channel, with_id)

    def receive(self, code: str, procedure: str, channel: Channel, with_id: bool) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is None or pre.status is Status.SUBMITTED)
        kwargs = {
            "procedure": procedure,
            "code": code,
            "agency": COUNTER,
            "channel": channel,
            "applicant": {"name": "Nguyễn Văn A"},
            "at": self.now,
            "command_id": self._command_id() if with_id else None,
        }
        self._run(code, "receive", kwargs, expect)

    def submit_online(self, code: str, procedure: str) -> None:
        expect = _expect(code not in self.live)
        kwargs = {
            "procedure": procedure,
            "code": code,
            "agency": COUNTER,
            "at": self.now,
            "command_id": self._command_id(),
        }
        self._run(code, "submit", kwargs, expect)

    @rule(code=st.sampled_from(CODES), how=st.sampled_from(("refuse", "withdraw", "stop")))
    def end_early(self, code: str, how: str) -> None:
        """Refusal, withdrawal or stop: one rule, so that dossiers live long enough."""
        getattr(self, how)(code)

    def refuse(self, code: str) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is None or pre.status is Status.SUBMITTED)
        kwargs = {
            "code": code,
            "agency": COUNTER,
            "reason": "hồ sơ không thuộc thẩm quyền",
            "procedure": PROCEDURES[0],
            "at": self.now,
            "command_id": self._command_id(),
        }
        self._run(code, "refuse", kwargs, expect)

    # -- processing -----------------------------------------------------------------------
    @rule(data=st.data(), kind=st.sampled_from(sorted(ARGUMENTS)))
    def any_command(self, data: st.DataObject, kind: str) -> None:
        """A command with random arguments on a random dossier, allowed or not."""
        code = data.draw(st.sampled_from(CODES), label="code")
        arguments = data.draw(ARGUMENTS[kind], label=kind)
        getattr(self, kind)(code, *arguments)

    # -- the commands -----------------------------------------------------------------------
    def forward(self, code: str, holder: bool, other: str) -> None:
        pre = self.live.get(code)
        agency = self._agency(pre, holder, other)
        if pre is None:
            expect = Expect.REFUSED
        else:
            expect = _expect(
                pre.status in ACTIVE and agency == _handler(pre) and _next_step(pre) is not None
            )
        kwargs = {"code": code, "agency": agency, "at": self.now, "command_id": self._command_id()}
        post = self._run(code, "forward", kwargs, expect)
        if post is not None and pre is not None:
            assert post.current_step is not None
            assert post.current_step.key == _next_step(pre)
            assert post.holder == post.current_step.agency

    def finish_step(self, code: str, holder: bool, other: str) -> None:
        pre = self.live.get(code)
        agency = self._agency(pre, holder, other)
        step = pre.current_step if pre is not None else None
        expect = _expect(
            pre is not None and pre.status in OPEN and step is not None and step.agency == agency
        )
        kwargs = {"code": code, "agency": agency, "at": self.now, "command_id": self._command_id()}
        post = self._run(code, "finish_step", kwargs, expect)
        if post is not None:
            assert post.current_step is None
            assert post.steps[-1].timeliness is _step_verdict(post, post.steps[-1], self.now)

    def request_supplement(self, code: str) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status in ACTIVE and pre.running_pause is None)
        kwargs = {
            "code": code,
            "agency": self._agency(pre, True, COUNTER),
            "reason": "thiếu bản sao giấy tờ",
            "items": ["bản sao CCCD"],
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "request_supplement", kwargs, expect)
        if post is not None:
            assert post.status is Status.SUPPLEMENT_REQUESTED
            assert post.clock_stopped

    def receive_supplement(self, code: str) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status is Status.SUPPLEMENT_REQUESTED)
        kwargs = {"code": code, "agency": COUNTER, "at": self.now, "command_id": self._command_id()}
        post = self._run(code, "receive_supplement", kwargs, expect)
        if post is not None and pre is not None:
            assert post.running_pause is None
            assert post.status is (pre.status_before_pause or Status.RECEIVED)

    def pause(self, code: str, reason: PauseReason) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status in ACTIVE and pre.running_pause is None)
        kwargs = {
            "code": code,
            "agency": self._agency(pre, True, COUNTER),
            "reason": reason,
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "pause", kwargs, expect)
        if post is not None and pre is not None:
            running = post.running_pause
            assert running is not None
            assert running.stops_clock is (reason in pre.excluded_pauses)
            assert post.clock_stopped is (reason in pre.excluded_pauses)
            if reason is PauseReason.FINANCIAL_OBLIGATION:
                assert post.status is Status.FINANCIAL_OBLIGATION
            else:
                assert post.status is pre.status

    def resume(self, code: str) -> None:
        pre = self.live.get(code)
        running = pre.running_pause if pre is not None else None
        expect = _expect(
            pre is not None
            and pre.status in OPEN
            and running is not None
            and running.kind is PauseKind.PAUSE
        )
        kwargs = {
            "code": code,
            "agency": self._agency(pre, True, COUNTER),
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "resume", kwargs, expect)
        if post is not None:
            assert post.running_pause is None
            assert not post.clock_stopped

    def resolve(self, code: str) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status in ACTIVE)
        if pre is not None and _quiet_pause(pre):
            expect = Expect.EITHER  # the rules say nothing of resolving during such a pause
        kwargs = {
            "code": code,
            "agency": self._agency(pre, True, COUNTER),
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "resolve", kwargs, expect)
        if post is not None:
            assert post.status is Status.RESOLVED
            assert post.resolved_at == self.now
            assert post.timeliness(CALENDAR) is not None

    def return_result(self, code: str, channel: Channel) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status is Status.RESOLVED)
        kwargs = {
            "code": code,
            "agency": COUNTER,
            "channel": channel,
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "return_result", kwargs, expect)
        if post is not None:
            assert post.status is Status.RETURNED
            assert post.return_channel is channel

    def withdraw(self, code: str) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status in OPEN | {Status.SUBMITTED})
        kwargs = {
            "code": code,
            "agency": COUNTER,
            "reason": "công dân xin rút",
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "withdraw", kwargs, expect)
        if post is not None:
            assert post.status is Status.WITHDRAWN
            assert post.current_step is None

    def stop(self, code: str) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status in OPEN)
        kwargs = {
            "code": code,
            "agency": self._agency(pre, True, COUNTER),
            "reason": "vi phạm pháp luật đất đai",
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "stop", kwargs, expect)
        if post is not None:
            assert post.status is Status.STOPPED
            assert post.current_step is None

    def issue_apology(self, code: str, holder: bool, other: str, shift_days: int) -> None:
        pre = self.live.get(code)
        agency = self._agency(pre, holder, other)
        base = pre.current_due if pre is not None and pre.current_due is not None else self.now
        new_due = base + timedelta(days=shift_days)
        expect = _expect(
            pre is not None
            and pre.status in OPEN
            and agency in apology_agencies(pre, self.now, CALENDAR)
            and len(pre.apologies) < MAX_APOLOGIES
            and CALENDAR.working_days_between(self.now.date(), base.date()) >= 1
            and new_due > base
            and new_due.date() <= CALENDAR.last_day
        )
        kwargs = {
            "code": code,
            "agency": agency,
            "new_due": new_due,
            "reason": "cần xác minh thêm",
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "issue_apology", kwargs, expect)
        if post is not None:
            assert post.current_due == new_due
            assert post.apologies[-1].previous_due == base

    def record_feedback(self, code: str, rating: Rating, complaint: bool) -> None:
        pre = self.live.get(code)
        expect = _expect(pre is not None and pre.status is not Status.SUBMITTED)
        kwargs = {
            "code": code,
            "agency": COUNTER,
            "rating": rating,
            "comment": "",
            "complaint": complaint,
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "record_feedback", kwargs, expect)
        if post is not None and pre is not None:
            assert post.status is pre.status, "feedback never changes the status"

    def record_payment(self, code: str, amount: int, online: bool) -> None:
        pre = self.live.get(code)
        expect = _expect(
            pre is not None and pre.status in OPEN | {Status.RESOLVED, Status.RETURNED}
        )
        kwargs = {
            "code": code,
            "agency": COUNTER,
            "amount": amount,
            "online": online,
            "at": self.now,
            "command_id": self._command_id(),
        }
        post = self._run(code, "record_payment", kwargs, expect)
        if post is not None and pre is not None:
            assert post.status is pre.status, "a payment never changes the status"
            assert post.payments[-1].amount == amount

    def record_digitisation(self, code: str, components: int) -> None:
        pre = self.live.get(code)
        expect = _expect(
            pre is not None and pre.status in OPEN | {Status.RESOLVED, Status.RETURNED}
        )
        kwargs = {
            "code": code,
            "agency": COUNTER,
            "components": components,
            "at": self.now,
            "command_id": self._command_id(),
        }
        self._run(code, "record_digitisation", kwargs, expect)

    # -- a guided walk ---------------------------------------------------------------------
    @rule(data=st.data(), count=st.integers(1, 6))
    def take_valid_steps(self, data: st.DataObject, count: int) -> None:
        """A few of the commands the rules allow, so that random runs get deep."""
        for _ in range(count):
            self.wait_minutes(data.draw(st.integers(1, 600)))
            self._take_a_valid_step(data)

    def _take_a_valid_step(self, data: st.DataObject) -> None:
        options: list[Callable[[], None]] = []
        for code, d in sorted(self.live.items()):
            step = d.current_step
            if d.status is Status.SUBMITTED:
                proc = d.procedure
                options.append(lambda c=code, p=proc: self.receive(c, p, Channel.ONLINE, True))
            if d.status in ACTIVE:
                if _next_step(d) is not None:
                    options.append(lambda c=code: self.forward(c, True, COUNTER))
                if d.running_pause is None:
                    options.append(lambda c=code: self.request_supplement(c))
                    reason = data.draw(st.sampled_from(PauseReason))
                    options.append(lambda c=code, r=reason: self.pause(c, r))
                options.append(lambda c=code: self.resolve(c))
            if d.status in OPEN:
                if step is not None:
                    options.append(lambda c=code: self.finish_step(c, True, COUNTER))
                running = d.running_pause
                if running is not None and running.kind is PauseKind.PAUSE:
                    options.append(lambda c=code: self.resume(c))
                if not d.apologies:
                    shift = data.draw(st.integers(1, 20))
                    options.append(lambda c=code, k=shift: self.issue_apology(c, True, COUNTER, k))
            if d.status is Status.SUPPLEMENT_REQUESTED:
                options.append(lambda c=code: self.receive_supplement(c))
            if d.status is Status.RESOLVED:
                options.append(lambda c=code: self.return_result(c, Channel.POSTAL))
        if options:
            data.draw(st.sampled_from(options))()

    # -- the deadline watcher -------------------------------------------------------------
    @rule()
    def watcher_tick(self) -> None:
        before = {code: self._version(code) for code in self.live}
        late = {
            code
            for code, d in self.live.items()
            if d.is_open and d.overdue_at is None and d.is_late(self.now, CALENDAR)
        }
        result = self.watcher.tick(self.now)
        assert set(result.overdue) == late, "BecameOverdue for exactly the newly late dossiers"
        for code in self.live:
            grew = self._version(code) - before[code]
            assert grew == (1 if code in late else 0)
            if code in late:
                self.live[code] = self.app.dossier(code)
                assert self.live[code].overdue_at == self.now
        # a second tick at the same instant, by a fresh watcher, marks nothing again
        assert DeadlineWatcher(self.app).tick(self.now).overdue == ()

    # -- idempotency ----------------------------------------------------------------------
    @rule(data=st.data(), again_now=st.booleans())
    def repeat_a_command(self, data: st.DataObject, again_now: bool) -> None:
        if not self.applied:
            return
        code, kind, kwargs = data.draw(st.sampled_from(self.applied))
        before = self._version(code)
        repeat = dict(kwargs, at=self.now) if again_now else dict(kwargs)
        dossier = getattr(self.app, kind)(**repeat)
        assert self._version(code) == before, f"repeated {kind} {kwargs['command_id']} wrote"
        assert dossier.version == before

    @rule(
        data=st.data(),
        method=st.sampled_from(
            (
                "resolve",
                "withdraw",
                "stop",
                "request_supplement",
                "pause",
                "resume",
                "receive_supplement",
                "return_result",
                "record_feedback",
                "record_payment",
                "issue_apology",
                "finish_step",
            )
        ),
    )
    def repeat_an_id_on_the_aggregate(self, data: st.DataObject, method: str) -> None:
        """A command carrying an id it already applied returns False and triggers nothing;
        another command carrying that id is refused (a command id names one command)."""
        if not self.applied:
            return
        code, _, kwargs = data.draw(st.sampled_from(self.applied))
        dossier = self.app.dossier(code)
        every: dict[str, Any] = {
            "at": self.now,
            "agency": COUNTER,
            "command_id": kwargs["command_id"],
        }
        extra: dict[str, dict[str, Any]] = {
            "resolve": {},
            "withdraw": {},
            "stop": {"reason": "x"},
            "request_supplement": {"reason": "x"},
            "pause": {"reason": PauseReason.PUBLIC_POSTING},
            "resume": {"calendar": CALENDAR},
            "receive_supplement": {"calendar": CALENDAR},
            "return_result": {},
            "record_feedback": {"rating": Rating.SATISFIED},
            "record_payment": {"amount": 1, "online": True},
            "issue_apology": {"new_due": END, "reason": "x", "calendar": CALENDAR},
            "finish_step": {"calendar": CALENDAR},
        }
        if dossier.applied_by[kwargs["command_id"]] == RECORDS[method]:
            assert getattr(dossier, method)(**every, **extra[method]) is False
        else:
            with pytest.raises(InvalidInputError, match=r"^command_id: .* by another command"):
                getattr(dossier, method)(**every, **extra[method])
        assert dossier.collect_events() == []

    # -- invariants -----------------------------------------------------------------------
    @invariant()
    def clock_in_range(self) -> None:
        assert START <= self.now <= END

    @invariant()
    def stored_state_is_the_live_state(self) -> None:
        for code, live in self.live.items():
            rebuilt = self.app.repository.get(dossier_id(code))
            assert rebuilt == live
            assert rebuilt.__dict__ == live.__dict__
            assert live.version == self._version(code)

    @invariant()
    def national_status_is_consistent(self) -> None:
        for code, d in self.live.items():
            _check_dossier(d, self._events(code))

    @invariant()
    def the_overdue_list_is_the_open_late_dossiers(self) -> None:
        listed = {item.code for item in self.app.overdue(self.now)}
        late = {c for c, d in self.live.items() if d.is_open and d.is_late(self.now, CALENDAR)}
        assert listed == late


def _check_dossier(d: Dossier, events: list[DomainEventProtocol[Any]]) -> None:
    """Invariants of one dossier's state and stream."""
    status = d.status
    # the stream
    ats = [e.at for e in events]  # type: ignore[attr-defined]
    assert ats == sorted(ats), "events are in business-time order"
    assert d.last_at == ats[-1]
    ids = {e.command_id for e in events if e.command_id}  # type: ignore[attr-defined]
    assert d.command_ids == ids
    overdue = [e for e in events if isinstance(e, Dossier.BecameOverdue)]
    assert len(overdue) <= 1, "overdue is marked at most once"
    assert (d.overdue_at is not None) is bool(overdue)
    # receipt and the three dues
    if status is Status.SUBMITTED:
        assert not d.is_received
    if not d.is_received:
        assert status in (Status.SUBMITTED, Status.REFUSED, Status.WITHDRAWN)
        assert d.original_due is None
        assert not d.steps
        assert not d.pauses
    else:
        assert d.received_at is not None
        assert d.effective_start is not None
        assert d.original_due is not None
        assert d.legal_due is not None
        assert d.current_due is not None
        assert d.received_at <= d.effective_start <= d.original_due
        assert d.legal_due >= d.original_due, "the legal due is never before the appointment"
        assert d.current_due >= d.legal_due, "the citizen's appointment is never before it"
    # ends
    assert (d.resolved_at is not None) is (status in (Status.RESOLVED, Status.RETURNED))
    assert (d.ended_at is not None) is (status in ENDED)
    if status is Status.RETURNED:
        assert d.returned_at is not None
        assert d.resolved_at is not None
        assert d.returned_at >= d.resolved_at
    else:
        assert d.returned_at is None
    assert d.is_open is (status in OPEN)
    # steps
    keys = [s.key for s in d.steps]
    assert keys == [s.key for s in d.process][: len(keys)], "steps follow the process once"
    assert all(not s.in_progress for s in d.steps[:-1]), "one step at a time"
    planned = {p.key: p for p in d.process}
    for s in d.steps:
        assert s.agency == planned[s.key].agency
        assert s.finished_at is None or s.finished_at >= s.started_at
    judged = {e.step for e in events if isinstance(e, Dossier.StepFinished)}
    resolved = [e for e in events if isinstance(e, Dossier.Resolved)]
    if resolved and resolved[0].step_timeliness is not None:
        judged.add(d.steps[-1].key)  # the resolution finished the running step
    for s in d.steps:
        if s.key in judged:
            assert s.finished_at is not None
            assert s.timeliness is _step_verdict(d, s, s.finished_at)
        else:
            assert s.timeliness is None, "a step closed by withdrawal or stop is not judged"
    if d.ended_at is not None:
        assert d.current_step is None, "an ended dossier has no step in progress"
    # pauses
    assert all(not p.running for p in d.pauses[:-1]), "at most one pause runs"
    for p in d.pauses:
        assert p.ended_at is None or p.ended_at >= p.started_at
        if p.kind is PauseKind.PAUSE:
            assert p.stops_clock is (PauseReason(p.reason) in d.excluded_pauses)
        else:
            assert p.stops_clock
    supplements = [p for p in d.pauses if p.kind is PauseKind.SUPPLEMENT]
    assert d.supplement_requests == len(supplements)
    running = d.running_pause
    if status is Status.SUPPLEMENT_REQUESTED:
        assert running is not None
        assert running.kind is PauseKind.SUPPLEMENT
    if status is Status.FINANCIAL_OBLIGATION:
        assert running is not None
        assert running.reason == PauseReason.FINANCIAL_OBLIGATION.value
    if d.is_open and running is not None:
        if running.kind is PauseKind.SUPPLEMENT:
            assert status is Status.SUPPLEMENT_REQUESTED
        elif running.reason == PauseReason.FINANCIAL_OBLIGATION.value:
            assert status is Status.FINANCIAL_OBLIGATION
    if d.supplement_policy is SupplementPolicy.RESTART:
        assert all(not p.stops_clock for p in d.pauses if p.kind is PauseKind.PAUSE) or bool(
            d.excluded_pauses
        )
    # apologies
    assert len(d.apologies) <= MAX_APOLOGIES
    for apology in d.apologies:
        assert apology.new_due > apology.previous_due
        assert apology.at.date() < apology.previous_due.date(), "on a date before the due date"
    # verdicts
    verdict = d.timeliness(CALENDAR)
    assert (verdict is None) is (d.resolved_at is None)
    if d.multiple_supplements:
        assert verdict in (None, Timeliness.LATE)


DossierMachine.TestCase.settings = settings(
    settings.default,
    max_examples=settings.default.max_examples,
    stateful_step_count=30,
)
test_dossier_state_machine = DossierMachine.TestCase
