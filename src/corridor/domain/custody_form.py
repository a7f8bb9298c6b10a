"""A custody book as plain JSON values and back, for a snapshot of the fold.

Rebuilding a long operation's book from its events costs most of an
export's time; a snapshot keeps the book as it stood after one event so a
later read folds only what came after. The form holds everything `apply`
changes (trips, alerts and the four per-movement tallies), in the book's own
insertion order (lists, never objects, so no key sorting reorders them), and
`book_from_form(book_form(book))` behaves exactly as `book` does.

The form names each trip field; a field added to `Trip` without a way here
to write it raises `TypeError` at once rather than being dropped.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from corridor.domain.custody import Alert, CustodyBook, Trip
from corridor.domain.custody_events import (
    AlertResolved,
    Outcome,
    ProtectionAlertRaised,
    TripStage,
)
from corridor.domain.scenario import Group

__all__ = ["book_form", "book_from_form"]

TRIP_FIELDS = (
    "id",
    "movement",
    "vehicle",
    "stage",
    "last_site",
    "on_board",
    "alerts",
    "convoy",
    "manifest",
    "boarded_at",
    "halted_at",
    "left_at",
    "halted_site",
    "halted_by",
)
"""`Trip`'s fields in the order the form writes them."""

_TALLIES = ("_registered", "_waiting", "_arrived", "_exits")
_GROUPS: dict[str, Group] = {g.value: g for g in Group}
_STAGES: dict[str, TripStage] = {s.value: s for s in TripStage}


def _check_trip_fields() -> None:
    known = tuple(f.name for f in fields(Trip))
    if known != TRIP_FIELDS:
        raise TypeError(f"Trip has fields {known}; custody_form writes {TRIP_FIELDS}")


def book_form(book: CustodyBook) -> dict[str, Any]:
    """The book's state as lists, strings and integers (its `world` is not part of it).

    Stages, groups and outcomes stay the string enums they are (each is a
    `str`): any JSON encoder writes them as their value, at no cost per trip.
    """
    _check_trip_fields()
    trips = [
        [
            t.id,
            t.movement,
            t.vehicle,
            t.stage,
            t.last_site,
            [[g, n] for g, n in t.on_board.items()],
            list(t.alerts),
            t.convoy,
            list(t.manifest),
            t.boarded_at,
            t.halted_at,
            t.left_at,
            t.halted_site,
            t.halted_by,
        ]
        for t in book.trips.values()
    ]
    alerts = [
        [
            a.event.alert,
            a.event.trip,
            a.event.vehicle,
            a.event.from_site,
            a.event.to_site,
            a.event.group,
            a.event.missing,
            a.movement,
            None if a.resolution is None else _resolution_form(a.resolution),
        ]
        for a in book.alerts.values()
    ]
    form: dict[str, Any] = {"trips": trips, "alerts": alerts}
    for name in _TALLIES:
        tally: dict[tuple[str, Group], int] = getattr(book, name)
        form[name.lstrip("_")] = [[m, g, n] for (m, g), n in tally.items()]
    return form


def _resolution_form(resolved: AlertResolved) -> list[Any]:
    return [
        resolved.alert,
        resolved.monitor,
        resolved.outcome,
        resolved.explanation,
        resolved.transfer_trip,
    ]


def book_from_form(form: dict[str, Any]) -> CustodyBook:
    """The book `book_form` was written from; KeyError, ValueError or TypeError if malformed."""
    _check_trip_fields()
    book = CustodyBook()
    groups, stages = _GROUPS, _STAGES
    for row in form["trips"]:
        (trip, movement, vehicle, stage, site, on_board, alerts, convoy, manifest) = row[:9]
        at, halted, left, halted_site, halted_by = row[9:]
        book.trips[trip] = Trip(
            trip,
            movement,
            vehicle,
            stages[stage],
            site,
            {groups[g]: n for g, n in on_board},
            list(alerts),
            convoy,
            tuple(manifest),
            at,
            halted,
            left,
            halted_site,
            halted_by,
        )
    book._own_trips.update(book.trips)
    for row in form["alerts"]:
        alert, trip, vehicle, from_site, to_site, group, missing, movement, resolved = row
        event = ProtectionAlertRaised(
            alert, trip, vehicle, from_site, to_site, groups[group], missing
        )
        resolution = None
        if resolved is not None:
            r_alert, monitor, outcome, explanation, transfer = resolved
            resolution = AlertResolved(r_alert, monitor, Outcome(outcome), explanation, transfer)
        book.alerts[alert] = Alert(event, movement, resolution)
    book._own_alerts.update(book.alerts)
    for name in _TALLIES:
        tally: dict[tuple[str, Group], int] = getattr(book, name)
        for movement, group, n in form[name.lstrip("_")]:
            tally[(movement, groups[group])] = n
    return book
