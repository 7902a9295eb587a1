"""The indicators kept from the store: an incremental, exactly-once projection.

:class:`StoreProjection` follows the application's notification log from the position it
tracks. Each page of notifications becomes facts (:func:`~tthc_engine.domain.facts.fact_of_event`)
that go through the streaming replay's own fold (:class:`~tthc_engine.projections.ReportFold`),
seeded with the page's dossiers as earlier pages left them; what the page adds — the counts
of each month, the dossiers' new states, the new position — is committed in one transaction
(:mod:`tthc_engine.projections.tables`), so a page is counted once or not at all, whatever
stops the process.

What is kept answers the report of any period of whole months exactly as a replay of the same
facts would: every month's counts (facts of the month; each dossier counted at the month's
end once a later fact of it showed its state there), and every dossier's state. A report
adds, for the dossiers not yet counted at some month end of the period (no fact since), the
counts at those ends from their current state — what :meth:`ReportFold.finish` does for a
replay. See ``docs/decisions/0010-store-projections.md``.
"""

from __future__ import annotations

import enum
import hashlib
import pickle
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
from eventsourcing.persistence import InfrastructureFactory

import tthc_engine
from tthc_engine.catalog import Catalog
from tthc_engine.domain.event import DossierEvent
from tthc_engine.domain.facts import FactRules, fact_of_event
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.errors import InvalidInputError, TthcError
from tthc_engine.projections.dossiers import Ended, Groups
from tthc_engine.projections.period import Period, next_month_start
from tthc_engine.projections.report import Report
from tthc_engine.projections.stream import FactError, ReportFold
from tthc_engine.projections.tables import (
    CountRow,
    DossierRow,
    IndicatorTables,
    PositionMovedError,
    tables_for,
)
from tthc_engine.projections.tally import PeriodTally
from tthc_engine.worktime import VN_TZ

if TYPE_CHECKING:
    from tthc_engine.application import OneStopShop

__all__ = ["ProjectionFactError", "ProjectionSettingsError", "StoreProjection"]

STATE_FORMAT = "1"
"""Bumped whenever what ``tthc_indicator_dossiers.state`` holds changes shape."""

DOSSIER_TOPICS = "tthc:Dossier."
"""Notifications whose topic starts so are dossier events; others (code sequences, records
of applied commands) only move the position."""

PAGE = 1000
"""Notifications read, folded and committed together by default."""


class ProjectionSettingsError(TthcError):
    """The tables were built under other settings (catalog, calendar, rules, format)."""


class ProjectionFactError(TthcError):
    """A stored event the fold refuses (its dossier's history breaks a rule under the
    projection's calendar and catalog); nothing of its page was written."""


# -- months as numbers ---------------------------------------------------------------------
def month_of(at: datetime | date) -> int:
    """``YYYYMM`` of a business time (in UTC+7) or a day."""
    if isinstance(at, datetime):
        at = at.astimezone(VN_TZ)
    return at.year * 100 + at.month


