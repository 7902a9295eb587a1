"""What-if analysis: a baseline and its variants on common random numbers, over seeds.

A *change* edits the profile or the catalog before the simulation runs::

    /agencies/land_registration_office/median*=0.8       an agency works 20% faster
    /channels/*/online+=0.1                              10 points more online, every level
    /supplements/rate=0.02                               fewer supplement requests
    /catalog/1.013831/limit=6 ngày làm việc              a shorter legal limit
    /catalog/1.013831/steps/check/allotted=2 ngày làm việc   a step's share
    /catalog/1.013831/steps/site=null                    a step removed

The path is a JSON Pointer (RFC 6901) into the profile's data (the structure of its YAML
file; ``*`` stands for every key of a mapping), or ``/catalog/<code>[@<valid_from>]/…``
into the catalog's procedures (every version of the code, or the one starting that day).
``=`` sets a value (read as YAML: ``0.5``, ``true``, ``null``, text), ``*=`` multiplies and
``+=`` adds. Several changes make one variant when joined with ``;``.

Every run of a seed uses the same random streams: a dossier's arrival and each of its
choices read fixed slots of its own row of uniforms, so the baseline and a variant differ
only where the change acts (common random numbers), and the deltas have a far smaller
spread than the indicators themselves. The indicators come from the report
(:class:`~tthc_engine.projections.ReportFold` over the generated facts; nothing is
computed again here); the deltas are reported with their mean, standard deviation and a
95% interval (Student's t) over the seeds.
"""

from __future__ import annotations

import copy
import math
import multiprocessing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs
import yaml

from tthc_engine.catalog import Catalog, Procedure, Step
from tthc_engine.catalog.loader import catalog_from_mapping
from tthc_engine.domain.facts import FactRules
from tthc_engine.errors import InvalidInputError, TthcError
from tthc_engine.projections import Period, Report, ReportFold
from tthc_engine.simulation.engine import Simulation
from tthc_engine.simulation.profile import Profile
from tthc_engine.worktime import TimeLimit, VietnamCalendar

__all__ = [
    "INDICATORS",
    "Change",
    "Delta",
    "Variant",
    "WhatIf",
    "apply_changes",
    "parse_change",
    "run_whatif",
]

INDICATORS: tuple[str, ...] = (
    "received",
    "refused",
    "resolved",
    "late",
    "overdue",
    "on_time_rate",
    "rate_766",
    "apology_rate",
    "online_rate",
    "online_payment_rate",
    "digitisation_rate",
    "satisfaction_rate",
)
"""The report keys a what-if compares (DESIGN.md §7)."""


class ChangeError(InvalidInputError):
    """A what-if change that cannot be read or applied; the message quotes it."""


@attrs.frozen
class Change:
    """One edit: a JSON Pointer, an operation (``=``, ``*=``, ``+=``) and a value."""

    text: str
    path: tuple[str, ...]
    op: str
    value: Any

    @property
    def on_catalog(self) -> bool:
        return bool(self.path) and self.path[0] == "catalog"


def parse_change(text: str) -> tuple[Change, ...]:
    """The changes of one variant: ``PATH=VALUE``, ``PATH*=X`` or ``PATH+=X``, several
    joined with ``;``.

    Raises:
        ChangeError: naming the change that cannot be read.
    """
    changes = []
    for part in text.split(";"):
        if not part.strip():
            continue
        head, sign, raw = part.strip().partition("=")
        op = "="
        if head.endswith("+") or (head.endswith("*") and not head.endswith("/*")):
            op, head = head[-1] + "=", head[:-1]
        head = head.strip()
        if not sign or not head.startswith("/"):
            raise ChangeError(
                f"--change {part.strip()!r}: expected /path=value, /path*=factor or "
                "/path+=amount (a JSON Pointer into the profile, or /catalog/<code>/...)"
            )
        path = tuple(s.replace("~1", "/").replace("~0", "~") for s in head.split("/")[1:])
        if not path or any(not s for s in path):
            raise ChangeError(f"--change {part.strip()!r}: empty segment in the path")
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            value = raw.strip()
        if op != "=" and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ChangeError(f"--change {part.strip()!r}: {op} needs a number, got {value!r}")
        changes.append(Change(part.strip(), path, op, value))
    if not changes:
        raise ChangeError("--change: no change given")
    return tuple(changes)


