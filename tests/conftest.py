"""Shared test configuration: the worked cases in tests/data and the Hypothesis profiles.

The worked cases (``deadlines.jsonl``, the April 2025 replay) are copies of the project's
shared cases kept inside the repository, so that a clone placed anywhere passes the suite.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "data"

settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
# `make mutate`: the dev profile made reproducible, so a mutant's verdict does not depend on luck
# or on examples saved by an earlier mutant.
settings.register_profile(
    "mutation", max_examples=60, deadline=None, derandomize=True, database=None
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
