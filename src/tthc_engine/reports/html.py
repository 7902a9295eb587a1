"""The report as one self-contained HTML page with its charts (Vietnamese by default).

Everything is inside the file: the styles, and the charts drawn as inline SVG by the
functions below — no script, no font or library fetched, so the page opens offline, prints
well, and a screen reader reads each chart's title and numbers. It renders the JSON report
(:meth:`tthc_engine.projections.Report.as_dict`) and nothing else; every figure on the page
carries ``data-key`` (and ``data-scope``) so a test can check it against the JSON.

Sections: headline figures against the programme targets; early / on time / late by
agency; the monthly trend; lateness by step and agency (the control slip); apology
compliance; satisfaction (QĐ 766 chỉ số 5.4 and the ratings; land, construction and
investment separately); online, payment and digitisation shares; the QĐ 766 scorecard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from tthc_engine.projections.scorecard import INDICATORS, TARGETS

__all__ = ["render_html"]

_T: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "title": "Báo cáo tình hình, kết quả giải quyết TTHC",
        "period": "Kỳ báo cáo {first:%d/%m/%Y} – {last:%d/%m/%Y}",
        "headline": "Số liệu chính",
        "received": "Tiếp nhận trong kỳ",
        "carried_over": "Kỳ trước chuyển qua",
        "resolved": "Đã giải quyết",
        "early": "Trước hạn",
        "on_time": "Đúng hạn",
        "late": "Quá hạn",
        "pending": "Đang giải quyết, chưa đến hạn",
        "overdue": "Đang giải quyết, quá hạn",
        "withdrawn": "Rút hồ sơ",
        "stopped": "Dừng xử lý",
        "refused": "Từ chối tiếp nhận",
        "on_time_rate": "Tỷ lệ giải quyết đúng hạn",
        "rate_766": "Chỉ số 2.1 QĐ 766",
        "by_agency": "Trước hạn / đúng hạn / quá hạn theo đơn vị tiếp nhận",
        "trend": "Diễn biến theo tháng",
        "steps": "Phiếu kiểm soát: các bước theo cơ quan",
        "causes": "Cơ quan gây chậm",
        "apology": "Văn bản xin lỗi đối với hồ sơ quá hạn",
        "late_with_apology": "Quá hạn có xin lỗi",
        "late_without_apology": "Quá hạn chưa xin lỗi",
        "apology_rate": "Tỷ lệ xin lỗi",
        "satisfaction": "Mức độ hài lòng",
        "satisfaction_rate": "Chỉ số 5.4 QĐ 766",
        "rating_satisfaction_rate": "Đánh giá hài lòng",
        "overall": "Chung",
        "land_construction_investment": "Đất đai, xây dựng, đầu tư",
        "target": "Mục tiêu",
        "met": "đạt",
        "not_met": "chưa đạt",
        "shares": "Trực tuyến, thanh toán, số hóa",
        "online_rate": "Hồ sơ trực tuyến",
        "online_payment_rate": "Thanh toán trực tuyến",
        "digitisation_rate": "Số hóa hồ sơ",
        "scorecard": "Điểm QĐ 766",
        "indicator": "Chỉ số",
        "rate": "Tỷ lệ",
        "points": "Điểm",
        "max": "Tối đa",
        "agency": "Cơ quan",
        "month": "Tháng",
        "none": "Không có số liệu",
        "progress": "Tiến độ (2.1)",
        "online": "Trực tuyến (3.3)",
        "payment": "Thanh toán (3.6)",
        "digitisation": "Số hóa (4.2)",
        "source": "Nguồn: tthc-engine; công thức và căn cứ tại docs/indicators.md",
    },
    "en": {
        "title": "Administrative-procedure dossiers: handling report",
        "period": "Period {first:%d/%m/%Y} – {last:%d/%m/%Y}",
        "headline": "Headline figures",
        "received": "Received",
        "carried_over": "Carried over",
        "resolved": "Resolved",
        "early": "Early",
        "on_time": "On time",
        "late": "Late",
        "pending": "In progress, not yet due",
        "overdue": "In progress, overdue",
        "withdrawn": "Withdrawn",
        "stopped": "Stopped",
        "refused": "Refused at receipt",
        "on_time_rate": "On-time rate",
        "rate_766": "QĐ 766 indicator 2.1",
        "by_agency": "Early / on time / late by receiving agency",
        "trend": "Monthly trend",
        "steps": "Control slip: steps by agency",
        "causes": "Agencies that caused lateness",
        "apology": "Apologies for late dossiers",
        "late_with_apology": "Late, apologised",
        "late_without_apology": "Late, no apology",
        "apology_rate": "Apology rate",
        "satisfaction": "Satisfaction",
        "satisfaction_rate": "QĐ 766 indicator 5.4",
        "rating_satisfaction_rate": "Satisfied ratings",
        "overall": "Overall",
        "land_construction_investment": "Land, construction, investment",
        "target": "Target",
        "met": "met",
        "not_met": "not met",
        "shares": "Online, payment, digitisation",
        "online_rate": "Online dossiers",
        "online_payment_rate": "Online payments",
        "digitisation_rate": "Digitised dossiers",
        "scorecard": "QĐ 766 points",
        "indicator": "Indicator",
        "rate": "Rate",
        "points": "Points",
        "max": "Max",
        "agency": "Agency",
        "month": "Month",
        "none": "No data",
        "progress": "Progress (2.1)",
        "online": "Online (3.3)",
        "payment": "Payment (3.6)",
        "digitisation": "Digitisation (4.2)",
        "source": "Source: tthc-engine; formulas and legal basis in docs/indicators.md",
    },
}

_COLOURS = {"early": "#2e7d32", "on_time": "#1565c0", "late": "#c62828"}
_CSS = """
body{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:2rem;
color:#1b1b1b;max-width:60rem}
h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid
#ccc;padding-bottom:.2rem}.period{color:#555;margin:.2rem 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem}.card .v{font-size:1.6rem;
font-weight:600}.card .l{font-size:.85rem;color:#444}table{border-collapse:collapse;
margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;
text-align:right}th:first-child,td:first-child{text-align:left}thead th{background:#f4f4f4}
figure{margin:.5rem 0}figcaption{font-size:.85rem;color:#555}.legend span{display:inline-block;
margin-right:1rem;font-size:.85rem}.swatch{display:inline-block;width:.8rem;height:.8rem;
margin-right:.3rem;vertical-align:middle}footer{margin-top:2rem;font-size:.8rem;color:#666}
.met{color:#2e7d32}.not_met{color:#c62828}
@media print{body{margin:1cm}h2{break-after:avoid}figure,table{break-inside:avoid}}
"""


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def _num(value: object) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else escape(str(value))


def _fig(key: str, value: str, scope: str = "overall") -> str:
    return f'<span data-key="{escape(key)}" data-scope="{escape(scope)}">{value}</span>'


def _name(code: str, names: Mapping[str, str]) -> str:
    name = names.get(code)
    return f"{escape(name)} ({escape(code)})" if name else escape(code)


def _stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]], t: Mapping[str, str], chart: str
) -> str:
    """Horizontal bars of early / on time / late per row, as SVG."""
    if not rows:
        return f"<p>{t['none']}</p>"
    label_w, bar_w, row_h = 330, 380, 22
    height = row_h * len(rows) + 10
    verdicts = ("early", "on_time", "late")
    biggest = max(sum(v.get(k, 0) for k in verdicts) for _, v in rows) or 1
    parts = [
        f'<svg role="img" data-chart="{chart}" width="{label_w + bar_w + 60}" height="{height}"'
        f' viewBox="0 0 {label_w + bar_w + 60} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, values) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label if len(label) <= 46 else label[:45] + '…')}</text>"
        )
        x = float(label_w)
        for key in ("early", "on_time", "late"):
            n = values.get(key, 0)
            w = bar_w * n / biggest
            if n:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 6}" '
                    f'fill="{_COLOURS[key]}" data-series="{key}" data-value="{n}">'
                    f"<title>{escape(label)} — {t[key]}: {n}</title></rect>"
                )
            x += w
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="11">'
            f"{sum(values.get(k, 0) for k in verdicts)}</text>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span><i class="swatch" style="background:{_COLOURS[k]}"></i>{t[k]}</span>'
        for k in ("early", "on_time", "late")
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _trend(months: Mapping[str, Mapping[str, Any]], t: Mapping[str, str]) -> str:
    """Received and resolved per month (bars) with the on-time rate (line), as SVG."""
    if not months:
        return f"<p>{t['none']}</p>"
    keys = list(months)
    w, h, pad = 640, 220, 40
    step = (w - 2 * pad) / max(len(keys), 1)
    top = max(max(m["received"], m["resolved"]) for m in months.values()) or 1
    parts = [
        f'<svg role="img" data-chart="trend" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#999"/>',
    ]
    points = []
    for i, key in enumerate(keys):
        m = months[key]
        x0 = pad + i * step + step * 0.15
        bw = step * 0.3
        for j, series in enumerate(("received", "resolved")):
            value = m[series]
            bh = (h - 2 * pad) * value / top
            parts.append(
                f'<rect x="{x0 + j * bw:.1f}" y="{h - pad - bh:.1f}" width="{bw:.1f}" '
                f'height="{bh:.1f}" fill="{"#90a4ae" if j == 0 else "#546e7a"}" '
                f'data-series="{series}" data-month="{key}" data-value="{value}">'
                f"<title>{key} — {t[series]}: {value}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + bw:.1f}" y="{h - pad + 14}" text-anchor="middle" '
            f'font-size="11">{escape(key)}</text>'
        )
        rate = m["on_time_rate"]
        if rate is not None:
            points.append((x0 + bw, pad + (h - 2 * pad) * (1 - rate), rate, key))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="#1565c0" stroke-width="2" '
            'data-series="on_time_rate"/>'
        )
        for x, y, rate, key in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1565c0" data-month="{key}" '
                f'data-value="{rate:.4f}"><title>{key} — {t["on_time_rate"]}: {rate:.1%}'
                "</title></circle>"
            )
    parts.append("</svg>")
    legend = (
        f'<span><i class="swatch" style="background:#90a4ae"></i>{t["received"]}</span>'
        f'<span><i class="swatch" style="background:#546e7a"></i>{t["resolved"]}</span>'
        f'<span><i class="swatch" style="background:#1565c0"></i>{t["on_time_rate"]}</span>'
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _share_bars(rows: Sequence[tuple[str, str, float | None, float | None]], chart: str) -> str:
    """Horizontal bars of rates (0–100%) with a target mark, as SVG."""
    label_w, bar_w, row_h = 260, 360, 24
    height = row_h * len(rows) + 10
    parts = [
        f'<svg role="img" data-chart="{chart}" width="{label_w + bar_w + 80}" height="{height}"'
        f' viewBox="0 0 {label_w + bar_w + 80} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (key, label, rate, target) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h - 8}" fill="#eee"/>'
        )
        if rate is not None:
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{bar_w * min(rate, 1.0):.1f}" '
                f'height="{row_h - 8}" fill="#00897b" data-series="{key}" '
                f'data-value="{rate:.4f}"><title>{escape(label)}: {rate:.1%}</title></rect>'
            )
        if target is not None:
            tx = label_w + bar_w * target
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + row_h - 6}" '
                'stroke="#000" stroke-dasharray="3,2"/>'
            )
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 13}" font-size="11">{_pct(rate)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(
    report: Mapping[str, Any], lang: str = "vi", names: Mapping[str, str] | None = None
) -> str:
    """The report as one HTML page; ``names`` gives agency names by code (the catalog's)."""
    t = _T["en" if lang == "en" else "vi"]
    names = names or {}
    period = report["period"]
    first, last = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    out: list[str] = [
        f'<!doctype html><html lang="{"en" if lang == "en" else "vi"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{t['title']}</title><style>{_CSS}</style></head><body>",
        f"<h1>{t['title']}</h1>",
        f'<p class="period">{t["period"].format(first=first, last=last)}</p>',
        f'<h2>{t["headline"]}</h2><div class="cards">',
    ]
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
        out.append(
            f'<div class="card"><div class="v">{_fig(key, _num(report.get(key, 0)))}</div>'
            f'<div class="l">{t[key]}</div></div>'
        )
    for key in ("on_time_rate", "rate_766"):
        out.append(
            f'<div class="card"><div class="v">{_fig(key, _pct(report[key]))}</div>'
            f'<div class="l">{t[key]}</div></div>'
        )
    out.append("</div>")

    agencies = [(_name_plain(code, names), f) for code, f in report.get("by_agency", {}).items()]
    out.append(f"<h2>{t['by_agency']}</h2><figure>")
    out.append(_stacked_bars(agencies, t, "by_agency"))
    out.append("</figure>")
    out.append(
        _table(
            [
                t["agency"],
                t["received"],
                t["resolved"],
                t["early"],
                t["on_time"],
                t["late"],
                t["overdue"],
                t["on_time_rate"],
            ],
            [
                [_name(code, names)]
                + [
                    _fig(k, _num(f[k]), f"agency:{code}")
                    for k in ("received", "resolved", "early", "on_time", "late", "overdue")
                ]
                + [_fig("on_time_rate", _pct(f["on_time_rate"]), f"agency:{code}")]
                for code, f in report.get("by_agency", {}).items()
            ],
        )
    )

    months = report.get("by_month", {})
    out.append(f"<h2>{t['trend']}</h2><figure>{_trend(months, t)}</figure>")
    out.append(
        _table(
            [
                t["month"],
                t["received"],
                t["resolved"],
                t["late"],
                t["overdue"],
                t["on_time_rate"],
                t["rate_766"],
            ],
            [
                [escape(key)]
                + [
                    _fig(k, _num(m[k]), f"month:{key}")
                    for k in ("received", "resolved", "late", "overdue")
                ]
                + [_fig(k, _pct(m[k]), f"month:{key}") for k in ("on_time_rate", "rate_766")]
                for key, m in months.items()
            ],
        )
    )

    steps = report.get("steps", {})
    out.append(f"<h2>{t['steps']}</h2><figure>")
    out.append(_stacked_bars([(_name_plain(a, names), v) for a, v in steps.items()], t, "steps"))
    out.append("</figure>")
    causes = report.get("late_caused_by", {})
    out.append(f"<h3>{t['causes']}</h3>")
    out.append(
        _table(
            [t["agency"], t["late"]],
            [
                [_name(a, names), _fig("late_caused_by", _num(n), f"agency:{a}")]
                for a, n in causes.items()
            ],
        )
        if causes
        else f"<p>{t['none']}</p>"
    )

    late, apologised = report["late"], report["late_with_apology"]
    out.append(f"<h2>{t['apology']}</h2><figure>")
    out.append(_stacked_apology(late, apologised, t))
    out.append(
        f"<figcaption>{t['apology_rate']}: {_fig('apology_rate', _pct(report['apology_rate']))}"
        "</figcaption></figure>"
    )

    targets = report.get("satisfaction_targets", {})
    out.append(f"<h2>{t['satisfaction']}</h2><figure>")
    out.append(
        _share_bars(
            [
                (
                    "satisfaction_rate",
                    t["satisfaction_rate"],
                    report["satisfaction_rate"],
                    TARGETS["overall"],
                ),
                (
                    "rating_satisfaction_rate",
                    t["rating_satisfaction_rate"],
                    report["rating_satisfaction_rate"],
                    None,
                ),
                (
                    "land_construction_investment",
                    t["land_construction_investment"],
                    targets.get("land_construction_investment", {}).get("rate"),
                    TARGETS["land_construction_investment"],
                ),
            ],
            "satisfaction",
        )
    )
    out.append("</figure>")
    out.append(
        _table(
            ["", t["rate"], t["target"], ""],
            [
                [
                    t.get(scope, scope),
                    _fig("satisfaction_target_rate", _pct(v["rate"]), scope),
                    f"&gt; {v['target']:.0%}",
                    "—"
                    if v["met"] is None
                    else f'<span class="{"met" if v["met"] else "not_met"}">'
                    f"{t['met'] if v['met'] else t['not_met']}</span>",
                ]
                for scope, v in targets.items()
            ],
        )
    )

    out.append(f"<h2>{t['shares']}</h2><figure>")
    out.append(
        _share_bars(
            [
                ("online_rate", t["online_rate"], report["online_rate"], 0.5),
                (
                    "online_payment_rate",
                    t["online_payment_rate"],
                    report["online_payment_rate"],
                    None,
                ),
                ("digitisation_rate", t["digitisation_rate"], report["digitisation_rate"], 0.8),
            ],
            "shares",
        )
    )
    out.append("</figure>")

    points = report.get("scorecard_766", {})
    rates = {i.key: report.get(i.rate) for i in INDICATORS}
    out.append(f"<h2>{t['scorecard']}</h2>")
    out.append(
        _table(
            [t["indicator"], t["rate"], t["points"], t["max"]],
            [
                [
                    t.get(i.key, i.key),
                    _pct(rates[i.key]),
                    _fig(
                        f"scorecard_766.{i.key}",
                        "—" if points.get(i.key) is None else f"{points[i.key]:g}",
                    ),
                    f"{i.maximum:g}",
                ]
                for i in INDICATORS
            ],
        )
    )
    out.append(f"<footer>{t['source']}</footer></body></html>")
    return "\n".join(out)


def _name_plain(code: str, names: Mapping[str, str]) -> str:
    return names.get(code) or code


def _stacked_apology(late: int, apologised: int, t: Mapping[str, str]) -> str:
    width = 480
    if not late:
        return f"<p>{t['none']}</p>"
    w = width * apologised / late
    return (
        f'<svg role="img" data-chart="apology" width="{width + 20}" height="30" '
        f'viewBox="0 0 {width + 20} 30" xmlns="http://www.w3.org/2000/svg">'
        f'<rect x="0" y="4" width="{w:.1f}" height="20" fill="#2e7d32" '
        f'data-series="late_with_apology" data-value="{apologised}">'
        f"<title>{t['late_with_apology']}: {apologised}</title></rect>"
        f'<rect x="{w:.1f}" y="4" width="{width - w:.1f}" height="20" fill="#c62828" '
        f'data-series="late_without_apology" data-value="{late - apologised}">'
        f"<title>{t['late_without_apology']}: {late - apologised}</title></rect></svg>"
        f'<div class="legend"><span><i class="swatch" style="background:#2e7d32"></i>'
        f'{t["late_with_apology"]} {apologised}</span><span><i class="swatch" '
        f'style="background:#c62828"></i>{t["late_without_apology"]} {late - apologised}'
        "</span></div>"
    )


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    if not rows:
        return ""
    thead = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table>"
