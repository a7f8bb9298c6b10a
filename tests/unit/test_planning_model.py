"""The planning model: shortest roads, corridor legs, checkpoints, and exact shortfalls."""

from __future__ import annotations

from dataclasses import replace

import pytest

from corridor.domain.scenario import FleetUnit, Group, Link, Population
from corridor.errors import Infeasible
from corridor.planning.model import Pacing, Staging, Window, build_model
from corridor.planning.paths import Roads
from tests.support.planning_world import two_towns


def test_shortest_paths_take_the_quickest_road() -> None:
    """Dijkstra prefers two short links to one long one, and reports both sites passed."""
    roads = Roads([Link("ab", "a", "b", 5), Link("bc", "b", "c", 5), Link("ac", "a", "c", 15)])
    path = roads.path("a", "c")
    assert path is not None
    assert path.sites == ("a", "b", "c")
    assert path.minutes == 10


def test_equal_roads_are_broken_by_site_names_whatever_the_link_order() -> None:
    """Two equally short routes always give the same one, however the links are listed."""
    links = [
        Link("1", "a", "y", 5),
        Link("2", "y", "c", 5),
        Link("3", "a", "x", 5),
        Link("4", "x", "c", 5),
    ]
    forward = Roads(links).path("a", "c")
    backward = Roads(list(reversed(links))).path("a", "c")
    assert forward == backward
    assert forward is not None
    assert forward.sites == ("a", "x", "c")


def test_one_way_links_are_not_driven_backwards() -> None:
    """A one-way link gives no road in the other direction."""
    roads = Roads([Link("ab", "a", "b", 5, one_way=True)])
    assert roads.minutes("a", "b") == 5
    assert roads.path("b", "a") is None


def test_loaded_runs_follow_the_corridor_not_the_shortcut() -> None:
    """Town A's loaded run passes the gate even though a shortcut avoids it."""
    model = build_model(two_towns())
    leg = next(g for g in model.legs if g.origin == "town-a" and g.destination == "shelter")
    assert leg.sites == ("town-a", "gate", "junction", "shelter")
    assert leg.minutes == 15 + 10 + 20
    assert leg.checkpoints == (("gate", 15.0),)
    assert model.headway["gate"] == 5.0
    # Empty runs may take the shortcut.
    assert model.empty("hospital", "town-a") == 25 + 5


def test_the_fleet_expands_into_one_vehicle_per_unit_count() -> None:
    """Four buses and two ambulances become six vehicles with their places and lead times."""
    model = build_model(two_towns())
    kinds = sorted((v.kind, v.seats, v.stretchers, v.ready) for v in model.vehicles)
    assert kinds == [("ambulance", 2, 1, 5.0)] * 2 + [("bus", 40, 0, 0.0)] * 4


@pytest.mark.parametrize(
    ("world", "pacings", "expected"),
    [
        (
            two_towns(stretcher=7, ambulances=0),
            (),
            ("wounded-stretcher", "town-a", 7, "no ambulance"),
        ),
        (
            two_towns(stretcher=9, beds=5),
            (),
            ("wounded-stretcher", "hospital", 4, "fewer than the people"),
        ),
        (
            two_towns(civilians=700, other_civilians=400, shelter_places=1_000),
            (),
            ("civilians", "shelter", 100, "fewer than the people"),
        ),
        (
            two_towns(civilians=300, other_civilians=100),
            (Pacing("alpha", "beta", 2.0, 50),),
            ("all", "alpha", 300 + 4 + 10 - 250, "pacing"),
        ),
    ],
    ids=["no ambulance", "too few beds", "too few shelter places", "pacing"],
)
def test_infeasible_scenarios_name_the_exact_shortfall(world, pacings, expected) -> None:
    """Infeasible names which group, where and how many are short, and why."""
    with pytest.raises(Infeasible) as caught:
        build_model(world, pacings)
    group, where, missing, reason = expected
    found = [(s.group, s.where, s.missing) for s in caught.value.shortfalls]
    assert (group, where, missing) in found
    assert any(reason in s.reason for s in caught.value.shortfalls)


def test_stretcher_cases_with_no_bed_anywhere_are_infeasible() -> None:
    """With zero beds the stretcher cases are reported at their pickup site."""
    with pytest.raises(Infeasible) as caught:
        build_model(two_towns(stretcher=3, seated=0, beds=0))
    assert [(s.group, s.where, s.missing) for s in caught.value.shortfalls] == [
        ("wounded-stretcher", "town-a", 3)
    ]
    assert "no bed" in caught.value.shortfalls[0].reason


def test_a_window_too_short_for_the_run_is_infeasible() -> None:
    """A 20-minute window cannot hold a 45-minute loaded run."""
    with pytest.raises(Infeasible, match="window"):
        build_model(two_towns(), windows={"beta": [Window(0.0, 20.0)]})


def test_only_eligible_people_are_planned() -> None:
    """People of a group their movement may not carry are left out, with a note."""
    world = two_towns()
    extra = Population("beta", "town-c", Group.FIGHTERS, 5)
    model = build_model(replace(world, populations=(*world.populations, extra)))
    assert model.people(Group.FIGHTERS) == 0
    assert model.people() == sum(p.count for p in world.populations)
    assert model.notes == ("5 fighters at town-c not eligible for beta",)


def test_windows_too_short_for_the_whole_fleet_name_how_many_are_left() -> None:
    """One bus and one ambulance in a 100-minute window: 43 places at most, 257 left."""
    world = two_towns(
        civilians=300, stretcher=0, seated=0, other_civilians=0, buses=1, ambulances=1
    )
    with pytest.raises(Infeasible) as caught:
        build_model(world, windows={"alpha": [Window(0.0, 100.0)]})
    (shortfall,) = caught.value.shortfalls
    assert (shortfall.group, shortfall.where, shortfall.missing) == ("all", "town-a", 257)
    assert "at most 43 of 300" in shortfall.reason


def test_two_fleet_units_of_one_kind_at_one_depot_give_distinct_vehicles() -> None:
    """Buses ready at different times at one depot are numbered on, never twice."""
    world = two_towns(buses=9)
    extra = FleetUnit("bus", "depot", 3, lead_minutes=60.0)
    model = build_model(replace(world, fleet=(*world.fleet, extra)))
    buses = [v for v in model.vehicles if v.kind == "bus"]
    assert [v.id for v in buses] == [f"bus-depot-{n}" for n in range(1, 13)]
    assert [v.ready for v in buses].count(60.0) == 3


def test_people_beyond_the_last_stage_are_a_shortfall() -> None:
    """Stages that cover 250 of 314 people leave 64 named as short."""
    world = two_towns()
    staging = Staging("alpha", "beta", (100, 250), (0, 50))
    with pytest.raises(Infeasible) as caught:
        build_model(world, stagings=[staging])
    (shortfall,) = caught.value.shortfalls
    assert (shortfall.group, shortfall.where, shortfall.missing) == ("all", "alpha", 64)
    assert "cover 250 of 314" in shortfall.reason
