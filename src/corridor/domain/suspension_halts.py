"""Trips on the road stop when the deal suspends their movement.

A verified incident that a suspension term matches halts the movements the
term names (the movement hit and those linked to it). Every trip of those
movements that is on the road (departed or at a checkpoint) gets a
`TripHalted` naming the clause and the incident (in its reason, and by id in
`incident`, so a map can place the trip at the incident), in the same ledger command
as the verification. Trips still boarding are not moving and stay as they
are: the deal's halt already keeps them from departing.

A resume lifts nothing on the road by itself: a halted trip departs again
only when a monitor or coordinator says so. `may_continue` lists the halted
trips whose movements the deal no longer halts.
"""

from __future__ import annotations

from collections.abc import Mapping

from corridor.domain.agreement import AgreementState
from corridor.domain.custody import CustodyBook, CustodyEvent, CustodyRefused
from corridor.domain.custody_events import TripStage

ON_THE_ROAD = frozenset({TripStage.DEPARTED, TripStage.AT_CHECKPOINT})


def suspended_by(after: AgreementState, incident: str) -> dict[str, tuple[str, ...]]:
    """Movement -> the suspension terms that `incident` makes halt it, in `after`."""
    found: dict[str, tuple[str, ...]] = {}
    for movement, halts in sorted(after.halted.items()):
        terms = tuple(sorted({term for term, by in halts if by == incident}))
        if terms:
            found[movement] = terms
    return found


def halt_suspended(
    book: CustodyBook, suspended: Mapping[str, tuple[str, ...]], incident: str, by: str
) -> list[CustodyEvent]:
    """A `TripHalted` for every trip on the road of a suspended movement, in trip order."""
    events: list[CustodyEvent] = []
    for trip in sorted(book.trips.values(), key=lambda t: t.id):
        terms = suspended.get(trip.movement)
        if not terms or trip.stage not in ON_THE_ROAD:
            continue
        reason = f"{', '.join(terms)} suspends {trip.movement}: incident {incident} verified"
        events += book.halt(trip.id, trip.last_site, reason, by, incident=incident)
    return events


def may_continue(book: CustodyBook, before: AgreementState, after: AgreementState) -> list[str]:
    """Halted trips of movements halted in `before` and free in `after`."""
    freed = {m for m, halts in before.halted.items() if halts and not after.halts_on(m)}
    return sorted(
        t.id for t in book.trips.values() if t.stage is TripStage.HALTED and t.movement in freed
    )


def still_halted(state: AgreementState, movement: str) -> None:
    """Refuse to move a trip again while the deal halts its movement."""
    halts = state.halts_on(movement)
    if halts:
        standing = ", ".join(f"{term} (incident {incident})" for term, incident in halts)
        raise CustodyRefused(
            f"movement {movement} is halted under {standing}; it departs again after a resume"
        )
