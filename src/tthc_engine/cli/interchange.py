"""``tthc import`` and ``tthc export``: event logs and national histories in, logs, national
payloads and dossier rows out (DESIGN.md §6, §8).

The store is an SQLite file (``--db PATH``) or, without ``--db``, the one the eventsourcing
environment names (``PERSISTENCE_MODULE=eventsourcing.postgres`` with ``POSTGRES_DBNAME``,
``POSTGRES_HOST``, ``POSTGRES_USER``, ``POSTGRES_PASSWORD``…).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog
from tthc_engine.cli.options import BAR_DELAY, add_verbosity
from tthc_engine.errors import InvalidInputError
from tthc_engine.interchange.exporter import export_jsonl
from tthc_engine.interchange.importer import JsonlSource, Source, import_source
from tthc_engine.interchange.national import NationalSource, export_national
from tthc_engine.interchange.rows import export_rows
from tthc_engine.worktime import parse_instant

__all__ = ["register", "run_export", "run_import"]

_TEXT = {
    "vi": {
        "imported": "Đã nhập {imported} sự kiện ({batches} lô giao dịch); {present} đã có sẵn",
        "rejected": "{lines} dòng của {dossiers} hồ sơ bị loại, ghi vào {rejects}",
        "nothing": "{n} lỗi: không nhập gì (dùng --keep-going để nhập các hồ sơ không lỗi)",
        "batch": "đã ghi lô {n} ({facts} sự kiện)",
        "exported": "Đã xuất {n} {what} vào {out}",
        "events": "sự kiện",
        "dossiers": "hồ sơ",
        "rows": "dòng",
    },
    "en": {
        "imported": "Imported {imported} events ({batches} transactions); {present} already stored",
        "rejected": "{lines} lines of {dossiers} dossiers rejected, written to {rejects}",
        "nothing": "{n} problem(s): nothing imported (--keep-going imports the good dossiers)",
        "batch": "batch {n} committed ({facts} events)",
        "exported": "Exported {n} {what} to {out}",
        "events": "events",
        "dossiers": "dossiers",
        "rows": "rows",
    },
}


def _store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the SQLite store; without it, the store PERSISTENCE_MODULE and POSTGRES_* name",
    )
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        help="procedure catalog (YAML/JSON/TOML): fills receipts and checks them",
    )


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``import`` and ``export`` to the ``tthc`` parser."""
    imp = subcommands.add_parser(
        "import",
        parents=[common],
        help="import event logs (tthc.event/1) or national status histories into a store",
        description=(
            "Check every line of the logs, then carry the facts out through the dossier "
            "rules into the store, in batches (one transaction each). Nothing is imported "
            "when a line has a problem, unless --keep-going. Importing twice adds nothing."
        ),
        epilog="example: tthc import 2025-04.jsonl --db tthc.sqlite --catalog nghe-an.yaml",
    )
    imp.add_argument("logs", nargs="*", metavar="LOG", help="tthc.event/1 JSON Lines files")
    imp.add_argument(
        "--national",
        metavar="FILE",
        help="a national status history (CSV or JSON: MaHoSo, TrangThaiHoSo, ThoiGian, "
        "MaDonVi, KenhThucHien, NgayHenTra, MaTTHC) instead of LOG",
    )
    _store_options(imp)
    imp.add_argument("--batch", type=int, default=1000, help="facts per transaction (1000)")
    imp.add_argument(
        "--keep-going",
        action="store_true",
        help="import the dossiers without problems; write the others' lines to --rejects",
    )
    imp.add_argument(
        "--rejects",
        metavar="FILE",
        help="with --keep-going: where rejected lines go (default: <LOG>.rejects.<ext>)",
    )
    add_verbosity(imp)  # -v: one line on stderr per committed batch
    imp.set_defaults(handler=run_import, parser=imp)

    exp = subcommands.add_parser(
        "export",
        parents=[common],
        help="export a store as an event log, national payloads or dossier rows",
        description=(
            "Write the store's dossiers as a tthc.event/1 log (--jsonl), as national sync "
            "payloads with their status histories (--national, JSON), or as one row per "
            "dossier with every input of the indicators (--rows, CSV or .parquet). "
            "FILE '-' writes to standard output (not for Parquet)."
        ),
        epilog="example: tthc export --rows dossiers.parquet --db tthc.sqlite",
    )
    what = exp.add_mutually_exclusive_group(required=True)
    what.add_argument("--jsonl", metavar="FILE", help="the event log (tthc.event/1)")
    what.add_argument("--national", metavar="FILE", help="national sync payloads (JSON)")
    what.add_argument("--rows", metavar="FILE", help="dossier rows (CSV, or Parquet by suffix)")
    _store_options(exp)
    exp.add_argument(
        "--as-of",
        metavar="TIME",
        help="with --rows: the instant open dossiers are judged at (ISO 8601 with offset; "
        "default: the latest business time in the store)",
    )
    add_verbosity(exp)
    exp.set_defaults(handler=run_export)


