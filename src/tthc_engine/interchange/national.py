"""National-portal status histories in, national sync payloads out (DOMAIN.md §3).

**In** (:class:`NationalSource`, ``tthc import --national FILE``): rows of a dossier's
status history — ``MaHoSo``, ``TrangThaiHoSo`` 1–10, ``ThoiGian``, ``MaDonVi``,
``KenhThucHien`` 1/2/3, optional ``NgayHenTra`` and ``MaTTHC`` — from a CSV file, or a JSON
file holding a list of such rows or of the payloads :func:`export_national` writes. Each
dossier's rows are sorted by time and mapped to facts (:class:`StatusMapper`; the mapping,
what it infers and what it cannot know are in ``docs/national.md``); the facts then pass
the same checks and the same import as an event log
(:func:`~tthc_engine.interchange.importer.import_source`).

**Out** (:func:`national_payloads`, ``tthc export --national FILE.json``): one object per
dossier with the fields of the national synchronisation (DOMAIN.md §3.3) and its status
history ``LichSuTrangThai``, read from the dossier's state after each event: the national
status whenever it changes, and every hand-over to a unit (a new "Đang xử lý" by the unit
that took the dossier).

Times without an offset are Vietnam time (UTC+7), as national systems write them
(``2025-04-14 09:30:00``, ``20250414093000``, ``14/04/2025 09:30:00``); times with an offset
are converted. Exported times are ISO 8601 with their offset.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

import attrs

from tthc_engine.catalog import Catalog, PauseReason
from tthc_engine.domain import Channel, PauseKind, Status
from tthc_engine.domain.facts import Fact, FactType
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.domain.receipt import Received
from tthc_engine.domain.steps import StepStarted
from tthc_engine.errors import CatalogError, InvalidInputError, TthcError
from tthc_engine.interchange.exporter import dossier_events
from tthc_engine.interchange.importer import Rejects, SourceLine
from tthc_engine.interchange.jsonl import writing
from tthc_engine.interchange.schema import Problem
from tthc_engine.worktime import VN_TZ, LimitUnit, TimeLimit, VietnamCalendar

if TYPE_CHECKING:
    from tthc_engine.application import OneStopShop

__all__ = [
    "COLUMNS",
    "NationalSource",
    "RowError",
    "StatusMapper",
    "StatusRow",
    "export_national",
    "national_payloads",
    "read_rows",
]

COLUMNS = ("MaHoSo", "TrangThaiHoSo", "ThoiGian", "MaDonVi", "KenhThucHien", "NgayHenTra", "MaTTHC")
"""The columns of a status-history row; the first four are required."""
_REQUIRED = COLUMNS[:4]
HISTORY = "LichSuTrangThai"
"""The status history's key in a national payload."""

_CHANNELS = {1: Channel.COUNTER, 2: Channel.ONLINE, 3: Channel.POSTAL}
"""KenhThucHien (DOMAIN.md §3.2): 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích."""

_REASONS = {
    Status.REFUSED: "Không được tiếp nhận (TrangThaiHoSo 3)",
    Status.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ (TrangThaiHoSo 5)",
    Status.WITHDRAWN: "Công dân yêu cầu rút hồ sơ (TrangThaiHoSo 7)",
    Status.STOPPED: "Dừng xử lý (TrangThaiHoSo 8)",
}
"""The reason a fact carries when the history only gives the status."""

_CUTOFF = time(15, 0)
"""The cut-off of same-day procedures ("nhận sau 15 giờ thì trả trong ngày làm việc tiếp
theo", DOMAIN.md §1.4)."""

_UNIT_WORDS = {
    LimitUnit.WORKING_DAYS: "ngày làm việc",
    LimitUnit.WORKING_HOURS: "giờ làm việc",
    LimitUnit.CALENDAR_DAYS: "ngày",
    LimitUnit.CALENDAR_MONTHS: "tháng",
    LimitUnit.SAME_DAY: "trong ngày",
}
"""DonViTinh of the sync payload (DOMAIN.md §3.3: hour / day / working day / month)."""


