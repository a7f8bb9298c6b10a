"""Generated BEP instances for scale tests: a seeded, documented recipe.

Sites are points in a square region (default 40 km a side): depots, pickup
points and shelters drawn uniformly at random. Distances are straight-line
metres times a road factor of 1.3, rounded to whole metres, so they are
symmetric and obey the triangle inequality up to rounding. People are spread
over pickup points in proportion to random weights (each gets at least one),
shelters get 10% more room in total than there are people, spread the same
way, and buses are spread evenly over depots. The same arguments and seed
always give the same instance.
"""

from __future__ import annotations

import math
import random

from corridor.planning.bep.instance import BepInstance

ROAD_FACTOR = 1.3


def _spread(total: int, parts: int, rng: random.Random) -> tuple[int, ...]:
    """Split `total` into `parts` positive integers in proportion to random weights."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    shares = [1 + int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return tuple(shares)


def generate(
    people: int,
    buses: int,
    pickups: int,
    shelters: int,
    depots: int = 5,
    seats: int = 50,
    side_metres: int = 40_000,
    seed: int = 0,
) -> BepInstance:
    """A random instance with the given sizes (see the module docstring for the recipe)."""
    rng = random.Random(seed)

    def point() -> tuple[float, float]:
        return (rng.uniform(0, side_metres), rng.uniform(0, side_metres))

    depot_at = [point() for _ in range(depots)]
    pickup_at = [point() for _ in range(pickups)]
    shelter_at = [point() for _ in range(shelters)]

    def road(a: tuple[float, float], b: tuple[float, float]) -> int:
        return max(1, round(math.dist(a, b) * ROAD_FACTOR))

    fleet = [buses // depots + (1 if d < buses % depots else 0) for d in range(depots)]
    return BepInstance(
        name=f"gen-{people}-{buses}-{pickups}-{shelters}-s{seed}",
        seats=seats,
        buses_at_depot=tuple(fleet),
        demand=_spread(people, pickups, rng),
        capacity=_spread(people + people // 10, shelters, rng),
        depot_to_pickup=tuple(tuple(road(d, p) for p in pickup_at) for d in depot_at),
        pickup_to_shelter=tuple(tuple(road(p, s) for s in shelter_at) for p in pickup_at),
    )