@attrs.frozen
class Variant:
    """A named set of changes (a baseline has none)."""

    name: str
    changes: tuple[Change, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Variant:
        return cls(text.strip(), parse_change(text))


# -- applying changes ---------------------------------------------------------------------------
def _combine(change: Change, old: Any) -> Any:
    if change.op == "=":
        return copy.deepcopy(change.value)
    if isinstance(old, bool) or not isinstance(old, int | float):
        raise ChangeError(
            f"--change {change.text!r}: {change.op} on {old!r}, which is not a number"
        )
    result = old * change.value if change.op == "*=" else old + change.value
    return round(result, 12)


def _edit(node: Any, path: Sequence[str], change: Change, where: str) -> int:
    """Apply ``change`` at ``path`` under ``node``; how many values it changed."""
    key, rest = path[0], path[1:]
    if isinstance(node, list):
        keys: Iterable[Any] = range(len(node)) if key == "*" else [_index(key, change, where)]
    elif isinstance(node, dict):
        if key == "*":
            keys = list(node)
        else:
            match = [k for k in node if str(k) == key]
            if not match and rest:
                raise ChangeError(f"--change {change.text!r}: {where}/{key} does not exist")
            keys = match or [key]
    else:
        raise ChangeError(f"--change {change.text!r}: {where} is not a mapping or a list")
    count = 0
    for k in keys:
        if rest:
            count += _edit(node[k], rest, change, f"{where}/{k}")
        elif change.op == "=" or (isinstance(node, dict) and k in node) or isinstance(node, list):
            node[k] = _combine(change, node[k] if change.op != "=" else None)
            count += 1
        else:
            raise ChangeError(f"--change {change.text!r}: {where}/{k} does not exist")
    return count


def _index(key: str, change: Change, where: str) -> int:
    if not key.isdigit():
        raise ChangeError(f"--change {change.text!r}: {where} is a list; {key!r} is not an index")
    return int(key)


def _edit_profile(profile: Profile, changes: Sequence[Change]) -> Profile:
    if not changes:
        return profile
    raw = copy.deepcopy(dict(profile.raw))
    for change in changes:
        if _edit(raw, change.path, change, "") == 0:
            raise ChangeError(f"--change {change.text!r}: matches nothing in the profile")
    return Profile.from_mapping(
        raw, source=f"{profile.source} + {'; '.join(c.text for c in changes)}"
    )


_PROCEDURE_FIELDS = ("limit", "supplement_policy", "online_level", "excluded_pauses")
_STEP_FIELDS = ("allotted", "agency", "name")


def _procedure_data(procedure: Procedure) -> dict[str, Any]:
    """A procedure as catalog-file data (what the loader reads back)."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "level": procedure.level.value,
        "limit": str(procedure.limit),
        "steps": [
            {"key": s.key, "name": s.name, "agency": s.agency, "allotted": str(s.allotted)}
            for s in procedure.steps
        ],
        "supplement_policy": procedure.supplement_policy.value,
        "excluded_pauses": sorted(r.value for r in procedure.excluded_pauses),
        "fee": {
            "amount": procedure.fee.amount,
            "online_payment": procedure.fee.online_payment,
            "note": procedure.fee.note,
        },
        "online_level": procedure.online_level.value,
        "paper_result": procedure.paper_result,
        "valid_from": procedure.valid_from,
        "valid_to": procedure.valid_to,
        "legal_basis": list(procedure.legal_basis),
        "source": procedure.source,
    }


def _edit_catalog(catalog: Catalog, changes: Sequence[Change]) -> Catalog:
    """The catalog with the ``/catalog/...`` changes applied to the targeted versions.

    The edited versions are read back through the catalog loader's checks of their
    fields, so that a limit or a share is worded as on a procedure sheet; shares that no
    longer add up to the limit are allowed (that is often the point of the variant)."""
    if not changes:
        return catalog
    versions: dict[int, Procedure] = {}
    for change in changes:
        target, *rest = change.path[1:] or ("",)
        code, _, start = target.partition("@")
        if code not in catalog:
            raise ChangeError(f"--change {change.text!r}: procedure {code!r} is not in the catalog")
        chosen = [
            v
            for v in catalog.versions(code)
            if not start or (v.valid_from is not None and v.valid_from.isoformat() == start)
        ]
        if not chosen:
            raise ChangeError(f"--change {change.text!r}: no version of {code} starts on {start}")
        for version in chosen:
            current = versions.get(id(version), version)
            versions[id(version)] = _edit_procedure(current, rest, change, catalog)
    procedures = [versions.get(id(v), v) for code in catalog for v in catalog.versions(code)]
    return Catalog(
        procedures, agencies=catalog.agencies, province=catalog.province, source=catalog.source
    )


def _edit_procedure(
    procedure: Procedure, path: Sequence[str], change: Change, catalog: Catalog
) -> Procedure:
    if len(path) == 1 and path[0] in _PROCEDURE_FIELDS:
        data = _procedure_data(procedure)
        data[path[0]] = _combine(change, data[path[0]]) if change.op != "=" else change.value
        return _reload(procedure, data, change, catalog)
    if len(path) >= 2 and path[0] == "steps":
        keys = [s.key for s in procedure.steps]
        if path[1] not in keys:
            raise ChangeError(
                f"--change {change.text!r}: {procedure.code} has no step {path[1]!r} "
                f"(steps: {', '.join(keys)})"
            )
        data = _procedure_data(procedure)
        steps = data["steps"]
        i = keys.index(path[1])
        if len(path) == 2 and change.op == "=" and change.value is None:
            del steps[i]
        elif len(path) == 3 and path[2] in _STEP_FIELDS and change.op == "=":
            steps[i][path[2]] = change.value
        else:
            raise ChangeError(
                f"--change {change.text!r}: a step is changed by /steps/<key>/allotted|agency|"
                "name=value, or removed by /steps/<key>=null"
            )
        return _reload(procedure, data, change, catalog)
    raise ChangeError(
        f"--change {change.text!r}: a procedure is changed by /catalog/<code>/"
        f"{'|'.join(_PROCEDURE_FIELDS)}=value or /catalog/<code>/steps/<key>/..."
    )


def _reload(
    procedure: Procedure, data: dict[str, Any], change: Change, catalog: Catalog
) -> Procedure:
    agencies = {role: {"code": a.code, "name": a.name} for role, a in catalog.agencies.items()}
    try:
        fresh = catalog_from_mapping({"agencies": agencies, "procedures": [data]}, "what-if")
    except TthcError as exc:
        problems = [p for p in getattr(exc, "problems", [str(exc)]) if "add up to" not in p]
        if problems:
            raise ChangeError(f"--change {change.text!r}: {'; '.join(problems)}") from None
        fresh = None
    if fresh is not None:
        return fresh.versions(procedure.code)[0]
    # only the shares' sum was refused: keep the edited fields as the loader parsed them
    steps = tuple(
        Step(
            s["key"],
            s["name"],
            s["agency"],
            TimeLimit.parse(s["allotted"]),
            catalog.agency_code(s["agency"]),
        )
        for s in data["steps"]
    )
    return attrs.evolve(procedure, limit=TimeLimit.parse(str(data["limit"])), steps=steps)


def apply_changes(
    profile: Profile, catalog: Catalog, changes: Sequence[Change]
) -> tuple[Profile, Catalog]:
    """The profile and catalog with ``changes`` applied (see the module docstring).

    Raises:
        ChangeError: a change that matches nothing or gives a bad value.
        ProfileValidationError: the edited profile has problems.
    """
    edited_profile = _edit_profile(profile, [c for c in changes if not c.on_catalog])
    edited_catalog = _edit_catalog(catalog, [c for c in changes if c.on_catalog])
    edited_profile.check_against(edited_catalog)
    return edited_profile, edited_catalog


# -- running ------------------------------------------------------------------------------------
def indicators(
    profile: Profile,
    catalog: Catalog,
    calendar: VietnamCalendar,
    seed: int,
    first: date,
    last: date,
) -> dict[str, Any]:
    """The report of one simulated period (facts generated and folded in memory)."""
    simulation = Simulation(profile, catalog, calendar, seed=seed, first=first, last=last)
    period = Period(first, last)
    fold = ReportFold(period, FactRules(calendar), catalog)
    for fact in simulation.facts():
        fold.add(fact)
    return Report(period, fold.finish()).as_dict()


@attrs.frozen
class Delta:
    """An indicator's change from the baseline: per seed, and their summary."""

    per_seed: tuple[float, ...]

    @property
    def mean(self) -> float:
        return sum(self.per_seed) / len(self.per_seed)

    @property
    def sd(self) -> float:
        n = len(self.per_seed)
        if n < 2:
            return 0.0
        m = self.mean
        return math.sqrt(sum((x - m) ** 2 for x in self.per_seed) / (n - 1))

    @property
    def half_width(self) -> float:
        """Half the width of the 95% interval of the mean (Student's t, n − 1 d.f.)."""
        n = len(self.per_seed)
        return _t95(n - 1) * self.sd / math.sqrt(n) if n > 1 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "sd": self.sd,
            "low": self.mean - self.half_width,
            "high": self.mean + self.half_width,
            "per_seed": list(self.per_seed),
        }


