"""The catalog: national procedure code → :class:`Procedure`, plus the province's agencies.

A catalog describes one province (tenant): which procedures its one-stop shop
runs, with the internal processes the Provincial People's Committee approved
(quyết định phê duyệt quy trình nội bộ), and which agency code stands behind each
role a step names (``receiving_unit``, ``department``, ``ppc``…).

A code may have several versions, one after the other: a procedure keeps its national
code when its limit, level or agencies change (e.g. on 01/07/2025, when the district
level ended). Their validity periods (``valid_from``/``valid_to``, both days inclusive)
may not overlap; :meth:`Catalog.in_force` picks the version for a day and the Mapping
interface answers with the most recent one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, overload

import attrs

from tthc_engine.catalog.procedure import AGENCY_CODE, Procedure
from tthc_engine.errors import (
    CatalogValidationError,
    ProcedureNotInForceError,
    UnknownProcedureError,
)

__all__ = ["Agency", "Catalog", "Province", "overlapping_versions", "version_label"]

_T = TypeVar("_T")
_MISSING: Any = object()


@attrs.frozen
class Agency:
    """An agency behind a role: its electronic identifier (mã định danh) and name."""

    role: str
    code: str
    name: str = ""


@attrs.frozen
class Province:
    """The province (tenant) a catalog belongs to, e.g. Nghệ An, ``H41``."""

    code: str
    name: str = ""


def _start(procedure: Procedure) -> date:
    return procedure.valid_from if procedure.valid_from is not None else date.min


def _end(procedure: Procedure) -> date:
    return procedure.valid_to if procedure.valid_to is not None else date.max


def _ordered(versions: Iterable[Procedure]) -> list[Procedure]:
    """Versions by ``valid_from``; an open start comes first."""
    return sorted(versions, key=_start)


def overlapping_versions(versions: Iterable[Procedure]) -> list[tuple[Procedure, Procedure]]:
    """The pairs (earlier, later) of versions of one code whose periods share a day.

    ``valid_from`` and ``valid_to`` are both inclusive and ``None`` is an open end, so a
    ``valid_to`` equal to the next version's ``valid_from`` is an overlap of one day.
    Each later version is paired with the earlier version that reaches furthest.
    """
    pairs: list[tuple[Procedure, Procedure]] = []
    reaching: Procedure | None = None
    for version in _ordered(versions):
        if reaching is not None and _end(reaching) >= _start(version):
            pairs.append((reaching, version))
        if reaching is None or _end(version) > _end(reaching):
            reaching = version
    return pairs


def version_label(procedure: Procedure) -> str:
    """``1.001193@2025-07-01``: the code and the first day of the version (``open``
    when it has no ``valid_from``)."""
    start = procedure.valid_from.isoformat() if procedure.valid_from is not None else "open"
    return f"{procedure.code}@{start}"


def _period(procedure: Procedure) -> tuple[date | None, date | None]:
    return (procedure.valid_from, procedure.valid_to)


class Catalog(Mapping[str, Procedure]):
    """Procedures by national code, read-only, each code with one or more versions.

    ``catalog["1.001193"]`` and ``catalog.get("1.001193")`` give the most recent version
    and raise :class:`~tthc_engine.errors.UnknownProcedureError` (a ``KeyError``) naming
    the code and suggesting close codes; ``catalog.get(code, None)`` returns the default
    instead. ``len()`` and iteration count codes, not versions. A dossier needs the
    version in force on its receipt day: :meth:`in_force`.
    """

    __slots__ = ("_agencies", "_codes", "_versions", "province", "source")

    def __init__(
        self,
        procedures: Mapping[str, Procedure] | Iterable[Procedure] | None = None,
        *,
        agencies: Mapping[str, Agency] | None = None,
        province: Province | None = None,
        source: str = "<memory>",
    ) -> None:
        """Build a catalog from procedures (a mapping code → procedure, or any number of
        versions of each code).

        Raises:
            CatalogValidationError: when two versions of one code overlap.
        """
        items = procedures.values() if isinstance(procedures, Mapping) else procedures or ()
        grouped: dict[str, list[Procedure]] = {}
        for procedure in items:
            grouped.setdefault(procedure.code, []).append(procedure)
        problems = [
            f"{source}:procedures[{version_label(later)}]:valid_from: overlaps the version "
            f"{version_label(earlier)}; versions of one code may not share a day"
            for versions in grouped.values()
            for earlier, later in overlapping_versions(versions)
        ]
        if problems:
            raise CatalogValidationError(source, problems)
        self._versions: dict[str, tuple[Procedure, ...]] = {
            code: tuple(_ordered(versions)) for code, versions in grouped.items()
        }
        self._agencies: dict[str, Agency] = dict(agencies or {})
        self._codes: frozenset[str] | None = None
        self.province = province
        self.source = source

    # -- construction -----------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> Catalog:
        """Read a catalog file; the format follows the suffix (.yaml/.yml, .json, .toml).

        Raises:
            CatalogValidationError: listing every problem as ``file:entry:field: message``.
        """
        from tthc_engine.catalog.loader import load_catalog

        return load_catalog(path)

    @classmethod
    def sample(cls, name: str = "nghe-an") -> Catalog:
        """A sample catalog shipped with the package: ``"nghe-an"``, 13 real procedures of
        Nghệ An province with their versions before and after the 01/07/2025 reform (see
        the comments in ``tthc_engine/catalog/data/nghe-an.yaml``)."""
        from tthc_engine.catalog.loader import load_sample

        return load_sample(name)

    @classmethod
    def from_mapping(cls, data: object, source: str = "<mapping>") -> Catalog:
        """Build a catalog from already-parsed data (the structure of the YAML file).

        Raises:
            CatalogValidationError: listing every problem found.
        """
        from tthc_engine.catalog.loader import catalog_from_mapping

        return catalog_from_mapping(data, source=source)

    # -- Mapping ------------------------------------------------------------------------
    def __getitem__(self, code: str) -> Procedure:
        try:
            return self._versions[code][-1]
        except KeyError:
            raise UnknownProcedureError(code, self.suggest(code)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._versions)

    def __len__(self) -> int:
        return len(self._versions)

    def __contains__(self, code: object) -> bool:
        return code in self._versions

    @overload
    def get(self, code: str) -> Procedure: ...
    @overload
    def get(self, code: str, default: Procedure | _T) -> Procedure | _T: ...
    def get(self, code: str, default: object = _MISSING) -> object:
        """The most recent version of the procedure with this code.

        Without a default, an unknown code raises :class:`UnknownProcedureError`.
        """
        if code in self._versions:
            return self._versions[code][-1]
        if default is _MISSING:
            raise UnknownProcedureError(code, self.suggest(code))
        return default

    def __repr__(self) -> str:
        return f"Catalog({len(self)} procedures from {self.source})"

    # -- versions -----------------------------------------------------------------------
    def versions(self, code: str) -> tuple[Procedure, ...]:
        """Every version of the procedure ``code``, ordered by ``valid_from``.

        Raises:
            UnknownProcedureError: for a code the catalog does not list.
        """
        try:
            return self._versions[code]
        except KeyError:
            raise UnknownProcedureError(code, self.suggest(code)) from None

    def in_force(self, code: str, day: date) -> Procedure:
        """The version of ``code`` in force on ``day`` (the receipt day of a dossier).

        The versions' periods do not overlap, so at most one applies
        (:meth:`Procedure.applies_on`, both ends inclusive).

        Raises:
            UnknownProcedureError: for a code the catalog does not list.
            ProcedureNotInForceError: when no version covers ``day``; it names the code,
                the day and the versions' periods.
        """
        versions = self.versions(code)
        for version in versions:
            if version.applies_on(day):
                return version
        raise ProcedureNotInForceError(code, day, tuple(_period(v) for v in versions))

    def in_force_on(self, day: date) -> tuple[Procedure, ...]:
        """The versions in force on ``day``, one per code, ordered by code."""
        found = (
            version
            for code in sorted(self._versions)
            for version in self._versions[code]
            if version.applies_on(day)
        )
        return tuple(found)

    # -- queries ------------------------------------------------------------------------
    def suggest(self, code: str, n: int = 3) -> tuple[str, ...]:
        """Codes that look like ``code`` (a mistyped digit, a missing prefix)."""
        close = difflib.get_close_matches(str(code), list(self._versions), n=n, cutoff=0.6)
        return tuple(close)

    @property
    def agencies(self) -> Mapping[str, Agency]:
        """Roles → agencies of the ``agencies:`` section."""
        return dict(self._agencies)

    @property
    def agency_codes(self) -> frozenset[str]:
        """Every agency code the catalog names: the ``agencies:`` section and the resolved
        agency of every step of every version (mã định danh, QĐ 20/2020/QĐ-TTg)."""
        if self._codes is not None:  # computed once: a catalog does not change
            return self._codes
        codes = {agency.code for agency in self._agencies.values()}
        codes.update(
            step.agency_code
            for versions in self._versions.values()
            for version in versions
            for step in version.steps
            if step.agency_code is not None
        )
        self._codes = frozenset(codes)
        return self._codes

    def agency_code(self, role_or_code: str) -> str | None:
        """The agency code for a role, or the text itself when it already is a code."""
        agency = self._agencies.get(role_or_code)
        if agency is not None:
            return agency.code
        return role_or_code if AGENCY_CODE.match(role_or_code) else None

    def by_field(self, field: str) -> tuple[Procedure, ...]:
        """The most recent version of each procedure of one field (lĩnh vực), in catalog
        order."""
        return tuple(p for p in self.values() if p.field == field)
