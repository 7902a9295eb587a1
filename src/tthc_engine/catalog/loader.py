"""Reading catalogs from YAML, JSON or TOML, and validating them all at once.

The only module of :mod:`tthc_engine.catalog` that touches files. Validation never
stops at the first problem: every problem is collected as one line
``<file>:<entry>:<field>: <message>`` (entry = ``procedures[<code>]``, or
``procedures[<code>@<valid_from>]`` when the file lists several versions of the code,
or ``procedures[<index>]`` when the code itself is wrong) and raised together in a
:class:`~tthc_engine.errors.CatalogValidationError`. Versions of one code whose
validity periods share a day are reported against the later one. The file format is described
field by field in ``docs/catalog.md``.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from tthc_engine.catalog.catalog import Agency, Catalog, Province, overlapping_versions
from tthc_engine.catalog.procedure import (
    AGENCY_CODE,
    DISTRICT_LEVEL_ABOLISHED,
    HOURS_PER_WORKING_DAY,
    PROCEDURE_CODE,
    Fee,
    Level,
    OnlineLevel,
    PauseReason,
    Procedure,
    Step,
    SupplementPolicy,
)
from tthc_engine.errors import CatalogValidationError, TimeLimitParseError
from tthc_engine.errors import kind_of as _kind
from tthc_engine.worktime import LimitUnit, TimeLimit

__all__ = [
    "SAMPLES",
    "SCHEMA",
    "catalog_from_mapping",
    "load_catalog",
    "load_sample",
    "parse_document",
]

SCHEMA = "tthc.catalog/1"
"""Value of the optional top-level ``schema`` key."""

_E = TypeVar("_E", bound=Enum)

_TOP_KEYS = ("schema", "province", "agencies", "procedures")
_PROCEDURE_KEYS = (
    "code",
    "name",
    "field",
    "level",
    "limit",
    "steps",
    "supplement_policy",
    "excluded_pauses",
    "fee",
    "online_level",
    "paper_result",
    "valid_from",
    "valid_to",
    "legal_basis",
    "source",
)
_STEP_KEYS = ("key", "name", "agency", "allotted")
_FEE_KEYS = ("amount", "online_payment", "note")
_ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
_STEP_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_PROVINCE_CODE = re.compile(r"^[A-Z]\d{2}$")

_ALIASES: dict[type[Enum], dict[str, Enum]] = {
    Level: {
        "tỉnh": Level.PROVINCE,
        "cấp tỉnh": Level.PROVINCE,
        "huyện": Level.DISTRICT,
        "cấp huyện": Level.DISTRICT,
        "xã": Level.COMMUNE,
        "cấp xã": Level.COMMUNE,
    },
    OnlineLevel: {
        "toàn trình": OnlineLevel.FULL,
        "trực tuyến toàn trình": OnlineLevel.FULL,
        "một phần": OnlineLevel.PARTIAL,
        "trực tuyến một phần": OnlineLevel.PARTIAL,
        "không": OnlineLevel.NONE,
    },
    SupplementPolicy: {"tạm dừng": SupplementPolicy.PAUSE, "tính lại": SupplementPolicy.RESTART},
}
_LABELS: dict[type[Enum], str] = {
    Level: "level",
    OnlineLevel: "online level",
    SupplementPolicy: "supplement policy",
    PauseReason: "pause reason",
}


class _Problems:
    """Collects ``file:entry:field: message`` lines."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: list[str] = []

    def add(self, entry: str, field: str, message: str) -> None:
        self.lines.append(f"{self.source}:{entry}:{field}: {message}")

    def raise_if_any(self) -> None:
        if self.lines:
            raise CatalogValidationError(self.source, self.lines)


