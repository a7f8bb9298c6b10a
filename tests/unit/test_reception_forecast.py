"""Arrivals forecasts: a plan's trips by site, hour and group; a forecast with nobody refused."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.scenario import Group
from corridor.errors import InvalidInput
from corridor.planning.plan import Load, Plan, PlannedTrip, PlannedVehicle
from corridor.reception.forecast import GROUPS, by_day, from_plan, from_simulation
from corridor.simulation.metrics import RunOptions


def plan_of(trips: tuple[PlannedTrip, ...]) -> Plan:
    return Plan(
        scenario="east-aleppo-2016",
        vehicles=(PlannedVehicle("bus-1", "bus", "aleppo-depot"),),
        trips=trips,
        makespan=max((t.arrive for t in trips), default=0.0),
        lower_bound=0.0,
        person_hours_waiting=0.0,
        engine="test",
    )


def trip(sequence: int, destination: str, arrive: float, **loads: int) -> PlannedTrip:
    return PlannedTrip(
        "bus-1",
        sequence,
        "east-aleppo",
        "east-aleppo",
        destination,
        tuple(Load(Group(g.replace("_", "-")), n) for g, n in loads.items()),
        0.0,
        0.0,
        arrive - 60,
        arrive,
    )


def test_a_plan_puts_each_load_in_the_hour_and_site_it_unloads() -> None:
    """50 civilians at al-Atarib in hour 2, 2 minors at Idlib in hour 25 (the next day)."""
    scenario = load_bundled("east-aleppo-2016")
    forecast = from_plan(
        scenario,
        plan_of(
            (
                trip(0, "atareb", 150.0, civilians=50),
                trip(1, "idlib", 25 * 60 + 5, unaccompanied_minors=2),
            )
        ),
    )
    atareb, idlib = forecast.sites.index("atareb"), forecast.sites.index("idlib")
    civilians = GROUPS.index(Group.CIVILIANS)
    minors = GROUPS.index(Group.UNACCOMPANIED_MINORS)
    assert forecast.p50[atareb, 2, civilians] == 50
    assert forecast.p50[idlib, 25, minors] == 2
    assert forecast.total() == 52
    assert (forecast.p10 == forecast.p90).all()
    dates, people = by_day(forecast, 2)
    assert dates == ("2016-12-15", "2016-12-16")
    # Start 05:00 on the 15th: hour 25 is 06:05 on the 16th.
    assert people[idlib].tolist() == [0, 2]
    assert people[atareb].tolist() == [50, 50]


def test_a_plan_that_brings_nobody_is_refused() -> None:
    """No trips, no arrivals: the forecast is an error, not an empty chart."""
    with pytest.raises(
        InvalidInput, match="the plan's trips bring nobody to any reception site: no arrivals"
    ):
        from_plan(load_bundled("east-aleppo-2016"), plan_of(()))


def test_simulated_runs_that_bring_nobody_are_refused_naming_the_runs() -> None:
    """Runs stopped an hour after the start deliver nobody: an error, not an empty forecast."""
    with pytest.raises(
        InvalidInput, match=r"the p50 band of the simulation \(2 runs, seed 7\) brings nobody"
    ):
        from_simulation(load_bundled("tiny"), 2, 7, options=RunOptions(horizon_minutes=1.0))


def test_simulated_bands_are_ordered_and_repeat_for_a_seed() -> None:
    """p10 <= p50 <= p90 of people arrived by each hour; the same seed gives the same bands."""
    scenario = load_bundled("tiny")
    first = from_simulation(scenario, 3, 7)
    again = from_simulation(scenario, 3, 7)
    assert (first.p50 == again.p50).all()
    low, mid, high = (band.cumsum(axis=1) for band in (first.p10, first.p50, first.p90))
    assert (low <= mid).all()
    assert (mid <= high).all()
