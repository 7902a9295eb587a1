"""The report as one self-contained HTML page with its charts (Vietnamese by default).

Everything is inside the file: the styles, and the charts drawn as inline SVG
(:mod:`tthc_engine.reports.charts`) — no script, no font or library fetched — so the page
opens offline, prints on A4, and a screen reader reads each chart's title. It renders the
JSON report (:meth:`tthc_engine.projections.Report.as_dict`) and nothing else, and every
figure on it is tagged with its place in that JSON (:mod:`tthc_engine.reports.numbers`), so
the page can be checked against the report figure by figure.

Sections: headline figures against the programme targets; early / on time / late by
receiving agency; the monthly trend; lateness by step and agency (the control slip) and
the agencies that caused it; apology compliance; satisfaction (QĐ 766 chỉ số 5.4 and the
ratings; land, construction and investment separately); online, payment and digitisation
shares; the QĐ 766 scorecard; the figures by field, level and procedure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from tthc_engine import __version__
from tthc_engine.catalog import Catalog
from tthc_engine.projections.scorecard import INDICATORS, special_field
from tthc_engine.reports.charts import (
    Mark,
    legend,
    line_chart,
    stacked_bars,
    target_bars,
    tspan,
)
from tthc_engine.reports.html_text import CSS, TEXT
from tthc_engine.reports.numbers import Numbers, pointer

__all__ = ["catalog_names", "render_html"]

_VERDICTS = ("early", "on_time", "late")
_COUNTS = ("received", "resolved", "early", "on_time", "late", "pending", "overdue")
_THRESHOLDS = {i.rate: i.threshold for i in INDICATORS}


def catalog_names(catalog: Catalog) -> dict[str, str]:
    """Names by code from a catalog: its agencies' and its procedures' (latest version)."""
    names = {a.code: a.name for a in catalog.agencies.values() if a.name}
    names.update({code: catalog[code].name for code in catalog})
    return names


class _Page:
    """One rendering: the language's words and numbers, the names, the report."""

    def __init__(self, report: Mapping[str, Any], lang: str, names: Mapping[str, str]) -> None:
        self.report = report
        self.lang = "en" if lang == "en" else "vi"
        self.t = TEXT[self.lang]
        self.n = Numbers(self.lang)
        self.names = names

    # -- figures ----------------------------------------------------------------------
    def _value(self, *path: str) -> Any:
        found: Any = self.report
        for part in path:
            found = found[part]
        return found

    def count(self, *path: str) -> str:
        value = self._value(*path)
        return self.n.figure(pointer(*path), value, self.n.count(value))

    def rate(self, *path: str) -> str:
        value = self._value(*path)
        return self.n.figure(pointer(*path), value, self.n.rate(value))

    def points(self, *path: str) -> str:
        value = self._value(*path)
        return self.n.figure(pointer(*path), value, self.n.points(value))

    def mark(self, series: str, *path: str, percent: bool = False) -> Mark:
        value = self._value(*path)
        shown = self.n.rate(value) if percent else self.n.count(value)
        return Mark(pointer(*path), value, series, shown)

    def name(self, code: str) -> str:
        name = self.names.get(code)
        return f"{escape(name)} <small>{escape(code)}</small>" if name else escape(code)

    def plain(self, code: str) -> str:
        return self.names.get(code) or code

    # -- building blocks --------------------------------------------------------------
    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[str]],
        caption: str = "",
        words: Sequence[int] = (),
    ) -> str:
        """A table whose first column heads the rows; ``words`` are the columns of text
        (aligned left, the figures right)."""
        if not rows:
            return f'<p class="none">{self.t["none"]}</p>'
        cap = f"<caption>{caption}</caption>" if caption else ""
        thead = "".join(f'<th scope="col">{h}</th>' for h in head)
        body = "".join(
            "<tr>"
            + f'<th scope="row">{row[0]}</th>'
            + "".join(
                f'<td class="w">{c}</td>' if i in words else f"<td>{c}</td>"
                for i, c in enumerate(row[1:], 1)
            )
            + "</tr>"
            for row in rows
        )
        return f"<table>{cap}<thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table>"

    def group_table(
        self, group: str, label: str, keys: Sequence[str], cell: Callable[[str], str] = escape
    ) -> str:
        t = self.t
        rows = [
            [cell(k)]
            + [self.count(group, k, c) for c in _COUNTS]
            + [self.rate(group, k, "on_time_rate"), self.rate(group, k, "rate_766")]
            for k in keys
        ]
        head = [label, *(t[c] for c in _COUNTS), t["on_time_rate"], t["rate_766_short"]]
        return self.table(head, rows)

    def verdict_bars(self, name: str, title: str, group: str, keys: Sequence[str]) -> str:
        rows = [(self.plain(k), [self.mark(v, group, k, v) for v in _VERDICTS]) for k in keys]
        if not rows:
            return f'<p class="none">{self.t["none"]}</p>'
        return stacked_bars(name, title, rows, self.n.count) + legend(
            [(v, self.t[v]) for v in _VERDICTS]
        )

    def section(self, anchor: str, title: str, *parts: str) -> str:
        return f'<section id="{anchor}"><h2>{title}</h2>{"".join(parts)}</section>'

    # -- sections ---------------------------------------------------------------------
    def headline(self) -> str:
        t, r = self.t, self.report
        cards = []
        for key in (
            "received",
            "carried_over",
            "resolved",
            "early",
            "on_time",
            "late",
            "pending",
            "overdue",
            "withdrawn",
            "stopped",
            "refused",
        ):
            cards.append(
                f'<div class="card {key}"><div class="v">{self.count(key)}</div>'
                f'<div class="l">{t[key]}</div></div>'
            )
        for key in ("on_time_rate", "rate_766"):
            cards.append(
                f'<div class="card rate"><div class="v">{self.rate(key)}</div>'
                f'<div class="l">{t[key]}</div></div>'
            )
        targets = r["satisfaction_targets"]
        rows = [
            self._target_row("on_time_rate"),
            self._target_row("rate_766"),
            self._target_row("online_rate"),
            self._target_row("digitisation_rate"),
            self._programme_row("overall", targets),
            self._programme_row("land_construction_investment", targets),
        ]
        return self.section(
            "headline",
            t["headline"],
            f'<div class="cards">{"".join(cards)}</div>',
            f"<h3>{t['against_targets']}</h3>",
            "<figure>",
            target_bars("targets", t["against_targets"], rows),
            f"<figcaption>{t['targets_note']}</figcaption></figure>",
        )

    def _target_row(self, rate: str) -> tuple[str, Mark, float | None, str, bool | None]:
        mark = self.mark("neutral", rate, percent=True)
        threshold = _THRESHOLDS.get(rate)
        if threshold is None:
            return self.t[rate], mark, None, "", None
        written = f"{self.t['target']} ≥ {escape(self.n.rate(threshold))} (QĐ 766)"
        met = None if mark.value is None else mark.value >= threshold
        return self.t[rate], mark, threshold, written, met

    def _programme_row(
        self, scope: str, targets: Mapping[str, Any]
    ) -> tuple[str, Mark, float | None, str, bool | None]:
        found = targets[scope]
        mark = self.mark("neutral", "satisfaction_targets", scope, "rate", percent=True)
        target = self.mark("neutral", "satisfaction_targets", scope, "target", percent=True)
        written = f"{self.t['target']} &gt; {tspan(target)} (NQ 76)"
        return self.t[f"satisfaction_{scope}"], mark, found["target"], written, found["met"]

    def by_agency(self) -> str:
        t = self.t
        keys = list(self.report.get("by_agency", {}))
        return self.section(
            "by-agency",
            t["by_agency"],
            "<figure>",
            self.verdict_bars("by_agency", t["by_agency"], "by_agency", keys),
            "</figure>",
            self.group_table("by_agency", t["agency"], keys, self.name),
        )

    def trend(self) -> str:
        t = self.t
        months = list(self.report.get("by_month", {}))
        if not months:
            return self.section("trend", t["trend"], f'<p class="none">{t["none"]}</p>')
        counts = [
            (s, [self.mark(s, "by_month", m, s) for m in months])
            for s in ("received", "resolved", "late")
        ]
        rates = [
            (s, [self.mark(s, "by_month", m, s, percent=True) for m in months])
            for s in ("on_time_rate", "rate_766")
        ]
        return self.section(
            "trend",
            t["trend"],
            "<figure>",
            line_chart("trend_counts", t["trend_counts"], months, counts, self.n.points),
            legend([(s, t[s]) for s, _ in counts]),
            "</figure><figure>",
            line_chart("trend_rates", t["trend_rates"], months, rates, self.n.rate, percent=True),
            legend([(s, t[s]) for s, _ in rates]),
            "</figure>",
            self.group_table("by_month", t["month"], months),
        )

    def lateness(self) -> str:
        t, steps = self.t, self.report.get("steps", {})
        causes = self.report.get("late_caused_by", {})
        keys = sorted(
            set(steps) | set(causes),
            key=lambda a: (
                -causes.get(a, 0),
                -steps.get(a, {}).get("late", 0),
                -sum(steps.get(a, {}).values()),
                a,
            ),
        )
        with_steps = [a for a in keys if a in steps]
        rows = [
            [self.name(a)]
            + [self.count("steps", a, v) if a in steps else "—" for v in _VERDICTS]
            + [self.count("late_caused_by", a) if a in causes else "0"]
            for a in keys
        ]
        head = [t["agency"], t["step_early"], t["step_on_time"], t["step_late"], t["caused"]]
        return self.section(
            "lateness",
            t["lateness"],
            f"<p>{t['lateness_note']}</p><figure>",
            self.verdict_bars("steps", t["lateness"], "steps", with_steps),
            "</figure>",
            self.table(head, rows),
        )

    def apology(self) -> str:
        t, r = self.t, self.report
        late, apologised = r["late"], r["late_with_apology"]
        with_mark = Mark("/late_with_apology", apologised, "with_apology", self.n.count(apologised))
        without = late - apologised
        without_mark = Mark(
            "/late - /late_with_apology", without, "without_apology", self.n.count(without)
        )
        chart = (
            stacked_bars(
                "apology", t["apology"], [(t["late"], [with_mark, without_mark])], self.n.count
            )
            + legend(
                [("with_apology", t["with_apology"]), ("without_apology", t["without_apology"])]
            )
            if late
            else f'<p class="none">{t["no_late"]}</p>'
        )
        facts = (
            f"<p>{t['late']}: {self.count('late')} · {t['with_apology']}: "
            f"{self.count('late_with_apology')} · {t['apology_rate']}: "
            f"{self.rate('apology_rate')}</p>"
        )
        return self.section(
            "apology",
            t["apology"],
            f"<p>{t['apology_note']}</p>",
            facts,
            f"<figure>{chart}</figure>",
        )

    def satisfaction(self) -> str:
        t, r = self.t, self.report
        threshold = _THRESHOLDS.get("satisfaction_rate")
        rate = self.mark("neutral", "satisfaction_rate", percent=True)
        rows: list[tuple[str, Mark, float | None, str, bool | None]] = [
            (
                t["satisfaction_rate"],
                rate,
                threshold,
                f"{t['target']} ≥ {escape(self.n.rate(threshold))} (QĐ 766)" if threshold else "",
                None if rate.value is None or threshold is None else rate.value >= threshold,
            ),
            (
                t["rating_satisfaction_rate"],
                self.mark("neutral", "rating_satisfaction_rate", percent=True),
                None,
                "",
                None,
            ),
            self._programme_row("overall", r["satisfaction_targets"]),
            self._programme_row("land_construction_investment", r["satisfaction_targets"]),
        ]
        fields = [f for f in r.get("by_field", {}) if special_field(f)]
        for field in fields:
            rows.append(
                (
                    field,
                    self.mark("neutral", "by_field", field, "satisfaction_rate", percent=True),
                    None,
                    "",
                    None,
                )
            )
        table = self.table(
            [t["field"], t["resolved"], t["late"], t["satisfaction_rate"], t["rating_rate"]],
            [
                [escape(f)]
                + [self.count("by_field", f, k) for k in ("resolved", "late")]
                + [
                    self.rate("by_field", f, "satisfaction_rate"),
                    self.rate("by_field", f, "rating_satisfaction_rate"),
                ]
                for f in fields
            ],
            caption=t["special_fields"],
        )
        return self.section(
            "satisfaction",
            t["satisfaction"],
            f"<p>{t['satisfaction_note']}</p><figure>",
            target_bars("satisfaction", t["satisfaction"], rows),
            "</figure>",
            table,
        )

    def shares(self) -> str:
        t = self.t
        channels = [self.mark(c, "received_by_channel", c) for c in ("counter", "online", "postal")]
        rows = [
            self._target_row("online_rate"),
            self._target_row("online_payment_rate"),
            self._target_row("digitisation_rate"),
        ]
        return self.section(
            "shares",
            t["shares"],
            "<figure>",
            stacked_bars("channels", t["channels"], [(t["received"], channels)], self.n.count),
            legend(
                [
                    (c, f"{t[f'channel_{c}']}: {self.count('received_by_channel', c)}")
                    for c in ("counter", "online", "postal")
                ]
            ),
            "</figure><figure>",
            target_bars("shares", t["shares"], rows),
            "</figure>",
        )

    def scorecard(self) -> str:
        t = self.t
        card = self.report.get("scorecard_766", {})
        rows = [
            [
                t[f"indicator_{i.key}"],
                escape(i.basis),
                self.rate(i.rate),
                self.points("scorecard_766", i.key) if i.key in card else "—",
                escape(self.n.points(i.maximum)),
            ]
            for i in INDICATORS
        ]
        scored = [i.key for i in INDICATORS if card.get(i.key) is not None]
        total = sum(card[k] for k in scored)
        key = " + ".join(pointer("scorecard_766", k) for k in scored)
        maximum = sum(i.maximum for i in INDICATORS)
        rows.append(
            [
                f"<strong>{t['total']}</strong>",
                "",
                "",
                f"<strong>{self.n.figure(key, total, self.n.points(total))}</strong>"
                if scored
                else "—",
                f"<strong>{escape(self.n.points(maximum))}</strong>",
            ]
        )
        head = [t["indicator"], t["basis"], t["rate"], t["points"], t["max"]]
        return self.section(
            "scorecard",
            t["scorecard"],
            self.table(head, rows, words=(1,)),
            f"<p>{t['scorecard_note']}</p>",
        )

    def groups(self) -> str:
        t, r = self.t, self.report
        levels = list(r.get("by_level", {}))
        return self.section(
            "groups",
            t["groups"],
            f"<h3>{t['by_field']}</h3>",
            self.group_table("by_field", t["field"], list(r.get("by_field", {}))),
            f"<h3>{t['by_level']}</h3>",
            self.group_table(
                "by_level", t["level"], levels, lambda k: escape(t.get(f"level_{k}", k))
            ),
            f"<h3>{t['by_procedure']}</h3>",
            self.group_table(
                "by_procedure", t["procedure"], list(r.get("by_procedure", {})), self.name
            ),
        )

    def page(self) -> str:
        t, r = self.t, self.report
        first = date.fromisoformat(r["period"]["from"])
        last = date.fromisoformat(r["period"]["to"])
        sections = [
            self.headline(),
            self.by_agency(),
            self.trend(),
            self.lateness(),
            self.apology(),
            self.satisfaction(),
            self.shares(),
            self.scorecard(),
            self.groups(),
        ]
        nav = "".join(
            f'<a href="#{a}">{t[k]}</a>'
            for a, k in (
                ("headline", "headline"),
                ("by-agency", "by_agency"),
                ("trend", "trend"),
                ("lateness", "lateness"),
                ("apology", "apology"),
                ("satisfaction", "satisfaction"),
                ("shares", "shares"),
                ("scorecard", "scorecard"),
                ("groups", "groups"),
            )
        )
        return (
            f'<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{t['title']} {first:%d/%m/%Y} – {last:%d/%m/%Y}</title>"
            f"<style>{CSS}</style></head><body>"
            f"<header><h1>{t['title']}</h1>"
            f'<p class="period">{t["period"].format(first=first, last=last)}</p>'
            f"<nav>{nav}</nav></header><main>{''.join(sections)}</main>"
            f"<footer>{t['source'].format(version=escape(__version__))}</footer>"
            "</body></html>"
        )


def render_html(
    report: Mapping[str, Any], lang: str = "vi", names: Mapping[str, str] | None = None
) -> str:
    """The report as one HTML page; ``names`` gives agency and procedure names by code
    (:func:`catalog_names`)."""
    return _Page(report, lang, names or {}).page()
