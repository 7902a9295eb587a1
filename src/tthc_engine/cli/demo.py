"""``tthc demo``: simulate a month of a province into the embedded SQLite store and report.

The main job of the quick start. It receives a month of seeded, reproducible traffic
on the sample Nghệ An catalog through the real ``OneStopShop`` application, saved in an
SQLite file, catches the store's indicator projection up
(:class:`~tthc_engine.projections.StoreProjection`, kept in the same file) and prints its
report of the month as the office's table "Tình hình, kết quả giải quyết TTHC" (received by
channel, resolved early / on time / late, pending and overdue at the end of the month,
withdrawn and refused, apologies, which agencies caused lateness), then the
process-control slip of one late inter-agency dossier. With ``--json``: the report's JSON
(DESIGN.md §7) with the store and the example dossier.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable
from pathlib import Path

from tthc_engine.application import OneStopShop
from tthc_engine.cli.report import load_catalog, render
from tthc_engine.domain import Dossier
from tthc_engine.domain.slips import control_slip
from tthc_engine.errors import InvalidInputError
from tthc_engine.projections import Period, StoreProjection
from tthc_engine.simulation import simulate_month
from tthc_engine.worktime import Timeliness

__all__ = ["late_example", "register", "run"]


_LABELS = {
    "vi": {
        "store": "Kho sự kiện SQLite: {db} ({events} sự kiện, {dossiers} hồ sơ)",
        "slip": "Phiếu kiểm soát quá trình giải quyết hồ sơ {code}",
        "due": "hạn",
        "done": "xong",
        "early": "trước hạn",
        "on_time": "đúng hạn",
        "late": "quá hạn",
    },
    "en": {
        "store": "SQLite event store: {db} ({events} events, {dossiers} dossiers)",
        "slip": "Process-control slip of dossier {code}",
        "due": "due",
        "done": "done",
        "early": "early",
        "on_time": "on time",
        "late": "late",
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
        help="the demo's SQLite file, replaced on each run (tthc-demo.sqlite)",
    )
    parser.add_argument(
        "--catalog",
        default=None,
        help="procedure catalog (YAML/JSON/TOML); the shipped Nghệ An sample by default",
    )
    parser.add_argument("--month", default="2025-04", help="the month to simulate, YYYY-MM")
    parser.add_argument(
        "--per-day", type=int, default=20, help="dossiers received each working day (20)"
    )
    parser.add_argument("--seed", type=int, default=2025, help="random seed (2025)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    m = re.fullmatch(r"(\d{4})-(\d{2})", args.month)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InvalidInputError(f"--month: {args.month!r} is not a month YYYY-MM (e.g. 2025-04)")
    if args.per_day < 1:
        raise InvalidInputError(f"--per-day: {args.per_day} must be at least 1")
    catalog = load_catalog(args.catalog)
    db = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    app = OneStopShop(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(db)},
        catalog=catalog,
    )
    try:
        month = simulate_month(
            app, int(m.group(1)), int(m.group(2)), per_day=args.per_day, seed=args.seed
        )
        projection = StoreProjection(app)
        projection.catch_up()
        report = projection.report(Period(month.first_day, month.last_day)).as_dict()
        store = {"db": str(db), "events": month.events}
        example = late_example(app, month.codes)
        if args.json:
            figures = {**report, "store": store, "example": example}
            print(json.dumps(figures, ensure_ascii=False, indent=1))
        else:
            labels = _LABELS["en" if args.lang == "en" else "vi"]
            dossiers = report["received"] + report["refused"]
            text = render(
                report,
                args.lang,
                under_title=(labels["store"].format(dossiers=dossiers, **store),),
            )
            if example is not None:
                text += "\n\n" + "\n".join(_slip_lines(app.dossier(example), labels))
            print(text)
    finally:
        app.close()
    return 0


def late_example(app: OneStopShop, codes: Iterable[str]) -> str | None:
    """A dossier to show the control slip of: resolved late with a late step, handled by
    the most agencies (None if there is none)."""
    cal = app.calendar
    late = [
        d
        for d in (app.dossier(code) for code in codes)
        if d.timeliness(cal) is Timeliness.LATE
        and any(s.timeliness is Timeliness.LATE for s in d.steps)
    ]
    example = max(late, key=lambda d: len({s.agency for s in d.steps}), default=None)
    return example.code if example is not None else None


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
