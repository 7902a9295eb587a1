"""Reading a workload profile's data (``tthc.workload/1``) into a :class:`Profile`.

Every field is checked and every problem collected as ``<file>:<field path>: <message>``;
all of them are raised together in a :class:`ProfileValidationError`. The format is
described field by field in ``docs/simulation.md``.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from tthc_engine.catalog import AGENCY_CODE, PROCEDURE_CODE, Level, OnlineLevel
from tthc_engine.errors import kind_of as _kind
from tthc_engine.simulation.profile import (
    SCHEMA,
    WEEKDAYS,
    Apologies,
    Arrivals,
    ChannelMix,
    Digitisation,
    Duration,
    LogNormal,
    Profile,
    ProfileValidationError,
    Ratings,
    Returns,
    Supplements,
    Workload,
)

__all__ = ["read_profile"]


class _Reader:
    """Collects ``file:path: message`` problems while reading a mapping."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{self.source}:{path}: {message}")

    def section(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        keys: Sequence[str],
        *,
        required: bool = True,
    ) -> Mapping[str, Any]:
        """The mapping under ``key`` (empty, with a problem, when missing or not a mapping),
        its unknown keys reported."""
        value = data.get(key)
        where = f"{path}.{key}" if path else key
        if value is None:
            if required:
                self.add(where, f"missing: a mapping with {', '.join(keys)}")
            return {}
        if not isinstance(value, Mapping):
            self.add(where, f"expected a mapping with {', '.join(keys)}, got {_kind(value)}")
            return {}
        self.unknown(value, where, keys)
        return value

    def unknown(self, value: Mapping[Any, Any], where: str, keys: Sequence[str]) -> None:
        for k in value:
            if k not in keys:
                self.add(f"{where}.{k}", f"unknown field; expected one of {', '.join(keys)}")

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        low: float = 0.0,
        high: float = math.inf,
        low_open: bool = False,
        default: float | None = None,
    ) -> float:
        value = data.get(key, default)
        where = f"{path}.{key}" if path else key
        if value is None:
            self.add(where, "missing: a number")
            return low if not low_open else low + 1.0
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.add(where, f"expected a number, got {_kind(value)}")
            return low if not low_open else low + 1.0
        if (value <= low if low_open else value < low) or value > high:
            bounds = f"{'>' if low_open else '≥'} {low:g}" + (
                f" and ≤ {high:g}" if high != math.inf else ""
            )
            self.add(where, f"expected a number {bounds}, got {value!r}")
            return low if not low_open else low + 1.0
        return float(value)

    def share(
        self, data: Mapping[str, Any], key: str, path: str, default: float | None = None
    ) -> float:
        return self.number(data, key, path, low=0.0, high=1.0, default=default)

    def whole(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        low: int = 0,
        high: int = 10**6,
        default: int | None = None,
    ) -> int:
        value = data.get(key, default)
        where = f"{path}.{key}" if path else key
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(where, f"expected a whole number in {low}..{high}, got {_kind(value)}")
            return low
        return value

    def lognormal(self, data: Mapping[str, Any], key: str, path: str) -> LogNormal:
        section = self.section(data, key, path, ("median", "sigma"))
        where = f"{path}.{key}"
        if not section:
            return LogNormal(1.0, 0.0)
        return LogNormal(
            self.number(section, "median", where, low_open=True),
            self.number(section, "sigma", where, high=5.0),
        )

    def date(self, value: object, where: str) -> date | None:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(where, f"expected a date YYYY-MM-DD, got {_kind(value)}")
        return None


