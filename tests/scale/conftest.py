"""Fixtures for the Spark engine's tests: one local SparkSession for all of them, and a
generated log of several provinces and months laid out in files as a data platform keeps
them (``province=H41/month=2025-04/part-1.jsonl``).

The Spark tests are marked ``spark``: ``pytest -m "not spark"`` leaves them out. Without
pyspark or a Java runtime they are skipped on a developer's machine, and fail in CI
(``CI`` set), where ``.ci/run`` installs both.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tthc_engine import Catalog, OneStopShop
from tthc_engine.interchange.exporter import export_jsonl
from tthc_engine.simulation import simulate_month

MONTHS = (3, 4, 5)
PROVINCES = ("H41", "H42", "H43")


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (the spark extra)"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "no Java runtime for Spark"
    return None


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A SparkSession on two local cores, with few shuffle partitions (shared by every
    Spark test: a JVM takes seconds to start)."""
    missing = _spark_missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing}: .ci/run installs it")
        pytest.skip(missing)
    from tthc_engine.scale import spark_session

    session = spark_session(
        "local[2]",
        **{"spark.default.parallelism": "3", "spark.sql.shuffle.partitions": "3"},
    )
    yield session
    session.stop()


def recoded(raw: bytes, province: str) -> bytes:
    """A line of H41's log as the same history in another province (its dossier code and
    fact id changed; the agencies kept)."""
    if province == "H41":
        return raw
    record = orjson.loads(raw)
    agency, rest = record["dossier"].split("-", 1)
    record["dossier"] = f"{agency[:-3]}{province}-{rest}"
    record["id"] = f"{record['id']}#{province}"
    return orjson.dumps(record)


def lay_out(lines: list[bytes], root: Path) -> list[Path]:
    """Write ``lines`` under ``root`` partitioned by province and month, each month in two
    files (days 1–15, then the rest), so that many dossiers sit in several files; returns
    the files in sorted order."""
    files: dict[Path, list[bytes]] = {}
    for raw in lines:
        record = orjson.loads(raw)
        province = record["dossier"].split("-", 1)[0][-3:]
        day = record["at"][:10]
        half = 1 if int(day[8:10]) <= 15 else 2
        path = root / f"province={province}" / f"month={day[:7]}" / f"part-{half}.jsonl"
        files.setdefault(path, []).append(raw)
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"".join(line + b"\n" for line in content))
    return sorted(files)


@pytest.fixture(scope="session")
def simulated_store() -> OneStopShop:
    """Three simulated months (March–May 2025) of one province, in memory."""
    app = OneStopShop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, catalog=Catalog.sample())
    for month in MONTHS:
        simulate_month(app, 2025, month, per_day=2, seed=month)
    return app


@pytest.fixture(scope="session")
def national_log(tmp_path_factory: pytest.TempPathFactory, simulated_store: OneStopShop) -> Path:
    """The simulated months in three provinces, as one file (``all.jsonl``) and laid out
    by province and month (``partitioned/``), in the same directory."""
    root = tmp_path_factory.mktemp("national")
    single = root / "h41.jsonl"
    export_jsonl(simulated_store, single)
    h41 = single.read_bytes().splitlines()
    lines = [recoded(raw, p) for p in PROVINCES for raw in h41]
    (root / "all.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    lay_out(lines, root / "partitioned")
    return root
