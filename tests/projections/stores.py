"""Stores for the projection tests: applications on SQLite or a fresh PostgreSQL schema,
logs imported through the domain, and the reports a replay gives for comparison."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from tthc_engine import VN_TZ, Catalog, OneStopShop
from tthc_engine.application.unit_of_work import UnitOfWork
from tthc_engine.domain import Dossier
from tthc_engine.domain.facts import FactRules, apply_fact
from tthc_engine.interchange import read_facts, replay
from tthc_engine.interchange.exporter import export_jsonl
from tthc_engine.projections import Period
from tthc_engine.testing import postgres_env

NOW = datetime(2026, 1, 1, tzinfo=VN_TZ)
"""The applications' clock: after every business time the tests record."""


def shop(env: dict[str, str], catalog: Catalog | None = None) -> OneStopShop:
    """An application on ``env`` whose clock stands at :data:`NOW`."""
    return OneStopShop(env=env, catalog=catalog, clock=lambda: NOW)


@contextmanager
def fresh_schema() -> Iterator[dict[str, str]]:
    """A PostgreSQL environment with a schema of its own, dropped afterwards (for tests
    that need several stores, such as property tests)."""
    import psycopg
    from psycopg import sql

    schema = f"tthc_test_{uuid.uuid4().hex[:12]}"
    env = postgres_env(schema=schema)
    conninfo = (
        f"host={env['POSTGRES_HOST']} port={env['POSTGRES_PORT']} "
        f"dbname={env['POSTGRES_DBNAME']} user={env['POSTGRES_USER']} "
        f"password={env['POSTGRES_PASSWORD']}"
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield env
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def import_log(app: OneStopShop, path: Path) -> int:
    """Carry every fact of the log ``path`` out on the ``Dossier`` aggregate, one unit of
    work per fact (the domain's rules apply); returns how many."""
    rules = FactRules(app.calendar, app.max_apologies, app.apology_lead_days)
    n = 0
    for line in read_facts([path]):
        assert line.fact is not None, line.problems
        fact = line.fact
        uow = UnitOfWork(app)
        found = uow.find(fact.dossier)
        dossier = apply_fact(found, fact, rules, Dossier)
        assert isinstance(dossier, Dossier)
        if found is None:
            uow.add(dossier)
        uow.commit()
        n += 1
    return n


def replayed(app: OneStopShop, log: Path, period: Period, jobs: int) -> dict[str, Any]:
    """The report a replay of ``app``'s exported log gives for ``period``."""
    if not log.exists():
        export_jsonl(app, log)
    outcome = replay([log], period=period, catalog=app.catalog, jobs=jobs)
    assert outcome.problems == ()
    assert outcome.report is not None
    return outcome.report.as_dict()


def differences(got: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """The keys whose values differ (each key compared on its own, for readable failures)."""
    return [key for key in sorted(set(got) | set(expected)) if got.get(key) != expected.get(key)]
