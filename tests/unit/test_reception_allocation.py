"""Shelter allocation: everyone placed or the shortfall named, households whole, no site over."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import load_bundled, parse_scenario
from corridor.domain.scenario import Group
from corridor.errors import Infeasible
from corridor.reception.demand import demands, split_households
from corridor.reception.places import places
from corridor.reception.standards import bundled_standards
from corridor.services.reception import allocate_shelters

SMALL = """\
id: s
name: S
start: "2020-01-01T06:00"
timezone: UTC
sites:
  - {id: a, name: A, kinds: [enclave]}
  - id: near
    name: Near
    kinds: [shelter]
    reception:
      climate: cold
      shelters:
        - {kind: tent, places: PLACES_NEAR, covered_m2: 90}
        - {kind: cp, places: 5}
  - id: far
    name: Far
    kinds: [shelter, hospital]
    reception:
      shelters:
        - {kind: tent, places: PLACES_FAR}
        - {kind: bed, places: 4}
links:
  - {id: a-near, a: a, b: near, minutes: 30}
  - {id: near-far, a: near, b: far, minutes: 60}
corridors:
  - {id: r, sites: [a, near]}
movements:
  - id: m
    origin: a
    corridor: r
    destinations: [near, far]
    groups: [civilians, wounded-stretcher, unaccompanied-minors]
populations:
  - {movement: m, site: a, group: civilians, count: 60}
  - {movement: m, site: a, group: wounded-stretcher, count: 3}
  - {movement: m, site: a, group: unaccompanied-minors, count: 4}
shelter_kinds:
  - {id: tent, houses: [civilians]}
  - {id: cp, houses: [unaccompanied-minors]}
  - {id: bed, houses: [wounded-stretcher], care_level: 2}
households:
  - movement: m
    sizes: [{people: 6, share: 0.5}, {people: 3, share: 0.5}]
"""


def small(near: int, far: int) -> str:
    return SMALL.replace("PLACES_NEAR", str(near)).replace("PLACES_FAR", str(far))


def test_the_east_aleppo_allocation_places_everyone_within_capacity() -> None:
    """Every person placed, households whole, no place over capacity, the gap within 1%."""
    scenario = load_bundled("east-aleppo-2016")
    allocation = allocate_shelters(scenario)
    assert allocation.placed_people == scenario.people()
    for use in allocation.uses:
        assert use.people <= use.place.places, use.place
    wanted = {(d.movement, d.group, d.size): d.households for d in demands(scenario)}
    placed: dict[tuple[str, Group, int], int] = {}
    for p in allocation.placements:
        key = (p.movement, p.group, p.size)
        placed[key] = placed.get(key, 0) + p.households
    assert placed == wanted
    assert allocation.gap <= 0.01
    assert allocation.lower_bound <= allocation.travel_person_minutes + 1e-6


def test_groups_go_only_to_places_their_kind_houses() -> None:
    """Wounded to beds of their level, minors to child-protection places, civilians to tents."""
    scenario = parse_scenario(small(40, 40), "small.yaml").scenario
    allocation = allocate_shelters(scenario)
    kinds = {k.id: k for k in scenario.shelter_kinds}
    for p in allocation.placements:
        assert p.group in kinds[p.kind].houses, p
    by_group = {g: sum(p.people for p in allocation.placements if p.group is g) for g in Group}
    assert by_group[Group.WOUNDED_STRETCHER] == 3
    assert by_group[Group.UNACCOMPANIED_MINORS] == 4


def test_overcrowding_is_avoided_before_onward_travel_is_saved() -> None:
    """Near holds 20 at 4.5 m2 (90 m2, cold): the rest travel on rather than crowd in."""
    scenario = parse_scenario(small(60, 60), "small.yaml").scenario
    allocation = allocate_shelters(scenario)
    near_tent = next(
        u for u in allocation.uses if u.place.site == "near" and u.place.kind == "tent"
    )
    assert near_tent.place.standard_places == 20
    assert allocation.overcrowded_people == 0
    assert 18 <= near_tent.people <= 20


def test_a_shortfall_is_named_by_group_and_sites_never_a_partial_result() -> None:
    """Tents for 40 of 60 civilians: Infeasible says 20 or more civilians and the full sites."""
    scenario = parse_scenario(small(20, 20), "small.yaml").scenario
    with pytest.raises(Infeasible) as caught:
        allocate_shelters(scenario)
    shortfalls = caught.value.shortfalls
    assert [s.group for s in shortfalls] == ["civilians"]
    assert shortfalls[0].missing >= 20
    assert "near" in shortfalls[0].where
    assert "far" in shortfalls[0].where
    assert "full" in shortfalls[0].reason


def test_a_household_larger_than_any_shelter_is_named() -> None:
    """Households of 6 cannot fit tents of 5: the error says so and names the largest."""
    scenario = parse_scenario(small(5, 5), "small.yaml").scenario
    with pytest.raises(Infeasible) as caught:
        allocate_shelters(scenario)
    reasons = " ".join(s.reason for s in caught.value.shortfalls)
    assert "household of 6 is larger than any shelter" in reasons


def test_households_split_by_share_count_exactly_the_civilians() -> None:
    """Whole households by share, the remainder alone: the people always add up."""
    scenario = load_bundled("east-aleppo-2016")
    for people in (0, 1, 7, 26889, 1830):
        sizes = split_households(people, scenario.households[0])
        assert sum(size * n for size, n in sizes.items()) == people


def test_expansions_count_only_once_their_lead_time_is_over() -> None:
    """Sarmada's tents are 10,000 places now and 50,000 from 72 hours on."""
    scenario = load_bundled("east-aleppo-2016")
    standards = bundled_standards()

    def tents(hours: float) -> int:
        return next(
            p.places
            for p in places(scenario, standards, hours)
            if p.site == "sarmada" and p.kind == "family-tent"
        )

    assert tents(0) == 10000
    assert tents(71) == 10000
    assert tents(72) == 50000
