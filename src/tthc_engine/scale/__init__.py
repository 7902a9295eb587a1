"""National scale: the same indicators on Apache Spark (DESIGN.md §9).

Past one machine, the per-dossier fold of the streaming replay runs on Spark (PySpark):
:func:`replay_spark` reads JSON Lines logs — files, or directories partitioned by province
and month — groups each dossier's lines (wherever they sit), orders them, runs the
project's own :class:`~tthc_engine.projections.ReportFold` on every partition of whole
dossiers, and merges the partitions' tallies into the same
:class:`~tthc_engine.interchange.ReplayOutcome` as :func:`~tthc_engine.interchange.replay`.
:func:`export_rows_spark` writes one row per dossier as Parquet partitioned by province
and month.

* :mod:`.dossiers` — what the executors run (plain Python, no pyspark);
* :mod:`.spark` — the driver: the session, the reading, the shuffle, the merge.

Needs the ``spark`` extra (``pip install "tthc-engine[spark]"``) and a Java runtime; both
are looked for only when a function is called.
"""

from tthc_engine.scale.spark import (
    DEFAULT_MASTER,
    RowsOutcome,
    SparkUnavailableError,
    export_rows_spark,
    replay_spark,
    spark_session,
)

__all__ = [
    "DEFAULT_MASTER",
    "RowsOutcome",
    "SparkUnavailableError",
    "export_rows_spark",
    "replay_spark",
    "spark_session",
]
