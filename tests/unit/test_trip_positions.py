"""A halted trip's last known position: on the road it halted on, or where its halt says."""

from __future__ import annotations

import pytest

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.custody import Trip, TripStage
from corridor.domain.scenario import Group
from corridor.services.trip_positions import (
    AT_LAST_SITE,
    INCIDENT_SITE,
    NAMED_SITE,
    ON_LINK,
    halted_position,
)

WORLD = load_bundled("east-aleppo-2016")
LEFT = "2016-12-15T08:00:00.000000Z"


def _halted(last: str, halted_at: str, halted_site: str = "", left_at: str = LEFT) -> Trip:
    trip = Trip("t", "east-aleppo", "bus", TripStage.HALTED, last, {Group.CIVILIANS: 40})
    trip.left_at, trip.halted_at, trip.halted_site = left_at, halted_at, halted_site or last
    return trip


def test_a_trip_halted_after_half_its_link_time_is_drawn_half_way_to_the_next_site() -> None:
    """13-minute link east Aleppo - Ramouseh, halted after 6.5 minutes: half way along it."""
    at = halted_position(WORLD, _halted("east-aleppo", "2016-12-15T08:06:30.000000Z"))
    assert at is not None
    here, there = WORLD.site("east-aleppo").coordinates, WORLD.site("ramouseh").coordinates
    assert here is not None
    assert there is not None
    assert (at.how, at.toward, at.share, at.estimated) == (ON_LINK, "ramouseh", 0.5, False)
    assert at.lon == pytest.approx((here.lon + there.lon) / 2)


def test_a_long_halt_never_reaches_the_next_site_and_missing_times_are_marked_estimated() -> None:
    """Hours after leaving: 0.9 of the way, not at Ramouseh; without times: half way, marked."""
    late = halted_position(WORLD, _halted("east-aleppo", "2016-12-15T12:00:00.000000Z"))
    assert late is not None
    assert late.share == pytest.approx(0.9)
    blind = halted_position(WORLD, _halted("east-aleppo", "", left_at=""))
    assert blind is not None
    assert (blind.share, blind.estimated) == (0.5, True)


def test_a_halt_naming_a_site_further_on_puts_the_trip_there_and_the_route_end_keeps_it() -> None:
    """Halted naming Ramouseh: at Ramouseh. Last counted at the route's end: stays there."""
    named = halted_position(WORLD, _halted("east-aleppo", LEFT, halted_site="ramouseh"))
    assert named is not None
    assert (named.how, named.toward, named.share) == (NAMED_SITE, "ramouseh", 1.0)
    end = WORLD.corridor(WORLD.movement("east-aleppo").corridor).sites[-1]
    last = halted_position(WORLD, _halted(end, LEFT))
    assert last is not None
    assert (last.how, last.toward) == (AT_LAST_SITE, "")


def test_a_trip_halted_over_an_incident_at_its_next_site_is_there_and_one_elsewhere_is_not() -> (
    None
):
    """Incident at Ramouseh (next site): at Ramouseh. An incident on another road: on the link."""
    trip = _halted("east-aleppo", "2016-12-15T08:06:30.000000Z")
    trip.halted_by = "i-1"
    near = halted_position(WORLD, trip, {"i-1": "ramouseh"})
    assert near is not None
    assert (near.how, near.toward, near.share) == (INCIDENT_SITE, "ramouseh", 1.0)
    far = halted_position(WORLD, trip, {"i-1": "foua"})
    assert far is not None
    assert (far.how, far.share) == (ON_LINK, 0.5)
