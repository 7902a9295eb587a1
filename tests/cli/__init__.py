"""The ``tthc`` command line, run as a user runs it: in another process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_tthc(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m tthc_engine.cli ARGS…`` in ``cwd``: its exit code, stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-m", "tthc_engine.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )
