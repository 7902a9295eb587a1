"""The demo's HTML report rendered in headless Chromium: every figure on the rendered page
equals the JSON report, and the charts are drawn — SVG shapes in the rendered DOM, and their
colours in a screenshot that is not blank.

Marked ``chromium`` (``-m 'not chromium'`` deselects it). Without Chromium the tests are
skipped, except in CI, where ``.ci/run`` installs Debian's ``chromium`` and they must run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.reports.browser import colour_share, dump_dom, find_chromium, read_png, screenshot
from tests.reports.page import expected_keys, mismatches, read
from tthc_engine.reports.charts import COLOURS
from tthc_engine.testing import in_ci

pytestmark = pytest.mark.chromium

CHARTS = (
    "targets",
    "by_agency",
    "trend_counts",
    "trend_rates",
    "steps",
    "apology",
    "satisfaction",
    "channels",
    "shares",
)


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if in_ci():
            pytest.fail(f"{message}; .ci/run installs it", pytrace=False)
        pytest.skip(message)
    return found


def _tthc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "tthc_engine.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Path]]:
    """The demo's page (Vietnamese) and the same store's report in English, with their JSON."""
    folder = tmp_path_factory.mktemp("html")
    db, vi, en = folder / "demo.sqlite", folder / "vi.html", folder / "en.html"
    demo = json.loads(
        _tthc(
            "demo", "--db", str(db), "--per-day", "4", "--html", str(vi), "--json", cwd=folder
        ).stdout
    )
    report = {k: v for k, v in demo.items() if k not in ("store", "example", "html")}
    english = _tthc(
        "report", "--db", str(db), "--html", str(en), "--lang", "en", "--json", cwd=folder
    )
    assert json.loads(english.stdout) == report
    return {"vi": (report, vi), "en": (report, en)}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_figure_on_the_rendered_page_equals_the_json_report(
    chromium: str, pages: dict[str, tuple[dict[str, Any], Path]], lang: str
) -> None:
    report, page = pages[lang]
    dom = dump_dom(chromium, page)
    assert f'<html lang="{lang}">' in dom
    figures, _ = read(dom)
    assert mismatches(report, figures, lang) == []
    assert expected_keys(report) <= {f.key for f in figures}


def test_the_charts_are_drawn_and_the_screenshot_is_not_blank(
    chromium: str, pages: dict[str, tuple[dict[str, Any], Path]], tmp_path: Path
) -> None:
    report, page = pages["vi"]
    _, shapes = read(dump_dom(chromium, page))
    for chart in CHARTS:
        if chart == "apology" and report["late"] == 0:  # the page says "no late dossier"
            assert chart not in shapes
            continue
        assert chart in shapes, f"chart {chart} is missing from the rendered page"
        drawn = shapes[chart]["rect"] + shapes[chart]["circle"]
        assert drawn > 0, f"chart {chart} draws no bar or point"
    assert shapes["by_agency"]["rect"] >= len(report["by_agency"])
    assert shapes["trend_counts"]["circle"] == 3 * len(report["by_month"])

    pixels = read_png(screenshot(chromium, page, tmp_path / "page.png", 1000, 2400))
    assert pixels.shape[:2] == (2400, 1000)
    assert colour_share(pixels, "#ffffff") < 0.95  # not a blank page
    height, width = pixels.shape[:2]
    for series in ("early", "on_time", "received", "neutral"):
        painted = colour_share(pixels, COLOURS[series], tolerance=2) * height * width
        assert painted > 500, f"{series} ({COLOURS[series]}): {painted:.0f} pixels painted"
    late = colour_share(pixels, COLOURS["late"], tolerance=2) * height * width
    assert late > 50  # the late part of the bars, and the late cards' borders
