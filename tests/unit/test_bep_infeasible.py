"""Instances that cannot be solved are refused with the exact shortfall, not searched."""

from __future__ import annotations

import pytest

from corridor.errors import Infeasible
from corridor.planning.bep.instance import BepInstance
from corridor.planning.bep.solver import solve_bep


def instance(buses: int = 2, seats: int = 1, capacity: tuple[int, ...] = (8, 1)) -> BepInstance:
    """The worked example with a chosen fleet and shelter capacities."""
    return BepInstance(
        name="case",
        seats=seats,
        buses_at_depot=(buses,),
        demand=(3, 5),
        capacity=capacity,
        depot_to_pickup=((4, 7),),
        pickup_to_shelter=((6, 4), (6, 7)),
    )


@pytest.mark.parametrize(
    ("case", "where", "missing", "reason"),
    [
        (instance(capacity=(4, 1)), "shelters", 3, "demand 8 exceeds total shelter capacity 5"),
        (instance(buses=0), "pickup points", 8, "no buses"),
        (instance(seats=0), "pickup points", 8, "zero seats"),
    ],
)
def test_infeasible_instances_report_who_where_and_how_many(
    case: BepInstance, where: str, missing: int, reason: str
) -> None:
    """The shortfall names the group, the place, the number missing and why."""
    with pytest.raises(Infeasible) as caught:
        solve_bep(case, time_limit=1.0)
    [shortfall] = caught.value.shortfalls
    assert (shortfall.group, shortfall.where, shortfall.missing) == ("people", where, missing)
    assert reason in shortfall.reason


def test_an_instance_with_nobody_to_move_has_an_empty_plan() -> None:
    """Zero demand is solved at once: every bus idle, makespan and bound zero."""
    empty = BepInstance("none", 1, (2,), (0, 0), (1, 1), ((4, 7),), ((6, 4), (6, 7)))
    result = solve_bep(empty, time_limit=1.0)
    assert (result.makespan, result.lower_bound, result.proved_optimal) == (0, 0, True)
    assert result.plan.routes == ((), ())
