"""A monitor walks a convoy from boarding to arrival through the API, all trips at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"
CONVOY = f"{OP}/convoys/convoy-1"
IN_WINDOW = "2016-12-15T10:00:00+02:00"
WOUNDED = {"wounded-stretcher": 1, "wounded-seated": 2}
"""A full ambulance of the bundled fleet: one stretcher, two seats."""
VEHICLES = {
    "amb-1": "ambulance-aleppo-depot-1",
    "bus-1": "bus-aleppo-depot-1",
    "bus-2": "bus-aleppo-depot-2",
    "bus-9": "bus-aleppo-depot-9",
}
"""The fleet vehicle each trip of these tests runs on."""
LOADS = {
    "amb-1": WOUNDED,
    "bus-1": {"civilians": 40},
    "bus-2": {"civilians": 40, "fighters": 10},
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API on a fresh SQLite file with east-aleppo-2016 opened."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def _plan_and_board(world: ApiWorld, loads: dict[str, dict[str, int]]) -> None:
    for trip, people in loads.items():
        plan = {
            "trip": trip,
            "movement": "east-aleppo",
            "vehicle": VEHICLES[trip],
            "convoy": "convoy-1",
        }
        world.ok(world.post(C, f"{OP}/trips", plan))
        body = {"site": "east-aleppo", "counts": people}
        world.ok(world.post(M, f"{OP}/trips/{trip}/boarding", body))


def _count(world: ApiWorld, step: str, site: str, loads: dict[str, dict[str, int]]) -> Any:
    body = {"site": site, "counts": loads, "at": IN_WINDOW}
    return world.ok(world.post(M, f"{CONVOY}/{step}", body))


def _stages(world: ApiWorld) -> dict[str, str]:
    return {t["trip"]: t["stage"] for t in world.ok(world.get(L, CONVOY))["trips"]}


def test_a_monitor_walks_a_convoy_from_boarding_to_arrival(world: ApiWorld) -> None:
    """Plan, board, depart, a drop at the checkpoint, close refused, transfer, arrive, close."""
    _plan_and_board(world, LOADS)
    assert world.ok(world.get(L, CONVOY))["stage"] == "boarding"

    departed = world.ok(world.post(M, f"{CONVOY}/depart", {"site": "east-aleppo", "at": IN_WINDOW}))
    assert departed["ok"], departed["decisions"]
    assert [d["request"]["vehicle"] for d in departed["decisions"]] == [
        VEHICLES[t] for t in ("amb-1", "bus-1", "bus-2")
    ]
    assert [e["data"]["trip"] for e in departed["events"] if e["type"] == "trip-departed"] == [
        "amb-1", "bus-1", "bus-2"
    ]  # fmt: skip
    assert len({e["sequence"] for e in departed["events"]}) == len(departed["events"])
    assert departed["first_sequence"] + len(departed["events"]) - 1 == departed["last_sequence"]

    dropped = {**LOADS, "bus-2": {"civilians": 38, "fighters": 10}}
    counted = _count(world, "headcounts", "ramouseh", dropped)
    assert counted["ok"], counted["decisions"]
    raised = [e["data"] for e in counted["events"] if e["type"] == "protection-alert-raised"]
    assert [(a["trip"], a["group"], a["missing"]) for a in raised] == [("bus-2", "civilians", 2)]
    seen = world.ok(world.get(L, CONVOY))
    assert seen["stage"] == "at-checkpoint"
    assert [a["alert"] for a in seen["open_alerts"]] == [raised[0]["alert"]]

    refused = world.post(C, f"{CONVOY}/close")
    assert refused.status_code == 409, refused.text
    assert "trip bus-2 has unresolved protection alerts" in refused.json()["error"]

    transfer = {
        "outcome": "transfer",
        "explanation": "two hurt at the checkpoint moved to the ambulance",
        "transfer_trip": "amb-1",
    }
    world.ok(world.post(M, f"{OP}/alerts/{raised[0]['alert']}/resolve", transfer))
    ambulance = world.ok(world.get(L, f"{OP}/trips/amb-1"))
    assert ambulance["on_board"] == {**WOUNDED, "civilians": 2}
    assert world.ok(world.get(L, CONVOY))["open_alerts"] == []

    arrived = {**dropped, "amb-1": {**WOUNDED, "civilians": 2}}
    answer = _count(world, "arrival", "atareb", arrived)
    assert not [e for e in answer["events"] if e["type"] == "protection-alert-raised"]
    assert set(_stages(world).values()) == {"arrived"}

    world.ok(world.post(C, f"{CONVOY}/close"))
    assert world.ok(world.get(L, CONVOY))["stage"] == "closed"
    summary = world.ok(world.get(L, OP))
    assert summary["people"]["arrived"] == sum(sum(p.values()) for p in LOADS.values())
    assert summary["balanced"] is True
    convoys = world.ok(world.get(L, f"{OP}/convoys"))
    assert convoys == [
        {
            "convoy": "convoy-1",
            "trips": ["amb-1", "bus-1", "bus-2"],
            "stages": ["closed"],
            "stage": "closed",
        }
    ]


def test_a_convoy_the_deal_blocks_stays_and_the_blocking_decision_is_recorded(
    world: ApiWorld,
) -> None:
    """Buses before the wounded: blocked, recorded with its clause; no trip departs."""
    _plan_and_board(world, {"bus-1": {"civilians": 40}, "bus-2": {"civilians": 40}})
    head = world.context.ledger.head().sequence
    answer = world.refused(
        world.post(M, f"{CONVOY}/depart", {"site": "east-aleppo", "at": IN_WINDOW})
    )
    assert {e["type"] for e in answer["events"]} == {"decision-recorded"}
    assert all(not d["decision"]["allowed"] for d in answer["decisions"])
    assert all(d["decision"]["terms"] for d in answer["decisions"])
    assert set(_stages(world).values()) == {"boarding"}
    recorded = world.ok(world.get(L, f"{OP}/decisions"))
    assert len(recorded) == len(answer["decisions"]) == world.context.ledger.head().sequence - head


def test_one_trip_refusing_refuses_the_convoy_and_appends_nothing(world: ApiWorld) -> None:
    """A trip not yet boarded: 409 naming it; no trip departs and the ledger is unchanged."""
    _plan_and_board(world, {"amb-1": WOUNDED})
    plan = {
        "trip": "bus-9",
        "movement": "east-aleppo",
        "vehicle": VEHICLES["bus-9"],
        "convoy": "convoy-1",
    }
    world.ok(world.post(C, f"{OP}/trips", plan))
    head = world.context.ledger.head().sequence
    refused = world.post(M, f"{CONVOY}/depart", {"site": "east-aleppo", "at": IN_WINDOW})
    assert refused.status_code == 409, refused.text
    assert "trip bus-9" in refused.json()["error"]
    assert world.context.ledger.head().sequence == head
    assert _stages(world) == {"amb-1": "boarding", "bus-9": "planned"}


@pytest.mark.parametrize(
    ("counts", "named"),
    [
        ({"amb-1": WOUNDED}, "bus-1"),
        ({**LOADS, "stranger": {"civilians": 1}}, "stranger"),
    ],
)
def test_a_convoy_count_must_name_exactly_its_trips(
    world: ApiWorld, counts: dict[str, dict[str, int]], named: str
) -> None:
    """A trip left out or one not in the convoy: 409 naming it, nothing counted."""
    _plan_and_board(world, LOADS)
    head = world.context.ledger.head().sequence
    response = world.post(M, f"{CONVOY}/headcounts", {"site": "east-aleppo", "counts": counts})
    assert response.status_code == 409, response.text
    assert named in response.json()["error"]
    assert world.context.ledger.head().sequence == head


def test_a_convoy_halts_and_turns_back_together(world: ApiWorld) -> None:
    """Halt on the road, then turn back and return: its people wait again."""
    _plan_and_board(world, LOADS)
    world.ok(world.post(C, f"{CONVOY}/depart", {"site": "east-aleppo", "at": IN_WINDOW}))
    stop = {"site": "ramouseh", "reason": "shots ahead"}
    world.ok(world.post(M, f"{CONVOY}/halt", stop))
    assert world.ok(world.get(L, CONVOY))["stage"] == "halted"
    world.ok(world.post(C, f"{CONVOY}/turn-back", {**stop, "reason": "corridor closed"}))
    assert set(_stages(world).values()) == {"turned-back"}
    _count(world, "arrival", "east-aleppo", LOADS)
    assert set(_stages(world).values()) == {"returned"}
    custody = world.ok(world.get(L, f"{OP}/custody"))
    assert custody["balanced"] is True
    assert sum(t["arrived"] for t in custody["tallies"]) == 0


def test_an_unknown_convoy_is_404_for_reads_and_actions(world: ApiWorld) -> None:
    """No trip in it: not found, in the one error shape."""
    for response in (
        world.get(L, f"{OP}/convoys/none"),
        world.post(C, f"{OP}/convoys/none/close"),
        world.post(
            M, f"{OP}/convoys/none/arrival", {"site": "s", "counts": {"t": {"civilians": 1}}}
        ),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["ok"] is False
