"""The store projection at its edges, found unpinned by mutation testing (issue 12).

One small SQLite store: April 2025 of the sample province, one dossier a working day.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata
import uuid
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.application.conftest import vn
from tests.projections.stores import NOW, shop
from tthc_engine import Catalog, InvalidInputError, NaiveDatetimeError, OneStopShop, TthcError
from tthc_engine.domain.facts import Fact, FactRules, FactType
from tthc_engine.interchange.exporter import facts_of_store
from tthc_engine.projections import Period, StoreProjection
from tthc_engine.projections.period import Segment, month_key, month_start, next_month_start
from tthc_engine.projections.report import Report
from tthc_engine.projections.scorecard import points, special_field
from tthc_engine.projections.store import catalog_fingerprint
from tthc_engine.projections.stream import FactError, ReportFold
from tthc_engine.projections.tables import DossierRow, PositionMovedError, tables_for
from tthc_engine.projections.tally import PeriodTally, SegmentTally
from tthc_engine.simulation import simulate_month
from tthc_engine.testing import sqlite_env
from tthc_engine.worktime import VN_TZ, VietnamCalendar


@pytest.fixture(scope="module")
def indicators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreProjection]:
    store: Path = tmp_path_factory.mktemp("store") / "store.sqlite"
    app = shop(sqlite_env(store), Catalog.sample())
    simulate_month(app, 2025, 4, per_day=1, seed=3)
    projection = StoreProjection(app, page=1)  # the smallest page: one event a transaction
    projection.catch_up()
    yield projection
    app.close()


def test_dossiers_still_open_at_the_end_of_april_are_carried_over_into_may(
    indicators: StoreProjection,
) -> None:
    april = indicators.report(Period.month(2025, 4)).as_dict()
    may = indicators.report(Period.parse("2025-05", "2025-05")).as_dict()
    assert may["received"] == 0
    assert may["carried_over"] == april["pending"] > 0


def test_the_satisfaction_figures_are_computed_when_dossiers_were_resolved_and_rated(
    indicators: StoreProjection,
) -> None:
    april = indicators.report(Period.month(2025, 4)).as_dict()
    assert april["resolved"] > 0
    assert april["satisfaction_rate"] == 1.0  # none late, none complained of
    assert april["rating_satisfaction_rate"] == 1.0
    assert april["satisfaction_targets"] == {
        "overall": {"rate": 1.0, "target": 0.95, "met": True},
        "land_construction_investment": {"rate": 1.0, "target": 0.9, "met": True},
    }


def test_a_period_is_given_by_months_or_days_and_by_both_ends() -> None:
    quarter = Period.parse("2025-04", "2025-06")
    assert (quarter.first, quarter.last) == (date(2025, 4, 1), date(2025, 6, 30))
    assert [s.key for s in quarter.segments] == ["2025-04", "2025-05", "2025-06"]
    assert Period.parse("2025-04-10", "2025-04-20").first == date(2025, 4, 10)
    with pytest.raises(InvalidInputError, match=r"^period: give both --from and --to"):
        Period.parse("2025-04", None)
    with pytest.raises(InvalidInputError, match="--to: '2025-13' is not a date"):
        Period.parse("2025-04", "2025-13")


# -- a fold of a few dossiers, written in the test --------------------------------------------
COUNTER = "000.00.10.H41"
CODE = "000.00.10.H41-250414-0001"
PROCEDURE = {"procedure": "2.001610"}


def _folded(app: OneStopShop, period: Period) -> dict[str, Any]:
    fold = ReportFold(period, FactRules(app.calendar), app.catalog, app.timeliness_by)
    for fact in facts_of_store(app):
        fold.add(fact)
    return Report(period, fold.finish()).as_dict()


def _memory_shop() -> OneStopShop:
    return OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog.sample())


def test_a_dossier_resolved_at_the_very_instant_a_month_ends_was_open_at_its_end() -> None:
    # Periods are half-open: 00:00 on Sunday 01/06/2025 belongs to June.
    app = _memory_shop()
    code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 5, 28, 9)).code  # due 02/06
    app.resolve(code, agency=COUNTER, at=vn(2025, 6, 1, 0))
    may, june = _folded(app, Period.month(2025, 5)), _folded(app, Period.month(2025, 6))
    assert (may["received"], may["pending"], may["resolved"]) == (1, 1, 0)
    assert (june["carried_over"], june["resolved"], june["pending"]) == (1, 1, 0)


def test_a_free_procedure_is_outside_the_base_of_the_online_payment_rate() -> None:
    app = _memory_shop()
    charged = app.receive("2.001610", agency=COUNTER, at=vn(2025, 5, 5, 9)).code  # 100 000 đ
    app.receive("1.001193", agency=COUNTER, at=vn(2025, 5, 5, 9))  # free (0 đ)
    app.record_payment(charged, agency=COUNTER, amount=100_000, online=True, at=vn(2025, 5, 5, 10))
    assert _folded(app, Period.month(2025, 5))["online_payment_rate"] == 1.0


def test_a_month_without_dossiers_earns_no_scorecard_points_rather_than_zero() -> None:
    report = _folded(_memory_shop(), Period.month(2025, 5))
    assert report["scorecard_766"] == dict.fromkeys(
        ("progress", "online", "payment", "digitisation", "satisfaction")
    )


def test_tallies_of_periods_of_different_lengths_are_not_merged() -> None:
    with pytest.raises(ValueError, match=r"^tallies of different periods cannot be merged$"):
        PeriodTally.empty(1).merge(PeriodTally.empty(2))


def test_the_catalog_fingerprint_is_the_same_in_every_process() -> None:
    # The tables keep it to tell whether they were built with this catalog: a digest that
    # followed Python's per-process hash order (sets of pause reasons) would make every new
    # process rebuild them.
    script = (
        "from tthc_engine import Catalog\n"
        "from tthc_engine.projections.store import catalog_fingerprint\n"
        "print(catalog_fingerprint(Catalog.sample()))\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {catalog_fingerprint(Catalog.sample())}


def test_a_store_that_is_neither_sqlite_nor_postgresql_is_named_when_refused() -> None:
    class KeyValueStore:  # a datastore of some other persistence module
        pass

    with pytest.raises(TthcError, match=r"tables: this store is KeyValueStore$"):
        tables_for(KeyValueStore())


# -- survivors of a second sample (seed 13) ---------------------------------------------------
def test_an_open_dossier_due_on_a_months_last_day_is_overdue_at_its_end_only_by_the_minute() -> (
    None
):
    def june(by: str) -> dict[str, Any]:
        app = OneStopShop(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
            catalog=Catalog.sample(),
            timeliness_by=by,
        )
        app.receive("2.001610", agency=COUNTER, at=vn(2025, 6, 25, 9))  # due Mon 30/06 09:00
        return _folded(app, Period.month(2025, 6))

    assert (june("date")["pending"], june("date")["overdue"]) == (1, 0)
    assert (june("datetime")["pending"], june("datetime")["overdue"]) == (0, 1)


def test_a_period_of_one_day_is_a_period() -> None:
    day = Period.parse("2025-04-10", "2025-04-10")
    assert day.first == day.last == date(2025, 4, 10)


def test_the_store_adds_up_the_dossiers_late_because_of_one_agency(tmp_path: Path) -> None:
    app = shop(sqlite_env(tmp_path / "store.sqlite"), Catalog.sample())
    for n in (1, 2):  # 3 working days, due Thu 17/04 09:00; resolved the next week
        code = f"{COUNTER}-250414-000{n}"
        app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), code=code)
        app.resolve(code, agency=COUNTER, at=vn(2025, 4, 22, 9))
    projection = StoreProjection(app, page=1)
    projection.catch_up()
    april = projection.report(Period.month(2025, 4)).as_dict()
    assert (
        april["late_caused_by"]
        == {COUNTER: 2}
        == _folded(app, Period.month(2025, 4))["late_caused_by"]
    )
    app.close()


def test_a_receipt_line_without_a_limit_takes_the_catalogs() -> None:
    fold = ReportFold(Period.month(2025, 4), FactRules(VietnamCalendar()), Catalog.sample())
    fold.add(
        Fact("f1", CODE, FactType.RECEIVED, vn(2025, 4, 14, 9), COUNTER, {"procedure": "2.001610"})
    )
    report = Report(Period.month(2025, 4), fold.finish()).as_dict()
    assert (report["received"], report["by_field"].keys()) == (
        1,
        {"Thành lập và hoạt động của doanh nghiệp"},
    )


# -- seed 15 sample: the tables by their documented names, on SQLite and PostgreSQL ----------
def _connect(env: dict[str, str], **options: Any) -> Any:
    """A connection of our own to the PostgreSQL server of ``env`` (another client)."""
    import psycopg

    return psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        **options,
    )


def _read(env: dict[str, str], query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` read straight from the store's database, as an analyst would
    (PostgreSQL: with the store's schema first on the search path)."""
    if env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        with closing(sqlite3.connect(env["SQLITE_DBNAME"])) as conn:
            return [tuple(row) for row in conn.execute(query)]
    from psycopg import sql

    with _connect(env) as conn:
        conn.execute(
            sql.SQL("SET search_path TO {}").format(sql.Identifier(env["POSTGRES_SCHEMA"]))
        )
        return [tuple(row) for row in conn.execute(query.encode()).fetchall()]