_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)


def _t95(df: int) -> float:
    if df <= 0:
        return 0.0
    if df <= len(_T95):
        return _T95[df - 1]
    return 2.042 if df <= 30 else 1.96


@attrs.frozen
class WhatIf:
    """The outcome: the baseline's and each variant's indicators per seed, and the deltas."""

    first: date
    last: date
    seeds: tuple[int, ...]
    variants: tuple[Variant, ...]
    reports: Mapping[tuple[int, int], Mapping[str, Any]]
    """(variant index, 0 = baseline; seed) → the report's indicators."""

    def values(self, variant: int, key: str) -> list[float | None]:
        return [self.reports[(variant, seed)].get(key) for seed in self.seeds]

    def delta(self, variant: int, key: str) -> Delta | None:
        """The change of ``key`` from the baseline, seed by seed (None if undefined)."""
        pairs = zip(self.values(variant, key), self.values(0, key), strict=True)
        diffs = [v - b for v, b in pairs if v is not None and b is not None]
        return Delta(tuple(diffs)) if diffs else None

    def as_dict(self) -> dict[str, Any]:
        def summary(variant: int) -> dict[str, Any]:
            out = {}
            for key in INDICATORS:
                values = [v for v in self.values(variant, key) if v is not None]
                out[key] = {
                    "mean": sum(values) / len(values) if values else None,
                    "per_seed": self.values(variant, key),
                }
            return out

        return {
            "period": {"from": self.first.isoformat(), "to": self.last.isoformat()},
            "seeds": list(self.seeds),
            "baseline": summary(0),
            "variants": [
                {
                    "name": variant.name,
                    "changes": [c.text for c in variant.changes],
                    "indicators": summary(k),
                    "deltas": {
                        key: (d.as_dict() if (d := self.delta(k, key)) is not None else None)
                        for key in INDICATORS
                    },
                }
                for k, variant in enumerate(self.variants, 1)
            ],
        }


