"""The live operations API under load, through a real server process on loopback.

Figures:
- `reads`: operation summary and trip list requested at a fixed 200 requests/s
  (half each) by an open-loop generator in its own process (`bench/load.py`);
  p50/p99 latency in ms from each request's due time (goal: p99 at most 50 ms
  on SQLite) and the rate actually achieved;
- `headcount_writes_per_s` on SQLite and PostgreSQL (full durability: WAL with
  synchronous=FULL; PostgreSQL's default fsync), one client writing counts one
  after another, beside the ledger's raw single-command rate measured in the
  same run on the same database kind, and their ratio;
- `sse`: 50 subscribers on the event stream; for each event appended, the
  delay from the write's answer to each subscriber receiving it; p50/p99/max
  in ms and the share within 200 ms.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.serving import free_port, wait_until_healthy
from corridor.adapters.vault.store import SqlTokenStore
from corridor.bootstrap import open_store
from corridor.domain.events import NewEvent
from corridor.protection.keys import MasterKey, write_key
from corridor.services.access_tokens import issue_token

ROOT = Path(__file__).resolve().parents[1]
OPERATION = "east-aleppo-2016"
OP = f"/operations/{OPERATION}"
READ_RATE = 200
CHECKPOINTS = ("ramouseh", "rashidin", "khan-al-asal")
"""Sites of the Ramouseh corridor: counts are taken only on the movement's corridor."""
SUBSCRIBERS = 50


