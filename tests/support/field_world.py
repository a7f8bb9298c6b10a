"""The field app served over a real SQLite ledger, with buses on the road, for Chromium.

The East Aleppo operation is open as an exercise whose clock reads 15 December
2016, 10:00 (Damascus) at the start, running at the wall's speed, so a device
dates its captures inside the deal's windows; five buses of the
Foua/Kefraya movement have boarded at Foua and departed, so they are due at
the Ramouseh checkpoint. The server runs in a thread on a fixed loopback
port and can be stopped and started again over the same ledger file and
vault key (`restart`), as a field server is restarted in the middle of a
sync: the new server has a fresh context, guard and live record.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from corridor.entrypoints.api.app import create_app
from corridor.entrypoints.api.context import ApiContext, open_context
from corridor.protection.access import AccessRole
from corridor.protection.keys import MasterKey
from corridor.services.access_tokens import issue_token
from tests.support.browser import CHROMIUM_FLAGS
from tests.support.web_world import IN_WINDOW

OPERATION = "east-aleppo-2016"
OP = f"/operations/{OPERATION}"
CHECKPOINT = "ramouseh"
BUSES = {f"fk-{i}": f"bus-aleppo-depot-{i}" for i in range(1, 6)}
ON_BOARD = {trip: {"wounded-seated": 30 + i} for i, trip in enumerate(BUSES, start=1)}
PHONE = {"width": 360, "height": 740}
C, M, R = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.RECEPTION


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class FieldWorld:
    db_url: str
    key: MasterKey
    port: int
    context: ApiContext
    tokens: dict[AccessRole, str]
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    outside: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        config = uvicorn.Config(create_app(self.context), port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.server.started, "the server did not start"

    def stop(self) -> None:
        assert self.server is not None
        assert self.thread is not None
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.context.close()

    def restart(self, down_seconds: float = 0.0) -> None:
        """Stop the server, wait, and serve the same ledger from a fresh context."""
        self.stop()
        time.sleep(down_seconds)
        self.context = open_context(self.db_url, self.key)
        self.start()

    def api(self, method: str, path: str, role: AccessRole, body: Any = None) -> Any:
        """A request to the served API as `role`, answered as JSON (asserting success)."""
        import httpx

        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        answer = httpx.request(method, self.url + path, json=body, headers=headers, timeout=30)
        assert answer.status_code < 300, answer.text
        return answer.json()

    def events(self, kind: str) -> list[dict[str, Any]]:
        """Every ledger event of `kind`, read from the store itself."""
        return [e.data() for e in self.context.ledger.read() if e.type == kind]

    def page(self, browser: Browser, lang: str = "en") -> tuple[BrowserContext, Page]:
        """A phone-sized page; requests beyond this server are refused and recorded."""
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        if lang != "en":
            context.add_cookies([{"name": "corridor_lang", "value": lang, "url": self.url}])

        def gate(route: Any) -> None:
            if route.request.url.startswith((self.url, "data:", "blob:")):
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()

        context.route("**/*", gate)
        return context, context.new_page()

    def sign_in(self, page: Page, role: AccessRole = M) -> None:
        """Sign in on /field and wait until the app has its reference data and its worker."""
        page.goto(self.url + "/field/")
        page.fill("#token", self.tokens[role])
        page.click("form[action='/field/signin'] button")
        page.wait_for_selector("#app[data-ready='yes']")
        page.wait_for_function("navigator.serviceWorker.controller !== null")


def seed(world: FieldWorld) -> None:
    """Five buses boarded at Foua and departed toward Ramouseh."""
    for trip, vehicle in BUSES.items():
        body = {"trip": trip, "movement": "foua-kefraya", "vehicle": vehicle}
        world.api("POST", f"{OP}/trips", C, body)
        board = {"site": "foua", "counts": ON_BOARD[trip]}
        world.api("POST", f"{OP}/trips/{trip}/boarding", M, board)
        world.api("POST", f"{OP}/trips/{trip}/depart", M, {"site": "foua", "at": IN_WINDOW})


@contextmanager
def field_world(tmp_path: Path) -> Iterator[FieldWorld]:
    """The operation opened and seeded, served on a loopback port; stopped at the end."""
    db_url = f"sqlite:///{tmp_path / 'corridor.db'}"
    key = MasterKey.generate()
    context = open_context(db_url, key)
    tokens = {
        role: issue_token(context.tokens, OPERATION, role, f"{role} desk")[0] for role in AccessRole
    }
    world = FieldWorld(db_url, key, _free_port(), context, tokens)
    world.start()
    try:
        opening = {"id": OPERATION, "scenario": "east-aleppo-2016", "clock": {"start": IN_WINDOW}}
        world.api("POST", "/operations", C, opening)
        seed(world)
        yield world
    finally:
        world.stop()


@contextmanager
def field_browser(tmp_path: Path, chromium: Path) -> Iterator[tuple[FieldWorld, Browser]]:
    """The seeded, served field app and Debian's Chromium to open it with."""
    with field_world(tmp_path) as world, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        try:
            yield world, browser
        finally:
            browser.close()
