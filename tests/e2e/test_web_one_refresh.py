"""One request per ledger event: every live panel in one answer, bursts coalesced, in Chromium.

The operation page refreshes all its panels from `/ops/OP/panels` on a
tick; these tests check that answer (every panel once, the session's own
CSRF token in its forms, one read of the record, a liaison's copy without
names), that a burst of events reaches a screen as few ticks, and in real
Chromium that a tick costs one request, that a field a user is in keeps
its value, that a lost stream is marked stale and catches up, and that a
revoked token sends the screen to sign in.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Request

from corridor.entrypoints.web.refresh import HEADER, LIVE, MARK
from corridor.protection.access import AccessRole
from tests.support.web_world import (
    OP,
    SEEDED_NAME,
    SEEDED_NOTE,
    SEEDED_SOURCE,
    WebWorld,
    web_browser,
    web_world,
)

C, L = AccessRole.COORDINATOR, AccessRole.LIAISON
PAGE = "/ops/east-aleppo-2016"
SHELLING = {"kind": "shelling", "severity": 3, "corridor": "ramouseh", "site": "ramouseh"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    with web_world(f"sqlite:///{tmp_path / 'corridor.db'}") as served:
        yield served


@pytest.fixture
def served(tmp_path: Path, chromium: Path) -> Iterator[tuple[WebWorld, Browser]]:
    with web_browser(f"sqlite:///{tmp_path / 'corridor.db'}", chromium) as opened:
        yield opened


def _report(world: WebWorld, role: AccessRole = C) -> str:
    reported = world.api.ok(world.api.post(role, f"{OP}/incidents", SHELLING))
    incident: str = reported["events"][0]["data"]["incident"]
    return incident


def test_one_answer_carries_every_live_panel_once_from_one_read_of_the_record(
    world: WebWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/ops/OP/panels`: each live panel's section once, the session's CSRF token, one read."""
    client = world.client(C)
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get(PAGE).text)
    assert csrf is not None
    live = world.api.context.live
    reads: list[Any] = []
    real = live.read

    def counted(operation: str, reader: Any) -> Any:
        reads.append(operation)
        return real(operation, reader)

    monkeypatch.setattr(live, "read", counted)
    answer = client.get(f"{PAGE}/panels")
    assert answer.status_code == 200
    assert len(reads) == 1
    for name in LIVE:
        assert answer.text.count(f'id="panel-{name}"') == 1, name
    assert MARK not in answer.text
    tokens = set(re.findall(r'name="csrf" value="([^"]+)"', answer.text))
    assert tokens == {csrf.group(1)}
    assert f"Verify {world.incident}" in answer.text


def test_a_page_that_names_the_versions_it_holds_gets_only_the_panels_that_changed(
    world: WebWorld,
) -> None:
    """Same ledger: only the clock comes back; after an incident, its feed and not the timeline."""
    client = world.client(C)
    first = client.get(f"{PAGE}/panels")
    held = first.headers[HEADER]
    assert sorted(pair.split("=")[0] for pair in held.split(",")) == sorted(LIVE[1:])
    again = client.get(f"{PAGE}/panels", headers={HEADER: held})
    assert re.findall(r'id="panel-([a-z]+)"', again.text) == ["clock"]
    incident = _report(world)
    after = client.get(f"{PAGE}/panels", headers={HEADER: held})
    drawn = re.findall(r'id="panel-([a-z]+)"', after.text)
    assert "incidents" in drawn
    assert incident in after.text
    assert "timeline" not in drawn
    assert after.headers[HEADER] != held


def test_a_malformed_versions_header_gets_every_panel(world: WebWorld) -> None:
    """The header is a hint: unknown names or bad versions count as holding nothing."""
    client = world.client(C)
    answer = client.get(
        f"{PAGE}/panels", headers={HEADER: "timeline=<script>,nope=0123456789abcdef"}
    )
    assert re.findall(r'id="panel-([a-z]+)"', answer.text) == list(LIVE)


def test_the_panels_answer_follows_the_ledger_and_each_session_gets_its_own_csrf_token(
    world: WebWorld,
) -> None:
    """A new incident is in the next answer; two sessions' forms carry different tokens."""
    first, second = world.client(C), world.client(AccessRole.MONITOR)
    before = first.get(f"{PAGE}/panels").text
    incident = _report(world)
    after = first.get(f"{PAGE}/panels").text
    assert incident not in before
    assert incident in after
    theirs = set(re.findall(r'name="csrf" value="([^"]+)"', second.get(f"{PAGE}/panels").text))
    mine = set(re.findall(r'name="csrf" value="([^"]+)"', after))
    assert mine
    assert theirs
    assert not mine & theirs


