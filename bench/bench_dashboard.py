"""The dashboard's first page in Chromium over a recorded East Aleppo operation.

One simulated run of the scenario under its deal is recorded into a fresh
SQLite ledger (`corridor simulate --runs 1 --ledger`), then served by one
server thread. Figure `first_page`: from navigation start to the page ready
(every panel drawn and the map's features on it), median and spread of 10
fresh pages in one signed-in browser (goal: under 1.0 s); `page_bytes`: the
HTML of the operation page; `html_received_s`: when
its HTML had arrived (median), the server's share.

Then `sse` (see `bench/dashboard_sse.py`): the same ledger served by a real
`corridor serve` process, 100 dashboards on its live stream, one incident a
second appended through the API; each event's delivery time to every
dashboard (median, p99; goal p99 under 500 ms), and the server process's
CPU per dashboard per minute; once for the ticks alone and once with every
dashboard refreshing on each tick as a page does (one request for every
panel and one for the map's features), with the time until that refresh
has answered (`refresh_ms`).

The browser asks for gzip, as browsers do; over loopback that costs the
server a little and saves nothing, so the first page here is if anything
slower than over a real link.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import sync_playwright

from bench.dashboard_sse import measure
from corridor.entrypoints.api.app import create_app
from corridor.entrypoints.api.context import open_context
from corridor.protection.access import AccessRole
from corridor.protection.keys import MasterKey
from corridor.services.access_tokens import issue_token
from corridor.services.views import summary_view

OPERATION = "east-aleppo-2016"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update"]  # fmt: skip


NAVIGATION = "performance.getEntriesByType('navigation')[0].responseEnd"


def _record(db: str) -> None:
    command = [sys.executable, "-m", "corridor.entrypoints.cli.main", "simulate", OPERATION]
    command += ["--runs", "1", "--workers", "1", "--ledger", db, "--operation", OPERATION]
    subprocess.run(command, check=True, capture_output=True)


def run(quick: bool) -> dict[str, Any]:
    pages = 3 if quick else 10
    clients, events, refresh_events = (10, 5, 5) if quick else (100, 30, 30)
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'corridor.db'}"
        _record(db)
        key = MasterKey.generate()
        context = open_context(db, key)
        summary = context.live.read(OPERATION, summary_view)
        token = issue_token(context.tokens, OPERATION, AccessRole.COORDINATOR, "bench")[0]
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        server = uvicorn.Server(uvicorn.Config(create_app(context), port=port, log_level="error"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        times: list[float] = []
        html: list[float] = []
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                context_b = browser.new_context(viewport={"width": 1366, "height": 768})
                page = context_b.new_page()
                page.goto(url + "/")
                page.fill("#token", token)
                page.click("button[type=submit]:not([name])  >> nth=-1")
                page.wait_for_selector("#map[data-drawn]")
                html_bytes = len(page.content().encode())
                page.close()
                for _ in range(pages):
                    page = context_b.new_page()
                    page.goto(f"{url}/ops/{OPERATION}", wait_until="commit")
                    page.wait_for_selector("#map[data-drawn]")
                    times.append(page.evaluate("performance.now()") / 1000)
                    html.append(page.evaluate(NAVIGATION) / 1000)
                    page.close()
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            context.close()
        sse = measure(db, key.to_text(), OPERATION, token, clients, events, refresh_events)
    return {
        "sse": sse,
        "goal_sse_p99_ms": 500,
        "trips": sum(summary["trips"].values()),
        "people_registered": summary["people"]["registered"],
        "first_page_s": {
            "median": round(statistics.median(times), 3),
            "min": round(min(times), 3),
            "max": round(max(times), 3),
            "pages": pages,
        },
        "html_received_s": round(statistics.median(html), 3),
        "page_bytes": html_bytes,
        "goal_first_page_s": 1.0,
        "load_average": round(os.getloadavg()[0], 2),
    }
