"""The simulation report opens in a real browser, offline, and shows its charts."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright
from typer.testing import CliRunner

from corridor.entrypoints.cli.main import app
from tests.support.browser import CHROMIUM_FLAGS


def test_the_report_opens_offline_in_chromium_and_every_chart_is_drawn(
    tmp_path: Path, chromium: Path
) -> None:
    """Every chart image decodes and is laid out at a visible size; nothing is fetched."""
    out = tmp_path / "report"
    arguments = ["tiny", "--runs", "6", "--workers", "1", "--vary", "fleet.bus=2,6"]
    result = CliRunner().invoke(app, ["simulate", *arguments, "--report", str(out)])
    assert result.exit_code == 0, result.output
    requested: list[str] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto((out / "index.html").as_uri())
            page.wait_for_load_state("load")
            charts = page.eval_on_selector_all(
                "img",
                "images => images.map(i => [i.complete, i.naturalWidth, i.naturalHeight,"
                " i.getBoundingClientRect().width, i.alt])",
            )
            headings = page.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
        finally:
            browser.close()
    assert len(charts) >= 4, charts
    for complete, width, height, shown, alt in charts:
        assert complete, alt
        assert width > 100, alt
        assert height > 100, alt
        assert shown > 100, alt
    assert any("People moved over time" in h for h in headings), headings
    assert any("Sweep" in h for h in headings), headings
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []
