"""The commands of a live operation: frozen values, one per use case.

Every interface (the API, the CLI, form imports, the field app) builds one of
these from what it parsed and hands it to `corridor.services.bus.handle`, so
they can never disagree about what a command means. A command names ids,
counts and times only as given: `at` is None when the sender gave no time,
and the handler stamps it in operation time. Door checks (is that a site of
the movement, a vehicle of the fleet, a kind of incident the deal knows)
happen in the handler, against the scenario and the live record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from corridor.domain.custody import Counts, Outcome
from corridor.domain.figures import Claimant, Figure

__all__ = [
    "ArriveConvoy",
    "ArriveTrip",
    "BoardFromManifest",
    "BoardTrip",
    "CloseConvoy",
    "CloseTrip",
    "Command",
    "ConfirmStageCommand",
    "CountConvoy",
    "CountTrip",
    "DepartConvoy",
    "DepartTrip",
    "HaltConvoy",
    "HaltTrip",
    "OpenOperation",
    "PlanTrip",
    "RecordClaim",
    "RecordNote",
    "RecordResumeCommand",
    "ReportIncident",
    "ResolveAlert",
    "SetClock",
    "TurnBackConvoy",
    "TurnBackTrip",
    "VerifyIncident",
]


@dataclass(frozen=True)
class OpenOperation:
    """Open an operation on a scenario (a bundled name or a file), adopting its agreement."""

    operation: str
    scenario: str
    name: str = ""
    clock_start: datetime | None = None
    """Run as an exercise from this instant (None: live, on the wall clock)."""
    clock_speed: float = 1.0


@dataclass(frozen=True)
class SetClock:
    """Run the operation live (`start` None) or as an exercise from `start` at `speed`."""

    operation: str
    start: datetime | None
    speed: float = 1.0


@dataclass(frozen=True)
class RecordNote:
    """A note on the operation's record (neutral roles only read its text)."""

    operation: str
    text: str


@dataclass(frozen=True)
class PlanTrip:
    operation: str
    trip: str
    movement: str
    vehicle: str
    convoy: str = ""


@dataclass(frozen=True)
class TripCount:
    """A count of one trip's people by group at a site (boarding, checkpoint, arrival)."""

    operation: str
    trip: str
    site: str
    counts: Counts
    at: datetime | None = None


class BoardTrip(TripCount):
    """A boarding count by group (boarding by manifest: `services.boarding`)."""


@dataclass(frozen=True)
class BoardFromManifest:
    """A boarding from a manifest, once the people's groups were read from the vault."""

    operation: str
    trip: str
    site: str
    counts: Counts
    manifest: tuple[str, ...]
    at: datetime | None = None


@dataclass(frozen=True)
class DepartTrip:
    """Dispatch a boarded trip (the deal decides), or depart a halted one again."""

    operation: str
    trip: str
    site: str
    at: datetime | None = None


class CountTrip(TripCount):
    """A monitor's headcount at a checkpoint; under a deal also the request to cross."""


class ArriveTrip(TripCount):
    """The arrival count at a destination."""


@dataclass(frozen=True)
class TripStop:
    """A trip stopped on the road at a site, with the reason (neutral roles read it)."""

    operation: str
    trip: str
    site: str
    reason: str
    at: datetime | None = None


class HaltTrip(TripStop):
    """Halt a trip where it is."""


class TurnBackTrip(TripStop):
    """Turn a trip back; its people wait again once it returns."""


@dataclass(frozen=True)
class CloseTrip:
    operation: str
    trip: str
    at: datetime | None = None


@dataclass(frozen=True)
class ResolveAlert:
    operation: str
    alert: str
    outcome: Outcome
    explanation: str
    transfer_trip: str = ""


@dataclass(frozen=True)
class DepartConvoy:
    operation: str
    convoy: str
    site: str
    at: datetime | None = None


@dataclass(frozen=True)
class ConvoyCounts:
    """One count per trip of a convoy at one site (trip id -> counts)."""

    operation: str
    convoy: str
    site: str
    counts: tuple[tuple[str, Counts], ...]
    at: datetime | None = None


class CountConvoy(ConvoyCounts):
    """Every trip of the convoy counted at a checkpoint; each count asks to cross."""


class ArriveConvoy(ConvoyCounts):
    """The arrival count of every trip of the convoy."""


@dataclass(frozen=True)
class ConvoyStop:
    """Every trip of a convoy stopped on the road at a site, with the reason."""

    operation: str
    convoy: str
    site: str
    reason: str
    at: datetime | None = None


class HaltConvoy(ConvoyStop):
    """Halt every trip of the convoy where it is."""


class TurnBackConvoy(ConvoyStop):
    """Turn every trip of the convoy back."""


@dataclass(frozen=True)
class CloseConvoy:
    operation: str
    convoy: str
    at: datetime | None = None


@dataclass(frozen=True)
class ReportIncident:
    """A reported incident; `incident` None takes the next number (`incident-N`)."""

    operation: str
    kind: str
    severity: int
    corridor: str
    site: str
    reporter: str = ""
    note: str = ""
    incident: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class VerifyIncident:
    """A monitor verifies (`verified`) or refutes a reported incident."""

    operation: str
    incident: str
    monitor: str
    verified: bool = True
    at: datetime | None = None


@dataclass(frozen=True)
class ConfirmStageCommand:
    operation: str
    movement: str
    organisation: str
    people: int
    stage: int = 0
    at: datetime | None = None


@dataclass(frozen=True)
class RecordResumeCommand:
    operation: str
    term: str
    organisation: str
    at: datetime | None = None


@dataclass(frozen=True)
class RecordClaim:
    operation: str
    movement: str
    figure: Figure
    value: int
    claimant: Claimant
    by: str
    source: str
    stated_at: datetime


Command = (
    OpenOperation
    | SetClock
    | RecordNote
    | PlanTrip
    | BoardTrip
    | BoardFromManifest
    | DepartTrip
    | CountTrip
    | ArriveTrip
    | HaltTrip
    | TurnBackTrip
    | CloseTrip
    | ResolveAlert
    | DepartConvoy
    | CountConvoy
    | ArriveConvoy
    | HaltConvoy
    | TurnBackConvoy
    | CloseConvoy
    | ReportIncident
    | VerifyIncident
    | ConfirmStageCommand
    | RecordResumeCommand
    | RecordClaim
)
