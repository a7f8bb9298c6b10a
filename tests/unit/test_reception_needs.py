"""Sphere needs: occupancy x the standards file, shortfall days against declared stocks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.shelters import Climate, Supply
from corridor.errors import InvalidInput
from corridor.reception.needs import Occupancy, needs
from corridor.reception.standards import bundled_standards, parse_standards
from corridor.services.reception import shelter_needs


def test_needs_per_site_and_day_are_occupancy_times_the_standard() -> None:
    """Every need of the East Aleppo allocation, recomputed from the standards file by hand."""
    scenario = load_bundled("east-aleppo-2016")
    standards = bundled_standards()
    result = shelter_needs(scenario, days=5)
    occupancy = result.occupancy
    assert occupancy.people.sum() > 0
    for i, site_id in enumerate(occupancy.sites):
        reception = scenario.site(site_id).reception
        assert reception is not None
        cold = reception.climate is Climate.COLD
        for d in range(len(occupancy.days)):
            people = int(occupancy.people[i, d])
            for j, supply in enumerate(result.supplies):
                standard = standards.of(supply)
                amount = people * (standard.cold if cold else standard.per_person)
                expected = math.ceil(amount - 1e-9) if standard.whole else amount
                assert result.need[i, d, j] == pytest.approx(expected), (site_id, supply)


def test_the_bundled_standards_carry_the_sphere_figures_with_sources() -> None:
    """15 L water, 2,100 kcal, 3.5 m2 (4.5 m2 cold), 1 latrine per 20, winter items in the cold."""
    standards = bundled_standards()
    assert standards.of(Supply.WATER_LITRES).rate(Climate.TEMPERATE) == 15
    assert standards.of(Supply.FOOD_KCAL).rate(Climate.COLD) == 2100
    assert standards.of(Supply.COVERED_M2).rate(Climate.TEMPERATE) == 3.5
    assert standards.of(Supply.COVERED_M2).rate(Climate.COLD) == 4.5
    assert standards.of(Supply.LATRINES).need(21, Climate.TEMPERATE) == 2
    assert standards.of(Supply.BLANKETS).need(100, Climate.TEMPERATE) == 0
    assert standards.of(Supply.BLANKETS).need(100, Climate.COLD) > 0
    assert all(s.source.text for s in standards.standards)


def test_a_consumed_stock_runs_short_on_the_day_it_is_used_up() -> None:
    """3,000 L plus 1,500 L a day for 200 people (3,000 L a day) runs short on the third day."""
    scenario = load_bundled("east-aleppo-2016")
    occupancy = Occupancy(
        ("sarmada",), ("d1", "d2", "d3", "d4"), np.full((1, 4), 200, dtype=np.int64), "test"
    )
    sarmada = scenario.site("sarmada")
    assert sarmada.reception is not None
    water = sarmada.reception.stocks[0]
    assert water.item is Supply.WATER_LITRES
    result = needs(scenario, occupancy, bundled_standards())
    j = result.supplies.index(Supply.WATER_LITRES)
    # Day by day: what is left in the morning against 3,000 L needed.
    left, first_short = water.quantity, None
    for day in range(4):
        if day:
            left = max(0.0, left - 3000) + water.daily
        assert result.available[0, day, j] == pytest.approx(left)
        if first_short is None and left < 3000:
            first_short = day
    shortfalls = {s.supply: s for s in result.shortfalls()}
    if first_short is None:
        assert Supply.WATER_LITRES not in shortfalls
    else:
        assert shortfalls[Supply.WATER_LITRES].day == occupancy.days[first_short]


def test_sites_without_declared_stocks_are_undeclared_not_short() -> None:
    """No stock figure means no shortfall is claimed, and the site is listed as undeclared."""
    result = shelter_needs(load_bundled("east-aleppo-2016"), days=3)
    short_sites = {s.site for s in result.shortfalls()}
    undeclared = {site for site, _ in result.undeclared()}
    assert "atareb" in undeclared
    assert "atareb" not in short_sites


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("standards: [{supply: petrol, per_person: 1, source: {text: x}}]", "supply"),
        ("standards: [{supply: water-litres, per_person: -1, source: {text: x}}]", ">= 0"),
        ("standards: [{supply: water-litres, per_person: 15}]", "source"),
        ("standards: []", "'water-litres' once"),
    ],
)
def test_a_bad_standards_file_is_refused_naming_the_entry(text: str, words: str) -> None:
    """Unknown supplies, negative figures, missing sources and missing supplies are errors."""
    with pytest.raises(InvalidInput, match="standards") as caught:
        parse_standards(text)
    assert words in str(caught.value)