_TOP = (
    "schema",
    "extends",
    "name",
    "description",
    "catalog",
    "period",
    "seed",
    "warm_up_days",
    "arrivals",
    "procedures",
    "channels",
    "channels_from",
    "agencies",
    "reception",
    "supplements",
    "financial_obligation",
    "withdrawals",
    "refusals",
    "stops",
    "apologies",
    "payments",
    "digitisation",
    "returns",
    "ratings",
)
_ARRIVALS = (
    "mode",
    "per_day",
    "day_to_day_cv",
    "weekdays",
    "before_tet",
    "after_tet",
    "quarter_end",
    "counter_hours",
    "after_close",
    "online_hours",
    "online_days_off",
    "auto_receipt",
)
_DURATION = ("median", "sigma", "tail", "tail_scale", "tail_alpha")
_LEVELS = {level.value: level for level in Level}
_ONLINE = {level.value: level for level in OnlineLevel}
_ROLE_OR_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def read_profile(data: object, source: str) -> Profile:
    """Validate parsed profile data and build the :class:`Profile` (see the module docstring)."""
    r = _Reader(source)
    if not isinstance(data, Mapping):
        raise ProfileValidationError(
            source,
            [
                f"{source}:(document): expected a mapping of the profile's sections, "
                f"got {_kind(data)}"
            ],
        )
    r.unknown(data, "(document)", _TOP)
    schema = data.get("schema")
    if schema is not None and schema != SCHEMA:
        r.add("schema", f"unsupported schema {schema!r}; expected {SCHEMA!r}")
    name = data.get("name", source)
    if not isinstance(name, str):
        r.add("name", f"expected text, got {_kind(name)}")
        name = source
    catalog = data.get("catalog", "nghe-an")
    if not isinstance(catalog, str) or not catalog.strip():
        r.add("catalog", f"expected a sample catalog name or a file path, got {_kind(catalog)}")
        catalog = "nghe-an"
    period = r.section(data, "period", "", ("from", "to"))
    first = r.date(period.get("from"), "period.from") if period else None
    last = r.date(period.get("to"), "period.to") if period else None
    if first is not None and last is not None and last < first:
        r.add("period.to", f"{last.isoformat()} is before period.from {first.isoformat()}")
    seed = r.whole(data, "seed", "", high=2**63, default=0)
    warm_up = r.whole(data, "warm_up_days", "", high=366, default=0)
    arrivals = _arrivals(r, data)
    procedures = _procedures(r, data, arrivals)
    channels = _channels(r, data)
    agencies = _agencies(r, data)
    reception = r.lognormal(data, "reception", "")
    supplements = _supplements(r, data)
    fo = r.section(data, "financial_obligation", "", ("rate", "wait"))
    fin = (
        (
            r.share(fo, "rate", "financial_obligation"),
            r.lognormal(fo, "wait", "financial_obligation"),
        )
        if fo
        else (0.0, LogNormal(1.0, 0.0))
    )
    withdrawals = r.section(data, "withdrawals", "", ("rate",))
    refusals = r.section(data, "refusals", "", ("counter", "online"))
    stops = r.section(data, "stops", "", ("rate",))
    ap = r.section(data, "apologies", "", ("compliance", "extension_days"))
    pay = r.section(data, "payments", "", ("online",))
    dg = r.section(data, "digitisation", "", ("rate", "max_components", "reuse", "e_result"))
    rt = r.section(
        data, "returns", "", ("online", "postal", "uncollected", "pickup", "postal_days")
    )
    ra = r.section(
        data,
        "ratings",
        "",
        (
            "rate",
            "very_satisfied",
            "dissatisfied",
            "dissatisfied_if_late",
            "complaint",
            "complaint_if_late",
        ),
    )
    profile = Profile(
        name=name,
        catalog=catalog.strip(),
        first=first or date(2025, 1, 1),
        last=last or date(2025, 1, 31),
        seed=seed,
        warm_up_days=warm_up,
        arrivals=arrivals,
        procedures=procedures,
        channels=channels,
        agencies=agencies,
        reception=reception,
        supplements=supplements,
        financial_obligation=fin,
        withdrawals=r.share(withdrawals, "rate", "withdrawals", default=0.0),
        refusals=(
            r.share(refusals, "counter", "refusals", default=0.0),
            r.share(refusals, "online", "refusals", default=0.0),
        ),
        stops=r.share(stops, "rate", "stops", default=0.0),
        apologies=Apologies(
            r.share(ap, "compliance", "apologies", default=1.0),
            r.whole(ap, "extension_days", "apologies", low=1, high=60, default=3),
        ),
        online_payment=r.share(pay, "online", "payments", default=1.0),
        digitisation=Digitisation(
            r.share(dg, "rate", "digitisation", default=0.0),
            r.whole(dg, "max_components", "digitisation", low=1, high=100, default=3),
            r.share(dg, "reuse", "digitisation", default=0.0),
            r.share(dg, "e_result", "digitisation", default=0.0),
        ),
        returns=Returns(
            r.share(rt, "online", "returns", default=0.0),
            r.share(rt, "postal", "returns", default=0.0),
            r.share(rt, "uncollected", "returns", default=0.0),
            r.lognormal(rt, "pickup", "returns") if rt else LogNormal(1.0, 0.5),
            r.lognormal(rt, "postal_days", "returns") if rt else LogNormal(2.0, 0.3),
        ),
        ratings=Ratings(
            r.share(ra, "rate", "ratings", default=0.0),
            r.share(ra, "very_satisfied", "ratings", default=0.5),
            r.share(ra, "dissatisfied", "ratings", default=0.0),
            r.share(ra, "dissatisfied_if_late", "ratings", default=0.0),
            r.share(ra, "complaint", "ratings", default=0.0),
            r.share(ra, "complaint_if_late", "ratings", default=0.0),
        ),
        source=source,
        raw=copy.deepcopy(dict(data)),
    )
    if (
        profile.ratings.very_satisfied
        + max(profile.ratings.dissatisfied, profile.ratings.dissatisfied_if_late)
        > 1.0
    ):
        r.add("ratings", "very_satisfied + dissatisfied(_if_late) must not exceed 1")
    if r.problems:
        raise ProfileValidationError(source, r.problems)
    return profile


