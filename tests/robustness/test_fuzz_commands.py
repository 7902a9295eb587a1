"""Every public command of ``OneStopShop`` with hostile values mixed into valid ones.

For each command (see :mod:`tests.robustness.hostile` for the pools of values), Hypothesis
picks up to two arguments to make hostile and draws the others from valid values, on a
fresh dossier in the state the command expects, in one SQLite store: alone (half the
profile's examples per command: 75 in CI, 30 in development) and inside a batch after the
setup's commands (a third). Each case must end in one of two ways:

* a ``TthcError`` whose message names the field or the rule, never repeats the applicant's
  data and stays short, with nothing written (the store's last notification id unchanged);
* success, with the dossier read back equal from another application on the same store
  and each value given stored as given.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from tests.robustness.hostile import (
    BATCHED,
    SPEC,
    SPECS,
    Allocator,
    Case,
    draw_case,
    make_app,
    run_case,
)
from tthc_engine import OneStopShop

ALLOCATE = Allocator()


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OneStopShop, OneStopShop]]:
    """The application the fuzz writes through, and another one reading the same store."""
    path: Path = tmp_path_factory.mktemp("fuzz") / "tthc.sqlite"
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    writer, reader = make_app(env), make_app(env)
    yield writer, reader
    writer.close()
    reader.close()


def draw(command: str, data: st.DataObject) -> Case:
    """A case of ``command``: up to two hostile arguments, the others valid."""
    spec = SPEC[command]
    names = [param.name for param in spec.params]
    hostile = data.draw(st.lists(st.sampled_from(names), max_size=2, unique=True), "hostile")

    def choose(values: list[object]) -> object:
        return values[data.draw(st.integers(0, len(values) - 1))]

    case = draw_case(spec, ALLOCATE.next(), choose, hostile)
    note(case.describe())
    return case


@pytest.mark.parametrize("command", [spec.command for spec in SPECS])
@settings(max_examples=max(10, settings().max_examples // 2))
@given(data=st.data())
def test_a_hostile_call_is_refused_clearly_writing_nothing_or_stored_as_given(
    apps: tuple[OneStopShop, OneStopShop], command: str, data: st.DataObject
) -> None:
    app, reader = apps
    case = draw(command, data)
    outcome = run_case(app, reader, case)
    assert outcome.ok, f"{outcome.kind}: {outcome.detail}\n  {case.describe()}"


@pytest.mark.parametrize("command", [spec.command for spec in BATCHED])
@settings(max_examples=max(10, settings().max_examples // 3))
@given(data=st.data())
def test_a_hostile_call_in_a_batch_leaves_the_batch_as_it_was_or_is_stored_as_given(
    apps: tuple[OneStopShop, OneStopShop], command: str, data: st.DataObject
) -> None:
    """The same inside ``app.batch()``, after the setup's commands: a refused command
    leaves the batch as it was (the commit writes the setup alone), an accepted one is
    committed with it."""
    app, reader = apps
    case = draw(command, data)
    outcome = run_case(app, reader, case, in_batch=True)
    assert outcome.ok, f"{outcome.kind}: {outcome.detail}\n  {case.describe()}"
