"""The official civil-servant schedule: statute (via ``holidays``) plus yearly decisions.

Statutory holidays — Bộ luật Lao động 2012 Điều 115 (until 2020) and Bộ luật Lao động
2019 Điều 112 (from 2021), including compensatory days (nghỉ bù, Điều 112 khoản 3) —
come from the ``holidays`` package. Each year the Prime Minister fixes the Tết and
National Day days and may swap a weekday off with a Saturday that is then worked
(làm bù). Those decisions ship as data (``data/vn_schedule.toml``) with their document,
date, issuer, source address and status; where the decision and ``holidays`` differ,
the decision wins.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import attrs
import holidays

from tthc_engine.errors import CalendarDataError

__all__ = ["DayKind", "DayNote", "Document", "Schedule", "load_schedule", "parse_schedule"]


class DayKind(enum.Enum):
    """Why a date is (or is not) a working day."""

    WEEKEND = "weekend"
    """Saturday or Sunday (weekly rest days of civil servants)."""
    HOLIDAY = "holiday"
    """A statutory holiday or its compensatory day (BLLĐ 2019 Điều 112)."""
    DECREED_DAY_OFF = "decreed_day_off"
    """A weekday off by the year's decision (swap, extra Tết day)."""
    WORKED_DAY = "worked_day"
    """A Saturday/Sunday worked by the year's decision (làm bù)."""
    TENANT_DAY_OFF = "tenant_day_off"
    """A day off added by the province/tenant configuration."""
    TENANT_WORKED_DAY = "tenant_worked_day"
    """A worked day added by the province/tenant configuration."""


@attrs.frozen
class Document:
    """A legal text or official decision a calendar entry rests on."""

    key: str
    number: str
    date: date
    issuer: str
    source: str
    status: str  # "official" | "provisional"

    @property
    def official(self) -> bool:
        return self.status == "official"


@attrs.frozen
class DayNote:
    """What the calendar knows about one special date, in both languages."""

    day: date
    kind: DayKind
    name_vi: str
    name_en: str
    document: Document | None = None

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi


@attrs.frozen
class Schedule:
    """The special dates of the data range, keyed by date."""

    first_year: int
    last_year: int
    year_status: Mapping[int, str]
    days_off: Mapping[date, DayNote]
    worked_days: Mapping[date, DayNote]
    documents: Mapping[str, Document]
    year_documents: Mapping[int, tuple[Document, ...]] = attrs.field(factory=dict)
    """The documents that fixed each year's schedule (the year's ``documents`` list)."""

    def is_provisional_year(self, year: int) -> bool:
        return self.year_status.get(year) != "official"


_SHIPPED = "vn_schedule.toml"
_STATUSES = frozenset({"official", "provisional"})


def _parse_documents(raw: Mapping[str, Any], source: str) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for key, entry in raw.get("documents", {}).items():
        try:
            doc = Document(
                key=key,
                number=entry["number"],
                date=entry["date"],
                issuer=entry["issuer"],
                source=entry["source"],
                status=entry["status"],
            )
        except KeyError as exc:
            raise CalendarDataError(
                f"{source}: documents.{key}: missing field {exc.args[0]!r}"
            ) from exc
        if doc.status not in _STATUSES:
            raise CalendarDataError(
                f"{source}: documents.{key}.status must be official or provisional"
            )
        docs[key] = doc
    for key in ("lc2012", "lc2019"):
        if key not in docs:
            raise CalendarDataError(f"{source}: documents.{key} (the statute) is missing")
    return docs


def _document(docs: Mapping[str, Document], key: object, where: str) -> Document:
    if not isinstance(key, str) or key not in docs:
        raise CalendarDataError(f"{where}: unknown document {key!r}")
    return docs[key]


