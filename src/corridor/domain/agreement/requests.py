"""What the engine is asked: dispatch a trip, cross a checkpoint, confirm a stage, resume.

Requests are plain values with an aware `at` time. Each converts to and from
a payload of JSON-friendly values so it can be stored in the ledger beside
the decision it received, and replayed later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from corridor.domain.scenario import Group

Payload = dict[str, Any]


def _time(value: datetime) -> str:
    return value.isoformat()


def parse_time(text: str) -> datetime:
    """An ISO 8601 time with its UTC offset; naive times are refused."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return moment


@dataclass(frozen=True, slots=True)
class HouseholdAboard:
    """How many members of one household ride this trip, of how many in all."""

    household: str
    aboard: int
    size: int


@dataclass(frozen=True, slots=True)
class DispatchTrip:
    """Send one loaded vehicle of a movement on its way."""

    movement: str
    vehicle: str
    at: datetime
    load: tuple[tuple[Group, int], ...]
    households: tuple[HouseholdAboard, ...] = ()
    people: int = field(init=False, repr=False, compare=False)
    """Everyone aboard, counted once when the request is made."""

    kind: ClassVar[str] = "dispatch-trip"

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", sum(n for _, n in self.load))

    def people_of(self, group: Group) -> int:
        return sum(n for g, n in self.load if g is group)

    def payload(self) -> Payload:
        return {
            "kind": self.kind,
            "movement": self.movement,
            "vehicle": self.vehicle,
            "at": _time(self.at),
            "load": {g.value: n for g, n in self.load},
            "households": [[h.household, h.aboard, h.size] for h in self.households],
        }


@dataclass(frozen=True, slots=True)
class CrossCheckpoint:
    """Let a vehicle of a movement pass a checkpoint on its corridor."""

    movement: str
    vehicle: str
    site: str
    at: datetime
    people: int = 0

    kind: ClassVar[str] = "cross-checkpoint"

    def payload(self) -> Payload:
        return {
            "kind": self.kind,
            "movement": self.movement,
            "vehicle": self.vehicle,
            "site": self.site,
            "at": _time(self.at),
            "people": self.people,
        }


@dataclass(frozen=True, slots=True)
class ConfirmStage:
    """A monitor confirms that `people` more of a movement have arrived (for a stage)."""

    movement: str
    monitor: str
    people: int
    at: datetime
    stage: int = 0
    """The stage the monitor names; 0 when not named. Informative only."""

    kind: ClassVar[str] = "confirm-stage"

    def payload(self) -> Payload:
        return {
            "kind": self.kind,
            "movement": self.movement,
            "monitor": self.monitor,
            "people": self.people,
            "at": _time(self.at),
            "stage": self.stage,
        }


@dataclass(frozen=True, slots=True)
class RecordResume:
    """A guarantor records its resume of the movements a suspension term halted."""

    term: str
    guarantor: str
    at: datetime

    kind: ClassVar[str] = "record-resume"

    def payload(self) -> Payload:
        return {
            "kind": self.kind,
            "term": self.term,
            "guarantor": self.guarantor,
            "at": _time(self.at),
        }


Request = DispatchTrip | CrossCheckpoint | ConfirmStage | RecordResume


def request_from_payload(payload: Payload) -> Request:
    """Rebuild a request stored in the ledger; raises ValueError/KeyError if malformed."""
    kind = payload["kind"]
    at = parse_time(payload["at"])
    if kind == DispatchTrip.kind:
        return DispatchTrip(
            movement=payload["movement"],
            vehicle=payload["vehicle"],
            at=at,
            load=tuple((Group(g), int(n)) for g, n in payload["load"].items()),
            households=tuple(
                HouseholdAboard(str(h), int(a), int(s)) for h, a, s in payload.get("households", [])
            ),
        )
    if kind == CrossCheckpoint.kind:
        return CrossCheckpoint(
            movement=payload["movement"],
            vehicle=payload["vehicle"],
            site=payload["site"],
            at=at,
            people=int(payload.get("people", 0)),
        )
    if kind == ConfirmStage.kind:
        return ConfirmStage(
            movement=payload["movement"],
            monitor=payload["monitor"],
            people=int(payload["people"]),
            at=at,
            stage=int(payload.get("stage", 0)),
        )
    if kind == RecordResume.kind:
        return RecordResume(term=payload["term"], guarantor=payload["guarantor"], at=at)
    raise ValueError(f"unknown request kind {kind!r}")
