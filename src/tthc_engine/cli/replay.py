"""``tthc replay``: a period's report from event logs (DESIGN.md §8).

``tthc replay LOG… [--catalog FILE] [--from DATE] [--to DATE] [--jobs N] [--engine spark
[--master URL]] [--skip-bad] [--json] [--lang vi|en]`` reads ``tthc.event/1`` lines (files,
or directories of ``*.jsonl`` files partitioned by province and month), carries every fact
out with the domain's rules and prints the report: the office's table by default, the
contract JSON with ``--json``. ``--engine spark`` runs the same fold on Apache Spark
(:mod:`tthc_engine.scale`; ``local[*]`` unless ``--master`` names a cluster). Every bad
line is reported on stderr as ``line N: field: message``; with bad lines the command prints
no report and exits 1, unless ``--skip-bad`` leaves the bad dossiers out.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tthc_engine.catalog import Catalog
from tthc_engine.errors import InvalidInputError
from tthc_engine.interchange import replay as replay_logs
from tthc_engine.interchange.replay import Progress, log_files
from tthc_engine.projections import Period
from tthc_engine.reports import render

__all__ = ["progress_bar", "register", "run"]


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``replay`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "replay",
        parents=[common],
        help="a period's report (QĐ 766 figures) from tthc.event/1 logs",
        description=(
            "Replay event logs (JSON Lines, schema tthc.event/1) and print the report of a "
            "period: received, resolved early/on time/late, pending and overdue, the QĐ 766 "
            "indicators, by agency, procedure, field, level and month."
        ),
    )
    parser.add_argument(
        "logs",
        nargs="+",
        metavar="LOG",
        help="event log files (.jsonl), or directories of them (e.g. province=H41/month=2025-04/)",
    )
    parser.add_argument("--catalog", help="procedure catalog (fields, levels, fees, limits)")
    parser.add_argument(
        "--from",
        dest="first",
        help="first day YYYY-MM-DD (or month YYYY-MM); default: the logs' first month",
    )
    parser.add_argument(
        "--to", dest="last", help="last day YYYY-MM-DD (or month YYYY-MM); default: their last"
    )
    parser.add_argument("--jobs", type=int, default=1, help="processes to split dossiers over")
    parser.add_argument(
        "--engine",
        choices=["local", "spark"],
        default="local",
        help="local: this machine's processes (default); spark: Apache Spark (the spark extra)",
    )
    parser.add_argument(
        "--master", help="with --engine spark: the Spark master URL (default local[*])"
    )
    parser.add_argument(
        "--skip-bad", action="store_true", help="leave bad dossiers out instead of stopping"
    )
    parser.add_argument("--json", action="store_true", help="print the JSON report")
    parser.set_defaults(handler=run)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Progress | None]:
    """A progress bar over ``total`` bytes on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty() or total == 0:
        yield None
        return
    from tqdm import tqdm

    with tqdm(
        total=total, unit="B", unit_scale=True, desc=label, file=sys.stderr, leave=False
    ) as bar:
        yield bar.update


def run(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.logs]
    for path in paths:
        if not path.exists():
            raise InvalidInputError(f"{path}: no such log file")
    if args.jobs < 1:
        raise InvalidInputError(f"--jobs: {args.jobs} must be at least 1")
    spark = args.engine == "spark"
    if args.master is not None and not spark:
        raise InvalidInputError("--master goes with --engine spark")
    if spark and args.jobs != 1:
        raise InvalidInputError("--jobs is for the local engine (Spark spreads the work itself)")
    if (args.first is None) != (args.last is None):
        raise InvalidInputError("--from and --to go together")
    period = Period.parse(args.first, args.last) if args.first else None
    catalog = Catalog.load(args.catalog) if args.catalog else None
    files = log_files(paths)
    if not files:
        raise InvalidInputError(f"{paths[0]}: no .jsonl log in it")
    if spark:
        from tthc_engine.scale import DEFAULT_MASTER, replay_spark

        outcome = replay_spark(
            files,
            period=period,
            catalog=catalog,
            skip_bad=args.skip_bad,
            master=args.master or DEFAULT_MASTER,
        )
    else:
        total = sum(os.path.getsize(p) for p in files)
        with progress_bar(total, "replay") as progress:
            outcome = replay_logs(
                files,
                period=period,
                catalog=catalog,
                jobs=args.jobs,
                skip_bad=args.skip_bad,
                progress=progress,
            )
    for problem in outcome.problems:
        print(f"tthc replay: {'warning' if args.skip_bad else 'error'}: {problem}", file=sys.stderr)
    if outcome.report is None:
        print(
            f"tthc replay: error: {len(outcome.problems)} bad line(s); no report "
            "(--skip-bad leaves the bad dossiers out)",
            file=sys.stderr,
        )
        return 1
    report = outcome.report.as_dict()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(render(report, args.lang))
    return 0
