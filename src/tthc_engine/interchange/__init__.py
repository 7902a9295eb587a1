"""Event logs in and out: the ``tthc.event/1`` JSON Lines format and replays of it.

* :mod:`.schema` — the line format field by field, its checks and JSON Schemas;
* :mod:`.jsonl` — reading (every problem with its line number) and canonical writing;
* :mod:`.replay` — a log's report for a period, in one process or split across several;
* :mod:`.exporter` / :mod:`.importer` — a store's history out as a log, and logs into a
  store through the domain's rules (checked first, then written in batches);
* :mod:`.national` — national-portal status histories in, national sync payloads out;
* :mod:`.rows` — one row per dossier with every input of the indicators (CSV, Parquet).
"""

from tthc_engine.interchange.exporter import export_jsonl, facts_of_store
from tthc_engine.interchange.importer import (
    ImportInterruptedError,
    ImportOutcome,
    JsonlSource,
    import_jsonl,
    import_source,
)
from tthc_engine.interchange.jsonl import Line, dumps, read_facts
from tthc_engine.interchange.national import NationalSource, export_national, national_payloads
from tthc_engine.interchange.replay import ReplayOutcome, log_files, log_span, replay
from tthc_engine.interchange.rows import dossier_rows, export_rows
from tthc_engine.interchange.schema import DATA_FIELDS, SCHEMA, Problem, check_record, json_schema

__all__ = [
    "DATA_FIELDS",
    "SCHEMA",
    "ImportInterruptedError",
    "ImportOutcome",
    "JsonlSource",
    "Line",
    "NationalSource",
    "Problem",
    "ReplayOutcome",
    "check_record",
    "dossier_rows",
    "dumps",
    "export_jsonl",
    "export_national",
    "export_rows",
    "facts_of_store",
    "import_jsonl",
    "import_source",
    "json_schema",
    "log_files",
    "log_span",
    "national_payloads",
    "read_facts",
    "replay",
]
