"""Boarding by manifest: person ids in, counts by group out, one audited read.

A monitor or a reception desk boards a trip from a list of person ids. The server opens those
records in the vault (one `personal-data-read` event names who read which
records and why, before anything is decrypted), takes each person's group
from their record (`corridor.domain.manifest`) and boards the trip with the
counts by group and the ids. The ledger gets ids and counts, never names.

Everything that can be checked without reading a record (the trip, the
boarding site, ids named twice, ids already on board another trip, ids not
in the vault) is checked first, so a request refused for those reasons reads
nobody's data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from corridor.domain.custody import TripStage
from corridor.domain.door import Rejected, check_board
from corridor.domain.manifest import age_on, group_of, manifest_counts, repeated
from corridor.domain.scenario import Group
from corridor.errors import IntegrityError, InvalidInput, NotFound
from corridor.protection.access import Permission, Principal
from corridor.services.bus import Outcome, Services, handle
from corridor.services.commands import BoardFromManifest
from corridor.services.door import rejected_input
from corridor.services.live import OperationRecord
from corridor.services.personal_data import PersonalData

PURPOSE = "boarding manifest"


def board_by_manifest(
    services: Services,
    personal: PersonalData,
    who: Principal,
    operation: str,
    trip: str,
    site: str,
    manifest: Sequence[str],
    at: datetime | None,
    idempotency_key: str | None = None,
) -> Outcome:
    """Board `trip` with the people `manifest` names, their ages dated on the boarding day."""
    live = services.live
    who.require(Permission.BOARD_MANIFEST, operation)
    twice = repeated(manifest)
    if twice:
        raise IntegrityError(f"person {twice[0]} is on the manifest of trip {trip} twice")

    def check(record: OperationRecord) -> tuple[str, frozenset[Group], date]:
        planned = record.book.trips.get(trip)
        if planned is None:
            raise NotFound(f"no trip {trip!r} in operation {operation!r}; plan it first")
        if planned.stage is not TripStage.PLANNED:
            raise IntegrityError(f"trip {trip} has already boarded")
        if record.book.world is not None:
            try:
                check_board(record.book.world, planned.movement, planned.vehicle, site, ())
            except Rejected as rejected:
                raise rejected_input(rejected) from None
        aboard = record.book.aboard()
        for person in manifest:
            if person in aboard:
                raise IntegrityError(f"person {person} is already on board trip {aboard[person]}")
        carried = frozenset(
            t.group for t in record.book.tallies() if t.movement == planned.movement
        )
        boarded = at or record.clock.now(services.wall.now())
        return planned.movement, carried, boarded.date()

    movement, carried, day = live.read(operation, check)
    records = personal.open_many(who, operation, manifest, PURPOSE)
    groups: dict[str, Group] = {}
    for index, person in enumerate(records):
        if person.movement != movement:
            registered = person.movement or "no movement"
            raise InvalidInput(
                f"manifest[{index}]: person {person.id} is registered to {registered},"
                f" not to trip {trip}'s movement {movement}"
            )
        group = group_of(
            person.vulnerabilities, age_on(day, person.age, person.date_of_birth, person.birth_year)
        )
        if group not in carried:
            raise InvalidInput(
                f"manifest[{index}]: person {person.id} is of group {group},"
                f" which movement {movement} does not carry"
            )
        groups[person.id] = group
    people = manifest_counts(groups)
    command = BoardFromManifest(operation, trip, site, people, tuple(sorted(manifest)), at)
    return handle(services, command, who.actor, idempotency_key)
