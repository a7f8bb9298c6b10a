"""A vehicle's manifest sheet: names for the neutral roles, counts for everyone else.

Lists of names demanded at checkpoints put people in danger, so the sheet a
liaison or a checkpoint receives is built without ever opening a record:
trip, vehicle, movement, where and when it boarded, and the counts by group.
A neutral role (coordinator, monitor, reception) gets the names too, read
from the vault under one audited `personal-data-read` whose purpose is the
printed manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.domain.events import RecordedEvent
from corridor.domain.operation import operation_stream
from corridor.errors import NotFound
from corridor.protection.access import Permission, Principal, sees_personal_data
from corridor.services.personal_data import PersonalData

TRIP_BOARDED = "trip-boarded"
TRIP_PLANNED = "trip-planned"


@dataclass(frozen=True)
class ManifestLine:
    person: str
    ref: str
    full_name: str
    other_name: str
    sex: str
    age: int | None
    birth_year: int | None
    vulnerabilities: tuple[str, ...]


@dataclass(frozen=True)
class ManifestSheet:
    operation: str
    trip: str
    vehicle: str
    movement: str
    site: str
    boarded_at: str
    """UTC instant of the boarding record; pages show it in calendar time."""
    counts: dict[str, int]
    total: int
    names: bool
    """Whether this sheet carries names (neutral roles, manifest boarding) or counts only."""
    people: tuple[ManifestLine, ...] = ()


def manifest_sheet(
    personal: PersonalData, who: Principal, operation: str, trip: str
) -> ManifestSheet:
    """The sheet of `trip`'s latest boarding as `who` may see it."""
    who.require(Permission.READ, operation)
    boarded = _boardings(personal, operation).get(trip)
    if boarded is None:
        raise NotFound(f"trip {trip!r} has not boarded in operation {operation}")
    return _sheet(personal, who, operation, trip, boarded)


def convoy_sheets(
    personal: PersonalData, who: Principal, operation: str, convoy: str
) -> list[ManifestSheet]:
    """One sheet per boarded vehicle of `convoy`, in trip order."""
    who.require(Permission.READ, operation)
    trips = sorted(
        event.data()["trip"]
        for event in personal.ledger.read(stream=operation_stream(operation))
        if event.type == TRIP_PLANNED and event.data().get("convoy") == convoy
    )
    if not trips:
        raise NotFound(f"no convoy {convoy!r} in operation {operation}")
    boarded = _boardings(personal, operation)
    return [_sheet(personal, who, operation, t, boarded[t]) for t in trips if t in boarded]


def _boardings(personal: PersonalData, operation: str) -> dict[str, RecordedEvent]:
    latest: dict[str, RecordedEvent] = {}
    for event in personal.ledger.read(stream=operation_stream(operation)):
        if event.type == TRIP_BOARDED:
            latest[event.data()["trip"]] = event
    return latest


def _sheet(
    personal: PersonalData, who: Principal, operation: str, trip: str, boarded: RecordedEvent
) -> ManifestSheet:
    data = boarded.data()
    counts = {str(group): int(n) for group, n in sorted(data["counts"].items()) if n}
    ids: list[str] = list(data.get("manifest") or [])
    names = sees_personal_data(who.role) and bool(ids)
    lines: tuple[ManifestLine, ...] = ()
    if names:
        records = personal.open_many(who, operation, ids, f"printed manifest of {trip}")
        lines = tuple(
            ManifestLine(
                person=record.id,
                ref=record.ref,
                full_name=record.full_name,
                other_name=record.other_name,
                sex=record.sex,
                age=record.age,
                birth_year=record.year_of_birth,
                vulnerabilities=record.vulnerabilities,
            )
            for record in sorted(records, key=lambda r: (r.household, r.full_name, r.id))
        )
    return ManifestSheet(
        operation=operation,
        trip=trip,
        vehicle=str(data["vehicle"]),
        movement=str(data["movement"]),
        site=str(data["site"]),
        boarded_at=boarded.recorded_at,
        counts=counts,
        total=sum(counts.values()),
        names=names,
        people=lines,
    )
