"""``tthc simulate`` and ``tthc whatif`` (DESIGN.md §8; docs/simulation.md).

``tthc simulate [--profile FILE|NAME] [--catalog FILE] [--from DATE --to DATE] [--seed S]
[--out LOG.jsonl | --db PATH] [--jobs N]`` simulates a period of a workload profile (the
shipped ``nghe-an-month`` by default) and writes it as a ``tthc.event/1`` log (standard
output without ``--out``), or records it through ``OneStopShop`` into an SQLite file
(``--db PATH``) or the PostgreSQL database of the ``POSTGRES_*`` variables (``--db
postgres``).

``tthc whatif --profile FILE|NAME --change "…" [--change "…"] [--seeds N] [--seed S]
[--from DATE --to DATE] [--jobs N] [--json]`` runs the baseline and one variant per
``--change`` on common random numbers over ``N`` seeds and prints each indicator's change
with its spread.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tthc_engine.catalog import Catalog
from tthc_engine.errors import InvalidInputError
from tthc_engine.projections import Period
from tthc_engine.reports.whatif import render_whatif
from tthc_engine.simulation import SAMPLES, Profile, Simulation, SimulationSummary
from tthc_engine.simulation.whatif import Variant, run_whatif

__all__ = ["register"]


def _profile(value: str) -> Profile:
    if value in SAMPLES:
        return Profile.sample(value)
    path = Path(value)
    if not path.is_file():
        raise InvalidInputError(
            f"--profile: {value} is neither a file nor a shipped profile ({', '.join(SAMPLES)})"
        )
    return Profile.load(path)


def _common(parser: argparse.ArgumentParser, profile_required: bool) -> None:
    parser.add_argument(
        "--profile",
        required=profile_required,
        default=None if profile_required else "nghe-an-month",
        help=f"workload profile: a YAML/TOML file or a shipped one ({', '.join(SAMPLES)})",
    )
    parser.add_argument("--catalog", help="procedure catalog (default: the profile's)")
    parser.add_argument("--from", dest="first", help="first day YYYY-MM-DD (or month YYYY-MM)")
    parser.add_argument("--to", dest="last", help="last day YYYY-MM-DD (or month YYYY-MM)")
    parser.add_argument("--seed", type=int, help="random seed (default: the profile's)")
    parser.add_argument("--jobs", type=int, default=1, help="processes to use (1)")


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``simulate`` and ``whatif`` to the ``tthc`` parser."""
    simulate = subcommands.add_parser(
        "simulate",
        parents=[common],
        help="simulate a workload profile into an event log or a store",
        description=(
            "Simulate the dossiers of a workload profile over a period and write them as a "
            "tthc.event/1 log (standard output by default) or record them through the "
            "OneStopShop application into a store. Same seed, profile and catalog: the "
            "same log, byte for byte."
        ),
    )
    _common(simulate, profile_required=False)
    where = simulate.add_mutually_exclusive_group()
    where.add_argument("--out", help="the log to write (.jsonl; '-' for standard output)")
    where.add_argument(
        "--db", help="an SQLite file to record into, or 'postgres' (the POSTGRES_* variables)"
    )
    simulate.set_defaults(handler=run_simulate)
    whatif = subcommands.add_parser(
        "whatif",
        parents=[common],
        help="compare variants of a workload with its baseline over several seeds",
        description=(
            "Run a workload profile and its variants on common random numbers over several "
            "seeds and print the change of each indicator with its spread. A change is "
            "PATH=VALUE, PATH*=FACTOR or PATH+=AMOUNT, PATH a JSON Pointer into the profile "
            "(/agencies/land_registration_office/median*=0.8) or into the catalog "
            "(/catalog/1.013831/limit=6 ngày làm việc); several joined with ';' make one "
            "variant. See docs/simulation.md."
        ),
    )
    _common(whatif, profile_required=True)
    whatif.add_argument(
        "--change", action="append", required=True, help="one variant (repeat for several)"
    )
    whatif.add_argument("--seeds", type=int, default=5, help="how many seeds (5)")
    whatif.add_argument("--json", action="store_true", help="print the result as JSON")
    whatif.set_defaults(handler=run_whatif_command)


def _setup(args: argparse.Namespace) -> tuple[Profile, Catalog, Period]:
    if args.jobs < 1:
        raise InvalidInputError(f"--jobs: {args.jobs} must be at least 1")
    if (args.first is None) != (args.last is None):
        raise InvalidInputError("--from and --to go together")
    profile = _profile(args.profile)
    if args.catalog is not None:
        if not Path(args.catalog).is_file():
            raise InvalidInputError(f"--catalog: {args.catalog} does not exist")
        catalog = Catalog.load(args.catalog)
    else:
        catalog = profile.load_catalog()
    period = (
        Period.parse(args.first, args.last) if args.first else Period(profile.first, profile.last)
    )
    return profile, catalog, period


@contextmanager
def _bar(total: int, label: str) -> Iterator[Callable[[int], object] | None]:
    """A progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty() or total == 0:
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit=" hồ sơ", desc=label, file=sys.stderr, leave=False) as bar:
        yield bar.update


_SUMMARY = {
    "vi": "tthc simulate: {dossiers:,} hồ sơ, {events:,} sự kiện → {where} "
    "({first} đến {last}, seed {seed})",
    "en": "tthc simulate: {dossiers:,} dossiers, {events:,} events → {where} "
    "({first} to {last}, seed {seed})",
}


def run_simulate(args: argparse.Namespace) -> int:
    profile, catalog, period = _setup(args)
    simulation = Simulation(profile, catalog, seed=args.seed, first=period.first, last=period.last)
    with _bar(len(simulation.arrivals()), "simulate") as progress:
        if args.db is not None:
            summary, where = _record(simulation, args.db, progress), args.db
        elif args.out is None or args.out == "-":
            summary, where = simulation.write_jsonl(sys.stdout, progress=progress), "stdout"
        else:
            summary = simulation.write_jsonl(args.out, jobs=args.jobs, progress=progress)
            where = args.out
    line = _SUMMARY["en" if args.lang == "en" else "vi"].format(
        dossiers=summary.dossiers,
        events=summary.events,
        where=where,
        first=period.first.isoformat(),
        last=period.last.isoformat(),
        seed=simulation.seed,
    )
    print(line, file=sys.stderr if where == "stdout" else sys.stdout)
    return 0


def _record(
    simulation: Simulation, db: str, progress: Callable[[int], object] | None
) -> SimulationSummary:
    from tthc_engine.application import OneStopShop

    if db == "postgres":
        env = {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
    else:
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": db}
    until = simulation.until
    app = OneStopShop(
        env=env, catalog=simulation.catalog, calendar=simulation.calendar, clock=lambda: until
    )
    try:
        return simulation.record(app, progress=progress)
    finally:
        app.close()


def run_whatif_command(args: argparse.Namespace) -> int:
    profile, catalog, period = _setup(args)
    if args.seeds < 1:
        raise InvalidInputError(f"--seeds: {args.seeds} must be at least 1")
    first_seed = profile.seed if args.seed is None else args.seed
    seeds = [first_seed + k for k in range(args.seeds)]
    variants = [Variant.parse(text) for text in args.change]
    runs = args.seeds * (len(variants) + 1)
    with _bar(runs, "whatif") as progress:
        result = run_whatif(
            profile,
            variants,
            seeds=seeds,
            catalog=catalog,
            first=period.first,
            last=period.last,
            jobs=args.jobs,
            progress=progress,
        )
    data = result.as_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(render_whatif(data, args.lang))
    return 0
