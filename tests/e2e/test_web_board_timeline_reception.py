"""The convoy board's hours, the timeline, reception and names in both scripts, in Chromium.

The operation runs on an exercise clock set to 16:00 on 15 December 2016 at
real speed, so hours read against it stay put while a test runs. Two trips
halt at known times; an ambulance arrives at al-Atarib while the page is open.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from corridor.protection.access import AccessRole
from tests.support.web_world import OP, WOUNDED, WebWorld, web_browser

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
NOW = "2016-12-15T16:00:00+02:00"
HALTED = [  # trip, vehicle, boarded, halted, people: 8 h on board and 4 h halted; 5 h and 2 h
    ("t-long", "bus-aleppo-depot-1", "2016-12-15T08:00:00+02:00", "2016-12-15T12:00:00+02:00", 40),
    ("t-short", "bus-aleppo-depot-2", "2016-12-15T11:00:00+02:00", "2016-12-15T14:00:00+02:00", 45),
]  # fmt: skip


def _halted_trips(world: WebWorld) -> None:
    api = world.api
    api.ok(api.client.put(f"{OP}/clock", json={"start": NOW, "speed": 1}, headers=api.headers(C)))
    for trip, vehicle, boarded, halted, people in HALTED:
        api.ok(api.post(C, f"{OP}/trips", {"trip": trip, "movement": "east-aleppo",
                                           "vehicle": vehicle}))  # fmt: skip
        api.ok(api.post(M, f"{OP}/trips/{trip}/boarding", {"site": "east-aleppo",
                        "counts": {"civilians": people}, "at": boarded}))  # fmt: skip
        api.ok(api.post(M, f"{OP}/trips/{trip}/depart", {"site": "east-aleppo", "at": boarded}))
        stop = {"site": "ramouseh", "reason": "checkpoint closed", "at": halted}
        api.ok(api.post(M, f"{OP}/trips/{trip}/halt", stop))


def _arrive(world: WebWorld) -> None:
    body = {"site": "atareb", "counts": WOUNDED, "at": "2016-12-15T15:00:00+02:00"}
    world.api.ok(world.api.post(M, f"{OP}/trips/amb-1/arrival", body))


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as (world, browser):
        _halted_trips(world)
        yield world, browser


def _shoot_panel(page: Page, folder: Path, panel: str, name: str) -> None:
    shot = folder / f"{name}.png"
    page.locator(f"#panel-{panel}").screenshot(path=str(shot))
    keep = os.environ.get("CORRIDOR_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)


def test_halted_trips_come_first_longest_halt_first_with_hours_against_the_operation_clock(
    served: tuple[WebWorld, Browser], tmp_path: Path
) -> None:
    """t-long (8 h aboard, 4 h halted) before t-short (5 h, 2 h); the summary adds them up."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    rows = page.eval_on_selector_all(
        "#panel-convoys tbody tr",
        "rows => rows.map(r => [r.className, r.cells[0].textContent,"
        " r.querySelector('.hours-on-board').textContent.trim(),"
        " r.querySelector('.hours-halted').textContent.trim()])",
    )
    assert rows[:2] == [["halted", "t-long", "8", "4"], ["halted", "t-short", "5", "2"]]
    assert all(r[0] != "halted" for r in rows[2:])
    summary = page.inner_text("#panel-convoys .halted-summary")
    assert "85 people in 2 halted vehicles" in summary
    assert "the longest halt 4 h" in summary
    assert "545 person-hours" in summary  # 40 x 8 + 45 x 5
    _shoot_panel(page, tmp_path, "convoys", "convoy-board-en")
    assert world.outside == []


def test_the_timeline_draws_an_arrival_live_without_a_reload(
    served: tuple[WebWorld, Browser], tmp_path: Path
) -> None:
    """An arrival recorded through the API adds the movement's line and total over SSE."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    page.evaluate("window.__same_page = true")
    page.wait_for_function("document.body.dataset.live === 'open'")
    assert page.locator("#panel-timeline polyline.series").count() == 0
    _arrive(world)
    page.wait_for_selector("#panel-timeline polyline.series[data-movement='east-aleppo']")
    total = page.inner_text("#panel-timeline .timeline-totals tbody tr")
    assert "East Aleppo evacuation" in total
    assert "3" in total
    ticks = page.eval_on_selector_all(
        "#panel-timeline svg text", "ts => ts.map(t => t.textContent)"
    )
    assert any(t.startswith("12/15/16") for t in ticks), ticks
    assert page.evaluate("window.__same_page") is True
    _shoot_panel(page, tmp_path, "timeline", "timeline-en")
    assert world.outside == []


def test_a_coordinator_sees_each_shelter_against_its_places_on_the_panel_and_the_map(
    served: tuple[WebWorld, Browser], tmp_path: Path
) -> None:
    """After the arrival al-Atarib shows 3 checked in of its places; shelters are drawn."""
    world, browser = served
    _arrive(world)
    page = world.page(browser)
    world.sign_in(page, C)
    page.wait_for_selector("#map[data-drawn]")
    row = page.inner_text("#panel-reception tr[data-site='atareb']")
    assert row.startswith("al-Atarib reception centre")
    places = world.api.context.live.read(
        "east-aleppo-2016", lambda r: sum(c.places for c in r.world.site("atareb").capacities)
    )
    assert f"\t3\t{places:,}\t" in row
    assert page.locator("#panel-reception .first-shortfall").count() == 1
    page.wait_for_function("document.querySelectorAll('#map path.shelter').length >= 5")
    _shoot_panel(page, tmp_path, "reception", "reception-en")
    assert world.outside == []


def test_a_liaison_sees_reception_totals_and_no_shelter_by_shelter_figures(
    served: tuple[WebWorld, Browser],
) -> None:
    """Totals on the panel; no per-site row and no per-site check-ins on the map."""
    world, browser = served
    _arrive(world)
    page = world.page(browser)
    world.sign_in(page, L)
    page.wait_for_selector("#map[data-drawn]")
    assert page.locator("#panel-reception tr[data-site]").count() == 0
    assert "3" in page.inner_text("#panel-reception dl.counts div:first-child dd")
    features = page.evaluate(
        "fetch('/ops/east-aleppo-2016/map.json').then(r => r.json()).then(d => d.features)"
    )
    shelters = [f["properties"] for f in features if f["properties"].get("shelter")]
    assert shelters
    assert all("checked_in" not in p for p in shelters)
    assert world.outside == []


def test_the_arabic_edition_names_sites_and_movements_in_arabic_script(
    served: tuple[WebWorld, Browser], tmp_path: Path
) -> None:
    """Board, timeline and reception show the scenario's name_ar; English stays in the title."""
    world, browser = served
    _arrive(world)
    page = world.page(browser)
    world.to_arabic(page)
    world.sign_in(page, C)
    page.wait_for_selector("#map[data-drawn]")
    atareb = page.locator("#panel-reception tr[data-site='atareb'] .name")
    assert atareb.inner_text() == "الأتارب"
    assert atareb.get_attribute("title") == "al-Atarib reception centre"
    assert "إجلاء شرق حلب" in page.inner_text("#panel-timeline .timeline-totals")
    assert "إجلاء شرق حلب" in page.inner_text("#panel-convoys tbody")
    assert "الفوعة" in page.inner_text("#panel-convoys tbody")  # fk-1 last counted at Foua
    _shoot_panel(page, tmp_path, "convoys", "convoy-board-ar")
    _shoot_panel(page, tmp_path, "timeline", "timeline-ar")
    _shoot_panel(page, tmp_path, "reception", "reception-ar")
    assert world.outside == []
