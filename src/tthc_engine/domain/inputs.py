"""What a value handed to a dossier command must be, and the error when it is not.

Every field that enters the dossier passes one of these readers before an event is
triggered, so a refused value never reaches the store (a lone surrogate, for one, would
otherwise pass the command and fail the whole commit). Each error is an
:class:`~tthc_engine.errors.InvalidInputError` that names the field and the rule; values of
personal fields (``applicant``) are never repeated in a message (Nghị định 13/2023/NĐ-CP on
personal data), and other values are shown cut to a few dozen characters.

Size limits (documented in ``docs/dossier.md``): they are far above what a real slip holds
and keep one careless client from storing megabytes in an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from tthc_engine.catalog import AGENCY_CODE
from tthc_engine.errors import InvalidInputError, shown

__all__ = [
    "MAX_APPLICANT_FIELDS",
    "MAX_APPLICANT_VALUE",
    "MAX_ID",
    "MAX_ITEMS",
    "MAX_TEXT",
    "agency_code",
    "applicant",
    "command_id",
    "flag",
    "optional_text",
    "shown",
    "text",
    "texts",
    "whole_number",
]

MAX_TEXT: Final = 2000
"""Characters in a free text: a reason, an outcome, a comment, a step or procedure name."""
MAX_ID: Final = 200
"""Characters in an identifier given by the caller: ``command_id``, ``actor``, a step key."""
MAX_ITEMS: Final = 100
"""Entries in a list of documents asked for (``items`` of a supplement request)."""
MAX_APPLICANT_FIELDS: Final = 50
"""Fields in the ``applicant`` mapping (name, ID number, address…)."""
MAX_APPLICANT_VALUE: Final = 500
"""Characters in one field of the ``applicant`` mapping, and in a field's name."""


def _problem(value: str, limit: int) -> str | None:
    """What is wrong with a text, or None: too long, unencodable or with control bytes."""
    if len(value) > limit:
        return f"is {len(value):,} characters long; the limit is {limit:,}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (it holds a lone surrogate)"
    if "\x00" in value:
        return "holds a NUL character"
    return None


def text(value: object, field: str, *, limit: int = MAX_TEXT, optional: bool = False) -> str:
    """A text of at most ``limit`` characters with something besides white space in it,
    returned as given (a reason or comment reads back exactly as it was written).

    With ``optional``, ``None`` and blank text give ``""``.
    """
    if optional and (value is None or value == ""):
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{field}: expected text, got {type(value).__name__} {shown(value)}"
        )
    problem = _problem(value, limit)
    if problem is not None:
        raise InvalidInputError(f"{field}: the text {problem}")
    if not value.strip():
        if optional:
            return ""
        raise InvalidInputError(f"{field}: expected non-empty text, got {shown(value)}")
    return value


def optional_text(value: object, field: str, *, limit: int = MAX_ID) -> str | None:
    """``None``, or a non-empty text (an ``actor``)."""
    if value is None:
        return None
    return text(value, field, limit=limit)


def command_id(value: object) -> str | None:
    """``None``, or the non-empty identifier of a command (at most :data:`MAX_ID` characters)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(
            f"command_id: expected a non-empty text that identifies the command, got {shown(value)}"
        )
    return text(value, "command_id", limit=MAX_ID)


def agency_code(value: object, field: str = "agency") -> str:
    """An agency identifier (mã định danh điện tử, QĐ 20/2020/QĐ-TTg) such as
    ``000.00.10.H41``, in ASCII digits and capitals."""
    if value.__class__ is str and value in _KNOWN_AGENCIES:  # a province has a few hundred
        return value
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{field}: expected an agency code like 000.00.10.H41, got "
            f"{type(value).__name__} {shown(value)}"
        )
    code = value
    if not AGENCY_CODE.match(code):
        raise InvalidInputError(
            f"{field}: {shown(value)} is not an agency code like 000.00.10.H41 "
            "(mã định danh: ASCII digits and capitals, QĐ 20/2020/QĐ-TTg)"
        )
    if len(_KNOWN_AGENCIES) < 100_000:
        _KNOWN_AGENCIES.add(code)
    return code


_KNOWN_AGENCIES: set[str] = set()
"""Agency codes already found valid (every command checks its agency)."""


def flag(value: object, field: str) -> bool:
    """``True`` or ``False`` itself: ``"no"``, ``0`` or ``None`` are refused, not guessed."""
    if not isinstance(value, bool):
        raise InvalidInputError(f"{field}: expected true or false, got {shown(value)}")
    return value


def whole_number(
    value: object, field: str, *, minimum: int = 0, maximum: int = 10**15, unit: str = ""
) -> int:
    """A whole number (not a bool, not a float) in ``[minimum, maximum]``; ``unit`` names
    what is counted in the message (``"of đồng"``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        what = f"a whole number {unit} ≥ {minimum}" if unit else f"a whole number ≥ {minimum}"
        raise InvalidInputError(f"{field}: expected {what}, got {shown(value)}")
    if not minimum <= value <= maximum:
        raise InvalidInputError(f"{field}: {value} is outside {minimum}..{maximum:,}")
    return value


def texts(value: object, field: str, *, limit: int = MAX_ITEMS) -> list[str]:
    """A list (or tuple) of non-empty texts; a single text is refused, not split into letters."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidInputError(f"{field}: expected a list of texts, got {shown(value)}")
    items = list(value)
    if len(items) > limit:
        raise InvalidInputError(f"{field}: {len(items)} entries; the limit is {limit}")
    return [text(item, f"{field}[{i}]", limit=MAX_APPLICANT_VALUE) for i, item in enumerate(items)]


def applicant(value: object) -> dict[str, str] | None:
    """The applicant's details: a mapping of text fields to text values, or ``None``.

    Personal data (ND 13/2023/NĐ-CP): errors name the field and the problem, never a value.
    """
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidInputError(
            f"applicant: expected a mapping of text fields, got {type(value).__name__}"
        )
    if len(value) > MAX_APPLICANT_FIELDS:
        raise InvalidInputError(
            f"applicant: {len(value)} fields; the limit is {MAX_APPLICANT_FIELDS}"
        )
    result: dict[str, str] = {}
    for index, (key, item) in enumerate(value.items()):
        if not isinstance(key, str) or not key.strip():
            raise InvalidInputError(f"applicant: field #{index + 1} has no text name")
        problem = _problem(key, MAX_APPLICANT_VALUE)
        if problem is not None:
            raise InvalidInputError(f"applicant: the name of field #{index + 1} {problem}")
        if not isinstance(item, str):
            raise InvalidInputError(
                f"applicant.{key.strip()[:40]}: expected text, got {type(item).__name__}"
            )
        problem = _problem(item, MAX_APPLICANT_VALUE)
        if problem is not None:
            raise InvalidInputError(f"applicant.{key.strip()[:40]}: the value {problem}")
        result[key] = item
    return result
