"""Stage confirmations count arrivals once: capped by what the custody book knows arrived."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"
IN_WINDOW = "2016-12-15T10:00:00+02:00"
WOUNDED = {"wounded-stretcher": 1, "wounded-seated": 2}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """Foua/Kefraya's first ambulance dispatched (3 people), not yet arrived."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        plan = {"trip": "fk-1", "movement": "foua-kefraya", "vehicle": "ambulance-aleppo-depot-2"}
        opened.ok(opened.post(C, f"{OP}/trips", plan))
        opened.ok(opened.post(M, f"{OP}/trips/fk-1/boarding", {"site": "foua", "counts": WOUNDED}))
        opened.ok(opened.post(M, f"{OP}/trips/fk-1/depart", {"site": "foua", "at": IN_WINDOW}))
        yield opened


def _confirm(world: ApiWorld, people: int) -> Any:
    body = {"movement": "foua-kefraya", "organisation": "icrc", "people": people,
            "at": IN_WINDOW}  # fmt: skip
    return world.post(M, f"{OP}/stages", body)


def _confirmed(world: ApiWorld) -> list[int]:
    decided = world.ok(world.get(M, f"{OP}/decisions"))
    return [d["request"]["people"] for d in decided if d["request"]["kind"] == "confirm-stage"]


def test_people_dispatched_but_not_arrived_cannot_be_confirmed(world: ApiWorld) -> None:
    """Three dispatched, none arrived: confirming them is a 422 naming people, nothing appended."""
    head = world.context.ledger.head().sequence
    refused = _confirm(world, 3)
    assert refused.status_code == 422, refused.text
    assert (refused.json()["field"], refused.json()["value"]) == ("people", "3")
    assert world.context.ledger.head().sequence == head


def test_confirmations_are_capped_by_the_arrivals_recorded(world: ApiWorld) -> None:
    """After the 3 arrive: 2 then 1 are confirmed; one more is refused with 1..0 room left."""
    arrival = {"site": "jibreen", "counts": WOUNDED, "at": IN_WINDOW}
    world.ok(world.post(M, f"{OP}/trips/fk-1/arrival", arrival))
    assert _confirm(world, 2).status_code == 200
    over = _confirm(world, 2)
    assert (over.status_code, over.json()["allowed"]) == (422, "1..1")
    assert _confirmed(world) == [2]


def test_the_same_confirmation_twice_is_recorded_once(world: ApiWorld) -> None:
    """An identical second confirmation (same time, people, stage) is a 409; the figure stays."""
    arrival = {"site": "jibreen", "counts": WOUNDED, "at": IN_WINDOW}
    world.ok(world.post(M, f"{OP}/trips/fk-1/arrival", arrival))
    assert _confirm(world, 1).status_code == 200
    head = world.context.ledger.head().sequence
    again = _confirm(world, 1)
    assert again.status_code == 409, again.text
    assert "recorded already" in again.json()["error"]
    assert world.context.ledger.head().sequence == head
    assert _confirmed(world) == [1]
