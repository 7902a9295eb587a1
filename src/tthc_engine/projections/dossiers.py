"""What one dossier adds to a report: its groups, its events' counts, its snapshots.

Every figure reads the dossier through the domain's judgements
(:mod:`tthc_engine.domain.judgements`): timeliness, lateness at an instant, the QĐ 766
measured end, the step verdicts, the cause of lateness. Nothing here restates a rule.

* :func:`count_fact` — the counts a fact adds in the segment it happens in (received,
  resolved early / on time / late, withdrawn, stopped, refused, steps, causes);
* :func:`count_boundary` — the counts of a dossier at a segment's end (pending, overdue,
  the QĐ 766 population and in-time count, its service inputs) and the next segment's
  ``carried_over``.

A dossier whose processing ended is kept as a small :class:`Ended` record: at later
segment ends it is no longer open, and only its service inputs can still change (a
rating, a payment, a digitisation after the result), so it needs neither its steps nor its
pauses.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

import attrs

from tthc_engine.catalog import Procedure
from tthc_engine.domain import Channel, Rating, Status, judgements
from tthc_engine.domain.facts import FactType
from tthc_engine.domain.state import DossierState
from tthc_engine.projections.period import Period, Segment
from tthc_engine.projections.tally import PeriodTally
from tthc_engine.worktime import Comparison, Timeliness, VietnamCalendar

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Ended", "Groups", "Service", "count_boundary", "count_fact", "service_of"]

UNKNOWN = "unknown"
"""The group value when the catalog does not say (no catalog, or the code is not in it)."""

_CHANNEL_KEY = {
    Channel.COUNTER: "received_counter",
    Channel.ONLINE: "received_online",
    Channel.POSTAL: "received_postal",
}
_SATISFIED = (Rating.SATISFIED, Rating.VERY_SATISFIED)


@attrs.frozen
class Groups:
    """The groups a dossier is counted in, and what its procedure's catalog entry says."""

    pairs: tuple[tuple[str, str], ...]
    fee: int | None = None
    """The procedure's usual fee (0 = free; None = not known)."""
    paper_result: bool | None = None
    """Whether the result is a paper document (QĐ 766 chỉ số 4.1–4.2); None = not known."""

    @classmethod
    def of(cls, d: DossierState, procedure: Procedure | None) -> Groups:
        """The groups of ``d`` (one shared object per distinct set: a province has a few
        hundred, its year a million dossiers)."""
        agency = d.receiving_agency or d.holder or UNKNOWN
        if procedure is None:
            return _groups(agency, d.procedure or UNKNOWN, UNKNOWN, UNKNOWN, None, None)
        return _groups(
            agency,
            d.procedure,
            procedure.field,
            procedure.level.value,
            procedure.fee.amount,
            procedure.paper_result,
        )


@lru_cache(maxsize=65536)
def _groups(
    agency: str,
    procedure: str,
    field: str,
    level: str,
    fee: int | None,
    paper_result: bool | None,
) -> Groups:
    pairs = (("agency", agency), ("procedure", procedure), ("field", field), ("level", level))
    return Groups(pairs, fee, paper_result)


@attrs.define
class Service:
    """A dossier's service inputs (QĐ 766 chỉ số 3.6, 4.2, 5.4) as of some instant."""

    paid: bool = False
    """A fee of more than 0 đồng was paid."""
    paid_online: bool = False
    components: int = 0
    e_result: bool = False
    rating: Rating | None = None
    """The last rating given."""
    complained: bool = False
    """A complaint, or a "không hài lòng" rating."""

    def absorb(self, d: DossierState) -> None:
        """Add what ``d`` records (payments, digitisation, feedback) to these inputs."""
        for payment in d.payments:
            if payment.amount > 0:
                self.paid = True
                self.paid_online = self.paid_online or payment.online
        self.components += d.digitised_components
        self.e_result = self.e_result or d.e_result
        for feedback in d.feedback:
            self.rating = feedback.rating
            if feedback.complaint or feedback.rating is Rating.DISSATISFIED:
                self.complained = True


def service_of(d: DossierState) -> Service:
    service = Service()
    service.absorb(d)
    return service


@attrs.define(slots=True)
class Ended:
    """A dossier whose processing ended: what later segment ends still need of it."""

    code: str
    groups: Groups
    received_at: datetime | None
    resolved_at: datetime | None
    ended_at: datetime
    in_time_766: bool | None
    service: Service
    status: Status
    last_at: datetime | None

    @classmethod
    def of(
        cls, d: DossierState, groups: Groups, calendar: VietnamCalendar, by: Comparison
    ) -> Ended:
        end = d.end_of_processing
        assert end is not None
        return cls(
            d.code,
            groups,
            d.received_at,
            d.resolved_at,
            end,
            judgements.in_time_766(d, calendar, end, by),
            service_of(d),
            d.status,
            d.last_at,
        )


