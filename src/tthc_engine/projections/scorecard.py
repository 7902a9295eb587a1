"""QĐ 766/QĐ-TTg points from the period's rates, and the satisfaction targets.

Each indicator's points follow QĐ 766's scoring rule (DOMAIN.md §4.1): the rate earns
full points at or above its threshold, and ``rate × max ÷ threshold`` below it; an
indicator without a threshold earns ``rate × max``. Only two maxima are confirmed by the
sources found: 20 points for chỉ số 2.1 (progress) and 6 for the satisfaction with the
handling of TTHC (5.4). The others are the group maxima of the 2025–26 national dashboard
(online services 12, online payment 10, digitisation 22) standing in for their indicator,
an interpretation recorded in ``docs/indicators.md``; a province may pass its own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

import attrs

__all__ = ["INDICATORS", "TARGETS", "Indicator", "points", "special_field"]


@attrs.frozen
class Indicator:
    """One scored indicator: which rate, its maximum points and its full-points threshold."""

    key: str
    rate: str
    maximum: float
    threshold: float | None
    basis: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("progress", "rate_766", 20.0, None, "QĐ 766 chỉ số 2.1 (tối đa 20 điểm)"),
    Indicator("online", "online_rate", 12.0, 0.50, "QĐ 766 chỉ số 3.3 (đủ điểm từ 50%)"),
    Indicator("payment", "online_payment_rate", 10.0, None, "QĐ 766 chỉ số 3.6"),
    Indicator("digitisation", "digitisation_rate", 22.0, 0.80, "QĐ 766 chỉ số 4.2 (từ 80%)"),
    Indicator("satisfaction", "satisfaction_rate", 6.0, 0.90, "QĐ 766 chỉ số 5.4 (từ 90%)"),
)

TARGETS: Mapping[str, float] = {"overall": 0.95, "land_construction_investment": 0.90}
"""Satisfaction targets of the administrative-reform programme for 2030 (NQ 76/NQ-CP:
above 95% overall, above 90% for land, construction and investment procedures)."""

_SPECIAL_FIELDS = ("đất đai", "xây dựng", "đầu tư")


def special_field(field: str) -> bool:
    """Whether a field (lĩnh vực) is land, construction or investment (by its name)."""
    name = unicodedata.normalize("NFC", field).lower()
    return any(word in name for word in _SPECIAL_FIELDS)


def points(
    rates: Mapping[str, float | None], indicators: tuple[Indicator, ...] = INDICATORS
) -> dict[str, float | None]:
    """Points per indicator from the rates (None when the rate is undefined)."""
    result: dict[str, float | None] = {}
    for indicator in indicators:
        rate = rates.get(indicator.rate)
        if rate is None:
            result[indicator.key] = None
            continue
        if indicator.threshold is None:
            earned = rate * indicator.maximum
        elif rate >= indicator.threshold:
            earned = indicator.maximum
        else:
            earned = rate * indicator.maximum / indicator.threshold
        result[indicator.key] = round(earned, 2)
    return result
