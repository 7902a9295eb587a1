"""``tthc calendar YEAR``: a year's civil-servant working days and the documents behind them.

Prints, for each month, the working days and the days that differ from a plain Monday to
Friday week — statutory holidays (BLLĐ 2019 Điều 112), the year's decreed days off and the
Saturdays worked in exchange — each with the document that decided it, then the year's
documents with their number, date, issuer and source. ``--json`` prints the same as JSON.
A year outside the shipped data is refused: the engine does not guess a schedule.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from typing import Any

from tthc_engine.cli.options import add_json, add_verbosity
from tthc_engine.errors import InvalidInputError
from tthc_engine.worktime import DEFAULT_OFFICE_HOURS, OfficeHours, VietnamCalendar
from tthc_engine.worktime.schedule import Document

__all__ = ["register", "run", "year_calendar"]

_TEXT = {
    "vi": {
        "title": "Lịch làm việc năm {year} của cán bộ, công chức ({status})",
        "official": "chính thức",
        "provisional": "tạm tính theo Bộ luật Lao động, chưa có quyết định của năm",
        "hours": "Giờ làm việc: {hours}",
        "total": "Ngày làm việc trong năm: {n}",
        "month": "Tháng {m:02d}: {n} ngày làm việc",
        "off": "nghỉ",
        "work": "làm việc",
        "documents": "Căn cứ",
    },
    "en": {
        "title": "Civil-servant working calendar {year} ({status})",
        "official": "official",
        "provisional": "provisional: the Labour Code only, no decision for the year yet",
        "hours": "Office hours: {hours}",
        "total": "Working days in the year: {n}",
        "month": "Month {m:02d}: {n} working days",
        "off": "off",
        "work": "worked",
        "documents": "Documents",
    },
}

_WEEKDAYS = {
    "vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def register(
    subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add ``calendar`` to the ``tthc`` parser."""
    parser = subcommands.add_parser(
        "calendar",
        parents=[common],
        help="a year's working days, holidays and worked Saturdays, with their documents",
        description=(
            "Print the civil-servant working-day calendar of YEAR: the working days of each "
            "month, every holiday, decreed day off and worked weekend day with the document "
            "that decided it, and the year's documents."
        ),
        epilog="example: tthc calendar 2025 --lang en",
    )
    parser.add_argument("year", metavar="YEAR", type=int, help="the year, e.g. 2025")
    parser.add_argument(
        "--office-hours",
        metavar="SPANS",
        default=None,
        help=f"the province's office hours, e.g. '07:30-11:30, 13:30-17:00' "
        f"(default {DEFAULT_OFFICE_HOURS})",
    )
    add_json(parser, "the calendar")
    add_verbosity(parser)
    parser.set_defaults(handler=run)


def year_calendar(calendar: VietnamCalendar, year: int, lang: str = "vi") -> dict[str, Any]:
    """The calendar of ``year`` as the JSON ``tthc calendar --json`` prints.

    Raises:
        InvalidInputError: ``year`` is outside the calendar's data.
    """
    first, last = calendar.first_day.year, calendar.last_day.year
    if not first <= year <= last:
        raise InvalidInputError(
            f"YEAR: {year} is outside the calendar's data {first}..{last} (no official "
            "schedule; the engine does not guess)"
        )
    schedule = calendar.schedule
    documents: dict[str, Document] = {d.key: d for d in schedule.year_documents.get(year, ())}
    months: dict[str, Any] = {}
    special: list[dict[str, Any]] = []
    day = date(year, 1, 1)
    while day.year == year:
        key = f"{year}-{day.month:02d}"
        month = months.setdefault(key, {"working_days": 0, "days_off": 0, "worked_weekend": 0})
        working = calendar.is_working_day(day)
        month["working_days"] += working
        note = calendar.note(day)
        if note is not None:
            weekday = day.weekday() < 5
            month["days_off"] += weekday and not working
            month["worked_weekend"] += (not weekday) and working
            if note.document is not None:
                documents.setdefault(note.document.key, note.document)
            special.append(
                {
                    "date": day.isoformat(),
                    "weekday": day.isoweekday(),
                    "working": working,
                    "kind": note.kind.value,
                    "name": note.name(lang),
                    "document": note.document.key if note.document else None,
                }
            )
        day += timedelta(days=1)
    return {
        "year": year,
        "status": "provisional" if schedule.is_provisional_year(year) else "official",
        "office_hours": str(calendar.office_hours),
        "working_days": sum(m["working_days"] for m in months.values()),
        "months": months,
        "special_days": special,
        "documents": {
            key: {
                "number": d.number,
                "date": d.date.isoformat(),
                "issuer": d.issuer,
                "source": d.source,
                "status": d.status,
            }
            for key, d in sorted(documents.items(), key=lambda kv: (kv[1].date, kv[0]))
        },
    }


def render(found: dict[str, Any], lang: str) -> str:
    """The calendar as text."""
    t = _TEXT["en" if lang == "en" else "vi"]
    weekdays = _WEEKDAYS["en" if lang == "en" else "vi"]
    docs = found["documents"]
    lines = [
        t["title"].format(year=found["year"], status=t[found["status"]]),
        t["hours"].format(hours=found["office_hours"]),
        t["total"].format(n=found["working_days"]),
    ]
    by_month: dict[str, list[dict[str, Any]]] = {}
    for entry in found["special_days"]:
        by_month.setdefault(entry["date"][:7], []).append(entry)
    for key, month in found["months"].items():
        lines += ["", t["month"].format(m=int(key[5:]), n=month["working_days"])]
        for entry in by_month.get(key, []):
            day = date.fromisoformat(entry["date"])
            status = t["work"] if entry["working"] else t["off"]
            doc = docs[entry["document"]]["number"] if entry["document"] else "—"
            lines.append(
                f"  {day:%d/%m} {weekdays[day.weekday()]:<3} {status:<8} {entry['name']}  [{doc}]"
            )
    lines += ["", t["documents"] + ":"]
    for doc in docs.values():
        when = date.fromisoformat(doc["date"])
        lines.append(f"  {doc['number']} — {doc['issuer']}, {when:%d/%m/%Y}")
        lines.append(f"    {doc['source']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    hours = DEFAULT_OFFICE_HOURS
    if args.office_hours is not None:
        try:
            hours = OfficeHours.parse(args.office_hours)
        except InvalidInputError as exc:
            raise InvalidInputError(f"--{exc}".replace("office_hours", "office-hours", 1)) from None
    found = year_calendar(VietnamCalendar(office_hours=hours), args.year, args.lang)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
    else:
        print(render(found, args.lang))
    return 0
