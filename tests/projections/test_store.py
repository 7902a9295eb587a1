"""The indicators kept from the store (DESIGN.md §7, issue 8 §2 (c)): an incremental,
exactly-once projection whose report equals a replay of the same facts."""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CASES
from tests.projections.stores import NOW, differences, fresh_schema, import_log, replayed, shop
from tthc_engine import Catalog, InvalidInputError, OneStopShop, TthcError
from tthc_engine.interchange.exporter import facts_of_store
from tthc_engine.projections import (
    Period,
    ProjectionSettingsError,
    Report,
    ReportFold,
    StoreProjection,
)
from tthc_engine.projections.tables import PositionMovedError
from tthc_engine.simulation import simulate_month
from tthc_engine.testing import postgres_configured, sqlite_env

CATALOG = Catalog.sample()
APRIL = Period.month(2025, 4)


@pytest.fixture
def april(store_env: dict[str, str]) -> Iterator[OneStopShop]:
    """A store holding April 2025 of the sample province, 4 dossiers a working day."""
    app = shop(store_env, CATALOG)
    simulate_month(app, 2025, 4, per_day=4, seed=11)
    yield app
    app.close()


def folded(app: OneStopShop, period: Period) -> dict[str, Any]:
    """The streaming replay's report of the store's facts."""
    fold = ReportFold(period, StoreProjection(app).rules, app.catalog, app.timeliness_by)
    for fact in facts_of_store(app):
        fold.add(fact)
    return Report(period, fold.finish()).as_dict()


# -- the proof: the projection's report is the replay's ------------------------------------
@contextmanager
def _store(kind: str) -> Iterator[dict[str, str]]:
    if kind == "postgres":
        with fresh_schema() as env:
            yield env
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield sqlite_env(Path(folder) / "store.sqlite")


MONTHS = [(2025, 3), (2025, 4), (2025, 5)]
histories = st.fixed_dictionaries(
    {
        "months": st.lists(st.sampled_from(MONTHS), min_size=1, max_size=2, unique=True),
        "per_day": st.integers(1, 3),
        "seed": st.integers(0, 10**6),
        "page": st.sampled_from([3, 17, 250, 1000]),
        "catch_up_between": st.booleans(),
    }
)


def _check_against_replay(kind: str, history: dict[str, Any]) -> None:
    with _store(kind) as env, tempfile.TemporaryDirectory() as folder:
        app = shop(env, CATALOG)
        projection = StoreProjection(app, page=history["page"])
        for year, month in history["months"]:
            simulate_month(app, year, month, per_day=history["per_day"], seed=history["seed"])
            if history["catch_up_between"]:
                projection.catch_up()
        projection.catch_up()
        assert projection.lag() == 0
        year, month = min(history["months"])
        log = Path(folder) / "store.jsonl"
        one = Period.month(year, month)
        two = Period(one.first, Period.month(year, month + 1).last)
        for period in (one, two):
            got = projection.report(period).as_dict()
            for jobs in (1, 2):
                expected = replayed(app, log, period, jobs)
                assert differences(got, expected) == [], (period, jobs)
        app.close()


@settings(max_examples=8, deadline=None)
@given(histories)
def test_the_projection_reports_what_a_replay_of_the_exported_log_reports(
    history: dict[str, Any],
) -> None:
    _check_against_replay("sqlite", history)


@pytest.mark.postgres
@settings(max_examples=5, deadline=None)
@given(histories)
def test_the_projection_in_postgresql_reports_what_a_replay_reports(
    history: dict[str, Any],
) -> None:
    assert postgres_configured()
    _check_against_replay("postgres", history)


def test_the_april_case_passes_through_the_store_projection(store_env: dict[str, str]) -> None:
    app = shop(store_env)  # the case gives every limit: no catalog, as its replay
    assert import_log(app, CASES / "replay-april-2025.jsonl") == 20
    projection = StoreProjection(app, page=4)
    assert projection.catch_up() == app.recorder.max_notification_id()
    report = projection.report(APRIL).as_dict()
    expected = json.loads((CASES / "replay-april-2025.expected.json").read_text("utf-8"))
    for key, value in expected.items():
        assert report[key] == value, key
    app.close()


# -- catching up, exactly once --------------------------------------------------------------
def test_catch_up_counts_every_notification_once_and_the_lag_falls_to_zero(
    april: OneStopShop,
) -> None:
    last = april.recorder.max_notification_id()
    projection = StoreProjection(april, page=100)
    assert projection.position() == 0
    assert projection.lag() == last
    assert projection.catch_up(limit=250) == 300  # whole pages
    assert projection.lag() == last - 300
    assert projection.catch_up() == last - 300
    assert projection.catch_up() == 0
    assert (projection.position(), projection.lag()) == (last, 0)
    assert projection.report(APRIL).as_dict() == folded(april, APRIL)


