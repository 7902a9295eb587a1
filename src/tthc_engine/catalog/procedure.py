"""A procedure (thủ tục hành chính, TTHC) as the one-stop shop runs it.

What a dossier needs to know about its procedure: the national code of the
Cơ sở dữ liệu quốc gia về TTHC, the level that handles it, the legal time limit
(thời hạn giải quyết) as published, the internal process (quy trình nội bộ /
quy trình liên thông) that splits that limit between agencies, how a request for
supplements affects the clock, which waiting periods do not count, the fee and
the online service level.

Values only: no I/O, no wall clock. Loading lives in :mod:`tthc_engine.catalog.loader`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal

import attrs

from tthc_engine.worktime import LimitUnit, TimeLimit

__all__ = [
    "AGENCY_CODE",
    "DISTRICT_LEVEL_ABOLISHED",
    "HOURS_PER_WORKING_DAY",
    "PROCEDURE_CODE",
    "Fee",
    "Level",
    "OnlineLevel",
    "PauseReason",
    "Procedure",
    "Step",
    "SupplementPolicy",
    "working_hours_of_limit",
]

AGENCY_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$")
"""Agency identifier (mã định danh điện tử, QĐ 20/2020/QĐ-TTg), e.g. ``000.00.00.H41``.

ASCII digits only: a ``\\d`` class would also accept full-width or Arabic-Indic digits, and a code
such as ``000.00.1０.H41`` would then name a second agency that prints like the first."""

PROCEDURE_CODE = re.compile(r"^[0-9]\.[0-9]{6}$")
"""National procedure code (mã thủ tục trên CSDL quốc gia về TTHC), e.g. ``1.001193``."""

HOURS_PER_WORKING_DAY = Decimal(8)
"""1 ngày làm việc = 8 giờ làm việc (QĐ 188/1999/QĐ-TTg: 40-hour week, Monday to Friday)."""

DISTRICT_LEVEL_ABOLISHED = date(2025, 7, 1)
"""First day without district level (cấp huyện): local government in two tiers.

Luật Tổ chức chính quyền địa phương 2025 (16/6/2025) and NĐ 118/2025/NĐ-CP: from
01/07/2025 procedures are handled at province or commune level only.
"""


class Level(enum.Enum):
    """The administrative level that handles the procedure (cấp thực hiện)."""

    PROVINCE = "province"
    """Cấp tỉnh: departments (sở), the provincial centre, the Provincial People's Committee."""
    DISTRICT = "district"
    """Cấp huyện: only for procedures in force before 01/07/2025."""
    COMMUNE = "commune"
    """Cấp xã: commune / ward People's Committee and its public-administration centre."""


class SupplementPolicy(enum.Enum):
    """What a request for supplements (yêu cầu bổ sung, hoàn thiện hồ sơ) does to the clock.

    ND 61/2018/NĐ-CP Điều 19 (as amended by ND 107/2021), now ND 118/2025/NĐ-CP:
    the handling agency may ask once, through the one-stop counter, for a dossier to
    be completed. QĐ 766/QĐ-TTg (indicator 2.1) subtracts the waiting interval and
    counts a dossier with more than one request as late.
    """

    PAUSE = "pause"
    """Tạm dừng: the waiting interval is not counted (QĐ 766 scoring; the default)."""
    RESTART = "restart"
    """Tính lại: the full limit runs again from receipt of the completed dossier
    ("kể từ ngày nhận đủ hồ sơ hợp lệ")."""


class OnlineLevel(enum.Enum):
    """Online service level (mức độ dịch vụ công trực tuyến), ND 42/2022/NĐ-CP Điều 11."""

    FULL = "full"
    """Trực tuyến toàn trình: filing, payment and result all online."""
    PARTIAL = "partial"
    """Trực tuyến một phần: some steps (presence, original papers) at the counter."""
    NONE = "none"
    """Only at the counter or by post."""


class PauseReason(enum.Enum):
    """Waiting periods a procedure sheet excludes from its limit ("không tính thời gian ...").

    Land procedures: Luật Đất đai 2024 and ND 101/2024/NĐ-CP (time limits for
    registration and certificates, now as amended by ND 151/2025/NĐ-CP) do not count
    the time to fulfil financial obligations, public posting, boundary signing, time
    at the commune, handling of land-law violations and expert assessment. National
    status code 6 "Yêu cầu thực hiện nghĩa vụ tài chính" models the first of them.
    """

    FINANCIAL_OBLIGATION = "financial_obligation"
    """Thực hiện nghĩa vụ tài chính (tax, land-use levy, registration fee)."""
    PUBLIC_POSTING = "public_posting"
    """Niêm yết công khai (e.g. 15 days at the commune for a first-time land certificate)."""
    BOUNDARY_SIGNING = "boundary_signing"
    """Ký giáp ranh: neighbours sign the parcel boundary."""
    CADASTRAL_SURVEY = "cadastral_survey"
    """Đo đạc, trích đo địa chính thửa đất."""
    EXPERT_ASSESSMENT = "expert_assessment"
    """Trưng cầu giám định, thẩm định chuyên môn by another body."""
    VIOLATION_HANDLING = "violation_handling"
    """Xem xét, xử lý vi phạm pháp luật đất đai."""
    CONSULTATION = "consultation"
    """Lấy ý kiến cơ quan, tổ chức có liên quan when the sheet excludes it."""