Progress = Callable[[int], object]


def run_whatif(
    profile: Profile,
    variants: Sequence[Variant],
    *,
    seeds: Sequence[int],
    catalog: Catalog | None = None,
    calendar: VietnamCalendar | None = None,
    first: date | None = None,
    last: date | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> WhatIf:
    """Simulate the baseline and every variant for every seed; see :class:`WhatIf`."""
    base_catalog = catalog if catalog is not None else profile.load_catalog()
    cal = calendar or VietnamCalendar()
    first = first or profile.first
    last = last or profile.last
    worlds = [(profile, base_catalog)]
    worlds += [apply_changes(profile, base_catalog, v.changes) for v in variants]
    for world, world_catalog in worlds:
        world.check_against(world_catalog)
    runs = [(k, seed) for k in range(len(worlds)) for seed in seeds]
    reports: dict[tuple[int, int], Mapping[str, Any]] = {}

    def keep(key: tuple[int, int], report: Mapping[str, Any]) -> None:
        reports[key] = {k: report.get(k) for k in INDICATORS}
        if progress is not None:
            progress(1)

    if jobs > 1 and len(runs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        global _WORLDS
        _WORLDS = (worlds, cal, first, last)
        try:
            with multiprocessing.get_context("fork").Pool(min(jobs, len(runs))) as pool:
                for key, report in pool.imap_unordered(_run_one, runs):
                    keep(key, report)
        finally:
            _WORLDS = None
    else:
        for k, seed in runs:
            world, world_catalog = worlds[k]
            keep((k, seed), indicators(world, world_catalog, cal, seed, first, last))
    return WhatIf(first, last, tuple(seeds), tuple(variants), reports)


_WORLDS: tuple[list[tuple[Profile, Catalog]], VietnamCalendar, date, date] | None = None


def _run_one(run: tuple[int, int]) -> tuple[tuple[int, int], dict[str, Any]]:
    assert _WORLDS is not None
    worlds, cal, first, last = _WORLDS
    k, seed = run
    world, world_catalog = worlds[k]
    report = indicators(world, world_catalog, cal, seed, first, last)
    return run, {key: report.get(key) for key in INDICATORS}
