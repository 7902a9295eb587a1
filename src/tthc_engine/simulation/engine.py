"""The simulator: a profile, a catalog and a seed in; an event log or a store out.

``Simulation(profile).write_jsonl("2025-10.jsonl")`` generates the period's dossiers
(:mod:`.arrivals`), each one's history as facts (:mod:`.lifecycle`), and writes them as
``tthc.event/1`` lines with :func:`~tthc_engine.interchange.dumps` — the fast path, which
never touches eventsourcing. ``Simulation(profile).record(app)`` carries the same facts
out through ``OneStopShop`` into its store (SQLite, PostgreSQL, in memory), one use case
per fact, with the fact's id as the command id: an export of that store gives the same
lines as the fast path, byte for byte.

Same seed, profile and catalog → the same log, byte for byte, whatever ``jobs`` is: the
dossiers are numbered in one process, and each part of the log is the history of a
contiguous run of them. Lines are grouped by dossier (each dossier's lines in time order,
as ``tthc.event/1`` requires; the dossiers in the order they were opened), and nothing
after the period's end (``--to``, 24:00) is written: dossiers still open then are pending
or overdue, as a real office has them at the end of a month.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import attrs

from tthc_engine.catalog import Catalog
from tthc_engine.domain import Channel
from tthc_engine.domain.facts import Fact, FactType
from tthc_engine.errors import InvalidInputError
from tthc_engine.interchange import dumps
from tthc_engine.simulation.arrivals import ArrivalProcess
from tthc_engine.simulation.lifecycle import Arrival, Generator, Plan, end_of_day
from tthc_engine.simulation.profile import Profile
from tthc_engine.worktime import VietnamCalendar

if TYPE_CHECKING:
    from tthc_engine.application import Batch, OneStopShop

__all__ = ["Simulation", "SimulationSummary", "record_facts"]

Progress = Callable[[int], object]
"""Told how many dossiers were just generated."""


@attrs.frozen
class SimulationSummary:
    """What a simulation wrote: dossiers opened and events (lines or stored events)."""

    first: date
    last: date
    dossiers: int
    events: int
    codes: tuple[str, ...] = ()


class Simulation:
    """One simulated period of a profile (see the module docstring).

    Args:
        profile: the workload profile (:meth:`Profile.sample` / :meth:`Profile.load`).
        catalog: the procedures; by default the one the profile names.
        calendar: the working-day calendar (default ``VietnamCalendar()``).
        seed: overrides the profile's seed.
        first, last: override the profile's period (both days included).
        receiving_agency: receive every dossier at this agency instead of the unit of its
            procedure's first step.
    """

    def __init__(
        self,
        profile: Profile,
        catalog: Catalog | None = None,
        calendar: VietnamCalendar | None = None,
        *,
        seed: int | None = None,
        first: date | None = None,
        last: date | None = None,
        receiving_agency: str | None = None,
    ) -> None:
        self.profile = profile
        self.catalog = catalog if catalog is not None else profile.load_catalog()
        profile.check_against(self.catalog)
        self.calendar = calendar or VietnamCalendar()
        self.seed = profile.seed if seed is None else seed
        self.first = first or profile.first
        self.last = last or profile.last
        if self.last < self.first:
            raise InvalidInputError(
                f"period: {self.last.isoformat()} is before {self.first.isoformat()}"
            )
        self.until = end_of_day(self.last)
        self.receiving_agency = receiving_agency
        self._plans: dict[int, Plan] = {}
        self._arrivals: list[Arrival] | None = None

    # -- generation ----------------------------------------------------------------------------
    def arrivals(self) -> list[Arrival]:
        """The period's dossiers (from ``warm_up_days`` before its start), numbered."""
        if self._arrivals is None:
            start = self.first - timedelta(days=self.profile.warm_up_days)
            process = ArrivalProcess(
                self.profile,
                self.catalog,
                self.calendar,
                self.seed,
                max(start, self.calendar.first_day + timedelta(days=15)),
                self.last,
                self._plans,
                self.receiving_agency,
            )
            self._arrivals = process.generate()
        return self._arrivals

    def generator(self) -> Generator:
        return Generator(self.profile, self.calendar, self.until)

    def facts(self) -> Iterator[Fact]:
        """Every fact of the period, dossier by dossier."""
        generate = self.generator().facts
        for arrival in self.arrivals():
            yield from generate(arrival)

    def dossier_facts(self) -> Iterator[list[Fact]]:
        """The facts of each dossier in turn."""
        generate = self.generator().facts
        for arrival in self.arrivals():
            yield generate(arrival)

    # -- the fast path: JSON Lines ---------------------------------------------------------------
    def write_jsonl(
        self,
        out: str | Path | IO[str],
        *,
        jobs: int = 1,
        progress: Progress | None = None,
    ) -> SimulationSummary:
        """Write the period's facts as ``tthc.event/1`` lines to ``out`` (a path or a text
        stream); with ``jobs`` > 1, parts of the log are generated in parallel processes
        (where the platform can fork) and joined in order."""
        arrivals = self.arrivals()
        if isinstance(out, str | Path):
            path = Path(out)
            parts = max(1, min(jobs, len(arrivals) // 1000 or 1))
            if parts > 1 and "fork" in multiprocessing.get_all_start_methods():
                events = self._write_parallel(path, parts, progress)
            else:
                with open(path, "w", encoding="utf-8", newline="\n") as handle:
                    events = _write_part(self, handle, 0, len(arrivals), progress)
        else:
            events = _write_part(self, out, 0, len(arrivals), progress)
        return SimulationSummary(self.first, self.last, len(arrivals), events)

    def _write_parallel(self, path: Path, parts: int, progress: Progress | None) -> int:
        global _SHARED
        arrivals = self.arrivals()
        bounds = [len(arrivals) * k // parts for k in range(parts + 1)]
        context = multiprocessing.get_context("fork")
        results = context.SimpleQueue()
        _SHARED = self
        try:
            workers = []
            for k in range(1, parts):
                worker = context.Process(
                    target=_write_worker,
                    args=(f"{path}.part{k}", bounds[k], bounds[k + 1], results, k),
                )
                worker.start()
                workers.append(worker)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                events = _write_part(self, handle, bounds[0], bounds[1], _scaled(progress, parts))
            counts: dict[int, int] = {}
            for _ in workers:
                k, n = results.get()
                counts[k] = n
            for worker in workers:
                worker.join()
                if worker.exitcode != 0:
                    raise RuntimeError(f"a simulation worker failed (exit code {worker.exitcode})")
            with open(path, "a", encoding="utf-8", newline="\n") as handle:
                for k in range(1, parts):
                    part = Path(f"{path}.part{k}")
                    with open(part, encoding="utf-8", newline="\n") as chunk:
                        shutil.copyfileobj(chunk, handle, 1 << 22)
                    part.unlink()
            return events + sum(counts.values())
        finally:
            _SHARED = None
            for k in range(1, parts):
                Path(f"{path}.part{k}").unlink(missing_ok=True)

    # -- the store path: OneStopShop -----------------------------------------------------------
    def record(
        self, app: OneStopShop, *, per_batch: int = 200, progress: Progress | None = None
    ) -> SimulationSummary:
        """Carry the period's facts out through ``app`` (one use case per fact, the fact's id
        as its command id), ``per_batch`` dossiers per transaction. ``app`` needs the
        catalog the simulation runs on and a clock at or after the period's end."""
        codes: list[str] = []
        events = 0
        batch_facts: list[list[Fact]] = []
        for facts in self.dossier_facts():
            if facts:
                codes.append(facts[0].dossier)
                batch_facts.append(facts)
                events += len(facts)
            if len(batch_facts) >= per_batch:
                record_facts(app, batch_facts)
                if progress is not None:
                    progress(len(batch_facts))
                batch_facts = []
        if batch_facts:
            record_facts(app, batch_facts)
            if progress is not None:
                progress(len(batch_facts))
        return SimulationSummary(self.first, self.last, len(codes), events, tuple(codes))


_SHARED: Simulation | None = None
"""The simulation a forked worker writes a part of (inherited, never pickled)."""


def _scaled(progress: Progress | None, parts: int) -> Progress | None:
    if progress is None:
        return None
    return lambda n: progress(n * parts)


def _write_worker(path: str, start: int, stop: int, results: Any, k: int) -> None:
    simulation = _SHARED
    assert simulation is not None
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        n = _write_part(simulation, handle, start, stop, None)
    results.put((k, n))
    os._exit(0)  # a forked child: no atexit handlers, no flushing of inherited buffers


def _write_part(
    simulation: Simulation, out: IO[str], start: int, stop: int, progress: Progress | None
) -> int:
    """Write the facts of dossiers ``start``..``stop`` (arrival order); the number of lines."""
    generate = simulation.generator().facts
    arrivals = simulation.arrivals()
    lines: list[str] = []
    events = 0
    done = 0
    for index in range(start, stop):
        for fact in generate(arrivals[index]):
            lines.append(dumps(fact))
        done += 1
        if len(lines) >= 20000:
            lines.append("")
            out.write("\n".join(lines))
            events += len(lines) - 1
            lines = []
            if progress is not None:
                progress(done)
                done = 0
    if lines:
        lines.append("")
        out.write("\n".join(lines))
        events += len(lines) - 1
    if progress is not None and done:
        progress(done)
    return events


# -- facts → use cases ---------------------------------------------------------------------------
def record_facts(app: OneStopShop, dossiers: Iterable[list[Fact]]) -> None:
    """Carry each dossier's facts out through ``app``'s use cases in one batch (one
    transaction), each with its fact id as the command id."""
    with app.batch() as batch:
        for facts in dossiers:
            for fact in facts:
                _apply(batch, fact)


def _apply(batch: Batch, fact: Fact) -> None:
    d = fact.data
    common: dict[str, Any] = {"agency": fact.agency, "at": fact.at, "command_id": fact.id}
    code = fact.dossier
    kind = fact.type
    if kind is FactType.SUBMITTED:
        batch.submit(d["procedure"], code=code, **common)
    elif kind is FactType.RECEIVED:
        batch.receive(d["procedure"], code=code, channel=Channel(d["channel"]), **common)
    elif kind is FactType.REFUSED:
        batch.refuse(code, reason=d["reason"], procedure=d.get("procedure", ""), **common)
    elif kind is FactType.STEP_STARTED:
        batch.start_step(code, d["step"], **common)
    elif kind is FactType.STEP_FINISHED:
        batch.finish_step(code, step=d.get("step"), **common)
    elif kind is FactType.SUPPLEMENT_REQUESTED:
        batch.request_supplement(code, reason=d["reason"], items=d.get("items", ()), **common)
    elif kind is FactType.SUPPLEMENT_RECEIVED:
        batch.receive_supplement(code, **common)
    elif kind is FactType.PAUSED:
        batch.pause(code, reason=d["reason"], **common)
    elif kind is FactType.RESUMED:
        batch.resume(code, **common)
    elif kind is FactType.RESOLVED:
        batch.resolve(code, outcome=d.get("outcome", "approved"), **common)
    elif kind is FactType.RESULT_RETURNED:
        batch.return_result(code, channel=d["channel"], **common)
    elif kind is FactType.WITHDRAWN:
        batch.withdraw(code, reason=d.get("reason", ""), **common)
    elif kind is FactType.STOPPED:
        batch.stop(code, reason=d["reason"], **common)
    elif kind is FactType.APOLOGY_ISSUED:
        new_due = d["new_due"]
        assert isinstance(new_due, datetime)
        batch.issue_apology(code, new_due=new_due, reason=d["reason"], **common)
    elif kind is FactType.FEEDBACK_GIVEN:
        batch.record_feedback(
            code,
            rating=d["rating"],
            comment=d.get("comment", ""),
            complaint=d.get("complaint", False),
            **common,
        )
    elif kind is FactType.FEE_PAID:
        batch.record_payment(code, amount=d["amount"], online=d["online"], **common)
    elif kind is FactType.DIGITISED:
        batch.record_digitisation(
            code,
            components=d.get("components", 1),
            e_result=d.get("e_result", False),
            reused=d.get("reused", False),
            **common,
        )
    else:  # pragma: no cover - the simulator writes no other type
        raise AssertionError(f"the simulator does not write {kind.value} facts")
