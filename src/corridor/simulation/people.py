"""People waiting to leave, and the vehicles that take them: who boards, in what order.

People are counted in batches (the minute they joined the queue, how many),
one first-come-first-served queue per group at each pickup site, so a run
never handles persons one by one. Loading follows priority: stretcher cases
in stretcher places, then seated wounded, unaccompanied minors, civilians and
fighters in seats.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from corridor.domain.scenario import Group, Movement, Spread
from corridor.simulation.gate import Load

LOAD_ORDER: tuple[Group, ...] = (
    Group.WOUNDED_STRETCHER,
    Group.WOUNDED_SEATED,
    Group.UNACCOMPANIED_MINORS,
    Group.CIVILIANS,
    Group.FIGHTERS,
)


NEVER = float("inf")
"""The minute a vehicle that is never lost is lost."""


@dataclass(frozen=True)
class Vehicle:
    """One vehicle of the run: its kind's places, where and when it starts, what it may serve.

    `places` is seats + standing, the most sitting people the door check lets
    aboard; `occupancy` how many a loaded trip carries (drawn per trip, see
    `Simulation._sitting`); without it a trip loads to `seats`. A vehicle is
    lost at minute `lost` (it finishes the trip it is on); `movements` and
    `pickups` tie it to movements and loading sites (empty: any).
    """

    id: str
    kind: str
    depot: str
    ready: float
    seats: int
    stretchers: int
    places: int = 0
    occupancy: Spread | None = None
    lost: float = NEVER
    movements: tuple[str, ...] = ()
    pickups: tuple[str, ...] = ()

    def serves(self, movement: str, site: str) -> bool:
        """Whether this vehicle may load people of `movement` at `site`."""
        if self.movements and movement not in self.movements:
            return False
        return not self.pickups or site in self.pickups


class Pickup:
    """People of one movement waiting at one site: FIFO batches (joined minute, count) per group."""

    __slots__ = (
        "batches",
        "counts",
        "index",
        "movement",
        "movement_id",
        "reserved",
        "site",
        "waiting",
    )

    def __init__(self, index: int, movement: Movement, site: str) -> None:
        self.index = index
        self.movement = movement
        self.movement_id = movement.id
        self.site = site
        self.batches: dict[Group, deque[list[float]]] = {}
        self.counts: dict[Group, int] = dict.fromkeys(Group, 0)
        self.waiting = 0
        self.reserved = 0

    def add(self, group: Group, count: int, minute: float, *, front: bool = False) -> None:
        queue = self.batches.setdefault(group, deque())
        if front:
            queue.appendleft([minute, count])
        else:
            queue.append([minute, count])
        self.waiting += count
        self.counts[group] += count

    def take(self, group: Group, room: int, now: float) -> tuple[int, float]:
        """Take up to `room` people of `group`, first come first served.

        Returns how many were taken and the person-minutes they had waited.
        """
        queue = self.batches.get(group)
        taken, waited = 0, 0.0
        while queue and taken < room:
            batch = queue[0]
            take = min(int(batch[1]), room - taken)
            waited += take * (now - batch[0])
            taken += take
            batch[1] -= take
            if batch[1] <= 0:
                queue.popleft()
        self.waiting -= taken
        self.counts[group] -= taken
        return taken, waited


def carryable(vehicle: Vehicle, pickup: Pickup) -> int:
    """How many of the people waiting at `pickup` this vehicle could take now."""
    stretcher = pickup.counts[Group.WOUNDED_STRETCHER]
    seated = pickup.waiting - stretcher
    return min(stretcher, vehicle.stretchers) + min(seated, vehicle.seats)


def planned_load(vehicle: Vehicle, pickup: Pickup, sitting: int = -1) -> Load:
    """Who would board now: priority groups first, stretcher cases in stretcher places.

    `sitting` is how many sitting people this trip takes (its drawn
    occupancy); the vehicle's seats when not given.
    """
    load: list[tuple[Group, int]] = []
    seats = vehicle.seats if sitting < 0 else sitting
    stretchers = vehicle.stretchers
    for group in LOAD_ORDER:
        waiting = pickup.counts[group]
        if not waiting:
            continue
        if group is Group.WOUNDED_STRETCHER:
            taken = min(waiting, stretchers)
            stretchers -= taken
        else:
            taken = min(waiting, seats)
            seats -= taken
        if taken:
            load.append((group, taken))
    return tuple(load)


def sitting_load(pickup: Pickup, groups: tuple[Group, ...], sitting: int) -> Load:
    """Up to `sitting` people of `groups` (never stretcher cases), in loading priority."""
    load: list[tuple[Group, int]] = []
    left = sitting
    for group in LOAD_ORDER:
        if left <= 0:
            break
        if group is Group.WOUNDED_STRETCHER or group not in groups:
            continue
        taken = min(pickup.counts[group], left)
        if taken:
            load.append((group, taken))
            left -= taken
    return tuple(load)
