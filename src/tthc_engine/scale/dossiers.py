"""What Spark's executors run: a log's lines keyed by dossier, each dossier's lines put in
order, and the project's own folds over them.

Nothing here imports pyspark: these are plain functions over iterators, handed to
``mapPartitionsWithIndex`` / ``mapPartitions`` by :mod:`.spark` (and testable without it).

A line travels as ``((dossier, file, partition, index), raw)``: ``file`` is the position of
its file among the logs, ``partition`` and ``index`` its place in Spark's reading of them
(the partitions of one file follow each other, in order, so the three give the line's
place in the concatenated logs). After the shuffle a partition holds whole dossiers,
sorted by that key; :func:`dossier_lines` turns one dossier's run into its lines in the
order the fold needs: file order within a file, and across files by business time
(then file and line), so that a dossier whose months sit in separate files is read
in time order whatever order the files were named in.

:func:`fold_report` is the streaming replay's loop (:func:`tthc_engine.interchange.replay`):
same parsing, same problems, same rejection of a dossier at its first problem, the same
:class:`~tthc_engine.projections.ReportFold`. A problem's line number is filled in on the
driver, which alone knows how many lines the earlier partitions hold
(:func:`number_problems`).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from tthc_engine.catalog import Catalog
from tthc_engine.domain.facts import FactRules
from tthc_engine.domain.fold import FoldedDossier
from tthc_engine.interchange.jsonl import Line, dossier_of, parse
from tthc_engine.interchange.replay import fold_line, lines_span
from tthc_engine.interchange.rows import COLUMNS, procedure_at_receipt, row_of
from tthc_engine.interchange.schema import Problem
from tthc_engine.projections import FactError, Period, PeriodTally, ReportFold
from tthc_engine.projections.stream import fold_fact
from tthc_engine.worktime import VN_TZ, Comparison, VietnamCalendar

__all__ = [
    "Key",
    "PartReport",
    "Place",
    "dossier_lines",
    "dossier_partition",
    "fold_dossiers",
    "fold_report",
    "fold_rows",
    "keyed_lines",
    "last_time",
    "line_counts",
    "merge_parts",
    "month_of",
    "number_problems",
    "province_of",
    "span_of_lines",
]

Key = tuple[str, int, int, int]
"""(dossier, file, partition, index): how a line is shuffled and sorted."""
Place = tuple[int, int]
"""(partition, index) of a line in Spark's reading of the logs."""

_NO_DOSSIER = ""
"""The key of lines whose dossier cannot be found without parsing (they are bad lines)."""
_BEFORE_ALL = datetime(1, 1, 2, tzinfo=UTC)


def keyed_lines(starts: Sequence[int], partition: int, raws: Iterable[bytes]) -> Iterator[Any]:
    """``((dossier, file, partition, index), raw)`` for every non-blank line of a partition
    of the logs (``starts``: the first partition of each file)."""
    file = _file_of(starts, partition)
    for index, raw in enumerate(raws):
        if raw.strip():
            code = dossier_of(raw)
            yield (code if code is not None else _NO_DOSSIER, file, partition, index), raw


def _file_of(starts: Sequence[int], partition: int) -> int:
    return max(bisect.bisect_right(starts, partition) - 1, 0)


def dossier_partition(key: Key) -> int:
    """The shuffle's partition of a line: a hash of its dossier code (a dossier's lines
    meet in one partition; the same hash as ``replay(jobs=N)``)."""
    return zlib.crc32(key[0].encode())


def line_counts(partition: int, raws: Iterable[bytes]) -> Iterator[tuple[int, int]]:
    """(partition, how many lines it holds, blank ones included)."""
    yield partition, sum(1 for _ in raws)


