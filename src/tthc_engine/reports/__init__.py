"""User-facing renderings of the reports: text tables (Vietnamese by default, English)."""

from tthc_engine.reports.text import LABELS, render

__all__ = ["LABELS", "render"]
