"""Two `corridor serve` processes on one PostgreSQL database write headcounts at once.

Two clients, in two threads, send their trips' checkpoint counts at the same
time, each request to both servers at once with one Idempotency-Key (a
retry racing the first try). Both answers must be the same, and afterwards
the ledger must hold each count exactly once, and still verify.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from corridor.adapters.vault.store import SqlTokenStore
from corridor.bootstrap import open_store
from corridor.protection.keys import MasterKey, write_key
from corridor.services.access_tokens import issue_token

OPERATION = "east-aleppo-2016"
OP = f"/operations/{OPERATION}"
TRIPS = 12
SITES = ("ramouseh", "rashidin", "khan-al-asal")
# `corridor serve` itself, started through the API package so the process does
# not load the planner and simulator it does not need.
SERVE = [sys.executable, "-m", "corridor.entrypoints.api"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"server exited: {process.stderr.read() if process.stderr else ''!r}"
            )
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


@pytest.fixture
def servers(postgres_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two API processes on the same database."""
    key_file = tmp_path / "corridor.key"
    write_key(key_file, MasterKey.generate())
    open_store(postgres_url).close()
    processes: list[subprocess.Popen[bytes]] = []
    urls = []
    try:
        for _ in range(2):
            port = _free_port()
            command = [*SERVE, "--db", postgres_url, "--port", str(port)]
            command += ["--key-file", str(key_file)]
            processes.append(
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            _wait(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@pytest.mark.postgres
@pytest.mark.slow
def test_concurrent_headcounts_from_two_processes_are_kept_once_each(
    servers: list[str], postgres_url: str
) -> None:
    """Every count lands exactly once, retries included, and the ledger verifies."""
    tokens = SqlTokenStore(postgres_url)
    coordinator = issue_token(tokens, OPERATION, "coordinator", "cell")[0]
    monitor = issue_token(tokens, OPERATION, "monitor", "crossing")[0]
    tokens.close()
    as_c = {"Authorization": f"Bearer {coordinator}"}
    as_m = {"Authorization": f"Bearer {monitor}"}
    first, second = servers
    opened = httpx.post(f"{first}/operations", headers=as_c,
                        json={"id": OPERATION, "scenario": "east-aleppo-2016"})  # fmt: skip
    assert opened.status_code == 201, opened.text
    for number in range(TRIPS):
        trip = f"bus-{number}"
        body = {
            "trip": trip,
            "movement": "east-aleppo",
            "vehicle": f"bus-aleppo-depot-{number + 1}",
        }
        assert httpx.post(f"{first}{OP}/trips", headers=as_c, json=body).status_code == 201
        boarding = {"site": "east-aleppo", "counts": {"civilians": 50}}
        response = httpx.post(f"{second}{OP}/trips/{trip}/boarding", headers=as_m, json=boarding)
        assert response.status_code == 201, response.text

    def count(trips: range) -> list[int]:
        statuses = []
        with httpx.Client(timeout=60) as client, ThreadPoolExecutor(2) as twice:
            for position, site in enumerate(SITES):
                for number in trips:
                    trip = f"bus-{number}"
                    body = {"site": site, "counts": {"civilians": 50 - position}}
                    headers = as_m | {"Idempotency-Key": f"{trip}-{site}"}
                    path = f"{OP}/trips/{trip}/headcounts"
                    # The same request to both servers at once: a retry racing the first try.
                    sent = [
                        twice.submit(client.post, f"{url}{path}", headers=headers, json=body)
                        for url in servers
                    ]
                    replies = [future.result() for future in sent]
                    statuses += [r.status_code for r in replies]
                    assert replies[0].json() == replies[1].json()
        return statuses

    with ThreadPoolExecutor(2) as pool:
        halves = [range(0, TRIPS, 2), range(1, TRIPS, 2)]
        results = [s for part in pool.map(count, halves) for s in part]
    assert set(results) == {201}, Counter(results)

    store = open_store(postgres_url)
    try:
        counted = Counter(
            (e.data()["trip"], e.data()["site"])
            for e in store.read()
            if e.type == "headcount-recorded"
        )
        alerts = [e for e in store.read() if e.type == "protection-alert-raised"]
        assert store.verify().ok
    finally:
        store.close()
    assert counted == Counter({(f"bus-{n}", s): 1 for n in range(TRIPS) for s in SITES})
    assert len(alerts) == TRIPS * (len(SITES) - 1)
