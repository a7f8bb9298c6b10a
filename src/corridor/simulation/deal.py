"""The agreement engine in the loop: a `Gate` that asks `decide` and keeps its state.

Every dispatch and crossing of the run becomes a request to the domain's pure
`decide(state, request)`; every allowed request and every incident, verification,
resume and monitor-confirmed arrival becomes the agreement's own ledger events,
folded into the state with `apply`. So a verified incident on one corridor
halts exactly the movements the suspension term names, and a paced or staged
link holds one side back when the other stalls, as the deal says.

With `record=True` the gate keeps every event in order: the run's history in
the ledger's own vocabulary, ready to be appended to an operation's ledger.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from corridor.domain.agreement import (
    Agreement,
    AgreementEvent,
    AgreementState,
    CheckpointCrossed,
    ConfirmStage,
    CrossCheckpoint,
    DecisionRecorded,
    DispatchTrip,
    IncidentReported,
    IncidentVerified,
    PacedLink,
    RecordResume,
    Request,
    StageConfirmed,
    TripDispatched,
    Window,
    consequences,
    decide,
)
from corridor.domain.agreement.allows import confirmation_allowed
from corridor.domain.agreement.permit import Permit, dispatch_permit
from corridor.domain.scenario import Role, Scenario, SiteKind
from corridor.simulation.gate import ALLOWED, IncidentNotice, Load, Verdict


def start_time(scenario: Scenario) -> datetime:
    """The scenario's minute zero as an aware time in its time zone."""
    moment = datetime.fromisoformat(scenario.start)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(scenario.timezone))
    return moment


_QUIET = (DecisionRecorded, CheckpointCrossed, IncidentReported)
"""Events after which every decision would be the same as before."""


