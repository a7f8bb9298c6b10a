"""The situation report's content for one day: every figure with its source and time.

OCHA situation reports follow one layout: highlights, key figures, the
situation by area, then sections by theme and the gaps. This is that
content for an evacuation, computed from the record as of the end of the
day: movements and halts, incidents, custody and protection, reception,
claims beside the ledger's own counts, the deal's standing halts, and what
is missing. It holds facts only (ids, counts, instants, term and incident
ids); the report adapter turns them into sentences in English or Arabic.

For roles without personal-data rights, incidents carry no note and trips
appear only as counts, as in the other exports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from corridor.domain.agreement.explain import explain
from corridor.domain.custody import Tally, TripStage
from corridor.domain.figures import side_by_side
from corridor.errors import InvalidInput
from corridor.protection.access import AccessRole, sees_personal_data
from corridor.protection.redaction import REDACTED
from corridor.services.exports.daily import DayFigures
from corridor.services.exports.features import feature_collection
from corridor.services.exports.handlers import ExportWorld, read_for_export
from corridor.services.exports.reading import OperationRead, Provenance
from corridor.services.exports.reception import Reception, reception_of
from corridor.services.ports import LedgerStore

LEDGER = "ledger"
"""The source of every figure the ledger itself counted."""


@dataclass(frozen=True)
class Sourced:
    """One figure: what it counts, its value, where it comes from and as of when."""

    key: str
    value: int
    source: str
    at: str
    movement: str = ""


@dataclass(frozen=True)
class Halt:
    """A standing halt: which term, after which incident, and who has resumed so far."""

    movement: str
    term: str
    term_text: str
    incident: str
    kind: str
    severity: int
    needed: int
    lifted_by: tuple[str, ...]
    resumed: tuple[str, ...]


@dataclass(frozen=True)
class MovementDay:
    movement: str
    name: str
    today: DayFigures
    to_date: DayFigures
    registered: int
    waiting: int
    in_transit: int
    arrived: int
    exits: int
    balanced: bool
    halts: tuple[Halt, ...]


@dataclass(frozen=True)
class IncidentLine:
    id: str
    kind: str
    severity: int
    status: str
    at: str
    site: str
    site_name: str
    today: bool
    note: str = ""


@dataclass(frozen=True)
class ShelterLine:
    site: str
    name: str
    places: int
    arrived: int


@dataclass(frozen=True)
class ClaimLine:
    movement: str
    figure: str
    ledger: int
    by: str
    claimant: str
    value: int
    difference: int
    source: str
    stated_at: str


@dataclass(frozen=True)
class Gap:
    """Something the report cannot vouch for; `key` names it, `subject` says of what."""

    key: str
    subject: str
    value: int = 0


@dataclass(frozen=True)
class Sitrep:
    provenance: Provenance
    name: str
    day: date
    timezone: str
    role: AccessRole
    neutral: bool
    key_figures: tuple[Sourced, ...]
    movements: tuple[MovementDay, ...]
    incidents: tuple[IncidentLine, ...]
    open_alerts: int
    missing_open: int
    shelters: tuple[ShelterLine, ...]
    reception: Reception | None
    """Occupancy and Sphere needs from the live ledger forecast (None: no reception sites)."""
    claims: tuple[ClaimLine, ...]
    terms: tuple[tuple[str, str, str], ...]
    gaps: tuple[Gap, ...]
    days: tuple[date, ...]
    arrived_by_day: dict[str, tuple[int, ...]]
    """Movement -> people arrived on each of `days`, for the chart."""
    map: dict[str, Any]
    source: str
    """How the ledger is cited: operation, last event and hash."""


def sitrep_for(
    ledger: LedgerStore, operation: str, day: date | None, role: AccessRole, world: ExportWorld
) -> Sitrep:
    """The situation report of `operation` at the end of `day`, as `role` may see it."""
    if day is None:
        raise InvalidInput("day: a situation report is for one day; give --day YYYY-MM-DD")
    read, places = read_for_export(ledger, operation, world, day)
    p = read.provenance
    source = f"{LEDGER} {p.operation} #{p.sequence} {p.hash[:12]}"
    record = read.record
    today = read.series.on(day)
    totals = read.series.totals(day)
    tallies = record.book.tallies()
    halts = _halts(read)
    movements = []
    for movement, declared in sorted(record.movements.items()):
        mine = [t for t in tallies if t.movement == movement]
        movements.append(
            MovementDay(
                movement=movement,
                name=declared.get("name", movement),
                today=today.get(movement, DayFigures()),
                to_date=totals.get(movement, DayFigures()),
                registered=sum(t.registered for t in mine),
                waiting=sum(t.waiting for t in mine),
                in_transit=sum(t.in_transit for t in mine),
                arrived=sum(t.arrived for t in mine),
                exits=sum(t.exits for t in mine),
                balanced=all(t.balanced for t in mine),
                halts=tuple(h for h in halts if h.movement == movement),
            )
        )
    neutral = sees_personal_data(role)
    key_figures = _key_figures(movements, today, p.as_of, source)
    incidents = _incidents(read, neutral, day)
    open_alerts = record.book.open_alerts()
    report = Sitrep(
        provenance=p,
        name=record.name,
        day=day,
        timezone=read.scenario.timezone,
        role=role,
        neutral=neutral,
        key_figures=key_figures,
        movements=tuple(movements),
        incidents=incidents,
        open_alerts=len(open_alerts),
        missing_open=sum(a.missing for a in open_alerts),
        shelters=_shelters(read),
        reception=reception_of(read, role),
        claims=_claims(read, tallies, neutral),
        terms=tuple(explain(record.agreement.rules.agreement)) if record.agreement else (),
        gaps=(),
        days=tuple(d for d in read.days if d <= day),
        arrived_by_day={
            m.movement: tuple(
                read.series.days[(d, m.movement)].people_arrived
                if (d, m.movement) in read.series.days
                else 0
                for d in read.days
                if d <= day
            )
            for m in movements
        },
        map=feature_collection(read, places, role),
        source=source,
    )
    return _with_gaps(report, read)


def _key_figures(
    movements: list[MovementDay], today: dict[str, DayFigures], at: str, source: str
) -> tuple[Sourced, ...]:
    figures = [
        Sourced("arrived_today", sum(m.today.people_arrived for m in movements), source, at),
        Sourced("arrived_total", sum(m.arrived for m in movements), source, at),
        Sourced("waiting", sum(m.waiting for m in movements), source, at),
        Sourced("in_transit", sum(m.in_transit for m in movements), source, at),
        Sourced("trips_today", sum(m.today.trips_boarded for m in movements), source, at),
        Sourced("halts_today", sum(m.today.halts for m in movements), source, at),
        Sourced("missing_today", sum(m.today.people_missing for m in movements), source, at),
        Sourced("incidents_today", sum(f.incidents for f in today.values()), source, at),
    ]
    return tuple(figures)


def _halts(read: OperationRead) -> list[Halt]:
    state = read.record.agreement
    if state is None:
        return []
    found = []
    for movement, standing in sorted(state.halted.items()):
        for term_id, incident_id in standing:
            term = state.rules.suspensions.get(term_id)
            incident = state.incidents.get(incident_id)
            if term is None or incident is None:
                continue
            found.append(
                Halt(
                    movement=movement,
                    term=term_id,
                    term_text=term.text,
                    incident=incident_id,
                    kind=incident.kind,
                    severity=incident.severity,
                    needed=term.needed,
                    lifted_by=term.lifted_by,
                    resumed=tuple(sorted(state.halts.get((term_id, incident_id), frozenset()))),
                )
            )
    return found


def _incidents(read: OperationRead, neutral: bool, day: date) -> tuple[IncidentLine, ...]:
    lines = []
    for key, found in sorted(read.record.incidents.items()):
        site = found.get("site", "")
        at = str(found.get("at", ""))
        lines.append(
            IncidentLine(
                id=key,
                kind=str(found.get("kind", "")),
                severity=int(found.get("severity", 0)),
                status=str(found.get("status", "")),
                at=at,
                site=site,
                site_name=_site_name(read, site),
                today=_on(at, read, day),
                note=str(found.get("note", "")) if neutral else "",
            )
        )
    return tuple(lines)


def _on(at: str, read: OperationRead, day: date) -> bool:
    try:
        return read.series.day_of(at) == day
    except ValueError:
        return False


def _site_name(read: OperationRead, site: str) -> str:
    for s in read.scenario.sites:
        if s.id == site:
            return s.name
    return site


def _shelters(read: OperationRead) -> tuple[ShelterLine, ...]:
    arrived: dict[str, int] = {}
    for trip in read.record.book.trips.values():
        if trip.stage in (TripStage.ARRIVED, TripStage.CLOSED):
            arrived[trip.last_site] = arrived.get(trip.last_site, 0) + sum(trip.on_board.values())
    lines = [
        ShelterLine(s.id, s.name, sum(c.places for c in s.capacities), arrived.get(s.id, 0))
        for s in read.scenario.sites
        if s.capacities or s.id in arrived
    ]
    return tuple(lines)


def _claims(read: OperationRead, tallies: list[Tally], neutral: bool) -> tuple[ClaimLine, ...]:
    """Each party's claim beside the ledger's figure; its source is free text (it may
    name the person who called it in), so only neutral roles read it."""
    record = read.record
    return tuple(
        ClaimLine(
            v.movement,
            str(v.figure),
            v.ledger,
            c.by,
            str(c.claimant),
            c.value,
            c.difference,
            c.source if neutral else REDACTED,
            c.stated_at,
        )
        for v in side_by_side(tallies, record.claims, record.movements)
        for c in v.claims
    )


def _with_gaps(report: Sitrep, read: OperationRead) -> Sitrep:
    """What the report cannot vouch for, in the order a reader should act on it."""
    gaps: list[Gap] = []
    for m in report.movements:
        if not m.balanced:
            gaps.append(Gap("unbalanced", m.movement))
        for halt in m.halts:
            gaps.append(Gap("halt_standing", m.movement, halt.needed - len(halt.resumed)))
    if report.open_alerts:
        gaps.append(Gap("open_alerts", "", report.missing_open))
    for claim in report.claims:
        if claim.difference:
            gaps.append(Gap("claim_differs", claim.by, claim.difference))
    unverified = [i for i in report.incidents if i.status == "reported"]
    if unverified:
        gaps.append(Gap("unverified_incidents", "", len(unverified)))
    approximate = [s for s in read.scenario.sites if s.coordinates and s.coordinates.approximate]
    if approximate:
        gaps.append(Gap("approximate_positions", "", len(approximate)))
    gaps += _reception_gaps(report.reception)
    return replace(report, gaps=tuple(gaps))


def _reception_gaps(reception: Reception | None) -> list[Gap]:
    """Shortfalls of declared stocks, people above places, and stocks nobody declared."""
    if reception is None:
        return [Gap("no_reception_figures", "")]
    gaps = []
    starts = {(s.name, s.supply): s.short_from for s in reception.supplies if s.short_from}
    for (name, supply), day in sorted(starts.items(), key=lambda item: (item[1], item[0])):
        gaps.append(Gap("shortfall", f"{name}, {supply} from {day}"))
    last = reception.sites[-1].day if reception.sites else ""
    over = sum(s.over_capacity for s in reception.sites if s.day == last)
    if over:
        gaps.append(Gap("over_capacity", "", over))
    if reception.undeclared:
        gaps.append(Gap("undeclared_stocks", "", reception.undeclared))
    return gaps
