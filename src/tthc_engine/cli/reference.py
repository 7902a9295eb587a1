"""The command-line reference (``docs/cli.md``), generated from the ``tthc`` parser.

``python -m tthc_engine.cli.reference docs/cli.md`` (``make docs``) writes it; a test
compares the file with :func:`markdown`, so the reference never drifts from the parser.
It reads the parser's actions rather than argparse's help text, whose layout changes
between Python versions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tthc_engine.cli import build_parser

__all__ = ["main", "markdown"]

_INTRO = """\
# Command-line reference

<!-- Generated from the argparse parser by `make docs` (tthc_engine.cli.reference);
     tests/test_cli_reference.py keeps this file equal to it. Do not edit by hand. -->

`tthc` is installed with the package (`pip install tthc-engine`; in a clone, `make venv`
puts it in `.venv/bin/`). `tthc --help` and `tthc COMMAND --help` print the same as this page.

## Conventions

- **Output.** Standard output carries the result only — the table, or JSON with `--json` —
  so `tthc … --json | jq` always reads JSON. Standard error carries the rest: notices
  (where a file was written, which store was read), details with `-v`, progress bars, and
  errors. `-q` keeps only the errors (on the commands that list `-q` below).
- **Progress bars** appear on standard error only when it is a terminal, and only once the
  work has taken a second.
- **Language.** Vietnamese by default; `--lang en` for English.
- **Stores.** `--db PATH` is an SQLite store; without it, the commands that read a store use
  the PostgreSQL store named by `PERSISTENCE_MODULE=eventsourcing.postgres` and `POSTGRES_*`
  (see [howto-embed.md](howto-embed.md)).
- **Exit codes.** `0` success; `1` a user error (a bad value, a missing file, a bad line in a
  log), reported on one line as `tthc COMMAND: error: …`; `2` a usage error (an unknown
  option, a missing argument), reported by the parser with the command's usage.
"""


def _flag(action: argparse.Action) -> str:
    """How an action is written in a synopsis: ``--db PATH``, ``--json``, ``LOG``."""
    if not action.option_strings:
        name = str(action.metavar or action.dest)
        if action.nargs == "*":
            return f"[{name} ...]"
        if action.nargs == "+":
            return f"{name} [{name} ...]"
        return name
    flag = action.option_strings[0]
    if action.nargs == 0:
        return flag
    if action.choices is not None:
        return f"{flag} {{{','.join(str(c) for c in action.choices)}}}"
    metavar = action.metavar or action.dest.upper()
    return f"{flag} {metavar}"


def _actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]


def _synopsis(name: str, parser: argparse.ArgumentParser) -> str:
    grouped: dict[int, list[argparse.Action]] = {}
    for group in parser._mutually_exclusive_groups:
        for action in group._group_actions:
            grouped[id(action)] = group._group_actions
    parts: list[str] = []
    seen: set[int] = set()
    positionals = []
    for action in _actions(parser):
        if not action.option_strings:
            positionals.append(_flag(action))
            continue
        if id(action) in seen:
            continue
        members = grouped.get(id(action), [action])
        seen.update(id(a) for a in members)
        shown = " | ".join(_flag(a) for a in members)
        parts.append(shown if action.required else f"[{shown}]")
    return " ".join([f"tthc {name}", *parts, *positionals])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = ["| argument | meaning | default |", "| --- | --- | --- |"]
    for action in _actions(parser):
        names = ", ".join(action.option_strings) if action.option_strings else _flag(action)
        if action.option_strings and action.nargs != 0:
            names += " " + _flag(action).split(" ", 1)[1]
        default = action.default
        shown = (
            ""
            if default in (None, False, argparse.SUPPRESS) or action.nargs == 0
            else f"`{default}`"
        )
        rows.append(f"| `{_cell(names)}` | {_cell(action.help or '')} | {shown} |")
    return rows


def _subparsers(
    parser: argparse.ArgumentParser,
) -> Sequence[tuple[str, str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {c.dest: c.help or "" for c in action._choices_actions}
            return [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]
    return []  # pragma: no cover - tthc always has commands


def _examples(epilog: str) -> str:
    """``example: tthc …; tthc …`` as "Examples: `tthc …`, `tthc …`"."""
    head, _, rest = epilog.partition(":")
    if not head.startswith("example") or not rest.strip():
        return epilog
    shown = ", ".join(f"`{e.strip()}`" for e in rest.split(";"))
    return f"{head.capitalize()}: {shown}."


def markdown() -> str:
    """The reference page of every ``tthc`` command, from the parser."""
    parser = build_parser()
    commands = _subparsers(parser)
    lines = [_INTRO, "## Commands", "", "| command | what it does |", "| --- | --- |"]
    lines += [f"| [`tthc {name}`](#tthc-{name}) | {_cell(text)} |" for name, text, _ in commands]
    for name, _, sub in commands:
        lines += ["", f"## tthc {name}", "", sub.description or "", ""]
        lines += ["```text", _synopsis(name, sub), "```", ""]
        lines += _option_rows(sub)
        if sub.epilog:
            lines += ["", _examples(sub.epilog)]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the reference to the path given (standard output without one)."""
    args = list(sys.argv[1:] if argv is None else argv)
    text = markdown()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
