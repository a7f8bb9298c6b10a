"""Small BEP instance files made here, for testing the checker without the published ones.

Written straight in the published text format by this module's own few
lines, not by the planner's generator, so a fault in the project's reader or
generator cannot hide from the checker. The format, as the BEP folder's
README states it (whitespace-separated integers, rows start with their
1-based id):

    B Q                              bus count, seat capacity
    D b_1 ... b_D                    depot count, buses at each depot
    P total d_1 ... d_P              pickup points, total demand, each demand
    S total c_1 ... c_S              shelters, total capacity, each capacity
    D rows: k t(k,1) ... t(k,P)      depot k to each pickup point
    P rows: j t(j,1) ... t(j,S)      pickup j to each shelter

Distances are random integers; shelters get at least as much room as there
are people, so every instance is feasible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BepFile:
    """What was written, so tests can name the figures they break."""

    path: Path
    buses: int
    seats: int
    demand: tuple[int, ...]
    capacity: tuple[int, ...]


def write_instance(
    folder: Path,
    seed: int,
    depots: int = 2,
    pickups: int = 3,
    shelters: int = 2,
    buses: int = 3,
    seats: int = 4,
) -> BepFile:
    """Write one random, feasible instance file in `folder`; the same seed, the same file."""
    rng = random.Random(seed)
    at_depot = [buses // depots + (1 if d < buses % depots else 0) for d in range(depots)]
    demand = [rng.randint(1, 3 * seats) for _ in range(pickups)]
    room = sum(demand) + rng.randint(0, seats)
    capacity = [room // shelters + (1 if s < room % shelters else 0) for s in range(shelters)]
    lines = [
        f"{buses} {seats}",
        " ".join(map(str, [depots, *at_depot])),
        " ".join(map(str, [pickups, sum(demand), *demand])),
        " ".join(map(str, [shelters, sum(capacity), *capacity])),
        "",
    ]
    lines += [
        " ".join(map(str, [d + 1, *(rng.randint(1, 20) for _ in range(pickups))]))
        for d in range(depots)
    ]
    lines.append("")
    lines += [
        " ".join(map(str, [p + 1, *(rng.randint(1, 20) for _ in range(shelters))]))
        for p in range(pickups)
    ]
    path = folder / f"GEN-{depots}-{pickups}-{shelters}-{buses}-s{seed}.txt"
    path.write_text("\n".join(lines) + "\n")
    return BepFile(path, buses, seats, tuple(demand), tuple(capacity))
