"""The plan value: derived figures and a JSON round trip the simulator can rely on."""

from __future__ import annotations

import json

from corridor.domain.scenario import Group
from corridor.planning.plan import (
    Bound,
    Crossing,
    Load,
    Plan,
    PlannedTrip,
    PlannedVehicle,
    makespan_of,
    person_hours_waiting,
)


def _trip(vehicle: str, sequence: int, depart: float, arrive: float, people: int) -> PlannedTrip:
    return PlannedTrip(
        vehicle=vehicle,
        sequence=sequence,
        movement="m",
        origin="o",
        destination="d",
        loads=(Load(Group.CIVILIANS, people - 1), Load(Group.WOUNDED_SEATED, 1)),
        leave=depart - 20,
        pickup=depart - 5,
        depart=depart,
        arrive=arrive,
        route=("o", "cp", "d"),
        crossings=(Crossing("cp", depart + 10),),
    )


def _plan() -> Plan:
    trips = (_trip("bus-1", 0, 30, 90, 40), _trip("bus-1", 1, 150, 210, 10))
    return Plan(
        scenario="s",
        vehicles=(PlannedVehicle("bus-1", "bus", "depot", 0.0),),
        trips=trips,
        makespan=makespan_of(trips),
        lower_bound=180.0,
        person_hours_waiting=person_hours_waiting(trips),
        engine="test",
        bounds=(Bound("fleet", 180.0, "round trips"),),
        seed=3,
    )


def test_figures_are_read_off_the_trips() -> None:
    """Makespan is the last arrival; waiting counts people until their vehicle departs."""
    plan = _plan()
    assert plan.makespan == 210
    assert plan.person_hours_waiting == (40 * 30 + 10 * 150) / 60
    assert plan.gap == (210 - 180) / 210
    assert plan.people_moved() == 50
    assert plan.people_moved(group=Group.WOUNDED_SEATED) == 2
    assert plan.arrivals() == ((90, 40), (210, 50))


def test_a_plan_survives_a_json_round_trip() -> None:
    """from_dict(to_dict(plan)) gives back an equal plan through real JSON text."""
    plan = _plan()
    assert Plan.from_dict(json.loads(json.dumps(plan.to_dict()))) == plan
