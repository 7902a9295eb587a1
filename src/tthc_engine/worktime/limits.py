"""Legal time limits (thời hạn giải quyết) as published on procedure sheets.

Kinds of limits found in the national procedure database (Cơ sở dữ liệu quốc gia về
TTHC): ``N ngày làm việc`` (working days), ``N giờ làm việc`` (working hours),
``N ngày`` (calendar days, BLDS 2015 Điều 144–148), ``N tháng`` (months, BLDS 2015
Điều 148 corresponding-day rule) and ``trong ngày`` (same day), optionally with a
cut-off such as chứng thực's "nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo"
(Nghị định 23/2015/NĐ-CP Điều 7).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import time
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import attrs

from tthc_engine.errors import TimeLimitParseError, shown

__all__ = ["LimitUnit", "TimeLimit"]


class LimitUnit(enum.Enum):
    """The unit a time limit is counted in."""

    WORKING_DAYS = "working_days"
    """ngày làm việc: only civil-servant working days count."""
    WORKING_HOURS = "working_hours"
    """giờ làm việc: only office hours count."""
    CALENDAR_DAYS = "calendar_days"
    """ngày: every day counts; a last day off rolls forward (BLDS 2015 Điều 148)."""
    CALENDAR_MONTHS = "calendar_months"
    """tháng: ends on the corresponding day (BLDS 2015 Điều 148)."""
    SAME_DAY = "same_day"
    """trong ngày: by the office close of the (effective) receipt day."""


_HOURS_PER_WORKING_DAY = 8
"""1 ngày làm việc = 8 giờ làm việc (40-hour week of state agencies, QĐ 188/1999/QĐ-TTg)."""

_UNIT_WORDS_VI = {
    LimitUnit.WORKING_DAYS: "ngày làm việc",
    LimitUnit.WORKING_HOURS: "giờ làm việc",
    LimitUnit.CALENDAR_DAYS: "ngày",
    LimitUnit.CALENDAR_MONTHS: "tháng",
}
_UNIT_WORDS_EN = {
    LimitUnit.WORKING_DAYS: "working days",
    LimitUnit.WORKING_HOURS: "working hours",
    LimitUnit.CALENDAR_DAYS: "calendar days",
    LimitUnit.CALENDAR_MONTHS: "months",
}

_PREFIX = r"(?:(?:không quá|tối đa|trong thời hạn|trong vòng|trong|thời hạn)\s*:?\s*)?"
_NUMBER_UNIT = re.compile(
    r"^" + _PREFIX + r"(?P<n>\d+(?:[.,]\d+)?)\s*"
    r"(?P<unit>ngày làm việc|ngày làm|ngày|giờ làm việc|giờ|tiếng|tháng)(?=$|[\s,;.(])"
    r"(?P<rest>.*)$"
)
_SAME_DAY = re.compile(
    r"^(?:giải quyết\s+|trả kết quả\s+)?(?:ngay\s+)?trong\s+(?:ngày|buổi)(?:\s+làm\s+việc)?"
    r"(?P<rest>.*)$|^(?:giải quyết|trả kết quả|trả)?\s*ngay(?P<rest2>.*)$"
)
_CUTOFF = re.compile(
    r"(?:nhận|tiếp nhận|nộp)?[^.;]*?sau\s+(?P<h>\d{1,2})\s*(?:giờ|h|:)\s*(?P<m>\d{2})?"
)
# Qualifiers that may follow the amount without changing the count.
_BENIGN_REST = re.compile(
    r"^(?:[\s,;.:]*(?:kể từ|tính từ|từ ngày|từ khi|sau khi|đối với|\(|-|–).*)?[\s.]*$"
)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower()
    return re.sub(r"\s+", " ", text)


@attrs.frozen
class TimeLimit:
    """An amount of time in one unit, with an optional same-day cut-off."""

    amount: Decimal = attrs.field(converter=Decimal)
    unit: LimitUnit
    cutoff: time | None = None
    qualifier: str = attrs.field(default="", eq=False)
    """Trailing wording kept verbatim (e.g. "kể từ ngày nhận đủ hồ sơ hợp lệ")."""
    # Derived once so that the clock does no Decimal arithmetic per due date.
    _whole: int = attrs.field(init=False, default=0, eq=False, repr=False)
    _office_seconds: float = attrs.field(init=False, default=0.0, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.unit, LimitUnit):
            raise TimeLimitParseError(f"time limit: unit must be a LimitUnit, got {self.unit!r}")
        if not self.amount.is_finite():
            raise TimeLimitParseError(f"time limit: amount must be a number ({self.amount})")
        if self.amount < 0:
            raise TimeLimitParseError(f"time limit: amount must not be negative ({self.amount})")
        if self.unit in (LimitUnit.CALENDAR_DAYS, LimitUnit.CALENDAR_MONTHS) and (
            self.amount != self.amount.to_integral_value()
        ):
            raise TimeLimitParseError(
                f"time limit: {self.amount} {_UNIT_WORDS_VI[self.unit]} must be a whole number"
            )
        whole = int(self.amount)
        if self.unit is LimitUnit.WORKING_HOURS:
            seconds = float(self.amount * 3600)
        elif self.unit is LimitUnit.WORKING_DAYS:
            # 1 ngày làm việc = 8 giờ làm việc: a fraction of a day is office time
            seconds = float((self.amount - whole) * _HOURS_PER_WORKING_DAY * 3600)
        else:
            seconds = 0.0
        object.__setattr__(self, "_whole", whole)
        # an int when whole, so the clock stays in exact integer seconds
        object.__setattr__(
            self, "_office_seconds", int(seconds) if seconds.is_integer() else seconds
        )

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def working_days(cls, n: int | str | Decimal, cutoff: time | None = None) -> TimeLimit:
        return cls(Decimal(str(n)), LimitUnit.WORKING_DAYS, cutoff)

    @classmethod
    def working_hours(cls, n: int | str | Decimal) -> TimeLimit:
        return cls(Decimal(str(n)), LimitUnit.WORKING_HOURS)

    @classmethod
    def calendar_days(cls, n: int) -> TimeLimit:
        return cls(Decimal(n), LimitUnit.CALENDAR_DAYS)

    @classmethod
    def calendar_months(cls, n: int) -> TimeLimit:
        return cls(Decimal(n), LimitUnit.CALENDAR_MONTHS)

    @classmethod
    def same_day(cls, cutoff: time | None = None) -> TimeLimit:
        return cls(Decimal(0), LimitUnit.SAME_DAY, cutoff)

    @classmethod
    def parse(cls, text: str) -> TimeLimit:
        """Read the wording of a procedure sheet.

        Accepts e.g. ``"05 ngày làm việc"``, ``"5 ngày làm việc kể từ ngày nhận đủ hồ sơ
        hợp lệ"``, ``"08 giờ làm việc"``, ``"0,5 ngày làm việc"``, ``"10 ngày"``, ``"03
        tháng"``, ``"trong ngày"``, ``"ngay trong ngày"`` and ``"Trong ngày làm việc;
        trường hợp nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo"``.

        Raises:
            TimeLimitParseError: naming what could not be understood.

        Results are memoised (limits are immutable and procedure sheets repeat a few
        wordings), so replaying stored events does not re-run the parser.
        """
        if not isinstance(text, str):
            raise TimeLimitParseError(
                f"time limit: expected text such as '5 ngày làm việc', got {shown(text)}"
            )
        return _parse_memo(text)

    @classmethod
    def _parse(cls, text: str) -> TimeLimit:
        norm = _normalise(text)
        if not norm:
            raise TimeLimitParseError("time limit: empty text")
        m = _NUMBER_UNIT.match(norm)
        if m:
            return cls._from_number(text, m)
        s = _SAME_DAY.match(norm)
        if s:
            rest = (s.group("rest") or s.group("rest2") or "").strip(" ,;.")
            cutoff = cls._cutoff_in(rest, text) if rest else None
            if rest and cutoff is None and not _BENIGN_REST.match(rest):
                raise TimeLimitParseError(
                    f"time limit {shown(text)}: same-day limit understood, but not {shown(rest)}"
                )
            return cls(Decimal(0), LimitUnit.SAME_DAY, cutoff, qualifier=rest)
        number = re.search(r"\d+(?:[.,]\d+)?\s*(\S+)", norm)
        if number:
            raise TimeLimitParseError(
                f"time limit {shown(text)}: unknown unit {shown(number.group(1))}; expected one of "
                "'ngày làm việc', 'giờ làm việc', 'ngày', 'tháng' or 'trong ngày'"
            )
        raise TimeLimitParseError(
            f"time limit {shown(text)}: no amount found; expected e.g. '5 ngày làm việc', "
            "'8 giờ làm việc', '10 ngày' or 'trong ngày'"
        )

    @classmethod
    def _from_number(cls, text: str, m: re.Match[str]) -> TimeLimit:
        raw_n, word, rest = m.group("n"), m.group("unit"), m.group("rest").strip()
        try:
            amount = Decimal(raw_n.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits digits only
            raise TimeLimitParseError(f"time limit {shown(text)}: bad number {raw_n!r}") from exc
        if word in ("ngày làm việc", "ngày làm"):
            unit = LimitUnit.WORKING_DAYS
        elif word in ("giờ làm việc", "giờ", "tiếng"):
            unit = LimitUnit.WORKING_HOURS
        elif word == "tháng":
            unit = LimitUnit.CALENDAR_MONTHS
        else:
            unit = LimitUnit.CALENDAR_DAYS
        cutoff = cls._cutoff_in(rest, text) if "sau" in rest else None
        if cutoff is None and rest and not _BENIGN_REST.match(rest):
            raise TimeLimitParseError(
                f"time limit {shown(text)}: understood {raw_n} {word}, but not {shown(rest)}"
            )
        return cls(amount, unit, cutoff, qualifier=rest.strip(" ,;."))

    @staticmethod
    def _cutoff_in(rest: str, text: str) -> time | None:
        m = _CUTOFF.search(rest)
        if not m:
            return None
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise TimeLimitParseError(
                f"time limit {shown(text)}: cut-off {hour}:{minute:02d} is no time"
            )
        return time(hour, minute)

    # -- presentation -------------------------------------------------------------------
    @property
    def whole_days(self) -> int:
        """The whole part of the amount."""
        return self._whole

    def _amount_text(self, lang: str) -> str:
        text = format(self.amount.normalize(), "f")
        return text.replace(".", ",") if lang == "vi" else text

    def describe(self, lang: str = "vi") -> str:
        """Human wording: Vietnamese (default) or English."""
        if self.unit is LimitUnit.SAME_DAY:
            if lang == "en":
                base = "same working day"
                if self.cutoff:
                    base += f" (received after {self.cutoff:%H:%M}: next working day)"
                return base
            base = "Trong ngày"
            if self.cutoff:
                base += (
                    f"; trường hợp nhận sau {self.cutoff:%H:%M} "
                    "thì trả trong ngày làm việc tiếp theo"
                )
            return base
        words = (_UNIT_WORDS_EN if lang == "en" else _UNIT_WORDS_VI)[self.unit]
        base = f"{self._amount_text(lang)} {words}"
        if self.cutoff:
            base += (
                f" (received after {self.cutoff:%H:%M}: counted from the next working day)"
                if lang == "en"
                else f" (nhận sau {self.cutoff:%H:%M} thì tính từ ngày làm việc tiếp theo)"
            )
        return base

    def __str__(self) -> str:
        return _wording(self)


@lru_cache(maxsize=4096)
def _wording(limit: TimeLimit) -> str:
    """The Vietnamese wording of a limit (memoised: stored events write it for every step)."""
    return limit.describe("vi")


@lru_cache(maxsize=4096)
def _parse_memo(text: str) -> TimeLimit:
    return TimeLimit._parse(text)
