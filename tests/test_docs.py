"""The Python examples in the README and docs/ run as written."""

from __future__ import annotations

import inspect
import pydoc
import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tthc_engine import OneStopShop

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _blocks() -> list[object]:
    found = []
    for doc in DOCS:
        for n, code in enumerate(_BLOCK.findall(doc.read_text(encoding="utf-8")), 1):
            found.append(pytest.param(code, id=f"{doc.name}#{n}"))
    return found


@pytest.mark.parametrize("code", _blocks())
def test_a_documented_example_runs(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tests").symlink_to(REPO / "tests")  # examples read tests/data/ as in a clone
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "<doc>", "exec"), {"__name__": "__doc_example__"})


def test_the_docs_have_examples() -> None:
    assert len(_blocks()) >= 2


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
