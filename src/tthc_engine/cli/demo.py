"""``tthc demo``: simulate a month of a province into the embedded SQLite store and report.

The main job of the quick start. It receives a month of seeded, reproducible traffic
on the sample Nghệ An catalog through the real ``OneStopShop`` application, saved in an
SQLite file, then prints the office's table "Tình hình, kết quả giải quyết TTHC":
received by channel, resolved early / on time / late, pending and overdue at the end
of the month, withdrawn and refused, apologies, which agencies caused lateness, and the
process-control slip of one late inter-agency dossier.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from eventsourcing.persistence import PersistenceError

from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog
from tthc_engine.domain import Channel, Dossier, Status
from tthc_engine.domain.slips import control_slip
from tthc_engine.errors import InvalidInputError
from tthc_engine.simulation import SimulatedMonth, simulate_month
from tthc_engine.worktime import Timeliness

__all__ = ["MAX_PER_DAY", "register", "run"]

MAX_PER_DAY = 9999
"""Dossiers a day at one counter: its codes end in a 4-digit daily sequence (TT 01/2018)."""
_SQLITE_HEADER = b"SQLite format 3\x00"
_STORE_TABLES = {"stored_events", "stored_snapshots"}


_LABELS = {
    "vi": {
        "title": "Tình hình, kết quả giải quyết TTHC — {first:%d/%m/%Y} đến {last:%d/%m/%Y}",
        "store": "Kho sự kiện SQLite: {db} ({events} sự kiện, {dossiers} hồ sơ)",
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
        "slip": "Phiếu kiểm soát quá trình giải quyết hồ sơ {code}",
        "due": "hạn",
        "done": "xong",
        "none": "không có",
    },
    "en": {
        "title": "Dossier handling report — {first:%d/%m/%Y} to {last:%d/%m/%Y}",
        "store": "SQLite event store: {db} ({events} events, {dossiers} dossiers)",
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
        "slip": "Process-control slip of dossier {code}",
        "due": "due",
        "done": "done",
        "none": "none",
    },
}


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``demo`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "demo",
        parents=[common],
        help="simulate a month of a province into SQLite and print the report",
        description=(
            "Receive and process a month of simulated dossiers of the sample Nghệ An "
            "catalog with the OneStopShop application, stored in an SQLite file (replaced on "
            "each run), then print the office's report for that month."
        ),
    )
    parser.add_argument(
        "--db",
        default="tthc-demo.sqlite",
        help="the demo's SQLite file (tthc-demo.sqlite); a tthc store there is replaced, "
        "any other file is left alone and the demo stops",
    )
    parser.add_argument(
        "--catalog",
        default=None,
        help="procedure catalog (YAML/JSON/TOML); the shipped Nghệ An sample by default",
    )
    parser.add_argument("--month", default="2025-04", help="the month to simulate, YYYY-MM")
    parser.add_argument(
        "--per-day",
        type=int,
        default=20,
        help=f"dossiers received each working day (20; at most {MAX_PER_DAY:,}, the 4-digit "
        "daily sequence of a counter's dossier codes)",
    )
    parser.add_argument("--seed", type=int, default=2025, help="random seed (2025)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    m = re.fullmatch(r"(\d{4})-(\d{2})", args.month)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InvalidInputError(f"--month: {args.month!r} is not a month YYYY-MM (e.g. 2025-04)")
    if not 1 <= args.per_day <= MAX_PER_DAY:
        raise InvalidInputError(
            f"--per-day: {args.per_day} is not in 1..{MAX_PER_DAY:,} (the daily sequence of a "
            "counter's dossier codes has 4 digits)"
        )
    if args.catalog is None:
        catalog = Catalog.sample()
    else:
        catalog_path = Path(args.catalog)
        if not catalog_path.exists():
            raise InvalidInputError(f"--catalog: {catalog_path} does not exist")
        catalog = Catalog.load(catalog_path)
    db = Path(args.db)
    _clear(db)
    try:
        app = OneStopShop(
            env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(db)},
            catalog=catalog,
        )
    except PersistenceError as exc:
        raise InvalidInputError(f"--db: cannot open {db} as an SQLite file: {exc}") from None
    try:
        month = simulate_month(
            app, int(m.group(1)), int(m.group(2)), per_day=args.per_day, seed=args.seed
        )
        figures = summarise(app, month)
        figures["store"] = {"db": str(db), "events": month.events}
        if args.json:
            print(json.dumps(figures, ensure_ascii=False, indent=1, default=str))
        else:
            print(render(figures, app, args.lang))
    finally:
        app.close()
    return 0


def _clear(db: Path) -> None:
    """Remove the tthc store a previous demo left at ``db`` (with its ``-wal`` and ``-shm``
    files); refuse anything else there, leaving it untouched."""
    companions = [Path(f"{db}{suffix}") for suffix in ("-wal", "-shm")]
    if db.is_dir():
        raise InvalidInputError(f"--db: {db} is a directory; give the path of an SQLite file")
    if not db.exists() and not db.is_symlink():
        stray = [str(p) for p in companions if p.exists()]
        if stray:
            raise InvalidInputError(
                f"--db: {', '.join(stray)} exist(s) without {db}; remove them or choose another "
                "path (they were left alone)"
            )
        return
    problem = _not_a_store(db)
    if problem is not None:
        raise InvalidInputError(
            f"--db: {db} {problem}; the demo replaces only a tthc store it made, so the file "
            "was left alone (choose another path)"
        )
    for path in (db, *companions):
        path.unlink(missing_ok=True)


def _not_a_store(db: Path) -> str | None:
    """Why the file ``db`` is not a tthc store (SQLite with eventsourcing's tables and only
    tthc topics), or None when it is one."""
    if not db.is_file():
        return "is not a regular file"
    try:
        with db.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if header != _SQLITE_HEADER:
        return "is not an SQLite database"
    try:
        connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
            if "stored_events" not in tables or not tables <= _STORE_TABLES:
                return "is an SQLite database, but not an event store of tthc-engine"
            (foreign,) = connection.execute(
                "SELECT COUNT(*) FROM stored_events WHERE topic NOT LIKE 'tthc:%'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return f"cannot be read as an SQLite database ({exc})"
    if foreign:
        return "is an event store, but holds events that are not tthc-engine's"
    return None


def summarise(app: OneStopShop, month: SimulatedMonth) -> dict[str, Any]:
    """The month's figures, from the dossiers' states at the end of the month."""
    cal = app.calendar
    dossiers = [app.dossier(code) for code in month.codes]
    received = [d for d in dossiers if d.is_received]
    channels = Counter(d.channel.value for d in received)
    verdicts = Counter(t.value for d in received if (t := d.timeliness(cal)) is not None)
    open_ = [d for d in received if d.is_open]
    overdue = [d for d in open_ if d.is_late(month.until, cal)]
    late = [d for d in received if d.is_late(month.until, cal)]
    causes = Counter(c for d in late if (c := d.late_cause(month.until, cal)) is not None)
    resolved = sum(verdicts.values())
    late_resolved = [
        d
        for d in dossiers
        if d.timeliness(cal) is Timeliness.LATE
        and any(s.timeliness is Timeliness.LATE for s in d.steps)
    ]
    example = max(late_resolved, key=lambda d: len({s.agency for s in d.steps}), default=None)
    return {
        "period": {"from": month.first_day.isoformat(), "to": month.last_day.isoformat()},
        "received": len(received),
        "received_by_channel": {c.value: channels.get(c.value, 0) for c in Channel},
        "resolved": resolved,
        "early": verdicts.get("early", 0),
        "on_time": verdicts.get("on_time", 0),
        "late": verdicts.get("late", 0),
        "pending": len(open_) - len(overdue),
        "overdue": len(overdue),
        "withdrawn": sum(d.status is Status.WITHDRAWN for d in dossiers),
        "refused": sum(d.status is Status.REFUSED for d in dossiers),
        "on_time_rate": (resolved - verdicts.get("late", 0)) / resolved if resolved else None,
        "late_with_apology": sum(bool(d.apologies) for d in late),
        "late_caused_by": dict(causes.most_common()),
        "example": example.code if example else None,
    }


def _slip_lines(dossier: Dossier, labels: dict[str, str]) -> list[str]:
    lines = [labels["slip"].format(code=dossier.code)]
    for row in control_slip(dossier)["handoffs"]:
        verdict = labels.get(row["timeliness"] or "", "—")
        lines.append(
            f"  {row['name'][:42]:<42} {row['agency']}  {labels['due']} "
            f"{row['due_at'][:16]}  {labels['done']} {(row['finished_at'] or '—')[:16]}"
            f"  {verdict}"
        )
    return lines


def render(figures: dict[str, Any], app: OneStopShop, lang: str) -> str:
    """The report as text (Vietnamese by default)."""
    labels = _LABELS["en" if lang == "en" else "vi"]
    period = figures["period"]
    first, last = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    ch = figures["received_by_channel"]
    rate = figures["on_time_rate"]
    lines = [
        labels["title"].format(first=first, last=last),
        labels["store"].format(
            db=figures["store"]["db"],
            events=figures["store"]["events"],
            dossiers=figures["received"] + figures["refused"],
        ),
        "",
        f"{labels['received']:<42} {figures['received']:>6}   "
        f"({labels['counter']} {ch['counter']}, {labels['online']} {ch['online']}, "
        f"{labels['postal']} {ch['postal']})",
        f"{labels['resolved']:<42} {figures['resolved']:>6}   "
        f"({labels['early']} {figures['early']}, {labels['on_time']} {figures['on_time']}, "
        f"{labels['late']} {figures['late']})",
        f"{labels['pending']:<42} {figures['pending']:>6}",
        f"{labels['overdue']:<42} {figures['overdue']:>6}",
        f"{labels['withdrawn']:<42} {figures['withdrawn']:>6}",
        f"{labels['refused']:<42} {figures['refused']:>6}",
        f"{labels['on_time_rate']:<42} {'—' if rate is None else f'{rate:.1%}':>6}",
        f"{labels['apology']:<42} {figures['late_with_apology']:>6}",
        "",
        labels["cause"] + ":",
    ]
    causes = figures["late_caused_by"] or {labels["none"]: 0}
    lines += [f"  {agency:<20} {n:>4}" for agency, n in causes.items()]
    if figures["example"]:
        lines += ["", *_slip_lines(app.dossier(figures["example"]), labels)]
    return "\n".join(lines)
