"""A coordinator's dashboard in Chromium: sign in, watch it live, verify, halt, resume, sign out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from corridor.protection.access import AccessRole
from tests.support.web_world import OP, WebWorld, web_browser

C = AccessRole.COORDINATOR


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as opened:
        yield opened


def _term(page: Page, term: str) -> str:
    return page.inner_text(f"#panel-deal li.term:has(strong:text-is('{term}'))")


def test_verifying_an_incident_halts_both_linked_movements_and_resumes_lift_the_halt(
    served: tuple[WebWorld, Browser],
) -> None:
    """Verify in the feed: T6 blocks, both trips halt on board and map; resumes lift T6."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    page.wait_for_selector("#map[data-drawn]")
    assert "holding" in _term(page, "T6")
    page.click(f"button:has-text('Verify {world.incident}')")
    page.wait_for_selector("#panel-deal li.term.blocking")
    assert "blocking now" in _term(page, "T6")
    assert f"because of incident {world.incident}" in _term(page, "T6")
    halted = page.eval_on_selector_all(
        "#panel-convoys tr.halted td:first-child", "cells => cells.map(c => c.textContent)"
    )
    assert sorted(halted) == ["amb-1", "fk-1"]
    page.wait_for_function("document.querySelectorAll('#map path.halted-trips').length > 0")
    for guarantor in ("russia", "turkey"):
        page.select_option("#org-T6", guarantor)
        page.click("#panel-deal li.term:has(#org-T6) button")
        page.wait_for_load_state("load")
    assert "holding" in _term(page, "T6")
    assert world.outside == []


def test_a_panel_updates_live_when_the_ledger_moves_without_a_reload(
    served: tuple[WebWorld, Browser],
) -> None:
    """An incident reported through the API appears in an open page's feed over SSE."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    page.evaluate("window.__same_page = true")
    page.wait_for_function("document.body.dataset.live === 'open'")
    body = {"kind": "shelling", "severity": 3, "corridor": "ramouseh", "site": "ramouseh"}
    reported = world.api.ok(world.api.post(C, f"{OP}/incidents", body))
    second = reported["events"][0]["data"]["incident"]
    page.wait_for_selector(f"#panel-incidents li:has-text('{second}')", timeout=10_000)
    assert page.evaluate("window.__same_page") is True
    assert world.outside == []


def test_the_session_cookie_is_http_only_and_strict_and_sign_out_ends_it(
    served: tuple[WebWorld, Browser],
) -> None:
    """The cookie cannot be read by scripts or sent cross-site; after sign-out / asks again."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    cookie = next(c for c in page.context.cookies() if c["name"] == "corridor_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert "corridor_session" not in page.evaluate("document.cookie")
    page.click("button:has-text('Sign out')")
    page.wait_for_selector("#token")
    page.goto(f"{world.url}/ops/east-aleppo-2016")
    assert page.url == world.url + "/"
