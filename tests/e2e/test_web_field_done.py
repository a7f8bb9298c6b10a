"""Issue 13's "done when" for the field app, end to end in a phone-sized Chromium.

A monitor signs in to the installed app (its service worker in control),
goes offline, counts five buses at Ramouseh (one two short, with an
explanation), comes back online and sees all five accepted; the alert is on
the coordinator's dashboard, in the custody panel and its JSON twin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.support.field_world import (
    BUSES,
    CHECKPOINT,
    ON_BOARD,
    OPERATION,
    C,
    FieldWorld,
    field_browser,
)

SHORT = "fk-3"
EXPLANATION = "Two men taken off at the checkpoint before the count"


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[FieldWorld, Browser]]:
    with field_browser(tmp_path, chromium) as opened:
        yield opened


def _count(page: Page, trip: str, short_by: int) -> None:
    page.click(f"#due-list button[data-trip='{trip}']")
    page.wait_for_selector("#screen-count:not([hidden])")
    expected = ON_BOARD[trip]["wounded-seated"]
    assert page.get_attribute("#count-wounded-seated", "value") == str(expected)
    assert page.inner_text("#expected-wounded-seated").endswith(str(expected))
    for _ in range(short_by):
        page.click("button[aria-label='one fewer Wounded (seated)']")
    if short_by:
        assert page.is_visible("#short")
        page.click("#count-form button[type=submit]")
        assert page.is_visible("#short-error"), "a short count needs an explanation"
        page.fill("#short-note", EXPLANATION)
    else:
        assert not page.is_visible("#short")
    page.click("#count-form button[type=submit]")
    page.wait_for_selector("#screen-due:not([hidden])")


def test_a_monitor_counts_five_buses_offline_and_the_short_one_raises_the_alert(
    served: tuple[FieldWorld, Browser],
) -> None:
    """Offline counts of five buses are all accepted once online; the coordinator sees the alert."""
    world, browser = served
    context, page = world.page(browser)
    world.sign_in(page)
    page.click(f"button[data-site='{CHECKPOINT}']")
    page.wait_for_selector("#due-list button")
    context.set_offline(True)
    for trip in BUSES:
        _count(page, trip, 2 if trip == SHORT else 0)
    assert page.query_selector("#due-list button") is None, "no bus is due twice"
    page.click(".tabs button[data-screen='queue']")
    page.wait_for_function("document.querySelectorAll('#queue-list li.entry').length === 6")
    assert page.locator("#queue-list li.pending").count() == len(BUSES) + 1
    assert world.events("headcount-recorded") == []

    context.set_offline(False)
    page.wait_for_selector(
        "#app[data-pending='0'][data-sent='6']", state="attached", timeout=60_000
    )
    page.click(".tabs button[data-screen='queue']")
    assert page.locator("#queue-list li.sent").count() == len(BUSES) + 1
    assert page.locator("#queue-list li.refused").count() == 0
    assert page.locator("#queue-list li.sent .alerts").count() == 1
    counts = {e["trip"]: e["counts"] for e in world.events("headcount-recorded")}
    assert sorted(counts) == sorted(BUSES)
    assert counts[SHORT] == {"wounded-seated": ON_BOARD[SHORT]["wounded-seated"] - 2}
    [note] = [e["note"] for e in world.events("incident-reported")]
    assert SHORT in note
    assert EXPLANATION in note

    desk, coordinator = world.page(browser)
    coordinator.goto(world.url + "/")
    coordinator.fill("#token", world.tokens[C])
    coordinator.click("button:has-text('Sign in')")
    coordinator.wait_for_url(f"{world.url}/ops/{OPERATION}")
    assert f"· {SHORT} ·" in coordinator.inner_text("#panel-custody")
    twin = coordinator.evaluate(
        f"fetch('/ops/{OPERATION}/panels/custody.json').then(r => r.json())"
    )
    [alert] = twin["alerts"]
    assert (alert["trip"], alert["missing"], alert["open"]) == (SHORT, 2, True)
    assert world.outside == []
    desk.close()
    context.close()
