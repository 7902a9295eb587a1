"""The event-log line format ``tthc.event/1`` (DESIGN.md §6), field by field.

One line is one fact::

    {"schema": "tthc.event/1", "id": "apr-014", "dossier": "000.00.10.H41-250414-0001",
     "type": "step_started", "at": "2025-04-14T09:00:00+07:00", "agency": "000.00.10.H41",
     "data": {"step": "receive", "allotted": "1 ngày làm việc"}}

``actor`` (text) may be added at the top level. :data:`DATA_FIELDS` says, for every type,
which ``data`` fields exist, whether they are required and what they hold; the same table
checks each line (:func:`check_record`) and writes the JSON Schemas of ``docs/schema/``
(:func:`json_schema`), so the documentation cannot drift from the reader;
``make schemas`` rewrites them (:func:`main`). Values that the
engine derives (dues, the regime, the control slip's verdicts) are not part of a line: a
replay computes them again with the calendar and the rules.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import attrs

from tthc_engine.catalog import PauseReason, SupplementPolicy
from tthc_engine.domain import Channel, Rating
from tthc_engine.domain.facts import Fact, FactType
from tthc_engine.errors import InvalidInputError, TimeLimitParseError
from tthc_engine.worktime import TimeLimit, ensure_aware

__all__ = [
    "DATA_FIELDS",
    "SCHEMA",
    "FieldSpec",
    "Problem",
    "check_record",
    "json_schema",
    "schema_text",
    "write_schemas",
]

SCHEMA: Final = "tthc.event/1"
"""The version of the line format; a line of another version is refused."""

TOP_FIELDS = ("schema", "id", "dossier", "type", "at", "agency", "data", "actor")


@attrs.frozen
class FieldSpec:
    """What a ``data`` field holds: ``kind`` is text, int, bool, instant, limit, texts,
    steps, mapping, or ``enum`` with ``choices``."""

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""


def _enum(values: tuple[str, ...], required: bool = False, description: str = "") -> FieldSpec:
    return FieldSpec("enum", required, values, description)


_CHANNELS = tuple(c.value for c in Channel)
_RATINGS = tuple(r.value for r in Rating)
_REASONS = tuple(r.value for r in PauseReason)
_POLICIES = tuple(p.value for p in SupplementPolicy)

DATA_FIELDS: Mapping[FactType, Mapping[str, FieldSpec]] = {
    FactType.SUBMITTED: {
        "procedure": FieldSpec("text", True, description="national procedure code"),
        "channel": _enum(_CHANNELS, description="default online"),
        "applicant": FieldSpec("mapping", description="personal data; left out of exports"),
    },
    FactType.RECEIVED: {
        "procedure": FieldSpec("text", True, description="national procedure code"),
        "channel": _enum(_CHANNELS, description="default counter"),
        "limit": FieldSpec(
            "limit",
            description="legal limit as worded on the procedure sheet; required without a catalog",
        ),
        "procedure_name": FieldSpec("text"),
        "applicant": FieldSpec("mapping", description="personal data; left out of exports"),
        "supplement_policy": _enum(_POLICIES, description="default pause"),
        "excluded_pauses": FieldSpec("texts", choices=_REASONS),
        "process": FieldSpec("steps", description="the internal process fixed at receipt"),
    },
    FactType.REFUSED: {
        "procedure": FieldSpec("text"),
        "channel": _enum(_CHANNELS),
        "reason": FieldSpec("text", True),
    },
    FactType.STEP_STARTED: {
        "step": FieldSpec("text", True, description="the step's key (or name)"),
        "allotted": FieldSpec(
            "limit", description="the step's share; required if the process does not list the step"
        ),
        "name": FieldSpec("text"),
    },
    FactType.STEP_FINISHED: {"step": FieldSpec("text")},
    FactType.SUPPLEMENT_REQUESTED: {
        "reason": FieldSpec("text", True),
        "items": FieldSpec("texts"),
    },
    FactType.SUPPLEMENT_RECEIVED: {},
    FactType.PAUSED: {"reason": _enum(_REASONS, True)},
    FactType.RESUMED: {},
    FactType.RESOLVED: {"outcome": FieldSpec("text", description="default approved")},
    FactType.RESULT_RETURNED: {"channel": _enum(_CHANNELS, description="default counter")},
    FactType.WITHDRAWN: {"reason": FieldSpec("text")},
    FactType.STOPPED: {"reason": FieldSpec("text", True)},
    FactType.BECAME_OVERDUE: {},
    FactType.APOLOGY_ISSUED: {
        "new_due": FieldSpec("instant", True, description="the new appointment"),
        "reason": FieldSpec("text", True),
    },
    FactType.FEEDBACK_GIVEN: {
        "rating": _enum(_RATINGS, True),
        "comment": FieldSpec("text"),
        "complaint": FieldSpec("bool"),
    },
    FactType.FEE_PAID: {
        "amount": FieldSpec("int", True, description="đồng"),
        "online": FieldSpec("bool", True),
    },
    FactType.DIGITISED: {
        "components": FieldSpec("int", description="default 1"),
        "e_result": FieldSpec("bool"),
        "reused": FieldSpec("bool"),
    },
}


@attrs.frozen
class Problem:
    """One problem of one line: ``line N: field: message``."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"a number ({value!r:.30})"
    if isinstance(value, str):
        return f"text {value!r:.40}"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _instant(value: object, field: str, line: int, problems: list[Problem]) -> datetime | None:
    if not isinstance(value, str):
        problems.append(Problem(line, field, f"expected an ISO 8601 time, got {_kind(value)}"))
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.append(
            Problem(
                line, field, f"{value!r:.40} is not an ISO 8601 time (2025-04-14T09:00:00+07:00)"
            )
        )
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        problems.append(
            Problem(
                line, field, f"naive time {value!r}: business times carry their offset (+07:00)"
            )
        )
        return None
    try:
        return ensure_aware(parsed, field)  # once here, not again in every command
    except InvalidInputError as exc:
        problems.append(Problem(line, field, str(exc).removeprefix(f"{field}: ")))
        return None


