"""``tthc watch``: run the deadline watcher against a store, once or every N seconds.

Each tick of :class:`~tthc_engine.application.DeadlineWatcher` records ``BecameOverdue``
once for every open dossier whose legal due has passed (ND 61/2018 Điều 19: the holder of a
late dossier must know, and apologise before the due) and lists the dossiers due within
``--warn-within`` working days. ``--at T`` ticks once at a business time (a past instant, to
catch a store up; never a future one); ``--every SECONDS`` ticks at the wall clock's time
until interrupted (Ctrl-C), printing each tick — with ``--json``, one JSON object per line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from typing import Any

from tthc_engine.application import DeadlineWatcher, OneStopShop
from tthc_engine.application.watcher import DueItem, TickResult
from tthc_engine.cli.options import (
    Feedback,
    add_db,
    add_json,
    add_verbosity,
    catalog_option,
    store_env,
)
from tthc_engine.errors import InvalidInputError
from tthc_engine.reports import catalog_names
from tthc_engine.worktime import VN_TZ, parse_instant

__all__ = ["register", "run", "tick_json"]

_TEXT = {
    "vi": {
        "head": "{at:%d/%m/%Y %H:%M}: {overdue} hồ sơ chuyển quá hạn, {soon} hồ sơ đến hạn "
        "trong {within} ngày làm việc; {open} hồ sơ đang giải quyết",
        "overdue": "Chuyển quá hạn:",
        "soon": "Sắp đến hạn:",
        "line": "  {code}  hạn {due:%d/%m/%Y %H:%M}  đang ở {holder}",
        "failed": "{n} hồ sơ không ghi được quá hạn",
        "store": "Kho sự kiện: {where}",
    },
    "en": {
        "head": "{at:%d/%m/%Y %H:%M}: {overdue} dossier(s) became overdue, {soon} due within "
        "{within} working day(s); {open} open",
        "overdue": "Became overdue:",
        "soon": "Due soon:",
        "line": "  {code}  due {due:%d/%m/%Y %H:%M}  held by {holder}",
        "failed": "{n} dossier(s) could not be marked overdue",
        "store": "Event store: {where}",
    },
}


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``watch`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "watch",
        parents=[common],
        help="mark overdue dossiers and list those due soon (the deadline watcher)",
        description=(
            "Run the deadline watcher against a store: record BecameOverdue once for each "
            "open dossier past its legal due, and list those due soon. Once (at --at, or "
            "now), or every --every seconds until interrupted."
        ),
        epilog="example: tthc watch --db tthc.sqlite --at 2025-05-05T09:00:00+07:00",
    )
    add_db(parser)
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        default=None,
        help="the catalog the store's dossiers follow; the shipped Nghệ An sample by default",
    )
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--at",
        metavar="TIME",
        default=None,
        help="tick once at this business time (ISO 8601 with offset); default: now",
    )
    when.add_argument(
        "--every",
        metavar="SECONDS",
        type=float,
        default=None,
        help="tick now, then every SECONDS seconds until interrupted",
    )
    parser.add_argument(
        "--warn-within",
        metavar="DAYS",
        type=int,
        default=1,
        help="list open dossiers due within DAYS working days (1)",
    )
    add_json(parser, "each tick")
    add_verbosity(parser)
    parser.set_defaults(handler=run)


def _item(item: DueItem) -> dict[str, str]:
    return {"code": item.code, "legal_due": item.legal_due.isoformat(), "holder": item.holder}


def tick_json(at: datetime, result: TickResult, open_items: list[DueItem]) -> dict[str, Any]:
    """One tick as JSON: the dossiers marked overdue and due soon, failures, open count."""
    known = {i.code: i for i in open_items}
    return {
        "at": at.isoformat(),
        "overdue": [
            _item(known[c]) if c in known else {"code": c, "legal_due": None, "holder": None}
            for c in result.overdue
        ],
        "due_soon": [_item(i) for i in result.due_soon],
        "failed": [{"code": code, "error": error} for code, error in result.failed],
        "open": len(open_items),
    }


def _text(found: dict[str, Any], lang: str, within: int, names: dict[str, str]) -> str:
    t = _TEXT["en" if lang == "en" else "vi"]
    at = datetime.fromisoformat(found["at"])
    lines = [
        t["head"].format(
            at=at,
            overdue=len(found["overdue"]),
            soon=len(found["due_soon"]),
            within=within,
            open=found["open"],
        )
    ]
    for key in ("overdue", "soon"):
        items = found["overdue" if key == "overdue" else "due_soon"]
        if items:
            lines.append(t[key])
            lines += [
                t["line"].format(
                    code=i["code"],
                    due=datetime.fromisoformat(i["legal_due"]) if i["legal_due"] else at,
                    holder=f"{names[i['holder']]} ({i['holder']})"
                    if i["holder"] in names
                    else i["holder"] or "—",
                )
                for i in items
            ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.every is not None and args.every <= 0:
        raise InvalidInputError(f"--every: {args.every:g} must be more than 0 seconds")
    if args.warn_within < 0:
        raise InvalidInputError(f"--warn-within: {args.warn_within} must be at least 0")
    at = parse_instant(args.at, "--at") if args.at is not None else None
    env, where = store_env(args.db)
    feedback = Feedback.of(args)
    t = _TEXT["en" if args.lang == "en" else "vi"]
    catalog = catalog_option(args.catalog)
    names = catalog_names(catalog)
    app = OneStopShop(env=env, catalog=catalog)
    watcher = DeadlineWatcher(app, warn_within=args.warn_within)
    feedback.detail(t["store"].format(where=where))
    try:
        if at is not None:
            _check_at(app, at)
        while True:
            now = at or datetime.now(VN_TZ)
            failed = _tick(watcher, now, args, feedback, names)
            if args.every is None:
                if failed:
                    raise InvalidInputError(t["failed"].format(n=failed))
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:  # --every runs until Ctrl-C
        return 0
    finally:
        app.close()


def _check_at(app: OneStopShop, at: datetime) -> None:
    """``--at`` is a business time: inside the calendar's data and not in the future."""
    cal = app.calendar
    if not cal.first_day <= at.date() <= cal.last_day:
        raise InvalidInputError(
            f"--at: {at.date().isoformat()} is outside the calendar's data "
            f"{cal.first_day.isoformat()}..{cal.last_day.isoformat()}"
        )
    if at > app.clock() + app.future_tolerance:
        raise InvalidInputError(f"--at: {at.isoformat()} is in the future")


def _tick(
    watcher: DeadlineWatcher,
    now: datetime,
    args: argparse.Namespace,
    feedback: Feedback,
    names: dict[str, str],
) -> int:
    """One tick, printed; returns how many dossiers could not be marked."""
    result = watcher.tick(now)
    found = tick_json(now, result, watcher.app.due_index.open_items())
    for failure in found["failed"]:
        feedback.warning(f"{failure['code']}: {failure['error']}")
    if args.json:
        indent = None if args.every is not None else 1
        print(json.dumps(found, ensure_ascii=False, indent=indent), flush=True)
    else:
        print(_text(found, args.lang, args.warn_within, names), flush=True)
        if args.every is not None:
            print(flush=True)
    sys.stdout.flush()
    return len(found["failed"])
