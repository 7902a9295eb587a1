"""Workload simulation: seeded, reproducible traffic of a province's one-stop shops.

* :class:`Profile` — the workload as data (YAML/TOML, validated with every problem
  reported); :meth:`Profile.sample` gives ``nghe-an-month`` and ``nghe-an-year``;
* :class:`Simulation` — the period's dossiers and their histories, written straight to a
  ``tthc.event/1`` log (:meth:`Simulation.write_jsonl`) or carried out through
  ``OneStopShop`` into any store (:meth:`Simulation.record`);
* :mod:`.whatif` — a baseline and variants on common random numbers over several seeds;
* :func:`simulate_month` — the month of the quick start, through an application.
"""

from tthc_engine.simulation.engine import Simulation, SimulationSummary, record_facts
from tthc_engine.simulation.month import SimulatedMonth, simulate_month
from tthc_engine.simulation.profile import SAMPLES, Profile, ProfileValidationError

__all__ = [
    "SAMPLES",
    "Profile",
    "ProfileValidationError",
    "SimulatedMonth",
    "Simulation",
    "SimulationSummary",
    "record_facts",
    "simulate_month",
]