class AgreementGate:
    """The deal's terms deciding every request of one run.

    Vehicles held by the deal ask again whenever anything changes, many with
    the same question (a full bus of civilians, again). A dispatch is judged
    by the movement's `Permit`: the load-independent part of the decision
    (windows, halts, stages, caps and paced ceilings as plain numbers), worked
    out once and kept while it `holds` and the time stays between the same
    window edges (the only way time alone changes an answer). `decide` would
    give the same answer, so the run is the same, only cheaper. A crossing
    reads only the windows and the standing halts, so its answer is kept until
    the halts change, however many trips leave or arrive meanwhile.

    A recording gate asks `decide` itself for every refusal it has not yet
    recorded on the current state, so the run's history carries the decision
    with its clause.
    """

    def __init__(self, agreement: Agreement, scenario: Scenario, *, record: bool = False) -> None:
        self.agreement = agreement
        self.scenario = scenario
        self.state = AgreementState.start(agreement, scenario)
        self.zero = start_time(scenario)
        self.record = record
        self._last_minute = 0.0
        self._last_at = self.zero
        self.events: list[AgreementEvent] = []
        self.permits: dict[str, tuple[int, Permit]] = {}
        """Movement -> (window stretch, its permit there), kept while the permit holds."""
        self.paced_on: dict[str, tuple[str, ...]] = _paced_on(agreement)
        """Movement -> the movements whose paced links read its people."""
        self._span_minute = -1.0
        self._span_at = 0
        self.refusals: dict[tuple[object, ...], Verdict] = {}
        """A recording gate's refusals on the current state, so each is recorded once."""
        self.crossings: dict[tuple[object, ...], Verdict] = {}
        """Answers to crossings, kept while the standing halts stay the same."""
        self.edges = _window_edges(agreement, scenario, self.zero)
        monitors = agreement.monitors or tuple(
            o.id for o in scenario.organisations if o.role is Role.MONITOR
        )
        self.monitor = monitors[0] if monitors else "monitor"
        self.checkpoint_of = {
            c.id: next(
                (
                    s
                    for s in c.sites
                    if scenario.site(s).is_a(SiteKind.CHECKPOINT)
                    or scenario.site(s).is_a(SiteKind.CROSSING)
                ),
                c.sites[0] if c.sites else "",
            )
            for c in scenario.corridors
        }

    def at(self, minute: float) -> datetime:
        # Several questions come at one minute (a load tried whole, then
        # smaller, then dispatched): the last answer is kept.
        if minute != self._last_minute:
            self._last_minute = minute
            self._last_at = self.zero + timedelta(minutes=minute)
        return self._last_at

    def _ask(self, request: Request) -> Verdict:
        decision = decide(self.state, request)
        for event in consequences(request, decision):
            # A recorded decision changes no later decision, only the count of
            # decisions; unless the run is being recorded it is not folded in.
            if self.record or not isinstance(event, DecisionRecorded):
                self._apply(event)
        if decision.allowed:
            return ALLOWED
        return Verdict(False, decision.explanation)

    def _apply(self, event: AgreementEvent) -> None:
        halts = self.state.halts
        self.state = self.state.apply(event)
        if not isinstance(event, _QUIET):
            self.refusals.clear()
            if self.state.halts is not halts:
                self.crossings.clear()
            self._forget_permits(event)
        if self.record:
            self.events.append(event)

    def _forget_permits(self, event: AgreementEvent) -> None:
        """Drop the permits `event` may have changed (`Permit.holds`, by event).

        A trip leaving changes its own movement's permit only at a stage
        boundary and a confirmation only releases a held stage (both checked
        on use, as they are single numbers); a trip leaving changes the
        permits of movements paced on it; an incident, verification or
        resume may change any.
        """
        if isinstance(event, TripDispatched):
            for movement in self.paced_on.get(event.movement, ()):
                self.permits.pop(movement, None)
        elif not isinstance(event, StageConfirmed):
            self.permits.clear()

    def _span(self, minute: float) -> int:
        """Which stretch between window edges `minute` falls in."""
        if minute != self._span_minute:
            self._span_minute = minute
            self._span_at = bisect.bisect_right(self.edges, minute)
        return self._span_at

    def permit(self, movement: str, minute: float) -> Permit:
        """The movement's permit at `minute`, worked out again only when it stops holding.

        A recording gate works every permit out afresh, so a recorded run is
        the reference the remembered ones are tested against.
        """
        if self.record:
            return dispatch_permit(self.state, movement, self.at(minute))
        span = self._span(minute)
        known = self.permits.get(movement)
        if known is not None and known[0] == span:
            permit = known[1]
            if not permit.outgrown(self.state):
                return permit
        permit = dispatch_permit(self.state, movement, self.at(minute))
        self.permits[movement] = (span, permit)
        return permit

    def dispatch(self, movement: str, vehicle: str, minute: float, load: Load) -> Verdict:
        if self.record:
            return self._recorded_dispatch(movement, vehicle, minute, load)
        if self.permit(movement, minute).allows(self.state, load):
            # The trip leaves as `consequences` would have it.
            self._apply(TripDispatched(movement, vehicle, load, self.at(minute)))
            return ALLOWED
        # Unrecorded, a refusal leaves no event: its words wait to be read.
        request = DispatchTrip(movement, vehicle, self.at(minute), load)
        return Verdict(False, explain=_explanation(self.state, request))

    def _recorded_dispatch(self, movement: str, vehicle: str, minute: float, load: Load) -> Verdict:
        """`decide` itself, every decision recorded; a refusal once per state and window stretch."""
        key = (movement, load, self._span(minute))
        known = self.refusals.get(key)
        if known is None:
            known = self._ask(DispatchTrip(movement, vehicle, self.at(minute), load))
            if not known.allowed:
                self.refusals[key] = known
        return known

    def shut(self, movement: str, minute: float) -> bool:
        return not self.permit(movement, minute).open

    def dispatchable(self, movement: str, minute: float, load: Load) -> int:
        """How many leading groups of `load` the deal would let leave now."""
        permit = self.permit(movement, minute)
        if not permit.open:
            return 0
        state = self.state
        return next((n for n in range(len(load), 0, -1) if permit.allows(state, load[:n])), 0)

    def cross(self, movement: str, vehicle: str, site: str, minute: float, people: int) -> Verdict:
        key = ("cross", movement, site, self._span(minute))
        if not self.record:
            # A crossing reads the windows and the halts only, and an allowed
            # one changes nothing a later decision reads: until the halts or
            # the window change, the answer stands.
            known = self.crossings.get(key)
            if known is not None:
                return known
        verdict = self._ask(CrossCheckpoint(movement, vehicle, site, self.at(minute), people))
        self.crossings[key] = verdict
        return verdict

    def recheck_after(self, minute: float) -> float | None:
        position = bisect.bisect_right(self.edges, minute)
        if position >= len(self.edges):
            return None
        return self.edges[position] - minute

    def reported(self, incident: IncidentNotice) -> None:
        self._apply(
            IncidentReported(
                incident=incident.id,
                kind=incident.kind,
                severity=incident.severity,
                corridor=incident.corridor,
                site=self.checkpoint_of.get(incident.corridor, ""),
                reporter=self.monitor,
                at=self.at(incident.minute),
            )
        )

    def verified(self, incident: IncidentNotice, minute: float) -> None:
        self._apply(IncidentVerified(incident.id, self.monitor, self.at(minute)))

    def resumed(self, incident: IncidentNotice, minute: float) -> None:
        """Every guarantor a standing halt from this incident needs records its resume."""
        terms = sorted({term for term, source in self.state.halts if source == incident.id})
        for term_id in terms:
            term = self.state.rules.suspensions[term_id]
            for guarantor in term.lifted_by:
                if (term_id, incident.id) not in self.state.halts:
                    break
                self._ask(RecordResume(term_id, guarantor, self.at(minute)))

    def arrived(self, movement: str, people: int, minute: float) -> None:
        confirmation = ConfirmStage(movement, self.monitor, people, self.at(minute))
        if self.record or not confirmation_allowed(self.state, confirmation):
            self._ask(confirmation)
        else:
            # Allowed: the confirmation counts as `consequences` would have it.
            self._apply(StageConfirmed(movement, self.monitor, people, confirmation.at))


