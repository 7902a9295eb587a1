"""``tthc report --db PATH``: the report of a store, from its indicator projection.

The store is an SQLite file (``--db``) or, without ``--db``, the store the environment names
(``PERSISTENCE_MODULE=eventsourcing.postgres`` and ``POSTGRES_*``). The projection kept in
the store's database is caught up first (every event counted once; see
:class:`~tthc_engine.projections.StoreProjection`), then the report of the period — by
default the months it has counted — is printed as the office's table, or as the JSON of
DESIGN.md §7 with ``--json``.

:func:`render` is the one text rendering of a report here; ``tthc demo`` prints with it too.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog
from tthc_engine.errors import InvalidInputError
from tthc_engine.projections import Period, StoreProjection

__all__ = ["load_catalog", "register", "render", "run"]

_LABELS = {
    "vi": {
        "title": "Tình hình, kết quả giải quyết TTHC — {first:%d/%m/%Y} đến {last:%d/%m/%Y}",
        "received": "Tiếp nhận trong kỳ",
        "counter": "trực tiếp",
        "online": "trực tuyến",
        "postal": "bưu chính",
        "resolved": "Đã giải quyết",
        "early": "trước hạn",
        "on_time": "đúng hạn",
        "late": "quá hạn",
        "pending": "Đang giải quyết, chưa đến hạn",
        "overdue": "Đang giải quyết, quá hạn",
        "withdrawn": "Rút hồ sơ",
        "refused": "Từ chối tiếp nhận",
        "on_time_rate": "Tỷ lệ giải quyết đúng hạn",
        "apology": "Hồ sơ quá hạn có văn bản xin lỗi",
        "cause": "Cơ quan gây chậm (bước đầu tiên vượt thời hạn)",
        "none": "không có",
        "projection": "Kho sự kiện {store}: đã đếm đến sự kiện {position} (còn {lag} chưa đếm)",
    },
    "en": {
        "title": "Dossier handling report — {first:%d/%m/%Y} to {last:%d/%m/%Y}",
        "received": "Received in the period",
        "counter": "counter",
        "online": "online",
        "postal": "postal",
        "resolved": "Resolved",
        "early": "early",
        "on_time": "on time",
        "late": "late",
        "pending": "In progress, not yet due",
        "overdue": "In progress, overdue",
        "withdrawn": "Withdrawn",
        "refused": "Refused at receipt",
        "on_time_rate": "On-time rate",
        "apology": "Late dossiers with an apology",
        "cause": "Agencies that caused lateness (first step over its share)",
        "none": "none",
        "projection": "Event store {store}: counted up to event {position} ({lag} not yet counted)",
    },
}


def render(report: dict[str, Any], lang: str, *, under_title: tuple[str, ...] = ()) -> str:
    """A report (the JSON of DESIGN.md §7) as the office's table; ``under_title`` lines are
    printed between the title and the table."""
    labels = _LABELS["en" if lang == "en" else "vi"]
    first = date.fromisoformat(report["period"]["from"])
    last = date.fromisoformat(report["period"]["to"])
    ch = report["received_by_channel"]
    rate = report["on_time_rate"]
    lines = [
        labels["title"].format(first=first, last=last),
        *under_title,
        "",
        f"{labels['received']:<42} {report['received']:>6}   "
        f"({labels['counter']} {ch['counter']}, {labels['online']} {ch['online']}, "
        f"{labels['postal']} {ch['postal']})",
        f"{labels['resolved']:<42} {report['resolved']:>6}   "
        f"({labels['early']} {report['early']}, {labels['on_time']} {report['on_time']}, "
        f"{labels['late']} {report['late']})",
        f"{labels['pending']:<42} {report['pending']:>6}",
        f"{labels['overdue']:<42} {report['overdue']:>6}",
        f"{labels['withdrawn']:<42} {report['withdrawn']:>6}",
        f"{labels['refused']:<42} {report['refused']:>6}",
        f"{labels['on_time_rate']:<42} {'—' if rate is None else f'{rate:.1%}':>6}",
        f"{labels['apology']:<42} {report['late_with_apology']:>6}",
        "",
        labels["cause"] + ":",
    ]
    causes = report["late_caused_by"] or {labels["none"]: 0}
    lines += [f"  {agency:<20} {n:>4}" for agency, n in causes.items()]
    return "\n".join(lines)


def load_catalog(path: str | None) -> Catalog:
    """``--catalog FILE``, or the shipped Nghệ An sample."""
    if path is None:
        return Catalog.sample()
    catalog_path = Path(path)
    if not catalog_path.exists():
        raise InvalidInputError(f"--catalog: {catalog_path} does not exist")
    return Catalog.load(catalog_path)


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``report`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "report",
        parents=[common],
        help="print a store's report from its indicator projection",
        description=(
            "Catch the store's indicator projection up (every event counted once, kept in "
            "the store's database) and print the report of a period of whole months. The "
            "store is the SQLite file --db, or without --db the one PERSISTENCE_MODULE and "
            "POSTGRES_* name."
        ),
    )
    parser.add_argument("--db", default=None, help="the store's SQLite file")
    parser.add_argument(
        "--catalog",
        default=None,
        help="the catalog the store's dossiers follow; the shipped Nghệ An sample by default",
    )
    parser.add_argument("--from", dest="first", default=None, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="last", default=None, help="last day (YYYY-MM-DD)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="count every event again from the first (after a change of catalog or version)",
    )
    parser.set_defaults(handler=run)


def _store(db: str | None) -> tuple[dict[str, str] | None, str]:
    """The eventsourcing environment of the store, and how to name it."""
    if db is not None:
        path = Path(db)
        if not path.is_file():
            raise InvalidInputError(f"--db: {path} does not exist")
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}, str(path)
    module = os.environ.get("PERSISTENCE_MODULE", "")
    if "postgres" not in module:
        raise InvalidInputError(
            "--db: give the store's SQLite file, or set PERSISTENCE_MODULE="
            "eventsourcing.postgres and POSTGRES_DBNAME, POSTGRES_HOST, POSTGRES_USER, "
            "POSTGRES_PASSWORD for a PostgreSQL store"
        )
    where = f"PostgreSQL {os.environ.get('POSTGRES_DBNAME', '?')}"
    schema = os.environ.get("POSTGRES_SCHEMA")
    return None, f"{where}/{schema}" if schema else where


def run(args: argparse.Namespace) -> int:
    env, where = _store(args.db)
    catalog = load_catalog(args.catalog)
    requested = None
    if args.first is not None or args.last is not None:
        requested = Period.parse(args.first, args.last)
    app = OneStopShop(env=env, catalog=catalog)
    try:
        projection = StoreProjection(app, rebuild=args.rebuild)
        projection.catch_up()
        period = requested or projection.months()
        if period is None:
            raise InvalidInputError(f"--db: {where} holds no dossier events to report on")
        report = projection.report(period).as_dict()
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            labels = _LABELS["en" if args.lang == "en" else "vi"]
            standing = labels["projection"].format(
                store=where, position=projection.position(), lag=projection.lag()
            )
            print(render(report, args.lang, under_title=(standing,)))
    finally:
        app.close()
    return 0
