"""The catalog: national procedure code → :class:`Procedure`, plus the province's agencies.

A catalog describes one province (tenant): which procedures its one-stop shop
runs, with the internal processes the Provincial People's Committee approved
(quyết định phê duyệt quy trình nội bộ), and which agency code stands behind each
role a step names (``receiving_unit``, ``department``, ``ppc``…).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar, overload

import attrs

from tthc_engine.catalog.procedure import AGENCY_CODE, Procedure
from tthc_engine.errors import UnknownProcedureError

__all__ = ["Agency", "Catalog", "Province"]

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


class Catalog(Mapping[str, Procedure]):
    """Procedures by national code, read-only.

    ``catalog["1.001193"]`` and ``catalog.get("1.001193")`` raise
    :class:`~tthc_engine.errors.UnknownProcedureError` (a ``KeyError``) naming the code
    and suggesting close codes; ``catalog.get(code, None)`` returns the default instead.
    """

    __slots__ = ("_agencies", "_procedures", "province", "source")

    def __init__(
        self,
        procedures: Mapping[str, Procedure] | None = None,
        *,
        agencies: Mapping[str, Agency] | None = None,
        province: Province | None = None,
        source: str = "<memory>",
    ) -> None:
        self._procedures: dict[str, Procedure] = dict(procedures or {})
        self._agencies: dict[str, Agency] = dict(agencies or {})
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
        Nghệ An province (see the comments in ``tthc_engine/catalog/data/nghe-an.yaml``)."""
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
            return self._procedures[code]
        except KeyError:
            raise UnknownProcedureError(code, self.suggest(code)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._procedures)

    def __len__(self) -> int:
        return len(self._procedures)

    def __contains__(self, code: object) -> bool:
        return code in self._procedures

    @overload
    def get(self, code: str) -> Procedure: ...
    @overload
    def get(self, code: str, default: Procedure | _T) -> Procedure | _T: ...
    def get(self, code: str, default: object = _MISSING) -> object:
        """The procedure with this code.

        Without a default, an unknown code raises :class:`UnknownProcedureError`.
        """
        if code in self._procedures:
            return self._procedures[code]
        if default is _MISSING:
            raise UnknownProcedureError(code, self.suggest(code))
        return default

    def __repr__(self) -> str:
        return f"Catalog({len(self)} procedures from {self.source})"

    # -- queries ------------------------------------------------------------------------
    def suggest(self, code: str, n: int = 3) -> tuple[str, ...]:
        """Codes that look like ``code`` (a mistyped digit, a missing prefix)."""
        close = difflib.get_close_matches(str(code), list(self._procedures), n=n, cutoff=0.6)
        return tuple(close)

    @property
    def agencies(self) -> Mapping[str, Agency]:
        """Roles → agencies of the ``agencies:`` section."""
        return dict(self._agencies)

    def agency_code(self, role_or_code: str) -> str | None:
        """The agency code for a role, or the text itself when it already is a code."""
        agency = self._agencies.get(role_or_code)
        if agency is not None:
            return agency.code
        return role_or_code if AGENCY_CODE.match(role_or_code) else None

    def by_field(self, field: str) -> tuple[Procedure, ...]:
        """Procedures of one field (lĩnh vực), in catalog order."""
        return tuple(p for p in self._procedures.values() if p.field == field)