def _paced_on(agreement: Agreement) -> dict[str, tuple[str, ...]]:
    """Linked movement -> the movements whose paced links read its people, sorted.

    A link between movement groups reads every movement of its linked group
    and governs every movement of its own.
    """
    reading: dict[str, set[str]] = {}
    for term in agreement.terms:
        if isinstance(term, PacedLink):
            for linked in agreement.members(term.linked):
                reading.setdefault(linked, set()).update(agreement.members(term.movement))
    return {linked: tuple(sorted(movements)) for linked, movements in reading.items()}


def _explanation(state: AgreementState, request: Request) -> Callable[[], str]:
    """What words the decision on `request` in `state` (states never change)."""
    return lambda: decide(state, request).explanation


def _window_edges(agreement: Agreement, scenario: Scenario, zero: datetime) -> list[float]:
    """Minutes after the start at which some window opens or closes, sorted.

    Edges are listed for every day of each window's dates (a deal spans days or
    weeks, so the list stays short).
    """
    edges: set[float] = set()
    for term in agreement.terms:
        if not isinstance(term, Window):
            continue
        zone = ZoneInfo(term.timezone or agreement.timezone or scenario.timezone)
        day: date = term.first_day
        while day <= term.last_day + timedelta(days=1):
            midnight = datetime.combine(day, time(), zone)
            closes = term.closes if term.closes > term.opens else term.closes + 1440
            for offset in (0, term.opens, closes):
                moment = midnight + timedelta(minutes=offset)
                edges.add((moment - zero) / timedelta(minutes=1))
            day += timedelta(days=1)
    return sorted(edge for edge in edges if edge > 0)


class AgreementDeal:
    """A picklable factory of `AgreementGate`s for one agreement (one per run)."""

    def __init__(self, agreement: Agreement, *, record: bool = False) -> None:
        self.agreement = agreement
        self.record = record

    def __call__(self, scenario: Scenario) -> AgreementGate:
        return AgreementGate(self.agreement, scenario, record=self.record)

    def __reduce__(self) -> tuple[object, tuple[Agreement, bool]]:
        # Spelled out: compiled (scripts/compile-native), the class has no
        # instance dict for pickle's default to copy, and studies are
        # pickled to every worker process.
        return (_agreement_deal, (self.agreement, self.record))


def _agreement_deal(agreement: Agreement, record: bool) -> AgreementDeal:
    return AgreementDeal(agreement, record=record)
