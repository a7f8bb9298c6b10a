"""The map as GeoJSON: sites by kind, shelters' occupancy, road links, corridors, trips, incidents.

Trips are drawn at their last known site (the ledger records sites, not GPS
fixes), counted per site and stage; incidents at the site they were reported
at. The scenario's own geometry is the map; the browser lays it over the
bundled Natural Earth boundaries.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.scenario import Scenario
from corridor.reception.forecast import destination_sites
from corridor.reception.live import check_ins
from corridor.services.live import OperationRecord


@cache
def _bundled(scenario: str) -> Scenario:
    return load_bundled(scenario)


def world_of(record: OperationRecord) -> Scenario:
    return record.world if record.world is not None else _bundled(record.scenario)


def _point(at: list[float], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": at},
            "properties": props}  # fmt: skip


def _line(points: list[list[float]], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": points},
            "properties": props}  # fmt: skip


def map_features(record: OperationRecord, detail: bool = True) -> dict[str, Any]:
    """Every layer of the map; shelters' check-ins per site only with `detail` (else totals)."""
    world = world_of(record)
    where = {s.id: [s.coordinates.lon, s.coordinates.lat] for s in world.sites if s.coordinates}
    received = set(destination_sites(world))
    arrived = check_ins(world, record.book.trips.values()) if received else {}
    features: list[dict[str, Any]] = []
    for site in world.sites:
        if site.id in where:
            places = sum(c.places for c in site.capacities)
            props = {"layer": "site", "id": site.id, "name": site.name, "name_ar": site.name_ar,
                     "kinds": [str(k) for k in site.kinds], "places": places}  # fmt: skip
            if site.id in received:
                props["shelter"] = True
                if detail:
                    props["checked_in"] = sum(arrived.get(site.id, {}).values())
            features.append(_point(where[site.id], props))
    for link in world.links:
        if link.a in where and link.b in where:
            features.append(_line([where[link.a], where[link.b]], {"layer": "link", "id": link.id}))
    for corridor in world.corridors:
        points = [where[s] for s in corridor.sites if s in where]
        if len(points) > 1:
            features.append(_line(points, {"layer": "corridor", "id": corridor.id}))
    at_site: dict[str, dict[str, Any]] = {}
    for trip in record.book.trips.values():
        if trip.last_site not in where or str(trip.stage) in ("planned", "closed"):
            continue
        group = at_site.setdefault(trip.last_site, {"trips": 0, "people": 0, "stages": {}})
        group["trips"] += 1
        group["people"] += sum(trip.on_board.values())
        group["stages"][str(trip.stage)] = group["stages"].get(str(trip.stage), 0) + 1
    for site_id, group in sorted(at_site.items()):
        halted = group["stages"].get("halted", 0) > 0
        props = {"layer": "trips", "site": site_id, "halted": halted, **group}
        features.append(_point(where[site_id], props))
    for key in sorted(record.incidents):
        found = record.incidents[key]
        place = str(found.get("site"))
        if place in where:
            props = {"layer": "incident", "id": key, "kind": found.get("kind"),
                     "severity": found.get("severity"), "status": found.get("status")}  # fmt: skip
            features.append(_point(where[place], props))
    return {"type": "FeatureCollection", "features": features}
