"""The HTML report as written: every figure tagged and equal to the JSON report, names
from the catalog, escaped text, nothing fetched from the network, an empty period."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES
from tests.reports.page import expected_keys, mismatches, read
from tthc_engine import Catalog
from tthc_engine.interchange import replay
from tthc_engine.projections import Period
from tthc_engine.reports import catalog_names, render_html


@pytest.fixture(scope="module")
def april() -> dict[str, Any]:
    outcome = replay(
        [CASES / "replay-april-2025.jsonl"], period=Period.month(2025, 4), catalog=None
    )
    assert outcome.report is not None
    return outcome.report.as_dict()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_figure_on_the_page_equals_the_json_report(april: dict[str, Any], lang: str) -> None:
    figures, _ = read(render_html(april, lang, catalog_names(Catalog.sample())))
    assert mismatches(april, figures, lang) == []
    assert expected_keys(april) <= {f.key for f in figures}


def test_counts_and_rates_are_written_the_vietnamese_way_by_default(
    april: dict[str, Any],
) -> None:
    report = {**april, "received": 12345, "on_time_rate": 0.97}
    page = render_html(report)
    assert '<html lang="vi">' in page
    assert '<data value="12345" data-key="/received">12.345</data>' in page
    assert '<data value="0.97" data-key="/on_time_rate">97,0%</data>' in page
    english = render_html(report, "en")
    assert '<data value="12345" data-key="/received">12,345</data>' in english
    assert "Headline figures" in english


def test_agencies_and_procedures_are_named_from_the_catalog(april: dict[str, Any]) -> None:
    page = render_html(april, "vi", catalog_names(Catalog.sample()))
    assert "Trung tâm Phục vụ hành chính công tỉnh Nghệ An <small>000.00.10.H41</small>" in page
    assert render_html(april, "vi").count("Trung tâm Phục vụ") == 0  # without names: codes


def test_names_are_escaped(april: dict[str, Any]) -> None:
    page = render_html(april, "vi", {"000.00.10.H41": '<script>"x" & y</script>'})
    assert "<script>" not in page
    assert "&lt;script&gt;&quot;x&quot; &amp; y&lt;/script&gt;" in page


def test_the_page_fetches_nothing(april: dict[str, Any]) -> None:
    page = render_html(april)
    for fetch in ("<script", "<link", "<img", " src=", "url(", "@import"):
        assert fetch not in page
    assert page.count("http") == page.count('xmlns="http://www.w3.org/2000/svg"')


def test_a_period_without_dossiers_renders_without_charts_of_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    outcome = replay([empty], period=Period.month(2025, 4))
    assert outcome.report is not None
    report = outcome.report.as_dict()
    figures, shapes = read(render_html(report))
    assert mismatches(report, figures, "vi") == []
    assert "Không có hồ sơ quá hạn trong kỳ." in render_html(report)
    assert "by_agency" not in shapes
