"""Value types of the dossier domain: national status codes, channels, outcomes, codes."""

from __future__ import annotations

import enum
import re
from datetime import date
from functools import lru_cache
from typing import TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

import attrs

from tthc_engine.catalog import AGENCY_CODE
from tthc_engine.errors import InvalidInputError, shown

__all__ = [
    "Channel",
    "DossierCode",
    "Rating",
    "Status",
    "dossier_id",
]

TTHC_NAMESPACE = uuid5(NAMESPACE_URL, "https://tthc-engine/dossier")
"""Namespace of the deterministic dossier ids (uuid5 of the dossier code)."""

_DOSSIER_CODE = re.compile(
    r"^(?P<agency>" + AGENCY_CODE.pattern.strip("^$") + r")-(?P<day>[0-9]{6})-(?P<seq>[0-9]{4})$"
)


class Status(enum.IntEnum):
    """National dossier status codes (TrangThaiHoSo) used to synchronise with the
    National Public Service Portal (Cổng Dịch vụ công quốc gia)."""

    SUBMITTED = 1
    """Mới đăng ký: submitted online, not yet received."""
    RECEIVED = 2
    """Được tiếp nhận: received; the clock runs."""
    REFUSED = 3
    """Không được tiếp nhận: refused at receipt (Mẫu 03)."""
    PROCESSING = 4
    """Đang xử lý."""
    SUPPLEMENT_REQUESTED = 5
    """Yêu cầu bổ sung giấy tờ (Mẫu 02)."""
    FINANCIAL_OBLIGATION = 6
    """Yêu cầu thực hiện nghĩa vụ tài chính (the clock is paused)."""
    WITHDRAWN = 7
    """Công dân yêu cầu rút hồ sơ."""
    STOPPED = 8
    """Dừng xử lý (TT 03/2025 Mẫu 05 "Thông báo dừng giải quyết hồ sơ")."""
    RESOLVED = 9
    """Đã xử lý xong: the result is ready."""
    RETURNED = 10
    """Đã trả kết quả: the result was handed over."""

    @property
    def label_vi(self) -> str:
        return _STATUS_VI[self]

    @property
    def is_terminal(self) -> bool:
        """Refused, withdrawn, stopped or returned: nothing but feedback may follow."""
        return self in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


_STATUS_VI = {
    Status.SUBMITTED: "Mới đăng ký",
    Status.RECEIVED: "Được tiếp nhận",
    Status.REFUSED: "Không được tiếp nhận",
    Status.PROCESSING: "Đang xử lý",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    Status.FINANCIAL_OBLIGATION: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.RESOLVED: "Đã xử lý xong",
    Status.RETURNED: "Đã trả kết quả",
}


class Channel(enum.Enum):
    """How a dossier was submitted or a result returned (KenhThucHien 1/2/3)."""

    COUNTER = "counter"
    """1 — Trực tiếp tại Bộ phận Một cửa."""
    ONLINE = "online"
    """2 — Trực tuyến (Cổng Dịch vụ công)."""
    POSTAL = "postal"
    """3 — Qua dịch vụ bưu chính công ích."""

    @property
    def national_code(self) -> int:
        return {"counter": 1, "online": 2, "postal": 3}[self.value]

    @classmethod
    def parse(cls, value: object, field: str = "channel") -> Channel:
        """``value`` as a channel, or an :class:`InvalidInputError` naming ``field``."""
        return _parse_enum(cls, value, field)


class Rating(enum.Enum):
    """A citizen's rating of the handling (đánh giá mức độ hài lòng)."""

    VERY_SATISFIED = "very_satisfied"
    """Rất hài lòng."""
    SATISFIED = "satisfied"
    """Hài lòng."""
    DISSATISFIED = "dissatisfied"
    """Không hài lòng (counts against QĐ 766 chỉ số 5.4)."""

    @classmethod
    def parse(cls, value: object, field: str = "rating") -> Rating:
        """``value`` as a rating, or an :class:`InvalidInputError` naming ``field``."""
        return _parse_enum(cls, value, field)


_E = TypeVar("_E", bound=enum.Enum)


def _parse_enum(kind: type[_E], value: object, field: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise InvalidInputError(f"{field}: {shown(value)} is not one of {choices}") from None


@attrs.frozen
class DossierCode:
    """Mã hồ sơ: ``<agency code>-<yyMMdd>-<4-digit daily sequence>`` (TT 01/2018, TT 03/2025).

    Example: ``000.00.00.H41-250123-0001`` (Nghệ An is H41).
    """

    agency: str
    day: date
    sequence: int

    def __attrs_post_init__(self) -> None:
        if not AGENCY_CODE.match(self.agency):
            raise InvalidInputError(
                f"dossier code: agency {shown(self.agency)} is not an agency code "
                "like 000.00.00.H41"
            )
        if not 1 <= self.sequence <= 9999:
            raise InvalidInputError(
                f"dossier code: sequence {self.sequence} must be 1..9999 (4 digits a day)"
            )

    @classmethod
    def parse(cls, text: str) -> DossierCode:
        """Read a dossier code (memoised: every command on a dossier parses its code)."""
        if not isinstance(text, str):
            raise InvalidInputError(f"dossier code: expected text, got {shown(text)}")
        return _parse_code(text)

    @classmethod
    def _parse(cls, text: str) -> DossierCode:
        m = _DOSSIER_CODE.match(text.strip())
        if not m:
            raise InvalidInputError(
                f"dossier code {shown(text)}: expected <agency code>-<yyMMdd>-<seq4>, "
                "e.g. 000.00.00.H41-250123-0001"
            )
        raw = m.group("day")
        try:
            day = date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:]))
        except ValueError as exc:
            raise InvalidInputError(
                f"dossier code {shown(text)}: {raw} is not a date yyMMdd"
            ) from exc
        return cls(m.group("agency"), day, int(m.group("seq")))

    def __str__(self) -> str:
        return f"{self.agency}-{self.day:%y%m%d}-{self.sequence:04d}"

    @property
    def id(self) -> UUID:
        return dossier_id(str(self))


@lru_cache(maxsize=65536)
def _parse_code(text: str) -> DossierCode:
    return DossierCode._parse(text)


@lru_cache(maxsize=65536)
def dossier_id(code: str) -> UUID:
    """The aggregate id of a dossier: uuid5 of its code, so every writer derives the same id."""
    return uuid5(TTHC_NAMESPACE, str(code))
