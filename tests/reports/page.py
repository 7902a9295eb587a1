"""Reading the report's page back: its tagged figures and its charts' shapes.

A figure is any element with ``data-key`` (a JSON pointer into the report, or pointers
joined by ``+`` and ``-``) and its value in ``value`` (``<data>``) or ``data-value`` (SVG);
``<data>``, ``<text>`` and ``<tspan>`` also show it as text. See tthc_engine.reports.numbers.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import attrs

SHAPES = ("rect", "circle", "polyline", "line")
SHOWN = ("data", "text", "tspan")
VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "wbr"})


@attrs.define
class Figure:
    tag: str
    key: str
    raw: str
    text: str = ""


@attrs.define
class _Reader(HTMLParser):
    figures: list[Figure] = attrs.Factory(list)
    shapes: dict[str, dict[str, int]] = attrs.Factory(dict)
    _open: list[Figure | None] = attrs.Factory(list)
    _chart: str | None = None

    def __attrs_post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs_}
        if tag == "svg":
            self._chart = a.get("data-chart", "?")
            self.shapes.setdefault(self._chart, dict.fromkeys(SHAPES, 0))
        elif self._chart is not None and tag in SHAPES:
            drawn = tag != "rect" or float(a.get("width", "0")) > 0
            self.shapes[self._chart][tag] += drawn
        figure = None
        if "data-key" in a:
            raw = a["value"] if tag == "data" else a.get("data-value", "?")
            figure = Figure(tag, a["data-key"], raw)
            self.figures.append(figure)
        if tag not in VOID:
            self._open.append(figure)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = None
        if self._open:
            self._open.pop()

    def handle_startendtag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs_)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        for figure in self._open:
            if figure is not None and figure.tag in SHOWN:
                figure.text += data


def read(page: str) -> tuple[list[Figure], dict[str, dict[str, int]]]:
    """The page's figures and, per chart (``data-chart``), how many shapes it draws."""
    reader = _Reader()
    reader.feed(page)
    reader.close()
    return reader.figures, reader.shapes


def _at(report: Any, pointer: str) -> Any:
    found = report
    for part in pointer.split("/")[1:]:
        found = found[part.replace("~1", "/").replace("~0", "~")]
    return found


def resolve(report: dict[str, Any], key: str) -> Any:
    """The value a ``data-key`` names in the report (pointers added and subtracted)."""
    terms = re.split(r" ([+-]) ", key)
    total = _at(report, terms[0])
    for sign, term in zip(terms[1::2], terms[2::2], strict=True):
        total = total + _at(report, term) if sign == "+" else total - _at(report, term)
    return total


def read_shown(text: str, lang: str) -> float | None:
    """A figure as written on the page, as a number (a percentage as a fraction of 100)."""
    text = text.strip()
    if text == "—":
        return None
    thousands, decimal = (",", ".") if lang == "en" else (".", ",")
    number = text.rstrip("%").replace(thousands, "").replace(decimal, ".")
    return float(number)


def mismatches(report: dict[str, Any], figures: list[Figure], lang: str) -> list[str]:
    """Every figure whose value, or whose text as written, differs from the report."""
    found = []
    for figure in figures:
        try:
            expected = resolve(report, figure.key)
        except (KeyError, TypeError):
            found.append(f"{figure.key}: not in the report")
            continue
        value = None if figure.raw == "" else float(figure.raw)
        if (value is None) != (expected is None) or (
            value is not None and abs(value - expected) > 1e-9 * max(1.0, abs(expected))
        ):
            found.append(f"{figure.key}: value {figure.raw!r}, report {expected!r}")
            continue
        if figure.tag not in SHOWN:
            continue
        shown = read_shown(figure.text, lang)
        if shown is None or expected is None:
            if shown is not expected:
                found.append(f"{figure.key}: shows {figure.text!r}, report {expected!r}")
            continue
        digits = figure.text.strip().rstrip("%")
        decimal = "." if lang == "en" else ","
        places = len(digits.split(decimal)[1]) if decimal in digits else 0
        scaled = expected * 100 if figure.text.strip().endswith("%") else expected
        if abs(shown - scaled) > 0.5 * 10**-places + 1e-9:
            found.append(f"{figure.key}: shows {figure.text!r}, report {expected!r}")
    return found


def expected_keys(report: dict[str, Any]) -> set[str]:
    """The figures a page of the report must show (a sample of every section's)."""
    keys = {
        f"/{k}"
        for k in (
            "received", "carried_over", "resolved", "early", "on_time", "late", "pending",
            "overdue", "withdrawn", "stopped", "refused", "late_with_apology", "on_time_rate",
            "rate_766", "apology_rate", "online_rate", "online_payment_rate",
            "digitisation_rate", "satisfaction_rate", "rating_satisfaction_rate",
        )
    }  # fmt: skip
    keys |= {f"/received_by_channel/{c}" for c in report["received_by_channel"]}
    keys |= {f"/scorecard_766/{k}" for k in report["scorecard_766"]}
    keys |= {f"/satisfaction_targets/{s}/rate" for s in report["satisfaction_targets"]}
    for group in ("by_agency", "by_month", "by_field", "by_level", "by_procedure"):
        for name in report[group]:
            keys |= {f"/{group}/{name}/{k}" for k in ("received", "late", "rate_766")}
    for agency in report["steps"]:
        keys |= {f"/steps/{agency}/{k}" for k in ("early", "on_time", "late")}
    keys |= {f"/late_caused_by/{agency}" for agency in report["late_caused_by"]}
    return keys
