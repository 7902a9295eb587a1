"""The report of a period: the JSON contract of DESIGN.md §7 from a period's tally.

Every scope — the whole period, each group (agency, procedure, field, level) and each month
— has the same keys: the counts of the office's table "Tình hình, kết quả giải quyết
TTHC" (tiếp nhận trong kỳ / kỳ trước chuyển qua; đã giải quyết trước hạn / đúng hạn / quá
hạn; đang giải quyết chưa đến hạn / quá hạn; rút hồ sơ; dừng; từ chối) and the rates
computed from them. The formulas, with their sources, are in ``docs/indicators.md``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs

from tthc_engine.projections.period import Period
from tthc_engine.projections.scorecard import TARGETS, points, special_field
from tthc_engine.projections.tally import DIMENSIONS, PeriodTally, combine, group_values

__all__ = ["Report", "figures"]

_COUNTS = (
    "received",
    "carried_over",
    "resolved",
    "early",
    "on_time",
    "late",
    "late_with_apology",
    "withdrawn",
    "stopped",
    "refused",
    "pending",
    "overdue",
)


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def figures(c: Counter[str]) -> dict[str, Any]:
    """The report's keys for one scope, from its combined counts."""
    out: dict[str, Any] = {key: c[key] for key in _COUNTS}
    out["received_by_channel"] = {
        "counter": c["received_counter"],
        "online": c["received_online"],
        "postal": c["received_postal"],
    }
    resolved = c["resolved"]
    out["on_time_rate"] = _rate(c["early"] + c["on_time"], resolved)
    out["rate_766"] = _rate(c["in_time_766"], c["pop_766"])
    out["apology_rate"] = _rate(c["late_with_apology"], c["late"])
    out["online_rate"] = _rate(c["received_online"], c["received"])
    out["online_payment_rate"] = _rate(c["paid_online"], c["fee_base"])
    out["digitisation_rate"] = _rate(c["digitised"], c["received"])
    out["satisfaction_rate"] = (
        max(0.0, 1.0 - (c["late"] + c["complained"]) / resolved) if resolved else None
    )
    out["rating_satisfaction_rate"] = _rate(c["rated_satisfied"], c["rated"])
    return out


@attrs.frozen
class Report:
    """A period's figures, overall and by group and month (DESIGN.md §7)."""

    period: Period
    tally: PeriodTally

    def overall(self) -> Counter[str]:
        return combine([s.overall for s in self.tally.segments])

    def group(self, dimension: str, value: str) -> Counter[str]:
        return combine(
            [s.groups.get(dimension, {}).get(value, Counter()) for s in self.tally.segments]
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON report (the contract of ``tthc replay --json``)."""
        result: dict[str, Any] = {"period": self.period.as_dict()}
        result.update(figures(self.overall()))
        for dimension in DIMENSIONS:
            result[f"by_{dimension}"] = {
                value: figures(self.group(dimension, value))
                for value in group_values(self.tally, dimension)
            }
        result["by_month"] = {
            segment.key: figures(combine([tally.overall]))
            for segment, tally in zip(self.period.segments, self.tally.segments, strict=True)
        }
        steps: dict[str, Counter[str]] = {}
        causes: Counter[str] = Counter()
        for tally in self.tally.segments:
            for agency, verdicts in tally.steps.items():
                steps.setdefault(agency, Counter({"early": 0, "on_time": 0, "late": 0})).update(
                    verdicts
                )
            causes.update(tally.late_caused_by)
        result["steps"] = {a: dict(steps[a]) for a in sorted(steps)}
        result["late_caused_by"] = dict(sorted(causes.items(), key=lambda kv: (-kv[1], kv[0])))
        result["scorecard_766"] = points(result)
        result["satisfaction_targets"] = self._targets(result)
        return result

    def _targets(self, result: dict[str, Any]) -> dict[str, Any]:
        special = [v for v in group_values(self.tally, "field") if special_field(v)]
        counts = combine(
            [
                sum((s.groups["field"].get(v, Counter()) for v in special), Counter())
                for s in self.tally.segments
            ]
        )
        rates = {
            "overall": result["satisfaction_rate"],
            "land_construction_investment": figures(counts)["satisfaction_rate"],
        }
        return {
            scope: {
                "rate": rate,
                "target": TARGETS[scope],
                "met": None if rate is None else rate > TARGETS[scope],
            }
            for scope, rate in rates.items()
        }
