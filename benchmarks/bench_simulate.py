"""Benchmark: one million simulated events to a ``tthc.event/1`` log (issue 9: ≤ 10 s on a
2-core machine).

Runs the shipped ``nghe-an-year`` profile from 1 January 2025 for as many days as it
takes to reach ``--events`` lines (one pass to count, then the timed run), writes the log
with ``Simulation.write_jsonl`` in one process and in ``--jobs`` processes, checks that both
logs are byte-identical, and prints each time next to two floors measured in the same run
on the same number of lines:

* writing pre-built lines to a file (the disk and ``write`` floor);
* ``interchange.dumps`` of pre-built facts, then writing (the serialisation floor: what
  any generator that writes canonical lines must pay).

A progress bar (tqdm) is drawn on stderr when it is a terminal.

    .venv/bin/python benchmarks/bench_simulate.py                 # 1,000,000 events
    .venv/bin/python benchmarks/bench_simulate.py --events 200000 # a quick look
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import attrs
import numpy

from tthc_engine.interchange import dumps
from tthc_engine.simulation import Profile, Simulation

START = date(2025, 1, 1)


def _days_for(profile: Profile, events: int) -> date:
    """The last day of a period from START whose log has at least ``events`` lines
    (counted on a quick pass over the arrivals, about 13 events a dossier, then checked)."""
    last = START + timedelta(days=30)
    while True:
        simulation = Simulation(profile, first=START, last=last)
        n = sum(len(facts) for facts in simulation.dossier_facts())
        if n >= events:
            return last
        grow = max(7, int((last - START).days * (events / max(n, 1) - 1) * 1.05))
        last += timedelta(days=grow)


def _progress(total: int, label: str):  # type: ignore[no-untyped-def]
    if not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, unit=" dossiers", unit_scale=True, desc=label, file=sys.stderr)
    return bar, bar.update


@attrs.frozen
class Timing:
    wall: float
    cpu: float
    """CPU seconds of this process and of the worker processes it waited for."""
    serial_cpu: float
    """CPU seconds of the part that runs in one process (numbering the dossiers)."""


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(profile: Profile, last: date, path: Path, jobs: int) -> tuple[Timing, int, int]:
    wall, cpu = time.perf_counter(), _cpu()
    simulation = Simulation(profile, first=START, last=last)
    arrivals = simulation.arrivals()
    serial = _cpu() - cpu
    bar, update = _progress(len(arrivals), f"jobs={jobs}")
    summary = simulation.write_jsonl(path, jobs=jobs, progress=update)
    timing = Timing(time.perf_counter() - wall, _cpu() - cpu, serial)
    if bar is not None:
        bar.close()
    return timing, summary.events, summary.dossiers


def _floor(write: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), _cpu()
    write()
    return Timing(time.perf_counter() - wall, _cpu() - cpu, 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    profile = Profile.sample("nghe-an-year")
    last = _days_for(profile, args.events)
    print(
        f"tthc-engine simulate benchmark — Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at the start"
    )
    print(f"profile nghe-an-year from {START} to {last}")
    with tempfile.TemporaryDirectory() as folder:
        one, many = Path(folder) / "one.jsonl", Path(folder) / "many.jsonl"
        t1, events, dossiers = _timed(profile, last, one, 1)
        tn, _, _ = _timed(profile, last, many, args.jobs)
        identical = one.read_bytes() == many.read_bytes()
        lines = one.read_text(encoding="utf-8").splitlines(keepends=True)
        facts = list(Simulation(profile, first=START, last=last).facts())

        def write_lines() -> None:
            with open(Path(folder) / "floor.jsonl", "w", encoding="utf-8", newline="\n") as out:
                out.writelines(lines)

        def write_dumps() -> None:
            with open(Path(folder) / "dumps.jsonl", "w", encoding="utf-8", newline="\n") as out:
                out.writelines(dumps(f) + "\n" for f in facts)

        floor_write = _floor(write_lines)
        floor_dumps = _floor(write_dumps)
    size = len("".join(lines).encode())
    per = 1_000_000 / events
    print(
        f"{dossiers:,} dossiers, {events:,} events, {size / 1e6:,.0f} MB; "
        f"logs identical: {identical}"
    )
    print("(per 1M events; CPU = seconds of CPU used by every process, the wall time of an")
    print(" idle machine for one process; the machine is shared, so wall times vary)")
    print()
    print(f"{'':44}{'wall':>10}{'CPU':>10}")
    rows = [
        ("simulate → JSONL, 1 process", t1),
        (f"simulate → JSONL, {args.jobs} processes", tn),
        ("floor: dumps of pre-built facts + write", floor_dumps),
        ("floor: write pre-built lines", floor_write),
    ]
    for label, timing in rows:
        print(f"{label:44}{timing.wall * per:9.2f}s{timing.cpu * per:9.2f}s")
    # on an idle machine the parallel part splits over the processes; numbering does not
    idle = (tn.serial_cpu + (tn.cpu - tn.serial_cpu) / args.jobs) * per
    best = min(t1.wall, tn.wall) * per
    print()
    print(
        f"idle-machine estimate, {args.jobs} processes: {idle:.2f} s (serial numbering "
        f"{tn.serial_cpu * per:.2f} s + the rest split {args.jobs} ways)"
    )
    print(
        f"target ≤ 10 s per 1M events: {'[ok]' if best <= 10 else '[MISS]'} measured {best:.2f} s"
        f"{'' if best <= 10 else f'; estimate {idle:.2f} s'}"
    )
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
