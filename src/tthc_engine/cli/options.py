"""What the ``tthc`` commands share: their common options and how they talk.

Every command that reads a store takes ``--db PATH`` (an SQLite file; without it, the
store ``PERSISTENCE_MODULE`` and ``POSTGRES_*`` name), every command with a result takes
``--json``, and the commands take ``-q/--quiet`` and ``-v/--verbose``:

- standard output carries the result only: the table, or the JSON with ``--json``, so that
  ``tthc … --json | jq`` always reads JSON;
- standard error carries the rest: notices (where a file was written, which store was
  read), details with ``-v``, progress bars, and errors (one line each, ``tthc COMMAND:
  error: …``); ``-q`` keeps only the errors;
- a progress bar appears only on a terminal, and only once the work has taken a second.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tthc_engine.catalog import Catalog
from tthc_engine.errors import InvalidInputError

__all__ = [
    "BAR_DELAY",
    "Feedback",
    "add_db",
    "add_json",
    "add_verbosity",
    "catalog_option",
    "sqlite_env",
    "store_env",
]

BAR_DELAY = 1.0
"""Seconds of work before a progress bar appears (shorter work shows none)."""


def add_db(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--db PATH``: the store's SQLite file."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help=help
        or "the store's SQLite file; without it, the PostgreSQL store PERSISTENCE_MODULE "
        "and POSTGRES_* name",
    )


def add_json(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    """``--json``: the result as JSON on standard output."""
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet`` and ``-v/--verbose`` (one ``verbosity`` number: -1, 0, 1)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        default=0,
        help="no notices and no progress bars on stderr (errors only)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        help="more detail on stderr",
    )


def catalog_option(path: str | None) -> Catalog:
    """``--catalog FILE``, or the shipped Nghệ An sample."""
    if path is None:
        return Catalog.sample()
    catalog_path = Path(path)
    if not catalog_path.is_file():
        raise InvalidInputError(f"--catalog: {catalog_path} does not exist")
    return Catalog.load(catalog_path)


def sqlite_env(path: Path) -> dict[str, str]:
    """The eventsourcing environment of an SQLite store."""
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


def store_env(db: str | None, *, existing: bool = True) -> tuple[dict[str, str] | None, str]:
    """The eventsourcing environment of the store ``--db`` (or the process environment)
    names, and how to name that store to the user.

    Raises:
        InvalidInputError: ``--db`` names no file (when ``existing``), or there is no
            ``--db`` and the environment names no PostgreSQL store.
    """
    if db is not None:
        path = Path(db)
        if existing and not path.is_file():
            raise InvalidInputError(f"--db: {path} does not exist")
        return sqlite_env(path), str(path)
    module = os.environ.get("PERSISTENCE_MODULE", "")
    if "postgres" not in module:
        raise InvalidInputError(
            "--db: give the store's SQLite file, or set PERSISTENCE_MODULE="
            "eventsourcing.postgres and POSTGRES_DBNAME, POSTGRES_HOST, POSTGRES_USER, "
            "POSTGRES_PASSWORD for a PostgreSQL store"
        )
    where = f"PostgreSQL {os.environ.get('POSTGRES_DBNAME', '?')}"
    schema = os.environ.get("POSTGRES_SCHEMA")
    return None, f"{where}/{schema}" if schema else where


class Feedback:
    """What a command tells the user besides its result, on standard error."""

    def __init__(self, command: str, verbosity: int = 0) -> None:
        self.command = command
        self.verbosity = verbosity

    @classmethod
    def of(cls, args: argparse.Namespace) -> Feedback:
        return cls(args.command, getattr(args, "verbosity", 0))

    def notice(self, text: str) -> None:
        """A line the user should see (where a file went), unless ``-q``."""
        if self.verbosity >= 0:
            sys.stdout.flush()  # after the result printed so far
            print(text, file=sys.stderr, flush=True)

    def detail(self, text: str) -> None:
        """A line for ``-v``."""
        if self.verbosity > 0:
            sys.stdout.flush()
            print(f"tthc {self.command}: {text}", file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        """One of several problems; the command ends with one more line and exit code 1."""
        print(f"tthc {self.command}: error: {text}", file=sys.stderr, flush=True)

    def warning(self, text: str) -> None:
        """A problem that did not stop the command (shown even with ``-q``)."""
        print(f"tthc {self.command}: warning: {text}", file=sys.stderr, flush=True)

    @contextmanager
    def progress(
        self, total: int, label: str, unit: str = "it"
    ) -> Iterator[Callable[[int], object] | None]:
        """A progress bar of ``total`` units on a terminal's stderr, shown once the work
        has taken :data:`BAR_DELAY` seconds; None (no bar) when quiet or not a terminal."""
        if self.verbosity < 0 or total <= 0 or not sys.stderr.isatty():
            yield None
            return
        from tqdm import tqdm

        with tqdm(
            total=total,
            desc=label,
            unit=unit,
            unit_scale=unit == "B",
            file=sys.stderr,
            leave=False,
            delay=BAR_DELAY,
        ) as bar:
            yield bar.update
