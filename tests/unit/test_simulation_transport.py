"""The transport model: occupancy above seats, private vehicles, staging, fleet over time, halts."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

import pytest

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.scenario import (
    Corridor,
    FleetUnit,
    Group,
    Link,
    Movement,
    Population,
    PrivateFlow,
    Scenario,
    Site,
    SiteKind,
    Spread,
    VehicleKind,
)
from corridor.services.simulated_runs import trip_lifecycle
from corridor.simulation.disruption import (
    DisruptionModel,
    HaltKind,
    Handling,
    Scripted,
    TimelineEntry,
)
from corridor.simulation.engine import simulate
from corridor.simulation.gate import OpenDeal
from corridor.simulation.trace import TraceEvent
from tests.support.simulation_world import one_road

NO_HANDLING = DisruptionModel(handling=Handling(0, 0, 0, 0))


def _trace(
    scenario: Scenario, model: DisruptionModel = NO_HANDLING, **kw: object
) -> list[TraceEvent]:
    events: list[TraceEvent] = []
    simulate(scenario, model, observer=events.append, **kw)  # type: ignore[arg-type]
    return events


def _of(events: list[TraceEvent], what: str) -> list[TraceEvent]:
    return [e for e in events if e.kind == what]


def _with_bus(scenario: Scenario, **changes: Any) -> Scenario:
    return replace(scenario, vehicle_kinds=(replace(scenario.vehicle_kinds[0], **changes),))


def staged(onward: int = 2, shuttles: int = 2) -> Scenario:
    """Town -> checkpoint -> staging ground -> camp; shuttles load in town, onward at staging."""
    return Scenario(
        id="staged",
        name="Staged",
        start="2016-12-15T05:00:00",
        timezone="Asia/Damascus",
        sites=(
            Site("town", "Town", (SiteKind.ENCLAVE, SiteKind.ASSEMBLY, SiteKind.DEPOT)),
            Site("cp", "Checkpoint", (SiteKind.CHECKPOINT,), service_rate_per_hour=60.0),
            Site("stage", "Staging", (SiteKind.STAGING, SiteKind.DEPOT)),
            Site("camp", "Camp", (SiteKind.SHELTER,)),
        ),
        links=(
            Link("t-cp", "town", "cp", 10.0),
            Link("cp-s", "cp", "stage", 10.0),
            Link("s-camp", "stage", "camp", 100.0),
        ),
        corridors=(Corridor("road", ("town", "cp", "stage", "camp")),),
        vehicle_kinds=(VehicleKind("bus", 10), VehicleKind("coach", 10)),
        fleet=(
            FleetUnit("bus", "town", shuttles, pickups=("town",)),
            FleetUnit("coach", "stage", onward, pickups=("stage",)),
        ),
        populations=(Population("out", "town", Group.CIVILIANS, 100),),
        movements=(
            Movement("out", "town", "road", ("camp",), (Group.CIVILIANS,), staging="stage"),
        ),
    )


class CountingDeal(OpenDeal):
    """The open deal, remembering every confirmed arrival it hears of."""

    def __init__(self) -> None:
        super().__init__()
        self.confirmed: list[tuple[str, int]] = []

    def arrived(self, movement: str, people: int, minute: float) -> None:
        self.confirmed.append((movement, people))


# -- loads above seats --------------------------------------------------------


def test_a_bus_with_standing_room_carries_its_drawn_occupancy_not_its_seats() -> None:
    """50 seats, 70 standing, occupancy fixed at 90: 180 people go in two trips of 90."""
    scenario = _with_bus(one_road(people=180, seats=50), standing=70, occupancy=Spread(90, 90, 90))
    events = _trace(scenario)
    assert [e.data["people"] for e in _of(events, "trip-dispatched")] == [90, 90]


def test_a_drawn_occupancy_stays_within_seats_plus_standing_and_its_spread() -> None:
    """Every trip carries between the spread's low and high, never above seats + standing."""
    scenario = _with_bus(
        one_road(people=3_000, seats=50, buses=3), standing=40, occupancy=Spread(45, 80, 120)
    )
    loads = [e.data["people"] for e in _of(_trace(scenario), "trip-dispatched")]
    full = loads[:-3]  # the last trips take whoever is left
    assert full
    assert all(45 <= n <= 90 for n in full)
    assert max(full) == 90  # draws above the door's 90 are cut to it