def _hours(r: _Reader, data: Mapping[str, Any], key: str, path: str) -> tuple[float, ...]:
    """24 weights, one per hour of the day, from a mapping hour → weight (missing hours 0)."""
    raw = data.get(key)
    where = f"{path}.{key}"
    weights = [0.0] * 24
    if raw is None:
        r.add(where, "missing: a mapping hour (0–23) → weight")
        return tuple(weights)
    if not isinstance(raw, Mapping):
        r.add(where, f"expected a mapping hour (0–23) → weight, got {_kind(raw)}")
        return tuple(weights)
    for hour in raw:
        h = int(hour) if isinstance(hour, int | str) and str(hour).isdigit() else -1
        if not 0 <= h <= 23:
            r.add(f"{where}.{hour}", "an hour is a whole number 0–23")
            continue
        weights[h] = r.number(raw, hour, where)
    if sum(weights) <= 0:
        r.add(where, "the weights add up to 0: no hour would receive anything")
    return tuple(weights)


def _window(r: _Reader, data: Mapping[str, Any], key: str, path: str) -> tuple[int, float]:
    section = r.section(data, key, path, ("working_days", "factor"), required=False)
    if not section:
        return (0, 1.0)
    where = f"{path}.{key}"
    return (
        r.whole(section, "working_days", where, high=60),
        r.number(section, "factor", where, low_open=True),
    )