def test_a_liaison_s_panels_answer_holds_no_name_or_free_text(world: WebWorld) -> None:
    """The one answer a liaison's screen fetches per tick carries aggregates only."""
    answer = world.client(L).get(f"{PAGE}/panels")
    assert answer.status_code == 200
    assert world.incident in answer.text
    for secret in (SEEDED_NAME, SEEDED_NOTE, SEEDED_SOURCE, "Ahmad", "bakery", "<script"):
        assert secret not in answer.text, secret


def test_the_panels_answer_without_a_session_sends_the_screen_to_sign_in(world: WebWorld) -> None:
    """No cookie: 401 with HX-Redirect to the sign-in page."""
    answer = httpx.get(f"{world.url}{PAGE}/panels")
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"] == "/"


def test_a_burst_of_events_reaches_a_screen_as_one_tick_after_the_first(world: WebWorld) -> None:
    """Five events while the stream waits out its spacing arrive as one tick naming the last."""
    world.app.state.live_coalesce_seconds = 3.0
    client = world.client(L)
    head = world.api.context.ledger.head().sequence
    ticks: list[int] = []
    with client.stream("GET", f"{PAGE}/live", timeout=30) as reply:
        _report(world)
        for line in reply.iter_lines():
            if line.startswith("data:"):
                ticks.append(int(line[5:]))
                if len(ticks) == 1:
                    for _ in range(5):
                        _report(world)
                if len(ticks) == 2:
                    break
    assert ticks == [head + 1, head + 6]


def test_a_tick_costs_a_screen_one_request_and_keeps_the_field_a_user_is_in(
    served: tuple[WebWorld, Browser],
) -> None:
    """One event: one panels request naming what it holds; a chosen, focused select keeps both."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    page.wait_for_function("document.body.dataset.live === 'open'")
    field = f"#monitor-{world.incident}"
    options = page.eval_on_selector_all(f"{field} option", "os => os.map(o => o.value)")
    assert len(options) > 1
    page.select_option(field, options[-1])
    page.focus(field)
    asked: list[str] = []

    held: list[str | None] = []

    def keep(request: Request) -> None:
        if "/panels" in request.url:
            asked.append(request.url.removeprefix(world.url))
            held.append(request.headers.get(HEADER.lower()))

    page.on("request", keep)
    second = _report(world)
    page.wait_for_selector(f"#panel-incidents li:has-text('{second}')", timeout=10_000)
    page.wait_for_timeout(1000)  # a second request, were there one, would have gone by now
    assert asked == [f"{PAGE}/panels"]
    assert held[0]  # the page names the panels it holds, so unchanged ones stay home
    assert page.input_value(field) == options[-1]
    assert page.evaluate("document.activeElement.id") == field[1:]
    assert world.outside == []


def test_a_lost_stream_is_marked_stale_and_catches_up_when_it_is_back(
    served: tuple[WebWorld, Browser],
) -> None:
    """The stream drops and stays refused: stale shows; back, it goes and the missed event shows."""
    world, browser = served
    world.app.state.live_stream_seconds = 1.0
    page = world.page(browser)
    refused: list[bool] = []
    page.route("**/live", lambda route: route.abort() if refused else route.fallback())
    world.sign_in(page, C)
    page.wait_for_function("document.body.dataset.live === 'open'")
    refused.append(True)
    page.wait_for_selector("#stale", state="visible", timeout=15_000)
    missed = _report(world)
    world.app.state.live_stream_seconds = None
    refused.clear()
    page.wait_for_selector(f"#panel-incidents li:has-text('{missed}')", timeout=30_000)
    page.wait_for_selector("#stale", state="hidden")


def test_a_screen_whose_token_is_revoked_goes_to_sign_in_at_the_next_event(
    served: tuple[WebWorld, Browser],
) -> None:
    """Revoked while the page is open: the next tick's refresh is a 401 and the page signs in."""
    world, browser = served
    page = world.page(browser)
    world.sign_in(page, C)
    page.wait_for_function("document.body.dataset.live === 'open'")
    callers = world.api.context.callers
    callers.revoke(callers.authenticate(world.api.tokens[C]).token_id)
    time.sleep(1.2)  # past the token cache's second
    _report(world, L)
    page.wait_for_url(world.url + "/", timeout=15_000)
    page.wait_for_selector("#token")
