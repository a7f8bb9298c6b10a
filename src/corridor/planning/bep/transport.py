"""Second construction: decide who goes where first, then schedule the trips.

Step 1 is a transportation LP (HiGHS): people from pickup points to shelters
minimising the sum of loaded distances, within shelter room. Its vertex
solution is integral. Step 2 cuts each pickup-shelter flow into full busloads
and schedules them hardest first (earliest reach of the pickup plus the
loaded leg), so far trips are placed while buses are still free instead of
forming a tail at the end. Two bus-choice rules:
- earliest finish (as in the classic longest-first rule for makespan);
- packed: for a target makespan T, the bus that adds the least driving
  (a bus standing at the trip's shelter shuttles back at no detour) among
  those that still end by T; T is found by bisection.
Bus choice is vectorised with numpy over the fleet.
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.plan import BepPlan, BepTrip
from corridor.planning.highs import new_highs, solved


def transport(instance: BepInstance) -> dict[tuple[int, int], int]:
    """People per (pickup, shelter) minimising loaded distance; integral."""
    n_p, n_s = instance.pickups, instance.shelters
    cost = np.array(instance.pickup_to_shelter, dtype=np.float64).reshape(n_p * n_s)
    highs = new_highs()
    inf = highspy.kHighsInf
    highs.addCols(
        n_p * n_s,
        cost,
        np.zeros(n_p * n_s),
        np.full(n_p * n_s, inf),
        0,
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
    )
    starts: list[int] = []
    indices: list[int] = []
    lower: list[float] = []
    upper: list[float] = []
    for j in range(n_p):
        starts.append(len(indices))
        indices.extend(j * n_s + k for k in range(n_s))
        lower.append(instance.demand[j])
        upper.append(instance.demand[j])
    for k in range(n_s):
        starts.append(len(indices))
        indices.extend(j * n_s + k for j in range(n_p))
        lower.append(-inf)
        upper.append(instance.capacity[k])
    highs.addRows(
        len(starts),
        np.array(lower),
        np.array(upper),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.ones(len(indices)),
    )
    solved(highs)
    values = np.rint(np.array(highs.getSolution().col_value)).astype(np.int64)
    flows = {
        (j, k): int(values[j * n_s + k])
        for j in range(n_p)
        for k in range(n_s)
        if values[j * n_s + k] > 0
    }
    _repair(instance, flows)
    return flows


def _repair(instance: BepInstance, flows: dict[tuple[int, int], int]) -> None:
    """Guard against rounding: make pickup totals exact, using shelters with room."""
    room = list(instance.capacity)
    for (_, k), people in flows.items():
        room[k] -= people
    for j, demand in enumerate(instance.demand):
        moved = sum(p for (jj, _), p in flows.items() if jj == j)
        for k in sorted(range(instance.shelters), key=lambda s: instance.pickup_to_shelter[j][s]):
            if moved >= demand:
                break
            extra = min(demand - moved, room[k])
            if extra > 0:
                flows[j, k] = flows.get((j, k), 0) + extra
                room[k] -= extra
                moved += extra


def construct_hardest_first(instance: BepInstance) -> BepPlan:
    """Transportation plan cut into busloads, hardest first, each on the earliest bus."""
    t = np.array(instance.pickup_to_shelter, dtype=np.int64).reshape(
        instance.pickups, instance.shelters
    )
    trips = _trips_hardest_first(instance, t)
    # Positions: shelters 0..S-1, then depots S..S+D-1; reach[pos, j] = distance to pickup j.
    depot_rows = np.array(instance.depot_to_pickup, dtype=np.int64).reshape(
        instance.depots, instance.pickups
    )
    reach = np.vstack([t.T, depot_rows])
    position = np.array([instance.shelters + d for d in instance.bus_depot], dtype=np.int64)
    ends = np.zeros(instance.buses, dtype=np.int64)
    routes: list[list[BepTrip]] = [[] for _ in range(instance.buses)]
    for trip in trips:
        finish = ends + reach[position, trip.pickup]
        bus = int(np.argmin(finish))
        ends[bus] = finish[bus] + t[trip.pickup, trip.shelter]
        position[bus] = trip.shelter
        routes[bus].append(trip)
    return BepPlan(tuple(tuple(r) for r in routes))


def _trips_hardest_first(instance: BepInstance, t: np.ndarray) -> list[BepTrip]:
    trips: list[BepTrip] = []
    for (j, k), people in sorted(transport(instance).items()):
        while people > 0:
            load = min(instance.seats, people)
            trips.append(BepTrip(j, k, load))
            people -= load
    # Hardest first: the earliest any bus can reach the pickup plus the loaded leg.
    depot_rows = np.array(instance.depot_to_pickup, dtype=np.int64).reshape(
        instance.depots, instance.pickups
    )
    fleet = np.array(instance.buses_at_depot) > 0
    reach = depot_rows[fleet].min(axis=0) if fleet.any() else np.zeros(instance.pickups)
    trips.sort(
        key=lambda trip: (
            -int(reach[trip.pickup] + t[trip.pickup, trip.shelter]),
            trip.pickup,
            trip.shelter,
        )
    )
    return trips


def _packed(
    instance: BepInstance, horizon: int, trips: list[BepTrip], t: np.ndarray, reach: np.ndarray
) -> BepPlan | None:
    position = np.array([instance.shelters + d for d in instance.bus_depot], dtype=np.int64)
    ends = np.zeros(instance.buses, dtype=np.int64)
    routes: list[list[BepTrip]] = [[] for _ in range(instance.buses)]
    never = np.iinfo(np.int64).max
    # Least added driving first; among equals, the bus that ends latest (tightest fit).
    weight = np.int64(4 * (int(reach.max()) + int(t.max()) + 1) + 1)
    for trip in trips:
        added = reach[position, trip.pickup] + t[trip.pickup, trip.shelter]
        finish = ends + added
        score = np.where(finish <= horizon, added * weight - finish, never)
        bus = int(np.argmin(score))
        if score[bus] == never:
            return None
        ends[bus] = finish[bus]
        position[bus] = trip.shelter
        routes[bus].append(trip)
    return BepPlan(tuple(tuple(r) for r in routes))


def construct_packed(
    instance: BepInstance, low: int, high: int, deadline: float | None = None
) -> BepPlan | None:
    """The packed rule at the smallest target in [low, high] it can meet (bisection).

    With a `deadline` (perf_counter seconds) the bisection stops early and the
    best plan so far is returned.
    """
    t = np.array(instance.pickup_to_shelter, dtype=np.int64).reshape(
        instance.pickups, instance.shelters
    )
    depot_rows = np.array(instance.depot_to_pickup, dtype=np.int64).reshape(
        instance.depots, instance.pickups
    )
    reach = np.vstack([t.T, depot_rows])
    trips = _trips_hardest_first(instance, t)
    best = _packed(instance, high, trips, t, reach)
    if best is None:
        return None
    high = best.makespan(instance)
    while high - low > max(1, high // 1000):
        if deadline is not None and time.perf_counter() > deadline:
            break
        middle = (low + high) // 2
        plan = _packed(instance, middle, trips, t, reach)
        if plan is None:
            low = middle
        else:
            best, high = plan, plan.makespan(instance)
    return best
