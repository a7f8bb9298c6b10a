"""A retry after a lost answer gets the first answer, under the same Idempotency-Key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from corridor.adapters.vault.tables import api_responses
from corridor.protection.access import AccessRole
from corridor.services.protection_ports import PENDING
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"
INCIDENT = {"kind": "shooting", "severity": 3, "corridor": "ramouseh", "site": "rashidin"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API on a fresh SQLite file with east-aleppo-2016 opened."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def _answer_lost(world: ApiWorld, db: Path) -> None:
    """As if the server stopped after the ledger committed, before it kept the answer.

    The retry is decided again, and its append finds the key taken in the
    append's own transaction: the first command is its answer.
    """
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        connection.execute(api_responses.update().values(status=PENDING, body=_first_time(world)))
    engine.dispose()


def _first_time(world: ApiWorld) -> str:
    """The arrival time the guard kept for the only key taken."""
    responses = world.context.responses
    engine = responses._engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        return str(connection.execute(sa.select(api_responses.c.created_at)).scalar_one())


def _events_of(world: ApiWorld, kind: str) -> list[dict[str, Any]]:
    return [e.data() for e in world.context.ledger.read() if e.type == kind]


def test_an_incident_retried_after_a_lost_answer_is_recorded_once(
    world: ApiWorld, tmp_path: Path
) -> None:
    """An incident without `at`, answer lost, retried with its key: the first answer, one event."""
    first = world.post(L, f"{OP}/incidents", INCIDENT, key="incident-1")
    assert first.status_code == 201, first.text
    _answer_lost(world, tmp_path / "corridor.db")
    again = world.post(L, f"{OP}/incidents", INCIDENT, key="incident-1")
    assert again.status_code == 201, again.text
    assert again.json()["events"] == first.json()["events"]
    assert len(_events_of(world, "incident-reported")) == 1


def test_a_headcount_without_a_time_retried_after_a_lost_answer_is_recorded_once(
    world: ApiWorld, tmp_path: Path
) -> None:
    """A headcount stamped by the server, answer lost, retried: one headcount, the first time."""
    world.ok(world.post(C, f"{OP}/trips", {"trip": "bus-2", "movement": "east-aleppo",
                                           "vehicle": "bus-aleppo-depot-2"}))  # fmt: skip
    world.ok(world.post(M, f"{OP}/trips/bus-2/boarding",
                        {"site": "east-aleppo", "counts": {"civilians": 30}}))  # fmt: skip
    body = {"site": "ramouseh", "counts": {"civilians": 30}}
    first = world.post(M, f"{OP}/trips/bus-2/headcounts", body, key="count-1")
    assert first.status_code == 201, first.text
    _answer_lost(world, tmp_path / "corridor.db")
    again = world.post(M, f"{OP}/trips/bus-2/headcounts", body, key="count-1")
    assert again.status_code == 201, again.text
    assert again.json()["events"] == first.json()["events"]
    assert len(_events_of(world, "headcount-recorded")) == 1


def test_the_same_json_in_another_layout_is_the_same_request(world: ApiWorld) -> None:
    """Other whitespace and key order under the same key: the first answer, nothing appended."""
    headers = {**world.headers(L, "incident-2"), "Content-Type": "application/json"}
    first = world.client.post(f"{OP}/incidents", content=json.dumps(INCIDENT), headers=headers)
    assert first.status_code == 201, first.text
    head = world.context.ledger.head().sequence
    spread = json.dumps(dict(reversed(list(INCIDENT.items()))), indent=4)
    again = world.client.post(f"{OP}/incidents", content=spread, headers=headers)
    assert again.status_code == 201, again.text
    assert again.json() == first.json()
    assert world.context.ledger.head().sequence == head


def test_a_key_reused_for_another_incident_is_still_refused(world: ApiWorld) -> None:
    """The key binds the request as sent: another severity under it is a 422, nothing appended."""
    world.ok(world.post(L, f"{OP}/incidents", INCIDENT, key="incident-3"))
    head = world.context.ledger.head().sequence
    other = world.post(L, f"{OP}/incidents", {**INCIDENT, "severity": 5}, key="incident-3")
    assert other.status_code == 422
    assert world.context.ledger.head().sequence == head
