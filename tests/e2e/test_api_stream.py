"""The Server-Sent Events stream, through a real server on loopback."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from corridor.entrypoints.api.app import create_app
from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

OP = f"/operations/{OPERATION}"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, ApiWorld]]:
    """A uvicorn server in a thread, over the same context as the test client."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as world:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        config = uvicorn.Config(create_app(world.context), port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", world
        server.should_exit = True
        thread.join(timeout=10)


def test_a_subscriber_receives_new_events_with_ids_and_no_personal_data(
    served: tuple[str, ApiWorld],
) -> None:
    """An observer's stream gets the backlog, then a new trip event; no name ever shows."""
    url, world = served
    world.ok(world.post(AccessRole.RECEPTION, f"{OP}/people", {"full_name": "Huda Saleh Barakat"}))
    received: list[dict[str, object]] = []
    done = threading.Event()

    def listen() -> None:
        headers = world.headers(AccessRole.OBSERVER)
        with httpx.stream("GET", f"{url}{OP}/stream", headers=headers, timeout=30) as reply:
            assert reply.status_code == 200
            for line in reply.iter_lines():
                if line.startswith("data:"):
                    received.append(json.loads(line[5:]))
                    if received[-1]["type"] == "trip-planned":
                        done.set()
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(0.5)
    body = {"trip": "bus-9", "movement": "east-aleppo", "vehicle": "bus-aleppo-depot-9"}
    world.ok(world.post(AccessRole.COORDINATOR, f"{OP}/trips", body))
    assert done.wait(20), [e["type"] for e in received]
    types = [e["type"] for e in received]
    assert types[0] == "operation-opened"
    assert "person-registered" in types
    sequences = [e["sequence"] for e in received]
    assert sequences == sorted(sequences)
    assert "Huda" not in json.dumps(received)


def test_a_stream_for_an_unknown_operation_is_refused(served: tuple[str, ApiWorld]) -> None:
    """Streaming another operation is forbidden; the answer is the one error shape."""
    url, world = served
    reply = httpx.get(f"{url}/operations/other/stream", headers=world.headers(AccessRole.OBSERVER))
    assert reply.status_code == 403
    assert reply.json()["ok"] is False
