"""A workload profile: how many dossiers a province receives and how they are handled.

A profile is data (YAML or TOML, schema ``tthc.workload/1``), described field by field in
``docs/simulation.md``. It says *how much* and *how* — volumes per procedure and level,
weekday and season effects, the channel mix per online level, step durations per agency,
how often supplements, pauses, withdrawals, refusals, apologies, ratings, payments and
digitisation happen — while the catalog says *what the law and the province's processes
are* (limits, steps, agencies, validity periods). The simulator reads both.

Loading never stops at the first problem: every problem is collected as one line
``<file>:<field path>: <message>`` (``nghe-an-month.yaml:agencies.land_registration_office.
median: expected a number > 0, got -1``) and raised together in a
:class:`ProfileValidationError`, as the catalog loader does. A profile is then checked
against its catalog (procedure codes, levels, agencies, step keys, online levels) in the
same way (:meth:`Profile.check_against`).

Two profiles ship with the package (:meth:`Profile.sample`): ``nghe-an-month`` and
``nghe-an-year``; their sources and assumptions are in their comments.
"""

from __future__ import annotations

import copy
import math
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import yaml

from tthc_engine.catalog import Catalog, Level, OnlineLevel
from tthc_engine.errors import TthcError

__all__ = [
    "SAMPLES",
    "SCHEMA",
    "Apologies",
    "Arrivals",
    "ChannelMix",
    "Digitisation",
    "Duration",
    "LogNormal",
    "Profile",
    "ProfileValidationError",
    "Ratings",
    "Returns",
    "Supplements",
    "Workload",
]

SCHEMA = "tthc.workload/1"
"""Value of the optional top-level ``schema`` key."""

SAMPLES = ("nghe-an-month", "nghe-an-year")
"""The profiles shipped inside the package (``tthc_engine/simulation/data``)."""

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ProfileValidationError(TthcError, ValueError):
    """A workload profile has problems; ``problems`` lists every one of them as
    ``<file>:<field path>: <message>``."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the workload profile"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


# -- the model ------------------------------------------------------------------------------
_Z_CLIP = 1e-12
MAX_FACTOR = 100.0
"""No step takes more than 100 times its share (a tail draw is cut there)."""


@attrs.frozen
class LogNormal:
    """A log-normal quantity given by its ``median`` and ``sigma`` (the standard deviation of
    its logarithm): half of the draws fall below the median, and ``sigma`` 0.7 puts one
    draw in six above twice the median."""

    median: float
    sigma: float

    def at(self, z: float) -> float:
        """The quantity at the standard-normal quantile ``z``."""
        return self.median * math.exp(self.sigma * z)


@attrs.frozen
class Duration:
    """How long an agency takes for a step, in multiples of the step's allotted share.

    A body ``LogNormal(median, sigma)`` and, with probability ``tail``, a heavy tail: a
    Pareto draw of exponent ``tail_alpha`` from ``tail_scale`` times the share (a file lost
    in a drawer, a missing signature, a field visit postponed). ``tail_alpha`` ≤ 2 gives the
    infinite-variance tails seen in service times."""

    median: float
    sigma: float
    tail: float = 0.0
    tail_scale: float = 1.0
    tail_alpha: float = 1.5

    def factor(self, z: float, u_tail: float) -> float:
        """The multiple of the share for the normal quantile ``z`` and the uniform ``u_tail``
        (the same uniform decides the tail and, rescaled, where in it the draw falls)."""
        if u_tail < self.tail:
            pareto = max(u_tail / self.tail, _Z_CLIP) ** (-1.0 / self.tail_alpha)
            return float(min(self.tail_scale * pareto, MAX_FACTOR))
        return min(self.median * math.exp(self.sigma * z), MAX_FACTOR)


@attrs.frozen
class ChannelMix:
    """Shares of online and postal submissions (the rest at the counter)."""

    online: float
    postal: float

    @property
    def counter(self) -> float:
        return 1.0 - self.online - self.postal


@attrs.frozen
class Arrivals:
    """When dossiers arrive (see ``docs/simulation.md``, section *arrivals*)."""

    mode: str
    per_day: int | None
    day_to_day_cv: float
    weekdays: tuple[float, ...]
    before_tet: tuple[int, float]
    after_tet: tuple[int, float]
    quarter_end: tuple[int, float]
    counter_hours: tuple[float, ...]
    after_close: float
    online_hours: tuple[float, ...]
    online_days_off: float
    auto_receipt: Mapping[OnlineLevel, float]


@attrs.frozen
class Workload:
    """A procedure's volume (dossiers a working day, per level) and its own settings."""

    per_day: Mapping[Level | None, float]
    """``None`` stands for every level the procedure has."""
    channels: ChannelMix | None = None
    supplement_step: str | None = None
    pause_step: str | None = None

    def rate(self, level: Level) -> float:
        if level in self.per_day:
            return self.per_day[level]
        return self.per_day.get(None, 0.0)


