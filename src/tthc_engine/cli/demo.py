"""``tthc demo``: simulate a month of a province into the embedded SQLite store and report.

The main job of the quick start. It receives a month of seeded, reproducible traffic
on the sample Nghệ An catalog through the real ``OneStopShop`` application, saved in an
SQLite file — by default ``demo.sqlite`` in the user's data folder
(``$XDG_DATA_HOME/tthc-engine``, else ``~/.local/share/tthc-engine``), replaced on each run —,
catches the store's indicator projection up
(:class:`~tthc_engine.projections.StoreProjection`, kept in the same file), prints its
report of the month as the office's table "Tình hình, kết quả giải quyết TTHC"
(:func:`tthc_engine.reports.render`) and the process-control slip of one late
inter-agency dossier, and writes the report's HTML page with its charts next to the store
(``demo.html``; ``--html OUT.html`` elsewhere), saying on stderr where both are. With
``--json``: the report's JSON (DESIGN.md §7) with the store, the example dossier and the page.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from eventsourcing.persistence import PersistenceError

from tthc_engine.application import OneStopShop
from tthc_engine.cli.options import Feedback, add_json, add_verbosity, catalog_option, sqlite_env
from tthc_engine.cli.report import write_html
from tthc_engine.domain import Dossier
from tthc_engine.domain.slips import control_slip
from tthc_engine.errors import InvalidInputError
from tthc_engine.projections import Period, StoreProjection
from tthc_engine.reports import render
from tthc_engine.simulation import simulate_month
from tthc_engine.worktime import Timeliness

__all__ = ["MAX_PER_DAY", "default_folder", "late_example", "register", "run"]

MAX_PER_DAY = 9999
"""Dossiers a day at one counter: its codes end in a 4-digit daily sequence (TT 01/2018)."""
_SQLITE_HEADER = b"SQLite format 3\x00"
_STORE_TABLES = {"stored_events", "stored_snapshots", "tracking"}
"""eventsourcing's tables in a demo store; the indicator projection's are ``tthc_*``."""


_LABELS = {
    "vi": {
        "store": "Kho sự kiện SQLite: {db} ({events} sự kiện, {dossiers} hồ sơ)",
        "html": "Báo cáo HTML: {html}",
        "slip": "Phiếu kiểm soát quá trình giải quyết hồ sơ {code}",
        "due": "hạn",
        "done": "xong",
        "early": "trước hạn",
        "on_time": "đúng hạn",
        "late": "quá hạn",
        "stages": "tthc demo",
    },
    "en": {
        "store": "SQLite event store: {db} ({events} events, {dossiers} dossiers)",
        "html": "HTML report: {html}",
        "slip": "Process-control slip of dossier {code}",
        "due": "due",
        "done": "done",
        "early": "early",
        "on_time": "on time",
        "late": "late",
        "stages": "tthc demo",
    },
}


def default_folder() -> Path:
    """Where the demo keeps its store and page without ``--db``: the user's data folder."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tthc-engine"


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``demo`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "demo",
        parents=[common],
        help="simulate a month of a province into SQLite, print the report, write its page",
        description=(
            "Receive and process a month of simulated dossiers of the sample Nghệ An "
            "catalog with the OneStopShop application, stored in an SQLite file (replaced on "
            "each run), print the office's report for that month from the store's indicator "
            "projection, and write the report as an HTML page with charts."
        ),
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help="the demo's SQLite file (default: demo.sqlite in $XDG_DATA_HOME/tthc-engine, "
        "else ~/.local/share/tthc-engine); a tthc store there is replaced, any other file "
        "is left alone and the demo stops",
    )
    parser.add_argument(
        "--html",
        metavar="OUT.html",
        default=None,
        help="where to write the HTML report (default: next to the store, .html)",
    )
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        default=None,
        help="procedure catalog (YAML/JSON/TOML); the shipped Nghệ An sample by default",
    )
    parser.add_argument(
        "--month", metavar="YYYY-MM", default="2025-04", help="the month to simulate"
    )
    parser.add_argument(
        "--per-day",
        metavar="N",
        type=int,
        default=20,
        help=f"dossiers received each working day (at most {MAX_PER_DAY:,}, the 4-digit "
        "daily sequence of a counter's dossier codes)",
    )
    parser.add_argument("--seed", metavar="S", type=int, default=2025, help="random seed")
    add_json(parser, "the figures")
    add_verbosity(parser)
    parser.set_defaults(handler=run)


def _paths(args: argparse.Namespace) -> tuple[Path, Path]:
    """The store and the page: ``--db`` and ``--html``, or the defaults."""
    if args.db is not None:
        db = Path(args.db)
    else:
        folder = default_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInputError(
                f"cannot create {folder} for the demo's store ({exc.strerror}); give --db PATH"
            ) from None
        db = folder / "demo.sqlite"
    if db.is_dir() or not db.name:
        raise InvalidInputError(f"--db: {db} is a directory; give the path of an SQLite file")
    html = Path(args.html) if args.html is not None else db.with_suffix(".html")
    return db, html


def run(args: argparse.Namespace) -> int:
    m = re.fullmatch(r"(\d{4})-(\d{2})", args.month)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InvalidInputError(f"--month: {args.month!r} is not a month YYYY-MM (e.g. 2025-04)")
    if not 1 <= args.per_day <= MAX_PER_DAY:
        raise InvalidInputError(
            f"--per-day: {args.per_day} is not in 1..{MAX_PER_DAY:,} (the daily sequence of a "
            "counter's dossier codes has 4 digits)"
        )
    catalog = catalog_option(args.catalog)
    feedback = Feedback.of(args)
    labels = _LABELS["en" if args.lang == "en" else "vi"]
    db, html = _paths(args)
    _clear(db)
    try:
        app = OneStopShop(env=sqlite_env(db), catalog=catalog)
    except PersistenceError as exc:
        raise InvalidInputError(f"--db: cannot open {db} as an SQLite file: {exc}") from None
    try:
        with feedback.progress(3, labels["stages"]) as stage:
            month = simulate_month(
                app, int(m.group(1)), int(m.group(2)), per_day=args.per_day, seed=args.seed
            )
            feedback.detail(f"simulated {len(month.codes)} dossiers, {month.events} events")
            if stage is not None:
                stage(1)
            projection = StoreProjection(app)
            projection.catch_up()
            report = projection.report(Period(month.first_day, month.last_day)).as_dict()
            if stage is not None:
                stage(1)
            example = late_example(app, month.codes)
            write_html(report, html, args.lang, catalog)
            if stage is not None:
                stage(1)
        store = {"db": str(db), "events": month.events}
        if args.json:
            figures = {**report, "store": store, "example": example, "html": str(html)}
            print(json.dumps(figures, ensure_ascii=False, indent=1))
        else:
            text = render(report, args.lang)
            if example is not None:
                text += "\n\n" + "\n".join(_slip_lines(app.dossier(example), labels))
            print(text)
        dossiers = report["received"] + report["refused"]
        feedback.notice(labels["store"].format(dossiers=dossiers, **store))
        feedback.notice(labels["html"].format(html=html))
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
            ours = {t for t in tables if not t.startswith("tthc_")}
            if "stored_events" not in tables or not ours <= _STORE_TABLES:
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
