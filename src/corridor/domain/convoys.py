"""A convoy: trips that move together, acted on all at once or not at all.

A convoy command runs the same custody command on every trip it covers, in
trip order, on a copy of the book. The first trip that refuses stops it and
the refusal names that trip; the book changes only when every trip has
accepted, so nothing of a refused convoy command is applied or appended. A convoy's stage is
the stage of its slowest trip, unless a trip is halted or turned back,
which concerns the whole convoy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from corridor.domain.custody import CustodyBook, CustodyEvent, CustodyRefused, Trip
from corridor.domain.custody_events import Counts, TripStage

FINISHED = frozenset({TripStage.ARRIVED, TripStage.RETURNED, TripStage.CLOSED})
"""Trips in these stages are past a convoy's moves; only `close` still covers them."""

_ORDER = (
    TripStage.PLANNED,
    TripStage.BOARDING,
    TripStage.DEPARTED,
    TripStage.AT_CHECKPOINT,
    TripStage.ARRIVED,
    TripStage.RETURNED,
    TripStage.CLOSED,
)
_ATTENTION = (TripStage.HALTED, TripStage.TURNED_BACK)

Step = Callable[[CustodyBook, Trip], list[CustodyEvent]]


def convoy_trips(book: CustodyBook, convoy: str) -> list[Trip]:
    """The convoy's trips in id order (empty when no trip is in it)."""
    return sorted((t for t in book.trips.values() if t.convoy == convoy), key=lambda t: t.id)


def convoy_stage(stages: list[TripStage]) -> TripStage | None:
    """Halted or turned back if any trip is; else the least advanced stage."""
    if not stages:
        return None
    for stage in _ATTENTION:
        if stage in stages:
            return stage
    return min(stages, key=_ORDER.index)


def each_trip(
    book: CustodyBook, convoy: str, step: Step, *, finished_too: bool = False
) -> list[CustodyEvent]:
    """`step` on every trip of `convoy` (not finished ones unless asked), all or nothing."""
    trips = convoy_trips(book, convoy)
    if not trips:
        raise CustodyRefused(f"no convoy {convoy}")
    covered = [t for t in trips if finished_too or t.stage not in FINISHED]
    if not covered:
        raise CustodyRefused(f"convoy {convoy} has no trip left to move")
    trial = book.copy()
    events: list[CustodyEvent] = []
    for trip in covered:
        try:
            events += step(trial, trial.trips[trip.id])
        except CustodyRefused as refused:
            raise CustodyRefused(f"convoy {convoy}: trip {trip.id} refuses: {refused}") from None
    for event in events:
        book.apply(event)
    return events


def counted_trips(book: CustodyBook, convoy: str, people: Mapping[str, Counts]) -> list[Trip]:
    """The trips a convoy count covers: exactly the convoy's trips still carrying people."""
    trips = convoy_trips(book, convoy)
    if not trips:
        raise CustodyRefused(f"no convoy {convoy}")
    members = {t.id for t in trips}
    for named in sorted(people):
        if named not in members:
            raise CustodyRefused(f"trip {named} is not in convoy {convoy}")
    carrying = [t for t in trips if t.stage.carrying]
    for trip in carrying:
        if trip.id not in people:
            raise CustodyRefused(f"convoy {convoy}: trip {trip.id} is on the road but not counted")
    for trip in trips:
        if trip.id in people and not trip.stage.carrying:
            raise CustodyRefused(
                f"convoy {convoy}: trip {trip.id} has {trip.stage}; it takes no more counts"
            )
    return carrying


def depart_convoy(book: CustodyBook, convoy: str, site: str, by: str) -> list[CustodyEvent]:
    return each_trip(book, convoy, lambda b, t: b.depart(t.id, site, by))


def halt_convoy(
    book: CustodyBook, convoy: str, site: str, reason: str, by: str
) -> list[CustodyEvent]:
    return each_trip(book, convoy, lambda b, t: b.halt(t.id, site, reason, by))


def turn_back_convoy(
    book: CustodyBook, convoy: str, site: str, reason: str, by: str
) -> list[CustodyEvent]:
    return each_trip(book, convoy, lambda b, t: b.turn_back(t.id, site, reason, by))


def close_convoy(book: CustodyBook, convoy: str, by: str) -> list[CustodyEvent]:
    """Close every trip not yet closed; refused while any has not arrived or has an open alert."""
    trips = convoy_trips(book, convoy)
    if trips and all(t.stage is TripStage.CLOSED for t in trips):
        raise CustodyRefused(f"convoy {convoy} is already closed")
    for trip in trips:
        # An unresolved alert is the reason that matters most: name it first.
        open_alerts = book.open_alerts_of(trip)
        if open_alerts:
            raise CustodyRefused(
                f"convoy {convoy}: trip {trip.id} has unresolved protection alerts:"
                f" {', '.join(open_alerts)}"
            )

    def close(b: CustodyBook, trip: Trip) -> list[CustodyEvent]:
        return [] if trip.stage is TripStage.CLOSED else b.close(trip.id, by)

    return each_trip(book, convoy, close, finished_too=True)


def count_convoy(
    book: CustodyBook,
    convoy: str,
    site: str,
    people: Mapping[str, Counts],
    monitor: str,
    arrival: bool = False,
) -> list[CustodyEvent]:
    """A checkpoint (or arrival) count of each trip; each drop raises its own alert."""
    covered = {t.id for t in counted_trips(book, convoy, people)}

    def count(b: CustodyBook, trip: Trip) -> list[CustodyEvent]:
        if trip.id not in covered:
            return []
        if arrival:
            return b.arrive(trip.id, site, people[trip.id], monitor)
        return b.record_headcount(trip.id, site, people[trip.id], monitor)

    return each_trip(book, convoy, count)
