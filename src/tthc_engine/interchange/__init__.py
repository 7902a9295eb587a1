"""Event logs in and out: the ``tthc.event/1`` JSON Lines format and replays of it.

* :mod:`.schema` — the line format field by field, its checks and JSON Schemas;
* :mod:`.jsonl` — reading (every problem with its line number) and canonical writing;
* :mod:`.replay` — a log's report for a period, in one process or split across several.
"""

from tthc_engine.interchange.jsonl import Line, dumps, read_facts
from tthc_engine.interchange.replay import ReplayOutcome, log_span, replay
from tthc_engine.interchange.schema import DATA_FIELDS, SCHEMA, Problem, check_record, json_schema

__all__ = [
    "DATA_FIELDS",
    "SCHEMA",
    "Line",
    "Problem",
    "ReplayOutcome",
    "check_record",
    "dumps",
    "json_schema",
    "log_span",
    "read_facts",
    "replay",
]