def test_without_an_occupancy_a_bus_loads_to_its_seats() -> None:
    """Standing room alone changes nothing in the simulator: it loads to seats."""
    scenario = _with_bus(one_road(people=100, seats=50), standing=70)
    assert [e.data["people"] for e in _of(_trace(scenario), "trip-dispatched")] == [50, 50]


# -- private vehicles ----------------------------------------------------------


def _with_cars(scenario: Scenario, vehicles: int, per_hour: float = 60.0) -> Scenario:
    car = VehicleKind("car", 4, standing=2, occupancy=Spread(5, 5, 5))
    flow = PrivateFlow("out", "town", "car", vehicles, per_hour, screening=Spread(2, 2, 2))
    return replace(
        scenario,
        vehicle_kinds=(*scenario.vehicle_kinds, car),
        private_flows=(flow,),
    )


def test_private_cars_leave_as_a_flow_each_with_its_occupancy() -> None:
    """Ten cars of five people each leave one by one, named after their flow."""
    scenario = _with_cars(one_road(people=200, seats=50, buses=0), vehicles=10)
    events = _trace(scenario)
    cars = _of(events, "trip-dispatched")
    assert [e.data["vehicle"] for e in cars] == [f"car-out-{n}" for n in range(1, 11)]
    assert all(e.data["people"] == 5 for e in cars)
    minutes = [e.minute for e in cars]
    assert minutes == sorted(minutes)
    assert minutes[-1] > minutes[0]
    assert sum(e.data["people"] for e in _of(events, "trip-arrived")) == 50


def test_private_cars_and_buses_together_move_everyone() -> None:
    """Cars take part of the people; the buses clear the rest and the run clears."""
    scenario = _with_cars(one_road(people=500, seats=50, buses=2), vehicles=20)
    metrics = simulate(scenario, NO_HANDLING)
    assert metrics.cleared
    assert metrics.moved == 500


def test_private_cars_are_screened_at_the_checkpoint_queue_for_their_own_time() -> None:
    """At a checkpoint, each car takes its own screening minutes in the shared queue."""
    base = staged(onward=0, shuttles=0)
    scenario = replace(
        _with_cars(base, vehicles=3, per_hour=6000.0),
        movements=(replace(base.movements[0], staging=None),),
    )
    arrived = [e.minute for e in _of(_trace(scenario), "trip-arrived")]
    # Reaching the checkpoint almost together, they leave its queue 2 minutes apart.
    gaps = [b - a for a, b in itertools.pairwise(arrived)]
    assert len(arrived) == 3
    assert all(g == pytest.approx(2.0) for g in gaps)
    assert arrived[0] == pytest.approx(10 + 2 + 10 + 100)


def test_private_cars_are_counted_in_custody_like_buses() -> None:
    """Each car's trip boards, departs, arrives and closes in the custody book."""
    scenario = _with_cars(one_road(people=20, seats=50, buses=0), vehicles=4)
    events = _trace(scenario)
    lifecycle = trip_lifecycle(scenario, events)
    kinds = [type(step).__name__ for _, steps in lifecycle for step in steps]
    trips = {e.data["vehicle"] for e in _of(events, "trip-dispatched")}
    assert {f"car-out-{n}" for n in range(1, 5)} <= trips
    assert kinds.count("TripClosed") == len(_of(events, "trip-dispatched"))


def test_a_dispatch_halt_keeps_private_cars_in_the_enclave() -> None:
    """No car leaves during a dispatch halt over the whole movement."""
    halt = TimelineEntry(Scripted.HALT, 0.0, 600.0, movement="out", halt=HaltKind.DISPATCH)
    scenario = _with_cars(one_road(people=100, seats=50, buses=0), vehicles=5)
    cars = _of(_trace(scenario, replace(NO_HANDLING, timeline=(halt,))), "trip-dispatched")
    assert len(cars) == 5
    assert min(e.minute for e in cars) >= 600.0


# -- staging ground and onward transport ----------------------------------------


def test_shuttles_turn_round_at_the_staging_ground_and_the_onward_fleet_delivers() -> None:
    """Buses go town -> staging only; coaches take everyone on to the camp."""
    scenario = staged()
    events = _trace(scenario)
    arrived = _of(events, "trip-arrived")
    by_bus = {e.data["destination"] for e in arrived if e.data["vehicle"].startswith("bus")}
    by_coach = {e.data["destination"] for e in arrived if e.data["vehicle"].startswith("coach")}
    assert by_bus == {"stage"}
    assert by_coach == {"camp"}
    picked = {
        e.data["pickup"] for e in _of(events, "trip-dispatched") if "coach" in e.data["vehicle"]
    }
    assert picked == {"stage"}
    metrics = simulate(scenario, NO_HANDLING)
    assert metrics.cleared
    assert metrics.moved == 100


