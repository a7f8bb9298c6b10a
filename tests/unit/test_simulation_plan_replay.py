"""Replaying a plan: trips start no earlier than planned, carry their loads, leftovers follow."""

from __future__ import annotations

import pytest

from corridor.domain.scenario import Group
from corridor.errors import InvalidInput
from corridor.planning.plan import Load, Plan, PlannedTrip, PlannedVehicle
from corridor.simulation.disruption import DisruptionModel, Handling, Scripted, TimelineEntry
from corridor.simulation.engine import simulate
from tests.support.simulation_world import one_road

NO_HANDLING = DisruptionModel(handling=Handling(0, 0, 0, 0))


def _trip(sequence: int, pickup: float, count: int) -> PlannedTrip:
    return PlannedTrip(
        vehicle="bus-1",
        sequence=sequence,
        movement="out",
        origin="town",
        destination="camp",
        loads=(Load(Group.CIVILIANS, count),),
        leave=pickup,
        pickup=pickup,
        depart=pickup,
        arrive=pickup + 30,
    )


def _plan(*trips: PlannedTrip, scenario: str = "one-road") -> Plan:
    return Plan(
        scenario=scenario,
        vehicles=(PlannedVehicle("bus-1", "bus", "town"),),
        trips=trips,
        makespan=max(t.arrive for t in trips),
        lower_bound=0.0,
        person_hours_waiting=0.0,
        engine="hand",
    )


def test_a_planned_trip_waits_for_its_planned_pickup_minute() -> None:
    """The second trip is planned at minute 200, so the last person arrives at 230."""
    plan = _plan(_trip(0, 0.0, 10), _trip(1, 200.0, 10))
    metrics = simulate(one_road(people=20, seats=10), NO_HANDLING, plan=plan)
    assert metrics.cleared
    assert metrics.trips == 2
    assert metrics.clearance == pytest.approx(230.0)
    policy = simulate(one_road(people=20, seats=10), NO_HANDLING)
    assert policy.clearance == pytest.approx(90.0)


def test_people_the_plan_leaves_behind_are_moved_by_the_dispatch_policy() -> None:
    """A plan for 10 of 20 people: the vehicle then serves the rest on its own."""
    plan = _plan(_trip(0, 0.0, 10))
    metrics = simulate(one_road(people=20, seats=10), NO_HANDLING, plan=plan)
    assert metrics.cleared
    assert metrics.trips == 2


def test_a_planned_trip_carries_at_most_its_planned_load() -> None:
    """Loads of 5 in a 10-seat bus take four trips for 20 people."""
    plan = _plan(*(_trip(i, 60.0 * i, 5) for i in range(4)))
    metrics = simulate(one_road(people=20, seats=10), NO_HANDLING, plan=plan)
    assert metrics.trips == 4
    assert metrics.cleared


def test_a_halt_delays_a_planned_trip_beyond_its_plan() -> None:
    """Halting everything until minute 500 holds the trip planned for minute 0."""
    plan = _plan(_trip(0, 0.0, 10))
    model = DisruptionModel(
        handling=Handling(0, 0, 0, 0), timeline=(TimelineEntry(Scripted.HALT, 0.0, 500.0),)
    )
    metrics = simulate(one_road(people=10, seats=10), model, plan=plan)
    assert metrics.clearance == pytest.approx(530.0)


def test_a_plan_for_another_scenario_is_refused() -> None:
    """The plan names the scenario it was made for."""
    with pytest.raises(InvalidInput, match="plan is for scenario 'elsewhere'"):
        simulate(one_road(), plan=_plan(_trip(0, 0.0, 10), scenario="elsewhere"))
