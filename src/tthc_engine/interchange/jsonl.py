"""Reading and writing event logs in JSON Lines (``tthc.event/1``).

:func:`read_facts` yields, for every line of one or more files, either the fact it holds or
the problems found in it (with the line number); :func:`dumps` writes a fact as one
canonical line, so that export → import → export is byte-identical: the fields in the
order of DESIGN.md §6, ``data`` in the order of :data:`~.schema.DATA_FIELDS`, times in ISO
8601 with their offset, UTF-8 text unescaped.

Lines are parsed with ``orjson`` (several times faster than the standard library, which
matters when a province's year is millions of lines); the output uses the standard
library's formatting so that the canonical spacing never depends on the parser.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

import attrs
import orjson

from tthc_engine.domain.facts import Fact
from tthc_engine.interchange.schema import DATA_FIELDS, SCHEMA, Problem, check_record

__all__ = ["Line", "dossier_of", "dumps", "read_facts", "read_lines"]

_DOSSIER = re.compile(rb'"dossier"\s*:\s*"([^"\\]*)"')


@attrs.frozen
class Line:
    """One line of a log: its number (from 1, across files in order), the file, and the
    fact or the problems."""

    number: int
    path: str
    fact: Fact | None
    problems: tuple[Problem, ...] = ()


@contextlib.contextmanager
def writing(out: TextIO | str | Path, *, newline: str = "\n") -> Iterator[TextIO]:
    """``out`` as a text stream to write an export to: the stream itself, standard output
    for ``"-"``, or the file it names (UTF-8, closed afterwards)."""
    if not isinstance(out, str | Path):
        yield out
    elif str(out) == "-":
        yield sys.stdout
    else:
        with open(out, "w", encoding="utf-8", newline=newline) as handle:
            yield handle


def dossier_of(raw: bytes) -> str | None:
    """The dossier code of a raw line, found without parsing it (None if not found)."""
    m = _DOSSIER.search(raw)
    return m.group(1).decode("utf-8", "replace") if m else None


def read_lines(paths: Iterable[str | Path]) -> Iterator[tuple[int, str, bytes]]:
    """(line number, file, raw bytes) of every non-blank line, numbered across the files."""
    number = 0
    for path in paths:
        with open(path, "rb") as handle:
            for raw in handle:
                number += 1
                if raw.strip():
                    yield number, str(path), raw


def parse(number: int, path: str, raw: bytes) -> Line:
    """The fact of one raw line, or its problems."""
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Line(number, path, None, (Problem(number, "(json)", f"not valid JSON: {exc}"),))
    fact, problems = check_record(record, number)
    return Line(number, path, fact, tuple(problems))


def read_facts(paths: Iterable[str | Path]) -> Iterator[Line]:
    """Every line of the files, parsed and checked."""
    for number, path, raw in read_lines(paths):
        yield parse(number, path, raw)


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _data(fact: Fact) -> dict[str, Any]:
    ordered: dict[str, Any] = {}
    specs: Mapping[str, Any] = DATA_FIELDS[fact.type]
    for name in specs:
        if name in fact.data:
            ordered[name] = _value(fact.data[name])
    for name in fact.data:  # fields the schema does not list are kept, after the known ones
        if name not in ordered:
            ordered[name] = _value(fact.data[name])
    return ordered


def dumps(fact: Fact) -> str:
    """The canonical line of ``fact`` (without the newline)."""
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "id": fact.id,
        "dossier": fact.dossier,
        "type": fact.type.value,
        "at": fact.at.isoformat(),
        "agency": fact.agency,
    }
    if fact.actor is not None:
        record["actor"] = fact.actor
    record["data"] = _data(fact)
    return json.dumps(record, ensure_ascii=False)
