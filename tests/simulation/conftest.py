"""Profiles for the simulation tests: the shipped ones, and a *busy* one in which every
kind of event happens often enough to be seen in a few days of traffic."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tthc_engine.simulation import Profile


def edited(name: str, **sections: Any) -> Profile:
    """A shipped profile with some sections replaced (a what-if by hand)."""
    raw: dict[str, Any] = copy.deepcopy(dict(Profile.sample(name).raw))
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(raw.get(key), dict):
            raw[key] = {**raw[key], **value}
        else:
            raw[key] = value
    return Profile.from_mapping(raw, source=f"{name} (edited)")


@pytest.fixture(scope="session")
def busy() -> Profile:
    """Nghệ An's month with supplements, second requests, withdrawals, stops, refusals,
    pauses, slow agencies and apologies a hundred times more frequent."""
    return edited(
        "nghe-an-month",
        supplements={"rate": 0.35, "twice": 0.4, "abandon": 0.1},
        withdrawals={"rate": 0.05},
        stops={"rate": 0.05},
        refusals={"counter": 0.05, "online": 0.1},
        apologies={"compliance": 1.0},
        ratings={"rate": 0.8, "complaint": 0.1},
        agencies={
            "default": {"median": 0.9, "sigma": 0.6, "tail": 0.2, "tail_scale": 1.0},
            "finance_department": {"median": 1.2, "sigma": 0.5, "tail": 0.2},
            "land_registration_office": {"median": 1.2, "sigma": 0.5, "tail": 0.3},
            "provincial_police": {"median": 1.1, "sigma": 0.5, "tail": 0.3},
        },
    )