def _one_early_dossier(env: dict[str, str]) -> tuple[OneStopShop, StoreProjection]:
    app = shop(env, Catalog.sample())
    code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9)).code  # due 17/04
    app.resolve(code, agency=COUNTER, at=vn(2025, 4, 15, 9))
    projection = StoreProjection(app)
    projection.catch_up()
    return app, projection


def test_the_counts_are_kept_by_month_scope_value_and_key_in_the_table_the_docs_name(
    store_env: dict[str, str],
) -> None:
    app, _ = _one_early_dossier(store_env)
    groups = [
        ("agency", COUNTER),
        ("all", ""),
        ("field", "Thành lập và hoạt động của doanh nghiệp"),
        ("level", "province"),
        ("procedure", "2.001610"),
    ]
    assert _read(
        store_env,
        "SELECT month, scope, value, key, n FROM tthc_indicator_counts "
        "ORDER BY month, scope, value, key",
    ) == [
        (202504, scope, value, key, 1)
        for scope, value in groups
        for key in ("early", "received", "received_counter", "resolved")
    ]
    app.close()


def test_each_dossier_seen_has_a_row_saying_at_which_month_end_it_is_counted_next(
    store_env: dict[str, str],
) -> None:
    # resolved in April, not yet counted at April's end (no fact of it since): pending there
    app, projection = _one_early_dossier(store_env)
    rows = _read(
        store_env,
        "SELECT originator_id, code, boundary, open_from, ended_pending, state "
        "FROM tthc_indicator_dossiers",
    )
    assert [row[:5] for row in rows] == [(str(app.dossier(CODE).id), CODE, 202504, None, 202504)]
    assert projection.tables.dossiers([str(app.dossier(CODE).id), "another"]) == {
        row[0]: DossierRow(row[0], row[1], row[2], row[3], row[4], bytes(row[5])) for row in rows
    }
    app.close()


def test_the_settings_and_the_position_are_kept_in_the_tables_the_docs_name(
    store_env: dict[str, str],
) -> None:
    app, projection = _one_early_dossier(store_env)
    assert dict(_read(store_env, "SELECT name, value FROM tthc_indicator_settings")) == (
        projection.settings
    )
    assert set(projection.settings) == {"format", "calendar", "catalog", "rules"}
    assert projection.tables.settings() == projection.settings
    tracking = "tracking" if "SQLITE_DBNAME" in store_env else "tthc_indicator_tracking"
    assert _read(
        store_env,
        f"SELECT application_name, notification_id FROM {tracking} "
        "WHERE application_name LIKE '%/indicators'",
    ) == [("OneStopShop/indicators", app.recorder.max_notification_id())]
    app.close()