# -- reading rows ----------------------------------------------------------------------------
@attrs.frozen
class StatusRow:
    """One checked row of a status history."""

    path: str
    number: int
    code: str
    status: Status
    at: datetime
    agency: str
    channel: Channel | None
    due: datetime | None
    procedure: str | None
    raw: bytes


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def national_time(text: str) -> datetime:
    """A time as national systems write it: ISO 8601 (with an offset, converted; without,
    Vietnam time), ``yyyyMMddHHmmss`` or ``dd/MM/yyyy[ HH:mm[:ss]]`` in Vietnam time."""
    value = text.strip()
    m = _COMPACT.match(value)
    if m:
        y, mo, d, h, mi, s = (int(g) for g in m.groups())
        return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)
    m = _DMY.match(value)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        h, mi, s = (int(g) if g else 0 for g in m.groups()[3:])
        return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=VN_TZ)
    return parsed.astimezone(VN_TZ)


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _check_row(
    fields: Mapping[str, object], path: str, number: int, raw: bytes
) -> tuple[StatusRow | None, list[Problem], str | None]:
    """The row of ``fields`` (keys matched without regard to case), or its problems."""
    by_key = {str(k).strip().lower(): v for k, v in fields.items()}
    value = {name: _text(by_key.get(name.lower())) for name in COLUMNS}
    problems: list[Problem] = []

    def bad(field: str, message: str) -> None:
        problems.append(Problem(number, field, message))

    for name in _REQUIRED:
        if not value[name]:
            bad(name, "missing: every row needs MaHoSo, TrangThaiHoSo, ThoiGian and MaDonVi")
    code = value["MaHoSo"] or None
    status: Status | None = None
    if value["TrangThaiHoSo"]:
        try:
            status = Status(int(value["TrangThaiHoSo"]))
        except ValueError:
            bad("TrangThaiHoSo", f"{value['TrangThaiHoSo']!r:.20} is not a status code 1–10")
    times: dict[str, datetime | None] = {"ThoiGian": None, "NgayHenTra": None}
    for name in times:
        if value[name]:
            try:
                times[name] = national_time(value[name])
            except ValueError:
                bad(name, f"{value[name]!r:.40} is not a time (2025-04-14 09:30:00, ISO 8601)")
    channel: Channel | None = None
    if value["KenhThucHien"]:
        try:
            channel = _CHANNELS[int(value["KenhThucHien"])]
        except (ValueError, KeyError):
            bad("KenhThucHien", f"{value['KenhThucHien']!r:.20} is not 1, 2 or 3")
    at = times["ThoiGian"]
    if problems or code is None or status is None or at is None:
        return None, problems, code
    row = StatusRow(
        path,
        number,
        code,
        status,
        at,
        value["MaDonVi"],
        channel,
        times["NgayHenTra"],
        value["MaTTHC"] or None,
        raw,
    )
    return row, [], code


_Read = tuple[StatusRow | None, list[Problem], str | None, int, bytes]


def _csv_rows(path: str) -> Iterator[_Read]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        head = handle.readline()
        handle.seek(0)  # the utf-8-sig decoder skips a BOM again
        delimiter = ";" if head.count(";") > head.count(",") else ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        names = reader.fieldnames or []
        lowered = {n.strip().lower() for n in names}
        missing = [n for n in _REQUIRED if n.lower() not in lowered]
        if missing:
            raise InvalidInputError(
                f"{path}: the header lacks {', '.join(missing)} (columns: {', '.join(COLUMNS)})"
            )
        for fields in reader:
            out = io.StringIO()
            csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(
                [fields.get(n) or "" for n in names]
            )
            raw = out.getvalue().encode("utf-8")
            row, problems, code = _check_row(fields, path, reader.line_num, raw)
            yield row, problems, code, reader.line_num, raw


def _json_rows(path: str) -> Iterator[_Read]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"{path}: not valid JSON: {exc}") from None
    if isinstance(data, dict):
        data = data.get("dossiers", data.get("rows"))
    if not isinstance(data, list):
        raise InvalidInputError(f"{path}: expected a JSON list of rows or of dossier payloads")
    number = 0
    for entry in data:
        entries: list[object] = [entry]
        if isinstance(entry, dict) and HISTORY in entry:
            history = entry[HISTORY]
            common = {k: entry.get(k) for k in ("MaHoSo", "MaTTHC", "KenhThucHien")}
            entries = [
                {**common, **item} if isinstance(item, dict) else item
                for item in (history if isinstance(history, list) else [history])
            ]
        for item in entries:
            number += 1
            raw = json.dumps(item, ensure_ascii=False).encode("utf-8")
            if not isinstance(item, dict):
                problem = Problem(number, "(row)", "expected an object with MaHoSo, TrangThaiHoSo…")
                yield None, [problem], None, number, raw
                continue
            row, problems, code = _check_row(item, path, number, raw)
            yield row, problems, code, number, raw


