"""The field app in a phone-sized Chromium: installable, offline shell, English and Arabic."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.support.field_world import BUSES, CHECKPOINT, FieldWorld, M, R, field_browser

AXE = Path(__file__).parents[1] / "support" / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[FieldWorld, Browser]]:
    with field_browser(tmp_path, chromium) as opened:
        yield opened


def _axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)})))"
    )
    return [v for v in found if v["impact"] in SERIOUS]


def test_the_field_app_is_installable_with_its_own_icons_and_a_worker_for_its_scope(
    served: tuple[FieldWorld, Browser],
) -> None:
    """The manifest scopes the app to /field/, its 192 and 512 PNG icons load, its worker runs."""
    world, browser = served
    context, page = world.page(browser)
    world.sign_in(page, M)
    href = page.get_attribute("link[rel=manifest]", "href")
    manifest = json.loads(page.evaluate(f"fetch('{href}').then(r => r.text())"))
    assert manifest["start_url"] == "/field/"
    assert manifest["scope"] == "/field/"
    assert manifest["display"] == "standalone"
    sizes = {i["sizes"] for i in manifest["icons"] if i["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        width = page.evaluate(
            "src => new Promise(ok => { const i = new Image(); i.onload = () => ok(i.naturalWidth);"
            " i.onerror = () => ok(0); i.src = src; })",
            icon["src"],
        )
        assert width > 0, icon
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => new URL(r.scope).pathname)")
    assert scope == "/field/"
    assert world.outside == []
    context.close()


def test_the_shell_and_reference_data_open_offline_after_one_visit(
    served: tuple[FieldWorld, Browser],
) -> None:
    """Offline, a reload still draws the checkpoints and the buses due at Ramouseh."""
    world, browser = served
    context, page = world.page(browser)
    world.sign_in(page, M)
    page.wait_for_function(
        "caches.open('corridor-field-data-v1').then(c => c.keys()).then(k => k.length > 0)"
    )
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#app[data-ready='yes']")
    assert "Offline" in page.inner_text("#net")
    page.click(f"button[data-site='{CHECKPOINT}']")
    page.wait_for_selector("#due-list button")
    due = page.eval_on_selector_all("#due-list button", "bs => bs.map(b => b.dataset.trip)")
    assert sorted(due) == sorted(BUSES)
    context.close()


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_every_screen_has_no_serious_accessibility_violation_on_a_phone(
    served: tuple[FieldWorld, Browser], lang: str, direction: str
) -> None:
    """axe-core on sign-in and on every screen at 360x740, in English and in Arabic (RTL)."""
    world, browser = served
    context, page = world.page(browser, lang)
    page.goto(world.url + "/field/")
    assert page.get_attribute("html", "dir") == direction
    assert page.get_attribute("html", "lang") == lang
    assert _axe(page) == []
    world.sign_in(page, M)
    page.click(f"button[data-site='{CHECKPOINT}']")
    page.click("#due-list button >> nth=0")
    page.wait_for_selector("#screen-count:not([hidden])")
    page.fill("#steppers input >> nth=0", "1")
    page.wait_for_selector("#short:not([hidden])")
    assert _axe(page) == [], "count screen"
    for screen in ("site", "due", "boarding", "incident", "queue"):
        page.click(f".tabs button[data-screen='{screen}']")
        assert _axe(page) == [], screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "nothing is wider than the phone"
    small = page.evaluate(
        "[...document.querySelectorAll('button:not([hidden])')].filter(b => b.offsetParent)"
        ".filter(b => b.getBoundingClientRect().height < 44).map(b => b.textContent)"
    )
    assert small == [], "every visible button is a thumb's height"
    assert world.outside == []
    context.close()


def test_the_arabic_app_leaves_no_field_string_untranslated(
    served: tuple[FieldWorld, Browser],
) -> None:
    """In Arabic the screens' own text holds no English string of the field app's templates."""
    world, browser = served
    context, page = world.page(browser, "ar")
    world.sign_in(page, M)
    english = page.evaluate(
        "Object.values(JSON.parse(document.getElementById('strings').textContent))"
        ".filter(v => typeof v === 'string')"
    )
    bare = [re.sub(r"\{\w+\}", "", text) for text in english]
    assert all(not any("a" <= ch <= "z" for ch in text) for text in bare), bare
    texts = page.eval_on_selector_all(
        "nav button, h2, label, legend", "els => els.map(e => e.textContent.trim())"
    )
    assert all(not any("a" <= ch <= "z" for ch in t.split("·")[0]) for t in texts if t), texts
    context.close()


def test_a_reception_desk_signs_in_and_a_liaison_is_sent_to_the_dashboard(
    served: tuple[FieldWorld, Browser],
) -> None:
    """Reception gets the app; a liaison gets a page pointing to the dashboard, and no app data."""
    world, browser = served
    context, page = world.page(browser)
    world.sign_in(page, R)
    assert page.get_attribute("#app", "data-role") == "reception"
    context.close()
    context, page = world.page(browser)
    page.goto(world.url + "/field/")
    page.fill("#token", world.tokens[next(r for r in world.tokens if r.value == "liaison")])
    page.click("form[action='/field/signin'] button")
    assert page.query_selector("#app") is None
    assert page.query_selector("a[href='/']") is not None
    context.close()
