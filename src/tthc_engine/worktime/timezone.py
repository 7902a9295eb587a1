"""Business time in Vietnam: Asia/Ho_Chi_Minh, UTC+7, no daylight saving time.

Vietnam has kept UTC+7 without DST since 1975, so a fixed offset is exact for every
date the engine handles and needs no tz database on the host.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from tthc_engine.errors import InvalidInputError, NaiveDatetimeError, shown

VN_TZ = timezone(timedelta(hours=7), "+07")
"""Asia/Ho_Chi_Minh as a fixed UTC+7 offset."""

__all__ = ["UTC", "VN_TZ", "ensure_aware", "parse_instant", "vn_datetime"]


def ensure_aware(value: object, field: str = "at") -> datetime:
    """Return ``value`` converted to UTC+7, refusing naive datetimes.

    ``field`` names the argument in the error message.
    """
    if value.__class__ is datetime and value.tzinfo is VN_TZ:  # the common case, first
        return value
    if not isinstance(value, datetime):
        raise InvalidInputError(
            f"{field}: expected an aware datetime, got {type(value).__name__} {shown(value)}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{field}: naive datetime {value.isoformat()} has no time zone; "
            "business times must be aware (Asia/Ho_Chi_Minh, UTC+7), "
            "e.g. 2025-03-10T09:00:00+07:00"
        )
    if value.tzinfo is VN_TZ:
        return value
    try:
        return value.astimezone(VN_TZ)
    except OverflowError:
        raise InvalidInputError(
            f"{field}: {value.isoformat()} cannot be expressed in UTC+7 (out of the range of dates)"
        ) from None


def parse_instant(text: str, field: str = "at") -> datetime:
    """Parse an ISO 8601 instant with an explicit offset (``2025-03-10T09:00:00+07:00``)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError, TypeError) as exc:
        raise InvalidInputError(
            f"{field}: {shown(text)} is not an ISO 8601 date-time (e.g. 2025-03-10T09:00:00+07:00)"
        ) from exc
    return ensure_aware(value, field)


def vn_datetime(day: date, at: time) -> datetime:
    """The instant at wall-clock ``at`` on ``day`` in Vietnam."""
    return datetime(day.year, day.month, day.day, at.hour, at.minute, at.second, tzinfo=VN_TZ)
