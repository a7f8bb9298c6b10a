"""Local search on the bus that ends last: move, swap and re-shelter its trips.

A move is kept only when the bus that ended last now ends earlier and no bus
it touched ends at or after the old makespan, so each accepted move lowers
(makespan, buses at the makespan) and the search always terminates. Moves:
- relocate one of its trips to any position of another bus, or elsewhere in
  its own route (fewer empty kilometres);
- swap one of its trips with a trip of another bus;
- send one of its trips to another shelter with room, or swap shelters with a
  trip of another bus carrying the same load (shelter totals stay the same).
For very large fleets only a sample of partner buses (those ending earliest
and some drawn at random) is examined per step.
"""

from __future__ import annotations

import random
import time

from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.plan import BepTrip, route_time

PARTNERS = 60


class LocalSearch:
    """Mutable routes with cached end times and shelter room."""

    def __init__(
        self, instance: BepInstance, routes: list[list[BepTrip]], rng: random.Random
    ) -> None:
        self.instance = instance
        self.routes = routes
        self.rng = rng
        self.depots = instance.bus_depot
        self.ends = [
            route_time(instance, d, tuple(r)) for d, r in zip(self.depots, routes, strict=False)
        ]
        self.room = list(instance.capacity)
        for route in routes:
            for trip in route:
                self.room[trip.shelter] -= trip.load

    def _time(self, bus: int, route: list[BepTrip]) -> int:
        return route_time(self.instance, self.depots[bus], tuple(route))

    def _partners(self, critical: int) -> list[int]:
        buses = len(self.routes)
        if buses <= PARTNERS:
            return [b for b in range(buses) if b != critical]
        earliest = sorted(range(buses), key=lambda b: (self.ends[b], b))[: PARTNERS // 2]
        drawn = self.rng.sample(range(buses), PARTNERS // 2)
        return sorted({*earliest, *drawn} - {critical})

    def _within(self, c: int, limit: int) -> bool:
        route = self.routes[c]
        for i in range(len(route)):
            rest = route[:i] + route[i + 1 :]
            for p in range(len(rest) + 1):
                if p == i:
                    continue
                candidate = [*rest[:p], route[i], *rest[p:]]
                end = self._time(c, candidate)
                if end < limit:
                    self.routes[c], self.ends[c] = candidate, end
                    return True
        return False

    def _relocate(self, c: int, partners: list[int], limit: int) -> bool:
        route = self.routes[c]
        for i in range(len(route)):
            rest = route[:i] + route[i + 1 :]
            rest_end = self._time(c, rest)
            if rest_end >= limit:
                continue
            trip = route[i]
            for b in partners:
                if self.ends[b] >= limit:
                    continue
                other = self.routes[b]
                for p in range(len(other) + 1):
                    candidate = [*other[:p], trip, *other[p:]]
                    end = self._time(b, candidate)
                    if end < limit:
                        self.routes[c], self.ends[c] = rest, rest_end
                        self.routes[b], self.ends[b] = candidate, end
                        return True
        return False

    def _swap(self, c: int, partners: list[int], limit: int) -> bool:
        route = self.routes[c]
        for i, trip in enumerate(route):
            for b in partners:
                other = self.routes[b]
                for q, theirs in enumerate(other):
                    if theirs == trip:
                        continue
                    mine = [*route[:i], theirs, *route[i + 1 :]]
                    mine_end = self._time(c, mine)
                    if mine_end >= limit:
                        continue
                    yours = [*other[:q], trip, *other[q + 1 :]]
                    yours_end = self._time(b, yours)
                    if yours_end < limit:
                        self.routes[c], self.ends[c] = mine, mine_end
                        self.routes[b], self.ends[b] = yours, yours_end
                        return True
        return False

    def _reshelter(self, c: int, partners: list[int], limit: int) -> bool:
        route = self.routes[c]
        shelters = self.instance.shelters
        for i, trip in enumerate(route):
            for k in range(shelters):
                if k == trip.shelter or self.room[k] < trip.load:
                    continue
                mine = [*route[:i], BepTrip(trip.pickup, k, trip.load), *route[i + 1 :]]
                end = self._time(c, mine)
                if end < limit:
                    self.room[k] -= trip.load
                    self.room[trip.shelter] += trip.load
                    self.routes[c], self.ends[c] = mine, end
                    return True
            for b in partners:
                other = self.routes[b]
                for q, theirs in enumerate(other):
                    if theirs.shelter == trip.shelter or theirs.load != trip.load:
                        continue
                    mine = [*route[:i], BepTrip(trip.pickup, theirs.shelter, trip.load)]
                    mine += route[i + 1 :]
                    mine_end = self._time(c, mine)
                    if mine_end >= limit:
                        continue
                    yours = [*other[:q], BepTrip(theirs.pickup, trip.shelter, theirs.load)]
                    yours += other[q + 1 :]
                    yours_end = self._time(b, yours)
                    if yours_end < limit:
                        self.routes[c], self.ends[c] = mine, mine_end
                        self.routes[b], self.ends[b] = yours, yours_end
                        return True
        return False

    def descend(self, deadline: float) -> None:
        """Apply improving moves to buses at the makespan until none helps."""
        while time.perf_counter() < deadline:
            makespan = max(self.ends, default=0)
            if makespan == 0:
                return
            critical = [b for b, e in enumerate(self.ends) if e == makespan]
            c = self.rng.choice(critical)
            partners = self._partners(c)
            if not (
                self._within(c, makespan)
                or self._relocate(c, partners, makespan)
                or self._swap(c, partners, makespan)
                or self._reshelter(c, partners, makespan)
            ):
                return
