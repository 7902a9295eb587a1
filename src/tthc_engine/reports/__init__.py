"""User-facing renderings of the reports: the office's table as text and the page with its
charts as HTML (Vietnamese by default, English)."""

from tthc_engine.reports.html import catalog_names, render_html
from tthc_engine.reports.text import LABELS, render

__all__ = ["LABELS", "catalog_names", "render", "render_html"]