def _arrivals(r: _Reader, data: Mapping[str, Any]) -> Arrivals:
    a = r.section(data, "arrivals", "", _ARRIVALS)
    mode = a.get("mode", "poisson")
    if mode not in ("poisson", "fixed"):
        r.add("arrivals.mode", f"expected poisson or fixed, got {_kind(mode)}")
        mode = "poisson"
    per_day: int | None = None
    if mode == "fixed":
        per_day = r.whole(a, "per_day", "arrivals", low=1, high=9999)
    elif a.get("per_day") is not None:
        r.add("arrivals.per_day", "only with mode: fixed (poisson volumes come from procedures)")
    weekdays_raw = a.get("weekdays", {})
    weekdays = [1.0] * 7
    if not isinstance(weekdays_raw, Mapping):
        r.add(
            "arrivals.weekdays",
            f"expected a mapping mon..sun → factor, got {_kind(weekdays_raw)}",
        )
    else:
        r.unknown(weekdays_raw, "arrivals.weekdays", WEEKDAYS)
        for i, day in enumerate(WEEKDAYS):
            if day in weekdays_raw:
                weekdays[i] = r.number(weekdays_raw, day, "arrivals.weekdays", low_open=True)
    auto_raw = a.get("auto_receipt", {})
    auto: dict[OnlineLevel, float] = dict.fromkeys(OnlineLevel, 0.0)
    if not isinstance(auto_raw, Mapping):
        r.add(
            "arrivals.auto_receipt",
            f"expected a mapping online level → share, got {_kind(auto_raw)}",
        )
    else:
        r.unknown(auto_raw, "arrivals.auto_receipt", ("full", "partial"))
        for key in ("full", "partial"):
            if key in auto_raw:
                auto[_ONLINE[key]] = r.share(auto_raw, key, "arrivals.auto_receipt")
    return Arrivals(
        mode=mode,
        per_day=per_day,
        day_to_day_cv=r.number(a, "day_to_day_cv", "arrivals", high=2.0, default=0.0),
        weekdays=tuple(weekdays),
        before_tet=_window(r, a, "before_tet", "arrivals"),
        after_tet=_window(r, a, "after_tet", "arrivals"),
        quarter_end=_window(r, a, "quarter_end", "arrivals"),
        counter_hours=_hours(r, a, "counter_hours", "arrivals") if a else (1.0,) * 24,
        after_close=r.share(a, "after_close", "arrivals", default=0.0),
        online_hours=_hours(r, a, "online_hours", "arrivals") if a else (1.0,) * 24,
        online_days_off=r.number(a, "online_days_off", "arrivals", high=10.0, default=0.5),
        auto_receipt=auto,
    )


def _mix(r: _Reader, raw: object, where: str) -> ChannelMix | None:
    if not isinstance(raw, Mapping):
        r.add(where, f"expected a mapping with online and postal shares, got {_kind(raw)}")
        return None
    r.unknown(raw, where, ("online", "postal"))
    online = r.share(raw, "online", where, default=0.0)
    postal = r.share(raw, "postal", where, default=0.0)
    if online + postal > 1.0 + 1e-9:
        r.add(
            where,
            f"online {online:g} + postal {postal:g} is more than 1 (the counter takes the rest)",
        )
        return None
    return ChannelMix(online, postal)


def _level_mixes(r: _Reader, raw: object, where: str) -> dict[OnlineLevel, ChannelMix]:
    mixes: dict[OnlineLevel, ChannelMix] = {}
    if not isinstance(raw, Mapping):
        r.add(where, f"expected a mapping full/partial/none → mix, got {_kind(raw)}")
        return {level: ChannelMix(0.0, 0.0) for level in OnlineLevel}
    r.unknown(raw, where, tuple(_ONLINE))
    for key, level in _ONLINE.items():
        if key not in raw:
            r.add(f"{where}.{key}", "missing: the mix of procedures at this online level")
            mixes[level] = ChannelMix(0.0, 0.0)
            continue
        mix = _mix(r, raw[key], f"{where}.{key}") or ChannelMix(0.0, 0.0)
        if level is OnlineLevel.NONE and mix.online > 0:
            r.add(
                f"{where}.none.online",
                "a procedure without an online service gets no online dossiers",
            )
            mix = ChannelMix(0.0, mix.postal)
        mixes[level] = mix
    return mixes


def _channels(
    r: _Reader, data: Mapping[str, Any]
) -> tuple[tuple[date | None, Mapping[OnlineLevel, ChannelMix]], ...]:
    eras: list[tuple[date | None, Mapping[OnlineLevel, ChannelMix]]] = [
        (None, _level_mixes(r, data.get("channels"), "channels"))
    ]
    later = data.get("channels_from")
    if later is None:
        return tuple(eras)
    if not isinstance(later, Mapping):
        r.add("channels_from", f"expected a mapping date → mixes, got {_kind(later)}")
        return tuple(eras)
    dated: list[tuple[date, Mapping[OnlineLevel, ChannelMix]]] = []
    for key, value in later.items():
        day = r.date(key, f"channels_from.{key}")
        if day is not None:
            dated.append((day, _level_mixes(r, value, f"channels_from.{key}")))
    dated.sort(key=lambda pair: pair[0])
    eras.extend(dated)
    return tuple(eras)


