"""Faults under HTTP load: SIGKILL a real `corridor serve`, crash its PostgreSQL server.

A campaign runs WRITERS client threads against `corridor serve` (its own
process, as `bench_api` starts it). Each writer reports incidents one after
another, each with its own `Idempotency-Key` and its own time (`at`, which
names the request in the ledger), and does what a field client does: on a
broken connection, a refused connection or a 503 it sends the same request
again under the same key (after `Retry-After`, capped at RETRY_CAP seconds
so a campaign stays short) until it is answered 201. Any other answer is
counted as a failure and the writer moves on.

Two faults:
- `serve_kills`: the server process is killed with SIGKILL at a seeded
  random moment under load, the ledger is verified on a fresh connection
  while it is down, and the server is started again on the same ledger;
- `postgres_crashes`: on PostgreSQL, the database server itself is crashed
  (SIGKILL of the postmaster and every backend, as a power cut leaves it) and
  started again after a seeded outage while `corridor serve` stays up; the
  ledger is verified once the server has recovered.

At the end, with the server up, every writer finishes its request in flight;
then the ledger is read on a fresh connection and counted: `acknowledged`
(201 answers), `lost` (acknowledged, not in the ledger), `duplicated`
(requests whose time is recorded more than once), `verify_failures`, the
503s (and whether each carried `Retry-After`), broken connections, and any
other status (goal: none).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.serving import free_port
from corridor.adapters.vault.store import SqlTokenStore
from corridor.bootstrap import open_store
from corridor.protection.keys import MasterKey, write_key
from corridor.services.access_tokens import issue_token

OPERATION = "east-aleppo-2016"
INCIDENTS = f"/operations/{OPERATION}/incidents"
WRITERS = 4
RETRY_CAP = 0.25
"""Longest wait between retries (the server asks for 2 s; the campaign would idle)."""
FIRST_TIME = datetime(2016, 12, 15, 6, tzinfo=UTC)
START_TIMEOUT = 180.0


class Served:
    """`corridor serve` on one ledger, started again on the same port after each kill."""

    def __init__(self, db_url: str, folder: Path) -> None:
        self.db_url = db_url
        self.key_file = folder / f"key-{time.monotonic_ns()}"
        write_key(self.key_file, MasterKey.generate())
        open_store(db_url).close()
        tokens = SqlTokenStore(db_url)
        self.tokens = {role: issue_token(tokens, OPERATION, role, "faults")[0]
                       for role in ("coordinator", "monitor")}  # fmt: skip
        tokens.close()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds: list[float] = []

    def start(self) -> None:
        command = [sys.executable, "-m", "corridor.entrypoints.api", "--db", self.db_url,
                   "--port", str(self.port), "--key-file", str(self.key_file)]  # fmt: skip
        started = time.perf_counter()
        # A deployed server starts from compiled bytecode; without it every
        # restart would spend most of its start compiling the sources again.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("corridor serve did not start")
            time.sleep(0.1)
        self.start_seconds.append(time.perf_counter() - started)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def open_operation(self) -> None:
        headers = {"Authorization": f"Bearer {self.tokens['coordinator']}"}
        body = {"id": OPERATION, "scenario": OPERATION}
        httpx.post(f"{self.url}/operations", json=body, headers=headers, timeout=120)


class Writer(threading.Thread):
    """One field client: incidents one after another, each retried under its key until 201."""

    def __init__(self, index: int, served: Served, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.index = index
        self.served = served
        self.stop = stop
        self.acknowledged: list[str] = []
        self.statuses: Counter[str] = Counter()
        self.retry_after_missing = 0

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.served.tokens['monitor']}"}
        with httpx.Client(base_url=self.served.url, headers=headers, timeout=30) as client:
            n = 0
            while not self.stop.is_set():
                self._send(client, n)
                n += 1

    def _send(self, client: httpx.Client, n: int) -> None:
        at = (FIRST_TIME + timedelta(seconds=self.index * 1_000_000 + n)).isoformat()
        body = {"kind": "shooting", "severity": 2, "corridor": "ramouseh",
                "site": "rashidin", "at": at.replace("+00:00", "Z")}  # fmt: skip
        key = {"Idempotency-Key": f"faults-{self.index}-{n}"}
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                reply = client.post(INCIDENTS, json=body, headers=key)
            except httpx.TransportError:
                self.statuses["connection broken or refused"] += 1
                time.sleep(0.05)
                continue
            if reply.status_code == 201:
                self.acknowledged.append(at)
                return
            self.statuses[str(reply.status_code)] += 1
            if reply.status_code != 503:
                return  # a failure: counted, not retried
            wait = reply.headers.get("Retry-After")
            if wait is None:
                self.retry_after_missing += 1
            time.sleep(min(RETRY_CAP, float(wait or RETRY_CAP)))
        self.statuses["gave up after 180 s"] += 1


def _verified(db_url: str) -> bool:
    with open_store(db_url) as store:
        return store.verify().ok


def under_load(
    served: Served, faults: int, fault: Callable[[random.Random], bool], rng: random.Random
) -> dict[str, Any]:
    """`faults` faults while WRITERS clients write; the campaign's counts."""
    stop = threading.Event()
    writers = [Writer(i, served, stop) for i in range(WRITERS)]
    for writer in writers:
        writer.start()
    verify_failures = 0
    started = time.perf_counter()
    for _ in range(faults):
        time.sleep(rng.uniform(0.3, 1.5))
        if not fault(rng):
            verify_failures += 1
    time.sleep(0.5)
    stop.set()
    for writer in writers:
        writer.join(START_TIMEOUT + 30)
    seconds = time.perf_counter() - started
    with open_store(served.db_url) as store:
        recorded = Counter(e.data()["at"] for e in store.read() if e.type == "incident-reported")
        if not store.verify().ok:
            verify_failures += 1
    acknowledged = [at for w in writers for at in w.acknowledged]
    statuses: Counter[str] = Counter()
    for writer in writers:
        statuses.update(writer.statuses)
    written = {datetime.fromisoformat(at).isoformat() for at in acknowledged}
    kept = {datetime.fromisoformat(at).isoformat() for at in recorded}
    return {
        "faults": faults,
        "writers": WRITERS,
        "seconds": round(seconds, 1),
        "acknowledged": len(acknowledged),
        "lost": len(written - kept),
        "duplicated": sum(1 for count in recorded.values() if count > 1),
        "recorded_never_acknowledged": len(kept - written),
        "verify_failures": verify_failures,
        "answers_503": statuses.pop("503", 0),
        "503_without_retry_after": sum(w.retry_after_missing for w in writers),
        "connections_broken_or_refused": statuses.pop("connection broken or refused", 0),
        "other_failures": dict(statuses),
    }


