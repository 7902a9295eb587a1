"""The report's charts as inline SVG: stacked bars, a line chart, rates against targets.

No script and no library: each chart is an ``<svg role="img">`` whose ``<title>`` names it
(a screen reader reads it, a printer prints it), sized by its ``viewBox`` so that it shrinks
to the page. Every mark — bar, point, value label — carries the figure it draws as
``data-key`` (its JSON pointer) and ``data-value`` (see :mod:`tthc_engine.reports.numbers`),
and a ``<title>`` with the value as written, shown on hover.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

import attrs

from tthc_engine.reports.numbers import raw

__all__ = ["COLOURS", "Mark", "legend", "line_chart", "stacked_bars", "target_bars", "tspan"]

COLOURS: Mapping[str, str] = {
    "early": "#2e7d32",
    "on_time": "#1565c0",
    "late": "#c62828",
    "received": "#546e7a",
    "resolved": "#00897b",
    "on_time_rate": "#1565c0",
    "rate_766": "#6a1b9a",
    "counter": "#8d6e63",
    "online": "#00897b",
    "postal": "#f9a825",
    "with_apology": "#2e7d32",
    "without_apology": "#c62828",
    "met": "#2e7d32",
    "not_met": "#ef6c00",
    "neutral": "#00838f",
    "points": "#3949ab",
    "track": "#e8eaed",
}

_FONT = 'font-family="inherit" font-size="12"'


@attrs.frozen
class Mark:
    """One figure a chart draws: its JSON pointer, value, series and the value as written."""

    key: str
    value: float | None
    series: str
    shown: str


def _data(mark: Mark) -> str:
    return f'data-key="{escape(mark.key)}" data-value="{raw(mark.value)}"'


def _open(name: str, title: str, width: int, height: int) -> str:
    return (
        f'<svg role="img" data-chart="{name}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
    )


def _clip(label: str, size: int) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def tspan(mark: Mark) -> str:
    """A figure inside an SVG ``<text>``, tagged like a mark."""
    return f"<tspan {_data(mark)}>{escape(mark.shown)}</tspan>"


def legend(items: Sequence[tuple[str, str]]) -> str:
    """A legend: (series, label) pairs with their colour swatch; a label is HTML (escaped
    by the caller, and may hold a figure)."""
    spans = "".join(
        f'<span><i class="swatch" style="background:{COLOURS[s]}"></i>{label}</span>'
        for s, label in items
    )
    return f'<div class="legend">{spans}</div>'


def stacked_bars(
    name: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[Mark]]],
    total: Callable[[float], str],
) -> str:
    """Horizontal bars, one per row, stacked from its marks, with the row's total at the end
    (its ``data-key`` adds up the marks' pointers). All rows share one scale."""
    label_w, bar_w, row_h, right = 300, 500, 26, 70
    height = row_h * len(rows) + 8
    width = label_w + bar_w + right
    biggest = max((sum(m.value or 0 for m in marks) for _, marks in rows), default=0) or 1
    out = [_open(name, title, width, height)]
    for i, (label, marks) in enumerate(rows):
        y = 4 + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" {_FONT}>'
            f"<title>{escape(label)}</title>{escape(_clip(label, 40))}</text>"
        )
        x = float(label_w)
        for mark in marks:
            w = bar_w * (mark.value or 0) / biggest
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 8}" '
                    f'fill="{COLOURS[mark.series]}" {_data(mark)}>'
                    f"<title>{escape(label)}: {escape(mark.shown)}</title></rect>"
                )
            x += w
        value = sum(m.value or 0 for m in marks)
        key = " + ".join(m.key for m in marks)
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + 16}" {_FONT} data-key="{escape(key)}" '
            f'data-value="{raw(value)}">{escape(total(value))}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5 or 5 × a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def line_chart(
    name: str,
    title: str,
    xs: Sequence[str],
    series: Sequence[tuple[str, Sequence[Mark]]],
    axis: Callable[[float], str],
    *,
    percent: bool = False,
) -> str:
    """A line per series over the ``xs`` (months), with gridlines, the y axis written by
    ``axis`` (0–100% when ``percent``) and each point's value written above it."""
    width, height, left, right, top, bottom = 860, 260, 64, 24, 18, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [m.value for _, marks in series for m in marks if m.value is not None]
    y_max = 1.0 if percent else _nice_top(max(values, default=0))
    n = len(xs)

    def x_of(i: int) -> float:
        return left + plot_w / 2 if n == 1 else left + plot_w * i / (n - 1)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    out = [_open(name, title, width, height)]
    for k in range(5):
        v = y_max * k / 4
        y = y_of(v)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{"#9e9e9e" if k == 0 else "#e0e0e0"}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {_FONT}>'
            f"{escape(axis(v))}</text>"
        )
    for i, x_label in enumerate(xs):
        out.append(
            f'<text x="{x_of(i):.1f}" y="{height - 10}" text-anchor="middle" {_FONT}>'
            f"{escape(x_label)}</text>"
        )
    for k, (s, marks) in enumerate(series):
        colour = COLOURS[s]
        dy = -9 if k % 2 == 0 else 18  # every other series writes its values below
        points = [(x_of(i), y_of(m.value), m) for i, m in enumerate(marks) if m.value is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'data-series="{s}"/>'
            )
        for x, y, mark in points:
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" {_data(mark)}>'
                f"<title>{escape(mark.shown)}</title></circle>"
            )
            if n <= 12:
                out.append(
                    f'<text x="{x:.1f}" y="{y + dy:.1f}" text-anchor="middle" {_FONT} '
                    f'fill="{colour}" {_data(mark)}>{escape(mark.shown)}</text>'
                )
    out.append("</svg>")
    return "".join(out)


def target_bars(
    name: str,
    title: str,
    rows: Sequence[tuple[str, Mark, float | None, str, bool | None]],
) -> str:
    """Rates on a 0–100% scale, one bar each: (label, rate, target, the target as written —
    SVG text markup, see :func:`tspan` —, whether it is met). A dashed tick marks the
    target; the bar is green when it is met, orange when not, teal without a target."""
    label_w, bar_w, row_h, right = 280, 360, 30, 250
    width, height = label_w + bar_w + right, row_h * len(rows) + 8
    out = [_open(name, title, width, height)]
    for i, (label, mark, target, target_label, met) in enumerate(rows):
        y = 4 + i * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" {_FONT}>'
            f"{escape(_clip(label, 40))}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 12}" '
            f'fill="{COLOURS["track"]}"/>'
        )
        if mark.value is not None:
            series = "neutral" if met is None else "met" if met else "not_met"
            out.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{bar_w * min(mark.value, 1.0):.1f}" '
                f'height="{row_h - 12}" fill="{COLOURS[series]}" {_data(mark)}>'
                f"<title>{escape(label)}: {escape(mark.shown)}</title></rect>"
            )
        if target is not None:
            tx = label_w + bar_w * target
            out.append(
                f'<line x1="{tx:.1f}" y1="{y}" x2="{tx:.1f}" y2="{y + row_h - 4}" '
                'stroke="#212121" stroke-width="2" stroke-dasharray="4,2"/>'
            )
        out.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}" {_FONT} {_data(mark)}>'
            f"{escape(mark.shown)}</text>"
        )
        if target_label:
            out.append(
                f'<text x="{label_w + bar_w + 60}" y="{y + 17}" {_FONT} fill="#616161">'
                f"{target_label}</text>"
            )
    out.append("</svg>")
    return "".join(out)
