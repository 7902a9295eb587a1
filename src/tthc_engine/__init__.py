"""tthc-engine: Vietnamese administrative-procedure dossiers (hồ sơ TTHC) as event streams.

The layers, bottom up: :mod:`tthc_engine.worktime` (the legal clock),
:mod:`tthc_engine.catalog` (procedures), :mod:`tthc_engine.domain` (the ``Dossier``
aggregate), :mod:`tthc_engine.application` (the ``OneStopShop`` application).
"""

from tthc_engine.application import (
    DeadlineWatcher,
    DossierConflictError,
    DossierNotFoundError,
    EncryptedStoreError,
    OneStopShop,
)
from tthc_engine.catalog import Catalog, PauseReason, Procedure, Step, SupplementPolicy
from tthc_engine.domain import (
    BusinessRuleError,
    Channel,
    Dossier,
    DossierCode,
    Rating,
    Regime,
    Rule,
    Status,
)
from tthc_engine.errors import (
    CalendarDataError,
    CalendarRangeError,
    CatalogError,
    CatalogValidationError,
    InvalidInputError,
    NaiveDatetimeError,
    ProcedureNotInForceError,
    TimeLimitParseError,
    TthcError,
    UnknownProcedureError,
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
    "BusinessRuleError",
    "CalendarDataError",
    "CalendarRangeError",
    "Catalog",
    "CatalogError",
    "CatalogValidationError",
    "Channel",
    "Deadline",
    "DeadlineWatcher",
    "Dossier",
    "DossierCode",
    "DossierConflictError",
    "DossierNotFoundError",
    "EncryptedStoreError",
    "InvalidInputError",
    "LimitUnit",
    "NaiveDatetimeError",
    "OfficeHours",
    "OneStopShop",
    "PauseReason",
    "Procedure",
    "ProcedureNotInForceError",
    "Rating",
    "Regime",
    "Rule",
    "Season",
    "Status",
    "Step",
    "SupplementPolicy",
    "TimeLimit",
    "TimeLimitParseError",
    "Timeliness",
    "TthcError",
    "UnknownProcedureError",
    "VietnamCalendar",
    "__version__",
]
