"""The procedure catalog: TTHC by national code, with their legal limits and processes.

``Catalog.load(path)`` reads a province's catalog (YAML, JSON or TOML; ``Catalog.sample()``
is the shipped Nghệ An sample) and reports every problem at once; a :class:`Procedure`
gives the dossier domain its legal limit, steps, supplement policy and excluded pauses.
A code may have successive versions; ``Catalog.in_force(code, day)`` picks the one in
force on a receipt day.
This package does no I/O outside :mod:`tthc_engine.catalog.loader` and never reads
the wall clock; it depends only on :mod:`tthc_engine.worktime` and
:mod:`tthc_engine.errors`.
"""

from tthc_engine.catalog.catalog import Agency, Catalog, Province
from tthc_engine.catalog.loader import SCHEMA, catalog_from_mapping, load_catalog
from tthc_engine.catalog.procedure import (
    AGENCY_CODE,
    DISTRICT_LEVEL_ABOLISHED,
    HOURS_PER_WORKING_DAY,
    PROCEDURE_CODE,
    Fee,
    Level,
    OnlineLevel,
    PauseReason,
    Procedure,
    Step,
    SupplementPolicy,
    working_hours_of_limit,
)
from tthc_engine.errors import (
    CatalogError,
    CatalogValidationError,
    ProcedureNotInForceError,
    UnknownProcedureError,
)

__all__ = [
    "AGENCY_CODE",
    "DISTRICT_LEVEL_ABOLISHED",
    "HOURS_PER_WORKING_DAY",
    "PROCEDURE_CODE",
    "SCHEMA",
    "Agency",
    "Catalog",
    "CatalogError",
    "CatalogValidationError",
    "Fee",
    "Level",
    "OnlineLevel",
    "PauseReason",
    "Procedure",
    "ProcedureNotInForceError",
    "Province",
    "Step",
    "SupplementPolicy",
    "UnknownProcedureError",
    "catalog_from_mapping",
    "load_catalog",
    "working_hours_of_limit",
]