def parse_schedule(text: str, *, source: str = _SHIPPED) -> Schedule:
    """Parse and validate schedule data in the ``vn_schedule.toml`` format.

    Statutory holidays come from ``holidays``; each ``[[year]]`` adds its decision:
    ``day_off`` (a weekday off), ``worked_day`` (a weekend day worked), ``not_day_off``
    (a ``holidays`` date that is not a day off), ``holiday`` (a ``holidays`` date whose
    day off rests on the named document, e.g. the Tết days a notice fixed) and
    ``documents`` (the keys of the documents that fixed the year).

    Raises:
        CalendarDataError: malformed TOML, a missing year, an unknown document, a date
            outside its year, a worked day on a weekday, a day off on a weekend, a date
            given twice in a year, or a ``not_day_off``/``holiday`` date that
            ``holidays`` does not list.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarDataError(f"{source}: not valid TOML: {exc}") from exc
    docs = _parse_documents(raw, source)
    try:
        first, last = int(raw["first_year"]), int(raw["last_year"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CalendarDataError(f"{source}: first_year and last_year are required") from exc
    statuses: dict[int, str] = {}
    year_docs: dict[int, tuple[Document, ...]] = {}
    days_off: dict[date, DayNote] = {}
    worked: dict[date, DayNote] = {}

    vi = holidays.country_holidays("VN", years=range(first, last + 1), language="vi")
    en = holidays.country_holidays("VN", years=range(first, last + 1), language="en_US")
    for day in sorted(vi):
        if day.weekday() < 5:
            statute = docs["lc2012"] if day.year <= 2020 else docs["lc2019"]
            days_off[day] = DayNote(day, DayKind.HOLIDAY, vi[day], en.get(day, vi[day]), statute)

    for entry in raw.get("year", []):
        year = int(entry["year"])
        if not first <= year <= last:
            raise CalendarDataError(f"{source}: year {year} is outside {first}..{last}")
        if year in statuses:
            raise CalendarDataError(f"{source}: year {year} is given twice")
        status = entry.get("status")
        if status not in _STATUSES:
            raise CalendarDataError(f"{source}: year {year}: bad status {status!r}")
        statuses[year] = status
        year_docs[year] = tuple(
            _document(docs, key, f"{source}: year {year}: documents")
            for key in entry.get("documents", [])
        )
        seen: set[date] = set()
        for section in ("not_day_off", "holiday", "day_off", "worked_day"):
            for item in entry.get(section, []):
                days = item.get("dates", [item.get("date")])
                doc = _document(docs, item.get("document"), f"{source}: year {year}: {section}")
                for day in days:
                    where = f"{source}: year {year}: {section} {day}"
                    if not isinstance(day, date) or day.year != year:
                        raise CalendarDataError(f"{where}: date must be a date in {year}")
                    if day in seen:
                        raise CalendarDataError(f"{where}: date given twice in {year}")
                    seen.add(day)
                    if section in ("not_day_off", "holiday"):
                        listed = days_off.get(day)
                        if listed is None or listed.kind is not DayKind.HOLIDAY:
                            raise CalendarDataError(
                                f"{where}: `holidays` does not list this weekday"
                            )
                        if section == "not_day_off":
                            del days_off[day]
                        else:
                            days_off[day] = DayNote(
                                day,
                                DayKind.HOLIDAY,
                                item.get("name_vi", listed.name_vi),
                                item.get("name_en", listed.name_en),
                                doc,
                            )
                        continue
                    note = DayNote(
                        day,
                        DayKind.WORKED_DAY if section == "worked_day" else DayKind.DECREED_DAY_OFF,
                        item["name_vi"],
                        item["name_en"],
                        doc,
                    )
                    if section == "worked_day":
                        if day.weekday() < 5:
                            raise CalendarDataError(f"{where}: a worked day must be a weekend day")
                        worked[day] = note
                    else:
                        if day.weekday() >= 5:
                            raise CalendarDataError(f"{where}: a decreed day off must be a weekday")
                        days_off[day] = note
    missing = [y for y in range(first, last + 1) if y not in statuses]
    if missing:
        raise CalendarDataError(f"{source}: no entry for years {missing}")
    return Schedule(first, last, statuses, days_off, worked, docs, year_docs)


@cache
def load_schedule() -> Schedule:
    """Load the shipped schedule (cached: it is immutable)."""
    text = (
        resources.files("tthc_engine.worktime")
        .joinpath(f"data/{_SHIPPED}")
        .read_text(encoding="utf-8")
    )
    return parse_schedule(text)
