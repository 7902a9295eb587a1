"""The judgements every reading of a dossier shares, each defined once.

The dossier's state, its slips, the deadline watcher and the projections all ask the same
questions: was the dossier early, on time or late; is it overdue now; did a step keep to its
share; who caused the lateness; may this agency apologise. The answers are legal
definitions, so they live here and nowhere else (decision record 0009).

* **Measured end** — the instant a dossier is judged at: the end of processing (status 9
  "Đã xử lý xong", else 10, else the stop, refusal or withdrawal; QĐ 766/QĐ-TTg chỉ số 2.1),
  or "now" for an open dossier; when a clock-stopping pause (a supplement under the pause
  policy, an excluded financial obligation, a public posting…) still runs at that instant,
  the pause's start: QĐ 766 subtracts the waiting time, and a dossier waiting on its
  supplement is measured at the request (DOMAIN.md §2.4, DESIGN.md §3 rule 6).
* **Timeliness** of a resolved dossier: its measured end against the legal due, by date
  (QĐ 766) or by instant; more than one supplement request makes it late (QĐ 766 chỉ số
  2.1). An apology's new appointment never moves the legal due.
* **Step verdict** (phiếu kiểm soát quá trình giải quyết hồ sơ, TT 01/2018 Mẫu 05,
  TT 03/2025 Mẫu 06): the working time a step used against the working time its share
  allowed, in whole minutes — less is early, equal on time, more late (DOMAIN.md §2.8).
* **Cause of lateness**: the dossier's working time is cut into segments, each held by one
  agency: the reception (from receipt to the first step, held by the receiving agency and
  allowed the transfer time of :data:`TRANSFER_LIMIT`), then each step from its start to
  the next step's start (or to the end), so that the time between a hand-over and the next
  start is the sender's.
  The first segment that used more working time than it was allowed names the agency; a
  dossier late only because of a second supplement request names the agency that made it;
  with no overrun, the agency holding the dossier at its legal due.
* **Apology** (Mẫu 04, ND 61/2018 Điều 19 khoản 3): the agency handling the dossier or one
  whose segment overran may apologise, never the receiving counter for another agency's
  delay, and by default on a date before the due date.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime, time
from typing import TYPE_CHECKING

import attrs

from tthc_engine.domain.records import PauseKind, StepRecord
from tthc_engine.worktime import Comparison, TimeLimit, Timeliness, VietnamCalendar, ensure_aware

if TYPE_CHECKING:
    from tthc_engine.domain.state import DossierState

__all__ = [
    "TRANSFER_LIMIT",
    "Segment",
    "SegmentKind",
    "apology_agencies",
    "in_time_766",
    "is_late",
    "late_by",
    "late_cause",
    "measured_end",
    "segments",
    "step_verdict",
    "timeliness",
    "verdict",
]

TRANSFER_LIMIT = TimeLimit.same_day(cutoff=time(15, 0))
"""What the reception may take before the first step starts: until the close of the receipt
day, or of the next working day when the dossier was received after 15:00.

