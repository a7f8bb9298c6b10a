"""A served dashboard over a real SQLite ledger, seeded with names and free text, for Chromium.

The East Aleppo operation is open as an exercise, with a person registered
by name, trips on the road, an incident whose note holds free text (and a
script tag), and a claim with a source: everything a liaison must never see.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from playwright.sync_api import Browser, Page, Route, sync_playwright

from corridor.entrypoints.api.app import create_app
from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world
from tests.support.browser import CHROMIUM_FLAGS

OP = f"/operations/{OPERATION}"
IN_WINDOW = "2016-12-15T10:00:00+02:00"
SEEDED_NAME = "Huda Saleh Barakat"
SEEDED_NOTE = "Sniper near the bakery seen by Ahmad Khalil"
INJECTED = "<script>window.__injected = 1</script><img src=x onerror='window.__injected=2'>"
SEEDED_SOURCE = "Phone call from Mahmoud al-Hassan, 15 Dec"
WOUNDED = {"wounded-stretcher": 1, "wounded-seated": 2}
C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON


@dataclass
class WebWorld:
    url: str
    api: ApiWorld
    incident: str
    outside: list[str] = field(default_factory=list)
    app: Any = None
    """The served application (its `state` holds settings a test may change)."""

    def page(self, browser: Browser, *, width: int = 1366, height: int = 768) -> Page:
        """A page whose requests beyond this server are refused and recorded."""
        page = browser.new_page(viewport={"width": width, "height": height})

        def gate(route: Route) -> None:
            if route.request.url.startswith((self.url, "data:", "blob:")):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()

        page.route("**/*", gate)
        return page

    def client(self, role: AccessRole) -> httpx.Client:
        """An HTTP client signed in as `role` through the sign-in form, CSRF token and all."""
        client = httpx.Client(base_url=self.url, timeout=10)
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
        assert csrf is not None
        client.post("/signin", data={"token": self.api.tokens[role], "csrf": csrf.group(1)})
        return client

    def to_arabic(self, page: Page) -> None:
        """Choose Arabic with the sign-in page's language switch, as a reader does."""
        page.goto(self.url + "/")
        page.select_option("#lang", "ar")
        page.click("form[action='/language'] button")
        page.wait_for_selector("html[lang='ar']")

    def sign_in(self, page: Page, role: AccessRole) -> None:
        page.goto(self.url + "/")
        page.fill("#token", self.api.tokens[role])
        page.click("button:has-text('Sign in'), button:has-text('تسجيل الدخول')")
        page.wait_for_url(f"{self.url}/ops/{OPERATION}")


def seed(world: ApiWorld) -> str:
    """Names, free text, two trips on the road, a claim and an incident; the incident id."""
    world.ok(world.post(AccessRole.RECEPTION, f"{OP}/people",
                        {"full_name": SEEDED_NAME, "movement": "east-aleppo"}))  # fmt: skip
    trips = [
        ("fk-1", "foua-kefraya", "foua", "bus-aleppo-depot-11", {"wounded-seated": 10}),
        ("amb-1", "east-aleppo", "east-aleppo", "ambulance-aleppo-depot-1", WOUNDED),
    ]
    for trip, movement, site, vehicle, people in trips:
        world.ok(world.post(C, f"{OP}/trips", {"trip": trip, "movement": movement,
                                                "vehicle": vehicle}))  # fmt: skip
        world.ok(world.post(M, f"{OP}/trips/{trip}/boarding", {"site": site, "counts": people}))
        world.ok(world.post(M, f"{OP}/trips/{trip}/depart", {"site": site, "at": IN_WINDOW}))
    claim = {"movement": "east-aleppo", "figure": "arrived", "value": 5000, "claimant": "party",
             "by": "turkey", "source": SEEDED_SOURCE, "stated_at": IN_WINDOW}  # fmt: skip
    world.ok(world.post(L, f"{OP}/claims", claim))
    body = {"kind": "shooting", "severity": 4, "corridor": "ramouseh", "site": "ramouseh",
            "at": IN_WINDOW, "note": f"{SEEDED_NOTE} {INJECTED}"}  # fmt: skip
    reported = world.ok(world.post(L, f"{OP}/incidents", body))
    incident: str = reported["events"][0]["data"]["incident"]
    return incident


@contextmanager
def web_world(db_url: str, tile_url: str | None = None) -> Iterator[WebWorld]:
    """The seeded operation, served by uvicorn in a thread on a free loopback port.

    `tile_url` is what `corridor serve --tile-url` would set (none: offline).
    """
    with api_world(db_url) as api:
        incident = seed(api)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        app = create_app(api.context)
        app.state.tile_url = tile_url
        config = uvicorn.Config(app, port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            yield WebWorld(f"http://127.0.0.1:{port}", api, incident, app=app)
        finally:
            server.should_exit = True
            thread.join(timeout=10)


@contextmanager
def web_browser(
    db_url: str, chromium: Path, tile_url: str | None = None
) -> Iterator[tuple[WebWorld, Browser]]:
    """The seeded, served dashboard and Debian's Chromium to open it with."""
    with web_world(db_url, tile_url) as world, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        try:
            yield world, browser
        finally:
            browser.close()