def span_of_lines(raws: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """The first and last business dates of a partition's lines (the scan of
    :func:`~tthc_engine.interchange.log_span`), as a partition's one item, or none."""
    span = lines_span(raws)
    if span is not None:
        yield span


@attrs.frozen
class _Read:
    place: Place
    raw: bytes
    line: Line


def dossier_lines(run: Iterable[tuple[Key, bytes]]) -> Iterator[_Read]:
    """One dossier's lines (sorted by key) in the order they are carried out: each file's
    lines in file order, the files merged by business time (a line that cannot be parsed
    keeps its place after the line before it in its file)."""
    runs: list[list[tuple[datetime, _Read]]] = []
    for _, lines in itertools.groupby(run, key=lambda item: item[0][1]):
        ordered: list[tuple[datetime, _Read]] = []
        at = _BEFORE_ALL
        for (_, _, partition, index), raw in lines:
            line = parse(0, "", raw)
            if line.fact is not None:
                at = line.fact.at
            ordered.append((at, _Read((partition, index), raw, line)))
        runs.append(ordered)
    if len(runs) == 1:
        for _, read in runs[0]:
            yield read
        return
    for _, read in heapq.merge(*runs, key=lambda item: item[0]):
        yield read


@attrs.frozen
class PartReport:
    """What one partition's fold found (problems keyed by the line's place; their line
    numbers are filled in on the driver)."""

    tally: PeriodTally
    problems: list[tuple[Place, Problem]]
    lines: int
    facts: int
    rejected: set[str]


def fold_report(
    period: Period,
    rules: FactRules,
    catalog: Catalog | None,
    by: Comparison,
    skip: frozenset[str] | None,
    records: Iterable[tuple[Key, bytes]],
) -> Iterator[PartReport]:
    """The report fold over a partition of whole dossiers, exactly as the streaming replay
    folds a part of the logs (``skip``: dossiers to leave out, the bad ones of a first
    pass)."""
    fold = ReportFold(period, rules, catalog, by)
    problems: list[tuple[Place, Problem]] = []
    rejected: set[str] = set()
    lines = 0
    for _, run in itertools.groupby(records, key=lambda item: item[0][0]):
        for read in dossier_lines(run):
            lines += 1
            found = fold_line(fold, read.line, read.raw, 0, rejected, skip)
            problems.extend((read.place, problem) for problem in found)
    yield PartReport(fold.finish(), problems, lines, fold.facts, rejected)


def merge_parts(mine: PartReport, other: PartReport) -> PartReport:
    """Two partitions' findings as one (the tallies added key by key; ``mine`` is reused)."""
    return PartReport(
        mine.tally.merge(other.tally),
        mine.problems + other.problems,
        mine.lines + other.lines,
        mine.facts + other.facts,
        mine.rejected | other.rejected,
    )


def number_problems(
    problems: Iterable[tuple[Place, Problem]], counts: dict[int, int]
) -> list[Problem]:
    """The problems with the line numbers the streaming replay gives (numbered from 1
    across the logs in order, blank lines counted), sorted by line."""
    before: dict[int, int] = {}
    total = 0
    for partition in sorted(counts):
        before[partition] = total
        total += counts[partition]
    numbered = [
        attrs.evolve(problem, line=before[partition] + index + 1)
        for (partition, index), problem in problems
    ]
    numbered.sort(key=lambda p: p.line)
    return numbered


# -- the dossier rows ------------------------------------------------------------------------
_PROVINCE = re.compile(r"^[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*\.([A-Z][0-9]{2})-")


def province_of(code: str) -> str:
    """The province part of a dossier code (``000.00.10.H41-250414-0001`` → ``H41``), or
    ``unknown``."""
    m = _PROVINCE.match(code)
    return m.group(1) if m else "unknown"


def month_of(d: FoldedDossier) -> str:
    """The month (``YYYY-MM``, in Vietnam's time) a dossier is filed under: of its receipt,
    else of its first recorded time."""
    when = d.received_at or d.submitted_at or d.last_at
    if when is None:  # pragma: no cover - a folded dossier has at least one fact
        return "unknown"
    return when.astimezone(VN_TZ).strftime("%Y-%m")


def fold_dossiers(
    rules: FactRules, catalog: Catalog | None, records: Iterable[tuple[Key, bytes]]
) -> Iterator[tuple[str, Any]]:
    """Each dossier of a partition folded from its facts (``("dossier", FoldedDossier)``),
    or its problems (``("problem", (place, Problem))``): a dossier with a problem is left
    out, as ``replay(skip_bad=True)`` leaves it out of the report."""
    for _, run in itertools.groupby(records, key=lambda item: item[0][0]):
        dossiers: dict[str, FoldedDossier] = {}
        bad: set[str] = set()
        for read in dossier_lines(run):
            fact = read.line.fact
            if fact is None:
                for problem in read.line.problems:
                    yield "problem", (read.place, problem)
                code = dossier_of(read.raw)
                if code is not None:
                    bad.add(code)
                continue
            if fact.dossier in bad:
                continue
            try:
                dossiers[fact.dossier] = fold_fact(dossiers.get(fact.dossier), fact, rules, catalog)
            except FactError as error:
                yield "problem", (read.place, Problem(0, fact.type.value, str(error.cause)))
                bad.add(fact.dossier)
        for code, folded in dossiers.items():
            if code not in bad:
                yield "dossier", folded


def fold_rows(
    calendar: VietnamCalendar,
    catalog: Catalog | None,
    as_of: datetime,
    by: Comparison,
    dossiers: Iterable[FoldedDossier],
) -> Iterator[tuple[Any, ...]]:
    """The row of each dossier (the columns of :data:`~tthc_engine.interchange.rows.COLUMNS`,
    then its province and month)."""
    for d in dossiers:
        row = row_of(d, calendar, as_of, procedure_at_receipt(catalog, d), by)
        yield (*(row[c.name] for c in COLUMNS), province_of(d.code), month_of(d))


def last_time(dossiers: Iterable[FoldedDossier]) -> Iterator[datetime]:
    """The latest business time of a partition's dossiers (none if it has none)."""
    times = [d.last_at for d in dossiers if d.last_at is not None]
    if times:
        yield max(times)
