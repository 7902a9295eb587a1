"""tthc-engine: Vietnamese administrative-procedure dossiers as event streams.

The layers, bottom up: :mod:`tthc_engine.worktime` (the legal clock),
:mod:`tthc_engine.catalog` (procedures), :mod:`tthc_engine.domain` (the Dossier
aggregate), :mod:`tthc_engine.application` (the OneStopShop application).
"""

from tthc_engine.errors import (
    CalendarDataError,
    CalendarRangeError,
    InvalidInputError,
    NaiveDatetimeError,
    TimeLimitParseError,
    TthcError,
)
from tthc_engine.worktime import (
    VN_TZ,
    Deadline,
    LimitUnit,
    OfficeHours,
    Season,
    TimeLimit,
    Timeliness,
    VietnamCalendar,
)

__version__ = "0.1.0"

__all__ = [
    "VN_TZ",
    "CalendarDataError",
    "CalendarRangeError",
    "Deadline",
    "InvalidInputError",
    "LimitUnit",
    "NaiveDatetimeError",
    "OfficeHours",
    "Season",
    "TimeLimit",
    "TimeLimitParseError",
    "Timeliness",
    "TthcError",
    "VietnamCalendar",
    "__version__",
]
