"""A Bus Evacuation Problem instance as a value, and its feasibility check.

The Bus Evacuation Problem (Bish 2011) is the planner's special case with one
group, one vehicle kind and no checkpoint. Ids are 0-based inside; the file
format and the JSON result use 1-based ids, converted at the edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from corridor.errors import Infeasible, Shortfall


@dataclass(frozen=True)
class BepInstance:
    """Buses at depots, people at pickup points, shelter capacities, distances.

    `depot_to_pickup[d][j]` is the distance from depot d to pickup j;
    `pickup_to_shelter[j][k]` is the distance between pickup j and shelter k,
    driven loaded one way and empty the other.
    """

    name: str
    seats: int
    buses_at_depot: tuple[int, ...]
    demand: tuple[int, ...]
    capacity: tuple[int, ...]
    depot_to_pickup: tuple[tuple[int, ...], ...]
    pickup_to_shelter: tuple[tuple[int, ...], ...]

    @property
    def depots(self) -> int:
        return len(self.buses_at_depot)

    @property
    def pickups(self) -> int:
        return len(self.demand)

    @property
    def shelters(self) -> int:
        return len(self.capacity)

    @property
    def buses(self) -> int:
        return sum(self.buses_at_depot)

    @property
    def people(self) -> int:
        return sum(self.demand)

    @cached_property
    def bus_depot(self) -> tuple[int, ...]:
        """Depot of each bus, buses numbered depot by depot as in the file."""
        return tuple(d for d, count in enumerate(self.buses_at_depot) for _ in range(count))

    def trips_needed(self, pickup: int) -> int:
        """Fewest loaded trips that can clear one pickup point."""
        return -(-self.demand[pickup] // self.seats) if self.seats else 0

    def with_fleet(self, buses_at_depot: tuple[int, ...]) -> BepInstance:
        """The same instance with another number of buses at each depot."""
        return BepInstance(
            name=self.name,
            seats=self.seats,
            buses_at_depot=buses_at_depot,
            demand=self.demand,
            capacity=self.capacity,
            depot_to_pickup=self.depot_to_pickup,
            pickup_to_shelter=self.pickup_to_shelter,
        )


def require_feasible(instance: BepInstance) -> None:
    """Raise `Infeasible` with the exact shortfall when no plan can exist."""
    people = instance.people
    if people == 0:
        return
    shortfalls: list[Shortfall] = []
    room = sum(instance.capacity)
    if people > room:
        shortfalls.append(
            Shortfall(
                group="people",
                where="shelters",
                missing=people - room,
                reason=f"demand {people} exceeds total shelter capacity {room}",
            )
        )
    if instance.buses == 0:
        shortfalls.append(
            Shortfall(
                group="people",
                where="pickup points",
                missing=people,
                reason="no buses: nobody can be moved",
            )
        )
    elif instance.seats <= 0:
        shortfalls.append(
            Shortfall(
                group="people",
                where="pickup points",
                missing=people,
                reason="buses have zero seats: nobody can be moved",
            )
        )
    if shortfalls:
        detail = "; ".join(str(s) for s in shortfalls)
        raise Infeasible(f"{instance.name}: infeasible: {detail}", shortfalls)
