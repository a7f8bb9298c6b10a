"""An open-loop HTTP load generator, run as its own process beside the server.

`python bench/load.py URL TOKEN RATE SECONDS PATH...` sends GET requests to
PATH (in turn) at a fixed arrival rate over a pool of keep-alive connections
on loopback, and prints one JSON line: requests, failures, achieved rate and
latency percentiles in ms. A request's latency runs from the moment it was due
to leave to its last byte, so a server that falls behind is charged for the
queue it builds (no coordinated omission). The client speaks just enough
HTTP/1.1 for this (Content-Length bodies), so its own cost stays far below the
server's; a bounded count and a time limit keep every run finite.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit

CONNECTIONS = 32
TIMEOUT_S = 30.0


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def load(url: str, token: str, rate: float, seconds: float, paths: list[str]) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
        ).encode()
        for path in paths
    ]
    idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(CONNECTIONS):
        idle.put_nowait(await asyncio.open_connection(host, port))
    latencies: list[float] = []
    failures = 0

    async def one(due: float, request: bytes) -> None:
        nonlocal failures
        connection = await idle.get()
        try:
            status = await asyncio.wait_for(_exchange(*connection, request), TIMEOUT_S)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            failures += 1
            connection[1].close()
            idle.put_nowait(await asyncio.open_connection(host, port))
            return
        latencies.append((time.perf_counter() - due) * 1000)
        if status != 200:
            failures += 1
        idle.put_nowait(connection)

    total = int(rate * seconds)
    begin = time.perf_counter()
    tasks = []
    for number in range(total):
        due = begin + number / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, requests[number % len(requests)])))
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + 2 * TIMEOUT_S)
    elapsed = time.perf_counter() - begin
    while not idle.empty():
        idle.get_nowait()[1].close()
    return {
        "target_per_s": rate,
        "achieved_per_s": round(len(latencies) / elapsed, 1),
        "requests": total,
        "failures": failures,
        "p50_ms": _percentile(latencies, 0.50),
        "p90_ms": _percentile(latencies, 0.90),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": round(max(latencies), 2) if latencies else None,
        "client_cpu_ms_per_request": round(1000 * time.process_time() / max(1, total), 3),
    }


def main(argv: list[str]) -> int:
    url, token, rate, seconds, *paths = argv
    result = asyncio.run(load(url, token, float(rate), float(seconds), paths))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
