"""The month simulator drives the real application; its traffic is reproducible."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from tthc_engine import Catalog, Dossier, OneStopShop, Status
from tthc_engine.simulation import SimulatedMonth, simulate_month


def _app(path: Path) -> OneStopShop:
    return OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)},
        catalog=Catalog.sample(),
    )


def test_the_same_seed_gives_the_same_dossiers_and_events(tmp_path: Path) -> None:
    one, two = _app(tmp_path / "1.sqlite"), _app(tmp_path / "2.sqlite")
    a = simulate_month(one, 2025, 4, per_day=5, seed=7)
    b = simulate_month(two, 2025, 4, per_day=5, seed=7)
    assert a.codes == b.codes
    assert a.events == b.events
    assert [one.dossier(c).status for c in a.codes] == [two.dossier(c).status for c in b.codes]
    other = simulate_month(_app(tmp_path / "3.sqlite"), 2025, 4, per_day=5, seed=8)
    assert [one.dossier(c).status for c in a.codes] != [
        _app(tmp_path / "3.sqlite").dossier(c).status for c in other.codes
    ]


def test_nothing_after_the_period_is_recorded(tmp_path: Path) -> None:
    app = _app(tmp_path / "m.sqlite")
    month = simulate_month(app, 2025, 4, per_day=8, seed=3)
    dossiers = [app.dossier(c) for c in month.codes]
    assert all(d.last_at is not None and d.last_at <= month.until for d in dossiers)
    assert {d.received_at.date() for d in dossiers if d.received_at} <= {
        *app.calendar.working_days_in(month.first_day, month.last_day)
    }
    assert any(d.is_open for d in dossiers)
    assert any(d.status is Status.RETURNED for d in dossiers)


def test_each_simulated_day_receives_only_the_procedures_in_force_that_day(
    tmp_path: Path,
) -> None:
    sample = Catalog.sample()
    day = date(2025, 4, 14)
    ending = attrs.evolve(sample.in_force("2.001610", day), valid_to=date(2025, 4, 15))
    starting = attrs.evolve(sample.in_force("1.001193", day), valid_from=date(2025, 4, 16))
    catalog = Catalog([ending, starting], agencies=sample.agencies, province=sample.province)
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "v")},
        catalog=catalog,
    )
    month = simulate_month(app, 2025, 4, per_day=3, seed=5)
    seen = {(d.procedure, d.received_at.date() <= date(2025, 4, 15)) for d in _received(app, month)}
    assert seen == {("2.001610", True), ("1.001193", False)}


def _received(app: OneStopShop, month: SimulatedMonth) -> list[Dossier]:
    dossiers = [app.dossier(code) for code in month.codes]
    return [d for d in dossiers if d.received_at is not None]


def test_a_month_runs_on_the_versions_of_that_month_up_to_a_same_day_due_at_closing_time(
    tmp_path: Path,
) -> None:
    """April 2025 on the pre-reform versions (as an application fixing the version at
    receipt would plan them); seed 1 once apologised one minute after a same-day due on
    the worked Saturday 26/04/2025."""
    sample = Catalog.sample()
    april = Catalog(
        sample.in_force_on(date(2025, 4, 15)), agencies=sample.agencies, province=sample.province
    )
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "a")},
        catalog=april,
    )
    month = simulate_month(app, 2025, 4, per_day=15, seed=1)
    limits = {d.procedure: str(d.limit) for d in _received(app, month)}
    assert limits["1.009645"] == "35 ngày"
    assert limits["1.013831"] == "10 ngày làm việc"
