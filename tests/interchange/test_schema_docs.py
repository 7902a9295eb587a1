"""The JSON Schemas in docs/ are the ones the reader checks lines against (DESIGN.md §6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tthc_engine.domain.facts import FactType
from tthc_engine.interchange.schema import DATA_FIELDS, schema_text, write_schemas

DOCS = REPO / "docs" / "schema" / "tthc.event-1"


@pytest.mark.parametrize("kind", list(FactType), ids=lambda k: k.value)
def test_the_committed_schema_is_the_generated_one(kind: FactType) -> None:
    committed = DOCS / f"{kind.value}.json"
    assert committed.read_text(encoding="utf-8") == schema_text(kind), "run `make schemas`"


def test_the_docs_hold_a_schema_for_every_type_and_nothing_else() -> None:
    assert sorted(p.name for p in DOCS.glob("*.json")) == sorted(
        f"{k.value}.json" for k in FactType
    )


def test_a_schema_lists_every_data_field_and_the_required_ones(tmp_path: Path) -> None:
    (path,) = [p for p in write_schemas(tmp_path) if p.name == "fee_paid.json"]
    data = json.loads(path.read_text(encoding="utf-8"))["properties"]["data"]
    assert list(data["properties"]) == list(DATA_FIELDS[FactType.FEE_PAID])
    assert data["required"] == ["amount", "online"]
    assert data["properties"]["amount"] == {"type": "integer", "description": "đồng"}