def read_rows(path: str | Path) -> Iterator[_Read]:
    """Every row of a CSV or JSON status history: (row or None, problems, dossier code,
    number, raw). CSV rows are numbered by their line; JSON rows by their position (the
    entries of each payload's history counted in order)."""
    name = str(path)
    if not Path(name).is_file():
        raise InvalidInputError(f"{name}: no such file")
    if name.lower().endswith(".json"):
        return _json_rows(name)
    return _csv_rows(name)


# -- mapping rows to facts ---------------------------------------------------------------------
class RowError(InvalidInputError):
    """A row of a status history that cannot be mapped to facts; names the field."""

    def __init__(self, row: StatusRow, field: str, message: str) -> None:
        self.row, self.field, self.message = row, field, message
        super().__init__(f"{row.path}:{row.number}: {field}: {message}")


@attrs.define
class _Dossier:
    """What the mapping needs to know of a dossier as its rows go by."""

    code: str
    opened: Status | None = None
    waiting: Status | None = None
    holder: str = ""
    step_running: bool = False
    steps: int = 0
    resolved: bool = False
    ended: bool = False
    channel: Channel | None = None
    procedure: str | None = None
    due: datetime | None = None
    limit: str = ""


class StatusMapper:
    """The facts of one dossier's status rows (rules in ``docs/national.md``)."""

    def __init__(self, calendar: VietnamCalendar, catalog: Catalog | None = None) -> None:
        self.calendar = calendar
        self.catalog = catalog

    def _procedure_limit(self, procedure: str | None, day: date) -> TimeLimit | None:
        if self.catalog is None or procedure is None:
            return None
        try:
            return self.catalog.in_force(procedure, day).limit
        except CatalogError:
            return None

    def limit(
        self, row: StatusRow, procedure: str | None, due: datetime | None = None
    ) -> TimeLimit:
        """The legal limit of a dossier received at ``row``.

        The catalog's limit (the version in force on the receipt day) when there is no
        ``NgayHenTra`` or when it gives the appointment's date. Otherwise the appointment
        the office gave decides: the first limit whose due is exactly ``NgayHenTra`` among
        ``trong ngày`` (with and without the 15:00 cut-off), N working days and the
        calendar days to it; failing that, the working days whose due falls on its date;
        failing that, the fewest working days that reach it. ``due``: the dossier's
        ``NgayHenTra`` from another row, when the receipt row has none.

        Raises:
            RowError: no ``NgayHenTra`` and no catalog entry in force, or an ``NgayHenTra``
                before the receipt.
        """
        cal = self.calendar
        listed = self._procedure_limit(procedure, row.at.date())
        due = row.due or due
        if due is None:
            if listed is None:
                raise RowError(
                    row,
                    "NgayHenTra",
                    "missing, and no procedure MaTTHC in force in the catalog to take the "
                    "time limit from: the appointment cannot be computed",
                )
            return listed
        target = due.date()
        if listed is not None and cal.due(row.at, listed).due_at.date() == target:
            return listed
        received = row.at.date()
        if target < received:
            raise RowError(
                row, "NgayHenTra", f"{target.isoformat()} is before the receipt {received}"
            )
        guess = max(cal.working_days_between(received, target) - 1, 1)
        days = [TimeLimit.working_days(n) for n in range(guess, guess + 4)]
        others = [TimeLimit.same_day(), TimeLimit.same_day(cutoff=_CUTOFF)]
        if target > received:
            others.append(TimeLimit.calendar_days((target - received).days))
        dues = {c: cal.due(row.at, c).due_at for c in [*days, *others]}
        for candidate, at in dues.items():
            if at == due:
                return candidate
        for candidate in [*days, *others]:
            if dues[candidate].date() == target:
                return candidate
        return next((c for c in days if dues[c].date() >= target), days[-1])

    def facts(self, rows: Sequence[StatusRow]) -> Iterator[tuple[StatusRow, list[Fact]]]:
        """The facts of each row of one dossier (rows in time order).

        Raises:
            RowError: a row cannot be mapped; the error names the row and the field.
        """
        code = rows[0].code
        state = _Dossier(code)
        pays = any(r.status is Status.FINANCIAL_OBLIGATION for r in rows)
        procedure = next((r.procedure for r in rows if r.procedure), None)
        channel = next((r.channel for r in rows if r.channel is not None), None)
        state.procedure, state.channel = procedure, channel
        state.due = next((r.due for r in rows if r.due is not None), None)
        for row in rows:
            out: list[Fact] = []
            try:
                self._row(state, row, pays, out)
            except RowError:
                raise
            except TthcError as error:
                raise RowError(row, "(row)", str(error)) from None
            yield row, out

    def _fact(
        self, state: _Dossier, row: StatusRow, out: list[Fact], kind: FactType, **data: Any
    ) -> None:
        base = f"{state.code}:{row.status.value}:{row.at:%Y%m%dT%H%M%S}:{row.agency}"
        fact_id = base if not out else f"{base}/{len(out) + 1}"
        agency = data.pop("agency", row.agency)
        out.append(Fact(fact_id, state.code, kind, row.at, agency, data))

    def _end_wait(self, state: _Dossier, row: StatusRow, out: list[Fact]) -> None:
        if state.waiting is Status.SUPPLEMENT_REQUESTED:
            self._fact(state, row, out, FactType.SUPPLEMENT_RECEIVED)
        elif state.waiting is Status.FINANCIAL_OBLIGATION:
            self._fact(state, row, out, FactType.RESUMED)
        state.waiting = None

    def _hand_over(self, state: _Dossier, row: StatusRow, out: list[Fact]) -> None:
        if state.step_running:
            self._fact(state, row, out, FactType.STEP_FINISHED, agency=state.holder)
        state.steps += 1
        self._fact(
            state,
            row,
            out,
            FactType.STEP_STARTED,
            step=f"buoc-{state.steps}",
            allotted=state.limit or str(TimeLimit.working_days(1)),
            name=f"Xử lý tại {row.agency} (TrangThaiHoSo 4)",
        )
        state.step_running, state.holder = True, row.agency

    def _resolve(self, state: _Dossier, row: StatusRow, out: list[Fact]) -> None:
        if state.waiting is not None:
            self._end_wait(state, row, out)
        if row.agency != state.holder:
            self._hand_over(state, row, out)
        self._fact(state, row, out, FactType.RESOLVED)
        state.resolved, state.step_running = True, False

    def _row(self, state: _Dossier, row: StatusRow, pays: bool, out: list[Fact]) -> None:
        s = row.status
        procedure = row.procedure or state.procedure
        if s is Status.SUBMITTED:
            if state.opened is None:
                if procedure is None:
                    raise RowError(row, "MaTTHC", "the procedure code is needed at submission")
                channel = row.channel or Channel.ONLINE
                self._fact(
                    state, row, out, FactType.SUBMITTED, procedure=procedure, channel=channel.value
                )
                state.opened, state.holder = s, row.agency
        elif s is Status.RECEIVED:
            if state.opened in (None, Status.SUBMITTED):
                self._receive(state, row, procedure, pays, out)
            elif state.waiting is not None:
                self._end_wait(state, row, out)
        elif s is Status.REFUSED:
            data: dict[str, Any] = {"reason": _REASONS[s]}
            if state.opened is None:
                channel = row.channel or state.channel or Channel.COUNTER
                data.update(procedure=procedure or "", channel=channel.value)
            self._fact(state, row, out, FactType.REFUSED, **data)
            state.opened, state.ended = s, True
        elif s is Status.PROCESSING:
            if state.waiting is not None:
                self._end_wait(state, row, out)
            else:
                self._hand_over(state, row, out)
        elif s is Status.SUPPLEMENT_REQUESTED:
            if state.waiting is not s:
                self._fact(
                    state, row, out, FactType.SUPPLEMENT_REQUESTED, reason=_REASONS[s], items=[]
                )
                state.waiting = s
        elif s is Status.FINANCIAL_OBLIGATION:
            if state.waiting is not s:
                reason = PauseReason.FINANCIAL_OBLIGATION.value
                self._fact(state, row, out, FactType.PAUSED, reason=reason)
                state.waiting = s
        elif s in (Status.WITHDRAWN, Status.STOPPED):
            kind = FactType.WITHDRAWN if s is Status.WITHDRAWN else FactType.STOPPED
            self._fact(state, row, out, kind, reason=_REASONS[s])
            state.ended, state.step_running = True, False
        elif s is Status.RESOLVED:
            if not state.resolved:
                self._resolve(state, row, out)
        elif s is Status.RETURNED:
            if not state.resolved:
                self._resolve(state, row, out)
            self._fact(state, row, out, FactType.RESULT_RETURNED)
            state.ended = True

    def _receive(
        self,
        state: _Dossier,
        row: StatusRow,
        procedure: str | None,
        pays: bool,
        out: list[Fact],
    ) -> None:
        if procedure is None:
            raise RowError(row, "MaTTHC", "the procedure code is needed to receive the dossier")
        limit = self.limit(row, procedure, state.due)
        channel = row.channel or state.channel or Channel.COUNTER
        data: dict[str, Any] = {
            "procedure": procedure,
            "channel": channel.value,
            "limit": str(limit),
        }
        if pays and self._procedure_limit(procedure, row.at.date()) is None:
            data["excluded_pauses"] = [PauseReason.FINANCIAL_OBLIGATION.value]
        self._fact(state, row, out, FactType.RECEIVED, **data)
        state.opened, state.holder, state.limit = Status.RECEIVED, row.agency, str(limit)