def _check_data(
    kind: FactType, data: Mapping[str, Any], line: int, problems: list[Problem]
) -> dict[str, Any]:
    specs = DATA_FIELDS[kind]
    out: dict[str, Any] = {}
    for name in data:
        if name not in specs:
            known = ", ".join(specs) or "none"
            problems.append(
                Problem(line, f"data.{name}", f"unknown field for {kind.value} (fields: {known})")
            )
    for name, spec in specs.items():
        where = f"data.{name}"
        if name not in data:
            if spec.required:
                problems.append(Problem(line, where, f"missing: {kind.value} needs it"))
            continue
        value = data[name]
        if spec.kind in ("text", "limit"):
            if not isinstance(value, str) or (spec.required and not value.strip()):
                problems.append(
                    Problem(line, where, f"expected non-empty text, got {_kind(value)}")
                )
                continue
            if spec.kind == "limit":
                try:
                    TimeLimit.parse(value)
                except TimeLimitParseError as exc:
                    problems.append(Problem(line, where, str(exc)))
                    continue
        elif spec.kind == "enum":
            if value not in spec.choices:
                problems.append(
                    Problem(line, where, f"{value!r:.40} is not one of {', '.join(spec.choices)}")
                )
                continue
        elif spec.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(
                    Problem(line, where, f"expected a whole number, got {_kind(value)}")
                )
                continue
        elif spec.kind == "bool":
            if not isinstance(value, bool):
                problems.append(Problem(line, where, f"expected true or false, got {_kind(value)}"))
                continue
        elif spec.kind == "instant":
            value = _instant(value, where, line, problems)
            if value is None:
                continue
        elif spec.kind == "texts":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(
                    Problem(line, where, f"expected a list of texts, got {_kind(value)}")
                )
                continue
            if spec.choices and any(v not in spec.choices for v in value):
                problems.append(
                    Problem(line, where, f"expected values among {', '.join(spec.choices)}")
                )
                continue
        elif spec.kind == "mapping":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                problems.append(Problem(line, where, "expected an object of text fields"))
                continue
        elif spec.kind == "steps" and (
            not isinstance(value, list) or not all(isinstance(v, dict) for v in value)
        ):
            problems.append(Problem(line, where, "expected a list of step objects"))
            continue
        out[name] = value
    return out


