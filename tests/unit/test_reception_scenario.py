"""Reception sections of a scenario: read into the domain, and every bad input placed exactly."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import load_bundled, parse_scenario
from corridor.domain.shelters import Climate, Supply
from corridor.errors import InvalidInput, Problem

BASE = """\
id: t
name: T
start: "2020-01-01T06:00"
timezone: UTC
sites:
  - {id: a, name: A, kinds: [enclave]}
  - id: b
    name: B
    kinds: [shelter]
    capacities: [{group: civilians, places: 100}]
    reception:
      pcode: SY07
      climate: cold
      shelters:
        - {kind: tent, places: 100, expandable_to: 300, lead_hours: 48, covered_m2: 400}
      stocks:
        - {item: water-litres, quantity: 3000, daily: 1500}
links:
  - {id: a-b, a: a, b: b, minutes: 30}
corridors:
  - {id: r, sites: [a, b]}
movements:
  - {id: m, origin: a, corridor: r, destinations: [b], groups: [civilians]}
populations:
  - {movement: m, site: a, group: civilians, count: 80}
shelter_kinds:
  - {id: tent, houses: [civilians]}
households:
  - movement: m
    sizes: [{people: 4, share: 0.5}, {people: 2, share: 0.5}]
"""


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(text, "case.yaml")
    return caught.value.problems


def test_a_reception_section_reaches_the_domain_whole() -> None:
    """Shelters, expansion, stocks, P-code, climate and household shares are all read."""
    scenario = parse_scenario(BASE, "case.yaml").scenario
    reception = scenario.site("b").reception
    assert reception is not None
    assert reception.pcode == "SY07"
    assert reception.climate is Climate.COLD
    tent = reception.shelters[0]
    assert (tent.places, tent.expandable_to, tent.lead_hours) == (100, 300, 48)
    assert tent.places_by(47.9) == 100
    assert tent.places_by(48) == 300
    assert reception.stocks[0].item is Supply.WATER_LITRES
    assert scenario.households[0].sizes[0].people == 4


CASES = [
    (
        "capacity below zero",
        "{kind: tent, places: 100,",
        "{kind: tent, places: -5,",
        15,
        "sites[1].reception.shelters[0].places",
        "expected a number >= 0, found -5",
    ),
    (
        "a shelter kind not declared",
        "{kind: tent, places: 100,",
        "{kind: tnet, places: 100,",
        15,
        "sites[1].reception.shelters[0].kind",
        "unknown shelter kind 'tnet'; expected one of: tent",
    ),
    (
        "an expansion smaller than what is there",
        "expandable_to: 300",
        "expandable_to: 50",
        15,
        "sites[1].reception.shelters[0].expandable_to",
        "expected at least the 100 places there now, found 50",
    ),
    (
        "capacities promising more than the shelters hold",
        "capacities: [{group: civilians, places: 100}]",
        "capacities: [{group: civilians, places: 150}]",
        10,
        "sites[1].capacities[0].places",
        "150 places for civilians, but the site's shelters house only 100",
    ),
    (
        "an unknown climate",
        "climate: cold",
        "climate: freezing",
        13,
        "sites[1].reception.climate",
        "expected one of 'temperate', 'cold' or 'hot', found 'freezing'",
    ),
    (
        "a malformed P-code",
        "pcode: SY07",
        "pcode: syria-7",
        12,
        "sites[1].reception.pcode",
        "expected an OCHA P-code like SY07 or SY0200 (2 capital letters, then digits), "
        "found 'syria-7'",
    ),
    (
        "an unknown supply",
        "item: water-litres",
        "item: petrol",
        17,
        "sites[1].reception.stocks[0].item",
        "found 'petrol'",
    ),
    (
        "household shares that do not add up to 1",
        "{people: 2, share: 0.5}",
        "{people: 2, share: 0.4}",
        30,
        "households[0].sizes",
        "expected shares adding up to 1, found 0.9",
    ),
    (
        "beds for stretcher cases without the level of care",
        "{id: tent, houses: [civilians]}",
        "{id: tent, houses: [civilians, wounded-stretcher], care_level: 1}",
        27,
        "shelter_kinds[0].houses[1]",
        "wounded-stretcher need a bed with care_level >= 2; this kind's care_level is 1",
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "line", "path", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_reception_input_is_reported_at_its_place(
    case: str, old: str, new: str, line: int, path: str, words: str
) -> None:
    """Each defect names its field, its line, what was found and what is allowed."""
    assert old in BASE, case
    problems = problems_in(BASE.replace(old, new))
    matching = [p for p in problems if p.path == path]
    assert matching, [str(p) for p in problems]
    assert matching[0].line == line, str(matching[0])
    assert words in matching[0].message, str(matching[0])


def test_the_bundled_east_aleppo_sites_have_sourced_shelters() -> None:
    """Every reception site, shelter and shelter kind of the bundled scenario names its source."""
    scenario = load_bundled("east-aleppo-2016")
    received = [s for s in scenario.sites if s.reception is not None]
    assert {s.id for s in received} == {"atareb", "sarmada", "idlib", "bab-al-hawa", "jibreen"}
    for site in received:
        assert site.reception is not None
        assert site.reception.source is not None
        for shelter in site.reception.shelters:
            assert shelter.source is not None, (site.id, shelter.kind)
            assert shelter.source.text, (site.id, shelter.kind)
    assert all(k.source is not None for k in scenario.shelter_kinds)
    sarmada = scenario.site("sarmada").reception
    assert sarmada is not None
    assert sarmada.shelters[0].expandable_to == 50000  # Kizilay: 10,000 expandable to 50,000


@pytest.mark.parametrize(
    ("new", "path"),
    [
        ("{kind: tent, places: -5,", "sites[1].reception.shelters[0].places"),
        ("{kind: tnet, places: 100,", "sites[1].reception.shelters[0].kind"),
    ],
)
def test_a_bad_shelter_is_one_error_not_also_a_capacity_it_cannot_hold(new: str, path: str) -> None:
    """A negative or undeclared shelter is reported alone, not again as short of the capacities."""
    problems = problems_in(BASE.replace("{kind: tent, places: 100,", new))
    assert [p.path for p in problems] == [path], [str(p) for p in problems]
