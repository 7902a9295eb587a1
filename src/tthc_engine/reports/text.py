"""The report as the table a one-stop office prints, in Vietnamese (default) or English.

"Tình hình, kết quả giải quyết thủ tục hành chính": received (by channel) and carried
over; resolved early / on time / late; in progress not yet due / overdue; withdrawn,
stopped, refused; then the rates, the QĐ 766 points, the satisfaction targets, which
agencies caused lateness, the control-slip verdicts by agency, and the months. It renders
the JSON report (:meth:`tthc_engine.projections.Report.as_dict`) and nothing else, so the
text and the JSON never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

__all__ = ["LABELS", "render"]

LABELS: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "title": "Tình hình, kết quả giải quyết TTHC — {first:%d/%m/%Y} đến {last:%d/%m/%Y}",
        "received": "Tiếp nhận trong kỳ",
        "counter": "trực tiếp",
        "online": "trực tuyến",
        "postal": "bưu chính",
        "carried_over": "Kỳ trước chuyển qua",
        "resolved": "Đã giải quyết",
        "early": "trước hạn",
        "on_time": "đúng hạn",
        "late": "quá hạn",
        "pending": "Đang giải quyết, chưa đến hạn",
        "overdue": "Đang giải quyết, quá hạn",
        "withdrawn": "Rút hồ sơ",
        "stopped": "Dừng xử lý",
        "refused": "Từ chối tiếp nhận",
        "on_time_rate": "Tỷ lệ giải quyết đúng hạn",
        "rate_766": "Chỉ số 2.1 QĐ 766 (đúng hạn, kể cả đang xử lý)",
        "late_with_apology": "Hồ sơ quá hạn có văn bản xin lỗi",
        "online_rate": "Tỷ lệ hồ sơ trực tuyến",
        "online_payment_rate": "Tỷ lệ thanh toán trực tuyến",
        "digitisation_rate": "Tỷ lệ số hóa hồ sơ",
        "satisfaction_rate": "Mức độ hài lòng (chỉ số 5.4 QĐ 766)",
        "rating_satisfaction_rate": "Tỷ lệ đánh giá hài lòng",
        "scorecard": "Điểm QĐ 766",
        "progress": "tiến độ",
        "payment": "thanh toán",
        "digitisation": "số hóa",
        "satisfaction": "hài lòng",
        "targets": "Mục tiêu hài lòng",
        "overall": "chung",
        "land_construction_investment": "đất đai, xây dựng, đầu tư",
        "target": "mục tiêu",
        "met": "đạt",
        "not_met": "chưa đạt",
        "cause": "Cơ quan gây chậm (bước đầu tiên vượt thời hạn)",
        "steps": "Phiếu kiểm soát: bước trước hạn / đúng hạn / quá hạn theo cơ quan",
        "months": "Theo tháng",
        "fields": "Theo lĩnh vực",
        "month": "tháng",
        "field": "lĩnh vực",
        "none": "không có",
    },
    "en": {
        "title": "Dossier handling report — {first:%d/%m/%Y} to {last:%d/%m/%Y}",
        "received": "Received in the period",
        "counter": "counter",
        "online": "online",
        "postal": "postal",
        "carried_over": "Carried over",
        "resolved": "Resolved",
        "early": "early",
        "on_time": "on time",
        "late": "late",
        "pending": "In progress, not yet due",
        "overdue": "In progress, overdue",
        "withdrawn": "Withdrawn",
        "stopped": "Stopped",
        "refused": "Refused at receipt",
        "on_time_rate": "On-time rate",
        "rate_766": "QĐ 766 indicator 2.1 (in time, open ones too)",
        "late_with_apology": "Late dossiers with an apology",
        "online_rate": "Online share",
        "online_payment_rate": "Online payment share",
        "digitisation_rate": "Digitisation share",
        "satisfaction_rate": "Satisfaction (QĐ 766 indicator 5.4)",
        "rating_satisfaction_rate": "Satisfied ratings",
        "scorecard": "QĐ 766 points",
        "progress": "progress",
        "payment": "payment",
        "digitisation": "digitisation",
        "satisfaction": "satisfaction",
        "targets": "Satisfaction targets",
        "overall": "overall",
        "land_construction_investment": "land, construction, investment",
        "target": "target",
        "met": "met",
        "not_met": "not met",
        "cause": "Agencies that caused lateness (first step over its share)",
        "steps": "Control slip: steps early / on time / late by agency",
        "months": "By month",
        "fields": "By field",
        "month": "month",
        "field": "field",
        "none": "none",
    },
}

_WIDTH = 48


def _pct(rate: float | None, lang: str = "vi") -> str:
    """A rate as a percentage with one decimal, written as the language writes it
    (Vietnamese: a decimal comma, ``97,0%``)."""
    if rate is None:
        return "—"
    text = f"{rate:.1%}"
    return text.replace(".", ",") if lang != "en" else text


def _row(label: str, value: object, note: str = "") -> str:
    line = f"{label:<{_WIDTH}} {value!s:>8}"
    return f"{line}   {note}" if note else line


def render(report: Mapping[str, Any], lang: str = "vi") -> str:
    """The report as text; ``lang`` is ``vi`` (default) or ``en``."""
    t = LABELS["en" if lang == "en" else "vi"]
    period = report["period"]
    first, last = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
    ch = report["received_by_channel"]
    lines = [
        t["title"].format(first=first, last=last),
        "",
        _row(
            t["received"],
            report["received"],
            f"({t['counter']} {ch['counter']}, {t['online']} {ch['online']}, "
            f"{t['postal']} {ch['postal']})",
        ),
        _row(t["carried_over"], report["carried_over"]),
        _row(
            t["resolved"],
            report["resolved"],
            f"({t['early']} {report['early']}, {t['on_time']} {report['on_time']}, "
            f"{t['late']} {report['late']})",
        ),
        _row(t["pending"], report["pending"]),
        _row(t["overdue"], report["overdue"]),
        _row(t["withdrawn"], report["withdrawn"]),
        _row(t["stopped"], report["stopped"]),
        _row(t["refused"], report.get("refused", 0)),
        "",
        _row(t["on_time_rate"], _pct(report["on_time_rate"], lang)),
        _row(t["rate_766"], _pct(report["rate_766"], lang)),
        _row(t["late_with_apology"], report["late_with_apology"]),
        _row(t["online_rate"], _pct(report["online_rate"], lang)),
        _row(t["online_payment_rate"], _pct(report["online_payment_rate"], lang)),
        _row(t["digitisation_rate"], _pct(report["digitisation_rate"], lang)),
        _row(t["satisfaction_rate"], _pct(report["satisfaction_rate"], lang)),
        _row(t["rating_satisfaction_rate"], _pct(report["rating_satisfaction_rate"], lang)),
    ]
    points = report.get("scorecard_766") or {}
    if points:
        shown = ", ".join(
            f"{t.get(k, k)} {'—' if v is None else f'{v:g}'}" for k, v in points.items()
        )
        lines += ["", f"{t['scorecard']}: {shown}"]
    targets = report.get("satisfaction_targets") or {}
    if targets:
        lines += ["", t["targets"] + ":"]
        for scope, found in targets.items():
            verdict = "—" if found["met"] is None else (t["met"] if found["met"] else t["not_met"])
            lines.append(
                f"  {t.get(scope, scope):<40} {_pct(found['rate'], lang):>8}   "
                f"{t['target']} > {found['target']:.0%}: {verdict}"
            )
    lines += ["", t["cause"] + ":"]
    causes = report.get("late_caused_by") or {}
    lines += [f"  {agency:<20} {n:>6}" for agency, n in causes.items()] or [f"  {t['none']}"]
    steps = report.get("steps") or {}
    if steps:
        lines += ["", t["steps"] + ":"]
        lines += [
            f"  {agency:<20} {v['early']:>6} {v['on_time']:>6} {v['late']:>6}"
            for agency, v in steps.items()
        ]
    months = report.get("by_month") or {}
    if len(months) > 1:
        lines += ["", t["months"] + ":", _table_header(t, t["month"])]
        lines += [_table_row(key, m, lang) for key, m in months.items()]
    fields = report.get("by_field") or {}
    if len(fields) > 1 or (fields and "unknown" not in fields):
        lines += ["", t["fields"] + ":", _table_header(t, t["field"])]
        lines += [_table_row(key[:28], f, lang) for key, f in fields.items()]
    return "\n".join(lines)


def _table_header(t: Mapping[str, str], first: str) -> str:
    return (
        f"  {first:<28} {t['received'][:9]:>9} {t['resolved'][:9]:>9} "
        f"{t['late'][:7]:>7} {t['overdue'][:9]:>9} {'766 2.1':>8}"
    )


def _table_row(key: str, f: Mapping[str, Any], lang: str) -> str:
    return (
        f"  {key:<28} {f['received']:>9} {f['resolved']:>9} {f['late']:>7} "
        f"{f['overdue']:>9} {_pct(f['rate_766'], lang):>8}"
    )
