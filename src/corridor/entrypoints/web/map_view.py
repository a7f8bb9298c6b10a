"""The map as GeoJSON: sites by kind, shelters' occupancy, road links, corridors, trips, incidents.

Trips on the move are drawn at their last counted site (the ledger records
sites, not GPS fixes), counted per site and stage. A halted trip is drawn on
its own where it halted (`services.trip_positions`): on the road to its next
site, or at the site its halt named, with words in the reader's language
saying so ("last counted at X, halted on the road to Y since ..."). Incidents
are drawn at the site they were reported at. The scenario's own geometry is
the map; the browser lays it over the bundled Natural Earth boundaries, and
over online tiles when the server was given a tile URL (`tiles`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from corridor.adapters.scenario_file import load_bundled
from corridor.domain.custody import Trip
from corridor.domain.scenario import Scenario
from corridor.entrypoints.web.i18n import translations, when
from corridor.entrypoints.web.names import Names
from corridor.reception.forecast import destination_sites
from corridor.reception.live import check_ins
from corridor.services.live import OperationRecord
from corridor.services.trip_positions import (
    AT_LAST_SITE,
    INCIDENT_SITE,
    NAMED_SITE,
    Position,
    halted_position,
)


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


def halted_words(trip: Trip, at: Position, world: Scenario, lang: str) -> str:
    """What a halted trip's popup says: where it was last counted, where it halted, since when."""
    gettext = translations(lang).gettext
    names = Names.of(world, lang)
    since = when(trip.halted_at, lang, world.timezone) or gettext("a time not recorded")
    last, toward = names.text(at.last_site), names.text(at.toward)
    if at.how == INCIDENT_SITE:
        words = gettext(
            "last counted at %(last)s, halted by incident %(incident)s at %(site)s since %(since)s"
        )
        said = words % {"last": last, "incident": trip.halted_by, "site": toward, "since": since}
    elif at.how == NAMED_SITE:
        words = gettext("last counted at %(last)s, halted at %(site)s since %(since)s")
        said = words % {"last": last, "site": toward, "since": since}
    elif at.how == AT_LAST_SITE:
        words = gettext("halted at %(last)s, its last counted site, since %(since)s")
        said = words % {"last": last, "since": since}
    else:
        words = gettext("last counted at %(last)s, halted on the road to %(next)s since %(since)s")
        said = words % {"last": last, "next": toward, "since": since}
    if at.estimated:
        said += " " + gettext("(drawn half way: the departure or halt time is not recorded)")
    return said


def _halted(trip: Trip, at: Position, world: Scenario, lang: str) -> dict[str, Any]:
    people = sum(trip.on_board.values())
    props = {"layer": "halted-trip", "trip": trip.id, "movement": trip.movement,
             "people": people, "last_site": at.last_site, "toward": at.toward, "how": at.how,
             "share": round(at.share, 3), "estimated": at.estimated,
             "since": trip.halted_at or None,
             "words": halted_words(trip, at, world, lang)}  # fmt: skip
    return _point([at.lon, at.lat], props)


def map_features(
    record: OperationRecord, detail: bool = True, lang: str = "en", tiles: str | None = None
) -> dict[str, Any]:
    """Every layer of the map; shelters' check-ins per site only with `detail` (else totals).

    `tiles`, when the server was given an online tile URL, travels with the
    features (a foreign member of the collection) for the page to lay under them.
    """
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
    halts: list[dict[str, Any]] = []
    incident_sites = {
        str(v.get("incident", k)): str(v.get("site") or "") for k, v in record.incidents.items()
    }
    for trip in record.book.trips.values():
        if trip.last_site not in where or str(trip.stage) in ("planned", "closed"):
            continue
        halted_now = str(trip.stage) == "halted"
        position = halted_position(world, trip, incident_sites) if halted_now else None
        if position is not None:
            halts.append(_halted(trip, position, world, lang))
            continue
        group = at_site.setdefault(trip.last_site, {"trips": 0, "people": 0, "stages": {}})
        group["trips"] += 1
        group["people"] += sum(trip.on_board.values())
        group["stages"][str(trip.stage)] = group["stages"].get(str(trip.stage), 0) + 1
    for site_id, group in sorted(at_site.items()):
        halted = group["stages"].get("halted", 0) > 0
        props = {"layer": "trips", "site": site_id, "halted": halted, **group}
        features.append(_point(where[site_id], props))
    features.extend(sorted(halts, key=lambda f: str(f["properties"]["trip"])))
    for key in sorted(record.incidents):
        found = record.incidents[key]
        place = str(found.get("site"))
        if place in where:
            props = {"layer": "incident", "id": key, "kind": found.get("kind"),
                     "severity": found.get("severity"), "status": found.get("status")}  # fmt: skip
            features.append(_point(where[place], props))
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if tiles:
        collection["tiles"] = tiles
    return collection
