"""A BEP plan: one route per bus, its timing, and the published result shape.

A route is the ordered list of loaded trips a bus makes. Its end time is the
drive from the depot to the first pickup point, every loaded leg, and every
empty leg from a shelter to the next pickup point; it ends at the shelter of
its last drop. An idle bus has an empty route and ends at time 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from corridor.planning.bep.instance import BepInstance


class Engine(StrEnum):
    """Which engine plans: chosen by size, or forced to the exact or heuristic one."""

    AUTO = "auto"
    EXACT = "exact"
    HEURISTIC = "heuristic"


@dataclass(frozen=True)
class BepTrip:
    """One loaded run: `load` people from pickup point to shelter (0-based ids)."""

    pickup: int
    shelter: int
    load: int


Route = tuple[BepTrip, ...]


def route_time(instance: BepInstance, depot: int, route: Route) -> int:
    """End time of a bus that leaves `depot` and makes `route` in order."""
    if not route:
        return 0
    time = instance.depot_to_pickup[depot][route[0].pickup]
    distances = instance.pickup_to_shelter
    previous_shelter = -1
    for trip in route:
        if previous_shelter >= 0:
            time += distances[trip.pickup][previous_shelter]
        time += distances[trip.pickup][trip.shelter]
        previous_shelter = trip.shelter
    return time


@dataclass(frozen=True)
class BepPlan:
    """Routes for every bus of an instance, in the instance's bus order."""

    routes: tuple[Route, ...]

    def route_times(self, instance: BepInstance) -> list[int]:
        return [
            route_time(instance, depot, route)
            for depot, route in zip(instance.bus_depot, self.routes, strict=True)
        ]

    def makespan(self, instance: BepInstance) -> int:
        return max(self.route_times(instance), default=0)


@dataclass(frozen=True)
class BepResult:
    """A solved instance: the plan, its makespan, the proven lower bound, timing."""

    instance: BepInstance
    plan: BepPlan
    makespan: int
    lower_bound: int
    seconds: float
    engine: str
    bounds: tuple[tuple[str, int], ...] = ()

    @property
    def proved_optimal(self) -> bool:
        return self.lower_bound >= self.makespan

    @property
    def gap(self) -> float:
        """Relative gap (makespan - bound) / makespan; 0 for an empty plan."""
        if self.makespan <= 0:
            return 0.0
        return (self.makespan - self.lower_bound) / self.makespan

    def to_json(self) -> dict[str, object]:
        """The published result shape, with 1-based ids as in the file."""
        return {
            "instance": self.instance.name,
            "makespan": self.makespan,
            "lower_bound": self.lower_bound,
            "proved_optimal": self.proved_optimal,
            "seconds": round(self.seconds, 3),
            "routes": [
                {
                    "bus": bus + 1,
                    "depot": depot + 1,
                    "trips": [
                        {"pickup": t.pickup + 1, "shelter": t.shelter + 1, "load": t.load}
                        for t in route
                    ],
                }
                for bus, (depot, route) in enumerate(
                    zip(self.instance.bus_depot, self.plan.routes, strict=True)
                )
            ],
        }