def test_the_deal_hears_of_each_person_once_at_the_staging_ground() -> None:
    """Confirmed arrivals add up to the people, counted when they reach the staging ground."""
    deal = CountingDeal()
    simulate(staged(), NO_HANDLING, gate=deal)
    assert sum(n for _, n in deal.confirmed) == 100


def test_a_shuttle_near_the_enclave_moves_people_out_sooner_than_the_long_drive() -> None:
    """The same buses clear the enclave sooner when they turn round at the staging ground."""
    shuttle = staged(onward=4)
    direct = replace(
        shuttle,
        movements=(replace(shuttle.movements[0], staging=None),),
        fleet=(FleetUnit("bus", "town", 2),),
    )

    def out_of_town(scenario: Scenario) -> float:
        return max(
            e.minute for e in _of(_trace(scenario), "trip-dispatched") if e.data["pickup"] == "town"
        )

    assert out_of_town(shuttle) < out_of_town(direct)


def test_custody_follows_people_through_the_staging_ground() -> None:
    """The onward trips board at the staging ground the people the shuttles left there."""
    scenario = staged()
    lifecycle = trip_lifecycle(scenario, _trace(scenario))
    assert lifecycle  # every step was accepted by the custody book


# -- fleet over time and per side -------------------------------------------------


def test_vehicles_lost_at_a_minute_make_no_trip_after_it() -> None:
    """Two of three buses lost at minute 100 never leave loaded after it; the third clears."""
    base = one_road(people=600, seats=50, buses=1)
    scenario = replace(
        base,
        fleet=(
            FleetUnit("bus", "town", 1, ids=("kept",)),
            FleetUnit("bus", "town", 2, ids=("burned-1", "burned-2"), lost_minutes=100.0),
        ),
    )
    events = _trace(scenario)
    late = [
        e for e in _of(events, "trip-dispatched") if e.data["vehicle"] != "kept" and e.minute > 100
    ]
    assert not late
    assert {e.data["vehicle"] for e in _of(events, "vehicle-lost")} == {"burned-1", "burned-2"}
    assert simulate(scenario, NO_HANDLING).cleared


def test_vehicles_added_later_start_at_their_lead_time() -> None:
    """Buses added at minute 500 make their first trip from then on."""
    base = one_road(people=2_000, seats=50, buses=1)
    scenario = replace(
        base,
        fleet=(
            FleetUnit("bus", "town", 1),
            FleetUnit("bus", "town", 3, lead_minutes=500.0, ids=("x", "y", "z")),
        ),
    )
    first: dict[str, float] = {}
    for e in _of(_trace(scenario), "trip-dispatched"):
        first.setdefault(e.data["vehicle"], e.minute)
    assert min(first[v] for v in ("x", "y", "z")) >= 500.0


def test_a_vehicle_tied_to_a_movement_carries_only_that_movement() -> None:
    """A bus tied to movement b never carries movement a's people, and b clears."""
    base = one_road(people=100, seats=50, buses=1)
    scenario = replace(
        base,
        populations=(*base.populations, Population("other", "town", Group.CIVILIANS, 100)),
        movements=(
            *base.movements,
            Movement("other", "town", "road", ("camp",), (Group.CIVILIANS,)),
        ),
        fleet=(
            FleetUnit("bus", "town", 1, ids=("any",)),
            FleetUnit("bus", "town", 1, ids=("tied",), movements=("other",)),
        ),
    )
    tied = [e for e in _of(_trace(scenario), "trip-dispatched") if e.data["vehicle"] == "tied"]
    assert tied
    assert {e.data["movement"] for e in tied} == {"other"}


# -- halts of different kinds -----------------------------------------------------


def _halted_at_checkpoint(kind: HaltKind) -> list[TraceEvent]:
    """Shuttles leave town at 0; a halt from minute 5 to 200 over the movement."""
    scenario = replace(
        staged(onward=2, shuttles=2), populations=(Population("out", "town", Group.CIVILIANS, 20),)
    )
    halt = TimelineEntry(Scripted.HALT, 5.0, 200.0, movement="out", halt=kind)
    return _trace(scenario, replace(NO_HANDLING, timeline=(halt,)))


