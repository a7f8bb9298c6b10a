"""Heuristic BEP planner: earliest-finish construction, local search, perturbation.

Construction: the bus that could finish a trip earliest gets it; from where the
bus stands it drives to the pickup point that minimises the arrival at a
shelter with room. A bus is only used when it is the earliest to finish a
trip, so idle buses cost nothing and a far depot is never forced to drive.
The per-position best trip is cached and recomputed only when a pickup point
empties or a shelter fills, so a step costs a heap operation, whatever the
fleet size.

Improvement: local search on the bus that ends last (`local_search.py`),
then rounds of perturbation: cut the last trips of that bus and a few others,
put their people back, rebuild with the construction without that bus, and
search again. A round is kept only if (makespan, buses at the makespan, total
time) does not get worse, so the plan only improves. Everything random draws
from one seeded generator.
"""

from __future__ import annotations

import heapq
import random
import time
from dataclasses import dataclass

from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.local_search import LocalSearch
from corridor.planning.bep.plan import BepPlan, BepTrip, route_time


@dataclass
class _State:
    """Routes under construction plus what is left to move and where there is room."""

    instance: BepInstance
    routes: list[list[BepTrip]]
    remaining: list[int]
    room: list[int]
    ends: list[int]

    @classmethod
    def empty(cls, instance: BepInstance) -> _State:
        return cls(
            instance=instance,
            routes=[[] for _ in range(instance.buses)],
            remaining=list(instance.demand),
            room=list(instance.capacity),
            ends=[0] * instance.buses,
        )


class _Builder:
    """Earliest-finish construction from the state's current bus positions."""

    def __init__(self, state: _State) -> None:
        self.state = state
        inst = state.instance
        self.distances = inst.pickup_to_shelter
        self.depot_rows = inst.depot_to_pickup
        self.version = 0
        self._nearest: list[tuple[int, int]] = []
        self._cache: dict[int, tuple[int, int, int, int]] = {}
        self._refresh()

    def _refresh(self) -> None:
        """Nearest shelter with room for every pickup point (distance, shelter)."""
        st = self.state
        open_shelters = [k for k, r in enumerate(st.room) if r > 0]
        self._nearest = []
        for j in range(st.instance.pickups):
            row = self.distances[j]
            if open_shelters and st.remaining[j] > 0:
                k = min(open_shelters, key=lambda s: (row[s], s))
                self._nearest.append((row[k], k))
            else:
                self._nearest.append((-1, -1))
        self.version += 1
        self._cache.clear()

    def _position(self, bus: int) -> int:
        """Shelter index for a bus that has driven, -1 - depot for one at its depot."""
        route = self.state.routes[bus]
        return route[-1].shelter if route else -1 - self.state.instance.bus_depot[bus]

    def _best(self, position: int) -> tuple[int, int, int, int] | None:
        """(cost, pickup, shelter, version) of the best next trip from a position."""
        cached = self._cache.get(position)
        if cached is not None:
            return cached
        best: tuple[int, int, int, int] | None = None
        for j, (drop, k) in enumerate(self._nearest):
            if k < 0:
                continue
            reach = (
                self.distances[j][position] if position >= 0 else self.depot_rows[-1 - position][j]
            )
            cost = reach + drop
            if best is None or cost < best[0]:
                best = (cost, j, k, self.version)
        if best is not None:
            self._cache[position] = best
        return best

    def run(self, buses: list[int] | None = None) -> list[int]:
        """Move everyone left; returns the buses trips were appended to, in order."""
        st = self.state
        seats = st.instance.seats
        appended: list[int] = []
        heap: list[tuple[int, int, int]] = []
        for bus in buses if buses is not None else range(len(st.routes)):
            best = self._best(self._position(bus))
            if best is not None:
                heap.append((st.ends[bus] + best[0], bus, self.version))
        heapq.heapify(heap)
        while heap:
            finish, bus, version = heapq.heappop(heap)
            best = self._best(self._position(bus))
            if best is None:
                continue
            if version != self.version or st.ends[bus] + best[0] != finish:
                heapq.heappush(heap, (st.ends[bus] + best[0], bus, self.version))
                continue
            cost, j, k, _ = best
            load = min(seats, st.remaining[j], st.room[k])
            st.routes[bus].append(BepTrip(j, k, load))
            st.ends[bus] += cost
            st.remaining[j] -= load
            st.room[k] -= load
            appended.append(bus)
            if st.remaining[j] == 0 or st.room[k] == 0:
                self._refresh()
            if sum(1 for r in self._nearest if r[1] >= 0) == 0:
                break
            nxt = self._best(self._position(bus))
            if nxt is not None:
                heapq.heappush(heap, (st.ends[bus] + nxt[0], bus, self.version))
        return appended


def construct(instance: BepInstance) -> BepPlan:
    """The earliest-finish construction alone."""
    state = _State.empty(instance)
    _Builder(state).run()
    return BepPlan(tuple(tuple(r) for r in state.routes))


def _key(ends: list[int]) -> tuple[int, int, int]:
    makespan = max(ends, default=0)
    return (makespan, ends.count(makespan), sum(ends))


def _perturb(instance: BepInstance, routes: list[list[BepTrip]], rng: random.Random) -> None:
    """Cut the tails of the last bus and a few others; rebuild without the last bus."""
    state = _State.empty(instance)
    state.routes = [list(r) for r in routes]
    for route in state.routes:
        for trip in route:
            state.remaining[trip.pickup] -= trip.load
            state.room[trip.shelter] -= trip.load
    state.ends = [
        route_time(instance, d, tuple(r)) for d, r in zip(instance.bus_depot, routes, strict=False)
    ]
    makespan = max(state.ends)
    critical = rng.choice([b for b, e in enumerate(state.ends) if e == makespan])
    victims = {critical}
    for _ in range(rng.randint(1, min(4, instance.buses - 1) or 1)):
        victims.add(rng.randrange(instance.buses))
    for b in sorted(victims):
        route = state.routes[b]
        cut = rng.randint(1, min(len(route), 3)) if route else 0
        for trip in route[len(route) - cut :]:
            state.remaining[trip.pickup] += trip.load
            state.room[trip.shelter] += trip.load
        del route[len(route) - cut :]
        state.ends[b] = route_time(instance, instance.bus_depot[b], tuple(route))
    others = [b for b in range(instance.buses) if b != critical]
    _Builder(state).run(others if others else None)
    if any(state.remaining):
        _Builder(state).run()
    routes[:] = state.routes


def improve(
    instance: BepInstance,
    plan: BepPlan,
    seconds: float,
    seed: int = 0,
    max_iterations: int | None = None,
    target: int = 0,
) -> BepPlan:
    """Local search, then perturb-and-descend for `seconds`; never returns a worse plan.

    Stops early once the makespan reaches `target` (a lower bound).
    """
    if instance.buses == 0 or instance.people == 0:
        return plan
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    search = LocalSearch(instance, [list(r) for r in plan.routes], rng)
    search.descend(deadline)
    best_routes = [list(r) for r in search.routes]
    best_key = _key(search.ends)
    iterations = 0
    while time.perf_counter() < deadline and best_key[0] > target:
        if max_iterations is not None and iterations >= max_iterations:
            break
        iterations += 1
        routes = [list(r) for r in best_routes]
        _perturb(instance, routes, rng)
        search = LocalSearch(instance, routes, rng)
        search.descend(deadline)
        key = _key(search.ends)
        if key <= best_key:
            best_key, best_routes = key, [list(r) for r in search.routes]
    return BepPlan(tuple(tuple(r) for r in best_routes))
