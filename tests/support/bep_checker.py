"""Check a BEP result JSON against its file, independently of the planner.

It re-reads the file with its own plain tokenizer (not the project's reader),
rebuilds every route from the distance matrix, and checks that every person is
moved, no bus carries more than its seats, no shelter gets more than its
capacity, each bus starts at its own depot, and the reported makespan is the
largest recomputed route end. Returns the recomputed makespan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _numbers(path: Path) -> list[list[int]]:
    return [
        [int(x) for x in line.split()] for line in path.read_text().splitlines() if line.split()
    ]


def check_result(path: Path, result: dict[str, Any]) -> int:
    """Raise AssertionError on the first violation; return the recomputed makespan."""
    rows = _numbers(path)
    buses, seats = rows[0]
    depot_counts = rows[1][1:]
    demand = rows[2][2:]
    capacity = rows[3][2:]
    depots, pickups = len(depot_counts), len(demand)
    depot_rows = [row[1:] for row in rows[4 : 4 + depots]]
    pickup_rows = [row[1:] for row in rows[4 + depots : 4 + depots + pickups]]
    expected_depot = [d + 1 for d, n in enumerate(depot_counts) for _ in range(n)]

    routes = result["routes"]
    assert [r["bus"] for r in routes] == list(range(1, buses + 1)), "one route per bus, in order"
    moved = [0] * len(demand)
    received = [0] * len(capacity)
    makespan = 0
    for route in routes:
        assert route["depot"] == expected_depot[route["bus"] - 1], f"bus {route['bus']} depot"
        time = 0
        shelter = None
        for trip in route["trips"]:
            j, k, load = trip["pickup"] - 1, trip["shelter"] - 1, trip["load"]
            assert 0 <= j < len(demand), f"pickup id in range: {trip}"
            assert 0 <= k < len(capacity), f"shelter id in range: {trip}"
            assert 0 <= load <= seats, f"load within seats: {trip}"
            time += (
                depot_rows[route["depot"] - 1][j] if shelter is None else pickup_rows[j][shelter]
            )
            time += pickup_rows[j][k]
            shelter = k
            moved[j] += load
            received[k] += load
        makespan = max(makespan, time)
    assert moved == demand, f"people moved per pickup {moved} != demand {demand}"
    for k, (got, room) in enumerate(zip(received, capacity, strict=True)):
        assert got <= room, f"shelter {k + 1} receives {got} > capacity {room}"
    assert result["makespan"] == makespan, f"reported {result['makespan']} != rebuilt {makespan}"
    assert result["lower_bound"] <= makespan, "bound above makespan"
    assert result["proved_optimal"] == (result["lower_bound"] == makespan)
    return makespan
