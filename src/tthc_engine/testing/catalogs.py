"""Catalogs for tests, built in a few lines and checked like a catalog file.

    catalog = (
        CatalogBuilder()
        .agency("centre", "000.00.10.H41", "Trung tâm Phục vụ hành chính công")
        .agency("land", "000.22.10.H41", "Văn phòng Đăng ký đất đai")
        .procedure(
            "1.000001",
            limit="3 ngày làm việc",
            steps=[("receive", "centre", "0,5 ngày làm việc"),
                   ("check", "land", "2 ngày làm việc"),
                   ("return", "centre", "0,5 ngày làm việc")],
        )
        .build()
    )

The builder writes the structure of a catalog file (``docs/catalog.md``) and reads it
back with the catalog loader, so a test catalog gets every check a province's file gets
(agency codes, limits worded as on a procedure sheet, steps that add up to the limit,
versions that do not overlap), reported all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Self

from tthc_engine.catalog import Catalog

__all__ = ["CatalogBuilder"]

StepSpec = tuple[str, str, str] | tuple[str, str, str, str] | Mapping[str, str]


class CatalogBuilder:
    """A catalog for a test (see the module docstring).

    Args:
        province: the province's suffix of agency codes (``H41`` is Nghệ An).
        name: the province's name.
    """

    def __init__(self, province: str = "H41", name: str = "Nghệ An") -> None:
        self._province = {"code": province, "name": name}
        self._agencies: dict[str, dict[str, str]] = {}
        self._procedures: list[dict[str, Any]] = []

    @classmethod
    def with_sample_agencies(cls) -> CatalogBuilder:
        """A builder that starts with the agencies (roles and codes) of the Nghệ An sample."""
        builder = cls()
        for role, agency in Catalog.sample().agencies.items():
            builder.agency(role, agency.code, agency.name)
        return builder

    def agency(self, role: str, code: str, name: str = "") -> Self:
        """An agency behind a role (``receiving_unit``, ``land``…): its code and name."""
        self._agencies[role] = {"code": code, "name": name}
        return self

    def procedure(
        self,
        code: str,
        name: str | None = None,
        *,
        limit: str,
        steps: Iterable[StepSpec] = (),
        field: str = "Thử nghiệm",
        level: str = "province",
        supplement_policy: str = "pause",
        excluded_pauses: Sequence[str] = (),
        fee: int | None = 0,
        online_payment: bool = False,
        online_level: str = "full",
        paper_result: bool = True,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> Self:
        """A procedure (or one version of it, with ``valid_from``/``valid_to``). Each step is
        ``(key, agency role or code, allotted)``, ``(key, name, agency, allotted)`` or a
        mapping with those keys."""
        entry: dict[str, Any] = {
            "code": code,
            "name": name or f"Thủ tục {code}",
            "field": field,
            "level": level,
            "limit": limit,
            "supplement_policy": supplement_policy,
            "excluded_pauses": list(excluded_pauses),
            "fee": {"amount": fee, "online_payment": online_payment},
            "online_level": online_level,
            "paper_result": paper_result,
            "steps": [_step(s) for s in steps],
        }
        if valid_from is not None:
            entry["valid_from"] = valid_from
        if valid_to is not None:
            entry["valid_to"] = valid_to
        self._procedures.append(entry)
        return self

    def as_mapping(self) -> dict[str, Any]:
        """The catalog file's structure, as the builder has it."""
        return {
            "schema": "tthc.catalog/1",
            "province": dict(self._province),
            "agencies": {role: dict(a) for role, a in self._agencies.items()},
            "procedures": [dict(p) for p in self._procedures],
        }

    def build(self) -> Catalog:
        """The catalog, checked by the loader.

        Raises:
            CatalogValidationError: listing every problem.
        """
        return Catalog.from_mapping(self.as_mapping(), source="<CatalogBuilder>")


def _step(spec: StepSpec) -> dict[str, str]:
    if isinstance(spec, Mapping):
        return dict(spec)
    if len(spec) == 3:
        key, agency, allotted = spec
        return {"key": key, "name": key, "agency": agency, "allotted": allotted}
    key, name, agency, allotted = spec
    return {"key": key, "name": name, "agency": agency, "allotted": allotted}
