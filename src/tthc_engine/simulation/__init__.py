"""Workload simulation: seeded, reproducible dossier traffic through a ``OneStopShop``."""

from tthc_engine.simulation.month import SimulatedMonth, simulate_month

__all__ = ["SimulatedMonth", "simulate_month"]
