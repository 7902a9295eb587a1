"""The examples in the README and docs/ run as written.

- A ```python block runs in a fresh folder (``tests/`` and ``examples/`` linked, as in a
  clone) and asserts its own results. A block that names ``eventsourcing.postgres`` runs
  against the test PostgreSQL server: the ``POSTGRES_*`` variables of a fresh schema are
  set for it, as an operator sets them (marker ``postgres``).
- A ```console block holds ``$ tthc …`` commands, each followed by lines of its output;
  the command runs (in a folder shared by the page's console blocks, in order) and must
  exit 0 — or 1 when the output shown has an ``error:`` line — and print every line shown,
  in order (a line ``…`` stands for lines left out, a line ending in `` …`` for the end of
  one).
"""

from __future__ import annotations

import inspect
import os
import pydoc
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tthc_engine import OneStopShop

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
_CONSOLE = re.compile(r"```console\n(.*?)```", re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    """(``page#n``, code) of every ```python block of the README and docs/."""
    return [
        (f"{doc.name}#{n}", code)
        for doc in DOCS
        for n, code in enumerate(_BLOCK.findall(doc.read_text(encoding="utf-8")), 1)
    ]


def _blocks() -> list[object]:
    return [
        pytest.param(
            code,
            id=name,
            marks=[pytest.mark.postgres] if "eventsourcing.postgres" in code else [],
        )
        for name, code in _examples()
    ]


def _sessions() -> list[object]:
    found = []
    for doc in DOCS:
        blocks = _CONSOLE.findall(doc.read_text(encoding="utf-8"))
        if blocks:
            found.append(pytest.param(blocks, id=f"{doc.name}:console"))
    return found


@pytest.mark.parametrize("code", _blocks())
def test_a_documented_example_runs(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    for folder in ("tests", "examples"):  # examples read tests/data/ as in a clone
        (tmp_path / folder).symlink_to(REPO / folder)
    monkeypatch.chdir(tmp_path)
    if "eventsourcing.postgres" in code:
        for name, value in request.getfixturevalue("postgres_env").items():
            if name.startswith("POSTGRES_"):
                monkeypatch.setenv(name, value)
    exec(compile(code, "<doc>", "exec"), {"__name__": "__doc_example__"})


def _commands(block: str) -> list[tuple[str, list[str]]]:
    """The ``$ `` commands of a console block, each with the output lines shown after it."""
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands and line.strip():
            commands[-1][1].append(line.rstrip())
    return commands


def _shows(output: list[str], shown: list[str]) -> str | None:
    """None when ``output`` has every line of ``shown`` in order (``…`` skips lines, a line
    ending in `` …`` is the start of one), else the first line shown that is not there."""
    at = 0
    for expected in shown:
        if expected.strip() == "…":
            continue
        start = expected.removesuffix(" …")

        def matches(line: str, start: str = start, whole: bool = start == expected) -> bool:
            return line == start if whole else line.startswith(start)

        while at < len(output) and not matches(output[at]):
            at += 1
        if at == len(output):
            return expected
        at += 1
    return None


@pytest.mark.parametrize("blocks", _sessions())
def test_a_documented_command_prints_what_the_page_shows(blocks: list[str], tmp_path: Path) -> None:
    for folder in ("tests", "examples"):
        (tmp_path / folder).symlink_to(REPO / folder)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("PERSISTENCE_MODULE", None)
    for block in blocks:
        for command, shown in _commands(block):
            words = shlex.split(command)
            assert words[0] == "tthc", f"console blocks run tthc commands only: {command}"
            result = subprocess.run(
                [sys.executable, "-m", "tthc_engine.cli", *words[1:]],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            failing = any("error:" in line for line in shown)
            assert result.returncode == (1 if failing else 0), f"$ {command}\n{result.stderr}"
            output = (result.stdout + result.stderr).splitlines()
            missing = _shows([line.rstrip() for line in output], shown)
            assert missing is None, f"$ {command}: {missing!r} not in\n{result.stdout}"


def test_the_docs_have_examples() -> None:
    assert len(_blocks()) >= 2
    assert len(_sessions()) >= 2


def test_every_documented_example_states_its_result() -> None:
    # An example that only runs pins nothing: its expected values must be checked, by an
    # `assert` or by the testing kit's `expect_…` (issue 12), not written as comments.
    silent = [name for name, code in _examples() if not re.search(r"\bassert\b|\.expect_", code)]
    assert silent == []


@pytest.mark.parametrize(
    ("method", "parameters"),
    [
        pytest.param(
            "receive",
            [
                "procedure",
                "agency",
                "at",
                "code",
                "channel",
                "applicant",
                "limit",
                "actor",
                "command_id",
            ],
            id="receive",
        ),
        pytest.param(
            "submit",
            ["procedure", "agency", "at", "code", "applicant", "actor", "command_id"],
            id="submit",
        ),
        pytest.param(
            "refuse",
            ["code", "agency", "reason", "procedure", "at", "actor", "command_id"],
            id="refuse",
        ),
    ],
)
def test_help_lists_the_real_parameters_of_the_opening_use_cases(
    method: str, parameters: list[str]
) -> None:
    function = getattr(OneStopShop, method)
    signature = inspect.signature(function)
    assert list(signature.parameters) == ["self", *parameters]
    assert all(p.kind is not p.VAR_KEYWORD for p in signature.parameters.values())
    shown = pydoc.render_doc(function, renderer=pydoc.plaintext)
    for name in parameters:
        assert f"{name}:" in shown
    assert "**kwargs" not in shown
