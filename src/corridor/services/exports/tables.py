"""The HXL tables: each figure with its column header and its HXL hashtag.

A table is plain values: columns (a key, a header people read, an HXL tag
machines join on) and rows. Every row carries the export's provenance
(operation, the last ledger event included and its hash, the time it was
made), so a figure copied into a 3W sheet can still be traced to the ledger.

Roles: every table passes through the API's redaction for the caller's role;
for roles without personal-data rights (liaison, observer) the tables hold
aggregates only: free text (incident notes, who reported, who checked) is
left out, and trips are counted by movement and stage, not listed by vehicle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from corridor.domain.custody import TripStage
from corridor.domain.figures import side_by_side
from corridor.errors import InvalidInput
from corridor.protection.access import AccessRole, sees_personal_data
from corridor.services.exports.columns import AREA, Column, Table, scoped_table
from corridor.services.exports.daily import FIGURES
from corridor.services.exports.places import Places
from corridor.services.exports.reading import OperationRead
from corridor.services.exports.reception_tables import needs_table, reception_table

DAY_FIGURE_TAGS = {
    "trips_boarded": ("Trips boarded", "#indicator+num+trips+boarded"),
    "people_boarded": ("People boarded", "#reached+ind+boarded"),
    "trips_arrived": ("Trips arrived", "#indicator+num+trips+arrived"),
    "people_arrived": ("People arrived", "#reached+ind+arrived"),
    "halts": ("Halts", "#indicator+num+halts"),
    "turn_backs": ("Turned back", "#indicator+num+turned_back"),
    "alerts": ("Protection alerts", "#indicator+num+alerts"),
    "people_missing": ("People missing at a count", "#affected+ind+missing"),
    "exits": ("Exits on the record", "#affected+ind+exited"),
    "incidents": ("Incidents reported", "#indicator+num+incidents"),
}


def figures_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Per movement and day: trips, people boarded and arrived, halts, alerts, exits."""
    columns = [
        Column("date", "Date", "#date"),
        Column("movement", "Movement", "#activity+code"),
        Column("movement_name", "Movement name", "#activity+name"),
        Column("origin", "Origin site", "#loc+origin+code"),
        Column("origin_name", "Origin", "#loc+origin+name"),
        Column("adm1_code", "Origin governorate P-code", "#adm1+origin+code"),
        *(Column(key, *DAY_FIGURE_TAGS[key]) for key in FIGURES),
        Column("arrived_total", "People arrived to date", "#reached+ind+arrived+total"),
    ]
    rows = []
    arrived: Counter[str] = Counter()
    for day, movement, figures in read.series.rows(read.day):
        declared = read.record.movements.get(movement, {})
        origin = places[declared.get("origin", "")]
        arrived[movement] += figures.people_arrived
        rows.append(
            {
                "date": day.isoformat(),
                "movement": movement,
                "movement_name": declared.get("name", ""),
                "origin": origin.id,
                "origin_name": origin.name,
                "adm1_code": origin.area.adm1_code,
                **{key: getattr(figures, key) for key in FIGURES},
                "arrived_total": arrived[movement],
            }
        )
    return scoped_table("figures", columns, rows, read, role)