def count_fact(
    kind: FactType,
    d: DossierState,
    finished_before: int,
    groups: Groups,
    segment: Segment | None,
    tally: PeriodTally,
    calendar: VietnamCalendar,
    by: Comparison,
) -> None:
    """The counts added by a fact of ``kind`` just applied to ``d`` (``finished_before``:
    how many steps were finished before it), in the segment it happened in."""
    if segment is None:
        return
    seg = tally.segments[segment.index]
    pairs = groups.pairs
    if kind is FactType.RECEIVED:
        seg.add("received", pairs)
        seg.add(_CHANNEL_KEY[d.channel], pairs)
    elif kind is FactType.RESOLVED:
        verdict = judgements.timeliness(d, calendar, by)
        assert verdict is not None
        assert d.resolved_at is not None
        seg.add("resolved", pairs)
        seg.add(verdict.value, pairs)
        if verdict is Timeliness.LATE:
            if any(a.at < a.previous_due for a in d.apologies):
                seg.add("late_with_apology", pairs)
            cause = judgements.late_cause(d, d.resolved_at, calendar, by)
            if cause is not None:
                seg.late_caused_by[cause] += 1
    elif kind is FactType.WITHDRAWN and d.is_received:
        seg.add("withdrawn", pairs)
    elif kind is FactType.STOPPED:
        seg.add("stopped", pairs)
    elif kind is FactType.REFUSED:
        seg.add("refused", pairs)
    for step in d.steps[finished_before:]:
        if step.finished_at is not None and step.timeliness is not None:
            seg.steps.setdefault(step.agency, _verdicts())[step.timeliness.value] += 1


def _verdicts() -> Counter[str]:
    return Counter({"early": 0, "on_time": 0, "late": 0})


def count_boundary(
    view: DossierState | Ended,
    groups: Groups,
    index: int,
    period: Period,
    tally: PeriodTally,
    calendar: VietnamCalendar,
    by: Comparison,
) -> None:
    """The counts of a dossier at the end of segment ``index`` (its state as of then), and
    ``carried_over`` of the next segment. ``index`` -1 is the period's start."""
    segments: Sequence[Segment] = period.segments
    received = view.received_at
    if received is None:
        return
    end: datetime | None = view.ended_at if isinstance(view, Ended) else view.end_of_processing
    if index < 0:
        start = period.start
        if received < start and (end is None or end >= start):
            tally.segments[0].add("carried_over", groups.pairs)
        return
    segment = segments[index]
    if received >= segment.end:
        return
    seg = tally.segments[index]
    pairs = groups.pairs
    open_at_start = received < segment.start and (end is None or end >= segment.start)
    open_at_end = end is None or end >= segment.end
    as_of = segment.as_of
    if open_at_start or received >= segment.start:
        if isinstance(view, Ended):
            in_time = view.in_time_766
        else:
            in_time = judgements.in_time_766(view, calendar, as_of, by)
        if in_time is not None:
            seg.add("pop_766", pairs)
            if in_time:
                seg.add("in_time_766", pairs)
            if not open_at_end:
                seg.add("exit_pop_766", pairs)
                if in_time:
                    seg.add("exit_in_time_766", pairs)
    if open_at_end:
        assert not isinstance(view, Ended)
        late = judgements.is_late(view, as_of, calendar, by)
        seg.add("overdue" if late else "pending", pairs)
        if index + 1 < len(segments):
            tally.segments[index + 1].add("carried_over", pairs)
    service = view.service if isinstance(view, Ended) else service_of(view)
    if received >= segment.start:
        charged = groups.fee > 0 if groups.fee is not None else service.paid
        if charged:
            seg.add("fee_base", pairs)
            if service.paid_online:
                seg.add("paid_online", pairs)
        needs_e_result = bool(groups.paper_result)
        if service.components > 0 and (service.e_result or not needs_e_result):
            seg.add("digitised", pairs)
    resolved = view.resolved_at
    if resolved is not None and segment.start <= resolved < segment.end:
        if service.complained:
            seg.add("complained", pairs)
        if service.rating is not None:
            seg.add("rated", pairs)
            if service.rating in _SATISFIED:
                seg.add("rated_satisfied", pairs)
