"""Allocating a forecast's arrivals: its band placed, p90 as the risk, shortfall by site, group."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.scenario import Group
from corridor.errors import Infeasible, InvalidInput
from corridor.reception.forecast import GROUPS, Forecast, destination_sites
from corridor.services.reception import allocate_arrivals, arrivals_allocation_view

SCENARIO = load_bundled("east-aleppo-2016")
SITES = destination_sites(SCENARIO)


def forecast(**bands: dict[tuple[str, Group], int]) -> Forecast:
    """A two-hour forecast with the given people per (site, group) in hour 1 of each band."""
    grids = {}
    for band in ("p10", "p50", "p90"):
        grid = np.zeros((len(SITES), 2, len(GROUPS)), dtype=np.int64)
        for (site, group), people in bands.get(band, bands["p50"]).items():
            grid[SITES.index(site), 1, GROUPS.index(group)] = people
        grids[band] = grid
    return Forecast("test", SCENARIO.start, SITES, 2, grids["p10"], grids["p50"], grids["p90"], 3)


def test_the_people_of_the_band_are_placed_and_the_p90_band_is_the_risk() -> None:
    """p50 fits; p90 brings 9,000 more civilians to Jibreen than it holds: the risk names them."""
    arrivals = forecast(
        p50={("idlib", Group.CIVILIANS): 12_000, ("jibreen", Group.WOUNDED_SEATED): 100},
        p90={("idlib", Group.CIVILIANS): 12_000, ("jibreen", Group.CIVILIANS): 13_000},
    )
    result = allocate_arrivals(SCENARIO, arrivals)
    view = arrivals_allocation_view(SCENARIO, result)
    assert view["placed"] == view["arrivals"] == 12_100
    by_group = {g.value: 0 for g in Group}
    for p in view["placements"]:
        by_group[p["group"]] += p["people"]
    assert by_group["civilians"] == 12_000
    assert by_group["wounded-seated"] == 100
    risk = view["risk"]
    assert risk["arrivals"] == 25_000
    # Foua-Kefraya's people may only go to Jibreen: 4,000 collective-centre places
    # (households with an elderly or disabled member are a row of their own).
    short = risk["shortfalls"]
    assert {(r["site"], r["group"]) for r in short} == {("jibreen", "civilians")}
    assert sum(r["people"] for r in short) == 9_000
    assert all("jibreen collective-centre 4,000/4,000" in r["reason"] for r in short)


def test_arrivals_beyond_every_open_place_are_refused_naming_site_group_and_people() -> None:
    """The band itself does not fit: Infeasible with the exact people short at the arrival site."""
    arrivals = forecast(p50={("jibreen", Group.WOUNDED_STRETCHER): 130})
    with pytest.raises(Infeasible) as caught:
        allocate_arrivals(SCENARIO, arrivals)
    (short,) = caught.value.shortfalls
    assert short.group == "wounded-stretcher"
    assert short.where.startswith("jibreen (arrivals of foua-kefraya")
    assert short.missing == 30  # Jibreen has 100 stretcher beds
    assert str(caught.value).startswith("30 people of the p50 arrivals have no shelter place")


def test_a_band_that_brings_nobody_is_refused() -> None:
    """An empty p10 band is an error naming the band, not an empty allocation."""
    arrivals = forecast(p50={("idlib", Group.CIVILIANS): 50}, p10={})
    with pytest.raises(
        InvalidInput, match="test: nobody arrives at a reception site in the p10 band"
    ):
        allocate_arrivals(SCENARIO, arrivals, band="p10")


def test_an_unknown_band_is_refused() -> None:
    """Only p10, p50 and p90 are bands."""
    arrivals = forecast(p50={("idlib", Group.CIVILIANS): 50})
    with pytest.raises(InvalidInput, match="band must be one of p10, p50, p90, found 'p75'"):
        allocate_arrivals(SCENARIO, arrivals, band="p75")
