"""A computed due date (hẹn trả kết quả) and its explanation.

The explanation says, in Vietnamese by default or in English, which rule applied
(BLDS 2015 Điều 147–148, ND 23/2015 Điều 7…), from when the count started, which days
were skipped and why (weekend, holiday, the decision that fixed a day off), which
worked Saturdays counted, and whether the year's schedule is still provisional.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from tthc_engine.worktime.hours import clock_seconds
from tthc_engine.worktime.limits import LimitUnit, TimeLimit
from tthc_engine.worktime.schedule import DayKind

if TYPE_CHECKING:
    from tthc_engine.worktime.calendar import VietnamCalendar

__all__ = ["Comparison", "Deadline", "Timeliness"]


class Comparison(enum.Enum):
    """How a finish is compared with its due (DESIGN §3 rule 7)."""

    DATE = "date"
    """By calendar date, as QĐ 766/QĐ-TTg chỉ số 2.1 compares NgayKetThucXuLy with
    NgayHenTra: an earlier date is early, the same date on time, a later date late."""
    DATETIME = "datetime"
    """By instant: a documented option for offices that judge to the minute."""

    @classmethod
    def parse(cls, value: object, field: str = "by") -> Comparison:
        """``value`` (a ``Comparison`` or its value) or an error naming ``field``."""
        if isinstance(value, Comparison):
            return value
        for member in cls:
            if value == member.value:
                return member
        from tthc_engine.errors import InvalidInputError

        raise InvalidInputError(f"{field}: expected 'date' or 'datetime', got {value!r:.60}")


class Timeliness(enum.Enum):
    """Result of comparing a finish with its due (QĐ 766/QĐ-TTg chỉ số 2.1)."""

    EARLY = "early"
    """Trước hạn: finished on an earlier date than due."""
    ON_TIME = "on_time"
    """Đúng hạn: finished on the due date."""
    LATE = "late"
    """Quá hạn: finished after the due date."""

    def label(self, lang: str = "vi") -> str:
        if lang == "en":
            return {"early": "early", "on_time": "on time", "late": "late"}[self.value]
        return {"early": "trước hạn", "on_time": "đúng hạn", "late": "quá hạn"}[self.value]


_WEEKDAY_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _day(d: date, lang: str) -> str:
    names = _WEEKDAY_EN if lang == "en" else _WEEKDAY_VI
    return f"{names[d.weekday()]} {d:%d/%m/%Y}"


def _instant(t: datetime, lang: str) -> str:
    return f"{t:%H:%M} {_day(t.date(), lang)}"


class Deadline:
    """The due instant of a limit counted from a receipt, with the means to explain it."""

    __slots__ = ("calendar", "cutoff", "due_at", "effective_start", "limit", "received_at")

    def __init__(
        self,
        calendar: VietnamCalendar,
        received_at: datetime,
        limit: TimeLimit,
        cutoff: time | None,
        effective_start: datetime,
        due_at: datetime,
    ) -> None:
        self.calendar = calendar
        self.received_at = received_at
        self.limit = limit
        self.cutoff = cutoff
        self.effective_start = effective_start
        self.due_at = due_at

    def __repr__(self) -> str:
        return (
            f"Deadline(received_at={self.received_at.isoformat()}, limit='{self.limit}', "
            f"due_at={self.due_at.isoformat()})"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Deadline) and (
            (self.calendar, self.received_at, self.limit, self.cutoff, self.due_at)
            == (other.calendar, other.received_at, other.limit, other.cutoff, other.due_at)
        )

    def __hash__(self) -> int:
        return hash((self.received_at, self.limit, self.due_at))

    @property
    def calendar_version(self) -> str:
        return self.calendar.version

    @property
    def provisional(self) -> bool:
        """True when a day of the count lies in a year without an official schedule,
        or the count relies on a document still marked provisional."""
        cal = self.calendar
        start, end = self.effective_start.date(), self.due_at.date()
        if any(cal.is_provisional(date(y, 1, 1)) for y in range(start.year, end.year + 1)):
            return True
        return bool(self._provisional_documents())

    def _provisional_documents(self) -> list[str]:
        cal = self.calendar
        found: list[str] = []
        for d in cal.days_between(self.effective_start.date(), self.due_at.date()):
            note = cal.note(d)
            doc = note.document if note else None
            if doc and not doc.official and doc.number not in found:
                found.append(doc.number)
        return found

    def as_dict(self, lang: str = "vi") -> dict[str, Any]:
        """A JSON-ready view (used by ``tthc deadline --json``)."""
        return {
            "received_at": self.received_at.isoformat(),
            "limit": self.limit.describe(lang),
            "unit": self.limit.unit.value,
            "amount": format(self.limit.amount.normalize(), "f"),
            "cutoff": self.cutoff.strftime("%H:%M") if self.cutoff else None,
            "effective_start": self.effective_start.isoformat(),
            "due_at": self.due_at.isoformat(),
            "provisional": self.provisional,
            "calendar_version": self.calendar.version,
            "explanation": self.explanation(lang),
        }

    def explain(self, lang: str = "vi") -> str:
        """The explanation as text, one step per line."""
        return "\n".join(self.explanation(lang))

    def explanation(self, lang: str = "vi") -> list[str]:
        """The explanation as a list of sentences (``lang`` = ``"vi"`` or ``"en"``)."""
        en = lang == "en"
        cal, lim = self.calendar, self.limit
        lines = [
            (
                f"Received: {_instant(self.received_at, lang)}; limit: {lim.describe(lang)}."
                if en
                else f"Tiếp nhận: {_instant(self.received_at, lang)}; "
                f"thời hạn: {lim.describe(lang)}."
            )
        ]
        lines.extend(self._start_lines(en, lang))
        lines.append(self._rule_line(en))
        lines.extend(self._day_lines(en, lang))
        lines.append(
            f"Due: {_instant(self.due_at, lang)}."
            if en
            else f"Hẹn trả kết quả: {_instant(self.due_at, lang)}."
        )
        if self.provisional:
            years = sorted(
                {
                    y
                    for y in range(self.effective_start.year, self.due_at.year + 1)
                    if cal.is_provisional(date(y, 1, 1))
                }
            )
            docs = self._provisional_documents()
            if years:
                lines.append(
                    f"Provisional: the {', '.join(map(str, years))} schedule is not fully "
                    "decided yet; days not yet decided follow the statute (Labour Code 2019 "
                    "Art. 112)."
                    if en
                    else f"Tạm tính: năm {', '.join(map(str, years))} chưa có quyết định chính "
                    "thức về toàn bộ lịch nghỉ; những ngày chưa quyết định được tính theo Bộ "
                    "luật Lao động 2019 Điều 112."
                )
            if docs:
                lines.append(
                    f"Provisional: relies on {', '.join(docs)}, not yet confirmed as official."
                    if en
                    else f"Tạm tính: dựa trên {', '.join(docs)}, chưa xác nhận văn bản chính thức."
                )
        return lines

    def _start_lines(self, en: bool, lang: str) -> list[str]:
        if self.effective_start == self.received_at:
            return []
        at, start = self.received_at, self.effective_start
        sec = clock_seconds(at)
        if (
            self.cutoff
            and self.calendar.is_working_day(at.date())
            and (sec > self.cutoff.hour * 3600 + self.cutoff.minute * 60 + self.cutoff.second)
            and start.date() != at.date()
        ):
            why_en = f"received after the {self.cutoff:%H:%M} cut-off"
            why_vi = f"nhận sau {self.cutoff:%H:%M}"
        elif not self.calendar.is_working_day(at.date()):
            why_en, why_vi = "received on a day off", "nhận vào ngày nghỉ"
        else:
            why_en, why_vi = "received outside office hours", "nhận ngoài giờ làm việc"
        if en:
            return [f"{why_en.capitalize()}: counted from {_instant(start, lang)}."]
        return [f"{why_vi[0].upper()}{why_vi[1:]}: tính từ {_instant(start, lang)}."]

    def _rule_line(self, en: bool) -> str:
        unit = self.limit.unit
        if unit is LimitUnit.WORKING_DAYS:
            line = (
                "Working days: the receipt day is not counted (Civil Code 2015 Art. 147); "
                "due at the same clock time on the last working day counted"
                if en
                else "Ngày làm việc: không tính ngày tiếp nhận (BLDS 2015 Điều 147); hẹn trả "
                "cùng giờ của ngày làm việc cuối cùng được tính"
            )
            if self.limit.amount % 1:  # "0,5 ngày làm việc": the fraction is office time
                line += (
                    "; a fraction of a day counts as working hours (1 working day = 8 hours), "
                    "inside office hours only"
                    if en
                    else "; phần lẻ của ngày tính theo giờ làm việc (1 ngày làm việc = 8 giờ), "
                    "chỉ trong giờ hành chính"
                )
            return line + "."
        if unit is LimitUnit.WORKING_HOURS:
            return (
                "Working hours: only office hours count; a due on a close stays at the close."
                if en
                else "Giờ làm việc: chỉ tính thời gian trong giờ hành chính; hạn rơi đúng giờ "
                "đóng cửa thì giữ nguyên giờ đóng cửa."
            )
        if unit is LimitUnit.SAME_DAY:
            return (
                "Same day: due at the office close (Decree 23/2015 Art. 7 for a cut-off)."
                if en
                else "Trong ngày: hẹn trả trước giờ đóng cửa (ND 23/2015 Điều 7 nếu có giờ chốt)."
            )
        return (
            "Calendar days/months: the first day is not counted (Civil Code 2015 Art. 147); "
            "a last day off moves to the next working day (Art. 148); due at office close."
            if en
            else "Ngày/tháng theo dương lịch: không tính ngày đầu (BLDS 2015 Điều 147); ngày cuối "
            "là ngày nghỉ thì chuyển sang ngày làm việc tiếp theo (Điều 148); hẹn trả cuối giờ."
        )

    def _day_lines(self, en: bool, lang: str) -> list[str]:
        cal = self.calendar
        start, end = self.effective_start.date(), self.due_at.date()
        if end <= start:
            return []
        days = cal.days_between(start, end)
        counted = [d for d in days if cal.is_working_day(d)]
        weekends: list[date] = []
        skipped: list[str] = []
        worked: list[str] = []
        for d in days:
            note = cal.note(d)
            if note is None:
                if d.weekday() >= 5:
                    weekends.append(d)
                continue
            source = f" — {note.document.number}" if note.document else ""
            text = f"{d:%d/%m/%Y} ({note.name(lang)}{source})"
            if note.kind in (DayKind.WORKED_DAY, DayKind.TENANT_WORKED_DAY):
                worked.append(text)
            else:
                skipped.append(text)
        lines = []
        if self.limit.unit in (LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS):
            shown = ", ".join(f"{d:%d/%m}" for d in counted[:31])
            more = f" … ({len(counted)})" if len(counted) > 31 else ""
            lines.append(
                f"Working days counted: {shown}{more}."
                if en
                else f"Ngày làm việc được tính: {shown}{more}."
            )
        if weekends:
            shown = ", ".join(f"{d:%d/%m}" for d in weekends)
            lines.append(
                f"Weekends skipped: {shown}." if en else f"Bỏ qua ngày nghỉ cuối tuần: {shown}."
            )
        if skipped:
            lines.append(
                ("Holidays and days off skipped: " if en else "Bỏ qua ngày lễ, ngày nghỉ: ")
                + "; ".join(skipped)
                + "."
            )
        if worked:
            lines.append(
                ("Worked weekend days counted: " if en else "Tính ngày làm bù: ")
                + "; ".join(worked)
                + "."
            )
        return lines
