"""Where a halted trip is: on the road between its last counted site and the next one.

The ledger records sites, not GPS fixes. A trip that halts has left its last
counted site and not reached the next, so drawing it at the last site would
put a stalled bus back in the town it left. Its last known position is
estimated from what the record holds: when the deal's suspension halted it
over an incident at its last or next site, it is at the incident; when the
halt names a site further on than the last count (a checkpoint that stopped
it), it is there; otherwise
it is on the link to the next site of its corridor, as far along as the time
from leaving to halting covers of the link's travel time (never all the way:
it was not counted at the next site). Without both times it is put half way
and marked as estimated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from corridor.domain.custody import Trip
from corridor.domain.scenario import Scenario

INCIDENT_SITE = "incident-site"
"""Halted over an incident at its last or next site: the trip is at the incident."""
NAMED_SITE = "named-site"
"""The halt named a site of its route beyond the last count: the trip is there."""
ON_LINK = "on-link"
"""On the link from the last counted site to the next, by the times and travel time."""
AT_LAST_SITE = "at-last-site"
"""No next site is known (the end of its route, or off it): at the last counted site."""
FURTHEST = 0.9
"""A halted trip is drawn at most this far along the link: it was not counted at its end."""
UNKNOWN_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Position:
    """A halted trip's last known place, and how it was worked out."""

    lon: float
    lat: float
    last_site: str
    toward: str
    """The next site on its route (the named site for NAMED_SITE; empty at its last site)."""
    how: str
    share: float
    """How far along the link it is drawn (0 at the last site, 1 at the next)."""
    estimated: bool = False
    """True when the times needed to place it on the link were missing."""


def _minutes(start: str, end: str) -> float | None:
    try:
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60
    except ValueError:
        return None


def _route(world: Scenario, trip: Trip) -> tuple[str, ...]:
    try:
        return world.corridor(world.movement(trip.movement).corridor).sites
    except KeyError:
        return ()


def _travel_minutes(world: Scenario, a: str, b: str) -> float | None:
    for link in world.links:
        if {link.a, link.b} == {a, b}:
            return link.minutes
    return None


def halted_position(
    world: Scenario, trip: Trip, incident_sites: Mapping[str, str] | None = None
) -> Position | None:
    """A halted trip's last known position; None when its last site has no coordinates.

    `incident_sites` gives each incident's site; an incident elsewhere (on
    another corridor, or further down this one) does not place the trip.
    """
    where = {s.id: s.coordinates for s in world.sites if s.coordinates}
    here = where.get(trip.last_site)
    if here is None:
        return None
    route = _route(world, trip)
    ahead = route[route.index(trip.last_site) + 1 :] if trip.last_site in route else ()
    toward = next((s for s in ahead if s in where), "")
    hit = (incident_sites or {}).get(trip.halted_by, "") if trip.halted_by else ""
    if hit and hit in where and hit in (trip.last_site, toward):
        there = where[hit]
        share = 0.0 if hit == trip.last_site else 1.0
        return Position(there.lon, there.lat, trip.last_site, hit, INCIDENT_SITE, share)
    named = trip.halted_site
    if named and named != trip.last_site and named in ahead and named in where:
        there = where[named]
        return Position(there.lon, there.lat, trip.last_site, named, NAMED_SITE, 1.0)
    if not toward:
        return Position(here.lon, here.lat, trip.last_site, "", AT_LAST_SITE, 0.0)
    travel = _travel_minutes(world, trip.last_site, toward)
    elapsed = _minutes(trip.left_at, trip.halted_at) if trip.left_at and trip.halted_at else None
    estimated = travel is None or travel <= 0 or elapsed is None
    if travel is None or elapsed is None or travel <= 0:
        share = UNKNOWN_SHARE
    else:
        share = min(max(elapsed / travel, 0.0), FURTHEST)
    there = where[toward]
    lon = here.lon + (there.lon - here.lon) * share
    lat = here.lat + (there.lat - here.lat) * share
    return Position(lon, lat, trip.last_site, toward, ON_LINK, share, estimated)
