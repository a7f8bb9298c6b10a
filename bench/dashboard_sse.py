"""100 dashboards on the live stream of a real `corridor serve`: delivery time and server CPU.

The server is the `corridor serve` command in its own process, over the
recorded operation. One signed-in session cookie is shared by every client
(each opens its own connection, as a browser tab does). The clients are
asyncio httpx streams in this process; the server's CPU is read from
/proc through psutil for its process alone, so the clients' own work is not
counted (the clients' own share is reported beside it: on two shared cores
a saturated load generator, not the server, can set the delivery time).
Events are incidents reported through the API, one a second; an
event's delivery time runs from just before its POST is sent to when a
client reads the tick naming its sequence (so it includes the write).

With `refresh`, each client then does what an operation page does on a
tick: one request for the panels that changed (`/ops/OP/panels`, naming
the versions it holds, decision 0027) and one for the map's features
(`map.json`, which the page fetches again half a second after a tick;
here at once, so the figure is the server's, not that pause).
`refresh_ms` runs from the POST to when both have answered: what a person
sees, not only the tick. A client reads the next tick only after its
refresh, as htmx queues one; a tick names the newest sequence, so it
delivers every event up to it that the client had not seen.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil

from bench.serving import free_port
from corridor.entrypoints.web.refresh import HEADER

REFRESH = ("/ops/{operation}/panels", "/ops/{operation}/map.json")
"""What an operation page fetches on a tick: every panel at once, and the map's features."""
INCIDENT = {"kind": "shelling", "severity": 3, "corridor": "ramouseh", "site": "ramouseh"}


def start_server(db: str, key: str, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "corridor.entrypoints.cli.main", "serve", "--db", db]
    command += ["--port", str(port), "--key", key]
    env = {**os.environ, "CORRIDOR_VAULT_KEY": key}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("corridor serve did not start: " + server.stderr.read().decode()[-2000:])


def session_cookie(url: str, token: str) -> str:
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None
        client.post("/signin", data={"token": token, "csrf": csrf.group(1)})
        value = client.cookies.get("corridor_session")
        assert value, "sign-in gave no session cookie"
        return value


@dataclass
class Dashboards:
    url: str
    operation: str
    cookie: str
    refresh: bool
    ticks: list[list[tuple[int, float, float]]] = field(default_factory=list)
    """Per client: (sequence named, tick read, refresh answered) for every tick."""
    failed: int = 0
    connected: int = 0

    async def one(self, ready: asyncio.Event, stop: asyncio.Event, count: int) -> None:
        cookies = {"corridor_session": self.cookie}
        limits = httpx.Limits(max_connections=4)
        async with (
            httpx.AsyncClient(
                base_url=self.url, cookies=cookies, timeout=60, limits=limits
            ) as client,
            client.stream("GET", f"/ops/{self.operation}/live") as reply,
        ):
            mine: list[tuple[int, float, float]] = []
            held: dict[str, str] = {}  # the panel versions this screen holds, as a page sends
            self.ticks.append(mine)
            self.connected += 1
            if self.connected == count:
                ready.set()
            async for line in reply.aiter_lines():
                if stop.is_set():
                    return
                if not line.startswith("data:"):
                    continue
                sequence = int(line[5:].strip())
                got = time.perf_counter()
                if self.refresh:
                    answers = await asyncio.gather(
                        *(
                            client.get(path.format(operation=self.operation), headers=held)
                            for path in REFRESH
                        )
                    )
                    self.failed += sum(1 for a in answers if a.status_code != 200)
                    held = {HEADER: answers[0].headers.get(HEADER, "")}
                mine.append((sequence, got, time.perf_counter()))


async def _measure(
    url: str, operation: str, cookie: str, token: str, clients: int, events: int, refresh: bool,
    server: psutil.Process,
) -> dict[str, Any]:  # fmt: skip
    board = Dashboards(url, operation, cookie, refresh)
    ready, stop = asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(board.one(ready, stop, clients)) for _ in range(clients)]
    await asyncio.wait_for(ready.wait(), 120)
    await asyncio.sleep(2)
    sent: dict[int, float] = {}
    headers = {"Authorization": f"Bearer {token}"}
    cpu_before = server.cpu_times()
    own_before = time.process_time()
    wall_before = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=headers) as api:
        for _ in range(events):
            at = time.perf_counter()
            answer = await api.post(f"/operations/{operation}/incidents", json=INCIDENT)
            answer.raise_for_status()
            sent[int(answer.json()["last_sequence"])] = at
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - at)))
    await asyncio.sleep(3)
    cpu_after = server.cpu_times()
    own = time.process_time() - own_before
    wall = time.perf_counter() - wall_before
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    delays, refreshed = _delivered(sent, board.ticks)
    missed = clients * len(sent) - len(delays)
    cpu = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
    figures: dict[str, Any] = {
        "clients": clients,
        "events": len(sent),
        "deliveries": len(delays),
        "missed": missed,
        "delivery_ms": _spread(delays),
    }
    if refresh:
        figures["refresh_ms"] = _spread(refreshed)
        figures["refresh_requests_failed"] = board.failed
    return figures | {
        "server_cpu_s": round(cpu, 2),
        "wall_s": round(wall, 1),
        "server_cpu_share": round(cpu / wall, 3),
        "clients_cpu_share": round(own / wall, 3),
        "server_cpu_s_per_dashboard_per_minute": round(cpu / clients / (wall / 60), 4),
    }


def _delivered(
    sent: dict[int, float], ticks: list[list[tuple[int, float, float]]]
) -> tuple[list[float], list[float]]:
    """Each (event, client): ms from the POST to the first tick naming it or later, and to
    that tick's refresh answered; an event no tick of a client covers is missed."""
    delays: list[float] = []
    refreshed: list[float] = []
    for mine in ticks:
        for sequence, at in sent.items():
            covering = next((t for t in mine if t[0] >= sequence), None)
            if covering is not None and covering[1] >= at:
                delays.append((covering[1] - at) * 1000)
                refreshed.append((covering[2] - at) * 1000)
    return delays, refreshed


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {"median": float("nan"), "p99": float("nan"), "max": float("nan")}
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p99": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        "max": round(ordered[-1], 1),
    }


def idle_cpu(server: psutil.Process, seconds: float = 10.0) -> float:
    """The server's CPU share with nothing connected, read the same way."""
    before = server.cpu_times()
    time.sleep(seconds)
    after = server.cpu_times()
    return round(((after.user + after.system) - (before.user + before.system)) / seconds, 4)


def measure(db: str, key: str, operation: str, token: str, clients: int, events: int,
            refresh_events: int) -> dict[str, Any]:  # fmt: skip
    port = free_port()
    process = start_server(db, key, port)
    url = f"http://127.0.0.1:{port}"
    try:
        server = psutil.Process(process.pid)
        cookie = session_cookie(url, token)
        idle = idle_cpu(server)
        ticks = asyncio.run(_measure(url, operation, cookie, token, clients, events, False, server))
        refreshed = asyncio.run(
            _measure(url, operation, cookie, token, clients, refresh_events, True, server)
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"idle_server_cpu_share": idle, "ticks": ticks, "ticks_and_panel_refresh": refreshed}
