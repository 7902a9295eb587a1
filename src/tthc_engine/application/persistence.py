"""Which eventsourcing persistence module an application gets (ADR 0008).

No database driver is imported here: applications import this whatever their store, and
psycopg is an optional dependency (``tthc-engine[postgres]``).
"""

from __future__ import annotations

from eventsourcing.utils import Environment

__all__ = ["EVENTSOURCING_POSTGRES_TOPICS", "ORDERED_POSTGRES", "prefer_ordered_postgres"]

ORDERED_POSTGRES = "tthc_engine.application.postgres"
"""The ``PERSISTENCE_MODULE`` of our PostgreSQL store, whose ids become visible in order."""
EVENTSOURCING_POSTGRES_TOPICS = frozenset(
    {
        "eventsourcing.postgres",
        "eventsourcing.postgres:PostgresFactory",
        "eventsourcing.postgres:Factory",
    }
)
"""``PERSISTENCE_MODULE`` values naming eventsourcing's own PostgreSQL factory."""
_KEY = "PERSISTENCE_MODULE"


def prefer_ordered_postgres(environment: Environment) -> Environment:
    """Replace eventsourcing's PostgreSQL factory by :data:`ORDERED_POSTGRES` wherever
    ``environment`` names it (``PERSISTENCE_MODULE`` and its application-prefixed form,
    e.g. ``ONESTOPSHOP_PERSISTENCE_MODULE``); return ``environment``.

    For an application's ``construct_env``: users keep writing
    ``PERSISTENCE_MODULE=eventsourcing.postgres`` and get the ordered recorders.
    """
    for key in environment.create_keys(_KEY):
        if dict.get(environment, key, "") in EVENTSOURCING_POSTGRES_TOPICS:
            environment[key] = ORDERED_POSTGRES
    return environment
