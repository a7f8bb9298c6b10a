"""`/docs` opens in Chromium with every outside request refused: Swagger UI is vendored."""

from __future__ import annotations

from pathlib import Path

from tests.support.web_world import web_browser


def test_the_api_docs_draw_every_endpoint_with_no_outside_request(
    tmp_path: Path, chromium: Path
) -> None:
    """Swagger UI loads from the package and lists the operations endpoints; nothing leaves."""
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as (world, browser):
        page = world.page(browser)
        page.goto(world.url + "/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        paths = page.eval_on_selector_all(
            ".opblock-summary-path", "ps => ps.map(p => p.textContent)"
        )
        title = page.text_content(".title")
    assert any(p.strip().startswith("/operations/{operation}/incidents") for p in paths), paths
    assert title is not None
    assert "corridor" in title
    assert world.outside == []
