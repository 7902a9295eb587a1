"""Every encoding of a stored value, in one place.

eventsourcing's JSON transcoder stores an unknown type as ``{"_type_": NAME, "_data_": DATA}``.
Besides its built-ins (``uuid_hex``, ``decimal_str``, ``datetime_iso``), tthc-engine registers:

================  ===========================  =========================================
name              Python type                  stored as
================  ===========================  =========================================
``date_iso``      ``datetime.date``            ``"2025-04-14"``
``time_iso``      ``datetime.time``            ``"15:00:00"``
``time_limit``    ``worktime.TimeLimit``       its Vietnamese wording, ``"5 ngày làm việc"``
                                               (re-read with ``TimeLimit.parse``)
``channel``       ``domain.Channel``           the enum value, ``"counter"``/``"online"``/…
``regime``        ``domain.Regime``            ``"nd61-2018"`` / ``"nd118-2025"``
``supplement``    ``catalog.SupplementPolicy``  ``"pause"`` / ``"restart"``
``timeliness``    ``worktime.Timeliness``      ``"early"`` / ``"on_time"`` / ``"late"``
``rating``        ``domain.Rating``            ``"very_satisfied"`` / ``"satisfied"`` / …
``pause_reason``  ``catalog.PauseReason``      ``"financial_obligation"``, ``"public_posting"``…
================  ===========================  =========================================

Names are part of the stored format: never rename one without an upcaster.

:class:`Transcoder` also encodes subclasses of a registered type with that type's
transcoding (a ``pendulum.DateTime`` or freezegun's ``FakeDatetime`` is a ``datetime``).
"""

from __future__ import annotations

import enum
from datetime import date, time
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import Channel, Rating, Regime
from tthc_engine.worktime import TimeLimit, Timeliness

__all__ = ["Transcoder", "register_transcodings"]


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class TimeAsISO(Transcoding):
    type = time
    name = "time_iso"

    def encode(self, obj: time) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> time:
        return time.fromisoformat(data)


class TimeLimitAsText(Transcoding):
    type = TimeLimit
    name = "time_limit"

    def encode(self, obj: TimeLimit) -> str:
        return str(obj)

    def decode(self, data: str) -> TimeLimit:
        return TimeLimit.parse(data)


def _enum_transcoding(enum_type: type[enum.Enum], transcoding_name: str) -> Transcoding:
    class EnumAsValue(Transcoding):
        type = enum_type
        name = transcoding_name

        def encode(self, obj: enum.Enum) -> Any:
            return obj.value

        def decode(self, data: Any) -> enum.Enum:
            return enum_type(data)

    EnumAsValue.__name__ = f"{enum_type.__name__}AsValue"
    return EnumAsValue()


class Transcoder(JSONTranscoder):
    """eventsourcing's JSON transcoder, which also accepts subclasses of registered types."""

    def _encode_obj(self, o: Any) -> dict[str, Any]:
        for kind in type(o).__mro__:
            transcoding = self.types.get(kind)
            if transcoding is not None:
                return {"_type_": transcoding.name, "_data_": transcoding.encode(o)}
        return super()._encode_obj(o)


def register_transcodings(transcoder: JSONTranscoder) -> None:
    """Register tthc-engine's transcodings (see the module docstring for the table)."""
    transcoder.register(DateAsISO())
    transcoder.register(TimeAsISO())
    transcoder.register(TimeLimitAsText())
    for enum_type, name in (
        (Channel, "channel"),
        (Regime, "regime"),
        (SupplementPolicy, "supplement"),
        (Timeliness, "timeliness"),
        (Rating, "rating"),
        (PauseReason, "pause_reason"),
    ):
        transcoder.register(_enum_transcoding(enum_type, name))
