"""Replaying event logs into a period's report, in one process or split across several.

``replay(["2025-04.jsonl"], period=Period.month(2025, 4))`` reads every line once, checks
it (:mod:`.schema`), carries each fact out on its dossier with the domain's rules and
counts it (:class:`~tthc_engine.projections.ReportFold`). Every problem is reported with
its line number; a dossier whose history breaks a rule is not read further (its later
lines would only repeat the problem). With problems, no report is computed unless
``skip_bad`` is set, in which case the report leaves out the bad lines and the dossiers
they belong to.

``jobs=N`` splits the dossiers into N parts by a hash of their code (a dossier's lines
stay in one process, in file order) and adds up the parts' tallies: the report is a sum
over dossiers, so the result is the same as one process.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import attrs

from tthc_engine.catalog import Catalog
from tthc_engine.domain.facts import FactRules
from tthc_engine.errors import InvalidInputError
from tthc_engine.interchange.jsonl import Line, dossier_of, parse, read_lines
from tthc_engine.interchange.schema import Problem
from tthc_engine.projections import FactError, Period, PeriodTally, Report, ReportFold
from tthc_engine.worktime import Comparison, VietnamCalendar

__all__ = ["ReplayOutcome", "fold_line", "lines_span", "log_files", "log_span", "replay"]

Progress = Callable[[int], object]
"""Called with the number of bytes read since the last call."""


@attrs.frozen
class ReplayOutcome:
    """What a replay found: the report (None when problems stopped it), every problem,
    how many lines and facts were read, and the dossiers left out."""

    report: Report | None
    problems: tuple[Problem, ...]
    lines: int
    facts: int
    rejected: frozenset[str]


@attrs.frozen
class _Part:
    tally: PeriodTally
    problems: list[Problem]
    lines: int
    facts: int
    rejected: set[str]


def _mine(raw: bytes, part: int, parts: int) -> bool:
    if parts == 1:
        return True
    code = dossier_of(raw)
    if code is None:
        return part == 0  # a line without a findable dossier is reported by the first part
    return zlib.crc32(code.encode()) % parts == part


def _pass(
    paths: Sequence[str],
    period: Period,
    rules: FactRules,
    catalog: Catalog | None,
    by: Comparison,
    part: int,
    parts: int,
    skip: set[str] | None,
    progress: Progress | None,
) -> _Part:
    fold = ReportFold(period, rules, catalog, by)
    problems: list[Problem] = []
    rejected: set[str] = set()
    lines = 0
    for number, path, raw in read_lines(paths):
        if progress is not None:
            progress(len(raw))
        if not _mine(raw, part, parts):
            continue
        lines += 1
        problems.extend(fold_line(fold, parse(number, path, raw), raw, number, rejected, skip))
    return _Part(fold.finish(), problems, lines, fold.facts, rejected)


def fold_line(
    fold: ReportFold,
    line: Line,
    raw: bytes,
    number: int,
    rejected: set[str],
    skip: Collection[str] | None,
) -> Sequence[Problem]:
    """Counts one parsed line of the log ``fold``, and returns its problems (numbered
    ``number``).

    A dossier with a problem — a line that breaks the schema, or a fact its history
    refuses — is added to ``rejected`` and none of its later lines is read (they would
    only repeat the problem); dossiers in ``skip`` (the bad ones of a first pass) are left
    out. The streaming replay and the Spark fold both read lines through this one rule.
    """
    fact = line.fact
    if fact is None:
        code = dossier_of(raw)
        if code is not None:
            rejected.add(code)
        return line.problems
    if fact.dossier in rejected or (skip is not None and fact.dossier in skip):
        return ()
    try:
        fold.add(fact)
    except FactError as error:
        rejected.add(fact.dossier)
        return (Problem(number, fact.type.value, str(error.cause)),)
    return ()


def _run_part(
    paths: Sequence[str],
    period: Period,
    rules: FactRules,
    catalog: Catalog | None,
    by: Comparison,
    part: int,
    parts: int,
    skip_bad: bool,
    progress: Progress | None = None,
) -> _Part:
    """One part's replay; with ``skip_bad``, a second pass without its bad dossiers."""
    first = _pass(paths, period, rules, catalog, by, part, parts, None, progress)
    if not first.problems or not skip_bad:
        return first
    again = _pass(paths, period, rules, catalog, by, part, parts, first.rejected, None)
    return _Part(again.tally, first.problems, first.lines, again.facts, first.rejected)


def log_files(paths: Iterable[str | Path]) -> list[str]:
    """The log files named: a file as it is, a directory as every ``*.jsonl`` file under it
    in sorted order (a layout partitioned by province and month, ``province=H41/
    month=2025-04/…``, then reads each dossier's months in time order)."""
    files: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            files += sorted(str(f) for f in p.rglob("*.jsonl") if f.is_file())
        else:
            files.append(str(path))
    return files


_AT = re.compile(rb'"at"\s*:\s*"(\d{4}-\d{2}-\d{2})')


def lines_span(raws: Iterable[bytes]) -> tuple[str, str] | None:
    """The first and last business dates (``YYYY-MM-DD``) of raw log lines: a scan of the
    ``at`` field, no parsing (None when no line has one)."""
    low: bytes | None = None
    high: bytes | None = None
    for raw in raws:
        m = _AT.search(raw)
        if m is None:
            continue
        day = m.group(1)
        if low is None or day < low:
            low = day
        if high is None or day > high:
            high = day
    if low is None or high is None:
        return None
    return low.decode(), high.decode()


def log_span(paths: Iterable[str | Path]) -> tuple[date, date] | None:
    """The first and last business dates in the logs (a fast scan, no parsing)."""
    span = lines_span(raw for _, _, raw in read_lines(paths))
    if span is None:
        return None
    return date.fromisoformat(span[0]), date.fromisoformat(span[1])


def replay(
    paths: Iterable[str | Path],
    *,
    period: Period | None = None,
    catalog: Catalog | None = None,
    calendar: VietnamCalendar | None = None,
    max_apologies: int = 1,
    apology_lead_days: int = 1,
    by: Comparison = Comparison.DATE,
    jobs: int = 1,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ReplayOutcome:
    """Replay the logs (files, or directories of ``*.jsonl`` files: :func:`log_files`) into
    the report of ``period`` (by default the months they cover).

    ``progress`` is told how many bytes were read (the first part's, with ``jobs``)."""
    files = log_files(paths)
    if period is None:
        span = log_span(files)
        if span is None:
            raise InvalidInputError(
                f"{files[0] if files else 'logs'}: no dated event in the logs; give the period"
            )
        first, last = span
        period = Period(first.replace(day=1), Period.month(last.year, last.month).last)
    rules = FactRules(calendar or VietnamCalendar(), max_apologies, apology_lead_days)
    if jobs <= 1:
        parts = [_run_part(files, period, rules, catalog, by, 0, 1, skip_bad, progress)]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [
                pool.submit(_run_part, files, period, rules, catalog, by, k, jobs, skip_bad)
                for k in range(jobs)
            ]
            parts = [f.result() for f in futures]
    tally = PeriodTally.empty(len(period.segments))
    problems: list[Problem] = []
    rejected: set[str] = set()
    for part in parts:
        tally.merge(part.tally)
        problems.extend(part.problems)
        rejected |= part.rejected
    problems.sort(key=lambda p: p.line)
    report = Report(period, tally) if (not problems or skip_bad) else None
    return ReplayOutcome(
        report,
        tuple(problems),
        sum(p.lines for p in parts),
        sum(p.facts for p in parts),
        frozenset(rejected),
    )