@pytest.mark.postgres
def test_the_postgresql_tables_have_the_documented_columns_and_indexes(
    postgres_env: dict[str, str],
) -> None:
    app, _ = _one_early_dossier(postgres_env)
    schema = postgres_env["POSTGRES_SCHEMA"]
    assert _read(
        postgres_env,
        "SELECT table_name, column_name, data_type, is_nullable "
        f"FROM information_schema.columns WHERE table_schema = '{schema}' "
        "AND table_name LIKE 'tthc_indicator_%' ORDER BY table_name, ordinal_position",
    ) == [
        ("tthc_indicator_counts", "month", "integer", "NO"),
        ("tthc_indicator_counts", "scope", "text", "NO"),
        ("tthc_indicator_counts", "value", "text", "NO"),
        ("tthc_indicator_counts", "key", "text", "NO"),
        ("tthc_indicator_counts", "n", "bigint", "NO"),
        ("tthc_indicator_dossiers", "originator_id", "text", "NO"),
        ("tthc_indicator_dossiers", "code", "text", "NO"),
        ("tthc_indicator_dossiers", "boundary", "integer", "NO"),
        ("tthc_indicator_dossiers", "open_from", "integer", "YES"),
        ("tthc_indicator_dossiers", "ended_pending", "integer", "YES"),
        ("tthc_indicator_dossiers", "state", "bytea", "NO"),
        ("tthc_indicator_settings", "name", "text", "NO"),
        ("tthc_indicator_settings", "value", "text", "NO"),
        ("tthc_indicator_tracking", "application_name", "text", "NO"),
        ("tthc_indicator_tracking", "notification_id", "bigint", "YES"),
    ]
    assert _read(
        postgres_env,
        f"SELECT indexname, replace(indexdef, '{schema}.', '') FROM pg_indexes "
        f"WHERE schemaname = '{schema}' "
        "AND tablename LIKE 'tthc_indicator_%' ORDER BY indexname",
    ) == [
        (
            "tthc_indicator_counts_pkey",
            "CREATE UNIQUE INDEX tthc_indicator_counts_pkey ON tthc_indicator_counts "
            "USING btree (month, scope, value, key)",
        ),
        (
            "tthc_indicator_dossiers_ended",
            "CREATE INDEX tthc_indicator_dossiers_ended ON tthc_indicator_dossiers "
            "USING btree (ended_pending) WHERE (ended_pending IS NOT NULL)",
        ),
        (
            "tthc_indicator_dossiers_open",
            "CREATE INDEX tthc_indicator_dossiers_open ON tthc_indicator_dossiers "
            "USING btree (open_from) WHERE (open_from IS NOT NULL)",
        ),
        (
            "tthc_indicator_dossiers_pkey",
            "CREATE UNIQUE INDEX tthc_indicator_dossiers_pkey ON tthc_indicator_dossiers "
            "USING btree (originator_id)",
        ),
        (
            "tthc_indicator_settings_pkey",
            "CREATE UNIQUE INDEX tthc_indicator_settings_pkey ON tthc_indicator_settings "
            "USING btree (name)",
        ),
        (
            "tthc_indicator_tracking_pkey",
            "CREATE UNIQUE INDEX tthc_indicator_tracking_pkey ON tthc_indicator_tracking "
            "USING btree (application_name)",
        ),
    ]
    app.close()


# -- seed 15 sample: a two-month report of two dossiers, every figure --------------------------
def _all_zero() -> dict[str, Any]:
    return {
        "received": 0,
        "carried_over": 0,
        "resolved": 0,
        "early": 0,
        "on_time": 0,
        "late": 0,
        "late_with_apology": 0,
        "withdrawn": 0,
        "stopped": 0,
        "refused": 0,
        "pending": 0,
        "overdue": 0,
        "received_by_channel": {"counter": 0, "online": 0, "postal": 0},
        "on_time_rate": None,
        "rate_766": None,
        "apology_rate": None,
        "online_rate": None,
        "online_payment_rate": None,
        "digitisation_rate": None,
        "satisfaction_rate": None,
        "rating_satisfaction_rate": None,
    }


def _figures(**given: Any) -> dict[str, Any]:
    return {**_all_zero(), **given}


MAY_JUNE = Period.parse("2025-05", "2025-06")


def test_service_inputs_given_after_the_end_count_where_the_dossier_was_received_and_ratings_where_it_was_resolved() -> (  # noqa: E501
    None
):
    app = _memory_shop()
    # 1: paid online, 2 components digitised, resolved early, then its result issued
    # electronically (no more components) and a "satisfied" rating with a complaint
    one = app.receive("2.001610", agency=COUNTER, at=vn(2025, 5, 5, 9)).code
    app.record_payment(one, agency=COUNTER, amount=100_000, online=True, at=vn(2025, 5, 5, 10))
    app.record_digitisation(one, agency=COUNTER, components=2, at=vn(2025, 5, 5, 10))
    app.resolve(one, agency=COUNTER, at=vn(2025, 5, 6, 9))
    app.record_digitisation(one, agency=COUNTER, components=0, e_result=True, at=vn(2025, 5, 7))
    app.record_feedback(one, agency=COUNTER, rating="satisfied", complaint=True, at=vn(2025, 5, 8))
    # 2: received in May (due Mon 02/06), resolved at 00:00 on 01/06 — June's first instant —
    # and rated "dissatisfied" (a complaint) in June
    two = app.receive("2.001610", agency=COUNTER, at=vn(2025, 5, 28, 9)).code
    app.resolve(two, agency=COUNTER, at=vn(2025, 6, 1, 0))
    app.record_feedback(two, agency=COUNTER, rating="dissatisfied", at=vn(2025, 6, 2, 9))

    report = _folded(app, MAY_JUNE)
    overall = _figures(
        received=2,
        resolved=2,
        early=2,
        received_by_channel={"counter": 2, "online": 0, "postal": 0},
        on_time_rate=1.0,
        rate_766=1.0,  # 1 left the QĐ 766 population in May in time, 2 in June in time
        online_rate=0.0,
        online_payment_rate=0.5,  # both charged a fee, 1 paid online
        digitisation_rate=0.5,  # 1: components and the electronic result a paper one needs
        satisfaction_rate=0.0,  # both complained of
        rating_satisfaction_rate=0.5,
    )
    assert report == {
        "period": {"from": "2025-05-01", "to": "2025-06-30"},
        **overall,
        "by_agency": {COUNTER: overall},
        "by_procedure": {"2.001610": overall},
        "by_field": {"Thành lập và hoạt động của doanh nghiệp": overall},
        "by_level": {"province": overall},
        "by_month": {
            "2025-05": _figures(
                received=2,
                resolved=1,
                early=1,
                pending=1,
                received_by_channel={"counter": 2, "online": 0, "postal": 0},
                on_time_rate=1.0,
                rate_766=1.0,
                online_rate=0.0,
                online_payment_rate=0.5,
                digitisation_rate=0.5,
                satisfaction_rate=0.0,
                rating_satisfaction_rate=1.0,
            ),
            "2025-06": _figures(
                carried_over=1,
                resolved=1,
                early=1,
                on_time_rate=1.0,
                rate_766=1.0,
                satisfaction_rate=0.0,
                rating_satisfaction_rate=0.0,
            ),
        },
        "steps": {},
        "late_caused_by": {},
        "scorecard_766": {
            "progress": 20.0,
            "online": 0.0,
            "payment": 5.0,
            "digitisation": 13.75,
            "satisfaction": 0.0,
        },
        "satisfaction_targets": {
            "overall": {"rate": 0.0, "target": 0.95, "met": False},
            "land_construction_investment": {"rate": None, "target": 0.9, "met": None},
        },
    }


