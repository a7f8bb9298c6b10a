"""Custody's values and events: counts by group, trip stages, and what the record says happened.

Events are frozen dataclasses; `CustodyBook` (in `corridor.domain.custody`)
changes only by applying them, and `custody_codec` turns them into ledger
payloads and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from corridor.domain.scenario import Group

Counts = tuple[tuple[Group, int], ...]
"""People by group, sorted by group, zero entries dropped: hashable and stable."""


def counts(values: Mapping[Group, int]) -> Counts:
    """Normalise a mapping of people by group into sorted `Counts`."""
    return tuple(sorted((Group(g), int(n)) for g, n in values.items() if n))


class CustodyRefused(Exception):
    """A custody command contradicts the record; the message says what and why."""


class Basis(StrEnum):
    """How a boarding count was taken."""

    MANIFEST = "manifest"
    COUNT = "count"


class Outcome(StrEnum):
    """What a monitor found happened to the people a count was missing."""

    TRANSFER = "transfer"
    """Moved to another trip (an ambulance), which must show them on its counts."""
    EXIT = "exit"
    """Left the movement on the record (detained, returned, died, stayed)."""
    RECOUNT = "recount"
    """They were on board all along; the lower count was wrong."""


class TripStage(StrEnum):
    """planned -> boarding -> departed -> at checkpoint -> arrived -> closed;
    or halted (and departed again), or turned back -> returned -> closed."""

    PLANNED = "planned"
    BOARDING = "boarding"
    DEPARTED = "departed"
    AT_CHECKPOINT = "at-checkpoint"
    HALTED = "halted"
    TURNED_BACK = "turned-back"
    ARRIVED = "arrived"
    RETURNED = "returned"
    CLOSED = "closed"

    @property
    def carrying(self) -> bool:
        """People are on board and in the operation's custody."""
        return self in _CARRYING


_CARRYING = frozenset(
    {
        TripStage.BOARDING,
        TripStage.DEPARTED,
        TripStage.AT_CHECKPOINT,
        TripStage.HALTED,
        TripStage.TURNED_BACK,
    }
)


@dataclass(frozen=True)
class PeopleRegistered:
    movement: str
    site: str
    group: Group
    count: int


@dataclass(frozen=True)
class PeopleExited:
    """People left the waiting list on the record (they chose to stay, were refused)."""

    movement: str
    group: Group
    count: int
    reason: str


@dataclass(frozen=True)
class TripPlanned:
    trip: str
    movement: str
    vehicle: str
    convoy: str = ""


@dataclass(frozen=True)
class TripDeparted:
    trip: str
    site: str
    by: str
    at: str = ""
    """When it happened, in operation time (`format_instant`); empty in older records."""


@dataclass(frozen=True)
class TripHalted:
    trip: str
    site: str
    reason: str
    by: str
    at: str = ""
    """When it happened, in operation time (`format_instant`); empty in older records."""
    incident: str = ""
    """The verified incident whose suspension halted it; empty for a halt a person recorded
    (and in older records). Left out of the stored payload when empty."""


@dataclass(frozen=True)
class TripTurnedBack:
    trip: str
    site: str
    reason: str
    by: str
    at: str = ""
    """When it happened, in operation time (`format_instant`); empty in older records."""


@dataclass(frozen=True)
class TripBoarded:
    trip: str
    movement: str
    vehicle: str
    site: str
    counts: Counts
    basis: Basis
    monitor: str
    manifest: tuple[str, ...] = ()
    """Person ids on board, sorted (basis manifest only): ids, never names."""
    at: str = ""
    """When it happened, in operation time (`format_instant`); empty in older records."""


@dataclass(frozen=True)
class HeadcountRecorded:
    trip: str
    site: str
    counts: Counts
    monitor: str
    at: str = ""
    """When it happened, in operation time (`format_instant`); empty in older records."""


@dataclass(frozen=True)
class TripArrived:
    trip: str
    site: str
    counts: Counts
    monitor: str
    at: str = ""
    """When it happened, in operation time (`format_instant`); empty in older records."""


@dataclass(frozen=True)
class ProtectionAlertRaised:
    alert: str
    trip: str
    vehicle: str
    from_site: str
    to_site: str
    group: Group
    missing: int


@dataclass(frozen=True)
class AlertResolved:
    alert: str
    monitor: str
    outcome: Outcome
    explanation: str
    transfer_trip: str = ""


@dataclass(frozen=True)
class TripClosed:
    trip: str
    by: str
    at: str = ""
    """When it happened, in operation time (`format_instant`); empty in older records."""


CustodyEvent = (
    TripPlanned
    | TripDeparted
    | TripHalted
    | TripTurnedBack
    | PeopleRegistered
    | PeopleExited
    | TripBoarded
    | HeadcountRecorded
    | TripArrived
    | ProtectionAlertRaised
    | AlertResolved
    | TripClosed
)