def test_a_stop_halt_holds_convoys_where_they_are() -> None:
    """Loaded buses on the road when a stop halt begins wait at the checkpoint until it ends."""
    crossed = [
        e.minute
        for e in _of(_halted_at_checkpoint(HaltKind.STOP), "trip-crossed")
        if e.data["site"] == "cp"
    ]
    assert crossed
    assert min(crossed) >= 200.0


def test_a_dispatch_halt_lets_convoys_on_the_road_go_on() -> None:
    """A dispatch halt stops departures only: buses already on the road cross at once."""
    events = _halted_at_checkpoint(HaltKind.DISPATCH)
    crossed = [e.minute for e in _of(events, "trip-crossed") if e.data["site"] == "cp"]
    assert crossed
    assert min(crossed) < 200.0
    left = [e.minute for e in _of(events, "trip-dispatched") if e.data["pickup"] == "town"]
    assert all(m < 5.0 or m >= 200.0 for m in left)


def _exchange_world() -> Scenario:
    """Two movements meeting at a shared crossing; b's people start far away."""
    return Scenario(
        id="exchange",
        name="Exchange",
        start="2016-12-15T05:00:00",
        timezone="Asia/Damascus",
        sites=(
            Site("a", "A", (SiteKind.ENCLAVE, SiteKind.DEPOT)),
            Site("b", "B", (SiteKind.ENCLAVE, SiteKind.DEPOT)),
            Site("x", "Crossing", (SiteKind.CROSSING,), service_rate_per_hour=600.0),
            Site("a-camp", "A camp", (SiteKind.SHELTER,)),
            Site("b-camp", "B camp", (SiteKind.SHELTER,)),
        ),
        links=(
            Link("a-x", "a", "x", 10.0),
            Link("b-x", "b", "x", 300.0),
            Link("x-ac", "x", "a-camp", 10.0),
            Link("x-bc", "x", "b-camp", 10.0),
        ),
        corridors=(Corridor("ra", ("a", "x", "a-camp")), Corridor("rb", ("b", "x", "b-camp"))),
        vehicle_kinds=(VehicleKind("bus", 10),),
        fleet=(FleetUnit("bus", "a", 1), FleetUnit("bus", "b", 1)),
        populations=(
            Population("ma", "a", Group.CIVILIANS, 10),
            Population("mb", "b", Group.CIVILIANS, 10),
        ),
        movements=(
            Movement("ma", "a", "ra", ("a-camp",), (Group.CIVILIANS,)),
            Movement("mb", "b", "rb", ("b-camp",), (Group.CIVILIANS,)),
        ),
    )


def test_an_exchange_holds_a_convoy_at_the_exchange_point_until_its_partner_arrives() -> None:
    """A's bus reaches the crossing at 10 but waits there for B's, which arrives at 300."""
    halt = TimelineEntry(
        Scripted.HALT, 0.0, 2_000.0, movement="ma", partner="mb", site="x", halt=HaltKind.EXCHANGE
    )
    events = _trace(_exchange_world(), replace(NO_HANDLING, timeline=(halt,)))
    crossed = {e.data["movement"]: e.minute for e in _of(events, "trip-crossed")}
    assert crossed["ma"] >= 300.0
    assert crossed["mb"] >= 300.0
    quiet = {e.data["movement"]: e.minute for e in _of(_trace(_exchange_world()), "trip-crossed")}
    assert quiet["ma"] < 20.0


def test_an_exchange_window_that_closes_releases_the_waiting_convoy() -> None:
    """When the exchange window ends before the partner comes, the waiting bus goes on."""
    halt = TimelineEntry(
        Scripted.HALT, 0.0, 100.0, movement="ma", partner="mb", site="x", halt=HaltKind.EXCHANGE
    )
    events = _trace(_exchange_world(), replace(NO_HANDLING, timeline=(halt,)))
    crossed = {e.data["movement"]: e.minute for e in _of(events, "trip-crossed")}
    assert 100.0 <= crossed["ma"] < 300.0


def test_the_bundled_east_aleppo_run_is_the_same_for_the_same_seeds() -> None:
    """With cars, shuttles, losses and drawn loads, a bundled run is a function of its seeds."""
    scenario = load_bundled("east-aleppo-2016")
    first = simulate(scenario, seeds=(3, 4, 5, 6))
    assert first == simulate(scenario, seeds=(3, 4, 5, 6))
    assert first != simulate(scenario, seeds=(4, 5, 6, 7))
    assert first.cleared
    assert first.moved == scenario.people()
