"""Engines and bounds agree with each other and with hand-checked small cases."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.planning.bep.bounds import lower_bounds, single_trip_bound
from corridor.planning.bep.exact import solve_exact
from corridor.planning.bep.heuristic import construct, improve
from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.plan import BepPlan, BepTrip, Engine
from corridor.planning.bep.solver import lift, solve_bep
from corridor.planning.bep.timed import solve_timed

WORKED = BepInstance("worked", 1, (2,), (3, 5), (8, 1), ((4, 7),), ((6, 4), (6, 7)))


def random_instance(seed: int, depots: int = 1, buses: int = 2, seats: int = 1) -> BepInstance:
    """A small random instance with non-metric integer distances 1..10."""
    rng = random.Random(seed)
    pickups, shelters = rng.randint(1, 3), rng.randint(1, 3)
    demand = tuple(rng.randint(0, 4) for _ in range(pickups))
    capacity = [rng.randint(0, 4) for _ in range(shelters)]
    capacity[0] += max(0, sum(demand) - sum(capacity))
    fleet = tuple(buses if d == 0 else rng.randint(0, 2) for d in range(depots))
    return BepInstance(
        name=f"r{seed}",
        seats=seats,
        buses_at_depot=fleet,
        demand=demand,
        capacity=tuple(capacity),
        depot_to_pickup=tuple(
            tuple(rng.randint(1, 10) for _ in range(pickups)) for _ in range(depots)
        ),
        pickup_to_shelter=tuple(
            tuple(rng.randint(1, 10) for _ in range(shelters)) for _ in range(pickups)
        ),
    )


def assert_valid(instance: BepInstance, plan: BepPlan) -> None:
    """Every person moved, seats and shelter capacities respected."""
    moved = [0] * instance.pickups
    received = [0] * instance.shelters
    assert len(plan.routes) == instance.buses
    for route in plan.routes:
        for trip in route:
            assert 0 <= trip.load <= instance.seats
            moved[trip.pickup] += trip.load
            received[trip.shelter] += trip.load
    assert moved == list(instance.demand)
    assert all(r <= c for r, c in zip(received, instance.capacity, strict=True))


def test_the_worked_example_is_solved_to_its_published_optimum() -> None:
    """The README's worked check: optimum 46, and the bound proves it."""
    result = solve_bep(WORKED, time_limit=5.0)
    assert_valid(WORKED, result.plan)
    assert (result.makespan, result.lower_bound) == (46, 46)


def test_a_detour_can_beat_the_direct_road_and_the_bound_allows_for_it() -> None:
    """With non-metric distances the single-trip bound uses shortest paths, not direct roads."""
    detour = BepInstance(
        name="detour",
        seats=1,
        buses_at_depot=(1,),
        demand=(1, 1),
        capacity=(2,),
        depot_to_pickup=((1, 100),),
        pickup_to_shelter=((1,), (1,)),
    )
    plan = BepPlan(((BepTrip(0, 0, 1), BepTrip(1, 0, 1)),))
    assert plan.makespan(detour) == 4
    assert single_trip_bound(detour) <= 4
    assert max(lower_bounds(detour, 4).values()) <= 4


@pytest.mark.parametrize("seed", range(12))
def test_every_engine_returns_valid_plans_above_every_bound(seed: int) -> None:
    """Heuristic, trip-count and time-expanded engines: valid plans, never below any bound."""
    instance = random_instance(seed, depots=1 + seed % 2, seats=1 + seed % 3)
    heuristic = improve(instance, construct(instance), 0.05, seed=seed)
    assert_valid(instance, heuristic)
    bound = max(lower_bounds(instance, heuristic.makespan(instance)).values())
    assert bound <= heuristic.makespan(instance)
    counts = solve_exact(instance, 5.0, seed=seed, hint=heuristic)
    assert counts.plan is not None
    assert_valid(instance, counts.plan)
    timed = solve_timed(instance, bound, heuristic.makespan(instance) + 1, 5.0)
    assert timed.plan is not None
    assert_valid(instance, timed.plan)
    if counts.optimal:
        assert timed.plan.makespan(instance) == counts.plan.makespan(instance)
        assert bound <= counts.plan.makespan(instance)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), extra=st.integers(1, 3))
def test_adding_buses_never_makes_the_plan_worse(seed: int, extra: int) -> None:
    """A plan for fewer buses, lifted with idle buses, caps the plan for more buses."""
    small = random_instance(seed, buses=1)
    large = small.with_fleet((small.buses_at_depot[0] + extra,))
    few = solve_bep(small, time_limit=0.2, engine=Engine.HEURISTIC)
    lifted = lift(few.plan, small, large)
    assert lifted.makespan(large) == few.makespan
    many = solve_bep(large, time_limit=0.2, engine=Engine.HEURISTIC, incumbents=(lifted,))
    assert_valid(large, many.plan)
    assert many.makespan <= few.makespan
