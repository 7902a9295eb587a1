"""docs/cli.md is the reference generated from the ``tthc`` parser, never edited by hand."""

from __future__ import annotations

from tests.conftest import REPO
from tthc_engine.cli import COMMANDS, build_parser
from tthc_engine.cli.reference import markdown


def test_the_cli_reference_is_the_one_the_parser_generates() -> None:
    written = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == markdown(), "docs/cli.md is out of date: run `make docs`"


def test_the_reference_has_a_section_per_command_with_each_option() -> None:
    text = markdown()
    parser = build_parser()
    subcommands = next(a for a in parser._actions if a.dest == "command")
    assert len(subcommands.choices) >= len(COMMANDS)
    for name, sub in subcommands.choices.items():
        assert f"\n## tthc {name}\n" in text
        for action in sub._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert f"`{flag}" in text or f", {flag}" in text, (name, flag)
