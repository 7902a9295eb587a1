"""The counts a report is made of, kept so that any partition of the dossiers adds up.

Every count is a number of dossiers, kept per segment (month) of the period and, inside a
segment, overall and per group (agency, procedure, field, level). Two tallies of the same
period add up key by key (:meth:`PeriodTally.merge`), so a log split by dossier across
processes, or a projection kept per month, gives the same report as one pass.

Three kinds of count:

* *additive* — events of the segment: received, resolved (early / on time / late), withdrawn,
  stopped, refused, control-slip verdicts, causes of lateness, and the service inputs of the
  dossiers received (or resolved) in it, judged at its end;
* *opening* — ``carried_over``: dossiers received before the segment and open at its start;
* *closing* — ``pending`` / ``overdue``: open at the segment's end; and the QĐ 766 chỉ số 2.1
  population (received in the segment or open at its start) with the number in time at its
  end, kept twice: for all of them, and for those that *left* the population in the segment
  (ended in it), so that a period of several segments counts each dossier once, at the end
  of the last segment it belongs to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

import attrs

__all__ = [
    "ADDITIVE",
    "CLOSING",
    "DIMENSIONS",
    "OPENING",
    "PeriodTally",
    "SegmentTally",
    "combine",
]

DIMENSIONS = ("agency", "procedure", "field", "level")
"""The groups of the report: by agency (the receiving agency), procedure, field (lĩnh vực)
and level (cấp thực hiện)."""

ADDITIVE = (
    "received",
    "received_counter",
    "received_online",
    "received_postal",
    "resolved",
    "early",
    "on_time",
    "late",
    "late_with_apology",
    "withdrawn",
    "stopped",
    "refused",
    "fee_base",
    "paid_online",
    "digitised",
    "rated",
    "rated_satisfied",
    "complained",
)
OPENING = ("carried_over",)
CLOSING = ("pending", "overdue", "pop_766", "in_time_766")
EXITING = ("exit_pop_766", "exit_in_time_766")


def _counters() -> dict[str, Counter[str]]:
    return {}


@attrs.define
class SegmentTally:
    """The counts of one segment: overall, per group, per step agency, per cause."""

    overall: Counter[str] = attrs.field(factory=Counter)
    groups: dict[str, dict[str, Counter[str]]] = attrs.field(
        factory=lambda: {d: {} for d in DIMENSIONS}
    )
    steps: dict[str, Counter[str]] = attrs.field(factory=_counters)
    late_caused_by: Counter[str] = attrs.field(factory=Counter)

    def add(self, key: str, groups: Iterable[tuple[str, str]], n: int = 1) -> None:
        """Count ``n`` for ``key`` overall and in each (dimension, value) group."""
        self.overall[key] += n
        for dimension, value in groups:
            bucket = self.groups[dimension].get(value)
            if bucket is None:
                bucket = self.groups[dimension][value] = Counter()
            bucket[key] += n

    def merge(self, other: SegmentTally) -> None:
        self.overall.update(other.overall)
        for dimension, values in other.groups.items():
            mine = self.groups.setdefault(dimension, {})
            for value, counts in values.items():
                mine.setdefault(value, Counter()).update(counts)
        for agency, counts in other.steps.items():
            self.steps.setdefault(agency, Counter()).update(counts)
        self.late_caused_by.update(other.late_caused_by)


@attrs.define
class PeriodTally:
    """One :class:`SegmentTally` per segment of a period."""

    segments: list[SegmentTally]

    @classmethod
    def empty(cls, n: int) -> PeriodTally:
        return cls([SegmentTally() for _ in range(n)])

    def merge(self, other: PeriodTally) -> PeriodTally:
        """Add ``other`` (the same period) into this tally; returns self."""
        if len(other.segments) != len(self.segments):
            raise ValueError("tallies of different periods cannot be merged")
        for mine, theirs in zip(self.segments, other.segments, strict=True):
            mine.merge(theirs)
        return self


def combine(counters: list[Counter[str]]) -> Counter[str]:
    """The counts of consecutive segments as one: additive counts summed, ``carried_over``
    from the first, the closing counts from the last, and the QĐ 766 population counted
    once per dossier (those that left it in an earlier segment, plus the last one's)."""
    total: Counter[str] = Counter()
    if not counters:
        return total
    for c in counters:
        for key in ADDITIVE:
            if c[key]:
                total[key] += c[key]
    for key in OPENING:
        total[key] = counters[0][key]
    last = counters[-1]
    for key in CLOSING:
        total[key] = last[key]
    for c in counters[:-1]:
        total["pop_766"] += c["exit_pop_766"]
        total["in_time_766"] += c["exit_in_time_766"]
    return total


def group_values(tally: PeriodTally, dimension: str) -> Iterator[str]:
    """Every value of ``dimension`` seen in any segment, sorted."""
    seen: set[str] = set()
    for segment in tally.segments:
        seen.update(segment.groups.get(dimension, {}))
    yield from sorted(seen)
