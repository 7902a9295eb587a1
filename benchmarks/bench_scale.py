"""Scale benchmark: the streaming replay, ``--jobs 2`` and Spark ``local[2]`` side by side.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 1000000 5000000 20000000]
                                               [--dir /tmp/tthc-bench-scale] [--json OUT]

For each size, builds (or reuses) a log of that many ``tthc.event/1`` lines laid out as a
data platform keeps them — one file per province and month,
``province=A41/month=2025-04/events.jsonl`` — then replays April 2025 from it three ways,
each in a fresh process whose whole process tree (the JVM and the Python workers for
Spark, the pool for ``--jobs``) is sampled for its peak resident memory:

* the streaming replay, one process (``interchange.replay``);
* the same replay split by dossier over ``--jobs 2`` processes;
* Spark in local mode on two cores (``scale.replay_spark``, master ``local[2]``), wall
  time *including* the JVM's start, which is printed apart.

It prints events/s (wall), CPU seconds and events per CPU-second (the figure that holds
on a machine shared with other work), and peak memory of each; it fits
``seconds = start-up + events / rate`` to each engine over the sizes, and says where the
lines cross (the volume past which Spark's start-up is paid for), or that they do not on
this machine. The log is one simulated month
(``simulation.simulate_month``) copied under new dossier codes, one copy per province, so
every line is a real history that passes the rules.
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

_CHILD = """
import json, sys, time
start = time.perf_counter()
engine, jobs, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
from tthc_engine.projections import Period
april = Period.month(2025, 4)
ready = 0.0
if engine == "spark":
    from tthc_engine.scale import replay_spark, spark_session
    spark = spark_session("local[2]", **{"spark.driver.memory": "2g"})
    ready = time.perf_counter() - start
    out = replay_spark([root], period=april, spark=spark)
    spark.stop()
else:
    from tthc_engine.interchange import replay
    out = replay([root], period=april, jobs=jobs)
elapsed = time.perf_counter() - start
print(json.dumps({"facts": out.facts, "lines": out.lines, "problems": len(out.problems),
                  "seconds": elapsed, "startup": ready,
                  "received": out.report.as_dict()["received"] if out.report else None}))