class _NationalRejects:
    """Rejected rows in the input's format: CSV with its header, or a JSON list of rows."""

    def __init__(self, path: Path, header: bytes | None) -> None:
        self._handle: IO[bytes] = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._json = header is None
        self._first = True
        self._written: set[tuple[str, int]] = set()
        self._handle.write(b"[\n" if header is None else header)

    def add(self, line: SourceLine) -> None:
        key = (line.path, line.number)
        if key in self._written:
            return
        self._written.add(key)
        if self._json:
            self._handle.write((b"" if self._first else b",\n") + line.raw)
            self._first = False
        else:
            self._handle.write(line.raw)

    def close(self) -> None:
        if self._json:
            self._handle.write(b"\n]\n")
        self._handle.close()


class NationalSource:
    """A national status history (CSV or JSON) as the importer's input: each dossier's
    rows sorted by time and mapped to facts; a dossier with a bad row is not mapped, and
    every one of its rows is rejected with it."""

    def __init__(
        self, path: str | Path, calendar: VietnamCalendar, catalog: Catalog | None = None
    ) -> None:
        self.path = str(path)
        self.mapper = StatusMapper(calendar, catalog)
        self._lines = self._map()

    @property
    def size(self) -> int:
        """The rows that give facts (or problems)."""
        return sum(line.size for line in self._lines)

    def lines(self) -> Iterator[SourceLine]:
        """The mapped facts, dossier by dossier, each dossier's in time order."""
        return iter(self._lines)

    def _map(self) -> list[SourceLine]:
        by_code: dict[str, list[StatusRow]] = {}
        failed: dict[str, list[SourceLine]] = {}
        order: list[str] = []
        lines: list[SourceLine] = []
        seen: set[tuple[str, Status, datetime, str]] = set()
        for row, problems, code, number, raw in read_rows(self.path):
            if row is None:
                line = SourceLine(self.path, number, None, tuple(problems), code, raw, 1)
                if code is None:
                    lines.append(line)
                else:
                    failed.setdefault(code, []).append(line)
                    if code not in by_code:
                        by_code[code] = []
                        order.append(code)
                continue
            key = (row.code, row.status, row.at, row.agency)
            if key in seen:  # an identical row is read once
                continue
            seen.add(key)
            if row.code not in by_code:
                by_code[row.code] = []
                order.append(row.code)
            by_code[row.code].append(row)
        for code in order:
            rows = sorted(by_code[code], key=lambda r: r.at)  # stable: ties keep file order
            if code in failed:
                lines.extend(failed[code])
                lines.extend(SourceLine(r.path, r.number, None, (), code, r.raw, 1) for r in rows)
                continue
            lines.extend(self._dossier_lines(code, rows))
        return lines

    def _dossier_lines(self, code: str, rows: list[StatusRow]) -> list[SourceLine]:
        out: list[SourceLine] = []
        try:
            for row, facts in self.mapper.facts(rows):
                for index, fact in enumerate(facts):
                    size = 1 if index == 0 else 0
                    out.append(SourceLine(row.path, row.number, fact, (), code, row.raw, size))
        except RowError as error:
            failing = error.row
            problem = Problem(failing.number, error.field, error.message)
            bad = [SourceLine(failing.path, failing.number, None, (problem,), code, failing.raw, 1)]
            bad += [
                SourceLine(r.path, r.number, None, (), code, r.raw, 1)
                for r in rows
                if r is not failing
            ]
            return bad
        return out

    def open_rejects(self, path: Path) -> Rejects:
        """Rejected rows: CSV with the input's header, or a JSON list of rows."""
        if self.path.lower().endswith(".json"):
            return _NationalRejects(path, None)
        with open(self.path, encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
        return _NationalRejects(path, header.rstrip("\r\n").encode("utf-8") + b"\n")


# -- the national sync payload ---------------------------------------------------------------
def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@attrs.define
class _Followed:
    dossier: FoldedDossier
    history: list[dict[str, Any]]


def _payload(d: FoldedDossier, history: list[dict[str, Any]]) -> dict[str, Any]:
    """The sync payload of one dossier (DOMAIN.md §3.3)."""
    limit = d.limit
    online_paid = any(p.online and p.amount > 0 for p in d.payments)
    supplements = [p.started_at for p in d.pauses if p.kind is PauseKind.SUPPLEMENT]
    payload: dict[str, Any] = {
        "MaHoSo": d.code,
        "MaTTHC": d.procedure or None,
        "TenTTHC": d.procedure_name or None,
        "MaDonVi": d.receiving_agency or d.holder,
        "KenhThucHien": d.channel.national_code,
        "NgayNopHoSo": _iso(d.submitted_at or d.received_at),
        "NgayTiepNhan": _iso(d.received_at),
        "NgayHenTra": _iso(d.current_due),
        "NgayKetThucXuLy": _iso(d.end_of_processing),
        "ThoiGianGiaiQuyet": None if limit is None else float(limit.amount),
        "DonViTinh": None if limit is None else _UNIT_WORDS[limit.unit],
        "TrangThaiHoSo": d.status.value,
        "NgayYeuCauBoSung": _iso(supplements[-1]) if supplements else None,
        "DuocThanhToanTrucTuyen": 1 if online_paid else 0,
        "DanhSachPhiLePhi": [{"Gia": p.amount} for p in d.payments],
        "HoSoCoThanhPhanSoHoa": 1 if d.digitised_components > 0 else 0,
        HISTORY: history,
    }
    return payload


def national_payloads(app: OneStopShop) -> Iterator[dict[str, Any]]:
    """The national sync payload of every dossier of the store, in the order they were
    first recorded (DOMAIN.md §3.3; ``LichSuTrangThai`` as in the module docstring)."""
    followed: dict[Any, _Followed] = {}
    for event in dossier_events(app):
        entry = followed.get(event.originator_id)
        if entry is None:
            entry = followed[event.originator_id] = _Followed(FoldedDossier(), [])
        d = entry.dossier
        before = d.status if d.version else None
        d.apply_event(event)
        if d.status is not before or isinstance(event, StepStarted):
            row: dict[str, Any] = {
                "TrangThaiHoSo": d.status.value,
                "ThoiGian": event.at.isoformat(),
                "MaDonVi": event.agency,
            }
            if isinstance(event, Received) and d.original_due is not None:
                row["NgayHenTra"] = d.original_due.isoformat()
            entry.history.append(row)
    for entry in followed.values():
        yield _payload(entry.dossier, entry.history)


def export_national(app: OneStopShop, out: TextIO | str | Path) -> int:
    """Write the national payload of every dossier as a JSON list (``"-"``: standard
    output); returns how many dossiers."""
    n = 0
    with writing(out) as stream:
        stream.write("[")
        for payload in national_payloads(app):
            stream.write(",\n" if n else "\n")
            stream.write(json.dumps(payload, ensure_ascii=False))
            n += 1
        stream.write("\n]\n" if n else "]\n")
    return n
