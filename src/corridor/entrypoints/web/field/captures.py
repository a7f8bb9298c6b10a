"""One capture from a field device: what it says, checked at the edge, as one command.

Every capture names its kind and carries the device's own time (`at`,
required: a capture sent an hour after it was taken happened when it was
taken). The body is as strict as the API's (the same types), so a capture
the API would refuse is refused here with the same field named, and the
device's queue shows that reason.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from corridor.domain.custody import counts
from corridor.entrypoints.api.models import Counts, Id, Instant, Integer, Strict, given
from corridor.protection.access import Permission
from corridor.services import commands

MAX_MANIFEST = 200
Kind = Literal["boarding", "headcount", "arrival", "incident"]


class Capture(Strict):
    """A boarding, a checkpoint headcount, an arrival count or an incident report."""

    kind: Kind
    at: Instant
    site: Id
    trip: Id | None = None
    counts: Counts | None = None
    manifest: Annotated[list[Id], Field(min_length=1, max_length=MAX_MANIFEST)] | None = None
    incident_kind: Id | None = None
    severity: Annotated[Integer, Field(ge=1, le=5)] | None = None
    corridor: Id | None = None
    note: Annotated[str, StringConstraints(max_length=500)] = ""

    @model_validator(mode="after")
    def _complete(self) -> Capture:
        if self.kind == "incident":
            missing = [f for f in ("incident_kind", "severity", "corridor") if not getattr(self, f)]
            if missing:
                raise ValueError(f"an incident needs {', '.join(missing)}")
            return self
        if self.trip is None:
            raise ValueError(f"a {self.kind} needs a trip")
        if self.kind == "boarding":
            if (self.counts is None) == (self.manifest is None):
                raise ValueError("a boarding needs exactly one of counts or manifest")
        elif self.counts is None:
            raise ValueError(f"a {self.kind} needs counts")
        return self


def as_command(operation: str, capture: Capture, actor: str) -> tuple[Permission, commands.Command]:
    """The command a capture stands for and the permission it needs (not manifest boardings)."""
    at = given(capture.at)
    trip = capture.trip or ""
    people = counts(capture.counts or {})
    if capture.kind == "incident":
        return Permission.REPORT_INCIDENT, commands.ReportIncident(
            operation, capture.incident_kind or "", capture.severity or 0,
            capture.corridor or "", capture.site, actor, capture.note, at=at,
        )  # fmt: skip
    if capture.kind == "boarding":
        return Permission.COUNT, commands.BoardTrip(operation, trip, capture.site, people, at)
    if capture.kind == "headcount":
        return Permission.COUNT, commands.CountTrip(operation, trip, capture.site, people, at)
    return Permission.COUNT, commands.ArriveTrip(operation, trip, capture.site, people, at)
