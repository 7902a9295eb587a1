"""How the figures of a report are written: Vietnamese (``1.234``, ``97,0%``) or English
(``1,234``, ``97.0%``), and how a page tags them for a machine to read back.

A figure on an HTML page is ``<data value="RAW" data-key="POINTER">shown</data>``: ``RAW``
is the JSON value itself and ``POINTER`` its place in the JSON report (RFC 6901, e.g.
``/by_agency/000.00.10.H41/late``); a figure the page adds up from the report says so with
``+`` and ``-`` between pointers (``/late - /late_with_apology``). So a test — or an
official with the JSON at hand — can check every figure on the page against the report.
"""

from __future__ import annotations

from html import escape

import attrs

__all__ = ["Numbers", "pointer", "raw"]

_VI = str.maketrans(",.", ".,")
"""Vietnamese writes thousands with '.' and decimals with ','."""


def pointer(*parts: str) -> str:
    """The JSON pointer (RFC 6901) of ``parts``: ``pointer("by_agency", code, "late")``."""
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def raw(value: object) -> str:
    """A figure's JSON value as an attribute: ``""`` for null, ``repr`` for a float."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


@attrs.frozen
class Numbers:
    """The number formats of a language (``vi`` or ``en``)."""

    lang: str = "vi"

    def _local(self, text: str) -> str:
        if self.lang == "en":
            return text
        return text.translate(_VI)

    def count(self, n: float) -> str:
        """A count: ``1.234`` (vi), ``1,234`` (en)."""
        return self._local(f"{round(n):,}")

    def rate(self, r: float | None) -> str:
        """A rate as a percentage with one decimal: ``97,0%`` (vi), ``97.0%`` (en); ``—``
        when undefined."""
        return "—" if r is None else self._local(f"{r:.1%}")

    def points(self, p: float | None) -> str:
        """Points, with at most two decimals: ``19,47``, ``12``; ``—`` when undefined."""
        if p is None:
            return "—"
        text = f"{p:,.2f}".rstrip("0").rstrip(".")
        return self._local(text)

    def figure(self, key: str, value: object, shown: str) -> str:
        """``shown`` tagged as the figure at ``key`` (see the module's docstring)."""
        return f'<data value="{escape(raw(value))}" data-key="{escape(key)}">{shown}</data>'