def test_without_a_catalog_a_dossier_is_grouped_under_its_own_procedure_code_and_unknowns() -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=None)
    code = app.receive(
        "2.001610", agency=COUNTER, at=vn(2025, 5, 5, 9), limit="3 ngày làm việc"
    ).code
    app.resolve(code, agency=COUNTER, at=vn(2025, 5, 6, 9))
    report = _folded(app, Period.month(2025, 5))
    overall = _figures(
        received=1,
        resolved=1,
        early=1,
        received_by_channel={"counter": 1, "online": 0, "postal": 0},
        on_time_rate=1.0,
        rate_766=1.0,
        online_rate=0.0,
        online_payment_rate=None,  # no fee known, none paid: outside the base
        digitisation_rate=0.0,  # nothing digitised, though no paper result is known
        satisfaction_rate=1.0,
    )
    assert {key: report[key] for key in overall} == overall
    assert (
        report["by_agency"],
        report["by_procedure"],
        report["by_field"],
        report["by_level"],
    ) == ({COUNTER: overall}, {"2.001610": overall}, {"unknown": overall}, {"unknown": overall})


# -- seed 15 sample: what is refused, word for word ---------------------------------------------
def _fold_april() -> ReportFold:
    return ReportFold(Period.month(2025, 4), FactRules(VietnamCalendar()), Catalog.sample())


def test_a_fact_the_dossiers_history_refuses_names_its_type_id_dossier_and_the_broken_rule() -> (
    None
):
    fold = _fold_april()
    early = Fact("f1", CODE, FactType.RESOLVED, vn(2025, 4, 14, 9), COUNTER, {})
    with pytest.raises(FactError) as refused:
        fold.add(early)
    rule = f"dossier {CODE}: a resolved before the dossier was submitted, received or refused"
    assert str(refused.value) == f"resolved f1 of {CODE}: {rule}"
    assert refused.value.fact is early
    assert isinstance(refused.value.cause, InvalidInputError)
    assert str(refused.value.cause) == rule


def test_a_fact_that_cannot_follow_a_dossiers_end_is_refused_as_after_its_end() -> None:
    fold = _fold_april()
    fold.add(Fact("f1", CODE, FactType.RECEIVED, vn(2025, 4, 14, 9), COUNTER, PROCEDURE))
    fold.add(Fact("f2", CODE, FactType.RESOLVED, vn(2025, 4, 15, 9), COUNTER, {}))
    overdue = Fact("f3", CODE, FactType.BECAME_OVERDUE, vn(2025, 4, 18, 9), COUNTER, {})
    with pytest.raises(FactError) as refused:
        fold.add(overdue)
    assert str(refused.value) == f"became_overdue f3 of {CODE}: after the dossier's end"
    assert refused.value.fact is overdue
    assert str(refused.value.cause) == "after the dossier's end"


def test_a_period_asked_for_the_segment_of_a_naive_time_names_the_argument() -> None:
    with pytest.raises(NaiveDatetimeError) as refused:
        Period.month(2025, 5).segment_of(datetime(2025, 5, 5))
    assert str(refused.value) == (
        "at: naive datetime 2025-05-05T00:00:00 has no time zone; business times must be "
        "aware (Asia/Ho_Chi_Minh, UTC+7), e.g. 2025-03-10T09:00:00+07:00"
    )


def test_a_projection_with_a_page_of_no_notifications_is_refused_naming_the_page() -> None:
    with pytest.raises(InvalidInputError) as refused:
        StoreProjection(_memory_shop(), page=0)
    assert str(refused.value) == "page: 0 must be at least 1"


def test_a_page_read_from_a_moved_position_says_from_where_to_where(
    store_env: dict[str, str],
) -> None:
    app, projection = _one_early_dossier(store_env)
    reached = app.recorder.max_notification_id()
    with pytest.raises(PositionMovedError) as refused:
        projection.tables.commit_page(projection.name, 1, 2, [], [])
    assert str(refused.value) == (
        f"the projection's position moved from 1 to {reached} while a page was being counted "
        "(another follower); the page was not written"
    )
    other = shop(store_env, Catalog.sample())  # a fresh position: 0, whatever was read
    fresh = StoreProjection(other, rebuild=True)
    with pytest.raises(PositionMovedError, match=r"moved from 3 to 0 while"):
        fresh.tables.commit_page(fresh.name, 3, 4, [], [])
    app.close()
    other.close()


# -- seed 15 sample: the follower's and the wait's default pace ----------------------------------
def _counted_after(projection: StoreProjection, notification_id: int) -> float:
    """Seconds until ``notification_id`` is counted (looked at every 10 ms)."""
    started = time.monotonic()
    while projection.position() < notification_id:
        assert time.monotonic() - started < 10, "not counted in 10 s"
        time.sleep(0.01)
    return time.monotonic() - started


@pytest.mark.slow  # seconds of wall-clock waiting; left out of mutation runs
def test_on_sqlite_a_follower_looks_for_new_events_every_second_by_default(
    tmp_path: Path,
) -> None:
    app = shop(sqlite_env(tmp_path / "store.sqlite"), Catalog.sample())
    first = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9)).code
    projection = StoreProjection(app)
    stop = threading.Event()
    follower = threading.Thread(target=projection.follow, args=(stop,))
    follower.start()
    try:
        _counted_after(projection, app.recorder.max_notification_id() or 0)
        app.resolve(first, agency=COUNTER, at=vn(2025, 4, 15, 9))
        _counted_after(projection, app.recorder.max_notification_id() or 0)
        # the follower has just counted and waits a second before it looks again
        app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 15, 10))
        assert 0.5 < _counted_after(projection, app.recorder.max_notification_id() or 0) < 1.6
    finally:
        stop.set()
        follower.join(timeout=10)
    assert not follower.is_alive()
    app.close()


@pytest.mark.slow  # seconds of wall-clock waiting; left out of mutation runs
def test_waiting_for_a_notification_never_counted_gives_up_after_ten_seconds_by_default(
    tmp_path: Path,
) -> None:
    app = shop(sqlite_env(tmp_path / "store.sqlite"), Catalog.sample())
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9))
    projection = StoreProjection(app)
    projection.catch_up()
    reached = projection.position()
    projection.wait(reached)  # counted already: returns at once
    started = time.monotonic()
    with pytest.raises(TimeoutError) as timed_out:
        projection.wait(reached + 1)
    assert 10.0 <= time.monotonic() - started < 10.9
    assert str(timed_out.value) == (
        f"Timed out waiting for notification {reached + 1} from application "
        "'OneStopShop/indicators' to be processed"
    )
    app.close()


# -- seed 15 sample: an in-memory SQLite store, whose readers and writers take turns -----------
def _in_memory_sqlite() -> OneStopShop:
    name = f"file:tthc-{uuid.uuid4().hex}?mode=memory&cache=shared"
    app = shop({"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": name})
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9), limit="3 ngày làm việc")
    return app


