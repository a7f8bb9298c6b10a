"""Custody events to and from ledger payloads.

The ledger stores JSON; custody events hold enums and count tuples. Counts
are written as an object of group to number (groups sorted), so the stored
text reads naturally and canonical JSON of equal counts is equal. A boarding
manifest (person ids) is written as a list, and left out when there is none,
so a boarding by count reads as it always has.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from corridor.domain.custody_events import (
    AlertResolved,
    Basis,
    Counts,
    CustodyEvent,
    HeadcountRecorded,
    Outcome,
    PeopleExited,
    PeopleRegistered,
    ProtectionAlertRaised,
    TripArrived,
    TripBoarded,
    TripClosed,
    TripDeparted,
    TripHalted,
    TripPlanned,
    TripTurnedBack,
)
from corridor.domain.scenario import Group

EVENT_TYPES: dict[str, type[CustodyEvent]] = {
    "trip-planned": TripPlanned,
    "trip-departed": TripDeparted,
    "trip-halted": TripHalted,
    "trip-turned-back": TripTurnedBack,
    "people-registered": PeopleRegistered,
    "people-exited": PeopleExited,
    "trip-boarded": TripBoarded,
    "headcount-recorded": HeadcountRecorded,
    "trip-arrived": TripArrived,
    "protection-alert-raised": ProtectionAlertRaised,
    "protection-alert-resolved": AlertResolved,
    "trip-closed": TripClosed,
}
_TYPE_OF = {cls: name for name, cls in EVENT_TYPES.items()}


def event_type(event: CustodyEvent) -> str:
    return _TYPE_OF[type(event)]


def to_payload(event: CustodyEvent) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for item in dataclasses.fields(event):
        value = getattr(event, item.name)
        if item.name == "counts":
            value = {str(g): n for g, n in value}
        elif item.name in ("manifest", "at", "incident"):
            if not value:
                continue
            value = list(value) if item.name == "manifest" else value
        elif isinstance(value, Group | Basis | Outcome):
            value = str(value)
        payload[item.name] = value
    return payload


def from_payload(kind: str, payload: dict[str, Any]) -> CustodyEvent:
    """Rebuild a custody event read from the ledger; ValueError when it does not fit."""
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"not a custody event type: {kind!r}")
    values = dict(payload)
    if "counts" in values:
        values["counts"] = _counts(values["counts"])
    if "group" in values:
        values["group"] = _group(values["group"])
    if "manifest" in values:
        values["manifest"] = tuple(str(person) for person in values["manifest"])
    if "basis" in values:
        values["basis"] = Basis(values["basis"])
    if "outcome" in values:
        values["outcome"] = Outcome(values["outcome"])
    return cls(**values)


_GROUPS: dict[str, Group] = {g.value: g for g in Group}


def _group(value: Any) -> Group:
    """A stored group by table lookup (an enum call per count was a tenth of a replay)."""
    found = _GROUPS.get(value) if isinstance(value, str) else None
    return found if found is not None else Group(value)


def _counts(stored: dict[str, Any]) -> Counts:
    """Stored counts as `counts()` would normalise them: sorted by group, zeros dropped."""
    return tuple(sorted((_group(g), int(n)) for g, n in stored.items() if int(n)))
