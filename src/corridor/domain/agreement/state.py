"""The agreement state, kept incrementally: `state.apply(event)` returns the next state.

Only what decisions read is kept: people dispatched per movement and group,
people confirmed per movement and monitor, incidents, and the halts standing
with the guarantors who have resumed each. Each apply copies just the small
mapping it changes and shares the rest, so states are immutable values that
cost little to derive, and folding the ledger's events from the start gives
the very same state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from corridor.domain.agreement.events import (
    AgreementEvent,
    CheckpointCrossed,
    DecisionRecorded,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    ResumeRecorded,
    StageConfirmed,
    TripDispatched,
)
from corridor.domain.agreement.rulebook import Rulebook
from corridor.domain.agreement.terms import Agreement
from corridor.domain.scenario import Group, Scenario

REPORTED = "reported"
VERIFIED = "verified"
REFUTED = "refuted"


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as the agreement sees it: what, how bad, where, and its status."""

    id: str
    kind: str
    severity: int
    corridor: str
    site: str
    reporter: str
    at: str
    status: str = REPORTED


Halt = tuple[str, str]
"""(suspension term id, incident id): one standing halt."""


@dataclass(frozen=True)
class AgreementState:
    """Everything a decision reads. Mappings are never mutated once a state exists."""

    rules: Rulebook
    dispatched: Mapping[tuple[str, Group], int] = field(default_factory=dict)
    dispatched_total: Mapping[str, int] = field(default_factory=dict)
    trips: Mapping[str, int] = field(default_factory=dict)
    confirmed: Mapping[tuple[str, str], int] = field(default_factory=dict)
    incidents: Mapping[str, Incident] = field(default_factory=dict)
    halts: Mapping[Halt, frozenset[str]] = field(default_factory=dict)
    """Standing halts and the guarantors who have resumed each so far."""
    halted: Mapping[str, tuple[Halt, ...]] = field(default_factory=dict)
    """Movement -> standing halts on it, sorted; derived from `halts` on change."""
    decisions: int = 0
    events: int = 0

    @classmethod
    def start(cls, agreement: Agreement, scenario: Scenario) -> AgreementState:
        """The state before anything has happened."""
        return cls(rules=Rulebook.build(agreement, scenario))

    def fold(self, events: Iterable[AgreementEvent]) -> AgreementState:
        state = self
        for event in events:
            state = state.apply(event)
        return state

    def apply(self, event: AgreementEvent) -> AgreementState:
        """The state after `event`. Total: events that change nothing still count."""
        counted = self.events + 1
        if isinstance(event, DecisionRecorded):
            return self._evolve(decisions=self.decisions + 1, events=counted)
        if isinstance(event, TripDispatched):
            return self._dispatched(event, counted)
        if isinstance(event, StageConfirmed):
            key = (event.movement, event.monitor)
            confirmed = dict(self.confirmed)
            confirmed[key] = confirmed.get(key, 0) + event.people
            return self._evolve(confirmed=confirmed, events=counted)
        if isinstance(event, IncidentReported):
            if event.incident in self.incidents:
                return self._evolve(events=counted)
            incidents = dict(self.incidents)
            incidents[event.incident] = Incident(
                event.incident,
                event.kind,
                event.severity,
                event.corridor,
                event.site,
                event.reporter,
                event.at.isoformat(),
            )
            return self._evolve(incidents=incidents, events=counted)
        if isinstance(event, IncidentVerified):
            return self._verified(event, counted)
        if isinstance(event, IncidentRefuted):
            return self._refuted(event, counted)
        if isinstance(event, ResumeRecorded):
            return self._resumed(event, counted)
        if isinstance(event, CheckpointCrossed):
            return self._evolve(events=counted)
        raise TypeError(f"not an agreement event: {event!r}")

    def people(self, movement: str, group: Group | None = None) -> int:
        """People of a movement (of one group, or all) dispatched so far.

        For a movement group, the people of all its movements together.
        """
        if group is None:
            total = self.dispatched_total.get(movement)
            if total is not None:
                return total
        else:
            count = self.dispatched.get((movement, group))
            if count is not None:
                return count
        members = self.rules.members.get(movement)
        if members is None:
            return 0
        return sum(self.people(m, group) for m in members)

    def confirmed_by(self, movement: str, monitor: str) -> int:
        """People of a movement (or a movement group) confirmed arrived by `monitor`."""
        count = self.confirmed.get((movement, monitor))
        if count is not None:
            return count
        members = self.rules.members.get(movement)
        if members is None:
            return 0
        return sum(self.confirmed.get((m, monitor), 0) for m in members)

    def halts_on(self, movement: str) -> tuple[Halt, ...]:
        return self.halted.get(movement, ())

    def _dispatched(self, event: TripDispatched, counted: int) -> AgreementState:
        dispatched = dict(self.dispatched)
        people = 0
        for group, n in event.load:
            key = (event.movement, group)
            dispatched[key] = dispatched.get(key, 0) + n
            people += n
        total = dict(self.dispatched_total)
        total[event.movement] = total.get(event.movement, 0) + people
        trips = dict(self.trips)
        trips[event.movement] = trips.get(event.movement, 0) + 1
        return self._evolve(
            dispatched=dispatched, dispatched_total=total, trips=trips, events=counted
        )

    def _verified(self, event: IncidentVerified, counted: int) -> AgreementState:
        incident = self.incidents.get(event.incident)
        if incident is None or incident.status != REPORTED:
            return self._evolve(events=counted)
        incidents = dict(self.incidents)
        incidents[incident.id] = replace(incident, status=VERIFIED)
        halts = dict(self.halts)
        for term in self.rules.suspensions.values():
            if term.matches(incident.kind, incident.severity, incident.corridor, incident.site):
                halts[(term.id, incident.id)] = frozenset()
        return self._with_halts(halts, incidents=incidents, events=counted)

    def _refuted(self, event: IncidentRefuted, counted: int) -> AgreementState:
        incident = self.incidents.get(event.incident)
        if incident is None or incident.status == REFUTED:
            return self._evolve(events=counted)
        incidents = dict(self.incidents)
        incidents[incident.id] = replace(incident, status=REFUTED)
        halts = {h: g for h, g in self.halts.items() if h[1] != incident.id}
        return self._with_halts(halts, incidents=incidents, events=counted)

    def _resumed(self, event: ResumeRecorded, counted: int) -> AgreementState:
        term = self.rules.suspensions.get(event.term)
        if term is None or not self.rules.can_lift(term, event.guarantor):
            return self._evolve(events=counted)
        halts: dict[Halt, frozenset[str]] = {}
        for halt, guarantors in self.halts.items():
            if halt[0] == term.id:
                guarantors = guarantors | {event.guarantor}
                if len(guarantors) >= term.needed:
                    continue
            halts[halt] = guarantors
        return self._with_halts(halts, events=counted)

    def _with_halts(self, halts: dict[Halt, frozenset[str]], **changes: object) -> AgreementState:
        halted: dict[str, list[Halt]] = {}
        for halt in sorted(halts):
            for movement in self.rules.suspensions[halt[0]].movements:
                halted.setdefault(movement, []).append(halt)
        return self._evolve(
            halts=halts,
            halted={m: tuple(h) for m, h in halted.items()},
            **changes,
        )

    def _evolve(self, **changes: object) -> AgreementState:
        """A copy with `changes`: `dataclasses.replace` without its per-call checks.

        States are derived on every event of every simulated run, where the
        generic `replace` (which re-runs `__init__`) costs more than the change.
        """
        derived = object.__new__(type(self))
        fields = derived.__dict__
        fields.update(self.__dict__)
        fields.update(changes)
        return derived
