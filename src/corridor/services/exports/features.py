"""Map features of an operation: sites, links, corridors, convoys' last positions, incidents.

Built as RFC 7946 GeoJSON values: WGS84 longitude-latitude positions, no
`crs` member, lines only (no polygon, so no ring orientation to get wrong).
A site without coordinates is left off the map, and so is anything placed
at it. Each feature says what it is in `properties.layer`.

Roles, as for the tables: neutral roles see each convoy by id with its trips;
liaisons and observers see how many trips and people stand at each site, and
incidents without their free text; everything passes the API's redaction.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from corridor.domain.custody import Trip
from corridor.protection.access import AccessRole, sees_personal_data
from corridor.protection.redaction import redact
from corridor.services.exports.places import Place, Places
from corridor.services.exports.reading import OperationRead


def _point(place: Place) -> dict[str, Any] | None:
    if place.lat is None or place.lon is None:
        return None
    return {"type": "Point", "coordinates": [place.lon, place.lat]}


def _line(places: list[Place]) -> dict[str, Any] | None:
    points = [[p.lon, p.lat] for p in places if p.lat is not None and p.lon is not None]
    if len(points) < 2 or len(points) != len(places):
        return None
    return {"type": "LineString", "coordinates": points}


def _feature(geometry: dict[str, Any] | None, layer: str, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": {"layer": layer, **properties}}


def _area(place: Place) -> dict[str, Any]:
    return {"adm1_code": place.area.adm1_code, "adm1_name": place.area.adm1_name}


def feature_collection(read: OperationRead, places: Places, role: AccessRole) -> dict[str, Any]:
    """The operation's map as `role` may see it, with its provenance as a foreign member."""
    scenario = read.scenario
    features: list[dict[str, Any]] = []
    for site in scenario.sites:
        place = places[site.id]
        features.append(
            _feature(
                _point(place),
                "site",
                id=site.id,
                name=site.name,
                kinds=[str(k) for k in site.kinds],
                approximate=place.approximate,
                capacity=sum(c.places for c in site.capacities),
                **_area(place),
            )
        )
    for link in scenario.links:
        features.append(
            _feature(
                _line([places[link.a], places[link.b]]),
                "link",
                id=link.id,
                a=link.a,
                b=link.b,
                minutes=link.minutes,
                km=link.km,
            )
        )
    for corridor in scenario.corridors:
        features.append(
            _feature(
                _line([places[s] for s in corridor.sites]),
                "corridor",
                id=corridor.id,
                name=corridor.name,
                sites=list(corridor.sites),
            )
        )
    features += _convoys(read, places, role)
    features += _incidents(read, places, role)
    collection = {
        "type": "FeatureCollection",
        "features": [f for f in features if f["geometry"] is not None],
        "corridor": {
            "operation": read.provenance.operation,
            "ledger_sequence": read.provenance.sequence,
            "ledger_hash": read.provenance.hash,
            "generated_at": read.provenance.generated_at,
            "as_of": read.provenance.as_of,
        },
    }
    shown: dict[str, Any] = redact(collection, role)
    return shown


def _convoys(read: OperationRead, places: Places, role: AccessRole) -> list[dict[str, Any]]:
    """Where trips on the road stand: by convoy for neutral roles, by site for the others."""
    carrying = [t for t in read.record.book.trips.values() if t.stage.carrying and t.last_site]
    if not sees_personal_data(role):
        at: dict[str, list[Trip]] = defaultdict(list)
        for trip in carrying:
            at[trip.last_site].append(trip)
        return [
            _feature(
                _point(places[site]),
                "convoy",
                site=site,
                trips=len(trips),
                people=sum(sum(t.on_board.values()) for t in trips),
                **_area(places[site]),
            )
            for site, trips in sorted(at.items())
        ]
    by: dict[tuple[str, str], list[Trip]] = defaultdict(list)
    for trip in carrying:
        by[(trip.convoy or trip.id, trip.last_site)].append(trip)
    return [
        _feature(
            _point(places[site]),
            "convoy",
            convoy=convoy,
            site=site,
            movement=trips[0].movement,
            trips=sorted(t.id for t in trips),
            vehicles=sorted(t.vehicle for t in trips),
            stages=sorted({str(t.stage) for t in trips}),
            people=sum(sum(t.on_board.values()) for t in trips),
            **_area(places[site]),
        )
        for (convoy, site), trips in sorted(by.items())
    ]


def _incidents(read: OperationRead, places: Places, role: AccessRole) -> list[dict[str, Any]]:
    neutral = sees_personal_data(role)
    features = []
    for key, found in sorted(read.record.incidents.items()):
        place = places[found.get("site", "")]
        properties: dict[str, Any] = {
            "id": key,
            "kind": found.get("kind", ""),
            "severity": found.get("severity"),
            "status": found.get("status", ""),
            "at": found.get("at", ""),
            "corridor": found.get("corridor", ""),
            "site": place.id,
            **_area(place),
        }
        if neutral:
            properties["note"] = found.get("note", "")
            properties["reporter"] = found.get("reporter", "")
        features.append(_feature(_point(place), "incident", **properties))
    return features
