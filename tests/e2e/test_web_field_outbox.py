"""The field outbox in Chromium: captures taken offline are each recorded exactly once.

Fifty captures wait in IndexedDB while the network is cut; when it returns
they are sent. A server restart that swallows an answer in the middle of the
sync (the outbox sends in batches), and the same outbox sent a second time,
leave each capture in the ledger once. These contexts block the service worker, so the page itself
sends (with its backoff) and every request passes the test's gate.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from tests.support.field_world import CHECKPOINT, PHONE, C, FieldWorld, M, field_browser

CAPTURES = 50
INCIDENT = "incident-reported"


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[FieldWorld, Browser]]:
    with field_browser(tmp_path, chromium) as opened:
        yield opened


def _page(world: FieldWorld, browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, service_workers="block")
    return context, context.new_page()


def _sign_in(world: FieldWorld, page: Page) -> None:
    page.goto(world.url + "/field/")
    page.fill("#token", world.tokens[M])
    page.click("form[action='/field/signin'] button")
    page.wait_for_selector("#app[data-ready='yes']")
    page.click(f"button[data-site='{CHECKPOINT}']")


def _report(page: Page, n: int) -> None:
    """One incident through the screen, its note numbered so the ledger can be checked."""
    page.click(".tabs button[data-screen='incident']")
    page.select_option("#incident-kind", "blocked-convoy")
    page.click("label[for='severity-2']")
    page.fill("#incident-note", f"capture {n:02d}")
    page.click("#incident-form button[type=submit]")
    page.wait_for_selector("#screen-queue:not([hidden])")


def _queue(page: Page) -> dict[str, int]:
    tally: dict[str, int] = page.evaluate("Outbox.counts()")
    return tally


def _notes(world: FieldWorld) -> list[str]:
    return sorted(e["note"] for e in world.events(INCIDENT) if e["note"].startswith("capture"))


def _offline_captures(world: FieldWorld, context: BrowserContext, page: Page) -> None:
    context.set_offline(True)
    for n in range(CAPTURES):
        _report(page, n)
    assert _queue(page) == {"pending": CAPTURES, "sent": 0, "refused": 0}
    assert _notes(world) == []


def _all_sent(page: Page) -> None:
    """Wait until the queue (drawn from the outbox) shows every capture sent."""
    page.wait_for_selector(
        f"#app[data-sent='{CAPTURES}'][data-pending='0']", state="attached", timeout=60_000
    )


EXPECTED = [f"capture {n:02d}" for n in range(CAPTURES)]


def test_fifty_captures_taken_offline_are_each_recorded_once_when_the_network_returns(
    served: tuple[FieldWorld, Browser],
) -> None:
    """50 incidents queued offline stay pending; back online each is sent and recorded once."""
    world, browser = served
    context, page = _page(world, browser)
    _sign_in(world, page)
    _offline_captures(world, context, page)
    page.click(".tabs button[data-screen='queue']")
    assert page.locator("#queue-list li.pending").count() == CAPTURES
    context.set_offline(False)
    _all_sent(page)
    assert _notes(world) == EXPECTED
    page.click(".tabs button[data-screen='queue']")
    page.wait_for_function(
        f"document.querySelectorAll('#queue-list li.sent').length === {CAPTURES}"
    )
    context.close()


def _keys(route: Route) -> list[str]:
    return [c["key"] for c in json.loads(route.request.post_data or "{}")["captures"]]


def test_a_server_restart_that_loses_an_answer_mid_sync_loses_and_doubles_nothing(
    served: tuple[FieldWorld, Browser],
) -> None:
    """The 2nd batch's answer is cut and the server restarted; its retry is answered as had."""
    world, browser = served
    context, page = _page(world, browser)
    _sign_in(world, page)
    _offline_captures(world, context, page)
    page.evaluate("Outbox.batchSize = 10")
    seen: list[list[str]] = []
    resent: list[list[str]] = []
    restarted = threading.Event()

    def cut(route: Route) -> None:
        seen.append(_keys(route))
        if len(seen) == 2 and not restarted.is_set():
            route.fetch()  # the server records it...
            world.restart(down_seconds=1.0)
            restarted.set()
            route.abort("connectionreset")  # ...but its answer never arrives
            return
        if len(seen) == 3:
            answered = route.fetch()
            resent.append([r["result"] for r in answered.json()["results"]])
            route.fulfill(response=answered)
            return
        route.continue_()

    context.route("**/captures/batch", cut)
    context.set_offline(False)
    _all_sent(page)
    assert restarted.is_set()
    assert [len(keys) for keys in seen] == [10, 10, 10, 10, 10, 10]
    assert seen[2] == seen[1], "the cut batch was sent again, each capture under its key"
    assert resent == [["already had"] * 10]
    assert _notes(world) == EXPECTED
    context.close()


def test_the_same_outbox_sent_twice_is_recorded_once(
    served: tuple[FieldWorld, Browser],
) -> None:
    """Every capture marked pending after a full sync and sent again: the ledger does not grow."""
    world, browser = served
    context, page = _page(world, browser)
    _sign_in(world, page)
    _offline_captures(world, context, page)
    context.set_offline(False)
    _all_sent(page)
    head = world.context.ledger.head().sequence
    results: list[str] = []

    def watch(route: Route) -> None:
        answered = route.fetch()
        results.extend(r["result"] for r in answered.json()["results"])
        route.fulfill(response=answered)

    context.route("**/captures/batch", watch)
    page.evaluate(
        "Outbox.all().then(es => Promise.all(es.map(e => Outbox.put(Object.assign(e,"
        " {state: 'pending'}))))).then(() => document.getElementById('sync-now').click())"
    )
    for _ in range(600):
        if len(results) >= CAPTURES:
            break
        page.wait_for_timeout(100)
    _all_sent(page)
    assert results == ["already had"] * CAPTURES
    assert world.context.ledger.head().sequence == head
    assert _notes(world) == EXPECTED
    context.close()


def test_a_capture_the_server_refuses_shows_its_reason_in_the_queue(
    served: tuple[FieldWorld, Browser],
) -> None:
    """A manifest naming an unknown person is refused; the queue shows the server's own words."""
    world, browser = served
    world.api("POST", "/operations/east-aleppo-2016/trips", C, {
        "trip": "fk-9", "movement": "foua-kefraya", "vehicle": "bus-aleppo-depot-9"})  # fmt: skip
    context, page = _page(world, browser)
    page.goto(world.url + "/field/")
    page.fill("#token", world.tokens[M])
    page.click("form[action='/field/signin'] button")
    page.wait_for_selector("#app[data-ready='yes']")
    page.click("button[data-site='foua']")
    page.click(".tabs button[data-screen='boarding']")
    page.select_option("#boarding-trip", "fk-9")
    page.fill("#boarding-manifest", "person-that-does-not-exist")
    page.click("#boarding-form button[type=submit]")
    page.wait_for_selector("#queue-list li.refused")
    reason = page.inner_text("#queue-list li.refused .reason")
    assert "person-that-does-not-exist" in reason
    assert all(e["trip"] != "fk-9" for e in world.events("trip-boarded"))
    context.close()
