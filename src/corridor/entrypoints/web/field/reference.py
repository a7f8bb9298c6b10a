"""The reference data a field device caches: sites, fleet, movements, trips and what is due.

One view model built from the live record, as every panel is: the app draws
its screens from it offline, so it carries what a monitor needs to pick a
checkpoint, see the vehicles due there and the count each is expected to
show, and report an incident from the operation's closed lists. The clock
lets a device date a capture in the operation's own time when the
operation is an exercise (its device time mapped as the server maps the wall). Ids and
counts only: no names, no free text, no manifests.
"""

from __future__ import annotations

from typing import Any

from corridor.domain.custody import Trip, TripStage
from corridor.domain.door import Route
from corridor.services.live import OperationRecord

SEVERITIES = (1, 2, 3, 4, 5)
"""The severities an incident may carry (the API's bound)."""
ON_THE_ROAD = frozenset({TripStage.DEPARTED, TripStage.AT_CHECKPOINT})
"""Stages of a trip that is moving toward the sites ahead of it."""


def _ahead(route: Route, trip: Trip) -> list[str]:
    """The sites of the trip's route after the last one it was counted at."""
    sites = list(route.sites)
    if trip.last_site in sites:
        return sites[sites.index(trip.last_site) + 1 :]
    return sites


def _trip(routes: dict[str, Route], trip: Trip, record: OperationRecord) -> dict[str, Any]:
    route = routes.get(trip.movement)
    moving = trip.stage in ON_THE_ROAD
    return {
        "trip": trip.id,
        "movement": trip.movement,
        "vehicle": trip.vehicle,
        "convoy": trip.convoy,
        "stage": str(trip.stage),
        "last_site": trip.last_site,
        "expected": {str(g): n for g, n in sorted(trip.on_board.items())},
        "ahead": _ahead(route, trip) if route is not None and moving else [],
        "open_alerts": len(record.book.open_alerts_of(trip)),
    }


def reference_view(record: OperationRecord) -> dict[str, Any]:
    """What a field device keeps for this operation; rebuilt whenever the ledger moves."""
    world = record.book.world
    scenario = record.world
    routes: dict[str, Route] = dict(world.movements) if world is not None else {}
    names = {s.id: s.name for s in scenario.sites} if scenario is not None else {}
    on_routes = list(dict.fromkeys(s for r in routes.values() for s in r.sites))
    sites = [
        {
            "site": s,
            "name": names.get(s, s),
            "kinds": sorted(str(k) for k in (world.sites.get(s, ()) if world else ())),
        }
        for s in on_routes
    ]
    fleet = []
    if world is not None:
        for vehicle, kind in world.vehicles.items():
            fleet.append(
                {"vehicle": vehicle, "kind": kind.id, "seats": kind.seats,
                 "stretchers": kind.stretchers}
            )  # fmt: skip
    movements = [
        {
            "movement": r.movement,
            "corridor": r.corridor,
            "sites": list(r.sites),
            "boarding": list(r.boarding_sites),
            "destinations": list(r.destinations),
            "groups": [str(g) for g in r.groups],
        }
        for r in routes.values()
    ]
    corridors = {c: list(s) for c, s in world.corridors.items()} if world is not None else {}
    trips = [_trip(routes, record.book.trips[t], record) for t in sorted(record.book.trips)]
    return {
        "operation": record.id,
        "name": record.name,
        "zone": scenario.timezone if scenario is not None else "UTC",
        "sequence": record.last_sequence,
        "clock": record.clock.payload(),
        "sites": sites,
        "fleet": fleet,
        "movements": movements,
        "corridors": corridors,
        "trips": trips,
        "incident_kinds": list(world.incident_kinds) if world is not None else [],
        "severities": list(SEVERITIES),
    }
