"""Tracing requests: who is sought, last seen where, on which trip; matches from the registry.

A family at reception asks for a child last seen boarding in east Aleppo.
The request's description of the sought person (a name, perhaps a birth
year) is personal data: it is sealed in the vault beside the registrations,
under the operation's tracing scope, and the ledger gets only the request
id, the seeker's person id, the site and the trip. Matches are the
registered people the linkage model scores against the description, each
with the trips whose boarding manifest names them and where those trips
arrived (the reception site a child was taken to), and whether they are a
child registered as unaccompanied.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.domain.event_types import PERSONAL_DATA_READ, TRACING_REQUESTED
from corridor.domain.events import NewEvent
from corridor.domain.operation import operation_stream
from corridor.errors import InvalidInput, NotFound
from corridor.protection.access import Permission, Principal
from corridor.protection.linkage import DEFAULT_THRESHOLD, LinkageRecord, features, score
from corridor.protection.person import PersonRecord
from corridor.protection.registration import is_child, is_unaccompanied
from corridor.protection.transliteration import name_key
from corridor.services.personal_data import PersonalData

TRIP_BOARDED = "trip-boarded"
TRIP_ARRIVED = "trip-arrived"


def tracing_scope(operation: str) -> str:
    """Where the vault keeps the sought people's descriptions, apart from registrations."""
    return f"{operation}#tracing"


@dataclass(frozen=True)
class Sought:
    """Who is sought, as the seeker describes them."""

    full_name: str
    birth_year: int | None = None
    sex: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Boarding:
    """A trip that boarded the person, and where it arrived (None while on the road)."""

    trip: str
    vehicle: str
    site: str
    arrived_at: str | None = None


@dataclass(frozen=True)
class TracingMatch:
    person: str
    ref: str
    weight: float
    reasons: tuple[str, ...]
    child: bool
    unaccompanied: bool
    boarded: tuple[Boarding, ...]


@dataclass
class Tracing:
    personal: PersonalData
    clock: Clock | None = None

    def _today(self) -> date:
        return (self.clock or SystemClock()).now().date()

    def request(
        self,
        who: Principal,
        operation: str,
        sought: Sought,
        seeker: str | None = None,
        last_seen_site: str | None = None,
        trip: str | None = None,
    ) -> str:
        """Open a tracing request; returns its id."""
        who.require(Permission.TRACE, operation)
        if not name_key(sought.full_name).parts:
            raise InvalidInput("sought.full_name: write the name in Arabic or Latin letters")
        if seeker is not None and self.personal.vault.get(operation, seeker) is None:
            raise NotFound(f"seeker: no person {seeker} in operation {operation}")
        if last_seen_site is not None or trip is not None:
            sites, trips = self._places(operation)
            if last_seen_site is not None and last_seen_site not in sites:
                raise InvalidInput(
                    f"last_seen_site: {last_seen_site!r} is not a site of this operation; "
                    f"known: {', '.join(sorted(sites))}"
                )
            if trip is not None and trip not in trips:
                raise NotFound(f"trip: no trip {trip!r} in operation {operation}")
        request = "trace-" + secrets.token_hex(8)
        record = PersonRecord(
            id=request,
            full_name=sought.full_name,
            birth_year=sought.birth_year,
            sex=sought.sex,
            origin=sought.origin,
        )
        scope = tracing_scope(operation)
        now = format_instant((self.clock or SystemClock()).now())
        self.personal.vault.put(self.personal.sealed(scope, record), now)
        self.personal.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    TRACING_REQUESTED,
                    {
                        "operation": operation,
                        "request": request,
                        "seeker": seeker,
                        "last_seen_site": last_seen_site,
                        "trip": trip,
                    },
                )
            ],
            actor=who.actor,
        )
        return request

    def matches(
        self, who: Principal, operation: str, request: str, threshold: float = DEFAULT_THRESHOLD
    ) -> list[TracingMatch]:
        """Registered people who may be the one sought, best first, with their boardings."""
        who.require(Permission.TRACE, operation)
        stored = self.personal.vault.get(tracing_scope(operation), request)
        if stored is None:
            raise NotFound(f"no tracing request {request} in operation {operation}")
        sought = self.personal.open_stored(stored)
        parts = set(name_key(sought.full_name).parts)
        rows = self.personal.vault.all(operation)
        self.personal.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PERSONAL_DATA_READ,
                    {
                        "operation": operation,
                        "person": None,
                        "purpose": f"tracing request {request}",
                        "scope": "all records of the operation",
                        "count": len(rows),
                    },
                )
            ],
            actor=who.actor,
        )
        # Only records sharing a name part with the description can be a match.
        records = {
            record.id: record
            for record in (self.personal.open_stored(row) for row in rows)
            if parts & set(name_key(record.full_name).parts)
        }
        table = features(
            [_linkage(sought), *(_linkage(r) for r in records.values())],
            self.personal.cipher.keyed,
        )
        boarded = self._boardings(operation)
        found: list[TracingMatch] = []
        for pair in score(table, threshold=threshold):
            if request not in (pair.left, pair.right):
                continue
            person = pair.right if pair.left == request else pair.left
            record = records[person]
            found.append(
                TracingMatch(
                    person=person,
                    ref=record.ref,
                    weight=pair.weight,
                    reasons=pair.reasons,
                    child=is_child(record, self._today()),
                    unaccompanied=is_unaccompanied(record),
                    boarded=tuple(boarded.get(person, ())),
                )
            )
        return found

    def _places(self, operation: str) -> tuple[set[str], set[str]]:
        """Sites the operation names (movements' ends, where trips were counted) and its trips."""
        sites: set[str] = set()
        trips: set[str] = set()
        for event in self.personal.ledger.read(stream=operation_stream(operation)):
            data = event.data()
            if event.type == "movement-declared":
                sites.add(data["origin"])
                sites.update(data["destinations"])
            elif event.type == "trip-planned":
                trips.add(data["trip"])
            elif isinstance(data, dict) and isinstance(data.get("site"), str):
                sites.add(data["site"])
        return sites, trips

    def _boardings(self, operation: str) -> dict[str, list[Boarding]]:
        boarded: list[tuple[str, dict[str, str]]] = []
        arrived: dict[str, str] = {}
        for event in self.personal.ledger.read(stream=operation_stream(operation)):
            if event.type == TRIP_BOARDED:
                data = event.data()
                boarded.extend((person, data) for person in data.get("manifest") or ())
            elif event.type == TRIP_ARRIVED:
                data = event.data()
                arrived[data["trip"]] = data["site"]
        found: dict[str, list[Boarding]] = {}
        for person, data in boarded:
            found.setdefault(person, []).append(
                Boarding(data["trip"], data["vehicle"], data["site"], arrived.get(data["trip"]))
            )
        return found


def _linkage(record: PersonRecord) -> LinkageRecord:
    return LinkageRecord(
        person=record.id,
        name=record.full_name,
        birth_year=record.year_of_birth,
        sex=record.sex,
        household=record.household,
        origin=record.origin,
    )