def _catalog(path: str | None) -> Catalog | None:
    if path is None:
        return None
    if not Path(path).is_file():
        raise InvalidInputError(f"--catalog: {path} does not exist")
    return Catalog.load(path)


def _app(args: argparse.Namespace, catalog: Catalog | None, *, existing: bool) -> OneStopShop:
    """The application on the store the options (or the environment) name."""
    if args.db is not None:
        if existing and not Path(args.db).is_file():
            raise InvalidInputError(f"--db: {args.db} does not exist")
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": args.db}
        return OneStopShop(env=env, catalog=catalog)
    if not os.environ.get("PERSISTENCE_MODULE"):
        raise InvalidInputError(
            "no store: give --db PATH (SQLite), or set PERSISTENCE_MODULE (and POSTGRES_*)"
        )
    return OneStopShop(catalog=catalog)


def _rejects_path(first: str) -> str:
    path = Path(first)
    return str(path.with_name(f"{path.stem}.rejects{path.suffix or '.txt'}"))


def run_import(args: argparse.Namespace) -> int:
    """Import the logs (or the national history) and report; 1 when any line had a problem."""
    parser: argparse.ArgumentParser = args.parser
    if bool(args.logs) == bool(args.national):
        parser.error("give LOG files or --national FILE (one of them)")
    if args.batch < 1:
        parser.error(f"--batch: {args.batch} must be at least 1")
    text = _TEXT[args.lang]
    catalog = _catalog(args.catalog)
    app = _app(args, catalog, existing=False)
    try:
        source: Source
        if args.national:
            source = NationalSource(args.national, app.calendar, catalog)
            first, unit = args.national, text["rows"]
        else:
            source = JsonlSource(args.logs)
            first, unit = args.logs[0], "B"
        rejects = args.rejects or (_rejects_path(first) if args.keep_going else None)
        bar = tqdm(
            total=2 * source.size,
            unit=unit,
            unit_scale=unit == "B",
            desc="tthc import",
            file=sys.stderr,
            disable=args.verbosity < 0 or not sys.stderr.isatty(),
            delay=BAR_DELAY,
            leave=False,
        )

        def advance(n: int) -> None:
            bar.update(n)

        def done(n: int, facts: int) -> None:
            print(f"tthc import: {text['batch'].format(n=n, facts=facts)}", file=sys.stderr)

        on_batch: Callable[[int, int], None] | None = done if args.verbosity > 0 else None
        with bar:
            outcome = import_source(
                app,
                source,
                batch=args.batch,
                keep_going=args.keep_going,
                rejects=rejects,
                progress=advance,
                on_batch=on_batch,
            )
    finally:
        app.close()
    for problem in outcome.problems:
        print(f"tthc import: error: {problem}", file=sys.stderr)
    if outcome.problems and not args.keep_going:
        message = text["nothing"].format(n=len(outcome.problems))
        print(f"tthc import: error: {message}", file=sys.stderr)
        return 1
    print(
        text["imported"].format(
            imported=outcome.imported, batches=outcome.batches, present=outcome.present
        )
    )
    if outcome.problems:
        print(
            text["rejected"].format(
                lines=outcome.rejected_lines, dossiers=len(outcome.rejected), rejects=rejects
            )
        )
        return 1
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Export the store as asked."""
    text = _TEXT[args.lang]
    as_of = parse_instant(args.as_of, "--as-of") if args.as_of else None
    catalog = _catalog(args.catalog)
    app = _app(args, catalog, existing=True)
    try:
        if args.jsonl:
            out, what = args.jsonl, text["events"]
            n = export_jsonl(app, out)
        elif args.national:
            out, what = args.national, text["dossiers"]
            n = export_national(app, out)
        else:
            out, what = args.rows, text["rows"]
            n = export_rows(app, out, as_of=as_of, catalog=catalog)
    finally:
        app.close()
    if out != "-":
        print(text["exported"].format(n=n, what=what, out=out))
    return 0