def _in_thread(call: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    """``call`` started in a thread; the list gets what it returned or raised."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as error:  # reported by the test
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_on_an_in_memory_sqlite_store_a_page_is_written_once_the_readers_are_done() -> None:
    app = _in_memory_sqlite()
    projection = StoreProjection(app)
    with projection.tables.datastore.transaction(commit=False) as reading:  # type: ignore[attr-defined]
        reading.execute("SELECT * FROM tthc_indicator_counts")
        reading.fetchall()
        counting, outcome = _in_thread(projection.catch_up)
        time.sleep(0.3)
        assert counting.is_alive()  # it waits for the reader
    counting.join(timeout=10)
    assert outcome == [app.recorder.max_notification_id()]
    app.close()


def test_on_an_in_memory_sqlite_store_the_months_are_read_once_a_writer_is_done() -> None:
    app = _in_memory_sqlite()
    projection = StoreProjection(app)
    projection.catch_up()
    with projection.tables.datastore.transaction(commit=True) as writing:  # type: ignore[attr-defined]
        writing.execute(
            "INSERT INTO tthc_indicator_counts VALUES (202506, 'all', '', 'received', 1)"
        )
        reading, outcome = _in_thread(projection.tables.months)
        time.sleep(0.3)
        assert reading.is_alive()  # it waits for the writer
    reading.join(timeout=10)
    assert outcome == [(202504, 202506)]
    app.close()


# -- seed 15 sample, extended to 400 --------------------------------------------------------------
@pytest.mark.postgres
def test_in_postgresql_a_page_waits_for_the_advisory_lock_of_the_schemas_indicators(
    postgres_env: dict[str, str],
) -> None:

    app = shop(postgres_env, Catalog.sample())
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9))
    projection = StoreProjection(app)
    key = zlib.crc32(f"tthc_indicator:{postgres_env['POSTGRES_SCHEMA']}".encode())
    with _connect(postgres_env, autocommit=True) as other_follower:
        other_follower.execute("SELECT pg_advisory_lock(%s)", (key,))
        counting, counted = _in_thread(projection.catch_up)
        resetting, reset = _in_thread(projection.rebuild)
        time.sleep(0.5)
        assert (counting.is_alive(), resetting.is_alive()) == (True, True)
        assert projection.position() == 0
        other_follower.execute("SELECT pg_advisory_unlock(%s)", (key,))
    counting.join(timeout=30)
    resetting.join(timeout=30)
    last = app.recorder.max_notification_id()
    assert projection.position() == last
    assert last in counted + reset  # whichever went second may have found nothing left
    app.close()


def test_a_period_needs_both_ends_and_says_in_what_form() -> None:
    with pytest.raises(InvalidInputError) as refused:
        Period.parse(None, "2025-04")
    assert str(refused.value) == "period: give both --from and --to (YYYY-MM-DD)"


def test_closing_a_projection_kept_in_the_stores_own_database_leaves_the_store_open(
    tmp_path: Path,
) -> None:
    app = shop(sqlite_env(tmp_path / "store.sqlite"), Catalog.sample())
    projection = StoreProjection(app)
    projection.close()
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 14, 9))
    assert projection.catch_up() == app.recorder.max_notification_id()
    app.close()


def test_a_segment_tally_without_a_dimension_takes_it_from_the_tally_merged_into_it() -> None:
    counted = SegmentTally()
    counted.add("received", [("agency", COUNTER)])
    bare = SegmentTally(groups={})
    bare.merge(counted)
    assert bare.groups == {
        "agency": {COUNTER: Counter({"received": 1})},
        "procedure": {},
        "field": {},
        "level": {},
    }
    assert bare.overall == Counter({"received": 1})


def test_a_projection_of_a_store_without_events_lags_by_nothing(tmp_path: Path) -> None:
    app = shop(sqlite_env(tmp_path / "store.sqlite"), Catalog.sample())
    projection = StoreProjection(app)
    assert (projection.position(), projection.lag(), projection.catch_up()) == (0, 0, 0)
    app.close()


# -- periods cut into months, whole ---------------------------------------------------------------
def test_a_period_is_cut_at_each_first_of_a_month_into_half_open_segments() -> None:
    period = Period.parse(" 2024-12-15 ", "2025-02")
    assert (period.first, period.last) == (date(2024, 12, 15), date(2025, 2, 28))
    midnight = [
        datetime(2024, 12, 15, tzinfo=VN_TZ),
        datetime(2025, 1, 1, tzinfo=VN_TZ),
        datetime(2025, 2, 1, tzinfo=VN_TZ),
        datetime(2025, 3, 1, tzinfo=VN_TZ),
    ]
    assert period.segments == (
        Segment(0, "2024-12", midnight[0], midnight[1]),
        Segment(1, "2025-01", midnight[1], midnight[2]),
        Segment(2, "2025-02", midnight[2], midnight[3]),
    )
    assert (period.start, period.end) == (midnight[0], midnight[3])
    assert list(period.boundaries()) == midnight[1:]
    assert period.segments[0].as_of == datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=VN_TZ)
    assert period.as_dict() == {"from": "2024-12-15", "to": "2025-02-28"}
    just_before = timedelta(microseconds=1)
    assert [
        period.segment_of(at)
        for at in (
            midnight[0] - just_before,
            midnight[0],
            midnight[1] - just_before,
            midnight[1],
            midnight[3] - just_before,
            midnight[3],
        )
    ] == [None, *period.segments[:1], *period.segments[:2], period.segments[2], None]
    assert Period.parse("2024-02", "2024-02").last == date(2024, 2, 29)
    assert Period.month(2025, 12).segments[0].end == datetime(2026, 1, 1, tzinfo=VN_TZ)


def test_a_period_whose_end_is_before_its_start_or_not_a_date_is_refused_naming_the_option() -> (
    None
):
    with pytest.raises(InvalidInputError) as backwards:
        Period.parse("2025-04-10", "2025-04-09")
    assert str(backwards.value) == "period: --to 2025-04-09 is before --from 2025-04-10"
    with pytest.raises(InvalidInputError) as not_a_date:
        Period.parse(" 2025-4-1 ", "2025-05")
    assert str(not_a_date.value) == (
        "--from: '2025-4-1' is not a date YYYY-MM-DD (or a month YYYY-MM)"
    )
    with pytest.raises(InvalidInputError) as not_a_month:
        Period.parse("2025-04", "2025-00")
    assert str(not_a_month.value) == (
        "--to: '2025-00' is not a date YYYY-MM-DD (or a month YYYY-MM)"
    )


# -- a report from counts written in the test: rates, points and targets --------------------------
def test_the_report_of_given_counts_gives_the_rates_the_points_and_the_satisfaction_targets() -> (
    None
):
    land = (("agency", "A"), ("procedure", "1.012753"), ("field", "Đất đai"), ("level", "x"))
    civil = (("agency", "A"), ("procedure", "1.000656"), ("field", "Hộ tịch"), ("level", "x"))
    tally = PeriodTally.empty(1)
    seg = tally.segments[0]
    for key, n in {"received": 10, "received_online": 5, "resolved": 10, "early": 10}.items():
        seg.add(key, land, n)
    for key, n in {
        "received": 10,
        "received_postal": 10,
        "resolved": 10,
        "on_time": 9,
        "late": 1,
        "late_with_apology": 1,
        "fee_base": 4,
        "paid_online": 1,
        "digitised": 16,
        "rated": 4,
        "rated_satisfied": 3,
        "pop_766": 20,
        "in_time_766": 19,
    }.items():
        seg.add(key, civil, n)
    report = Report(Period.month(2025, 5), tally).as_dict()
    assert {k: report[k] for k in report if not k.startswith("by_")} == {
        "period": {"from": "2025-05-01", "to": "2025-05-31"},
        **_figures(
            received=20,
            resolved=20,
            early=10,
            on_time=9,
            late=1,
            late_with_apology=1,
            received_by_channel={"counter": 0, "online": 5, "postal": 10},
            on_time_rate=0.95,
            rate_766=0.95,
            apology_rate=1.0,
            online_rate=0.25,
            online_payment_rate=0.25,
            digitisation_rate=0.8,
            satisfaction_rate=0.95,
            rating_satisfaction_rate=0.75,
        ),
        "steps": {},
        "late_caused_by": {},
        "scorecard_766": {
            "progress": 19.0,  # 0.95 × 20 (no threshold)
            "online": 6.0,  # 0.25 × 12 ÷ 0.5
            "payment": 2.5,  # 0.25 × 10
            "digitisation": 22.0,  # at its 80% threshold: full points
            "satisfaction": 6.0,  # above 90%
        },
        "satisfaction_targets": {
            "overall": {"rate": 0.95, "target": 0.95, "met": False},  # not above 95%
            "land_construction_investment": {"rate": 1.0, "target": 0.9, "met": True},
        },
    }
    assert report["by_field"]["Hộ tịch"]["satisfaction_rate"] == 0.9
    assert list(report["by_field"]) == ["Hộ tịch", "Đất đai"]


def test_points_are_rounded_to_hundredths_and_none_without_a_rate() -> None:
    assert points(
        {
            "rate_766": 0.123456,
            "online_rate": 0.2,
            "digitisation_rate": 0.9,
            "satisfaction_rate": 0.5,
        }
    ) == {
        "progress": 2.47,
        "online": 4.8,
        "payment": None,
        "digitisation": 22.0,
        "satisfaction": 3.33,
    }
    assert special_field(unicodedata.normalize("NFD", "HOẠT ĐỘNG XÂY DỰNG"))
    assert special_field("Đầu tư tại Việt Nam")
    assert not special_field("Hộ tịch")


def test_a_month_of_each_kind_of_fact_is_counted_by_channel_outcome_step_and_cause() -> None:
    app = _memory_shop()
    procedure = "2.001610"  # 3 working days, 100 000 đ
    online = app.submit(procedure, agency=COUNTER, at=vn(2025, 5, 5, 8)).code
    app.receive(procedure, agency=COUNTER, code=online, channel="online", at=vn(2025, 5, 5, 9))
    app.start_step(
        online, "tiep_nhan", agency=COUNTER, allotted="1 ngày làm việc", at=vn(2025, 5, 5, 9, 30)
    )
    app.finish_step(online, agency=COUNTER, at=vn(2025, 5, 5, 10))  # early; then overdue
    postal = app.receive(procedure, agency=COUNTER, channel="postal", at=vn(2025, 5, 5, 9)).code
    app.withdraw(postal, agency=COUNTER, at=vn(2025, 5, 6, 9))
    never_received = app.submit(procedure, agency=COUNTER, at=vn(2025, 5, 5, 8)).code
    app.withdraw(never_received, agency=COUNTER, at=vn(2025, 5, 6, 9))  # not counted
    stopped = app.receive(procedure, agency=COUNTER, at=vn(2025, 5, 5, 9)).code
    app.stop(stopped, agency=COUNTER, reason="hồ sơ giả mạo", at=vn(2025, 5, 7, 9))
    app.refuse(agency=COUNTER, reason="thiếu giấy tờ", procedure=procedure, at=vn(2025, 5, 5, 9))
    late = app.receive(procedure, agency=COUNTER, at=vn(2025, 5, 5, 9)).code  # due 08/05
    app.issue_apology(
        late, agency=COUNTER, new_due=vn(2025, 5, 12, 17), reason="chờ ý kiến", at=vn(2025, 5, 7)
    )
    app.resolve(late, agency=COUNTER, at=vn(2025, 5, 13, 9))

    report = _folded(app, Period.month(2025, 5))
    may = _figures(
        received=4,
        resolved=1,
        late=1,
        late_with_apology=1,
        withdrawn=1,
        stopped=1,
        refused=1,
        overdue=1,
        received_by_channel={"counter": 2, "online": 1, "postal": 1},
        on_time_rate=0.0,
        rate_766=0.5,  # the withdrawn and the stopped ones ended in time
        apology_rate=1.0,
        online_rate=0.25,
        online_payment_rate=0.0,
        digitisation_rate=0.0,
        satisfaction_rate=0.0,
    )
    assert report == {
        "period": {"from": "2025-05-01", "to": "2025-05-31"},
        **may,
        "by_agency": {COUNTER: may},
        "by_procedure": {procedure: may},
        "by_field": {"Thành lập và hoạt động của doanh nghiệp": may},
        "by_level": {"province": may},
        "by_month": {"2025-05": may},
        "steps": {COUNTER: {"early": 1, "on_time": 0, "late": 0}},
        "late_caused_by": {COUNTER: 1},
        "scorecard_766": {
            "progress": 10.0,
            "online": 6.0,
            "payment": 0.0,
            "digitisation": 0.0,
            "satisfaction": 0.0,
        },
        "satisfaction_targets": {
            "overall": {"rate": 0.0, "target": 0.95, "met": False},
            "land_construction_investment": {"rate": None, "target": 0.9, "met": None},
        },
    }


def test_a_months_key_first_day_and_next_first_day_are_those_of_the_calendar() -> None:
    assert [month_key(date(2025, 5, 17)), month_key(date(987, 1, 31))] == ["2025-05", "0987-01"]
    assert month_start(date(2025, 5, 17)) == date(2025, 5, 1)
    assert [next_month_start(date(2025, 1, 31)), next_month_start(date(2024, 12, 1))] == [
        date(2025, 2, 1),
        date(2025, 1, 1),
    ]


def test_without_a_known_fee_the_dossiers_that_paid_something_are_the_online_payment_base() -> None:
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=None)

    def received() -> str:
        at = vn(2025, 5, 5, 9)
        return app.receive("2.001610", agency=COUNTER, at=at, limit="3 ngày làm việc").code

    online, nothing, counter = received(), received(), received()
    received()  # never paid: outside the base
    app.record_payment(online, agency=COUNTER, amount=50_000, online=True, at=vn(2025, 5, 5, 10))
    app.record_payment(nothing, agency=COUNTER, amount=0, online=True, at=vn(2025, 5, 5, 10))
    app.record_payment(counter, agency=COUNTER, amount=20_000, online=False, at=vn(2025, 5, 5, 10))
    app.record_payment(counter, agency=COUNTER, amount=0, online=True, at=vn(2025, 5, 5, 11))
    app.resolve(online, agency=COUNTER, at=vn(2025, 5, 6, 9))
    app.record_feedback(online, agency=COUNTER, rating="very_satisfied", at=vn(2025, 5, 6, 10))
    report = _folded(app, Period.month(2025, 5))
    assert (report["online_payment_rate"], report["rating_satisfaction_rate"]) == (0.5, 1.0)


def test_a_resolution_on_the_due_day_after_its_hour_is_late_only_when_judged_by_the_minute() -> (
    None
):
    def may(by: str) -> dict[str, Any]:
        app = OneStopShop(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
            catalog=Catalog.sample(),
            timeliness_by=by,
        )
        code = app.receive("2.001610", agency=COUNTER, at=vn(2025, 5, 5, 9)).code  # due 08/05 9:00
        app.resolve(code, agency=COUNTER, at=vn(2025, 5, 8, 10))
        report = _folded(app, Period.month(2025, 5))
        return {key: report[key] for key in ("early", "on_time", "late", "late_caused_by")}

    assert may("date") == {"early": 0, "on_time": 1, "late": 0, "late_caused_by": {}}
    assert may("datetime") == {"early": 0, "on_time": 0, "late": 1, "late_caused_by": {COUNTER: 1}}


# -- the table classes whole: months, snapshot, reset, settings (SQLite and PostgreSQL) --------
def _april_and_june(env: dict[str, str]) -> tuple[OneStopShop, StoreProjection, str, str]:
    """The early April dossier, then one received on 3 June 2025 and still open: counts
    in April and June, none in May; returns the two dossiers' originator ids too."""
    app, projection = _one_early_dossier(env)
    june = app.receive("2.001610", agency=COUNTER, at=vn(2025, 6, 3, 9)).code
    projection.catch_up()
    return app, projection, str(app.dossier(CODE).id), str(app.dossier(june).id)


def test_the_months_counted_are_those_from_the_first_to_the_last_month_with_counts(
    store_env: dict[str, str],
) -> None:
    app, projection, _, _ = _april_and_june(store_env)
    assert projection.tables.months() == (202504, 202506)
    assert projection.months() == Period(date(2025, 4, 1), date(2025, 6, 30))
    projection.tables.reset(projection.name, projection.settings)
    assert projection.tables.months() is None
    assert projection.months() is None
    app.close()


def test_a_snapshot_holds_the_counts_of_its_months_and_the_dossiers_pending_at_their_ends(
    store_env: dict[str, str],
) -> None:
    app, projection, april, june = _april_and_june(store_env)
    every = "SELECT month, scope, value, key, n FROM tthc_indicator_counts"
    rows = {
        row[0]: DossierRow(row[0], row[1], row[2], row[3], row[4], bytes(row[5]))
        for row in _read(
            store_env,
            "SELECT originator_id, code, boundary, open_from, ended_pending, state "
            "FROM tthc_indicator_dossiers",
        )
    }
    assert [
        (r.originator_id, r.boundary, r.open_from, r.ended_pending)
        for r in (rows[april], rows[june])
    ] == [(april, 202504, None, 202504), (june, 202506, 202506, None)]

    def snapshot(first: int, last: int) -> tuple[list[tuple[Any, ...]], list[DossierRow]]:
        counts, pending = projection.tables.snapshot(first, last)
        return sorted(counts), sorted(pending, key=lambda row: row.originator_id)

    def counts_of(first: int, last: int) -> list[tuple[Any, ...]]:
        return sorted(_read(store_env, f"{every} WHERE month BETWEEN {first} AND {last}"))

    assert snapshot(202504, 202504) == (counts_of(202504, 202504), [rows[april]])
    assert snapshot(202505, 202505) == ([], [])
    assert snapshot(202506, 202506) == (counts_of(202506, 202506), [rows[june]])
    assert snapshot(202504, 202506) == (
        sorted(_read(store_env, every)),
        sorted([rows[april], rows[june]], key=lambda row: row.originator_id),
    )
    assert snapshot(202507, 202512) == ([], [rows[june]])  # open: pending at every end after
    assert snapshot(202501, 202503) == ([], [])
    assert len(counts_of(202504, 202504)) == 20
    assert len(counts_of(202506, 202506)) > 0
    app.close()


def test_a_reset_empties_the_counts_the_dossiers_and_only_that_applications_position(
    store_env: dict[str, str],
) -> None:
    app, projection, _, _ = _april_and_june(store_env)
    reached = app.recorder.max_notification_id()
    tracking = "tracking" if "SQLITE_DBNAME" in store_env else "tthc_indicator_tracking"
    projection.tables.reset("another", {"b": "2", "a": "1", "c": ""})
    assert projection.tables.settings() == {"a": "1", "b": "2", "c": ""}
    assert sorted(_read(store_env, "SELECT name, value FROM tthc_indicator_settings")) == [
        ("a", "1"),
        ("b", "2"),
        ("c", ""),
    ]
    assert _read(store_env, "SELECT * FROM tthc_indicator_counts") == []
    assert _read(store_env, "SELECT * FROM tthc_indicator_dossiers") == []
    assert projection.tables.position(projection.name) == reached  # another's: not ours
    assert _read(
        store_env,
        f"SELECT application_name, notification_id FROM {tracking} "
        "WHERE application_name LIKE '%/indicators'",
    ) == [(projection.name, reached)]
    projection.tables.reset(projection.name, {})
    assert projection.tables.settings() == {}
    assert projection.tables.position(projection.name) == 0
    assert (
        _read(
            store_env,
            f"SELECT application_name FROM {tracking} WHERE application_name LIKE '%/indicators'",
        )
        == []
    )
    app.close()


def test_a_page_adds_its_counts_replaces_its_dossiers_rows_and_moves_the_position_at_once(
    store_env: dict[str, str],
) -> None:
    app, projection = _one_early_dossier(store_env)
    tables, name = projection.tables, projection.name
    reached = app.recorder.max_notification_id() or 0
    april = str(app.dossier(CODE).id)
    before = sorted(_read(store_env, "SELECT * FROM tthc_indicator_counts"))
    rows_before = tables.dossiers([april])
    replaced = DossierRow(april, "another-code", 202505, 202505, None, b"\x00state")
    new = DossierRow("new-id", "new-code", 202506, None, 202507, b"")
    received = [(202504, "all", "", "received", 2), (202505, "all", "", "received", 7)]

    # refused: read from a position that is not the projection's; nothing is written
    with pytest.raises(PositionMovedError):
        tables.commit_page(name, reached - 1, reached + 9, [replaced, new], received)
    assert sorted(_read(store_env, "SELECT * FROM tthc_indicator_counts")) == before
    assert tables.dossiers([april, "new-id"]) == rows_before
    assert tables.position(name) == reached

    tables.commit_page(name, reached, reached + 5, [replaced, new], received)
    assert tables.position(name) == reached + 5
    assert tables.dossiers([april, "new-id"]) == {april: replaced, "new-id": new}
    after = sorted(_read(store_env, "SELECT * FROM tthc_indicator_counts"))
    assert after == sorted(
        [row for row in before if row[:4] != (202504, "all", "", "received")]
        + [(202504, "all", "", "received", 3), (202505, "all", "", "received", 7)]
    )
    # a page of no rows moves the position only
    tables.commit_page(name, reached + 5, reached + 6, [], [])
    assert tables.position(name) == reached + 6
    assert sorted(_read(store_env, "SELECT * FROM tthc_indicator_counts")) == after
    assert tables.dossiers([april, "new-id"]) == {april: replaced, "new-id": new}
    app.close()


def test_a_report_of_any_run_of_months_is_the_fold_of_the_whole_store_over_them(
    store_env: dict[str, str],
) -> None:
    app, projection, _, _ = _april_and_june(store_env)
    # received in April, resolved late in May; received in April, still open (late) in July
    late = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 22, 9)).code
    app.resolve(late, agency=COUNTER, at=vn(2025, 5, 20, 9))
    open_late = app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 23, 9)).code
    app.start_step(
        open_late, "tiep_nhan", agency=COUNTER, allotted="1 ngày làm việc", at=vn(2025, 5, 14, 9)
    )
    app.finish_step(open_late, agency=COUNTER, at=vn(2025, 5, 16, 9))  # a step finished late
    projection.catch_up()
    assert projection.report(Period.month(2025, 5)).as_dict()["steps"] == {
        COUNTER: {"early": 0, "on_time": 0, "late": 1}
    }
    for first, last in [
        ("2025-03", "2025-03"),
        ("2025-04", "2025-04"),
        ("2025-05", "2025-05"),
        ("2025-06", "2025-06"),
        ("2025-07", "2025-07"),
        ("2025-05", "2025-07"),
        ("2025-03", "2025-08"),
    ]:
        period = Period.parse(first, last)
        assert projection.report(period).as_dict() == _folded(app, period), (first, last)
    app.close()


