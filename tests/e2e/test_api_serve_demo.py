"""`corridor serve --demo` as a real process: opens the demo operation, prints a token."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from corridor.adapters.scenario_file import load_bundled

OPERATION = "east-aleppo-2016"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_server_opens_its_operation_and_prints_a_working_token(tmp_path: Path) -> None:
    """The printed coordinator token reads the demo operation's summary over HTTP."""
    port = _free_port()
    key_file = tmp_path / "corridor.key"
    command = [sys.executable, "-m", "corridor.entrypoints.api", "--demo", "--port", str(port)]
    command += ["--db", f"sqlite:///{tmp_path / 'live.db'}", "--key-file", str(key_file)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        token = process.stdout.readline().strip()
        assert token.startswith("crd_"), token
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                reply = httpx.get(f"{url}/operations/{OPERATION}",
                                  headers={"Authorization": f"Bearer {token}"})  # fmt: skip
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert reply.status_code == 200, reply.text
        summary = reply.json()
        bundled = load_bundled("east-aleppo-2016")
        everyone = sum(bundled.people(m.id) for m in bundled.movements)
        assert summary["people"]["registered"] == everyone
        assert key_file.stat().st_mode & 0o777 == 0o600
        # The demo replays December 2016 on an exercise clock, not the server's today.
        clock = httpx.get(f"{url}/operations/{OPERATION}/clock",
                          headers={"Authorization": f"Bearer {token}"}).json()  # fmt: skip
        assert (clock["mode"], clock["speed"]) == ("exercise", 60)
        assert clock["now"].startswith("2016-12-15"), clock
        # A simulated run plays in as the clock passes: trips board within a minute.
        auth = {"Authorization": f"Bearer {token}"}
        moving = time.monotonic() + 60
        trips: list[dict[str, object]] = []
        while not trips:
            assert time.monotonic() < moving, "no trip moved within a minute"
            time.sleep(1)
            trips = httpx.get(f"{url}/operations/{OPERATION}/trips", headers=auth).json()
        assert {t["vehicle"] for t in trips} <= set(bundled.vehicle_ids())
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "corridor"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _demo_once(tmp_path: Path) -> str:
    """Start the demo server, wait until it answers, stop it; the token it printed."""
    port = _free_port()
    command = [sys.executable, "-m", "corridor.entrypoints.api", "--demo", "--port", str(port)]
    command += ["--db", f"sqlite:///{tmp_path / 'live.db'}"]
    command += ["--key-file", str(tmp_path / "corridor.key")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        token = process.stdout.readline().strip()
        assert token.startswith("crd_"), process.stderr.read() if process.stderr else ""
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/openapi.json")
                return token
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_demo_restarts_leave_one_live_coordinator_token(tmp_path: Path) -> None:
    """A restarted demo revokes the token it printed before: one active demo token, not two."""
    from corridor.adapters.vault.store import SqlTokenStore
    from corridor.errors import Unauthorized
    from corridor.services.access_tokens import authenticate

    first = _demo_once(tmp_path)
    second = _demo_once(tmp_path)
    store = SqlTokenStore(f"sqlite:///{tmp_path / 'live.db'}", migrate=False)
    try:
        active = [t for t in store.list(OPERATION) if t.active]
        assert [(t.role.value, t.label) for t in active] == [("coordinator", "demo")]
        assert authenticate(store, second).token_id == active[0].id
        try:
            authenticate(store, first)
        except Unauthorized:
            pass
        else:
            raise AssertionError("the first demo token still works after a restart")
    finally:
        store.close()