def _ordinal(month: int) -> int:
    return (month // 100) * 12 + month % 100 - 1


def _month(ordinal: int) -> int:
    return (ordinal // 12) * 100 + ordinal % 12 + 1


def _first_day(month: int) -> date:
    return date(month // 100, month % 100, 1)


def _last_day(month: int) -> date:
    return next_month_start(_first_day(month)) - timedelta(days=1)


def months_period(first: int, last: int) -> Period:
    """The period of the months ``first``..``last`` (``YYYYMM``)."""
    return Period(_first_day(first), _last_day(last))


# -- what the tables were built with --------------------------------------------------------
def _canonical(value: object) -> object:
    if attrs.has(type(value)):
        return {k: _canonical(v) for k, v in attrs.asdict(value, recurse=False).items()}  # type: ignore[arg-type]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(repr(_canonical(v)) for v in value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    return str(value) if value is not None else None


def catalog_fingerprint(catalog: Catalog | None) -> str:
    """A digest of everything in ``catalog`` (``none`` without one)."""
    if catalog is None:
        return "none"
    digest = hashlib.sha256()
    for code in sorted(catalog):
        for version in catalog.versions(code):
            digest.update(repr(_canonical(version)).encode())
    digest.update(repr(_canonical(dict(catalog.agencies))).encode())
    return f"{len(catalog)}-{digest.hexdigest()[:16]}"


# -- the projection -------------------------------------------------------------------------
class StoreProjection:
    """The indicators of ``app``'s store, kept in tables of its database (or of the database
    ``env`` names: an eventsourcing environment for SQLite or PostgreSQL).

    The fold runs under the application's calendar, catalog, apology rules and timeliness
    comparison, as a replay of its exported log with the same settings would.

    Raises:
        ProjectionSettingsError: the tables hold a projection built under other settings
            (call :meth:`rebuild`, or open it with ``rebuild=True``).
    """

    def __init__(
        self,
        app: OneStopShop,
        *,
        env: Mapping[str, str] | None = None,
        page: int = PAGE,
        rebuild: bool = False,
    ) -> None:
        if page < 1:
            raise InvalidInputError(f"page: {page} must be at least 1")
        self.app = app
        self.page = page
        self.rules = FactRules(app.calendar, app.max_apologies, app.apology_lead_days)
        self.catalog = app.catalog
        self.by = app.timeliness_by
        # the name of the tracking row: not the application's alone, so that a tracking
        # table shared with another view of it (SQLite has one per database) keeps both
        self.name = f"{app.name}/indicators"
        self._factory: InfrastructureFactory[Any] | None = None
        if env is None:
            datastore = getattr(app.factory, "datastore", None)
        else:
            self._factory = InfrastructureFactory.construct(dict(env))
            datastore = getattr(self._factory, "datastore", None)
        self.tables: IndicatorTables = tables_for(datastore)
        self.settings = {
            "format": (
                f"{STATE_FORMAT}/tthc-engine {tthc_engine.__version__}/"
                f"pickle {pickle.DEFAULT_PROTOCOL}"
            ),
            "calendar": self.rules.calendar.version,
            "catalog": catalog_fingerprint(self.catalog),
            "rules": (
                f"timeliness by {self.by.value}; max_apologies {self.rules.max_apologies}; "
                f"apology_lead_days {self.rules.apology_lead_days}"
            ),
        }
        if rebuild:
            self.tables.reset(self.name, self.settings)
        else:
            self._check_settings()

    def _check_settings(self) -> None:
        stored = self.tables.settings()
        if stored == self.settings:
            return
        if self.position() == 0:
            self.tables.reset(self.name, self.settings)
            return
        differ = sorted(k for k in self.settings if stored.get(k) != self.settings[k])
        was = "; ".join(f"{k}: {stored.get(k)}" for k in differ)
        raise ProjectionSettingsError(
            f"the indicator tables of this store were built with another "
            f"{', '.join(differ) or 'setting'} ({was}); rebuild them from the events "
            "(StoreProjection.rebuild(), tthc report --rebuild)"
        )

    # -- where it stands --------------------------------------------------------------------
    def position(self) -> int:
        """The id of the last notification counted (0: none)."""
        return self.tables.position(self.name)

    def lag(self) -> int:
        """How many notifications the store holds past the position."""
        return max((self.app.recorder.max_notification_id() or 0) - self.position(), 0)

    def wait(self, notification_id: int, timeout: float = 10.0) -> None:
        """Block until notification ``notification_id`` is counted (eventsourcing's
        tracking-recorder wait; raises ``TimeoutError`` after ``timeout`` seconds)."""
        self.tables.wait(self.name, notification_id, timeout=timeout)

    # -- counting ---------------------------------------------------------------------------
    def catch_up(self, *, limit: int | None = None) -> int:
        """Count every notification recorded past the position, page by page (one
        transaction each); returns how many were counted. ``limit`` stops after about that
        many (whole pages).

        Raises:
            ProjectionFactError: a stored event the fold refuses (pages before it are kept).
        """
        counted = 0
        while limit is None or counted < limit:
            read_from = self.position()
            try:
                n = self._page(read_from)
            except PositionMovedError:
                continue  # another follower counted this page: go on from where it stopped
            if n == 0:
                break
            counted += n
        return counted

    def rebuild(self) -> int:
        """Empty the tables and count the whole log again; returns how many were counted."""
        self.tables.reset(self.name, self.settings)
        return self.catch_up()

    def follow(self, stop: threading.Event, *, poll: float = 1.0) -> None:
        """Count new notifications as they are recorded, until ``stop`` is set.

        On PostgreSQL, eventsourcing's subscription (LISTEN/NOTIFY) wakes the follower when
        events are recorded; SQLite has none in eventsourcing 9.5, so the follower looks
        again every ``poll`` seconds (a bounded wait on ``stop``)."""
        self.catch_up()
        try:
            subscription = self.app.recorder.subscribe(gt=self.position())
        except NotImplementedError:
            while not stop.wait(poll):
                self.catch_up()
            return
        finished = threading.Event()

        def stop_subscription() -> None:
            while not stop.wait(0.1):
                if finished.is_set():
                    break
            subscription.stop()

        stopper = threading.Thread(target=stop_subscription, name="tthc-projection-stop")
        stopper.start()
        try:
            with subscription:
                for notification in subscription:
                    if notification.id > self.position():
                        self.catch_up()
                    if stop.is_set():
                        break
        finally:
            finished.set()
            stopper.join()

    def _page(self, read_from: int) -> int:
        """Fold and commit the page of notifications after ``read_from``; how many."""
        notifications = self.app.recorder.select_notifications(
            start=read_from, limit=self.page, inclusive_of_start=False
        )
        if not notifications:
            return 0
        mapper = self.app.mapper
        events: list[tuple[str, int, DossierEvent]] = []
        for notification in notifications:
            if notification.topic.startswith(DOSSIER_TOPICS):
                event = mapper.to_domain_event(notification)
                assert isinstance(event, DossierEvent)
                events.append((str(notification.originator_id), notification.id, event))
        rows = self.tables.dossiers({origin for origin, _, _ in events}) if events else {}
        dossiers: list[DossierRow] = []
        counts: list[CountRow] = []
        if events:
            dossiers, counts = self._fold(events, rows)
        self.tables.commit_page(self.name, read_from, notifications[-1].id, dossiers, counts)
        return len(notifications)

    def _fold(
        self, events: list[tuple[str, int, DossierEvent]], rows: Mapping[str, DossierRow]
    ) -> tuple[list[DossierRow], list[CountRow]]:
        first = min(
            [row.boundary for row in rows.values()] + [month_of(e.at) for _, _, e in events]
        )
        last = max(month_of(e.at) for _, _, e in events)
        start = _ordinal(first)
        fold = ReportFold(months_period(first, last), self.rules, self.catalog, self.by)
        origins: dict[str, str] = {}
        for origin, row in rows.items():
            state, groups = pickle.loads(row.state)
            fold.carry(row.code, state, groups, _ordinal(row.boundary) - start)
            origins[row.code] = origin
        codes = {origin: code for code, origin in origins.items()}
        for origin, notification_id, event in events:
            code = getattr(event, "code", None) or codes.get(origin)
            if code is None:
                raise ProjectionFactError(
                    f"notification {notification_id}: an event of dossier {origin} whose "
                    "opening event was never counted"
                )
            codes[origin], origins[code] = code, origin
            fact = fact_of_event(event, code, f"{code}:{event.originator_version}")
            try:
                fold.add(fact)
            except FactError as error:
                raise ProjectionFactError(f"notification {notification_id}: {error}") from None
        dossiers = [
            _row(origins[code], code, state, groups, _month(start + boundary))
            for code, state, groups, boundary in fold.carried()
        ]
        return dossiers, list(_count_rows(fold.tally, first))

    # -- reading ----------------------------------------------------------------------------
    def report(self, period: Period) -> Report:
        """The report of ``period`` (whole months) from what has been counted so far.

        Raises:
            InvalidInputError: the period does not start on a month's first day and end on
                a month's last day.
        """
        first, last = month_of(period.first), month_of(period.last)
        if period.first != _first_day(first) or period.last != _last_day(last):
            raise InvalidInputError(
                f"period: {period.first.isoformat()}..{period.last.isoformat()} is not whole "
                "months; the projection keeps months (give --from YYYY-MM-01 and --to the "
                "month's last day, or YYYY-MM)"
            )
        counts, pending = self.tables.snapshot(first, last)
        fold = ReportFold(period, self.rules, self.catalog, self.by)
        start = _ordinal(first)
        for row in pending:
            state, groups = pickle.loads(row.state)
            fold.carry(row.code, state, groups, max(_ordinal(row.boundary) - start, -1))
        tally = fold.finish()
        _add_counts(tally, counts, first)
        return Report(period, tally)

    def months(self) -> Period | None:
        """The months that have counts, as one period (None before anything is counted)."""
        span = self.tables.months()
        return None if span is None else months_period(*span)

    def close(self) -> None:
        """Close the database connections this projection opened itself (``env``)."""
        if self._factory is not None:
            self._factory.close()


def _row(
    origin: str, code: str, state: FoldedDossier | Ended, groups: Groups | None, boundary: int
) -> DossierRow:
    """The row of a dossier the fold holds: which reports must still count it, and its
    state. An open dossier counts at every month end from ``boundary`` on; an ended one
    only at the end of the month it ended in, until a later fact has counted it there."""
    open_from = ended_pending = None
    if isinstance(state, Ended):
        end = month_of(state.ended_at)
        if state.received_at is not None and boundary <= end:
            ended_pending = end
    elif state.is_received:
        open_from = boundary
    blob = pickle.dumps((state, groups), protocol=pickle.DEFAULT_PROTOCOL)
    return DossierRow(origin, code, boundary, open_from, ended_pending, blob)


_VERDICTS = ("early", "on_time", "late")


def _count_rows(tally: PeriodTally, first: int) -> Iterable[CountRow]:
    """The tally's counts as rows, segment ``i`` being month ``first`` + i."""
    start = _ordinal(first)
    for index, segment in enumerate(tally.segments):
        month = _month(start + index)
        for key, n in segment.overall.items():
            if n:
                yield month, "all", "", key, n
        for dimension, values in segment.groups.items():
            for value, counter in values.items():
                for key, n in counter.items():
                    if n:
                        yield month, dimension, value, key, n
        for agency, verdicts in segment.steps.items():
            for key, n in verdicts.items():
                if n:
                    yield month, "step", agency, key, n
        for agency, n in segment.late_caused_by.items():
            if n:
                yield month, "cause", agency, "late", n


def _add_counts(tally: PeriodTally, counts: Iterable[CountRow], first: int) -> None:
    """Add count rows of months ``first``… into the segments of ``tally``."""
    start = _ordinal(first)
    for month, scope, value, key, n in counts:
        segment = tally.segments[_ordinal(month) - start]
        if scope == "all":
            segment.overall[key] += n
        elif scope == "step":
            verdicts = segment.steps.setdefault(value, Counter(dict.fromkeys(_VERDICTS, 0)))
            verdicts[key] += n
        elif scope == "cause":
            segment.late_caused_by[value] += n
        else:
            segment.groups.setdefault(scope, {}).setdefault(value, Counter())[key] += n
