"""The dashboard's live stream through a real server: ticks on change, catch-up after a drop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from corridor.protection.access import AccessRole
from tests.support.web_world import OP, WebWorld, web_world

LIVE = "/ops/east-aleppo-2016/live"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[WebWorld]:
    with web_world(f"sqlite:///{tmp_path / 'corridor.db'}") as served:
        yield served


def _first_tick(client: httpx.Client, headers: dict[str, str]) -> tuple[str, str]:
    with client.stream("GET", LIVE, headers=headers) as reply:
        assert reply.status_code == 200
        event_id = ""
        for line in reply.iter_lines():
            if line.startswith("id:"):
                event_id = line[3:].strip()
            if line.startswith("data:"):
                return event_id, line[5:].strip()
    raise AssertionError("the stream ended without a tick")


def test_a_reconnecting_screen_that_missed_events_gets_a_tick_at_once(world: WebWorld) -> None:
    """Last-Event-ID behind the ledger: the first message names the current sequence."""
    client = world.client(AccessRole.OBSERVER)
    head = world.api.context.ledger.head().sequence
    event_id, data = _first_tick(client, {"Last-Event-ID": str(head - 3)})
    assert event_id == data == str(head)


def test_a_connected_screen_gets_a_tick_when_the_ledger_moves(world: WebWorld) -> None:
    """Up to date on connect: the next event brings a tick carrying only its sequence."""
    client = world.client(AccessRole.LIAISON)
    head = world.api.context.ledger.head().sequence
    body = {"kind": "shelling", "severity": 3, "corridor": "ramouseh", "site": "ramouseh",
            "note": "free text nobody else should read"}  # fmt: skip
    with client.stream("GET", LIVE) as reply:
        world.api.ok(world.api.post(AccessRole.COORDINATOR, f"{OP}/incidents", body))
        lines = []
        for line in reply.iter_lines():
            lines.append(line)
            if line.startswith("data:"):
                break
    assert lines[-1] == f"data: {head + 1}"
    assert not any("free text" in line for line in lines)


def test_a_screen_without_a_session_gets_no_stream(world: WebWorld) -> None:
    """No cookie: 204, which tells EventSource to stop retrying."""
    assert httpx.get(world.url + LIVE).status_code == 204
