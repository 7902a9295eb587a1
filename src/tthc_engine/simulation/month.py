"""The quick start's month: a thin wrapper over :class:`~tthc_engine.simulation.Simulation`.

``simulate_month(app, 2025, 4, per_day=20)`` runs the shipped ``nghe-an-month`` profile on
the application's catalog and calendar for that month, with exactly ``per_day`` dossiers
received (or refused) each working day — the procedures drawn by the profile's volumes
(a procedure the profile does not list weighs one dossier a day) — and records them
through the application (:meth:`Simulation.record`), so that they pass its rules and land
in its store.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import attrs

from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog
from tthc_engine.errors import TthcError
from tthc_engine.simulation.engine import Simulation
from tthc_engine.simulation.profile import Profile

__all__ = ["SimulatedMonth", "month_profile", "simulate_month"]


@attrs.frozen
class SimulatedMonth:
    """What :func:`simulate_month` recorded."""

    first_day: date
    last_day: date
    until: datetime
    codes: tuple[str, ...]
    events: int


def month_profile(catalog: Catalog, per_day: int) -> Profile:
    """The ``nghe-an-month`` profile fitted to ``catalog``, with exactly ``per_day``
    dossiers each working day: the catalog's procedures keep the profile's volumes (1 a
    day when it lists none), and agencies the catalog does not name are left out."""
    sample = Profile.sample("nghe-an-month")
    raw: dict[str, Any] = dict(sample.raw)
    raw["arrivals"] = {**raw["arrivals"], "mode": "fixed", "per_day": per_day}
    listed = raw["procedures"]
    raw["procedures"] = {code: listed.get(code, 1) for code in sorted(catalog)}
    for code, entry in raw["procedures"].items():
        if isinstance(entry, dict) and isinstance(entry.get("per_day"), dict):
            levels = {v.level.value for v in catalog.versions(code)}
            volumes = {k: v for k, v in entry["per_day"].items() if k in levels}
            raw["procedures"][code] = {**entry, "per_day": volumes or 1}
    known = set(catalog.agencies) | catalog.agency_codes | {"default"}
    raw["agencies"] = {k: v for k, v in raw["agencies"].items() if k in known}
    return Profile.from_mapping(raw, source=f"{sample.source} (per_day {per_day})")


def simulate_month(
    app: OneStopShop,
    year: int,
    month: int,
    *,
    per_day: int = 20,
    seed: int = 2025,
    receiving_agency: str | None = None,
) -> SimulatedMonth:
    """Receive ``per_day`` dossiers each working day of ``month`` and process them through
    ``app`` (see the module docstring); nothing after the month's last day is recorded.

    Requires ``app.catalog``; returns the codes opened and the number of events saved.
    """
    if app.catalog is None:
        raise TthcError("simulate_month needs an application with a catalog")
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    simulation = Simulation(
        month_profile(app.catalog, per_day),
        app.catalog,
        app.calendar,
        seed=seed,
        first=first,
        last=last,
        receiving_agency=receiving_agency,
    )
    before = app.recorder.max_notification_id() or 0
    summary = simulation.record(app)
    events = (app.recorder.max_notification_id() or 0) - before
    return SimulatedMonth(first, last, simulation.until, summary.codes, events)
