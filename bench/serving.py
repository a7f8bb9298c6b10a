"""Waiting for a `corridor serve` a benchmark started, so each bench does it one way."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx


def wait_until_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    """Return once `url`/health answers 200; raise if the server died or `timeout` passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("corridor serve did not start") from None
            time.sleep(0.3)


def free_port() -> int:
    """A loopback port nobody listens on now, for a server a bench starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
