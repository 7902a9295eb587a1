"""A user's install: the wheel, plain ``pip install`` (no extras), used from another folder.

Builds the wheel of this checkout, installs it into a throwaway virtualenv with pip alone
(so the optional ``crypto`` and ``postgres`` extras are absent) and runs what a new user
runs, from a temporary directory with no source tree beside it. Needs PyPI (the wheel's
dependencies); marked ``install`` so that a developer can deselect it (``-m "not install"``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.install


def _run(
    *args: object, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtualenv holding the wheel, without extras."""
    root = tmp_path_factory.mktemp("install")
    dist = root / "dist"
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", dist, REPO, cwd=root)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("tthc_engine-*.whl")
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    pip = _run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=root)
    assert pip.returncode == 0, pip.stderr
    return bin_dir


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without this test run's virtualenv or source tree on any path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.pop("CIPHER_KEY", None)
    env.update(extra)
    return env


def test_the_wheel_installs_without_extras_and_imports(installed: Path, tmp_path: Path) -> None:
    shown = _run(installed / "python", "-m", "pip", "list", "--format=freeze", cwd=tmp_path)
    names = {line.split("==")[0].lower() for line in shown.stdout.splitlines()}
    assert "tthc-engine" in names
    assert "pycryptodome" not in names
    assert "psycopg" not in names
    imported = _run(
        installed / "python",
        "-c",
        "import tthc_engine, tthc_engine.application; print(tthc_engine.__file__)",
        cwd=tmp_path,
        env=_clean_env(),
    )
    assert imported.returncode == 0, imported.stderr
    assert str(REPO) not in imported.stdout  # the installed copy, not this checkout


def test_the_demo_runs_from_any_folder_with_the_shipped_catalog(
    installed: Path, tmp_path: Path
) -> None:
    env = _clean_env(XDG_DATA_HOME=str(tmp_path / "data"))
    demo = _run(installed / "tthc", "demo", "--per-day", "2", cwd=tmp_path, env=env)
    assert demo.returncode == 0, demo.stderr
    assert "Tình hình, kết quả giải quyết TTHC" in demo.stdout
    assert (tmp_path / "data" / "tthc-engine" / "demo.sqlite").exists()
    assert (tmp_path / "data" / "tthc-engine" / "demo.html").exists()


def test_a_cipher_key_without_the_crypto_extra_is_one_line_naming_the_extra(
    installed: Path, tmp_path: Path
) -> None:
    key = "N3Y0c2VjcmV0a2V5Zm9ydGhlYWVzY2lwaGVyMTIzNA=="
    env = _clean_env(CIPHER_KEY=key, XDG_DATA_HOME=str(tmp_path / "data"))
    demo = _run(installed / "tthc", "demo", "--per-day", "1", cwd=tmp_path, env=env)
    assert demo.returncode == 1
    assert demo.stderr.strip().count("\n") == 0, demo.stderr
    assert (
        'CIPHER_KEY (encrypted stored events) needs the "crypto" extra: '
        'pip install "tthc-engine[crypto]"'
    ) in demo.stderr
    key_maker = _run(
        installed / "python",
        "-c",
        "from tthc_engine import OneStopShop; OneStopShop.create_cipher_key()",
        cwd=tmp_path,
        env=_clean_env(),
    )
    assert key_maker.returncode == 1
    assert "MissingExtraError" in key_maker.stderr
    assert (
        'encrypting stored events needs the "crypto" extra: pip install "tthc-engine[crypto]"'
    ) in key_maker.stderr
