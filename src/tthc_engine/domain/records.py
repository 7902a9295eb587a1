"""Mutable records inside a dossier's state: steps, pauses, apologies, feedback, payments."""

from __future__ import annotations

import enum
from datetime import datetime
from functools import lru_cache

import attrs

from tthc_engine.domain.values import Rating
from tthc_engine.worktime import TimeLimit, Timeliness

__all__ = [
    "ApologyRecord",
    "FeedbackRecord",
    "PauseKind",
    "PauseRecord",
    "PaymentRecord",
    "PlannedStep",
    "StepRecord",
]


class PauseKind(enum.Enum):
    SUPPLEMENT = "supplement"
    """Waiting for the applicant's supplement (status 5)."""
    PAUSE = "pause"
    """A procedure pause such as a financial obligation (status 6) or public posting."""


@attrs.frozen
class PlannedStep:
    """A step of the internal process (quy trình nội bộ) as fixed at receipt."""

    key: str
    name: str
    agency: str
    allotted: TimeLimit

    def as_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "name": self.name,
            "agency": self.agency,
            "allotted": str(self.allotted),
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> PlannedStep:
        """The step of a stored process (memoised: dossiers of a procedure share it)."""
        return _planned(data["key"], data["name"], data["agency"], data["allotted"])


@lru_cache(maxsize=4096)
def _planned(key: str, name: str, agency: str, allotted: str) -> PlannedStep:
    return PlannedStep(key, name, agency, TimeLimit.parse(allotted))


@attrs.define
class StepRecord:
    """One handoff of the process-control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ).

    ``due_at`` is the step's due as the slip prints it (moved by clock-stopping pauses);
    the step's allowance is the working time from ``counted_from`` (its start, or the
    receipt of a supplement under the restart policy) to ``allotted_until`` (the due its
    share gave at that moment), see :mod:`tthc_engine.domain.judgements`.
    """

    key: str
    name: str
    agency: str
    allotted: TimeLimit
    started_at: datetime
    due_at: datetime
    finished_at: datetime | None = None
    timeliness: Timeliness | None = None
    counted_from: datetime = attrs.field()
    allotted_until: datetime = attrs.field()

    @counted_from.default
    def _counted_from(self) -> datetime:
        return self.started_at

    @allotted_until.default
    def _allotted_until(self) -> datetime:
        return self.due_at

    @property
    def in_progress(self) -> bool:
        return self.finished_at is None


@attrs.define
class PauseRecord:
    """An interval in which the dossier waited (supplement or procedure pause).

    ``agency`` asked for it; ``cut_by_end`` is true when the dossier ended (resolved,
    withdrawn, stopped) while it still ran, so its clock never restarted.
    """

    kind: PauseKind
    reason: str
    started_at: datetime
    stops_clock: bool
    ended_at: datetime | None = None
    agency: str = ""
    cut_by_end: bool = False

    @property
    def running(self) -> bool:
        return self.ended_at is None


@attrs.define
class ApologyRecord:
    """Mẫu 04: apology and new appointment (ND 61/2018 Điều 19 khoản 3)."""

    at: datetime
    agency: str
    previous_due: datetime
    new_due: datetime
    reason: str


@attrs.define
class FeedbackRecord:
    at: datetime
    rating: Rating
    comment: str
    complaint: bool


@attrs.define
class PaymentRecord:
    at: datetime
    amount: int
    online: bool
