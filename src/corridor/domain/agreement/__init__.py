"""The agreement engine: the deal's terms as values, and `decide(state, request)`.

Terms (`terms`), requests (`requests`), decisions (`decisions`) and ledger
events (`events`) are frozen values; `AgreementState` is kept incrementally by
`apply(event)`; `decide` is a pure function of state and request; `explain`
renders terms in plain language and `analysis` finds defects in a deal.
"""

from corridor.domain.agreement.decisions import Decision, Finding
from corridor.domain.agreement.engine import decide
from corridor.domain.agreement.events import (
    EVENT_TYPES,
    AgreementEvent,
    CheckpointCrossed,
    DecisionRecorded,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    ResumeRecorded,
    StageConfirmed,
    TripDispatched,
    consequences,
    event_from_payload,
)
from corridor.domain.agreement.requests import (
    ConfirmStage,
    CrossCheckpoint,
    DispatchTrip,
    HouseholdAboard,
    RecordResume,
    Request,
    request_from_payload,
)
from corridor.domain.agreement.state import AgreementState, Incident
from corridor.domain.agreement.terms import (
    Agreement,
    Cap,
    MovementGroup,
    PacedLink,
    Priority,
    Stage,
    StagedLink,
    Suspension,
    Term,
    TermKind,
    Window,
)

__all__ = [
    "EVENT_TYPES",
    "Agreement",
    "AgreementEvent",
    "AgreementState",
    "Cap",
    "CheckpointCrossed",
    "ConfirmStage",
    "CrossCheckpoint",
    "Decision",
    "DecisionRecorded",
    "DispatchTrip",
    "Finding",
    "HouseholdAboard",
    "Incident",
    "IncidentRefuted",
    "IncidentReported",
    "IncidentVerified",
    "MovementGroup",
    "PacedLink",
    "Priority",
    "RecordResume",
    "Request",
    "ResumeRecorded",
    "Stage",
    "StageConfirmed",
    "StagedLink",
    "Suspension",
    "Term",
    "TermKind",
    "TripDispatched",
    "Window",
    "consequences",
    "decide",
    "event_from_payload",
    "request_from_payload",
]
