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

__all__ = ["DayKind", "DayNote", "Document", "Schedule", "load_schedule"]


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

    def is_provisional_year(self, year: int) -> bool:
        return self.year_status.get(year) != "official"


def _statute(year: int) -> Document:
    key = "lc2012" if year <= 2020 else "lc2019"
    return _shipped_documents()[key]


@cache
def _shipped_raw() -> dict[str, Any]:
    text = (
        resources.files("tthc_engine.worktime")
        .joinpath("data/vn_schedule.toml")
        .read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


@cache
def _shipped_documents() -> dict[str, Document]:
    raw = _shipped_raw()
    docs: dict[str, Document] = {}
    for key, entry in raw.get("documents", {}).items():
        try:
            docs[key] = Document(
                key=key,
                number=entry["number"],
                date=entry["date"],
                issuer=entry["issuer"],
                source=entry["source"],
                status=entry["status"],
            )
        except KeyError as exc:
            raise CalendarDataError(
                f"vn_schedule.toml: documents.{key}: missing field {exc.args[0]!r}"
            ) from exc
        if docs[key].status not in {"official", "provisional"}:
            raise CalendarDataError(
                f"vn_schedule.toml: documents.{key}.status must be official or provisional"
            )
    return docs


@cache
def load_schedule() -> Schedule:
    """Load the shipped schedule (cached: it is immutable)."""
    raw = _shipped_raw()
    docs = _shipped_documents()
    first, last = int(raw["first_year"]), int(raw["last_year"])
    statuses: dict[int, str] = {}
    days_off: dict[date, DayNote] = {}
    worked: dict[date, DayNote] = {}

    vi = holidays.country_holidays("VN", years=range(first, last + 1), language="vi")
    en = holidays.country_holidays("VN", years=range(first, last + 1), language="en_US")
    for day in sorted(vi):
        if day.weekday() < 5:
            days_off[day] = DayNote(
                day, DayKind.HOLIDAY, vi[day], en.get(day, vi[day]), _statute(day.year)
            )

    for entry in raw.get("year", []):
        year = int(entry["year"])
        status = entry.get("status")
        if status not in {"official", "provisional"}:
            raise CalendarDataError(f"vn_schedule.toml: year {year}: bad status {status!r}")
        statuses[year] = status
        for section, kind in (
            ("day_off", DayKind.DECREED_DAY_OFF),
            ("worked_day", DayKind.WORKED_DAY),
            ("not_day_off", None),
        ):
            for item in entry.get(section, []):
                day = item.get("date")
                where = f"vn_schedule.toml: year {year}: {section} {day}"
                if not isinstance(day, date) or day.year != year:
                    raise CalendarDataError(f"{where}: date must be a date in {year}")
                doc_key = item.get("document")
                if doc_key not in docs:
                    raise CalendarDataError(f"{where}: unknown document {doc_key!r}")
                if kind is None:
                    if day not in days_off:
                        raise CalendarDataError(f"{where}: `holidays` does not list this date")
                    del days_off[day]
                    continue
                note = DayNote(day, kind, item["name_vi"], item["name_en"], docs[doc_key])
                if kind is DayKind.WORKED_DAY:
                    if day.weekday() < 5:
                        raise CalendarDataError(f"{where}: a worked day must be a weekend day")
                    worked[day] = note
                else:
                    if day.weekday() >= 5:
                        raise CalendarDataError(f"{where}: a decreed day off must be a weekday")
                    days_off[day] = note
    missing = [y for y in range(first, last + 1) if y not in statuses]
    if missing:
        raise CalendarDataError(f"vn_schedule.toml: no entry for years {missing}")
    return Schedule(first, last, statuses, days_off, worked, docs)
