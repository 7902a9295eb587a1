"""The driver's side of the Spark engine: a session, the logs read by Spark, the shuffle by
dossier, the project's folds on the executors, and the results merged here.

``replay_spark(["logs/"], period=Period.month(2025, 4))`` reads every ``*.jsonl`` file
under ``logs/`` (a layout partitioned by province and month), and returns the same
:class:`~tthc_engine.interchange.ReplayOutcome` as :func:`~tthc_engine.interchange.replay`:

1. each file is read by Spark as raw lines (``textFile``, bytes, so that a line is parsed
   exactly as the streaming replay parses it), and every line is keyed by its dossier
   code, file and place (:func:`.dossiers.keyed_lines`);
2. the lines are shuffled by a hash of the dossier code and sorted inside each partition
   (``repartitionAndSortWithinPartitions``), so that a partition holds whole dossiers;
3. ``mapPartitions`` runs :func:`.dossiers.fold_report`, the streaming replay's own loop
   around :class:`~tthc_engine.projections.ReportFold`, on each partition;
4. the partitions' :class:`~tthc_engine.projections.PeriodTally` are added up (in a tree on
   the executors, the last merges here), and the problems get the line numbers the
   streaming replay gives them. With ``skip_bad``, a
   second pass over the same shuffle leaves the bad dossiers out, as the replay does.

No rule is restated in SQL: Spark only moves lines and counts; every judgement is the
domain's. pyspark is imported when a function here is first called, and its absence is
the one-line error naming the ``spark`` extra.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from tthc_engine.catalog import Catalog
from tthc_engine.domain.facts import FactRules
from tthc_engine.errors import InvalidInputError, MissingExtraError, TthcError
from tthc_engine.interchange.replay import ReplayOutcome, log_files
from tthc_engine.interchange.rows import COLUMNS
from tthc_engine.interchange.schema import Problem
from tthc_engine.projections import Period, Report
from tthc_engine.scale import dossiers
from tthc_engine.worktime import VN_TZ, Comparison, VietnamCalendar

__all__ = [
    "DEFAULT_MASTER",
    "RowsOutcome",
    "SparkUnavailableError",
    "export_rows_spark",
    "replay_spark",
    "spark_session",
]

DEFAULT_MASTER = "local[*]"


class SparkUnavailableError(TthcError):
    """Spark cannot start here (no Java runtime, or the JVM did not come up)."""


def _pyspark() -> Any:
    """The ``pyspark.sql`` module, or the one-line error naming the extra."""
    try:
        import pyspark.sql
    except ImportError:
        raise MissingExtraError("the Spark engine (--engine spark)", "spark") from None
    return pyspark.sql


def _is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def spark_session(master: str = DEFAULT_MASTER, **config: str) -> Any:
    """A new (or the running) SparkSession for ``master`` (``local[*]``: every core of
    this machine; ``spark://host:7077``, ``yarn``…: a cluster, whose executors need
    tthc-engine installed). Business times are read in Asia/Ho_Chi_Minh; in local mode
    the workers are this Python and everything stays on the loopback interface."""
    sql = _pyspark()
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailableError(
            "Spark needs a Java runtime (17 or newer) and none was found: install one "
            "(Debian: apt-get install default-jre-headless) or set JAVA_HOME"
        )
    quiet = resources.files("tthc_engine.scale").joinpath("log4j2.properties")
    builder = (
        sql.SparkSession.builder.master(master)
        .appName("tthc-engine")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "Asia/Ho_Chi_Minh")
        # instants as Parquet's standard UTC-adjusted microseconds (not the legacy INT96)
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{quiet}")
    )
    if _is_local(master):
        # pyspark starts its workers with $PYSPARK_PYTHON (default: `python3` on the PATH,
        # which may not see tthc-engine): in local mode, this very interpreter
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    for name, value in config.items():
        builder = builder.config(name, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: say so in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SparkUnavailableError(f"Spark did not start ({master}): {first}") from None


@contextmanager
def _session(spark: Any | None, master: str | None) -> Iterator[Any]:
    """``spark`` if given; else the active session (left running); else a new one on
    ``master``, stopped at the end."""
    if spark is not None:
        yield spark
        return
    active = _pyspark().SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    session = spark_session(master or DEFAULT_MASTER)
    try:
        yield session
    finally:
        session.stop()


_PART_BYTES = 128 * 1024 * 1024
"""About how much log a shuffle partition gets by default (one task's fold)."""


@attrs.frozen
class _Logs:
    """The logs as Spark reads them: raw lines, the first partition of each file, and the
    size of the local files."""

    lines: Any  # RDD[bytes]
    starts: tuple[int, ...]
    size: int

    def keyed(self) -> Any:
        return self.lines.mapPartitionsWithIndex(
            functools.partial(dossiers.keyed_lines, self.starts)
        )

    def line_counts(self) -> dict[int, int]:
        return dict(self.lines.mapPartitionsWithIndex(dossiers.line_counts).collect())

    def span(self) -> tuple[date, date] | None:
        spans = self.lines.mapPartitions(dossiers.span_of_lines).collect()
        if not spans:
            return None
        return date.fromisoformat(min(s[0] for s in spans)), date.fromisoformat(
            max(s[1] for s in spans)
        )


def _read(spark: Any, paths: Iterable[str | Path]) -> _Logs:
    files = log_files(paths)
    if not files:
        raise InvalidInputError("no log files (a directory holds none ending in .jsonl)")
    size = 0
    for file in files:
        if "://" not in file:
            if not Path(file).is_file():
                raise InvalidInputError(f"{file}: no such log file")
            size += Path(file).stat().st_size
    sc = spark.sparkContext
    # one partition per file, or per block of a large one (its splits follow each other)
    rdds = [sc.textFile(_uri(file), minPartitions=1, use_unicode=False) for file in files]
    starts = []
    n = 0
    for rdd in rdds:
        starts.append(n)
        n += rdd.getNumPartitions()
    lines = sc.union(rdds) if len(rdds) > 1 else rdds[0]
    return _Logs(lines, tuple(starts), size)


def _uri(file: str) -> str:
    """A local path as Hadoop reads it (``file:`` and the absolute path, not %-encoded:
    Hadoop would read ``province%3DH41`` literally)."""
    return file if "://" in file else f"file://{Path(file).resolve()}"


def _shuffled(spark: Any, logs: _Logs, partitions: int | None) -> Any:
    """The logs' lines keyed by dossier, partitioned by a hash of it, sorted by key (by
    default two partitions a core, and at least one per 128 MiB of log)."""
    n = partitions or max(2 * spark.sparkContext.defaultParallelism, -(-logs.size // _PART_BYTES))
    return logs.keyed().repartitionAndSortWithinPartitions(
        numPartitions=n, partitionFunc=dossiers.dossier_partition
    )


def _depth(rdd: Any) -> int:
    """The depth of the tree the partitions' tallies are added up in (2 up to ~100
    partitions, then 3)."""
    return 2 if rdd.getNumPartitions() <= 100 else 3


def replay_spark(
    paths: Iterable[str | Path],
    *,
    period: Period | None = None,
    catalog: Catalog | None = None,
    calendar: VietnamCalendar | None = None,
    max_apologies: int = 1,
    apology_lead_days: int = 1,
    by: Comparison = Comparison.DATE,
    skip_bad: bool = False,
    spark: Any | None = None,
    master: str | None = None,
    partitions: int | None = None,
) -> ReplayOutcome:
    """:func:`~tthc_engine.interchange.replay` on Spark: the same arguments, the same
    outcome (report, line-numbered problems, counts, rejected dossiers).

    Args:
        spark: a SparkSession to run on (default: the active one, else a new one on
            ``master``, stopped at the end).
        master: the master of a new session (default ``local[*]``).
        partitions: the shuffle's partitions (default: two a core, and at least one
            per 128 MiB of log).
    """
    rules = FactRules(calendar or VietnamCalendar(), max_apologies, apology_lead_days)
    with _session(spark, master) as session:
        logs = _read(session, paths)
        if period is None:
            span = logs.span()
            if span is None:
                raise FileNotFoundError("no dated line in the logs")
            first, last = span
            period = Period(first.replace(day=1), Period.month(last.year, last.month).last)
        grouped = _shuffled(session, logs, partitions)
        fold = functools.partial(dossiers.fold_report, period, rules, catalog, by)
        # A partition's tally holds every agency, procedure and month it met: hundreds of
        # them are added up on the executors, in a tree, and the driver gets a few.
        found: dossiers.PartReport = grouped.mapPartitions(
            functools.partial(fold, None)
        ).treeReduce(dossiers.merge_parts, depth=_depth(grouped))
        problems = (
            dossiers.number_problems(found.problems, logs.line_counts()) if found.problems else []
        )
        tally, facts = found.tally, found.facts
        if found.problems and skip_bad:  # the shuffle's files are reused: only the fold again
            again: dossiers.PartReport = grouped.mapPartitions(
                functools.partial(fold, frozenset(found.rejected))
            ).treeReduce(dossiers.merge_parts, depth=_depth(grouped))
            tally, facts = again.tally, again.facts
    report = Report(period, tally) if (not problems or skip_bad) else None
    return ReplayOutcome(report, tuple(problems), found.lines, facts, frozenset(found.rejected))


# -- the dossier rows ------------------------------------------------------------------------
@attrs.frozen
class RowsOutcome:
    """What a rows export wrote: how many rows, the problems (their dossiers left out)."""

    rows: int
    problems: tuple[Problem, ...]
    as_of: datetime | None


def _schema(sql: Any) -> Any:
    types = sql.types
    kinds = {
        "text": types.StringType(),
        "int": types.LongType(),
        "float": types.DoubleType(),
        "bool": types.BooleanType(),
        "instant": types.TimestampType(),
    }
    fields = [types.StructField(c.name, kinds[c.kind], True) for c in COLUMNS]
    fields += [
        types.StructField("province", types.StringType(), False),
        types.StructField("month", types.StringType(), False),
    ]
    return types.StructType(fields)


def export_rows_spark(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    as_of: datetime | None = None,
    catalog: Catalog | None = None,
    calendar: VietnamCalendar | None = None,
    by: Comparison = Comparison.DATE,
    spark: Any | None = None,
    master: str | None = None,
    partitions: int | None = None,
) -> RowsOutcome:
    """One row per dossier of the logs (the columns of
    :data:`~tthc_engine.interchange.rows.COLUMNS`) written by Spark as Parquet under
    ``out``, partitioned by province and month (``province=H41/month=2025-04/part-….parquet``,
    the month of receipt). Open dossiers are judged at ``as_of`` (by default the latest
    business time in the logs). A dossier with a bad line is left out; its problems are
    returned with their line numbers."""
    sql = _pyspark()
    if as_of is not None and as_of.tzinfo is None:
        raise InvalidInputError(f"as_of: naive time {as_of.isoformat()} (give its offset)")
    target = str(out)
    if "://" not in target and Path(target).exists():
        raise InvalidInputError(f"{target}: already exists (the rows go to a new directory)")
    cal = calendar or VietnamCalendar()
    rules = FactRules(cal)
    with _session(spark, master) as session:
        logs = _read(session, paths)
        folded = (
            _shuffled(session, logs, partitions)
            .mapPartitions(functools.partial(dossiers.fold_dossiers, rules, catalog))
            .persist()
        )
        try:
            places = folded.filter(lambda item: item[0] == "problem").values().collect()
            good = folded.filter(lambda item: item[0] == "dossier").values()
            if as_of is None:
                times = good.mapPartitions(dossiers.last_time).collect()
                as_of = max(times) if times else datetime(2000, 1, 1, tzinfo=VN_TZ)
            rows = good.mapPartitions(
                functools.partial(dossiers.fold_rows, cal, catalog, as_of, by)
            )
            frame = session.createDataFrame(rows, _schema(sql))
            frame.write.partitionBy("province", "month").parquet(_uri(target))
            written = good.count()
        finally:
            folded.unpersist()
        problems = dossiers.number_problems(places, logs.line_counts()) if places else []
    return RowsOutcome(written, tuple(problems), as_of)
