"""Every event type the ledger holds, in one registry, by family.

A type name is written once in the ledger and read back forever, so names
live here: a module that records or folds an event takes its name from this
registry (or from the event class the registry lists), and a test checks
that every event any command appends is registered. The family says which
projection folds it.
"""

from __future__ import annotations

from corridor.domain.agreement.events import EVENT_TYPES as AGREEMENT_TYPES
from corridor.domain.custody_codec import EVENT_TYPES as CUSTODY_TYPES
from corridor.domain.figures import ClaimRecorded
from corridor.domain.operation import (
    MovementDeclared,
    NoteRecorded,
    OperationOpened,
    ScenarioLoaded,
)
from corridor.domain.operation_clock import ClockSet

__all__ = [
    "AGREEMENT_ADOPTED",
    "DECISION_RECORDED",
    "PEOPLE_DECISION_REVERSED",
    "PEOPLE_KEPT_APART",
    "PEOPLE_MERGED",
    "PERSONAL_DATA_READ",
    "PERSON_ERASED",
    "PERSON_REGISTERED",
    "REGISTRY",
    "TRACING_REQUESTED",
    "family",
]

AGREEMENT_ADOPTED = "agreement-adopted"
"""The deal an operation runs under, as written, with the scenario it was checked on."""
DECISION_RECORDED = "decision-recorded"
PERSON_REGISTERED = "person-registered"
PERSONAL_DATA_READ = "personal-data-read"
PERSON_ERASED = "person-erased"
PEOPLE_MERGED = "people-merged"
PEOPLE_KEPT_APART = "people-kept-apart"
PEOPLE_DECISION_REVERSED = "people-decision-reversed"
TRACING_REQUESTED = "tracing-requested"

_FAMILIES: dict[str, tuple[str, ...]] = {
    "operation": (
        OperationOpened.TYPE,
        ScenarioLoaded.TYPE,
        MovementDeclared.TYPE,
        NoteRecorded.TYPE,
        ClockSet.TYPE,
        AGREEMENT_ADOPTED,
    ),
    "custody": tuple(CUSTODY_TYPES),
    "agreement": AGREEMENT_TYPES,
    "figures": (ClaimRecorded.TYPE,),
    "protection": (
        PERSON_REGISTERED,
        PERSONAL_DATA_READ,
        PERSON_ERASED,
        PEOPLE_MERGED,
        PEOPLE_KEPT_APART,
        PEOPLE_DECISION_REVERSED,
        TRACING_REQUESTED,
    ),
}

REGISTRY: dict[str, str] = {name: family for family, names in _FAMILIES.items() for name in names}
"""Event type -> its family."""

if len(REGISTRY) != sum(len(names) for names in _FAMILIES.values()):
    raise AssertionError("an event type is registered in two families")
if DECISION_RECORDED not in REGISTRY:
    raise AssertionError("decisions are agreement events")


def family(event_type: str) -> str:
    """The family of a registered event type; KeyError names an unregistered one."""
    return REGISTRY[event_type]