def working_hours_of_limit(limit: TimeLimit) -> Decimal | None:
    """A limit counted in working hours (1 ngày làm việc = 8 giờ làm việc), if it is one.

    Same-day limits count as one working day (8 hours). Calendar days and months
    are not working time and give ``None``.
    """
    if limit.unit is LimitUnit.WORKING_DAYS:
        return limit.amount * HOURS_PER_WORKING_DAY
    if limit.unit is LimitUnit.WORKING_HOURS:
        return limit.amount
    if limit.unit is LimitUnit.SAME_DAY:
        return HOURS_PER_WORKING_DAY
    return None


@attrs.frozen
class Fee:
    """Fees and charges (phí, lệ phí) of the procedure, in đồng."""

    amount: int | None = None
    """The usual amount in VND: 0 = free; ``None`` = not recorded (e.g. set by a
    resolution of the Provincial People's Council). Details and exemptions go in ``note``."""
    online_payment: bool = False
    """Payable online (thanh toán trực tuyến), QĐ 766 indicators 3.4 and 3.5."""
    note: str = ""

    @property
    def is_free(self) -> bool:
        """Known to be free (không thu phí, lệ phí)."""
        return self.amount == 0

    @property
    def is_known(self) -> bool:
        return self.amount is not None


@attrs.frozen
class Step:
    """One handoff of the internal process (một bước của quy trình nội bộ / liên thông).

    ``agency`` is what the catalog file says: a role such as ``receiving_unit``,
    ``department`` or ``ppc`` (mapped per province in the ``agencies:`` section) or an
    agency code itself (mã định danh, QĐ 20/2020/QĐ-TTg, e.g. ``000.00.00.H41``).
    ``agency_code`` is the resolved code, or ``None`` when the catalog maps no code.
    The process-control slip (phiếu kiểm soát quá trình, TT 01/2018 Mẫu 05, TT 03/2025
    Mẫu 06) compares each step's time used with ``allotted``.
    """

    key: str
    name: str
    agency: str
    allotted: TimeLimit
    agency_code: str | None = None

    @property
    def working_hours(self) -> Decimal | None:
        """The allotted share in working hours, ``None`` for calendar-time shares."""
        if self.allotted.amount == 0:
            return Decimal(0)
        if self.allotted.unit is LimitUnit.SAME_DAY:
            return None
        return working_hours_of_limit(self.allotted)


def _steps_tuple(steps: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(steps)


def _reasons_frozenset(reasons: Iterable[PauseReason]) -> frozenset[PauseReason]:
    return frozenset(reasons)


def _strings_tuple(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen
class Procedure:
    """A procedure of the catalog, keyed by its national code."""

    code: str
    name: str
    field: str
    """Lĩnh vực, e.g. "Hộ tịch", "Đất đai"."""
    level: Level
    limit: TimeLimit
    """Thời hạn giải quyết, parsed from the published wording."""
    steps: tuple[Step, ...] = attrs.field(default=(), converter=_steps_tuple)
    supplement_policy: SupplementPolicy = SupplementPolicy.PAUSE
    excluded_pauses: frozenset[PauseReason] = attrs.field(
        default=frozenset(), converter=_reasons_frozenset
    )
    fee: Fee = Fee()
    online_level: OnlineLevel = OnlineLevel.NONE
    paper_result: bool = True
    """The result is a paper document (QĐ 766 indicator 4.1 asks for an electronic copy)."""
    valid_from: date | None = None
    valid_to: date | None = None
    legal_basis: tuple[str, ...] = attrs.field(default=(), converter=_strings_tuple)
    source: str = ""
    """Where the code and limit were checked (kept for audits)."""

    @property
    def cutoff(self) -> time | None:
        """Same-day cut-off of the limit (e.g. 15:00 for chứng thực, ND 23/2015 Điều 7)."""
        return self.limit.cutoff

    @property
    def first_step(self) -> Step | None:
        return self.steps[0] if self.steps else None

    @property
    def last_step(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def step(self, key: str) -> Step:
        """The step with this key.

        Raises:
            KeyError: naming the key and the keys the procedure has.
        """
        for candidate in self.steps:
            if candidate.key == key:
                return candidate
        known = ", ".join(s.key for s in self.steps) or "none"
        raise KeyError(f"procedure {self.code} has no step {key!r} (steps: {known})")

    def next_step(self, key: str) -> Step | None:
        """The step after ``key``; ``None`` after the last one."""
        for index, candidate in enumerate(self.steps):
            if candidate.key == key:
                return self.steps[index + 1] if index + 1 < len(self.steps) else None
        self.step(key)  # raises KeyError naming the known keys
        return None  # pragma: no cover - unreachable

    def excludes(self, reason: PauseReason) -> bool:
        """Whether the procedure sheet excludes this waiting period from its limit."""
        return reason in self.excluded_pauses

    def applies_on(self, day: date) -> bool:
        """Whether the procedure is in force on ``day`` (validity given in the catalog)."""
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day > self.valid_to)

    @property
    def allotted_working_hours(self) -> Decimal | None:
        """Sum of the steps' shares in working hours; ``None`` if one is calendar time."""
        total = Decimal(0)
        for s in self.steps:
            hours = s.working_hours
            if hours is None:
                return None
            total += hours
        return total