def check_record(record: object, line: int) -> tuple[Fact | None, list[Problem]]:
    """The fact a parsed line holds, or None with every problem found in it."""
    problems: list[Problem] = []
    if not isinstance(record, dict):
        return None, [Problem(line, "(line)", f"expected a JSON object, got {_kind(record)}")]
    for name in record:
        if name not in TOP_FIELDS:
            problems.append(
                Problem(line, str(name), f"unknown field (fields: {', '.join(TOP_FIELDS)})")
            )
    schema = record.get("schema")
    if schema != SCHEMA:
        problems.append(Problem(line, "schema", f"expected {SCHEMA!r}, got {_kind(schema)}"))
    ident = record.get("id")
    if not isinstance(ident, str) or not ident.strip():
        problems.append(Problem(line, "id", f"expected a non-empty text id, got {_kind(ident)}"))
    dossier = record.get("dossier")
    if not isinstance(dossier, str) or not dossier.strip():
        problems.append(Problem(line, "dossier", f"expected a dossier code, got {_kind(dossier)}"))
    agency = record.get("agency")
    if not isinstance(agency, str) or not agency.strip():
        problems.append(Problem(line, "agency", f"expected an agency code, got {_kind(agency)}"))
    actor = record.get("actor")
    if actor is not None and not isinstance(actor, str):
        problems.append(Problem(line, "actor", f"expected text, got {_kind(actor)}"))
    at = _instant(record.get("at"), "at", line, problems)
    raw_type = record.get("type")
    kind: FactType | None = None
    try:
        kind = FactType(raw_type)
    except ValueError:
        known = ", ".join(t.value for t in FactType)
        problems.append(Problem(line, "type", f"unknown type {raw_type!r:.40} (types: {known})"))
    data = record.get("data", {})
    if not isinstance(data, dict):
        problems.append(Problem(line, "data", f"expected an object, got {_kind(data)}"))
        data = {}
    checked = _check_data(kind, data, line, problems) if kind is not None else {}
    if problems:
        return None, problems
    assert kind is not None
    assert at is not None
    return (
        Fact(str(ident), str(dossier), kind, at, str(agency), checked, actor),
        [],
    )


# -- JSON Schema -------------------------------------------------------------------------
_JSON_TYPES: Mapping[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1},
    "limit": {"type": "string", "minLength": 1},
    "int": {"type": "integer"},
    "bool": {"type": "boolean"},
    "instant": {"type": "string", "format": "date-time"},
    "texts": {"type": "array", "items": {"type": "string"}},
    "mapping": {"type": "object", "additionalProperties": {"type": "string"}},
    "steps": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["key", "name", "agency", "allotted"],
            "properties": {
                "key": {"type": "string"},
                "name": {"type": "string"},
                "agency": {"type": "string"},
                "allotted": {"type": "string"},
            },
            "additionalProperties": False,
        },
    },
}


def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    if spec.kind == "enum":
        schema: dict[str, Any] = {"enum": list(spec.choices)}
    else:
        schema = dict(_JSON_TYPES[spec.kind])
        if spec.kind == "texts" and spec.choices:
            schema["items"] = {"enum": list(spec.choices)}
    if spec.description:
        schema["description"] = spec.description
    return schema


def json_schema(kind: FactType) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a line of type ``kind``."""
    specs = DATA_FIELDS[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://tthc-engine/schema/tthc.event-1/{kind.value}.json",
        "title": f"{SCHEMA} {kind.value}",
        "type": "object",
        "required": ["schema", "id", "dossier", "type", "at", "agency"],
        "additionalProperties": False,
        "properties": {
            "schema": {"const": SCHEMA},
            "id": {"type": "string", "minLength": 1},
            "dossier": {"type": "string", "minLength": 1},
            "type": {"const": kind.value},
            "at": {"type": "string", "format": "date-time"},
            "agency": {"type": "string", "minLength": 1},
            "actor": {"type": "string"},
            "data": {
                "type": "object",
                "required": [n for n, s in specs.items() if s.required],
                "additionalProperties": False,
                "properties": {n: _field_schema(s) for n, s in specs.items()},
            },
        },
    }


def schema_text(kind: FactType) -> str:
    """The JSON Schema of ``kind`` as the file ``docs/schema/tthc.event-1/<type>.json``
    holds it (two-space indent, UTF-8 unescaped, a final newline)."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def write_schemas(directory: str | Path) -> list[Path]:
    """Write the JSON Schema of every fact type into ``directory`` (DESIGN.md §6: ``docs/``
    holds the JSON Schema of every ``data``); returns the files written."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FactType:
        path = folder / f"{kind.value}.json"
        path.write_text(schema_text(kind), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``make schemas`` (or ``python -c "from tthc_engine.interchange.schema import main;
    main()" [DIR]``): regenerate the committed JSON Schemas (default
    ``docs/schema/tthc.event-1``)."""
    args = sys.argv[1:] if argv is None else argv
    directory = args[0] if args else "docs/schema/tthc.event-1"
    for path in write_schemas(directory):
        print(path)
    return 0
