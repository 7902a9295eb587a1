"""What the executors run, without Spark: a dossier's lines put in order across files."""

from __future__ import annotations

import json

from tthc_engine.interchange.schema import SCHEMA
from tthc_engine.scale.dossiers import Key, dossier_lines, keyed_lines, province_of

CODE = "000.00.10.H41-250414-0001"


def _line(ident: str, at: str, kind: str = "feedback_given") -> bytes:
    record = {
        "schema": SCHEMA,
        "id": ident,
        "dossier": CODE,
        "type": kind,
        "at": at,
        "agency": "000.00.10.H41",
        "data": {"rating": "satisfied"},
    }
    return json.dumps(record).encode()


def test_a_dossiers_files_are_merged_by_business_time_and_each_file_keeps_its_order() -> None:
    may = [_line("m1", "2025-05-02T09:00:00+07:00"), _line("m2", "2025-05-06T09:00:00+07:00")]
    april = [_line("a1", "2025-04-14T09:00:00+07:00"), _line("a2", "2025-05-05T09:00:00+07:00")]
    # the May file was named first (file 0), April's second (file 1)
    run: list[tuple[Key, bytes]] = [
        ((CODE, 0, 0, 0), may[0]),
        ((CODE, 0, 0, 1), may[1]),
        ((CODE, 1, 1, 0), april[0]),
        ((CODE, 1, 1, 1), april[1]),
    ]
    order = [read.line.fact.id for read in dossier_lines(run) if read.line.fact is not None]
    assert order == ["a1", "m1", "a2", "m2"]


def test_inside_one_file_the_file_order_stands_even_against_time() -> None:
    late_first = [_line("x", "2025-05-06T09:00:00+07:00"), _line("y", "2025-05-02T09:00:00+07:00")]
    run: list[tuple[Key, bytes]] = [
        ((CODE, 0, 0, 0), late_first[0]),
        ((CODE, 0, 0, 1), late_first[1]),
    ]
    order = [read.line.fact.id for read in dossier_lines(run) if read.line.fact is not None]
    assert order == ["x", "y"]  # the fold then refuses y, as the streaming replay would


def test_a_line_that_does_not_parse_keeps_its_place_after_the_line_before_it() -> None:
    run: list[tuple[Key, bytes]] = [
        ((CODE, 0, 0, 0), _line("a", "2025-04-14T09:00:00+07:00")),
        ((CODE, 0, 0, 1), b'{"dossier": "' + CODE.encode() + b'", oops'),
        ((CODE, 1, 1, 0), _line("b", "2025-04-10T09:00:00+07:00")),
    ]
    places = [read.place for read in dossier_lines(run)]
    assert places == [(1, 0), (0, 0), (0, 1)]


def test_blank_lines_are_counted_in_a_lines_place_but_not_keyed() -> None:
    keyed = list(keyed_lines([0, 3], 4, [_line("a", "2025-04-14T09:00:00+07:00"), b"\n", b"x"]))
    assert [key for key, _ in keyed] == [(CODE, 1, 4, 0), ("", 1, 4, 2)]


def test_the_province_is_read_from_the_dossier_code() -> None:
    assert province_of(CODE) == "H41"
    assert province_of("H.1-2") == "unknown"