"""


def province(copy: int) -> str:
    """The province code of the ``copy``-th copy: A41, A42, … A99, B00, …"""
    n = 41 + copy
    return f"{chr(ord('A') + n // 100)}{n % 100:02d}"


def base_month(path: Path) -> list[bytes]:
    """One simulated April 2025 (400 dossiers a working day), exported once and kept."""
    if not path.exists():
        from tthc_engine import Catalog, OneStopShop
        from tthc_engine.interchange.exporter import export_jsonl
        from tthc_engine.simulation import simulate_month

        app = OneStopShop(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog.sample()
        )
        simulate_month(app, 2025, 4, per_day=400, seed=2025)
        export_jsonl(app, path)
    return path.read_bytes().splitlines()


def make_logs(root: Path, events: int, month: list[bytes]) -> int:
    """``events`` lines under ``root``, one province's copy of the month per file."""
    written = 0
    copy = 0
    while written < events:
        code = province(copy)
        folder = root / f"province={code}" / "month=2025-04"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "events.jsonl").open("wb") as out:
            for raw in month:
                record = orjson.loads(raw)
                agency, rest = record["dossier"].split("-", 1)
                record["dossier"] = f"{agency[:-3]}{code}-{rest}"
                record["id"] = f"{record['id']}#{code}"
                out.write(orjson.dumps(record))
                out.write(b"\n")
                written += 1
                if written >= events:
                    break
        copy += 1
    (root / "COMPLETE").write_text(str(written))
    return written


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _sample(pids: list[int], cpu: dict[int, float]) -> int:
    """The summed RSS of ``pids``; records each one's CPU seconds so far in ``cpu``."""
    page = os.sysconf("SC_PAGE_SIZE")
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            cpu[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        except (OSError, IndexError, ValueError):
            continue
    return total


def run(engine: str, jobs: int, root: Path) -> dict[str, float]:
    """One replay in a fresh process: its result, the peak RSS of its process tree, and
    the CPU seconds the tree used (sampled every 0.2 s, so a worker's last instants may be
    missed)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, engine, str(jobs), str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    cpu: dict[int, float] = {}
    while child.poll() is None:
        peak = max(peak, _sample(_tree(child.pid), cpu))
        time.sleep(0.2)
    out, err = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{err[-3000:]}")
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak / 1e6
    result["cpu_seconds"] = sum(cpu.values())
    return result


def fit(points: list[tuple[int, float]]) -> tuple[float, float] | None:
    """(start-up seconds, events/s) of the least-squares line seconds = a + n / r."""
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    if slope <= 0:
        return None
    return my - slope * mx, 1 / slope


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 5_000_000, 20_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/tthc-bench-scale"))
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    month = base_month(args.dir / "april-2025.jsonl")
    print(
        f"tthc-engine scale benchmark — Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"base month {len(month):,} lines"
    )
    engines = [("streaming", "local", 1), ("--jobs 2", "local", 2), ("spark local[2]", "spark", 2)]
    figures: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in engines}
    for size in args.sizes:
        root = args.dir / f"log-{size}"
        if not (root / "COMPLETE").exists():
            print(f"building {size:,} lines in {root} …", file=sys.stderr)
            make_logs(root, size, month)
        megabytes = sum(f.stat().st_size for f in root.rglob("*.jsonl")) / 1e6
        print(f"{size:,} events ({megabytes:,.0f} MB in {len(list(root.rglob('*.jsonl')))} files)")
        received = set()
        for name, engine, jobs in engines:
            result = run(engine, jobs, root)
            result["events"] = size
            figures[name].append(result)
            received.add(result["received"])
            rate = result["facts"] / result["seconds"]
            startup = f", JVM start {result['startup']:.1f} s" if engine == "spark" else ""
            per_cpu = result["facts"] / result["cpu_seconds"]
            print(
                f"  {name:16} {result['seconds']:8.1f} s {rate:10,.0f} events/s   "
                f"CPU {result['cpu_seconds']:7.1f} s {per_cpu:8,.0f} events/CPU-s   "
                f"peak RSS {result['peak_mb']:6,.0f} MB{startup}"
            )
        print(f"  same report on every engine: {'yes' if len(received) == 1 else 'NO'}")
    print(f"load average now {os.getloadavg()[0]:.1f} (wall times are shared-machine times)")
    print("fit: seconds = start-up + events / rate")
    fits = {}
    for name, _, _ in engines:
        line = fit([(int(r["events"]), r["seconds"]) for r in figures[name]])
        fits[name] = line
        if line is not None:
            print(f"  {name:16} start-up {line[0]:6.1f} s, {line[1]:10,.0f} events/s")
    spark_fit = fits["spark local[2]"]
    for name in ("streaming", "--jobs 2"):
        local_fit = fits[name]
        if local_fit is None or spark_fit is None:
            continue
        (a1, r1), (a2, r2) = local_fit, spark_fit
        if r2 <= r1:
            print(
                f"  spark local[2] vs {name}: no crossing on this machine (Spark's rate "
                f"{r2:,.0f}/s ≤ {r1:,.0f}/s): it pays off by adding machines, not here"
            )
        else:
            cross = (a2 - a1) / (1 / r1 - 1 / r2)
            print(f"  spark local[2] overtakes {name} past {cross:,.0f} events")
    # The same from CPU seconds, which a shared machine inflates far less than wall time:
    # on an idle machine a replay's wall time is about its CPU time over the cores it uses.
    print("on an idle machine (from CPU seconds: wall ≈ start-up + events × CPU per event / cores)")
    cores = {"streaming": 1, "--jobs 2": 2, "spark local[2]": 2}
    per_event = {}
    for name, _, _ in engines:
        line = fit([(int(r["events"]), r["cpu_seconds"]) for r in figures[name]])
        if line is not None:
            per_event[name] = 1 / line[1] / cores[name]
            print(f"  {name:16} {1e6 / line[1]:6.1f} µs CPU per event, {line[0]:5.1f} CPU-s fixed")
    startup = min(r["startup"] for r in figures["spark local[2]"])
    for name in ("streaming", "--jobs 2"):
        if name in per_event and "spark local[2]" in per_event:
            gain = per_event[name] - per_event["spark local[2]"]
            verdict = (
                f"past {startup / gain:,.0f} events (JVM start {startup:.1f} s)"
                if gain > 0
                else "never on one machine"
            )
            print(f"  spark local[2] overtakes {name}: {verdict}")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "fits": fits}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
