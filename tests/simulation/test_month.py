"""``simulate_month``, the quick start's month: a thin wrapper that records the shipped
profile's traffic through the application, reproducibly."""

from __future__ import annotations

from datetime import date

import attrs

from tthc_engine import Catalog, Dossier, OneStopShop, Status
from tthc_engine.simulation import SimulatedMonth, simulate_month


def _app(catalog: Catalog | None = None) -> OneStopShop:
    return OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=catalog or Catalog.sample()
    )


def _dossiers(app: OneStopShop, month: SimulatedMonth) -> list[Dossier]:
    return [app.dossier(code) for code in month.codes]


def test_the_same_seed_gives_the_same_dossiers_and_events() -> None:
    one, two, three = _app(), _app(), _app()
    a = simulate_month(one, 2025, 4, per_day=5, seed=7)
    b = simulate_month(two, 2025, 4, per_day=5, seed=7)
    c = simulate_month(three, 2025, 4, per_day=5, seed=8)
    assert a.codes == b.codes
    assert a.events == b.events
    assert _trace(one, a) == _trace(two, b)
    # Another seed draws other traffic: the same number of dossiers a day, another history.
    assert len(c.codes) == len(a.codes)
    assert _trace(three, c) != _trace(one, a)


def _trace(app: OneStopShop, month: SimulatedMonth) -> list[tuple[object, ...]]:
    """Each dossier's procedure, status, receipt and last event: its whole drawn history."""
    return [(d.procedure, d.status, d.received_at, d.last_at) for d in _dossiers(app, month)]


def test_per_day_dossiers_are_received_or_refused_each_working_day_and_none_outside_it() -> None:
    app = _app()
    month = simulate_month(app, 2025, 4, per_day=8, seed=3)
    dossiers = _dossiers(app, month)
    working_days = app.calendar.working_days_in(month.first_day, month.last_day)
    assert len(working_days) == 21  # 20 weekdays off Giỗ Tổ and 30/04, plus Saturday 26/04
    assert sum(d.is_received or d.status is Status.REFUSED for d in dossiers) == 8 * 21
    assert all(d.last_at is not None and d.last_at <= month.until for d in dossiers)
    assert all(month.first_day <= d.received_at.date() for d in dossiers if d.received_at)
    assert any(d.is_open for d in dossiers)
    assert any(d.status is Status.RETURNED for d in dossiers)


def test_each_simulated_day_receives_only_the_procedures_in_force_that_day() -> None:
    sample = Catalog.sample()
    day = date(2025, 4, 14)
    ending = attrs.evolve(sample.in_force("2.001610", day), valid_to=date(2025, 4, 15))
    starting = attrs.evolve(sample.in_force("1.001193", day), valid_from=date(2025, 4, 16))
    catalog = Catalog([ending, starting], agencies=sample.agencies, province=sample.province)
    app = _app(catalog)
    month = simulate_month(app, 2025, 4, per_day=3, seed=5)
    seen = {
        (d.procedure, d.received_at.date() <= date(2025, 4, 15))
        for d in _dossiers(app, month)
        if d.received_at is not None
    }
    assert seen == {("2.001610", True), ("1.001193", False)}


def test_a_month_runs_on_the_versions_of_that_month() -> None:
    app = _app()
    month = simulate_month(app, 2025, 4, per_day=15, seed=1)
    limits = {d.procedure: str(d.limit) for d in _dossiers(app, month) if d.limit is not None}
    assert limits["1.009645"] == "35 ngày"
    assert limits["1.013831"] == "10 ngày làm việc"
    assert limits["1.001612"] == "3 ngày làm việc"  # still thành phố Vinh's in April 2025


def test_a_month_can_be_received_at_one_counter_for_every_procedure() -> None:
    app = _app()
    month = simulate_month(app, 2025, 4, per_day=4, seed=2, receiving_agency="000.00.10.H41")
    dossiers = _dossiers(app, month)
    assert {d.receiving_agency for d in dossiers if d.is_received} == {"000.00.10.H41"}
    assert {d.code.split("-")[0] for d in dossiers} == {"000.00.10.H41"}
    # the steps are still held by the agencies of each procedure's process
    assert {s.agency for d in dossiers for s in d.steps} > {"000.00.10.H41"}
