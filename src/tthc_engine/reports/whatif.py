"""A what-if's table: each indicator of the baseline and of each variant, and the change
with its spread over the seeds, in Vietnamese (default) or English. It renders
:meth:`tthc_engine.simulation.whatif.WhatIf.as_dict` and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tthc_engine.reports.text import LABELS

__all__ = ["render_whatif"]

_WORDS: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "title": "Phân tích giả định (what-if) — {first:%d/%m/%Y} đến {last:%d/%m/%Y}, "
        "{n} lần chạy (seed {seeds}), cùng dòng số ngẫu nhiên",
        "baseline": "Hiện trạng",
        "variant": "Phương án {k}",
        "delta": "chênh lệch",
        "spread": "độ lệch chuẩn",
        "interval": "khoảng tin cậy 95%",
        "late": "Quá hạn (đã giải quyết)",
        "apology_rate": "Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi",
    },
    "en": {
        "title": "What-if — {first:%d/%m/%Y} to {last:%d/%m/%Y}, {n} runs (seeds {seeds}), "
        "common random numbers",
        "baseline": "Baseline",
        "variant": "Variant {k}",
        "delta": "change",
        "spread": "sd",
        "interval": "95% interval",
        "late": "Late (resolved)",
        "apology_rate": "Share of late dossiers with an apology",
    },
}


def _label(key: str, lang: str) -> str:
    words = _WORDS[lang]
    return words.get(key) or LABELS[lang].get(key, key)


def _is_rate(key: str) -> bool:
    return key.endswith("_rate") or key == "rate_766"


def _value(key: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2%}" if _is_rate(key) else f"{value:,.1f}"


def _change(key: str, value: float) -> str:
    """A change: in percentage points for a rate, in dossiers otherwise."""
    return f"{value * 100:+.2f} pp" if _is_rate(key) else f"{value:+,.1f}"


def render_whatif(result: Mapping[str, Any], lang: str = "vi") -> str:
    """The what-if as text; ``lang`` is ``vi`` (default) or ``en``."""
    lang = "en" if lang == "en" else "vi"
    words = _WORDS[lang]
    seeds = result["seeds"]
    period = result["period"]
    lines = [
        words["title"].format(
            first=date.fromisoformat(period["from"]),
            last=date.fromisoformat(period["to"]),
            n=len(seeds),
            seeds=", ".join(str(s) for s in seeds),
        ),
    ]
    baseline = result["baseline"]
    for k, variant in enumerate(result["variants"], 1):
        lines += ["", f"{words['variant'].format(k=k)}: {'; '.join(variant['changes'])}"]
        head = (
            f"{'':46} {words['baseline']:>11} {words['variant'].format(k=k):>11} "
            f"{words['delta']:>11} {words['spread']:>10}   {words['interval']}"
        )
        lines.append(head)
        for key, delta in variant["deltas"].items():
            base = baseline[key]["mean"]
            other = variant["indicators"][key]["mean"]
            row = f"{_label(key, lang)[:46]:<46} {_value(key, base):>11} {_value(key, other):>11}"
            if delta is None:
                lines.append(row)
                continue
            scale = 100 if _is_rate(key) else 1
            lines.append(
                f"{row} {_change(key, delta['mean']):>11} {delta['sd'] * scale:>10.2f}   "
                f"[{_change(key, delta['low'])}, {_change(key, delta['high'])}]"
            )
    return "\n".join(lines)
