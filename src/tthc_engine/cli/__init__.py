"""The ``tthc`` command line (DESIGN.md §8).

One module per command group; each exposes ``register(subcommands)``, which adds its
sub-parser(s) and binds a handler ``(args) -> int`` with ``set_defaults(handler=...)``.
To add a command, write ``cli/<group>.py`` and list it in :data:`COMMANDS`.

Exit codes: 0 success; 1 user error (any :class:`~tthc_engine.errors.TthcError`), with
a one-line message on stderr; 2 usage error (reported by :mod:`argparse`).
Output is Vietnamese by default; ``--lang en`` switches to English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Protocol

from tthc_engine import __version__
from tthc_engine.cli import (
    calendar,
    deadline,
    demo,
    interchange,
    replay,
    report,
    simulate,
    watch,
)
from tthc_engine.errors import TthcError

__all__ = ["COMMANDS", "Command", "common_options", "main"]

Handler = Callable[[argparse.Namespace], int]


class Command(Protocol):
    """A command group module: ``register`` adds its sub-parsers to ``tthc``."""

    def register(
        self,
        subcommands: argparse._SubParsersAction[argparse.ArgumentParser],
        common: argparse.ArgumentParser,
    ) -> None: ...


COMMANDS: tuple[Command, ...] = (
    demo,
    deadline,
    calendar,
    replay,
    report,
    simulate,
    watch,
    interchange,
)
"""The command groups of ``tthc``, in the order ``tthc --help`` lists them."""


def common_options() -> argparse.ArgumentParser:
    """Options every command accepts after its name (a parent parser): ``--lang``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=("vi", "en"),
        default="vi",
        help="language of the output: vi (Vietnamese, default) or en (English)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The ``tthc`` parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="tthc",
        description="Vietnamese administrative procedures (TTHC): due dates, replay, reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = common_options()
    for command in COMMANDS:
        command.register(subcommands, common)
    return parser


def _one_line(error: BaseException) -> str:
    """An error's message on one line (multi-line messages are joined with '; ')."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return "; ".join(lines) or type(error).__name__


def _utf8_output() -> None:
    """Vietnamese text must survive a non-UTF-8 locale (e.g. LANG=C on a server)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding != "utf8" and reconfigure is not None:
            reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tthc`` with ``argv`` (default: the process arguments); return the exit code."""
    _utf8_output()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    handler: Handler = args.handler
    try:
        return handler(args)
    except TthcError as exc:
        print(f"tthc {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`tthc replay … --json | head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's flush is quiet
        return 0
