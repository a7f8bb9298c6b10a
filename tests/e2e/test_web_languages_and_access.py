"""The dashboard in English and Arabic: direction, no untranslated chrome, axe-core, screenshots.

Screenshots go to tmp_path; with CORRIDOR_SCREENSHOTS set to a folder (as
`docs/screenshots` when the README's pictures are refreshed) they are saved there too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page

import corridor.entrypoints.web as web
from corridor.protection.access import AccessRole
from tests.support.web_world import WebWorld, web_browser

AXE = Path(__file__).parents[1] / "support" / "vendor" / "axe-core" / "axe.min.js"
CATALOG = Path(web.__file__).parent / "locale" / "messages.pot"
SERIOUS = ("serious", "critical")


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as opened:
        yield opened


def _axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)})))"
    )
    return [v for v in found if v["impact"] in SERIOUS]


def _shoot(page: Page, folder: Path, name: str) -> None:
    shot = folder / f"{name}.png"
    page.screenshot(path=str(shot), full_page=False)
    keep = os.environ.get("CORRIDOR_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def _english_strings() -> set[str]:
    with CATALOG.open("rb") as pot:
        return {m.id for m in read_po(pot) if m.id and "%(" not in m.id and m.id != "JSON"}


def test_the_arabic_dashboard_is_right_to_left_and_leaves_no_string_untranslated(
    served: tuple[WebWorld, Browser], tmp_path: Path
) -> None:
    """After switching to Arabic: dir=rtl, lang=ar, no element's own text is an English msgid."""
    world, browser = served
    page = world.page(browser)
    world.to_arabic(page)
    _shoot(page, tmp_path, "signin-ar")
    world.sign_in(page, AccessRole.COORDINATOR)
    page.wait_for_selector("#map[data-drawn]")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    own_texts = page.evaluate(
        "Array.from(document.querySelectorAll('body *:not(script):not(style)'))"
        ".flatMap(e => Array.from(e.childNodes).filter(n => n.nodeType === 3)"
        ".map(n => n.textContent.trim())).filter(t => t)"
    )
    english = _english_strings()
    untranslated = sorted(t for t in own_texts if t in english)
    assert untranslated == [], untranslated
    assert "لوحة القوافل" in page.inner_text("#h-convoys")
    _shoot(page, tmp_path, "operation-ar")
    assert world.outside == []


@pytest.mark.parametrize(("lang", "width", "height"), [("en", 1366, 768), ("ar", 1366, 768),
                                                       ("en", 390, 844)])  # fmt: skip
def test_every_page_has_no_serious_accessibility_violation(
    served: tuple[WebWorld, Browser], tmp_path: Path, lang: str, width: int, height: int
) -> None:
    """axe-core finds no serious or critical violation on sign-in and operation pages."""
    world, browser = served
    page = world.page(browser, width=width, height=height)
    page.goto(world.url + "/")
    if lang != "en":
        page.select_option("#lang", lang)
        page.click("form[action='/language'] button")
        page.wait_for_selector(f"html[lang='{lang}']")
    assert _axe(page) == []
    world.sign_in(page, AccessRole.COORDINATOR)
    page.wait_for_selector("#map[data-drawn]")
    assert _axe(page) == []
    if width > 1000:
        _shoot(page, tmp_path, f"operation-{lang}" if lang == "en" else f"operation-{lang}-laptop")
    else:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert world.outside == []
