"""An operation in the ledger: the facts recorded about it and how they fold.

An operation is one evacuation effort; its events live on the stream
`operation/<id>`. Opening one records, in a single command: the operation
opened, its scenario loaded (with the scenario's content hash, so a later
reader can tell which world the figures refer to), and each movement of the
scenario declared. Notes are free text a coordinator adds to the record.

The folded state keeps, under `operations.<id>`: name, who opened it and
when, the scenario (id, name, content hash, counts), the declared movements
and the notes in order.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from corridor.domain.canonical import canonical_json
from corridor.domain.events import EventFacts, NewEvent
from corridor.domain.fold import REDUCERS
from corridor.domain.scenario import Scenario

__all__ = [
    "MovementDeclared",
    "NoteRecorded",
    "Operation",
    "OperationOpened",
    "ScenarioLoaded",
    "opening_events",
    "operation_stream",
    "operations",
    "scenario_content_hash",
]


def operation_stream(operation: str) -> str:
    """The ledger stream that holds one operation's events."""
    return f"operation/{operation}"


def scenario_content_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: the same world gives the same hash."""
    text = canonical_json(dataclasses.asdict(scenario))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class OperationOpened:
    """An operation began, under a name, for a scenario."""

    TYPE: ClassVar[str] = "operation-opened"
    operation: str
    name: str
    scenario: str


@dataclass(frozen=True)
class ScenarioLoaded:
    """The static world of an operation was fixed; `content_hash` identifies it."""

    TYPE: ClassVar[str] = "scenario-loaded"
    operation: str
    scenario: str
    name: str
    content_hash: str
    sites: int
    links: int
    vehicles: int
    people: int


@dataclass(frozen=True)
class MovementDeclared:
    """One evacuation stream of the operation, with the people waiting by group."""

    TYPE: ClassVar[str] = "movement-declared"
    operation: str
    movement: str
    name: str
    origin: str
    corridor: str
    destinations: tuple[str, ...]
    people: dict[str, int]


@dataclass(frozen=True)
class NoteRecorded:
    """Free text added to the record of an operation."""

    TYPE: ClassVar[str] = "note-recorded"
    operation: str
    text: str


def opening_events(
    operation: str, name: str, scenario: Scenario, content_hash: str | None = None
) -> list[NewEvent]:
    """The events of opening `operation` on `scenario`, in the order they are recorded.

    `content_hash` identifies the scenario's content; by default the hash of
    its canonical JSON here, but callers that already name scenarios by a
    digest (the scenario-file adapter's) pass that one so both agree.
    """
    stream = operation_stream(operation)
    facts: list[Any] = [
        OperationOpened(operation=operation, name=name, scenario=scenario.id),
        ScenarioLoaded(
            operation=operation,
            scenario=scenario.id,
            name=scenario.name,
            content_hash=content_hash or scenario_content_hash(scenario),
            sites=len(scenario.sites),
            links=len(scenario.links),
            vehicles=scenario.vehicles(),
            people=scenario.people(),
        ),
    ]
    for movement in scenario.movements:
        people: dict[str, int] = {}
        for population in scenario.populations:
            if population.movement == movement.id:
                key = str(population.group)
                people[key] = people.get(key, 0) + population.count
        facts.append(
            MovementDeclared(
                operation=operation,
                movement=movement.id,
                name=movement.name,
                origin=movement.origin,
                corridor=movement.corridor,
                destinations=movement.destinations,
                people=dict(sorted(people.items())),
            )
        )
    return [NewEvent.of(stream, fact) for fact in facts]


@dataclass(frozen=True)
class Operation:
    """A read-only view of one operation in a folded state."""

    id: str
    name: str
    opened_at: str
    opened_by: str
    scenario: dict[str, Any] | None
    movements: dict[str, dict[str, Any]]
    notes: tuple[dict[str, Any], ...]


def operations(document: Mapping[str, Any]) -> tuple[Operation, ...]:
    """Every operation in a folded state document, ordered by id."""
    found = document.get("operations", {})
    return tuple(
        Operation(
            id=key,
            name=value["name"],
            opened_at=value["opened_at"],
            opened_by=value["opened_by"],
            scenario=value.get("scenario"),
            movements=value.get("movements", {}),
            notes=tuple(value.get("notes", [])),
        )
        for key, value in sorted(found.items())
    )


def _operation(document: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = document.setdefault("operations", {})[data["operation"]]
    return entry


@REDUCERS.on(OperationOpened.TYPE)
def _opened(document: dict[str, Any], event: EventFacts, data: Any) -> None:
    document.setdefault("operations", {})[data["operation"]] = {
        "name": data["name"],
        "scenario_id": data["scenario"],
        "opened_at": event.recorded_at,
        "opened_by": event.actor,
        "scenario": None,
        "movements": {},
        "notes": [],
    }


@REDUCERS.on(ScenarioLoaded.TYPE)
def _scenario(document: dict[str, Any], event: EventFacts, data: Any) -> None:
    _operation(document, data)["scenario"] = {
        key: data[key]
        for key in ("scenario", "name", "content_hash", "sites", "links", "vehicles", "people")
    }


@REDUCERS.on(MovementDeclared.TYPE)
def _movement(document: dict[str, Any], event: EventFacts, data: Any) -> None:
    _operation(document, data)["movements"][data["movement"]] = {
        key: data[key] for key in ("name", "origin", "corridor", "destinations", "people")
    }


@REDUCERS.on(NoteRecorded.TYPE)
def _note(document: dict[str, Any], event: EventFacts, data: Any) -> None:
    # The most frequent event of a long ledger: `_operation` inlined.
    document.setdefault("operations", {})[data["operation"]]["notes"].append(
        {"sequence": event.sequence, "text": data["text"], "by": event.actor}
    )
