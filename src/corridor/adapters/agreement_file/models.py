"""The agreement file's shape, as strict pydantic models (the edge of the system).

Field-by-field rules live here (types, ranges, spelling, unknown keys); rules
that need the scenario (references, stage sizes, a window's end after its
start) live in `checks.py`. `docs/agreement.schema.json` is generated from
these models, so the format has one definition.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, StringConstraints, field_validator

from corridor.adapters.scenario_file.models import Id, SourceModel, Strict, Text
from corridor.domain.scenario import Group

TermId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$", max_length=32),
    Field(description="The id a negotiator cites, e.g. T1, T4 or 2.3."),
]
Hours = Annotated[
    str,
    StringConstraints(pattern=r"^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$"),
    Field(description="Daily hours HH:MM-HH:MM, local; 24:00 ends the day; may run past midnight."),
]


def _zone(value: str) -> str:
    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"expected an IANA time zone such as 'Asia/Damascus', found {value!r}"
            ) from None
    return value


class TermBase(Strict):
    id: TermId
    """The id negotiators cite for this clause."""
    text: Text
    """The clause in words, as the deal states it."""


class WindowTerm(TermBase):
    """When movements may move: from one date to another, within daily hours."""

    kind: Literal["window"]
    movements: list[Id] = Field(min_length=1)
    from_: date = Field(alias="from")
    """First day (local)."""
    until: date
    """Last day (local), inclusive."""
    hours: Hours = "00:00-24:00"
    timezone: str = ""
    """IANA zone of the dates and hours; empty means the agreement's."""

    _zone = field_validator("timezone")(_zone)


class StagedLinkTerm(TermBase):
    """Stage k of `movement` goes only once stage k of `linked` is confirmed by a monitor."""

    kind: Literal["staged-link"]
    movement: Id
    linked: Id
    confirmed_by: Id
    """The monitor whose confirmations count."""
    stages: list[dict[str, int | str]] = Field(min_length=1)
    """Each stage maps both movement ids to a number of people, a share ('50%') or 'rest';
    an optional `note` says what the stage was reported as."""


class PacedLinkTerm(TermBase):
    """cumulative(movement) <= ratio x cumulative(linked) + allowance."""

    kind: Literal["paced-link"]
    movement: Id
    linked: Id
    ratio: float = Field(gt=0)
    allowance: int = Field(default=0, ge=0)


class SuspensionTerm(TermBase):
    """A verified incident halts movements until guarantors (all, or any k) resume."""

    kind: Literal["suspension"]
    movements: list[Id] = Field(min_length=1)
    incident_kinds: list[Id] = Field(default_factory=list)
    """Incident kinds that count (e.g. shooting, detention); empty means any."""
    min_severity: int = Field(default=1, ge=1, le=5)
    corridor: Id | None = None
    """Only incidents on this corridor count; absent means any corridor."""
    sites: list[Id] = Field(default_factory=list)
    """Only incidents at these sites count; empty means any site."""
    lifted_by: list[Id] = Field(min_length=1)
    needed: Literal["all"] | Annotated[int, Field(ge=1)] = "all"
    """How many of `lifted_by` must record a resume: 'all' or a number."""


class PriorityTerm(TermBase):
    """Groups that leave before anyone else; households kept whole."""

    kind: Literal["priority"]
    movements: list[Id] = Field(min_length=1)
    first: list[Group] = Field(default_factory=list)
    keep_households: bool = False
    pace: Literal["strict", "proportional"] = "strict"
    """strict: nobody else leaves while one of `first` waits; proportional: the share
    of `first` moved never falls behind the share of everyone else moved."""


class CapTerm(TermBase):
    """At most `limit` people (of `group`, or all) leave with the movement."""

    kind: Literal["cap"]
    movement: Id
    group: Group | None = None
    limit: int = Field(ge=0)


AnyTerm = Annotated[
    WindowTerm | StagedLinkTerm | PacedLinkTerm | SuspensionTerm | PriorityTerm | CapTerm,
    Field(discriminator="kind"),
]
TERM_MODELS: dict[str, type[TermBase]] = {
    "window": WindowTerm,
    "staged-link": StagedLinkTerm,
    "paced-link": PacedLinkTerm,
    "suspension": SuspensionTerm,
    "priority": PriorityTerm,
    "cap": CapTerm,
}


class MovementGroupModel(Strict):
    """Movements a deal counts together (the two towns of one side of an exchange)."""

    id: Id
    name: str = ""
    movements: list[Id] = Field(min_length=2)


class AgreementFile(Strict):
    """A deal: who signed, guarantees and monitors it, and its terms."""

    format: Literal[1] = 1
    id: Id
    name: Text
    version_note: Text
    """Which reported version of the deal this file encodes, and what was assumed."""
    timezone: str = ""
    """IANA zone for windows; empty means the scenario's."""
    scenario: str = ""
    """In a file of its own: the scenario file (relative path) or bundled scenario name."""
    description: str = ""
    parties: list[Id] = Field(default_factory=list)
    guarantors: list[Id] = Field(default_factory=list)
    monitors: list[Id] = Field(default_factory=list)
    incident_kinds: list[Id] = Field(default_factory=list)
    """The closed vocabulary of incident kinds (with the scenario's `incident_kinds`);
    when neither declares any, the standard list (shooting, shelling, ...) applies."""
    movement_groups: list[MovementGroupModel] = Field(default_factory=list)
    """Movements that terms naming the group's id count together."""
    terms: list[AnyTerm] = Field(min_length=1)
    sources: list[SourceModel] = Field(default_factory=list)

    _zone = field_validator("timezone")(_zone)
