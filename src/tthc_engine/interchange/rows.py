"""One row per dossier: every input of the indicators, for analysts' own tools.

``tthc export --rows dossiers.csv`` (or ``.parquet``) writes, for each dossier of the store,
the values the report of DESIGN.md §7 is computed from — codes, agency, procedure, field,
level, channel, times, the three dues, the end of processing, outcome and status,
timeliness, lateness and its cause, the apology, supplements and paused working time,
payment, digitisation, the last rating and complaints — so that pandas, Polars, DuckDB or
a spreadsheet can recount them. Every judgement is the domain's
(:mod:`tthc_engine.domain.judgements`), and the service inputs are read as the projections
read them (:func:`tthc_engine.projections.dossiers.service_of`): nothing here restates a
rule. Open dossiers are judged at ``as_of`` (by default the latest business time in the
store, so that an export of the same store is the same file).

CSV is written with the standard library (UTF-8, a header row, ISO 8601 times with their
offset, ``true``/``false``, empty for none); Parquet needs the optional extra
``parquet`` (``pip install "tthc-engine[parquet]"``, pyarrow), imported only when used.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from tthc_engine.catalog import Catalog, Procedure
from tthc_engine.domain import judgements
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.errors import CatalogError, InvalidInputError, MissingExtraError
from tthc_engine.interchange.exporter import dossier_events
from tthc_engine.interchange.jsonl import writing
from tthc_engine.projections.dossiers import service_of
from tthc_engine.worktime import VN_TZ, Comparison, VietnamCalendar

if TYPE_CHECKING:
    from tthc_engine.application import OneStopShop

__all__ = [
    "COLUMNS",
    "Column",
    "dossier_rows",
    "dossiers_of_store",
    "export_rows",
    "procedure_at_receipt",
    "row_of",
    "write_csv",
    "write_parquet",
]


@attrs.frozen
class Column:
    """A column of the dossier rows: its name, kind (text, int, float, bool, instant) and
    meaning."""

    name: str
    kind: str
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("code", "text", "mã hồ sơ (MaHoSo)"),
    Column("receiving_agency", "text", "the agency that received (or refused) the dossier"),
    Column("procedure", "text", "national procedure code (MaTTHC)"),
    Column("procedure_name", "text", "the procedure's name, as fixed at receipt"),
    Column("field", "text", "lĩnh vực, from the catalog's version in force at receipt"),
    Column("level", "text", "province / district / commune, from the catalog"),
    Column("channel", "text", "counter / online / postal (KenhThucHien 1/2/3)"),
    Column("status", "int", "national status code now (TrangThaiHoSo 1–10)"),
    Column("status_name", "text", "its Vietnamese name"),
    Column("submitted_at", "instant", "online submission (status 1)"),
    Column("received_at", "instant", "receipt (status 2, NgayTiepNhan)"),
    Column("limit", "text", "legal time limit, as worded on the procedure sheet"),
    Column("original_due", "instant", "the appointment printed at receipt (Mẫu 01)"),
    Column("legal_due", "instant", "the due timeliness is judged by (moved only by legal pauses)"),
    Column("current_due", "instant", "the appointment the citizen holds (NgayHenTra)"),
    Column("end_of_processing", "instant", "NgayKetThucXuLy: resolved > returned > ended"),
    Column("resolved_at", "instant", "status 9"),
    Column("returned_at", "instant", "status 10"),
    Column("outcome", "text", "the resolution's outcome, or the reason it ended"),
    Column("timeliness", "text", "early / on_time / late, of a resolved dossier (QĐ 766 2.1)"),
    Column("late", "bool", "late at as_of: resolved late, or open past its legal due"),
    Column("late_by_days", "int", "working days late (at as_of for an open dossier)"),
    Column("late_cause", "text", "the agency that caused the lateness (DESIGN.md §7)"),
    Column("in_time_766", "bool", "QĐ 766 chỉ số 2.1 at as_of: end ≤ appointment, ≤ 1 supplement"),
    Column("apologies", "int", "apologies with a new appointment (Mẫu 04)"),
    Column("apology_at", "instant", "the first apology"),
    Column("apology_agency", "text", "the agency that issued it"),
    Column("apology_new_due", "instant", "its new appointment"),
    Column("supplement_requests", "int", "requests for supplements (more than one: late)"),
    Column("paused_working_hours", "float", "working hours the clock stood still (to as_of)"),
    Column("steps", "int", "hand-overs recorded on the control slip"),
    Column("fee_paid", "int", "đồng paid"),
    Column("paid_online", "bool", "a fee was paid online (QĐ 766 3.6)"),
    Column("digitised_components", "int", "components digitised (QĐ 766 4.2)"),
    Column("e_result", "bool", "an electronic result was issued (QĐ 766 4.1)"),
    Column("reused_data", "bool", "digitised data was reused (QĐ 766 4.3)"),
    Column("rating", "text", "the last rating: very_satisfied / satisfied / dissatisfied"),
    Column("complaint", "bool", "a complaint or a dissatisfied rating (QĐ 766 5.4)"),
    Column("as_of", "instant", "the instant open dossiers are judged at"),
)
"""The columns, in order."""


def dossiers_of_store(app: OneStopShop) -> list[FoldedDossier]:
    """Every dossier of the store folded from its stored events, in the order they were
    first recorded (one pass over the notification log)."""
    folded: dict[Any, FoldedDossier] = {}
    for event in dossier_events(app):
        d = folded.get(event.originator_id)
        if d is None:
            d = folded[event.originator_id] = FoldedDossier()
            d.id = event.originator_id
        d.apply_event(event)
    return list(folded.values())


def procedure_at_receipt(catalog: Catalog | None, d: FoldedDossier) -> Procedure | None:
    """The catalog's version of ``d``'s procedure in force at its receipt (None without a
    catalog, or when the catalog does not have it)."""
    when = d.received_at or d.last_at
    if catalog is None or when is None or not d.procedure:
        return None
    try:
        return catalog.in_force(d.procedure, when.date())
    except CatalogError:
        return None


def row_of(
    d: FoldedDossier,
    calendar: VietnamCalendar,
    as_of: datetime,
    procedure: Procedure | None = None,
    by: Comparison = Comparison.DATE,
) -> dict[str, Any]:
    """The row of one dossier judged at ``as_of`` (the judgements of
    :mod:`tthc_engine.domain.judgements`; ``procedure``: the catalog's version in force at
    receipt, for the field and level)."""
    service = service_of(d)
    timeliness = judgements.timeliness(d, calendar, by)
    apology = d.apologies[0] if d.apologies else None
    paused = 0.0
    for pause in d.pauses:
        if pause.stops_clock and pause.started_at < as_of:
            end = min(pause.ended_at or as_of, as_of)
            paused += calendar.working_time_between(pause.started_at, end).total_seconds()
    return {
        "code": d.code,
        "receiving_agency": d.receiving_agency or d.holder,
        "procedure": d.procedure or None,
        "procedure_name": d.procedure_name or (procedure.name if procedure else None),
        "field": procedure.field if procedure else None,
        "level": procedure.level.value if procedure else None,
        "channel": d.channel.value,
        "status": d.status.value,
        "status_name": d.status.label_vi,
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "limit": str(d.limit) if d.limit is not None else None,
        "original_due": d.original_due,
        "legal_due": d.legal_due,
        "current_due": d.current_due,
        "end_of_processing": d.end_of_processing,
        "resolved_at": d.resolved_at,
        "returned_at": d.returned_at,
        "outcome": d.outcome or None,
        "timeliness": timeliness.value if timeliness is not None else None,
        "late": judgements.is_late(d, as_of, calendar, by),
        "late_by_days": judgements.late_by(d, calendar, as_of),
        "late_cause": judgements.late_cause(d, as_of, calendar, by),
        "in_time_766": judgements.in_time_766(d, calendar, as_of, by),
        "apologies": len(d.apologies),
        "apology_at": apology.at if apology else None,
        "apology_agency": apology.agency if apology else None,
        "apology_new_due": apology.new_due if apology else None,
        "supplement_requests": d.supplement_requests,
        "paused_working_hours": round(paused / 3600, 4),
        "steps": len(d.steps),
        "fee_paid": sum(p.amount for p in d.payments),
        "paid_online": service.paid_online,
        "digitised_components": d.digitised_components,
        "e_result": d.e_result,
        "reused_data": d.reused_data,
        "rating": service.rating.value if service.rating is not None else None,
        "complaint": service.complained,
        "as_of": as_of,
    }


def dossier_rows(
    app: OneStopShop,
    *,
    as_of: datetime | None = None,
    catalog: Catalog | None = None,
    by: Comparison = Comparison.DATE,
) -> list[dict[str, Any]]:
    """The row of every dossier of the store (``as_of``: by default the latest business
    time recorded; ``catalog``: by default the application's)."""
    dossiers = dossiers_of_store(app)
    if as_of is None:
        times = [d.last_at for d in dossiers if d.last_at is not None]
        as_of = max(times) if times else datetime(2000, 1, 1, tzinfo=VN_TZ)
    elif as_of.tzinfo is None:
        raise InvalidInputError(f"as_of: naive time {as_of.isoformat()} (give its offset)")
    cat = catalog if catalog is not None else app.catalog
    cal = app.calendar
    return [row_of(d, cal, as_of, procedure_at_receipt(cat, d), by) for d in dossiers]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def write_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """Write ``rows`` as CSV with a header (the standard library only); returns how many."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in COLUMNS])
    n = 0
    for row in rows:
        writer.writerow([_cell(row[c.name]) for c in COLUMNS])
        n += 1
    return n


def _pyarrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet, or the one-line error naming the extra."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtraError("writing Parquet (--rows FILE.parquet)", "parquet") from None
    return pyarrow, pyarrow.parquet


def write_parquet(rows: Sequence[dict[str, Any]], path: str | Path) -> int:
    """Write ``rows`` as a Parquet file (needs the ``parquet`` extra: pyarrow); returns how
    many. Times are timestamps in Asia/Ho_Chi_Minh."""
    pa, pq = _pyarrow()
    types = {
        "text": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "instant": pa.timestamp("us", tz="Asia/Ho_Chi_Minh"),
    }
    schema = pa.schema([pa.field(c.name, types[c.kind]) for c in COLUMNS])
    table = pa.Table.from_pylist(list(rows), schema=schema)
    pq.write_table(table, str(path))
    return len(rows)


def export_rows(
    app: OneStopShop,
    out: str | Path,
    *,
    as_of: datetime | None = None,
    catalog: Catalog | None = None,
) -> int:
    """Write one row per dossier to ``out``: Parquet when it ends in ``.parquet``, else CSV
    (``"-"``: standard output); returns how many."""
    name = str(out)
    parquet = name.lower().endswith(".parquet")
    if parquet:
        _pyarrow()  # a missing extra is told before any work
    rows = dossier_rows(app, as_of=as_of, catalog=catalog)
    if parquet:
        return write_parquet(rows, name)
    with writing(name, newline="") as stream:
        return write_csv(rows, stream)