def custody_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Per movement and group: registered = waiting + in transit + arrived + exits."""
    columns = [
        Column("movement", "Movement", "#activity+code"),
        Column("group", "Group", "#beneficiary+type"),
        Column("registered", "Registered", "#targeted+ind"),
        Column("waiting", "Waiting", "#affected+ind+waiting"),
        Column("on_board", "On board", "#affected+ind+on_board"),
        Column("unaccounted", "Unaccounted (open alerts)", "#affected+ind+unaccounted"),
        Column("arrived", "Arrived", "#reached+ind+arrived"),
        Column("exits", "Exits on the record", "#affected+ind+exited"),
        Column("balanced", "Balanced", "#status+balanced"),
    ]
    rows = [
        {
            "movement": t.movement,
            "group": str(t.group),
            "registered": t.registered,
            "waiting": t.waiting,
            "on_board": t.on_board,
            "unaccounted": t.unaccounted,
            "arrived": t.arrived,
            "exits": t.exits,
            "balanced": "yes" if t.balanced else "no",
        }
        for t in read.record.book.tallies()
    ]
    return scoped_table("custody", columns, rows, read, role)


def trips_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Trips one by one for neutral roles; counted by movement and stage for the others."""
    book = read.record.book
    if not sees_personal_data(role):
        columns = [
            Column("movement", "Movement", "#activity+code"),
            Column("stage", "Stage", "#status+stage"),
            Column("trips", "Trips", "#indicator+num+trips"),
            Column("on_board", "People on board", "#affected+ind+on_board"),
        ]
        trips: Counter[tuple[str, str]] = Counter()
        people: Counter[tuple[str, str]] = Counter()
        for trip in book.trips.values():
            key = (trip.movement, str(trip.stage))
            trips[key] += 1
            people[key] += sum(trip.on_board.values()) if trip.stage.carrying else 0
        rows = [
            {"movement": m, "stage": s, "trips": n, "on_board": people[(m, s)]}
            for (m, s), n in sorted(trips.items())
        ]
        return scoped_table("trips", columns, rows, read, role)
    columns = [
        Column("trip", "Trip", "#operations+trip+code"),
        Column("movement", "Movement", "#activity+code"),
        Column("vehicle", "Vehicle", "#operations+vehicle+code"),
        Column("convoy", "Convoy", "#operations+convoy+code"),
        Column("stage", "Stage", "#status+stage"),
        Column("site", "Last site", "#loc+code"),
        Column("site_name", "Last site name", "#loc+name"),
        Column("lat", "Latitude", "#geo+lat"),
        Column("lon", "Longitude", "#geo+lon"),
        *AREA,
        Column("people", "People on last count", "#affected+ind"),
        Column("open_alerts", "Open protection alerts", "#indicator+num+alerts+open"),
    ]
    rows = []
    for trip in sorted(book.trips.values(), key=lambda t: t.id):
        place = places[trip.last_site]
        rows.append(
            {
                "trip": trip.id,
                "movement": trip.movement,
                "vehicle": trip.vehicle,
                "convoy": trip.convoy,
                "stage": str(trip.stage),
                "site": trip.last_site,
                "site_name": place.name if trip.last_site else "",
                "lat": place.lat,
                "lon": place.lon,
                "adm1_code": place.area.adm1_code,
                "adm1_name": place.area.adm1_name,
                "people": sum(trip.on_board.values()),
                "open_alerts": len(book.open_alerts_of(trip)),
            }
        )
    return scoped_table("trips", columns, rows, read, role)


def incidents_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Incidents with kind, severity, status, time and place; notes for neutral roles only."""
    columns = [
        Column("incident", "Incident", "#event+code"),
        Column("kind", "Kind", "#event+type"),
        Column("severity", "Severity", "#severity+num"),
        Column("status", "Status", "#status+verification"),
        Column("at", "Occurred", "#date+occurred"),
        Column("corridor", "Corridor", "#loc+corridor+code"),
        Column("site", "Site", "#loc+code"),
        Column("site_name", "Site name", "#loc+name"),
        Column("lat", "Latitude", "#geo+lat"),
        Column("lon", "Longitude", "#geo+lon"),
        *AREA,
        Column("reporter", "Reported by", "#contact+reporter", free_text=True),
        Column("checked_by", "Verified or refuted by", "#org+verifier", free_text=True),
        Column("note", "Note", "#description+notes", free_text=True),
    ]
    rows = []
    for key in sorted(read.record.incidents, key=_natural):
        found = read.record.incidents[key]
        place = places[found.get("site", "")]
        rows.append(
            {
                "incident": key,
                "kind": found.get("kind", ""),
                "severity": found.get("severity", ""),
                "status": found.get("status", ""),
                "at": found.get("at", ""),
                "corridor": found.get("corridor", ""),
                "site": place.id,
                "site_name": place.name,
                "lat": place.lat,
                "lon": place.lon,
                "adm1_code": place.area.adm1_code,
                "adm1_name": place.area.adm1_name,
                "reporter": found.get("reporter", found.get("by", "")),
                "checked_by": found.get("checked_by", ""),
                "note": found.get("note", ""),
            }
        )
    return scoped_table("incidents", columns, rows, read, role)


def claims_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Every claim by a party, guarantor or agency beside the ledger's own count."""
    columns = [
        Column("movement", "Movement", "#activity+code"),
        Column("figure", "Figure", "#indicator+name"),
        Column("ledger", "Ledger count", "#indicator+num+ledger"),
        Column("by", "Claimed by", "#org+name"),
        Column("claimant", "Claimant", "#org+type"),
        Column("value", "Claimed", "#indicator+num+claimed"),
        Column("difference", "Claim minus ledger", "#indicator+num+difference"),
        Column("source", "Source", "#meta+source"),
        Column("stated_at", "Stated", "#date+reported"),
    ]
    record = read.record
    rows = [
        {
            "movement": view.movement,
            "figure": str(view.figure),
            "ledger": view.ledger,
            "by": claim.by,
            "claimant": str(claim.claimant),
            "value": claim.value,
            "difference": claim.difference,
            "source": claim.source,
            "stated_at": claim.stated_at,
        }
        for view in side_by_side(record.book.tallies(), record.claims, record.movements)
        for claim in view.claims
    ]
    return scoped_table("claims", columns, rows, read, role)