def test_a_report_of_a_period_that_is_not_whole_months_says_how_to_give_one(
    store_env: dict[str, str],
) -> None:
    app, projection = _one_early_dossier(store_env)
    for first, last in [(2, 30), (1, 29), (2, 29)]:
        with pytest.raises(InvalidInputError) as refused:
            projection.report(Period(date(2025, 4, first), date(2025, 4, last)))
        assert str(refused.value) == (
            f"period: 2025-04-{first:02}..2025-04-{last:02} is not whole months; the "
            "projection keeps months (give --from YYYY-MM-01 and --to the month's last day, "
            "or YYYY-MM)"
        )
    app.close()


def test_waiting_for_a_counted_notification_returns_and_for_a_later_one_times_out_naming_it(
    store_env: dict[str, str],
) -> None:
    app, projection = _one_early_dossier(store_env)
    reached = projection.position()
    projection.wait(reached, timeout=0.05)
    projection.wait(1, timeout=0.05)
    with pytest.raises(TimeoutError) as timed_out:
        projection.wait(reached + 1, timeout=0.05)
    assert str(timed_out.value) == (
        f"Timed out waiting for notification {reached + 1} from application "
        "'OneStopShop/indicators' to be processed"
    )
    app.close()


def test_on_an_in_memory_sqlite_store_the_tables_are_read_while_another_reader_is_reading() -> None:
    app = _in_memory_sqlite()
    projection = StoreProjection(app)
    projection.catch_up()
    tables = projection.tables
    reads: list[Callable[[], object]] = [
        tables.settings,
        tables.months,
        lambda: tables.snapshot(202504, 202504)[1],
        lambda: list(tables.dossiers(["nobody"])),
    ]
    expected = [projection.settings, (202504, 202504), tables.snapshot(202504, 202504)[1], []]
    with tables.datastore.transaction(commit=False) as reading:  # type: ignore[attr-defined]
        reading.execute("SELECT * FROM tthc_indicator_counts")
        reading.fetchall()
        for read, value in zip(reads, expected, strict=True):
            thread, outcome = _in_thread(read)
            thread.join(timeout=5)  # a read that took the writer's turn would still wait
            assert (thread.is_alive(), outcome) == (False, [value])
    app.close()


