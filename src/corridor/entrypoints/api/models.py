"""Request bodies: strict pydantic models at the edge, nothing looser gets in.

Identifiers are short and plain; free text is bounded and free of control
characters (PostgreSQL refuses NUL in text, and logs should stay one line per
entry); counts are bounded so no arithmetic can overflow a column.

Types are strict: a count is a JSON integer (not `true`, not `"38"`, not
`38.0`), a time is an ISO 8601 string (not a number) between the years
MIN_YEAR and MAX_YEAR, so moving it into any offset or operation clock
cannot leave the calendar.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic import Strict as StrictType

from corridor.domain.custody import Basis, Outcome
from corridor.domain.figures import Claimant, Figure
from corridor.domain.scenario import Group

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=ID_PATTERN)]


def _plain(text: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ValueError("must not contain control characters")
    if not text.strip():
        raise ValueError("must not be blank")
    return text


Text = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_plain)]
Short = Annotated[
    str, StringConstraints(max_length=100), AfterValidator(lambda t: _plain(t) if t else t)
]
MIN_YEAR, MAX_YEAR = 1900, 2999
"""The years a request's time may name; far from datetime's edges (1 and 9999)."""


def _text_time(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date and time string, with UTC offset")
    return value


def _in_calendar(value: datetime) -> datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


Instant = Annotated[datetime, BeforeValidator(_text_time), AfterValidator(_in_calendar)]
"""A time at the edge: an ISO 8601 string in the calendar's safe range."""
Integer = Annotated[int, StrictType()]
"""A JSON integer: booleans, strings and floats are refused."""
People = Annotated[Integer, Field(ge=0, le=100_000)]
Counts = Annotated[dict[Group, People], Field(min_length=1, max_length=len(Group))]


def given(value: datetime | None) -> datetime | None:
    """A request's time as given (UTC when it names no offset); None lets the
    handler stamp it in the operation's own time."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClockIn(Strict):
    """An exercise clock: operation time reads `start` now and runs `speed` times the wall."""

    start: Instant = Field(description="Operation time now, with UTC offset.")
    speed: Annotated[float, StrictType(), Field(gt=0, le=10_000)] = 1.0


class OpenOperation(Strict):
    id: Id
    scenario: Id = Field(description="A bundled scenario, e.g. east-aleppo-2016.")
    name: Short = ""
    clock: ClockIn | None = Field(
        default=None, description="Run as an exercise clock; live (wall clock) if omitted."
    )


class PlanTrip(Strict):
    trip: Id
    movement: Id
    vehicle: Id
    convoy: Id | None = None


When = Annotated[
    Instant | None,
    Field(description="When it happened, with UTC offset; the operation's clock if omitted."),
]


MAX_MANIFEST = 500


class Boarding(Strict):
    """Exactly one of `counts` (basis count) or `manifest` (basis manifest)."""

    site: Id
    counts: Counts | None = Field(default=None, description="People by group (basis count).")
    manifest: Annotated[list[Id], Field(min_length=1, max_length=MAX_MANIFEST)] | None = Field(
        default=None,
        description="Person ids from the vault (basis manifest); groups come from their records.",
    )
    basis: Basis | None = Field(default=None, description="Implied by counts or manifest.")
    at: When = None

    @model_validator(mode="after")
    def _one_source(self) -> Boarding:
        if (self.counts is None) == (self.manifest is None):
            raise ValueError("give exactly one of `counts` or `manifest`")
        implied = Basis.COUNT if self.manifest is None else Basis.MANIFEST
        if self.basis is not None and self.basis is not implied:
            source = "counts" if self.manifest is None else "manifest"
            raise ValueError(f"`basis` {self.basis} does not fit `{source}`")
        return self


class AtSite(Strict):
    site: Id
    at: When = None


class Headcount(Strict):
    site: Id
    counts: Counts
    at: When = None


MAX_CONVOY = 200


class ConvoyCount(Strict):
    """One count per trip of a convoy, at one site."""

    site: Id
    counts: Annotated[
        dict[Id, Counts],
        Field(min_length=1, max_length=MAX_CONVOY, description="Trip id -> people by group."),
    ]
    at: When = None


class Stop(Strict):
    site: Id
    reason: Text
    at: When = None


class Resolve(Strict):
    outcome: Outcome
    explanation: Text
    transfer_trip: Id | None = None


class Claim(Strict):
    movement: Id
    figure: Figure
    value: Annotated[Integer, Field(ge=0, le=10_000_000)]
    claimant: Claimant
    by: Id
    source: Text
    stated_at: Instant


class ReportIncident(Strict):
    kind: Id
    severity: Annotated[Integer, Field(ge=1, le=5)]
    corridor: Id
    site: Id
    at: Instant | None = None
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class CheckIncident(Strict):
    organisation: Id | None = Field(
        default=None, description="The monitoring organisation that checked it."
    )
    at: When = None


class ClockChange(Strict):
    """Run live (no `start`) or as an exercise reading `start` now, `speed` times the wall."""

    start: Instant | None = None
    speed: Annotated[float, StrictType(), Field(gt=0, le=10_000)] = 1.0


class ConfirmStageIn(Strict):
    movement: Id
    organisation: Id = Field(description="The monitoring organisation confirming.")
    people: Annotated[Integer, Field(ge=1, le=100_000)]
    stage: Annotated[Integer, Field(ge=0, le=1000)] = 0
    at: When = None


class ResumeIn(Strict):
    term: Id
    organisation: Id = Field(description="The guarantor recording its resume.")
    at: When = None


class PersonIn(Strict):
    full_name: Text
    sex: Short = ""
    age: Annotated[Integer, Field(ge=0, le=130)] | None = None
    date_of_birth: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    household: Short = ""
    vulnerabilities: Annotated[list[Id], Field(max_length=20)] = []
    consent: Annotated[bool, StrictType()] = False
    phone: Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9+ ()-]*$")] = ""
    movement: Id | None = Field(default=None, description="The movement the person leaves with.")


class Lookup(Strict):
    full_name: Text
    purpose: Text


class Erase(Strict):
    reason: Text
