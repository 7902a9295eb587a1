"""Indicators benchmark: replaying an event log, next to the floors that bound it.

    .venv/bin/python benchmarks/bench_indicators.py [--events 1000000] [--log PATH]

Builds (or reuses) a log of about ``--events`` ``tthc.event/1`` lines, then measures, side by
side in one run:

* the parse-only floors: the same file through ``json.loads`` and through ``orjson.loads``,
  line by line, doing nothing else;
* the streaming replay (``interchange.replay``): facts checked, carried out with the
  domain's rules on folded dossiers, counted into the period's tally — events/s, its share
  of the fastest floor, and the peak RSS of a process that does only that;
* the same replay split by dossier over ``--jobs 2`` processes, and the speed-up.

Targets (issue 8 §5, a 2-core machine): replay ≥ 300,000 events/s single process and
≥ 40% of the fastest floor, peak RSS ≤ 200 MB; ``--jobs 2`` ≥ 1.6× single.

The log is a simulated month (``simulation.simulate_month`` through an in-memory
``OneStopShop``, exported) repeated under fresh dossier codes until it has enough lines,
so every line is a real history that passes the rules.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]


def make_log(path: Path, events: int) -> int:
    """A log of at least ``events`` lines: one simulated month, copied under new codes."""
    from tthc_engine import Catalog, OneStopShop
    from tthc_engine.interchange.exporter import export_jsonl
    from tthc_engine.simulation import simulate_month

    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog.sample())
    simulate_month(app, 2025, 4, per_day=400, seed=2025)
    month = path.with_suffix(".month.jsonl")
    export_jsonl(app, month)
    lines = month.read_bytes().splitlines()
    month.unlink()
    written = 0
    copy = 0
    with path.open("wb") as out:
        while written < events:
            # copy k gives every dossier a code under another province letter (H41 + k)
            for raw in lines:
                record = orjson.loads(raw)
                if copy:
                    agency, rest = record["dossier"].split("-", 1)
                    record["dossier"] = f"{agency[:-2]}{41 + copy:02d}-{rest}"
                    record["id"] = f"{record['id']}#{copy}"
                out.write(orjson.dumps(record))
                out.write(b"\n")
                written += 1
                if written >= events:
                    break
            copy += 1
    return written


def floor(path: Path, loads: object) -> float:
    """Lines per second through ``loads`` alone."""
    start = time.perf_counter()
    n = 0
    with path.open("rb") as handle:
        for raw in handle:
            loads(raw)  # type: ignore[operator]
            n += 1
    return n / (time.perf_counter() - start)


_CHILD = """
import json, resource, sys, time
from tthc_engine.interchange import replay
from tthc_engine.projections import Period
start = time.perf_counter()
out = replay([sys.argv[1]], period=Period.month(2025, 4), jobs=int(sys.argv[2]))
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"facts": out.facts, "lines": out.lines, "problems": len(out.problems),
                  "seconds": elapsed, "rss_kb": max(rss, kids)}))
"""


def replay_in_child(path: Path, jobs: int) -> dict[str, float]:
    """Replay in a fresh process (so that its peak RSS is the replay's own)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(jobs)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--log", type=Path, default=Path("/tmp/tthc-bench-1m.jsonl"))
    args = parser.parse_args()
    if not args.log.exists() or sum(1 for _ in args.log.open("rb")) < args.events:
        print(f"building a log of {args.events:,} lines in {args.log} …", file=sys.stderr)
        make_log(args.log, args.events)
    size = args.log.stat().st_size
    lines = sum(1 for _ in args.log.open("rb"))
    print(
        f"tthc-engine indicators benchmark — Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; log {lines:,} lines, {size / 1e6:.0f} MB"
    )
    json_floor = floor(args.log, json.loads)
    orjson_floor = floor(args.log, orjson.loads)
    best = max(json_floor, orjson_floor)
    print(f"  parse-only floor, json.loads          {json_floor:12,.0f} lines/s")
    print(f"  parse-only floor, orjson.loads        {orjson_floor:12,.0f} lines/s")
    one = replay_in_child(args.log, 1)
    two = replay_in_child(args.log, 2)
    rate1 = one["facts"] / one["seconds"]
    rate2 = two["facts"] / two["seconds"]
    problems = f" ({one['problems']:.0f} problems!)" if one["problems"] else ""
    print(
        f"  replay, 1 process                     {rate1:12,.0f} events/s   "
        f"{rate1 / best:5.1%} of the fastest floor, peak RSS {one['rss_kb'] / 1024:.0f} MB"
        f"{problems}"
    )
    print(
        f"  replay, --jobs 2                      {rate2:12,.0f} events/s   "
        f"{rate2 / rate1:4.2f}× single, peak RSS {two['rss_kb'] / 1024:.0f} MB"
    )
    checks = [
        ("replay ≥ 300,000 events/s", rate1 >= 300_000, f"{rate1:,.0f}"),
        ("replay ≥ 40% of the fastest floor", rate1 >= 0.4 * best, f"{rate1 / best:.1%}"),
        ("peak RSS ≤ 200 MB", one["rss_kb"] <= 200 * 1024, f"{one['rss_kb'] / 1024:.0f} MB"),
        ("--jobs 2 ≥ 1.6× single", rate2 >= 1.6 * rate1, f"{rate2 / rate1:.2f}×"),
    ]
    print("targets")
    for label, ok, value in checks:
        print(f"  [{'ok' if ok else 'MISS'}] {label}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