def _procedures(r: _Reader, data: Mapping[str, Any], arrivals: Arrivals) -> dict[str, Workload]:
    raw = data.get("procedures")
    found: dict[str, Workload] = {}
    if not isinstance(raw, Mapping) or not raw:
        r.add("procedures", f"expected a mapping procedure code → volume, got {_kind(raw)}")
        return found
    for code, entry in raw.items():
        where = f"procedures.{code}"
        if not isinstance(code, str) or not PROCEDURE_CODE.match(code):
            r.add(where, "a procedure code looks like 1.001193 (quote it in YAML)")
            continue
        if isinstance(entry, int | float) and not isinstance(entry, bool):
            entry = {"per_day": entry}
        if not isinstance(entry, Mapping):
            r.add(where, f"expected a volume or a mapping with per_day, got {_kind(entry)}")
            continue
        r.unknown(entry, where, ("per_day", "channels", "supplement_step", "pause_step"))
        per_day: dict[Level | None, float] = {}
        volume = entry.get("per_day")
        if isinstance(volume, Mapping):
            for level_key in volume:
                level = _LEVELS.get(str(level_key))
                if level is None:
                    r.add(
                        f"{where}.per_day.{level_key}", f"expected a level ({', '.join(_LEVELS)})"
                    )
                    continue
                per_day[level] = r.number(volume, level_key, f"{where}.per_day")
        else:
            per_day[None] = r.number(entry, "per_day", where)
        channels = _mix(r, entry["channels"], f"{where}.channels") if "channels" in entry else None
        steps = {}
        for field in ("supplement_step", "pause_step"):
            value = entry.get(field)
            if value is not None and not isinstance(value, str):
                r.add(f"{where}.{field}", f"expected a step key, got {_kind(value)}")
                value = None
            steps[field] = value
        found[code] = Workload(per_day, channels, **steps)
    return found


def _agencies(r: _Reader, data: Mapping[str, Any]) -> dict[str, Duration]:
    raw = data.get("agencies")
    found: dict[str, Duration] = {}
    if not isinstance(raw, Mapping) or "default" not in raw:
        r.add("agencies", "expected a mapping role or agency code → duration, with a 'default'")
        found["default"] = Duration(0.5, 0.5)
        if not isinstance(raw, Mapping):
            return found
    for key, entry in raw.items():
        where = f"agencies.{key}"
        if not isinstance(key, str) or not (
            key == "default" or _ROLE_OR_CODE.match(key) or AGENCY_CODE.match(key)
        ):
            r.add(where, "expected an agency role (lower_case) or code (000.00.00.H41)")
            continue
        if not isinstance(entry, Mapping):
            r.add(where, f"expected a mapping with {', '.join(_DURATION)}, got {_kind(entry)}")
            continue
        r.unknown(entry, where, _DURATION)
        found[key] = Duration(
            r.number(entry, "median", where, low_open=True),
            r.number(entry, "sigma", where, high=5.0, default=0.5),
            r.share(entry, "tail", where, default=0.0),
            r.number(entry, "tail_scale", where, low_open=True, default=1.0),
            r.number(entry, "tail_alpha", where, low_open=True, high=10.0, default=1.5),
        )
    return found


def _supplements(r: _Reader, data: Mapping[str, Any]) -> Supplements:
    s = r.section(data, "supplements", "", ("rate", "twice", "abandon", "wait"))
    if not s:
        return Supplements(0.0, 0.0, 0.0, LogNormal(3.0, 0.5))
    return Supplements(
        r.share(s, "rate", "supplements"),
        r.share(s, "twice", "supplements", default=0.0),
        r.share(s, "abandon", "supplements", default=0.0),
        r.lognormal(s, "wait", "supplements"),
    )
