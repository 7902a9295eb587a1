"""The layers of DESIGN.md §2: a lower layer never imports a higher one, and the legal
clock, the catalog and the domain do no I/O and never read the wall clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tthc_engine

PACKAGE = Path(tthc_engine.__file__).parent
LAYERS = [
    "worktime",
    "catalog",
    "domain",
    "application",
    "projections",
    "interchange",
    "simulation",
    "scale",
    "reports",
    "cli",
]
"""Bottom up; a module may import its own layer and those before it."""
PURE = ["worktime", "catalog", "domain"]
WALL_CLOCK = {"now", "utcnow", "today", "time", "time_ns", "monotonic", "perf_counter"}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "tthc_engine" or len(parts) < 2:
        return None
    return parts[1]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def _modules(layer: str) -> list[Path]:
    root = PACKAGE / layer
    return sorted(root.rglob("*.py")) if root.is_dir() else []


def _upward_imports(layer: str, paths: list[Path]) -> list[str]:
    allowed = set(LAYERS[: LAYERS.index(layer) + 1]) | {"errors"}
    offenders = []
    for path in paths:
        for module in _imports(path):
            target = _layer(module)
            if target is not None and target not in allowed:
                offenders.append(f"{path.name} imports {module}")
    return offenders


@pytest.mark.parametrize("layer", [name for name in LAYERS if (PACKAGE / name).exists()])
def test_a_layer_imports_only_itself_and_the_layers_below(layer: str) -> None:
    assert _upward_imports(layer, _modules(layer)) == []


@pytest.mark.parametrize("layer", PURE)
def test_the_pure_layers_never_read_the_wall_clock(layer: str) -> None:
    offenders = []
    for path in _modules(layer):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in WALL_CLOCK
                and isinstance(node.value, ast.Name)
                and node.value.id in {"datetime", "date", "time"}
            ):
                offenders.append(
                    f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value.id}.{node.attr}"
                )
    assert offenders == []


@pytest.mark.parametrize("layer", ["worktime", "domain"])
def test_the_clock_and_the_domain_do_no_io(layer: str) -> None:
    forbidden = {"open", "sqlite3", "psycopg", "socket", "urllib", "requests", "subprocess"}
    offenders = []
    for path in _modules(layer):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and (node.func.id == "open")
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} open()")
        offenders += [
            f"{path.relative_to(PACKAGE)} imports {m}"
            for m in _imports(path)
            if m.split(".")[0] in forbidden
        ]
    assert offenders == []


def test_the_check_itself_sees_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from tthc_engine.application import OneStopShop\n", encoding="utf-8")
    assert _upward_imports("domain", [bad]) == ["bad.py imports tthc_engine.application"]
    assert _upward_imports("cli", [bad]) == []