def sites_table(read: OperationRead, places: Places, role: AccessRole) -> Table:
    """Sites with position, P-codes, capacity by group and the people arrived there.

    `arrived` is what the custody record knows: people counted off arrived
    trips at the site. Shelter occupancy and Sphere needs are the `reception`
    and `needs` tables (`reception_tables.py`).
    """
    columns = [
        Column("site", "Site", "#loc+code"),
        Column("name", "Site name", "#loc+name"),
        Column("kinds", "Kinds", "#loc+type"),
        Column("lat", "Latitude", "#geo+lat"),
        Column("lon", "Longitude", "#geo+lon"),
        Column("approximate", "Position approximate", "#geo+approximate"),
        Column("country", "Country", "#country+code"),
        *AREA,
        Column("group", "Group", "#beneficiary+type"),
        Column("capacity", "Places", "#capacity+ind"),
        Column("arrived", "People arrived", "#reached+ind+arrived"),
    ]
    arrived: Counter[tuple[str, str]] = Counter()
    for trip in read.record.book.trips.values():
        if trip.stage in (TripStage.ARRIVED, TripStage.CLOSED):
            for group, n in trip.on_board.items():
                arrived[(trip.last_site, str(group))] += n
    rows = []
    for site in read.scenario.sites:
        place = places[site.id]
        groups = sorted(
            {str(c.group) for c in site.capacities} | {g for s, g in arrived if s == site.id}
        )
        for kept in groups or [""]:
            rows.append(
                {
                    "site": site.id,
                    "name": site.name,
                    "kinds": " ".join(str(k) for k in site.kinds),
                    "lat": place.lat,
                    "lon": place.lon,
                    "approximate": "yes" if place.approximate else "no",
                    "country": place.area.country,
                    "adm1_code": place.area.adm1_code,
                    "adm1_name": place.area.adm1_name,
                    "group": kept,
                    "capacity": sum(c.places for c in site.capacities if str(c.group) == kept),
                    "arrived": arrived[(site.id, kept)],
                }
            )
    return scoped_table("sites", columns, rows, read, role)


def _natural(key: str) -> tuple[str, int]:
    head, _, number = key.rpartition("-")
    return (head, int(number)) if number.isdigit() else (key, 0)


TABLES: dict[str, Callable[[OperationRead, Places, AccessRole], Table]] = {
    "figures": figures_table,
    "custody": custody_table,
    "trips": trips_table,
    "incidents": incidents_table,
    "claims": claims_table,
    "sites": sites_table,
    "reception": reception_table,
    "needs": needs_table,
}


def table(name: str, read: OperationRead, places: Places, role: AccessRole) -> Table:
    """The table `name` of an operation as `role` may see it."""
    build = TABLES.get(name)
    if build is None:
        raise InvalidInput(f"table: {name!r} is not an export table; choose {', '.join(TABLES)}")
    return build(read, places, role)
