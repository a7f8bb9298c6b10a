"""Reception from the live ledger: who has checked in at each shelter, who is on the road.

A trip's arrival count at a reception site is its check-in there. Trips that
have left and not yet arrived (departed, at a checkpoint, halted) are on the
road: each is expected at the first destination of its movement, in the
movement's order, with room left for its first group, after the road minutes
from the last site it was counted at. Both go into the forecast's one shape,
with hour 0 the moment of reading: arrivals so far in hour 0, trips on the
road in the hour they are expected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corridor.domain.custody import Trip, TripStage
from corridor.domain.scenario import Group, Scenario
from corridor.planning.paths import Roads
from corridor.reception.forecast import GROUPS, Forecast, destination_sites

ARRIVED = (TripStage.ARRIVED, TripStage.CLOSED)
ON_THE_ROAD = (TripStage.DEPARTED, TripStage.AT_CHECKPOINT, TripStage.HALTED)


@dataclass(frozen=True)
class OnTheRoad:
    """A loaded trip not yet arrived, and where and when it is expected."""

    trip: str
    movement: str
    last_site: str
    people: dict[Group, int]
    destination: str | None
    minutes: float | None


def check_ins(scenario: Scenario, trips: Iterable[Trip]) -> dict[str, dict[Group, int]]:
    """People counted on arrival at each reception site, by group."""
    received = set(destination_sites(scenario))
    out: dict[str, dict[Group, int]] = {}
    for trip in trips:
        if trip.stage in ARRIVED and trip.last_site in received:
            into = out.setdefault(trip.last_site, {})
            for group, count in trip.on_board.items():
                into[group] = into.get(group, 0) + count
    return out


def on_the_road(
    scenario: Scenario, trips: Iterable[Trip], arrived: dict[str, dict[Group, int]]
) -> tuple[OnTheRoad, ...]:
    """Every loaded trip on the road, with its expected destination and road minutes to it."""
    roads = Roads(scenario.links)
    room = {
        (d, g): scenario.site(d).capacity_for(g) - arrived.get(d, {}).get(g, 0)
        for m in scenario.movements
        for d in m.destinations
        for g in Group
    }
    out: list[OnTheRoad] = []
    for trip in sorted(trips, key=lambda t: t.id):
        if trip.stage not in ON_THE_ROAD or not trip.on_board:
            continue
        movement = scenario.movement(trip.movement)
        first = next(iter(trip.on_board))
        destination = next(
            (d for d in movement.destinations if room.get((d, first), 0) > 0),
            movement.destinations[0],
        )
        for group, count in trip.on_board.items():
            room[(destination, group)] = room.get((destination, group), 0) - count
        minutes = roads.minutes(trip.last_site, destination) if trip.last_site else None
        out.append(
            OnTheRoad(
                trip.id, trip.movement, trip.last_site, dict(trip.on_board), destination, minutes
            )
        )
    return tuple(out)


def from_ledger(scenario: Scenario, trips: Iterable[Trip], now: str) -> Forecast:
    """Check-ins so far (hour 0) and trips on the road (the hour expected); `now` is local."""
    trips = list(trips)
    sites = destination_sites(scenario)
    index = {s: i for i, s in enumerate(sites)}
    group_index = {g: i for i, g in enumerate(GROUPS)}
    arrived = check_ins(scenario, trips)
    road = on_the_road(scenario, trips, arrived)
    hours = 1 + max((math.ceil((r.minutes or 0.0) / 60.0) for r in road), default=0)
    grid = np.zeros((len(sites), hours, len(GROUPS)), dtype=np.int64)
    for site, counts in arrived.items():
        for group, count in counts.items():
            grid[index[site], 0, group_index[group]] += count
    for r in road:
        if r.destination is None or r.destination not in index:
            continue
        hour = math.ceil((r.minutes or 0.0) / 60.0)
        for group, count in r.people.items():
            grid[index[r.destination], hour, group_index[group]] += count
    return Forecast("ledger", now, sites, hours, grid, grid, grid)