def serve_kills(db_url: str, folder: Path, kills: int, rng: random.Random) -> dict[str, Any]:
    """SIGKILL `corridor serve` `kills` times under load; verify while down; start again."""
    served = Served(db_url, folder)
    served.start()
    served.open_operation()

    def kill(rng: random.Random) -> bool:
        served.kill()
        sound = _verified(db_url)
        served.start()
        return sound

    try:
        figures = under_load(served, kills, kill, rng)
    finally:
        served.stop()
    figures["server_start_seconds_median"] = round(sorted(served.start_seconds)[
        len(served.start_seconds) // 2], 2)  # fmt: skip
    return figures


def postgres_crashes(
    cluster: Any, db_url: str, folder: Path, crashes: int, rng: random.Random
) -> dict[str, Any]:
    """Crash the PostgreSQL server `crashes` times under load; `corridor serve` stays up."""
    served = Served(db_url, folder)
    served.start()
    served.open_operation()
    outages: list[float] = []

    def crash(rng: random.Random) -> bool:
        cluster.crash()
        down = rng.uniform(0.5, 2.0)
        time.sleep(down)
        began = time.perf_counter()
        cluster.start()
        outages.append(down + time.perf_counter() - began)
        return _verified(db_url)

    try:
        figures = under_load(served, crashes, crash, rng)
    finally:
        served.stop()
    figures["outage_seconds_median"] = round(sorted(outages)[len(outages) // 2], 2)
    return figures
