"""What happened under the agreement, as ledger events with JSON-friendly payloads.

Requests and their decisions are recorded together (`DecisionRecorded`); an
allowed request is followed by the event it permits (`TripDispatched`,
`CheckpointCrossed`, `StageConfirmed`, `ResumeRecorded`). Incidents are
reported, then verified or refuted by a monitor. Folding these events in
order rebuilds the agreement state exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from corridor.domain.agreement.decisions import Decision, decision_from_payload
from corridor.domain.agreement.requests import (
    ConfirmStage,
    CrossCheckpoint,
    DispatchTrip,
    Payload,
    RecordResume,
    Request,
    parse_time,
    request_from_payload,
)
from corridor.domain.scenario import Group


@dataclass(frozen=True, slots=True)
class IncidentReported:
    """Someone reported a violation or event on a corridor; it halts nothing until verified."""

    incident: str
    kind: str
    severity: int
    corridor: str
    site: str
    reporter: str
    at: datetime
    note: str = ""

    type: ClassVar[str] = "incident-reported"

    def payload(self) -> Payload:
        return {
            "incident": self.incident,
            "kind": self.kind,
            "severity": self.severity,
            "corridor": self.corridor,
            "site": self.site,
            "reporter": self.reporter,
            "at": self.at.isoformat(),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class IncidentVerified:
    """A monitor verified a reported incident; matching suspension terms now halt."""

    incident: str
    monitor: str
    at: datetime

    type: ClassVar[str] = "incident-verified"

    def payload(self) -> Payload:
        return {"incident": self.incident, "monitor": self.monitor, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class IncidentRefuted:
    """A monitor refuted a reported incident; any halt it caused is withdrawn."""

    incident: str
    monitor: str
    at: datetime

    type: ClassVar[str] = "incident-refuted"

    def payload(self) -> Payload:
        return {"incident": self.incident, "monitor": self.monitor, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class ResumeRecorded:
    """A guarantor resumed the movements a suspension term halted."""

    term: str
    guarantor: str
    at: datetime

    type: ClassVar[str] = "resume-recorded"

    def payload(self) -> Payload:
        return {"term": self.term, "guarantor": self.guarantor, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True)
class StageConfirmed:
    """A monitor confirmed that more people of a movement arrived."""

    movement: str
    monitor: str
    people: int
    at: datetime
    stage: int = 0

    type: ClassVar[str] = "stage-confirmed"

    def payload(self) -> Payload:
        return {
            "movement": self.movement,
            "monitor": self.monitor,
            "people": self.people,
            "at": self.at.isoformat(),
            "stage": self.stage,
        }


@dataclass(frozen=True, slots=True)
class TripDispatched:
    """A loaded vehicle of a movement left."""

    movement: str
    vehicle: str
    load: tuple[tuple[Group, int], ...]
    at: datetime

    type: ClassVar[str] = "trip-dispatched"

    def payload(self) -> Payload:
        return {
            "movement": self.movement,
            "vehicle": self.vehicle,
            "load": {g.value: n for g, n in self.load},
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class CheckpointCrossed:
    """A vehicle of a movement passed a checkpoint."""

    movement: str
    vehicle: str
    site: str
    at: datetime
    people: int = 0

    type: ClassVar[str] = "checkpoint-crossed"

    def payload(self) -> Payload:
        return {
            "movement": self.movement,
            "vehicle": self.vehicle,
            "site": self.site,
            "at": self.at.isoformat(),
            "people": self.people,
        }


@dataclass(frozen=True, slots=True)
class DecisionRecorded:
    """A request and the decision the engine gave it, kept together for replay."""

    request: Request
    decision: Decision

    type: ClassVar[str] = "decision-recorded"

    def payload(self) -> Payload:
        return {"request": self.request.payload(), "decision": self.decision.payload()}


AgreementEvent = (
    IncidentReported
    | IncidentVerified
    | IncidentRefuted
    | ResumeRecorded
    | StageConfirmed
    | TripDispatched
    | CheckpointCrossed
    | DecisionRecorded
)

EVENT_TYPES: tuple[str, ...] = (
    IncidentReported.type,
    IncidentVerified.type,
    IncidentRefuted.type,
    ResumeRecorded.type,
    StageConfirmed.type,
    TripDispatched.type,
    CheckpointCrossed.type,
    DecisionRecorded.type,
)


def consequences(request: Request, decision: Decision) -> tuple[AgreementEvent, ...]:
    """The events to append for a decided request: the decision, then what it permits."""
    recorded = DecisionRecorded(request, decision)
    if not decision.allowed:
        return (recorded,)
    effect: AgreementEvent
    if isinstance(request, DispatchTrip):
        effect = TripDispatched(request.movement, request.vehicle, request.load, request.at)
    elif isinstance(request, CrossCheckpoint):
        effect = CheckpointCrossed(
            request.movement, request.vehicle, request.site, request.at, request.people
        )
    elif isinstance(request, ConfirmStage):
        effect = StageConfirmed(
            request.movement, request.monitor, request.people, request.at, request.stage
        )
    else:
        effect = ResumeRecorded(request.term, request.guarantor, request.at)
    return (recorded, effect)


def event_from_payload(event_type: str, payload: dict[str, Any]) -> AgreementEvent:
    """Rebuild an agreement event read from the ledger; ValueError on an unknown type."""
    p = payload
    if event_type == IncidentReported.type:
        return IncidentReported(
            incident=p["incident"],
            kind=p["kind"],
            severity=int(p["severity"]),
            corridor=p["corridor"],
            site=p["site"],
            reporter=p["reporter"],
            at=parse_time(p["at"]),
            note=p.get("note", ""),
        )
    if event_type == IncidentVerified.type:
        return IncidentVerified(p["incident"], p["monitor"], parse_time(p["at"]))
    if event_type == IncidentRefuted.type:
        return IncidentRefuted(p["incident"], p["monitor"], parse_time(p["at"]))
    if event_type == ResumeRecorded.type:
        return ResumeRecorded(p["term"], p["guarantor"], parse_time(p["at"]))
    if event_type == StageConfirmed.type:
        return StageConfirmed(
            p["movement"], p["monitor"], int(p["people"]), parse_time(p["at"]), int(p["stage"])
        )
    if event_type == TripDispatched.type:
        load = tuple((Group(g), int(n)) for g, n in p["load"].items())
        return TripDispatched(p["movement"], p["vehicle"], load, parse_time(p["at"]))
    if event_type == CheckpointCrossed.type:
        return CheckpointCrossed(
            p["movement"], p["vehicle"], p["site"], parse_time(p["at"]), int(p["people"])
        )
    if event_type == DecisionRecorded.type:
        return DecisionRecorded(
            request_from_payload(p["request"]), decision_from_payload(p["decision"])
        )
    raise ValueError(f"unknown agreement event type {event_type!r}")


__all__ = [
    "EVENT_TYPES",
    "AgreementEvent",
    "CheckpointCrossed",
    "ConfirmStage",
    "DecisionRecorded",
    "IncidentRefuted",
    "IncidentReported",
    "IncidentVerified",
    "RecordResume",
    "ResumeRecorded",
    "StageConfirmed",
    "TripDispatched",
    "consequences",
    "event_from_payload",
]
