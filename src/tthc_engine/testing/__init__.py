"""Test helpers for code built on tthc-engine (docs/simulation.md, "The testing toolkit").

Plain functions and classes, usable without pytest:

* :func:`postgres_env`, :func:`sqlite_env` — the environment dictionaries `eventsourcing`
  reads its persistence settings from::

      app = OneStopShop(env=sqlite_env(tmp_path / "events.sqlite"))
      app = OneStopShop(env=postgres_env(schema="my_tests"))   # from TTHC_PG_* variables

* :class:`BusinessClock` — business time moved by working days and hours, the
  application's clock, and the system clock too while :meth:`BusinessClock.freeze` runs;
* :class:`CatalogBuilder` — a catalog in a few lines, checked like a catalog file;
* :class:`Scenario` and :class:`Case` — receive, hand over, let working days pass and
  expect what the regulations say (late by N working days, an apology owed by an agency,
  the control slip, the report).

The pytest fixtures live in :mod:`tthc_engine.testing.plugin`, which pytest loads
automatically (entry point ``pytest11``: ``tthc``): ``postgres_env``, ``sqlite_env``,
``tthc_calendar``, ``tthc_catalog``, ``tthc_catalog_builder``, ``tthc_clock``,
``tthc_frozen_clock``, ``tthc_store_env``, ``tthc_shop`` and ``tthc_scenario``. The
``postgres_env`` fixture skips the test when PostgreSQL is not configured, except in CI
(environment variable ``CI`` set), where a missing PostgreSQL fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = [
    "PG_OPTIONAL_VARS",
    "PG_REQUIRED_VARS",
    "BusinessClock",
    "Case",
    "CatalogBuilder",
    "PostgresNotConfiguredError",
    "Scenario",
    "in_ci",
    "instant",
    "memory_env",
    "postgres_configured",
    "postgres_env",
    "sqlite_env",
]

#: Variables that must be set to reach the test PostgreSQL server.
PG_REQUIRED_VARS: tuple[str, ...] = (
    "TTHC_PG_HOST",
    "TTHC_PG_USER",
    "TTHC_PG_PASSWORD",
    "TTHC_PG_DBNAME",
)
#: Variables with a default: TTHC_PG_PORT=5432.
PG_OPTIONAL_VARS: tuple[str, ...] = ("TTHC_PG_PORT",)

_FALSE = {"", "0", "false", "no", "off"}


class PostgresNotConfiguredError(LookupError):
    """Raised by :func:`postgres_env` when TTHC_PG_* variables are missing."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(
            "PostgreSQL is not configured for tests: set "
            + ", ".join(missing)
            + " (and TTHC_PG_PORT if not 5432); see README, 'Running the PostgreSQL tests'"
        )


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True when the environment variable ``CI`` is set to a true-ish value."""
    env = os.environ if environ is None else environ
    return env.get("CI", "").strip().lower() not in _FALSE


def postgres_configured(environ: Mapping[str, str] | None = None) -> bool:
    """True when every required TTHC_PG_* variable is set (possibly to "")."""
    env = os.environ if environ is None else environ
    return all(name in env for name in PG_REQUIRED_VARS)


def postgres_env(
    schema: str | None = None, *, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The eventsourcing environment for PostgreSQL, from the TTHC_PG_* variables.

    ``schema`` becomes ``POSTGRES_SCHEMA`` (eventsourcing does not create it; the
    ``postgres_env`` fixture does, and drops it afterwards). Raises
    :class:`PostgresNotConfiguredError` naming the missing variables.
    """
    env = os.environ if environ is None else environ
    missing = tuple(name for name in PG_REQUIRED_VARS if name not in env)
    if missing:
        raise PostgresNotConfiguredError(missing)
    result = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": env["TTHC_PG_DBNAME"],
        "POSTGRES_HOST": env["TTHC_PG_HOST"],
        "POSTGRES_PORT": env.get("TTHC_PG_PORT") or "5432",
        "POSTGRES_USER": env["TTHC_PG_USER"],
        "POSTGRES_PASSWORD": env["TTHC_PG_PASSWORD"],
    }
    if schema:
        result["POSTGRES_SCHEMA"] = schema
    return result


def memory_env() -> dict[str, str]:
    """The eventsourcing environment of an in-memory store (one per application)."""
    return {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def sqlite_env(path: str | os.PathLike[str]) -> dict[str, str]:
    """The eventsourcing environment for an SQLite database file at ``path``."""
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": os.fspath(path),
    }


from tthc_engine.testing.catalogs import CatalogBuilder  # noqa: E402
from tthc_engine.testing.clock import BusinessClock, instant  # noqa: E402
from tthc_engine.testing.scenario import Case, Scenario  # noqa: E402