def test_events_recorded_after_a_catch_up_are_counted_by_the_next(
    april: OneStopShop,
) -> None:
    projection = StoreProjection(april)
    projection.catch_up()
    simulate_month(april, 2025, 5, per_day=2, seed=3)
    assert projection.lag() > 0
    projection.catch_up()
    both = Period(APRIL.first, Period.month(2025, 5).last)
    assert projection.report(both).as_dict() == folded(april, both)


def test_a_page_read_from_a_position_another_follower_moved_is_not_written(
    april: OneStopShop,
) -> None:
    first, second = StoreProjection(april, page=50), StoreProjection(april, page=50)
    first.catch_up(limit=50)
    with pytest.raises(PositionMovedError):
        second.tables.commit_page(second.name, 0, 50, [], [(202504, "all", "", "received", 1)])
    assert second.position() == 50
    second.catch_up()  # goes on from where the first stopped
    assert first.catch_up() == 0
    assert first.report(APRIL).as_dict() == folded(april, APRIL)


def test_another_view_tracking_the_application_in_the_same_database_keeps_its_own_position(
    april: OneStopShop,
) -> None:
    other_view = april.factory.tracking_recorder()  # eventsourcing's own, as a runner makes
    other_view.insert_tracking(Tracking(april.name, 7))
    projection = StoreProjection(april)
    assert projection.position() == 0
    projection.catch_up()
    assert other_view.max_tracking_id(april.name) == 7
    assert projection.report(APRIL).as_dict() == folded(april, APRIL)


def test_a_rebuilt_projection_gives_the_same_report(april: OneStopShop) -> None:
    projection = StoreProjection(april, page=70)
    projection.catch_up()
    before = projection.report(APRIL).as_dict()
    assert projection.rebuild() == april.recorder.max_notification_id()
    assert projection.report(APRIL).as_dict() == before


def test_a_projection_can_be_kept_in_another_database(april: OneStopShop, tmp_path: Path) -> None:
    elsewhere = StoreProjection(april, env=sqlite_env(tmp_path / "view.sqlite"))
    elsewhere.catch_up()
    assert elsewhere.report(APRIL).as_dict() == folded(april, APRIL)
    assert StoreProjection(april).position() == 0  # the store's own tables are untouched
    elsewhere.close()


def test_the_months_counted_are_the_default_period(april: OneStopShop) -> None:
    projection = StoreProjection(april)
    assert projection.months() is None
    projection.catch_up()
    assert projection.months() == APRIL


# -- what it refuses ------------------------------------------------------------------------
def test_a_period_that_is_not_whole_months_is_refused(april: OneStopShop) -> None:
    projection = StoreProjection(april)
    with pytest.raises(InvalidInputError, match="whole months"):
        projection.report(Period.parse("2025-04-02", "2025-04-30"))


def test_tables_built_under_another_catalog_must_be_rebuilt(
    april: OneStopShop, store_env: dict[str, str]
) -> None:
    StoreProjection(april).catch_up()
    other = shop(store_env, catalog=None)
    with pytest.raises(ProjectionSettingsError, match="catalog"):
        StoreProjection(other)
    rebuilt = StoreProjection(other, rebuild=True)
    assert rebuilt.position() == 0
    other.close()


def test_tables_built_under_other_settings_name_each_setting_and_what_it_was(
    april: OneStopShop, store_env: dict[str, str]
) -> None:
    StoreProjection(april).catch_up()
    other = OneStopShop(env=store_env, catalog=None, clock=lambda: NOW, timeliness_by="datetime")
    with pytest.raises(
        ProjectionSettingsError,
        match=r"built with another catalog, rules \(catalog: \S+; rules: timeliness by date; "
        r"max_apologies \d+; apology_lead_days \d+\); rebuild them from the events "
        r"\(StoreProjection.rebuild\(\), tthc report --rebuild\)$",
    ):
        StoreProjection(other)
    other.close()


def test_a_store_in_memory_has_no_tables_to_keep_a_projection_in() -> None:
    app = shop({"PERSISTENCE_MODULE": "eventsourcing.popo"}, CATALOG)
    with pytest.raises(
        TthcError,
        match=r"^indicator projections are kept in SQLite or PostgreSQL tables: this store is "
        r"in memory$",
    ):
        StoreProjection(app)


# -- following ------------------------------------------------------------------------------
def test_a_follower_counts_events_as_they_are_recorded(april: OneStopShop) -> None:
    projection = StoreProjection(april, page=200)
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            projection.follow(stop, poll=0.05)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    follower = threading.Thread(target=run)
    follower.start()
    try:
        projection.wait(april.recorder.max_notification_id() or 0, timeout=60)
        simulate_month(april, 2025, 5, per_day=2, seed=5)
        projection.wait(april.recorder.max_notification_id() or 0, timeout=60)
    finally:
        stop.set()
        follower.join(timeout=60)
    assert not follower.is_alive()
    assert errors == []
    assert projection.lag() == 0
    both = Period(APRIL.first, Period.month(2025, 5).last)
    assert projection.report(both).as_dict() == folded(april, both)
