"""``tthc deadline RECEIVED_AT LIMIT``: the due time of a dossier and why (DESIGN.md §3, §8)."""

from __future__ import annotations

import argparse
import json
import re
from datetime import time

from tthc_engine.cli.options import add_json, add_verbosity
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import VietnamCalendar, parse_instant

__all__ = ["register", "run"]

_CUTOFF = re.compile(r"^(\d{1,2}):(\d{2})$")


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``deadline`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "deadline",
        parents=[common],
        help="due time (hẹn trả kết quả) of a dossier, with the explanation",
        description=(
            "Print the due time of a dossier received at RECEIVED_AT under the time limit "
            "LIMIT, and how it was counted (skipped days, the rule that applied)."
        ),
        epilog='example: tthc deadline 2025-03-10T09:00+07:00 "05 ngày làm việc" --lang en',
    )
    parser.add_argument(
        "received_at",
        metavar="RECEIVED_AT",
        help="receipt instant, ISO 8601 with its offset, e.g. 2025-03-10T09:00:00+07:00",
    )
    parser.add_argument(
        "limit",
        metavar="LIMIT",
        help="the time limit as on the procedure sheet, e.g. '05 ngày làm việc', "
        "'8 giờ làm việc', '10 ngày', 'trong ngày'",
    )
    parser.add_argument(
        "--cutoff",
        metavar="HH:MM",
        help="receipts after this time count from the next working day (e.g. 15:00)",
    )
    add_json(parser, "the deadline")
    add_verbosity(parser)
    parser.set_defaults(handler=run)


def parse_cutoff(text: str) -> time:
    """Read ``HH:MM`` (24-hour clock)."""
    m = _CUTOFF.match(text.strip())
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    raise InvalidInputError(f"--cutoff: {text!r} is not a time of day HH:MM (e.g. 15:00)")


def run(args: argparse.Namespace) -> int:
    """Compute and print the deadline; errors propagate to :func:`tthc_engine.cli.main`."""
    lang: str = args.lang
    received_at = parse_instant(args.received_at, "RECEIVED_AT")
    cutoff = parse_cutoff(args.cutoff) if args.cutoff is not None else None
    deadline = VietnamCalendar().due(received_at, args.limit, cutoff)
    if args.json:
        print(json.dumps(deadline.as_dict(lang), ensure_ascii=False, indent=2))
        return 0
    label = "Due" if lang == "en" else "Hẹn trả kết quả"
    print(f"{label}: {deadline.due_at.isoformat()}")
    print(deadline.explain(lang))
    return 0
