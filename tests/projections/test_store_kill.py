"""A catch-up killed with SIGKILL in the middle, then restarted, counts every event once
(issue 8 §4): the report and every count row equal a clean projection's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.projections.stores import shop
from tthc_engine import Catalog, OneStopShop
from tthc_engine.interchange.exporter import facts_of_store
from tthc_engine.projections import Period, Report, ReportFold, StoreProjection
from tthc_engine.simulation import simulate_month

APRIL = Period.month(2025, 4)
PAGE = 40

# The catch-up in its own process. With a stop point, the process says where it stands on
# stdout and then waits on stdin, so the test kills it there, at a known place:
# "transaction" — inside the page's transaction, its counts, dossiers and tracking row
# written but not committed; "fold" — while a page is being read and folded.
CHILD = r"""
import json, sys
from tthc_engine import Catalog, OneStopShop
from tthc_engine.projections import StoreProjection

env, page, stop_at, where = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
app = OneStopShop(env=env, catalog=Catalog.sample())
projection = StoreProjection(app, page=page)
tables = projection.tables
pages = 0

def stop_here(what):
    print(what, flush=True)
    sys.stdin.readline()  # killed here

if where == "transaction":
    insert_tracking = tables._insert_tracking
    def _insert_tracking(cursor, tracking):
        global pages
        insert_tracking(cursor, tracking)
        pages += 1
        if pages == stop_at:
            stop_here(f"inside {tracking.notification_id}")
    tables._insert_tracking = _insert_tracking
elif where == "fold":
    dossiers = tables.dossiers
    def _dossiers(ids):
        global pages
        pages += 1
        if pages == stop_at:
            stop_here(f"folding {projection.position()}")
        return dossiers(ids)
    tables.dossiers = _dossiers
print("counted", projection.catch_up(), flush=True)
"""


def _child(env: dict[str, str], stop_at: int = 0, where: str = "") -> list[str]:
    return [sys.executable, "-c", CHILD, json.dumps(env), str(PAGE), str(stop_at), where]


@pytest.fixture
def store(store_env: dict[str, str]) -> Iterator[OneStopShop]:
    app = shop(store_env, Catalog.sample())
    simulate_month(app, 2025, 4, per_day=3, seed=21)
    yield app
    app.close()


def _kill_at(env: dict[str, str], stop_at: int, where: str) -> str:
    """Start the catch-up, kill it with SIGKILL where it stops; what it said there."""
    with subprocess.Popen(
        _child(env, stop_at, where),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        said = process.stdout.readline().strip()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, said
    return said


def _counts(projection: StoreProjection) -> list[tuple[int, str, str, str, int]]:
    counts, _ = projection.tables.snapshot(190001, 299912)
    return sorted(counts)


@pytest.mark.parametrize("where", ["transaction", "fold"])
def test_a_catch_up_killed_in_the_middle_and_restarted_counts_every_event_once(
    store: OneStopShop, store_env: dict[str, str], where: str
) -> None:
    last = store.recorder.max_notification_id() or 0
    assert last > 8 * PAGE
    said = _kill_at(store_env, 5, where)
    projection = StoreProjection(store)
    after_kill = projection.position()
    if where == "transaction":
        assert said.startswith("inside ")
        # the four pages before were committed; the fifth, killed inside its transaction,
        # left nothing: neither its counts nor its position
        assert 0 < after_kill < int(said.split()[1])
    else:
        assert said == f"folding {after_kill}"
    assert after_kill == 4 * PAGE
    restarted = subprocess.run(
        _child(store_env), capture_output=True, text=True, timeout=300, check=False
    )
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout.split() == ["counted", str(last - after_kill)]
    assert (projection.position(), projection.lag()) == (last, 0)
    recovered, rows = projection.report(APRIL).as_dict(), _counts(projection)

    fold = ReportFold(APRIL, projection.rules, store.catalog, store.timeliness_by)
    for fact in facts_of_store(store):
        fold.add(fact)
    assert recovered == Report(APRIL, fold.finish()).as_dict()
    projection.rebuild()  # a clean projection of the same store
    assert _counts(projection) == rows
    assert projection.report(APRIL).as_dict() == recovered