ND 61/2018/NĐ-CP Điều 18 (and the internal processes approved under ND 118/2025) has the
counter transfer a dossier within the working day of receipt, or at the start of the next
working day ("đầu giờ ngày làm việc tiếp theo") when received after 15:00; a paper file
may follow within one working day. Allowing that next day up to its close is an
interpretation (decision record 0009): the log records when the next agency started, not
when the counter sent, and "đầu giờ" names no minute."""


def _clock_stop_at(d: DossierState, instant: datetime) -> datetime | None:
    """The start of a clock-stopping pause that runs at ``instant``, if one does."""
    for pause in reversed(d.pauses):
        if not pause.stops_clock or pause.started_at > instant:
            continue
        running = pause.ended_at is None or pause.ended_at > instant
        if running or (pause.cut_by_end and pause.ended_at == instant):
            return pause.started_at
        return None
    return None


def measured_end(d: DossierState, as_of: datetime | None = None) -> datetime | None:
    """The instant the dossier is judged at (see the module docstring), or None when it was
    never received, was not yet received at ``as_of``, or is open and no ``as_of`` is given.

    For a dossier that ended after ``as_of``, the answer is ``as_of``: at that moment it
    was still open.
    """
    if d.received_at is None:
        return None
    end = d.end_of_processing
    if as_of is not None:
        as_of = ensure_aware(as_of, "as_of")
        if as_of < d.received_at:
            return None  # not yet received then: nothing to judge (QĐ 766 counts received ones)
        if end is None or end > as_of:
            end = as_of
    if end is None:
        return None
    return _clock_stop_at(d, end) or end


def _supplements_before(d: DossierState, instant: datetime) -> int:
    return sum(1 for p in d.pauses if p.kind is PauseKind.SUPPLEMENT and p.started_at <= instant)


def timeliness(
    d: DossierState, calendar: VietnamCalendar, by: Comparison | str = Comparison.DATE
) -> Timeliness | None:
    """Early / on time / late of a resolved dossier (status 9 or 10); None otherwise.

    Returning the result (status 10) never changes it: status 9 ends processing
    (DOMAIN.md §2.9).
    """
    if d.resolved_at is None or d.legal_due is None:
        return None
    if d.multiple_supplements:
        return Timeliness.LATE
    end = measured_end(d)
    assert end is not None
    return calendar.classify(end, d.legal_due, by)


def is_late(
    d: DossierState,
    as_of: datetime,
    calendar: VietnamCalendar,
    by: Comparison | str = Comparison.DATE,
) -> bool:
    """Late at ``as_of``: resolved late by then, or still open (unresolved) past the legal due.

    A dossier that was withdrawn or stopped has no timeliness and is never late here; a
    supplement requested after the due keeps an open dossier late.
    """
    as_of = ensure_aware(as_of, "as_of")
    if d.legal_due is None or not d.is_received:
        return False
    if d.resolved_at is not None and d.resolved_at <= as_of:
        return timeliness(d, calendar, by) is Timeliness.LATE
    if d.ended_at is not None and d.ended_at <= as_of:
        return False
    end = measured_end(d, as_of)
    return end is not None and calendar.classify(end, d.legal_due, by) is Timeliness.LATE


def in_time_766(
    d: DossierState,
    calendar: VietnamCalendar,
    period_end: datetime,
    by: Comparison | str = Comparison.DATE,
) -> bool | None:
    """QĐ 766/QĐ-TTg chỉ số 2.1 for one dossier at the end of a period: its end of processing
    (resolved > returned > stopped/refused/withdrawn; the period end while still open; the
    request while waiting on a supplement) no later than its appointment, and at most one
    supplement request. None for a dossier not received by ``period_end`` (it is not
    counted)."""
    end = measured_end(d, period_end)
    if end is None or d.legal_due is None:
        return None
    if _supplements_before(d, end) > 1:
        return False
    return calendar.classify(end, d.legal_due, by) is not Timeliness.LATE


def late_by(d: DossierState, calendar: VietnamCalendar, as_of: datetime | None = None) -> int:
    """Working days late: of the measured end (``as_of`` for an open dossier) after the legal
    due date; 0 when not late by date."""
    if d.legal_due is None:
        return 0
    if d.resolved_at is None and (
        as_of is None or (d.ended_at is not None and d.ended_at <= as_of)
    ):
        return 0  # open with no "now", or withdrawn/stopped: no lateness to count
    end = measured_end(d, as_of if d.resolved_at is None else None)
    return 0 if end is None else calendar.late_by(end, d.legal_due)


# -- working time ------------------------------------------------------------------------
def _working(calendar: VietnamCalendar, start: datetime, end: datetime) -> float:
    if end <= start:
        return 0.0
    return calendar.working_position(end) - calendar.working_position(start)


def _stopped(d: DossierState, calendar: VietnamCalendar, start: datetime, end: datetime) -> float:
    """Working seconds of clock-stopping pauses inside [start, end]."""
    total = 0.0
    for pause in d.pauses:
        if not pause.stops_clock:
            continue
        a = max(pause.started_at, start)
        b = min(pause.ended_at or end, end)
        total += _working(calendar, a, b)
    return total


def verdict(used: float, allowed: float) -> Timeliness:
    """Early / on time / late of ``used`` against ``allowed`` working seconds, compared in
    whole minutes as a control-slip report does (DOMAIN.md §2.8)."""
    u, a = int(used // 60), int(allowed // 60)
    if u < a:
        return Timeliness.EARLY
    return Timeliness.ON_TIME if u == a else Timeliness.LATE


def _step_usage(
    d: DossierState, step: StepRecord, end: datetime, calendar: VietnamCalendar
) -> tuple[float, float]:
    """(used, allowed) working seconds of ``step`` up to ``end``."""
    start = step.counted_from
    allowed = _working(calendar, start, step.allotted_until)
    used = _working(calendar, start, end) - _stopped(d, calendar, start, end)
    return max(used, 0.0), allowed


def step_verdict(
    d: DossierState, step: StepRecord, finished_at: datetime, calendar: VietnamCalendar
) -> Timeliness:
    """The control slip's verdict on ``step`` finished at ``finished_at``: its working time
    used (clock-stopping pauses excluded) against its share, in whole minutes."""
    end = _clock_stop_at(d, finished_at) or finished_at
    used, allowed = _step_usage(d, step, end, calendar)
    return verdict(used, allowed)


# -- cause of lateness ---------------------------------------------------------------------
class SegmentKind(enum.Enum):
    RECEPTION = "reception"
    """From receipt to the first step: the receiving agency hands the dossier over."""
    STEP = "step"
    """A step, from its start to the next step's start (or to the dossier's end)."""


@attrs.frozen
class Segment:
    """A stretch of the dossier's working time held by one agency, and what it was allowed."""

    kind: SegmentKind
    agency: str
    start: datetime
    end: datetime
    used: float
    """Working seconds used, clock-stopping pauses excluded."""
    allowed: float
    """Working seconds allowed."""
    step: str | None = None

    @property
    def overran(self) -> bool:
        return verdict(self.used, self.allowed) is Timeliness.LATE