def test_a_store_projection_judges_the_dossiers_open_at_a_months_end_by_the_stores_clock_rule(
    store_env: dict[str, str],
) -> None:
    app = OneStopShop(
        env=store_env, catalog=Catalog.sample(), clock=lambda: NOW, timeliness_by="datetime"
    )
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 6, 25, 9))  # due Mon 30/06 09:00
    projection = StoreProjection(app)
    projection.catch_up()
    report = projection.report(Period.month(2025, 6)).as_dict()
    assert report == _folded(app, Period.month(2025, 6))
    assert (report["pending"], report["overdue"]) == (0, 1)  # by the date: (1, 0)
    app.close()


@pytest.mark.slow  # over a second of wall-clock waiting; left out of mutation runs
def test_waiting_with_a_timeout_longer_than_eventsourcings_second_waits_that_long(
    tmp_path: Path,
) -> None:
    app, projection = _one_early_dossier(sqlite_env(tmp_path / "store.sqlite"))
    reached = projection.position()
    waiting, outcome = _in_thread(lambda: projection.wait(reached + 1, timeout=20))
    time.sleep(1.5)  # past eventsourcing's default timeout of one second
    app.receive("2.001610", agency=COUNTER, at=vn(2025, 4, 16, 9))
    projection.catch_up()
    waiting.join(timeout=20)
    assert outcome == [None]
    app.close()
