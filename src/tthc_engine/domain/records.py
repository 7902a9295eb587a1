"""Mutable records inside a dossier's state: steps, pauses, apologies, feedback, payments."""

from __future__ import annotations

import enum
from datetime import datetime

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
        return cls(data["key"], data["name"], data["agency"], TimeLimit.parse(data["allotted"]))


@attrs.define
class StepRecord:
    """One handoff of the process-control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ)."""

    key: str
    name: str
    agency: str
    allotted: TimeLimit
    started_at: datetime
    due_at: datetime
    finished_at: datetime | None = None
    timeliness: Timeliness | None = None

    @property
    def in_progress(self) -> bool:
        return self.finished_at is None


@attrs.define
class PauseRecord:
    """An interval in which the dossier waited (supplement or procedure pause)."""

    kind: PauseKind
    reason: str
    started_at: datetime
    stops_clock: bool
    ended_at: datetime | None = None

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
