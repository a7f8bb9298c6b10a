"""Handlers of incidents: report, verify or refute, and the halts a verification brings.

An incident names its kind from the deal's closed list, its severity, and a
corridor and site of the scenario; anything else is refused at the door,
because a misspelt kind would match no suspension term and a convoy would
roll after a verified shooting. Verifying an incident that a suspension term
matches halts, in the same command, every trip on the road of every movement
the term names.
"""

from __future__ import annotations

from corridor.domain.agreement import IncidentRefuted, IncidentReported, IncidentVerified
from corridor.domain.custody import TripHalted
from corridor.domain.door import check_incident
from corridor.domain.suspension_halts import halt_suspended, suspended_by
from corridor.errors import IntegrityError, InvalidInput, NotFound
from corridor.services.bus import Call, Decided, handles
from corridor.services.commands import ReportIncident, VerifyIncident
from corridor.services.handlers.common import custody_events, deal_events
from corridor.services.live import OperationRecord


def _allowed(values: set[str]) -> str:
    return ", ".join(sorted(values)) or "none"


def check_report(record: OperationRecord, command: ReportIncident) -> None:
    """Kind, severity, corridor and site against the deal and the scenario."""
    world = record.book.world
    if world is not None:
        check_incident(world, command.kind, command.severity, command.corridor, command.site)
        return
    if not 1 <= command.severity <= 5:
        raise InvalidInput(f"severity: {command.severity} is not allowed (allowed: 1 to 5)")
    scenario = record.world
    if scenario is None:
        return
    corridors = {c.id for c in scenario.corridors}
    if command.corridor and command.corridor not in corridors:
        raise InvalidInput(
            f"corridor: {command.corridor!r} is not a corridor of the scenario "
            f"(allowed: {_allowed(corridors)})"
        )
    sites = {s.id for s in scenario.sites}
    if command.site and command.site not in sites:
        raise InvalidInput(
            f"site: {command.site!r} is not a site of the scenario (allowed: {_allowed(sites)})"
        )


@handles(ReportIncident)
def report(record: OperationRecord, command: ReportIncident, call: Call) -> Decided:
    check_report(record, command)
    incident = command.incident or f"incident-{len(record.incidents) + 1}"
    if incident in record.incidents:
        raise IntegrityError(f"incident {incident!r} was already reported")
    fact = IncidentReported(
        incident,
        command.kind,
        command.severity,
        command.corridor,
        command.site,
        command.reporter or call.actor,
        call.at(record, command.at),
        command.note,
    )
    return Decided(deal_events(record.id, (fact,)), {"incident": incident})


@handles(VerifyIncident)
def verify(record: OperationRecord, command: VerifyIncident, call: Call) -> Decided:
    found = record.incidents.get(command.incident)
    if found is None:
        raise NotFound(f"no incident {command.incident!r} in operation {record.id!r}")
    if found["status"] != "reported":
        raise IntegrityError(f"incident {command.incident} is already {found['status']}")
    if record.agreement is not None and not record.agreement.rules.is_monitor(command.monitor):
        monitors = set(record.agreement.rules.agreement.monitors)
        raise InvalidInput(
            f"organisation: {command.monitor!r} is not a monitor of the agreement "
            f"(allowed: {_allowed(monitors)})"
        )
    at = call.at(record, command.at)
    fact = (
        IncidentVerified(command.incident, command.monitor, at)
        if command.verified
        else IncidentRefuted(command.incident, command.monitor, at)
    )
    events = deal_events(record.id, (fact,))
    halted: list[str] = []
    if command.verified and record.agreement is not None:
        suspended = suspended_by(record.agreement.apply(fact), command.incident)
        stops = halt_suspended(record.book, suspended, command.incident, call.actor)
        halted = [e.trip for e in stops if isinstance(e, TripHalted)]
        events += custody_events(record.id, stops, at)
    return Decided(events, {"halted": halted})