@contextmanager
def server(db_url: str, folder: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A `corridor serve` process on `db_url`, with the operation open; yields URL and tokens."""
    key_file = folder / f"key-{time.monotonic_ns()}"
    write_key(key_file, MasterKey.generate())
    open_store(db_url).close()
    tokens = SqlTokenStore(db_url)
    issued = {role: issue_token(tokens, OPERATION, role, "bench")[0]
              for role in ("coordinator", "monitor", "observer")}  # fmt: skip
    tokens.close()
    port = free_port()
    command = [sys.executable, "-m", "corridor.entrypoints.api", "--db", db_url,
               "--port", str(port), "--key-file", str(key_file)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        opened = httpx.post(f"{url}/operations", json={"id": OPERATION, "scenario": OPERATION},
                            headers=_auth(issued["coordinator"]), timeout=60)  # fmt: skip
        opened.raise_for_status()
        yield url, issued
    finally:
        process.terminate()
        process.wait(timeout=60)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _board(url: str, tokens: dict[str, str], trips: int) -> list[str]:
    names = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for number in range(trips):
            trip = f"bench-{number}"
            vehicle = f"bus-aleppo-depot-{number + 1}"  # the bundled fleet's 20 buses
            body = {"trip": trip, "movement": "east-aleppo", "vehicle": vehicle}
            client.post(f"{OP}/trips", json=body, headers=_auth(tokens["coordinator"]))
            boarding = {"site": "east-aleppo", "counts": {"civilians": 40}}
            reply = client.post(f"{OP}/trips/{trip}/boarding", json=boarding,
                                headers=_auth(tokens["monitor"]))  # fmt: skip
            reply.raise_for_status()
            names.append(trip)
    return names


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def _reads(url: str, token: str, seconds: float) -> dict[str, Any]:
    """Summary and trip list, half each, at READ_RATE from a generator in its own process."""
    command = [sys.executable, str(ROOT / "bench" / "load.py"), url, token,
               str(READ_RATE), str(seconds), OP, f"{OP}/trips"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise RuntimeError(f"the load generator failed: {done.stderr.strip()[-500:]}")
    figures: dict[str, Any] = json.loads(done.stdout)
    figures["generator"] = "bench/load.py (open loop, 32 keep-alive connections, own process)"
    return figures


def _writes(url: str, tokens: dict[str, str], trips: list[str], count: int) -> float:
    with httpx.Client(base_url=url, headers=_auth(tokens["monitor"]), timeout=60) as client:
        started = time.perf_counter()
        for number in range(count):
            trip = trips[number % len(trips)]
            body = {"site": CHECKPOINTS[number % 3], "counts": {"civilians": 40}}
            client.post(f"{OP}/trips/{trip}/headcounts", json=body).raise_for_status()
        return round(count / (time.perf_counter() - started), 1)


def _raw_ledger_rate(db_url: str, count: int) -> float:
    with open_store(db_url) as store:
        started = time.perf_counter()
        for number in range(count):
            store.append([NewEvent("bench/raw", "bench-event", {"n": number})])
        return round(count / (time.perf_counter() - started), 1)


async def _fan_out(url: str, tokens: dict[str, str], trip: str, events: int) -> dict[str, Any]:
    received: dict[int, list[float]] = {}
    ready = asyncio.Event()
    connected = 0
    limits = httpx.Limits(max_connections=SUBSCRIBERS + 8)
    async with httpx.AsyncClient(base_url=url, timeout=None, limits=limits) as client:
        head = int((await client.get("/health")).json()["sequence"])

        async def subscribe() -> None:
            nonlocal connected
            headers = _auth(tokens["observer"])
            async with client.stream("GET", f"{OP}/stream?after={head}", headers=headers) as reply:
                connected += 1
                if connected == SUBSCRIBERS:
                    ready.set()
                async for line in reply.aiter_lines():
                    if line.startswith("id:"):
                        received.setdefault(int(line[3:].strip()), []).append(time.perf_counter())

        listeners = [asyncio.create_task(subscribe()) for _ in range(SUBSCRIBERS)]
        await asyncio.wait_for(ready.wait(), 120)
        await asyncio.sleep(0.5)
        sent: dict[int, float] = {}
        for number in range(events):
            body = {"site": CHECKPOINTS[number % 3], "counts": {"civilians": 40}}
            reply = await client.post(f"{OP}/trips/{trip}/headcounts", json=body,
                                      headers=_auth(tokens["monitor"]))  # fmt: skip
            answered = time.perf_counter()
            for event in reply.json()["events"]:
                sent[int(event["sequence"])] = answered
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        for listener in listeners:
            listener.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
    delays = [max(0.0, (t - sent[s]) * 1000) for s in sent for t in received.get(s, [])]
    expected = len(sent) * SUBSCRIBERS
    return {
        "subscribers": SUBSCRIBERS,
        "events": len(sent),
        "deliveries": len(delays),
        "missing_deliveries": expected - len(delays),
        "p50_ms": _percentile(delays, 0.50) if delays else None,
        "p99_ms": _percentile(delays, 0.99) if delays else None,
        "max_ms": round(max(delays), 2) if delays else None,
        "within_200ms_share": round(sum(d <= 200 for d in delays) / expected, 4),
    }


def _store_figures(db_url: str, folder: Path, quick: bool, with_reads: bool) -> dict[str, Any]:
    writes, raw, read_seconds, sse_events = (60, 100, 5, 10) if quick else (600, 1000, 30, 50)
    figures: dict[str, Any] = {}
    with server(db_url, folder) as (url, tokens):
        trips = _board(url, tokens, 20)
        if with_reads:
            figures["reads"] = _reads(url, tokens["observer"], read_seconds)
        figures["headcount_writes_per_s"] = _writes(url, tokens, trips, writes)
        if with_reads:
            figures["sse"] = asyncio.run(_fan_out(url, tokens, trips[0], sse_events))
    figures["ledger_single_commands_per_s"] = _raw_ledger_rate(db_url, raw)
    figures["writes_share_of_ledger_rate"] = round(
        figures["headcount_writes_per_s"] / figures["ledger_single_commands_per_s"], 3
    )
    return figures


def run(quick: bool) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    foundation = ROOT / "bench" / "results" / ("ledger-quick.json" if quick else "ledger.json")
    if foundation.exists():
        recorded = json.loads(foundation.read_text())["figures"]
        figures["foundation_ledger_single_commands_per_s"] = {
            "sqlite": recorded.get("sqlite", {}).get("single_event_commands_per_s"),
            "postgresql": recorded.get("postgresql", {}).get("single_event_commands_per_s"),
        }
    with tempfile.TemporaryDirectory(prefix="corridor-bench-api-", dir=ROOT / "bench") as folder:
        base = Path(folder)
        figures["sqlite"] = _store_figures(f"sqlite:///{base / 'api.db'}", base, quick, True)
        try:
            sys.path.insert(0, str(ROOT))
            from tests.support.postgres import create_database, throwaway_cluster

            with throwaway_cluster() as cluster:
                url = create_database(cluster, "bench_api")
                figures["postgresql"] = _store_figures(url, base, quick, False)
        except (ImportError, FileNotFoundError) as missing:
            figures["postgresql"] = {"skipped": f"PostgreSQL not available: {missing}"}
    figures["cpus"] = os.cpu_count()
    figures["reads_p99_goal_ms"] = 50
    return figures
