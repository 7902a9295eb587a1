"""The store projection at its edges, found unpinned by mutation testing (issue 12).

One small SQLite store: April 2025 of the sample province, one dossier a working day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.projections.stores import shop
from tthc_engine import Catalog, InvalidInputError
from tthc_engine.projections import Period, StoreProjection
from tthc_engine.simulation import simulate_month
from tthc_engine.testing import sqlite_env


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