# -- files -------------------------------------------------------------------------------
def parse_document(path: str | Path) -> object:
    """The raw data of a catalog file, chosen by suffix: .yaml/.yml, .json or .toml.

    Raises:
        CatalogValidationError: when the file cannot be read or parsed.
    """
    path = Path(path)
    source = str(path)
    problems = _Problems(source)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".toml"):
        problems.add(
            "(file)",
            "suffix",
            f"unknown catalog format {suffix or '(none)'!r}; use .yaml, .yml, .json or .toml",
        )
        problems.raise_if_any()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add("(file)", "read", f"cannot read the file: {exc}")
        problems.raise_if_any()
    data: object = None
    try:
        if suffix == ".json":
            data = json.loads(text)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        problems.add("(file)", f"line {exc.lineno}", f"not valid JSON: {exc.msg}")
    except tomllib.TOMLDecodeError as exc:
        problems.add("(file)", "syntax", f"not valid TOML: {exc}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "syntax"
        problems.add("(file)", where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
    problems.raise_if_any()
    return data


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate a catalog file (see :meth:`Catalog.load`)."""
    return catalog_from_mapping(parse_document(path), source=str(path))


SAMPLES = ("nghe-an",)
"""The sample catalogs shipped inside the package (``tthc_engine/catalog/data``)."""


def load_sample(name: str = "nghe-an") -> Catalog:
    """A sample catalog shipped with the package, read through :mod:`importlib.resources`
    so that it is found in a wheel as in a source checkout (see :meth:`Catalog.sample`)."""
    if name not in SAMPLES:
        raise CatalogValidationError(
            f"<sample {name}>",
            [f"<sample>:(catalog):name: no sample catalog {name!r}; samples: {', '.join(SAMPLES)}"],
        )
    text = resources.files("tthc_engine.catalog").joinpath(f"data/{name}.yaml").read_text("utf-8")
    return catalog_from_mapping(yaml.safe_load(text), source=f"{name}.yaml")


# -- validation --------------------------------------------------------------------------
def catalog_from_mapping(data: object, source: str = "<mapping>") -> Catalog:
    """Validate parsed catalog data and build the :class:`Catalog`.

    Raises:
        CatalogValidationError: with every problem found, not just the first.
    """
    problems = _Problems(source)
    if not isinstance(data, Mapping):
        problems.add(
            "(document)",
            "(top)",
            f"expected a mapping with 'province', 'agencies' and 'procedures', got {_kind(data)}",
        )
        raise CatalogValidationError(source, problems.lines)
    for key in data:
        if key not in _TOP_KEYS:
            problems.add("(document)", str(key), _unknown_key(key, _TOP_KEYS))
    schema = data.get("schema")
    if schema is not None and schema != SCHEMA:
        problems.add("(document)", "schema", f"unsupported schema {schema!r}; expected {SCHEMA!r}")
    province = _province(data.get("province"), problems)
    agencies = _agencies(data.get("agencies"), problems)
    procedures: list[Procedure] = []
    raw = data.get("procedures")
    if raw is None:
        problems.add("(document)", "procedures", "missing: list the procedures under 'procedures:'")
    elif not isinstance(raw, Sequence) or isinstance(raw, str):
        problems.add("(document)", "procedures", f"expected a list of procedures, got {_kind(raw)}")
    else:
        listed = Counter(
            entry.get("code")
            for entry in raw
            if isinstance(entry, Mapping) and isinstance(entry.get("code"), str)
        )
        labels: dict[int, str] = {}
        used: set[str] = set()
        for index, entry in enumerate(raw):
            label = _label(index, entry, listed)
            if label in used:  # two versions starting the same day (they overlap)
                label = f"{label[:-1]}#{index}]"
            used.add(label)
            procedure = _procedure(label, entry, agencies, problems)
            if procedure is not None:
                labels[id(procedure)] = label
                procedures.append(procedure)
        _report_overlaps(procedures, labels, problems)
    problems.raise_if_any()
    return Catalog(procedures, agencies=agencies, province=province, source=source)


def _label(index: int, entry: object, listed: Counter[object]) -> str:
    """How problems name the entry: ``procedures[1.001193]``; ``procedures[1.001193@2025-07-01]``
    when the file lists the code more than once (``#<index>`` is added when two of them
    start the same day); ``procedures[3]`` when the code is unusable."""
    if not isinstance(entry, Mapping):
        return f"procedures[{index}]"
    code = entry.get("code")
    if not isinstance(code, str) or not PROCEDURE_CODE.match(code):
        return f"procedures[{index}]"
    if listed[code] < 2:
        return f"procedures[{code}]"
    start = entry.get("valid_from")
    if isinstance(start, datetime):
        start = start.date()
    if isinstance(start, date):
        shown = start.isoformat()
    elif start is None:
        shown = "open"
    elif isinstance(start, str):
        shown = start.strip()
    else:
        shown = f"#{index}"
    return f"procedures[{code}@{shown}]"


def _report_overlaps(
    procedures: Sequence[Procedure], labels: Mapping[int, str], problems: _Problems
) -> None:
    """Versions of one code may not share a day: ``valid_from`` and ``valid_to`` are both
    inclusive, so the earlier version must end the day before the later one starts."""
    by_code: dict[str, list[Procedure]] = {}
    for procedure in procedures:
        by_code.setdefault(procedure.code, []).append(procedure)
    for versions in by_code.values():
        for earlier, later in overlapping_versions(versions):
            problems.add(
                labels[id(later)],
                "valid_from",
                f"{_period_words(later)} overlaps the version {labels[id(earlier)]} "
                f"({_period_words(earlier)}); versions of one code may not share a day "
                "(valid_from and valid_to are both inclusive)" + _overlap_hint(earlier, later),
            )


def _period_words(procedure: Procedure) -> str:
    start = procedure.valid_from.isoformat() if procedure.valid_from else "no valid_from"
    end = procedure.valid_to.isoformat() if procedure.valid_to else "no valid_to"
    return f"{start} to {end}"


def _overlap_hint(earlier: Procedure, later: Procedure) -> str:
    if later.valid_from is None:
        return ""
    if earlier.valid_from is not None and earlier.valid_from >= later.valid_from:
        return ""  # same first day: moving valid_to does not help
    day_before = later.valid_from - timedelta(days=1)
    return f"; end the earlier version with valid_to: {day_before.isoformat()}"


def _province(raw: object, problems: _Problems) -> Province | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.add(
            "province", "(entry)", f"expected a mapping with 'code' and 'name', got {_kind(raw)}"
        )
        return None
    for key in raw:
        if key not in ("code", "name"):
            problems.add("province", str(key), _unknown_key(key, ("code", "name")))
    code, name = raw.get("code"), raw.get("name", "")
    ok = True
    if not isinstance(code, str) or not _PROVINCE_CODE.match(code):
        problems.add(
            "province",
            "code",
            f"expected the province suffix of agency codes such as 'H41' (Nghệ An), got {code!r}",
        )
        ok = False
    if not isinstance(name, str):
        problems.add("province", "name", f"expected text, got {_kind(name)}")
        ok = False
    return Province(str(code), str(name)) if ok else None


def _agencies(raw: object, problems: _Problems) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    if raw is None:
        return agencies
    if not isinstance(raw, Mapping):
        problems.add("agencies", "(section)", f"expected a mapping role → agency, got {_kind(raw)}")
        return agencies
    for role, value in raw.items():
        entry = f"agencies[{role}]"
        if not isinstance(role, str) or not _ROLE.match(role):
            problems.add(
                entry,
                "(role)",
                "a role is a lower-case identifier such as 'receiving_unit' or 'ppc'",
            )
            continue
        code: object
        name: object
        if isinstance(value, str):
            code, name = value, ""
        elif isinstance(value, Mapping):
            for key in value:
                if key not in ("code", "name"):
                    problems.add(entry, str(key), _unknown_key(key, ("code", "name")))
            code, name = value.get("code"), value.get("name", "")
        else:
            problems.add(
                entry,
                "(entry)",
                f"expected an agency code or a mapping with 'code' and 'name', got {_kind(value)}",
            )
            continue
        if not isinstance(code, str) or not AGENCY_CODE.match(code):
            problems.add(
                entry, "code", f"expected an agency code like '000.00.00.H41', got {code!r}"
            )
            continue
        agencies[role] = Agency(role, code, name if isinstance(name, str) else str(name))
    return agencies


def _procedure(
    label: str,
    entry: object,
    agencies: Mapping[str, Agency],
    problems: _Problems,
) -> Procedure | None:
    if not isinstance(entry, Mapping):
        problems.add(
            label, "(entry)", f"expected a mapping describing a procedure, got {_kind(entry)}"
        )
        return None
    before = len(problems.lines)

    code = entry.get("code")
    if code is None:
        problems.add(label, "code", "missing: the national procedure code, e.g. '1.001193'")
    elif isinstance(code, float | int) and not isinstance(code, bool):
        problems.add(label, "code", f'{code!r} was read as a number; quote it: "{code}"')
    elif not isinstance(code, str) or not PROCEDURE_CODE.match(code):
        problems.add(
            label,
            "code",
            f"{code!r} is not a national procedure code (one digit, a dot, six digits: '1.001193')",
        )

    for key in entry:
        if key not in _PROCEDURE_KEYS:
            problems.add(label, str(key), _unknown_key(key, _PROCEDURE_KEYS))

    name = _text(entry, "name", label, problems, required=True)
    field = _text(entry, "field", label, problems, required=True)
    level = _enum(entry.get("level"), Level, label, "level", problems, default=None)
    valid_from = _date(entry.get("valid_from"), label, "valid_from", problems)
    valid_to = _date(entry.get("valid_to"), label, "valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.add(
            label,
            "valid_to",
            f"{valid_to.isoformat()} is before valid_from {valid_from.isoformat()}",
        )
    if level is Level.DISTRICT:
        if valid_from is not None and valid_from >= DISTRICT_LEVEL_ABOLISHED:
            problems.add(
                label,
                "level",
                "district level (cấp huyện) no longer exists from "
                "01/07/2025 (two-tier local government); use 'province' or 'commune'",
            )
        if valid_to is None or valid_to >= DISTRICT_LEVEL_ABOLISHED:
            problems.add(
                label,
                "valid_to",
                "a district-level procedure must end by 30/06/2025: "
                "set valid_to: 2025-06-30 or earlier",
            )

    limit = _limit(entry.get("limit"), label, "limit", problems, required=True)
    policy = _enum(
        entry.get("supplement_policy"),
        SupplementPolicy,
        label,
        "supplement_policy",
        problems,
        default=SupplementPolicy.PAUSE,
    )
    pauses = _pauses(entry.get("excluded_pauses"), label, problems)
    fee = _fee(entry.get("fee"), label, problems)
    online = _enum(
        entry.get("online_level"),
        OnlineLevel,
        label,
        "online_level",
        problems,
        default=OnlineLevel.NONE,
    )
    paper_result = _bool(entry.get("paper_result"), label, "paper_result", problems, default=True)
    legal_basis = _texts(entry.get("legal_basis"), label, "legal_basis", problems)
    source = entry.get("source", "")
    if not isinstance(source, str):
        problems.add(label, "source", f"expected text, got {_kind(source)}")
        source = ""
    steps = _steps(entry.get("steps"), label, agencies, problems)
    if limit is not None and steps:
        message = _shares_problem(limit, steps)
        if message:
            problems.add(label, "steps", message)

    if (
        len(problems.lines) > before
        or not isinstance(code, str)
        or name is None
        or field is None
        or level is None
        or limit is None
        or policy is None
        or online is None
    ):
        return None
    return Procedure(
        code=code,
        name=name,
        field=field,
        level=level,
        limit=limit,
        steps=steps,
        supplement_policy=policy,
        excluded_pauses=pauses,
        fee=fee,
        online_level=online,
        paper_result=paper_result,
        valid_from=valid_from,
        valid_to=valid_to,
        legal_basis=legal_basis,
        source=source,
    )


def _steps(
    raw: object, label: str, agencies: Mapping[str, Agency], problems: _Problems
) -> tuple[Step, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        problems.add(label, "steps", f"expected a list of steps, got {_kind(raw)}")
        return ()
    steps: list[Step] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"steps[{i}]"
        if not isinstance(item, Mapping):
            problems.add(
                label,
                where,
                f"expected a mapping with {', '.join(_STEP_KEYS)}, got {_kind(item)}",
            )
            continue
        for key in item:
            if key not in _STEP_KEYS:
                problems.add(label, f"{where}.{key}", _unknown_key(key, _STEP_KEYS))
        key = item.get("key")
        if not isinstance(key, str) or not _STEP_KEY.match(key):
            problems.add(
                label,
                f"{where}.key",
                f"expected a short identifier such as 'receive' or 'appraise', got {key!r}",
            )
            key = None
        elif key in seen:
            problems.add(label, f"{where}.key", f"duplicate step key {key!r}")
        else:
            seen.add(key)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.add(label, f"{where}.name", "missing: what the step does, in Vietnamese")
        agency = item.get("agency")
        agency_code: str | None = None
        if not isinstance(agency, str) or not agency:
            problems.add(
                label,
                f"{where}.agency",
                "missing: a role from 'agencies:' or an agency code like '000.00.00.H41'",
            )
        elif agency in agencies:
            agency_code = agencies[agency].code
        elif AGENCY_CODE.match(agency):
            agency_code = agency
        else:
            known = ", ".join(sorted(agencies)) or "none defined"
            problems.add(
                label,
                f"{where}.agency",
                f"unknown role {agency!r} (roles: {known}); "
                "define it under 'agencies:' or give an agency code",
            )
        allotted = _limit(item.get("allotted"), label, f"{where}.allotted", problems, required=True)
        if (
            isinstance(key, str)
            and isinstance(name, str)
            and isinstance(agency, str)
            and allotted is not None
        ):
            steps.append(Step(key, name.strip(), agency, allotted, agency_code))
    return tuple(steps)


def _describe_hours(hours: Decimal) -> str:
    days = hours / HOURS_PER_WORKING_DAY
    return f"{_num(hours)} working hours ({_num(days)} ngày làm việc)"


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _shares_problem(limit: TimeLimit, steps: Sequence[Step]) -> str | None:
    """Whether the steps' shares add up to the legal limit (quy trình nội bộ).

    Working time is compared in working hours (1 ngày làm việc = 8 giờ làm việc). A
    same-day limit ("trong ngày") takes steps in hours that fit in one working day.
    Calendar-day and month limits take steps in the same unit. A "0 ngày" step (the
    return of the result, trả kết quả) fits every limit.
    """
    counted = [s for s in steps if s.allotted.amount != 0]
    working = (LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS)
    if limit.unit in working or limit.unit is LimitUnit.SAME_DAY:
        odd = [s.key for s in counted if s.allotted.unit not in working]
        if odd:
            return (
                f"steps {', '.join(odd)} are not in working days or hours; a limit of "
                f"'{limit}' is split in 'ngày làm việc' or 'giờ làm việc'"
            )
        total = sum((s.working_hours or Decimal(0) for s in counted), Decimal(0))
        if limit.unit is LimitUnit.SAME_DAY:
            if total > HOURS_PER_WORKING_DAY:
                return (
                    f"same-day procedure: the steps must fit in one working day "
                    f"({_describe_hours(HOURS_PER_WORKING_DAY)}), they add up to "
                    f"{_describe_hours(total)}"
                )
            return None
        expected = limit.amount * (
            HOURS_PER_WORKING_DAY if limit.unit is LimitUnit.WORKING_DAYS else Decimal(1)
        )
        if total != expected:
            return (
                f"the steps add up to {_describe_hours(total)} but the legal limit "
                f"'{limit}' is {_describe_hours(expected)}"
            )
        return None
    odd = [s.key for s in counted if s.allotted.unit is not limit.unit]
    if odd:
        return (
            f"steps {', '.join(odd)} are not in the limit's unit; a limit of '{limit}' "
            f"is split in the same unit"
        )
    total = sum((s.allotted.amount for s in counted), Decimal(0))
    if total != limit.amount:
        return (
            f"the steps add up to {_num(total)} but the legal limit is '{limit}' "
            f"({_num(limit.amount)})"
        )
    return None


# -- field readers -----------------------------------------------------------------------
def _unknown_key(key: object, allowed: Sequence[str]) -> str:
    return f"unknown field {str(key)!r}; expected one of {', '.join(allowed)}"


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).strip().lower().split())


def _text(
    entry: Mapping[str, Any], key: str, label: str, problems: _Problems, *, required: bool
) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            problems.add(label, key, "missing")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(label, key, f"expected non-empty text, got {_kind(value)}")
        return None
    return value.strip()


def _texts(raw: object, label: str, key: str, problems: _Problems) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, Sequence) or not all(isinstance(x, str) for x in raw):
        problems.add(label, key, f"expected a list of texts, got {_kind(raw)}")
        return ()
    return tuple(raw)


def _enum(
    raw: object, enum: type[_E], label: str, key: str, problems: _Problems, *, default: _E | None
) -> _E | None:
    if raw is None:
        if default is None:
            problems.add(label, key, f"missing: one of {_choices(enum)}")
        return default
    if isinstance(raw, str):
        norm = _normalise(raw)
        for member in enum:
            if member.value == norm:
                return member
        alias = _ALIASES.get(enum, {}).get(norm)
        for member in enum:
            if alias is member:
                return member
    problems.add(
        label, key, f"unknown {_LABELS.get(enum, key)} {raw!r}; expected one of {_choices(enum)}"
    )
    return None


def _choices(enum: type[Enum]) -> str:
    return ", ".join(repr(m.value) for m in enum)


def _pauses(raw: object, label: str, problems: _Problems) -> frozenset[PauseReason]:
    if raw is None:
        return frozenset()
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        problems.add(
            label, "excluded_pauses", f"expected a list of pause reasons, got {_kind(raw)}"
        )
        return frozenset()
    reasons: set[PauseReason] = set()
    for i, item in enumerate(raw):
        reason = _enum(item, PauseReason, label, f"excluded_pauses[{i}]", problems, default=None)
        if reason is not None:
            reasons.add(reason)
    return frozenset(reasons)


def _bool(raw: object, label: str, key: str, problems: _Problems, *, default: bool) -> bool:
    if raw is None:
        return default
    if not isinstance(raw, bool):
        problems.add(label, key, f"expected true or false, got {_kind(raw)}")
        return default
    return raw


def _fee(raw: object, label: str, problems: _Problems) -> Fee:
    if raw is None:
        return Fee()
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = {"amount": raw}
    if not isinstance(raw, Mapping):
        problems.add(
            label,
            "fee",
            f"expected a mapping with amount, online_payment, note; got {_kind(raw)}",
        )
        return Fee()
    for key in raw:
        if key not in _FEE_KEYS:
            problems.add(label, f"fee.{key}", _unknown_key(key, _FEE_KEYS))
    amount = raw.get("amount")
    if amount is None:
        pass
    elif isinstance(amount, bool) or not isinstance(amount, int):
        problems.add(label, "fee.amount", f"expected a whole number of đồng, got {_kind(amount)}")
        amount = 0
    elif amount < 0:
        problems.add(label, "fee.amount", f"a fee cannot be negative ({amount})")
        amount = None
    online = _bool(raw.get("online_payment"), label, "fee.online_payment", problems, default=False)
    note = raw.get("note", "")
    if not isinstance(note, str):
        problems.add(label, "fee.note", f"expected text, got {_kind(note)}")
        note = ""
    return Fee(amount, online, note)


def _date(raw: object, label: str, key: str, problems: _Problems) -> date | None:
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    problems.add(label, key, f"expected a date such as 2025-07-01, got {_kind(raw)}")
    return None


def _limit(
    raw: object, label: str, key: str, problems: _Problems, *, required: bool
) -> TimeLimit | None:
    if raw is None:
        if required:
            problems.add(
                label, key, "missing: the wording of the procedure sheet, e.g. '05 ngày làm việc'"
            )
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        problems.add(label, key, f"{raw!r} has no unit; write e.g. '{raw} ngày làm việc'")
        return None
    if not isinstance(raw, str):
        problems.add(label, key, f"expected the wording of a time limit, got {_kind(raw)}")
        return None
    try:
        return TimeLimit.parse(raw)
    except TimeLimitParseError as exc:
        problems.add(label, key, str(exc))
        return None