def segments(d: DossierState, calendar: VietnamCalendar, as_of: datetime) -> Iterator[Segment]:
    """The dossier's segments up to its measured end at ``as_of``, in time order."""
    end = measured_end(d, as_of)
    if end is None or d.received_at is None or not d.steps:
        return
    first = d.steps[0]
    hand_over = min(first.started_at, end)
    transfer_due = calendar.due(d.received_at, TRANSFER_LIMIT).due_at
    yield Segment(
        SegmentKind.RECEPTION,
        d.receiving_agency,
        d.received_at,
        hand_over,
        max(
            _working(calendar, d.received_at, hand_over)
            - _stopped(d, calendar, d.received_at, hand_over),
            0.0,
        ),
        _working(calendar, d.received_at, transfer_due),
    )
    for index, step in enumerate(d.steps):
        if step.started_at >= end:
            return
        nxt = d.steps[index + 1].started_at if index + 1 < len(d.steps) else end
        stop = min(nxt, end)
        used, allowed = _step_usage(d, step, stop, calendar)
        yield Segment(SegmentKind.STEP, step.agency, step.started_at, stop, used, allowed, step.key)


def late_cause(
    d: DossierState,
    as_of: datetime,
    calendar: VietnamCalendar,
    by: Comparison | str = Comparison.DATE,
) -> str | None:
    """The agency that caused the lateness of a dossier late at ``as_of`` (None if it is not
    late): the first segment that overran its allowance; for a dossier late only through a
    second supplement request, the agency that made that request; otherwise the agency
    holding the dossier at its legal due."""
    if not is_late(d, as_of, calendar, by):
        return None
    end = measured_end(d, as_of)
    assert end is not None
    assert d.legal_due is not None
    late_by_time = calendar.classify(end, d.legal_due, by) is Timeliness.LATE
    if not late_by_time:
        requests = [p for p in d.pauses if p.kind is PauseKind.SUPPLEMENT]
        if len(requests) > 1 and requests[1].agency:
            return requests[1].agency
    for segment in segments(d, calendar, as_of):
        if segment.overran:
            return segment.agency
    return d.holder_at(d.legal_due)


def apology_agencies(d: DossierState, at: datetime, calendar: VietnamCalendar) -> frozenset[str]:
    """The agencies that may issue the apology at ``at`` (Mẫu 04, ND 61/2018 Điều 19 khoản 3):
    the agency handling the dossier and every agency whose segment has overran, but not the
    receiving counter when the delay is another agency's."""
    holder = d.current_step.agency if d.current_step is not None else d.holder
    overran = {s.agency for s in segments(d, calendar, at) if s.overran}
    allowed = overran | {holder}
    if holder == d.receiving_agency and holder not in overran and overran:
        allowed.discard(holder)  # the counter does not apologise for another agency's delay
    return frozenset(allowed)
