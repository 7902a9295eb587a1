"""``tthc report (LOG… | --db PATH) [--html OUT.html]``: a period's report, as a table, JSON
or a page with charts.

From event logs (``tthc.event/1`` lines), the facts are replayed with the domain's rules
(:func:`tthc_engine.interchange.replay`, as ``tthc replay`` does). From a store — the SQLite
file ``--db``, or without it the PostgreSQL store ``PERSISTENCE_MODULE`` and ``POSTGRES_*``
name — the indicator projection kept in the store's database is caught up first (every
event counted once; :class:`~tthc_engine.projections.StoreProjection`). The period defaults
to the months the logs or the projection cover. The report is printed as the office's table
(:func:`tthc_engine.reports.render`), or as the JSON of DESIGN.md §7 with ``--json``;
``--html OUT.html`` also writes the page with its charts
(:func:`tthc_engine.reports.render_html`) and says where.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from tthc_engine.application import OneStopShop
from tthc_engine.catalog import Catalog
from tthc_engine.cli.options import (
    Feedback,
    add_db,
    add_json,
    add_verbosity,
    catalog_option,
    store_env,
)
from tthc_engine.errors import InvalidInputError
from tthc_engine.interchange import replay
from tthc_engine.projections import Period, StoreProjection
from tthc_engine.reports import catalog_names, render, render_html

__all__ = ["register", "run", "write_html"]

_TEXT = {
    "vi": {
        "projection": "Kho sự kiện {store}: đã đếm đến sự kiện {position} (còn {lag} chưa đếm)",
        "logs": "Nhật ký sự kiện: {n} dòng, {facts} sự kiện",
        "html": "Báo cáo HTML: {path}",
        "bad": "{n} dòng lỗi; không lập báo cáo (--skip-bad bỏ qua các hồ sơ lỗi)",
    },
    "en": {
        "projection": "Event store {store}: counted up to event {position} ({lag} not yet counted)",
        "logs": "Event logs: {n} lines, {facts} events",
        "html": "HTML report: {path}",
        "bad": "{n} bad line(s); no report (--skip-bad leaves the bad dossiers out)",
    },
}


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``report`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "report",
        parents=[common],
        help="a period's report from event logs or a store, as a table, JSON or HTML",
        description=(
            "Print the report of a period (whole months by default) from event logs (LOG…, "
            "replayed with the dossier rules) or from a store (its indicator projection, "
            "caught up first: the SQLite file --db, or without LOG and --db the PostgreSQL "
            "store PERSISTENCE_MODULE and POSTGRES_* name). --html also writes the report as "
            "a page with charts."
        ),
        epilog="examples: tthc report --db tthc.sqlite --html report.html; "
        "tthc report 2025-04.jsonl --json",
    )
    parser.add_argument(
        "logs", nargs="*", metavar="LOG", help="tthc.event/1 event logs (.jsonl) to replay"
    )
    add_db(parser)
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        default=None,
        help="the procedure catalog: for a store, the one its dossiers follow (the shipped "
        "Nghệ An sample by default); for logs, fields, levels and fees (none by default)",
    )
    parser.add_argument(
        "--from",
        dest="first",
        metavar="DATE",
        default=None,
        help="first day YYYY-MM-DD (or month YYYY-MM)",
    )
    parser.add_argument(
        "--to",
        dest="last",
        metavar="DATE",
        default=None,
        help="last day YYYY-MM-DD (or month YYYY-MM)",
    )
    parser.add_argument(
        "--html", metavar="OUT.html", default=None, help="also write the report as an HTML page"
    )
    add_json(parser, "the report")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="store: count every event again from the first (after a change of catalog or version)",
    )
    parser.add_argument(
        "--skip-bad", action="store_true", help="logs: leave bad dossiers out instead of stopping"
    )
    parser.add_argument(
        "--jobs",
        metavar="N",
        type=int,
        default=1,
        help="logs: processes to split the dossiers over",
    )
    add_verbosity(parser)
    parser.set_defaults(handler=run, parser=parser)


def _period(args: argparse.Namespace) -> Period | None:
    if args.first is None and args.last is None:
        return None
    return Period.parse(args.first, args.last)


def run(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    if args.logs and args.db is not None:
        parser.error("give LOG files or --db, not both")
    if args.logs and args.rebuild:
        parser.error("--rebuild is for a store (--db), not for LOG files")
    if args.jobs < 1:
        raise InvalidInputError(f"--jobs: {args.jobs} must be at least 1")
    feedback = Feedback.of(args)
    t = _TEXT["en" if args.lang == "en" else "vi"]
    if args.logs:
        catalog = catalog_option(args.catalog) if args.catalog else None
        found = _from_logs(args, catalog, feedback, t)
        if found is None:
            return 1
    else:
        catalog = catalog_option(args.catalog)
        found = _from_store(args, catalog, feedback, t)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
    else:
        print(render(found, args.lang))
    if args.html is not None:
        path = write_html(found, args.html, args.lang, catalog or Catalog.sample())
        feedback.notice(t["html"].format(path=path))
    return 0


def _from_logs(
    args: argparse.Namespace, catalog: Catalog | None, feedback: Feedback, t: dict[str, str]
) -> dict[str, Any] | None:
    paths = [Path(p) for p in args.logs]
    for path in paths:
        if not path.is_file():
            raise InvalidInputError(f"{path}: no such log file")
    period = _period(args)
    total = sum(os.path.getsize(p) for p in paths)
    with feedback.progress(total, "tthc report", unit="B") as progress:
        try:
            outcome = replay(
                paths,
                period=period,
                catalog=catalog,
                jobs=args.jobs,
                skip_bad=args.skip_bad,
                progress=progress,
            )
        except InvalidInputError as exc:
            if "no dated event" not in str(exc):
                raise
            raise InvalidInputError(
                f"{paths[0]}: no dated event in the logs; give --from and --to"
            ) from None
    for problem in outcome.problems:
        if args.skip_bad:
            feedback.warning(str(problem))
        else:
            feedback.error(str(problem))
    if outcome.report is None:
        raise InvalidInputError(t["bad"].format(n=len(outcome.problems)))
    feedback.detail(t["logs"].format(n=outcome.lines, facts=outcome.facts))
    return outcome.report.as_dict()


def _from_store(
    args: argparse.Namespace, catalog: Catalog, feedback: Feedback, t: dict[str, str]
) -> dict[str, Any]:
    env, where = store_env(args.db)
    requested = _period(args)
    app = OneStopShop(env=env, catalog=catalog)
    try:
        projection = StoreProjection(app, rebuild=args.rebuild)
        with feedback.progress(projection.lag(), "tthc report", unit="ev") as progress:
            while counted := projection.catch_up(limit=projection.page):
                if progress is not None:
                    progress(counted)
        period = requested or projection.months()
        if period is None:
            raise InvalidInputError(f"--db: {where} holds no dossier events to report on")
        found = projection.report(period).as_dict()
        feedback.notice(
            t["projection"].format(
                store=where, position=projection.position(), lag=projection.lag()
            )
        )
    finally:
        app.close()
    return found


def write_html(report: dict[str, Any], out: str | Path, lang: str, catalog: Catalog) -> Path:
    """Write the report's page to ``out`` (its folder is created); returns the path."""
    path = Path(out)
    if path.is_dir():
        raise InvalidInputError(f"--html: {path} is a directory; give the page's file name")
    page = render_html(report, lang, catalog_names(catalog))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"--html: cannot write {path}: {exc.strerror}") from None
    return path
