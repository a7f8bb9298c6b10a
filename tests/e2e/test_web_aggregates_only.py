"""A liaison's and an observer's pages carry aggregates only, and no typed text becomes markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from corridor.protection.access import AccessRole
from tests.support.web_world import SEEDED_NAME, SEEDED_NOTE, SEEDED_SOURCE, WebWorld, web_browser

PANELS = ("convoys", "timeline", "reception", "deal", "custody", "incidents", "figures", "clock")


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as opened:
        yield opened


@pytest.mark.parametrize("role", [AccessRole.LIAISON, AccessRole.OBSERVER])
def test_no_name_or_free_text_reaches_the_dom_or_any_response(
    served: tuple[WebWorld, Browser], role: AccessRole
) -> None:
    """The page, every panel's HTML and JSON twin, all panels at once and the map: no name."""
    world, browser = served
    page = world.page(browser)
    bodies: list[str] = []

    def keep(route: Route) -> None:
        # Fetched here and handed to the page, so every body is read before the
        # page moves on (a response event's body may be gone after a navigation).
        url = route.request.url
        if not url.startswith(world.url) or url.endswith("/live") or "/static/" in url:
            route.fallback()  # the stream, vendored files, and the gate for the outside
            return
        answer = route.fetch(max_redirects=0, headers={**route.request.headers,
                                                       "accept-encoding": "identity"})  # fmt: skip
        bodies.append(answer.text())
        route.fulfill(response=answer)

    page.route("**/*", keep)
    world.sign_in(page, role)
    page.wait_for_selector("#map[data-drawn]")
    for name in PANELS:
        for suffix in ("", ".json"):
            page.goto(f"{world.url}/ops/east-aleppo-2016/panels/{name}{suffix}")
    page.goto(f"{world.url}/ops/east-aleppo-2016/panels")  # what the page fetches per tick
    page.goto(f"{world.url}/ops/east-aleppo-2016")
    page.wait_for_selector("#map[data-drawn]")
    dom = page.content()
    assert len(bodies) >= 2 * len(PANELS) + 4
    for secret in (SEEDED_NAME, SEEDED_NOTE, SEEDED_SOURCE, "Ahmad", "bakery", "script"):
        assert secret not in dom.replace("<script src=", "").replace("</script>", ""), secret
        for body in bodies:
            if secret != "script":
                assert secret not in body, secret
    assert world.incident in dom  # the incident itself is shown, as an aggregate
    assert world.outside == []


def test_script_tags_in_an_incident_note_are_shown_as_text_and_never_run(
    served: tuple[WebWorld, Browser],
) -> None:
    """A coordinator sees the note verbatim, markup and all, and none of it executes."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, AccessRole.COORDINATOR)
    page.wait_for_selector("#map[data-drawn]")
    note = page.inner_text("#panel-incidents .note")
    assert SEEDED_NOTE in note
    assert "<script>window.__injected = 1</script>" in note
    assert page.evaluate("window.__injected === undefined")
    assert page.eval_on_selector_all("#panel-incidents .note *", "e => e.length") == 0
