"""Read models: the indicators of a period, from facts or from the store.

:class:`ReportFold` computes a period's tally in one streaming pass over facts;
:class:`Report` turns a tally into the JSON report of DESIGN.md §7 (the office's table and
the QĐ 766 figures, overall and by agency, procedure, field, level and month). Tallies of
the same period add up (:meth:`PeriodTally.merge`), so any partition of the dossiers gives
the same report. :class:`StoreProjection` keeps the same tallies month by month in SQLite
or PostgreSQL tables, following the store's notification log exactly once.
"""

from tthc_engine.projections.period import Period, Segment
from tthc_engine.projections.report import Report, figures
from tthc_engine.projections.scorecard import INDICATORS, TARGETS, Indicator, points
from tthc_engine.projections.store import (
    ProjectionFactError,
    ProjectionSettingsError,
    StoreProjection,
)
from tthc_engine.projections.stream import FactError, ReportFold
from tthc_engine.projections.tally import PeriodTally, SegmentTally, combine

__all__ = [
    "INDICATORS",
    "TARGETS",
    "FactError",
    "Indicator",
    "Period",
    "PeriodTally",
    "ProjectionFactError",
    "ProjectionSettingsError",
    "Report",
    "ReportFold",
    "Segment",
    "SegmentTally",
    "StoreProjection",
    "combine",
    "figures",
    "points",
]
