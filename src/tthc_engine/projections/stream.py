"""One streaming pass: facts in, the period's tally out.

:class:`ReportFold` takes the facts of many dossiers (in any interleaving, each dossier's
facts in time order), carries each fact out on that dossier's
:class:`~tthc_engine.domain.fold.FoldedDossier` — so a history that breaks a rule is
refused exactly as the application would refuse it — and counts what it adds
(:mod:`tthc_engine.projections.dossiers`). Before a dossier's first fact at or after a
segment's end, its state is counted at that end; at the end of the stream every dossier is
counted at the remaining ends. Facts at or after the period's end are not read.

Memory grows with the dossiers open at once (their full state) plus a small record per
ended dossier, not with the number of facts.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from tthc_engine.catalog import Catalog, Procedure
from tthc_engine.domain import PlannedStep, Status
from tthc_engine.domain.facts import Fact, FactRules, FactType, apply_fact
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.errors import CatalogError, InvalidInputError, TthcError
from tthc_engine.projections.dossiers import (
    Ended,
    Groups,
    count_boundary,
    count_fact,
)
from tthc_engine.projections.period import Period
from tthc_engine.projections.tally import PeriodTally
from tthc_engine.worktime import Comparison

__all__ = ["FactError", "ReportFold", "fold_fact", "receipt_defaults"]


class FactError(TthcError):
    """A fact that cannot be carried out (its dossier's history is impossible)."""

    def __init__(self, fact: Fact, cause: TthcError) -> None:
        self.fact = fact
        self.cause = cause
        super().__init__(f"{fact.type.value} {fact.id} of {fact.dossier}: {cause}")


def fold_fact(
    dossier: FoldedDossier | None, fact: Fact, rules: FactRules, catalog: Catalog | None
) -> FoldedDossier:
    """``dossier`` after ``fact`` (None: the dossier's first fact), carried out with the
    domain's rules and what the catalog fixes at receipt (:func:`receipt_defaults`).

    Raises:
        FactError: the fact breaks a rule of the dossier's history, has a bad field, or
            repeats an ``id`` already applied to this dossier.
    """
    version = dossier.version if dossier is not None else None  # the fold may work in place
    try:
        folded = apply_fact(dossier, fact, rules, FoldedDossier, receipt_defaults(catalog, fact))
    except TthcError as error:
        raise FactError(fact, error) from None
    assert isinstance(folded, FoldedDossier)
    if folded.version == version:
        raise FactError(
            fact, InvalidInputError(f"id: {fact.id!r} was already used in this dossier")
        )
    return folded


def receipt_defaults(catalog: Catalog | None, fact: Fact) -> dict[str, object] | None:
    """What the catalog fixes for a receipt the fact does not spell out (its version in
    force on the receipt's day: name, limit, policies, process); None for other facts."""
    if catalog is None or fact.type is not FactType.RECEIVED:
        return None
    code = fact.data.get("procedure")
    if not isinstance(code, str):
        return None
    try:
        procedure = catalog.in_force(code, fact.at.date())
    except CatalogError:
        return None
    plan = []
    for step in procedure.steps:
        agency = step.agency_code or catalog.agency_code(step.agency) or step.agency
        plan.append(PlannedStep(step.key, step.name, agency, step.allotted))
    return {
        "procedure_name": procedure.name,
        "limit": procedure.limit,
        "supplement_policy": procedure.supplement_policy,
        "excluded_pauses": procedure.excluded_pauses,
        "process": plan,
    }


@attrs.define(slots=True)
class _Open:
    dossier: FoldedDossier
    groups: Groups | None
    boundary: int
    """The next segment end to count it at (-1: the period's start)."""


def _finished(d: FoldedDossier) -> int:
    """How many steps are finished (all but a step in progress, which is the last)."""
    return len(d.steps) - (1 if d.current_step is not None else 0)


_LATE_TYPES = frozenset(
    {
        FactType.RESULT_RETURNED,
        FactType.FEEDBACK_GIVEN,
        FactType.FEE_PAID,
        FactType.DIGITISED,
    }
)


class ReportFold:
    """The streaming computation of a period's :class:`PeriodTally`.

    Args:
        period: the report's period.
        rules: the calendar and settings facts are carried out under.
        catalog: fills a receipt's missing limit/process/policies and gives each dossier's
            field, level, fee and paper result (the version in force at receipt).
        by: timeliness by date (QĐ 766, default) or by instant.
    """

    def __init__(
        self,
        period: Period,
        rules: FactRules,
        catalog: Catalog | None = None,
        by: Comparison = Comparison.DATE,
    ) -> None:
        self.period = period
        self.rules = rules
        self.catalog = catalog
        self.by = by
        self.tally = PeriodTally.empty(len(period.segments))
        self._open: dict[str, _Open] = {}
        self._ended: dict[str, tuple[Ended, int]] = {}
        self._ends = [s.end for s in period.segments]
        self.facts = 0

    # -- feeding --------------------------------------------------------------------------
    def add(self, fact: Fact) -> None:
        """Carry ``fact`` out and count it.

        Raises:
            FactError: the fact breaks a rule of its dossier's history or has a bad field.
        """
        if fact.at >= self.period.end:
            return
        self.facts += 1
        ended = self._ended.get(fact.dossier)
        if ended is not None:
            self._add_late(fact, *ended)
            return
        tracked = self._open.get(fact.dossier)
        if tracked is not None:
            self._cross(tracked, fact.at)
            dossier: FoldedDossier | None = tracked.dossier
            before = _finished(tracked.dossier)
        else:
            dossier, before = None, 0
        folded = fold_fact(dossier, fact, self.rules, self.catalog)
        if tracked is None:
            tracked = _Open(folded, None, -1)
            self._open[fact.dossier] = tracked
            self._cross(tracked, fact.at)
        if tracked.groups is None and (folded.is_received or folded.status is Status.REFUSED):
            tracked.groups = Groups.of(folded, self._procedure(folded))
        groups = tracked.groups or Groups.of(folded, None)
        cal = self.rules.calendar
        count_fact(
            fact.type,
            folded,
            before,
            groups,
            self.period.segment_of(fact.at),
            self.tally,
            cal,
            self.by,
        )
        if folded.end_of_processing is not None:
            del self._open[fact.dossier]
            self._ended[fact.dossier] = (Ended.of(folded, groups, cal, self.by), tracked.boundary)

    def _procedure(self, d: FoldedDossier) -> Procedure | None:
        if self.catalog is None:
            return None
        when = d.received_at or d.last_at
        if when is None or not d.procedure:
            return None
        try:
            return self.catalog.in_force(d.procedure, when.date())
        except CatalogError:
            return None

    def _cross(self, tracked: _Open, at: object) -> None:
        """Count ``tracked`` at every segment end it has not been counted at and ``at``
        has reached (the period's start first)."""
        index = tracked.boundary
        ends = self._ends
        start = self.period.start
        groups = tracked.groups or Groups.of(tracked.dossier, None)
        cal = self.rules.calendar
        while index < len(ends) and (
            (index < 0 and at >= start) or (index >= 0 and at >= ends[index])  # type: ignore[operator]
        ):
            count_boundary(tracked.dossier, groups, index, self.period, self.tally, cal, self.by)
            index += 1
        tracked.boundary = index

    def _add_late(self, fact: Fact, ended: Ended, boundary: int) -> None:
        """A fact after the dossier's end: only a result's return, feedback, a payment or
        a digitisation may come (the rule of the command decides, on a stand-in)."""
        boundary = self._cross_ended(ended, boundary, fact.at)
        stand_in = FoldedDossier()
        stand_in.code = ended.code
        stand_in.status = ended.status
        stand_in.received_at = ended.received_at
        stand_in.resolved_at = ended.resolved_at
        stand_in.ended_at = ended.ended_at
        stand_in.last_at = ended.last_at
        try:
            apply_fact(stand_in, fact, self.rules, FoldedDossier)
        except TthcError as error:
            raise FactError(fact, error) from None
        if fact.type not in _LATE_TYPES:  # pragma: no cover - refused by the rules above
            raise FactError(fact, InvalidInputError("after the dossier's end"))
        ended.service.absorb(stand_in)
        ended.status, ended.last_at = stand_in.status, stand_in.last_at
        self._ended[fact.dossier] = (ended, boundary)

    def _cross_ended(self, ended: Ended, index: int, at: object) -> int:
        ends = self._ends
        cal = self.rules.calendar
        while index < len(ends) and (
            (index < 0 and at >= self.period.start)  # type: ignore[operator]
            or (index >= 0 and at >= ends[index])  # type: ignore[operator]
        ):
            count_boundary(ended, ended.groups, index, self.period, self.tally, cal, self.by)
            index += 1
        return index

    # -- dossiers carried from one fold to another -------------------------------------------
    def carry(
        self, code: str, state: FoldedDossier | Ended, groups: Groups | None, boundary: int
    ) -> None:
        """Take dossier ``code`` over as an earlier fold left it (see :meth:`carried`):
        ``boundary`` is the index, in this fold's period, of the next segment end it is to
        be counted at (-1: the period's start). A projection that folds its store page by
        page keeps each dossier between pages this way."""
        if isinstance(state, Ended):
            self._ended[code] = (state, boundary)
        else:
            self._open[code] = _Open(state, groups, boundary)

    def carried(self) -> Iterator[tuple[str, FoldedDossier | Ended, Groups | None, int]]:
        """Every dossier held: its code, its state (open) or :class:`Ended` record, its
        groups, and the index of the next segment end it is to be counted at."""
        for code, tracked in self._open.items():
            yield code, tracked.dossier, tracked.groups, tracked.boundary
        for code, (ended, boundary) in self._ended.items():
            yield code, ended, ended.groups, boundary

    # -- the end ---------------------------------------------------------------------------
    def finish(self) -> PeriodTally:
        """Count every dossier at the segment ends it has not reached; the period's tally."""
        end = self.period.end
        for tracked in self._open.values():
            self._cross(tracked, end)
        for code, (ended, boundary) in self._ended.items():
            self._ended[code] = (ended, self._cross_ended(ended, boundary, end))
        self._open.clear()
        return self.tally
