"""The legal clock: Vietnamese working-day calendar, time limits and due dates."""

from tthc_engine.worktime.calendar import VietnamCalendar, working_hours_of
from tthc_engine.worktime.deadline import Comparison, Deadline, Timeliness
from tthc_engine.worktime.hours import DEFAULT_OFFICE_HOURS, OfficeHours, Season
from tthc_engine.worktime.limits import LimitUnit, TimeLimit
from tthc_engine.worktime.schedule import DayKind, DayNote, Document
from tthc_engine.worktime.timezone import VN_TZ, ensure_aware, parse_instant

__all__ = [
    "DEFAULT_OFFICE_HOURS",
    "VN_TZ",
    "Comparison",
    "DayKind",
    "DayNote",
    "Deadline",
    "Document",
    "LimitUnit",
    "OfficeHours",
    "Season",
    "TimeLimit",
    "Timeliness",
    "VietnamCalendar",
    "ensure_aware",
    "parse_instant",
    "working_hours_of",
]
