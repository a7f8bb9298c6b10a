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
    near_services_share: SHARE
    sizes: [{people: 6, share: 0.5}, {people: 3, share: 0.5}]
"""


def small(near: int, far: int, share: float = 0.0, services: bool = True) -> str:
    text = SMALL.replace("PLACES_NEAR", str(near)).replace("PLACES_FAR", str(far))
    text = text.replace("SHARE", str(share))
    if services:
        text = text.replace(
            "    reception:\n      shelters:",
            "    reception:\n      near_services: true\n      shelters:",
        )
    return text


def test_the_east_aleppo_allocation_places_everyone_within_capacity() -> None:
    """Every person placed, households whole, no place over capacity, the gap within 1%."""
    scenario = load_bundled("east-aleppo-2016")
    allocation = allocate_shelters(scenario)
    assert allocation.placed_people == scenario.people()
    for use in allocation.uses:
        assert use.people <= use.place.places, use.place
    wanted: dict[tuple[str, Group, int], int] = {}
    for d in demands(scenario):
        key = (d.movement, d.group, d.size)
        wanted[key] = wanted.get(key, 0) + d.households
    placed: dict[tuple[str, Group, int], int] = {}
    for p in allocation.placements:
        key = (p.movement, p.group, p.size)
        placed[key] = placed.get(key, 0) + p.households
    assert placed == wanted
    assert allocation.gap <= 0.01
    assert allocation.lower_bound <= allocation.travel_person_minutes + 1e-6
    elderly = [p for p in allocation.placements if p.near_services]
    assert elderly
    assert {p.site for p in elderly} <= {"idlib", "jibreen"}


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
    """Households of 6 cannot fit tents of 5: the error names the field and the largest."""
    scenario = parse_scenario(small(5, 5), "small.yaml").scenario
    with pytest.raises(Infeasible) as caught:
        allocate_shelters(scenario)
    reasons = " ".join(s.reason for s in caught.value.shortfalls)
    assert (
        "a household of 6 (households[0].sizes[0].people) is larger than any shelter "
        "that houses civilians (largest holds 5)"
    ) in reasons


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


def test_the_elderly_and_disabled_are_sheltered_only_near_services() -> None:
    """Half the households need services: they all go to Far, the site near services."""
    scenario = parse_scenario(small(60, 60, share=0.5), "small.yaml").scenario
    assert scenario.site("far").reception.near_services  # type: ignore[union-attr]
    assert not scenario.site("near").reception.near_services  # type: ignore[union-attr]
    allocation = allocate_shelters(scenario)
    needing = [d for d in demands(scenario) if d.near_services]
    assert sum(d.people for d in needing) == 30
    far = sum(
        p.people for p in allocation.placements if p.site == "far" and p.group is Group.CIVILIANS
    )
    assert far >= 30


def test_no_site_near_services_is_a_named_shortfall() -> None:
    """Without any site near services, households that need one are the shortfall."""
    scenario = parse_scenario(small(60, 60, share=0.5, services=False), "small.yaml").scenario
    with pytest.raises(Infeasible) as caught:
        allocate_shelters(scenario)
    [shortfall] = caught.value.shortfalls
    assert shortfall.group == "civilians (elderly or disabled)"
    assert shortfall.missing == 30
    assert "near services" in shortfall.reason