@attrs.frozen
class Supplements:
    rate: float
    twice: float
    abandon: float
    wait: LogNormal


@attrs.frozen
class Apologies:
    compliance: float
    extension_days: int


@attrs.frozen
class Digitisation:
    rate: float
    max_components: int
    reuse: float
    e_result: float


@attrs.frozen
class Returns:
    online: float
    postal: float
    uncollected: float
    pickup: LogNormal
    postal_days: LogNormal


@attrs.frozen
class Ratings:
    rate: float
    very_satisfied: float
    dissatisfied: float
    dissatisfied_if_late: float
    complaint: float
    complaint_if_late: float


@attrs.frozen
class Profile:
    """A validated workload profile (build it with :meth:`load`, :meth:`sample` or
    :meth:`from_mapping`; ``raw`` keeps the data it was read from, for what-if edits)."""

    name: str
    catalog: str
    first: date
    last: date
    seed: int
    warm_up_days: int
    arrivals: Arrivals
    procedures: Mapping[str, Workload]
    channels: tuple[tuple[date | None, Mapping[OnlineLevel, ChannelMix]], ...]
    """Channel mixes by online level, each from a date (``None``: from the start)."""
    agencies: Mapping[str, Duration]
    """Step durations by agency role or code; ``default`` for the others."""
    reception: LogNormal
    supplements: Supplements
    financial_obligation: tuple[float, LogNormal]
    withdrawals: float
    refusals: tuple[float, float]
    """(at the counter, of online submissions)."""
    stops: float
    apologies: Apologies
    online_payment: float
    digitisation: Digitisation
    returns: Returns
    ratings: Ratings
    source: str = "<mapping>"
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> Profile:
        """Read a profile file (.yaml/.yml or .toml).

        Raises:
            ProfileValidationError: listing every problem as ``file:field: message``.
        """
        path = Path(path)
        source = str(path)
        suffix = path.suffix.lower()
        if suffix not in (".yaml", ".yml", ".toml"):
            raise ProfileValidationError(
                source,
                [
                    f"{source}:(file): unknown profile format {suffix or '(none)'!r}; "
                    "use .yaml, .yml or .toml"
                ],
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileValidationError(
                source, [f"{source}:(file): cannot read the file: {exc}"]
            ) from None
        try:
            data = tomllib.loads(text) if suffix == ".toml" else yaml.safe_load(text)
        except tomllib.TOMLDecodeError as exc:
            raise ProfileValidationError(
                source, [f"{source}:(file): not valid TOML: {exc}"]
            ) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else "syntax"
            raise ProfileValidationError(
                source,
                [f"{source}:(file): not valid YAML at {where}: {getattr(exc, 'problem', exc)}"],
            ) from None
        if isinstance(data, Mapping) and isinstance(data.get("extends"), str):
            data = _extend(data, source, path.parent)
        from tthc_engine.simulation.profile_format import read_profile

        profile = read_profile(data, source)
        if profile.catalog not in _CATALOG_SAMPLES and not Path(profile.catalog).is_absolute():
            relative = path.parent / profile.catalog
            profile = attrs.evolve(profile, catalog=str(relative))
        return profile

    @classmethod
    def sample(cls, name: str = "nghe-an-month") -> Profile:
        """A profile shipped with the package: ``nghe-an-month`` or ``nghe-an-year``."""
        if name not in SAMPLES:
            raise ProfileValidationError(
                f"<sample {name}>",
                [f"<sample>:name: no sample profile {name!r}; samples: {', '.join(SAMPLES)}"],
            )
        return cls.from_mapping(_sample_data(name), source=f"{name}.yaml")

    @classmethod
    def from_mapping(cls, data: object, source: str = "<mapping>") -> Profile:
        """Validate parsed profile data and build the :class:`Profile`.

        ``extends`` names a shipped profile, or a file relative to the working directory.

        Raises:
            ProfileValidationError: with every problem found, not just the first.
        """
        if isinstance(data, Mapping) and isinstance(data.get("extends"), str):
            data = _extend(data, source, None)
        from tthc_engine.simulation.profile_format import read_profile

        return read_profile(data, source)

    def load_catalog(self) -> Catalog:
        """The catalog the profile names: a sample name (``nghe-an``) or a file."""
        if self.catalog in _CATALOG_SAMPLES:
            return Catalog.sample(self.catalog)
        return Catalog.load(self.catalog)

    # -- lookups ------------------------------------------------------------------------------
    def channel_mix(self, level: OnlineLevel, day: date) -> ChannelMix:
        """The channel mix of a procedure at online ``level`` for dossiers of ``day``."""
        chosen = self.channels[0][1]
        for start, mixes in self.channels:
            if start is None or start <= day:
                chosen = mixes
        return chosen[level]

    def duration(self, role: str | None, code: str) -> Duration:
        """The step duration of an agency, by its role (as the catalog names it) or its code."""
        if role is not None and role in self.agencies:
            return self.agencies[role]
        return self.agencies.get(code) or self.agencies["default"]

    # -- checks against the catalog ----------------------------------------------------------
    def check_against(self, catalog: Catalog) -> None:
        """Check the profile's references against ``catalog``: procedure codes, the levels
        given volumes, agency roles and codes, step keys, and that no procedure gets online
        dossiers when none of its versions offers an online service.

        Raises:
            ProfileValidationError: listing every problem.
        """
        problems: list[str] = []
        where = self.source
        roles = set(catalog.agencies)
        codes = catalog.agency_codes
        for key in self.agencies:
            if key != "default" and key not in roles and key not in codes:
                problems.append(
                    f"{where}:agencies.{key}: neither a role of the catalog's agencies nor an "
                    f"agency code it names (roles: {', '.join(sorted(roles))})"
                )
        for code, load in self.procedures.items():
            label = f"{where}:procedures.{code}"
            if code not in catalog:
                close = catalog.suggest(code)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                problems.append(f"{label}: not in the catalog {catalog.source}{hint}")
                continue
            versions = catalog.versions(code)
            levels = {v.level for v in versions}
            for level in load.per_day:
                if level is not None and level not in levels:
                    problems.append(
                        f"{label}.per_day.{level.value}: the procedure has no version at that "
                        f"level (it has {', '.join(sorted(lv.value for lv in levels))})"
                    )
            keys = {s.key for v in versions for s in v.steps}
            for field in ("supplement_step", "pause_step"):
                step = getattr(load, field)
                if step is not None and step not in keys:
                    problems.append(
                        f"{label}.{field}: no step {step!r} in any version "
                        f"(steps: {', '.join(sorted(keys)) or 'none'})"
                    )
            mix = load.channels
            if (
                mix is not None
                and mix.online > 0
                and all(v.online_level is OnlineLevel.NONE for v in versions)
            ):
                problems.append(
                    f"{label}.channels.online: {mix.online} but the procedure offers no online "
                    "service in any version (online_level: none)"
                )
        if problems:
            raise ProfileValidationError(where, problems)


_CATALOG_SAMPLES = ("nghe-an",)


def _sample_data(name: str) -> Mapping[str, Any]:
    """The raw data of a shipped profile (its ``extends`` resolved)."""
    text = resources.files("tthc_engine.simulation").joinpath(f"data/{name}.yaml")
    data = yaml.safe_load(text.read_text("utf-8"))
    if isinstance(data.get("extends"), str):
        data = _extend(data, f"{name}.yaml", None)
    return dict(data)


def merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` laid on it: mappings merge key by key, anything else is
    replaced."""
    result = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _extend(data: Mapping[str, Any], source: str, folder: Path | None) -> Mapping[str, Any]:
    """A profile that ``extends`` a shipped profile (by name) or another file (relative to
    its own folder): the base's sections with this file's laid on them."""
    name = data["extends"]
    if name in SAMPLES:
        base = _sample_data(name)
    else:
        path = (folder or Path.cwd()) / name
        try:
            text = path.read_text(encoding="utf-8")
            base = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
            raise ProfileValidationError(
                source, [f"{source}:extends: cannot read {path}: {exc}"]
            ) from None
        if not isinstance(base, Mapping):
            raise ProfileValidationError(source, [f"{source}:extends: {path} is not a profile"])
        if isinstance(base.get("extends"), str):
            base = _extend(base, str(path), path.parent)
    result = merged(base, {k: v for k, v in data.items() if k != "extends"})
    return result
