"""Properties of the engine over random deals and random histories.

A small model kept beside the engine (counts, confirmations, standing halts)
says what each term demands; every allowed request must satisfy all of it,
every request satisfying all of it must be allowed, and replaying the
recorded events must give back every decision exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.domain.agreement import (
    Agreement,
    AgreementEvent,
    AgreementState,
    Cap,
    ConfirmStage,
    CrossCheckpoint,
    DecisionRecorded,
    DispatchTrip,
    HouseholdAboard,
    IncidentRefuted,
    IncidentReported,
    IncidentVerified,
    PacedLink,
    Priority,
    RecordResume,
    Request,
    Stage,
    StagedLink,
    Suspension,
    Term,
    Window,
    consequences,
    decide,
    event_from_payload,
)
from corridor.domain.agreement.allows import confirmation_allowed, dispatch_allowed
from corridor.domain.agreement.permit import dispatch_permit
from corridor.domain.scenario import Group
from tests.support.agreement_world import deal, world

LOCAL = timezone(timedelta(hours=2))
MOVEMENTS = ("north", "south")
GUARANTORS = ("russia", "turkey")
KINDS = ("shooting", "detention", "shelling")
EXAMPLES = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

movements = st.lists(st.sampled_from(MOVEMENTS), min_size=1, max_size=2, unique=True).map(tuple)


@st.composite
def windows(draw: st.DrawFn) -> Window:
    first = draw(st.integers(14, 21))
    opens = draw(st.integers(0, 47)) * 30
    closes = draw(st.integers(1, 48)) * 30
    if closes % 1440 == opens:
        closes = (opens + 60) % 1440 or 1440
    last = first + draw(st.integers(0, 3))
    return Window(
        "", "w", draw(movements), date(2016, 12, first), date(2016, 12, last), opens, closes
    )


@st.composite
def staged_links(draw: st.DrawFn) -> StagedLink:
    a = draw(st.sampled_from(MOVEMENTS))
    b = "south" if a == "north" else "north"
    stages = draw(
        st.lists(st.builds(Stage, st.integers(0, 300), st.integers(0, 120)), min_size=1, max_size=3)
    )
    return StagedLink("", "s", a, b, draw(st.sampled_from(("icrc", "un"))), tuple(stages))


@st.composite
def paced_links(draw: st.DrawFn) -> PacedLink:
    a = draw(st.sampled_from(MOVEMENTS))
    b = "south" if a == "north" else "north"
    ratio = draw(st.sampled_from((0.5, 1.0, 2.0, 5.0)))
    return PacedLink("", "p", a, b, ratio, draw(st.integers(0, 100)))


@st.composite
def suspensions(draw: st.DrawFn) -> Suspension:
    lifted = draw(
        st.lists(st.sampled_from((*GUARANTORS, "icrc")), min_size=1, max_size=3, unique=True)
    )
    return Suspension(
        "",
        "h",
        draw(movements),
        tuple(lifted),
        draw(st.integers(1, len(lifted))),
        tuple(draw(st.lists(st.sampled_from(KINDS), max_size=2, unique=True))),
        draw(st.integers(1, 5)),
        draw(st.sampled_from(("", "north-road", "south-road"))),
    )


caps = st.builds(
    Cap,
    st.just(""),
    st.just("c"),
    st.sampled_from(MOVEMENTS),
    st.integers(0, 300),
    st.sampled_from((None, Group.CIVILIANS, Group.WOUNDED_SEATED)),
)
priorities = st.builds(
    Priority,
    st.just(""),
    st.just("p"),
    st.just(("north",)),
    st.sampled_from(((Group.WOUNDED_SEATED,), ())),
    st.booleans(),
    st.sampled_from(("strict", "proportional")),
)
terms = st.one_of(windows(), staged_links(), paced_links(), suspensions(), caps, priorities)


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    drawn: list[Term] = draw(st.lists(terms, max_size=6))
    numbered = [_renumber(t, f"T{i + 1}") for i, t in enumerate(drawn)]
    return deal(*numbered)


def _renumber(term: Term, term_id: str) -> Term:
    from dataclasses import replace

    return replace(term, id=term_id)


moments = st.builds(
    lambda day, minute: datetime(2016, 12, day, tzinfo=LOCAL) + timedelta(minutes=minute),
    st.integers(14, 23),
    st.integers(0, 1439),
)


@st.composite
def dispatches(draw: st.DrawFn) -> DispatchTrip:
    movement = draw(st.sampled_from(MOVEMENTS))
    groups = (Group.CIVILIANS, Group.WOUNDED_SEATED) if movement == "north" else (Group.CIVILIANS,)
    load = draw(st.dictionaries(st.sampled_from(groups), st.integers(0, 60), min_size=1))
    households = draw(
        st.lists(
            st.builds(
                HouseholdAboard, st.sampled_from(("h1", "h2")), st.integers(1, 4), st.integers(1, 4)
            ),
            max_size=1,
        )
    )
    at = draw(moments)
    # Some requests come in UTC, so the engine must convert to the deal's time zone itself.
    if draw(st.booleans()):
        at = at.astimezone(UTC)
    return DispatchTrip(movement, "bus", at, tuple(sorted(load.items())), tuple(households))


Action = tuple[str, object]
actions = st.one_of(
    dispatches().map(lambda r: ("request", r)),
    st.builds(
        ConfirmStage,
        st.sampled_from(MOVEMENTS),
        st.sampled_from(("icrc", "un", "russia")),
        st.integers(0, 150),
        moments,
    ).map(lambda r: ("request", r)),
    st.builds(
        CrossCheckpoint,
        st.sampled_from(MOVEMENTS),
        st.just("bus"),
        st.sampled_from(("gate", "north")),
        moments,
    ).map(lambda r: ("request", r)),
    st.tuples(
        st.sampled_from(KINDS), st.integers(1, 5), st.sampled_from(("north-road", "south-road"))
    ).map(lambda t: ("report", t)),
    st.integers(0, 5).map(lambda i: ("verify", i)),
    st.integers(0, 5).map(lambda i: ("refute", i)),
    st.tuples(st.integers(1, 6), st.sampled_from((*GUARANTORS, "icrc"))).map(
        lambda t: ("resume", t)
    ),
)


@dataclass
class Model:
    """What the terms demand, tracked independently of the engine's state."""

    agreement: Agreement
    dispatched: dict[tuple[str, Group], int] = field(default_factory=dict)
    confirmed: dict[tuple[str, str], int] = field(default_factory=dict)
    status: dict[str, tuple[str, int, str, str]] = field(default_factory=dict)
    halts: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def total(self, movement: str) -> int:
        return sum(n for (m, _), n in self.dispatched.items() if m == movement)

    def standing(self, movement: str) -> bool:
        return any(
            movement in self.term(term_id).movements  # type: ignore[union-attr]
            for term_id, _ in self.halts
        )

    def term(self, term_id: str) -> Term:
        return self.agreement.term(term_id)

    def crossing_violations(self, crossing: CrossCheckpoint) -> list[str]:
        """Ids of the window and suspension terms a crossing would break."""
        local = crossing.at.astimezone(LOCAL)
        m = crossing.movement
        mine = [t for t in self.agreement.terms if isinstance(t, Window) and m in t.movements]
        broken = [w.id for w in mine] if mine and not any(_inside(w, local) for w in mine) else []
        standing = {term_id for term_id, _ in self.halts}
        for t in self.agreement.terms:
            if isinstance(t, Suspension) and m in t.movements and t.id in standing:
                broken.append(t.id)
        return broken

    def violations(self, trip: DispatchTrip) -> list[str]:
        """Ids of the terms this dispatch would break, judged from the model alone."""
        broken: list[str] = []
        m = trip.movement
        local = trip.at.astimezone(LOCAL)
        mine = [t for t in self.agreement.terms if isinstance(t, Window) and m in t.movements]
        if mine and not any(_inside(w, local) for w in mine):
            broken += [w.id for w in mine]
        after = self.total(m) + trip.people
        for t in self.agreement.terms:
            if isinstance(t, Suspension) and m in t.movements:
                if any(term_id == t.id for term_id, _ in self.halts):
                    broken.append(t.id)
            elif isinstance(t, Cap) and t.movement == m:
                if t.group is None:
                    count = after
                else:
                    count = self.dispatched.get((m, t.group), 0) + trip.people_of(t.group)
                if count > t.limit:
                    broken.append(t.id)
            elif isinstance(t, StagedLink) and t.movement == m:
                confirmed = self.confirmed.get((t.linked, t.confirmed_by), 0)
                released, mine_total, theirs_total = 0, 0, 0
                for stage in t.stages:
                    mine_total += stage.movement_people
                    theirs_total += stage.linked_people
                    if theirs_total > confirmed:
                        break
                    released = mine_total
                if after - trip.people + 1 > released:
                    broken.append(t.id)
            elif isinstance(t, PacedLink) and t.movement == m:
                if after > t.ratio * self.total(t.linked) + t.allowance + 1e-6:
                    broken.append(t.id)
            elif isinstance(t, Priority) and m in t.movements:
                population = {Group.WOUNDED_SEATED: 20, Group.CIVILIANS: 1000}
                first_after = sum(
                    self.dispatched.get((m, g), 0) + trip.people_of(g) for g in t.first
                )
                first_total = sum(population[g] for g in t.first)
                waiting = max(first_total - first_after, 0)
                others = sum(n for g, n in trip.load if g not in t.first)
                split = any(h.aboard != h.size for h in trip.households)
                if t.pace == "proportional" and others and waiting:
                    others_share = Fraction(after - first_after, 1020 - first_total)
                    if others_share <= Fraction(first_after, first_total):
                        waiting = 0
                if (others and waiting) or (t.keep_households and split):
                    broken.append(t.id)
        return broken


def _inside(window: Window, local: datetime) -> bool:
    minute = local.hour * 60 + local.minute
    day = local.date()
    if window.closes <= window.opens:
        if minute >= window.opens:
            return window.first_day <= day <= window.last_day
        return (
            minute < window.closes
            and window.first_day <= day - timedelta(days=1) <= window.last_day
        )
    return window.opens <= minute < window.closes and window.first_day <= day <= window.last_day


def play(
    agreement: Agreement, steps: list[Action]
) -> tuple[AgreementState, list[AgreementEvent], Model]:
    """Run a history through the engine and the model together, checking each decision."""
    state = AgreementState.start(agreement, world())
    model = Model(agreement)
    events: list[AgreementEvent] = []
    incidents: list[str] = []
    when = datetime(2016, 12, 16, 12, tzinfo=LOCAL)
    for kind, value in steps:
        new: tuple[AgreementEvent, ...]
        if kind == "request":
            request: Request = value  # type: ignore[assignment]
            decision = decide(state, request)
            assert decision == decide(state, request)
            if isinstance(request, ConfirmStage):
                assert confirmation_allowed(state, request) is decision.allowed
            if isinstance(request, DispatchTrip):
                assert dispatch_allowed(state, request) is decision.allowed
                broken = model.violations(request)
                if decision.allowed:
                    assert broken == [], (broken, decision.explanation)
                elif request.people > 0:
                    assert broken, decision.explanation
                    assert {t for t, _ in decision.terms} == set(broken)
            if isinstance(request, CrossCheckpoint) and request.site == "gate":
                broken = model.crossing_violations(request)
                assert decision.allowed is (broken == []), decision.explanation
                assert {t for t, _ in decision.terms if not decision.allowed} == set(broken)
            new = consequences(request, decision)
        elif kind == "resume":
            number, guarantor = value  # type: ignore[misc]
            request = RecordResume(f"T{number}", guarantor, when)
            decision = decide(state, request)
            term = agreement.term(request.term) if number <= len(agreement.terms) else None
            expected = (
                isinstance(term, Suspension)
                and guarantor in term.lifted_by
                and guarantor in GUARANTORS
                and any(t == term.id for t, _ in model.halts)
            )
            assert decision.allowed is expected, decision.explanation
            new = consequences(request, decision)
        elif kind == "report":
            incident_kind, severity, corridor = value  # type: ignore[misc]
            incidents.append(f"i{len(incidents)}")
            new = (
                IncidentReported(
                    incidents[-1], incident_kind, severity, corridor, "gate", "un", when
                ),
            )
        elif incidents:
            incident = incidents[value % len(incidents)]  # type: ignore[operator]
            cls = IncidentVerified if kind == "verify" else IncidentRefuted
            new = (cls(incident, "un", when),)
        else:
            continue
        for event in new:
            _track(model, event)
            state = state.apply(event)
            events.append(event)
    return state, events, model


def _track(model: Model, event: AgreementEvent) -> None:
    """The model's own reading of each event."""
    if isinstance(event, IncidentReported):
        model.status.setdefault(
            event.incident, ("reported", event.severity, event.kind, event.corridor)
        )
    elif (
        isinstance(event, IncidentVerified)
        and model.status.get(event.incident, ("",))[0] == "reported"
    ):
        _, severity, kind, corridor = model.status[event.incident]
        model.status[event.incident] = ("verified", severity, kind, corridor)
        for t in model.agreement.terms:
            if (
                isinstance(t, Suspension)
                and severity >= t.min_severity
                and (not t.incident_kinds or kind in t.incident_kinds)
                and (not t.corridor or t.corridor == corridor)
            ):
                model.halts[(t.id, event.incident)] = set()
    elif isinstance(event, IncidentRefuted) and event.incident in model.status:
        model.status[event.incident] = ("refuted", 0, "", "")
        model.halts = {h: g for h, g in model.halts.items() if h[1] != event.incident}
    elif isinstance(event, DecisionRecorded):
        return
    elif event.type == "trip-dispatched":
        for group, n in event.load:  # type: ignore[union-attr]
            key = (event.movement, group)  # type: ignore[union-attr]
            model.dispatched[key] = model.dispatched.get(key, 0) + n
    elif event.type == "stage-confirmed":
        key2 = (event.movement, event.monitor)  # type: ignore[union-attr]
        model.confirmed[key2] = model.confirmed.get(key2, 0) + event.people  # type: ignore[union-attr]
    elif event.type == "resume-recorded":
        term = model.term(event.term)  # type: ignore[union-attr]
        assert isinstance(term, Suspension)
        for halt in [h for h in model.halts if h[0] == term.id]:
            model.halts[halt].add(event.guarantor)  # type: ignore[union-attr]
            if len(model.halts[halt]) >= term.needed:
                del model.halts[halt]


histories = st.lists(actions, max_size=30)


@EXAMPLES
@given(agreement=agreements(), steps=histories)
def test_nothing_is_allowed_that_a_term_forbids_and_nothing_forbidden_without_one(
    agreement: Agreement, steps: list[Action]
) -> None:
    """Windows, halts, caps, stages, pacing and priority hold for every dispatch and crossing."""
    play(agreement, steps)


@settings(EXAMPLES, max_examples=800)
@given(agreement=agreements(), steps=histories)
def test_replaying_the_ledger_reproduces_every_decision_and_the_state(
    agreement: Agreement, steps: list[Action]
) -> None:
    """Events stored as JSON and folded again give the same decisions and the same state."""
    final, events, _ = play(agreement, steps)
    stored = [
        event_from_payload(e.type, json.loads(json.dumps(e.payload(), sort_keys=True)))
        for e in events
    ]
    state = AgreementState.start(agreement, world())
    for event in stored:
        if isinstance(event, DecisionRecorded):
            assert decide(state, event.request).payload() == event.decision.payload()
        state = state.apply(event)
    assert state == final


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agreement=agreements(), steps=histories, probe=dispatches())
def test_the_same_state_always_gives_the_same_decision(
    agreement: Agreement, steps: list[Action], probe: DispatchTrip
) -> None:
    """A state reached live and one rebuilt by folding decide any request identically."""
    final, events, _ = play(agreement, steps)
    rebuilt = AgreementState.start(agreement, world()).fold(events)
    assert decide(final, probe) == decide(rebuilt, probe) == decide(final, probe)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agreement=agreements(), steps=histories, probe=dispatches())
def test_the_quick_yes_or_no_is_always_the_decisions(
    agreement: Agreement, steps: list[Action], probe: DispatchTrip
) -> None:
    """`dispatch_allowed` answers a dispatch exactly as `decide(...).allowed` does."""
    final, _, _ = play(agreement, steps)
    assert dispatch_allowed(final, probe) is decide(final, probe).allowed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agreement=agreements(), steps=histories, probe=dispatches())
def test_a_permit_that_still_holds_answers_as_a_fresh_decision(
    agreement: Agreement, steps: list[Action], probe: DispatchTrip
) -> None:
    """A permit worked out early in a history, while it holds, answers as `decide` does later."""
    state = AgreementState.start(agreement, world())
    permit = dispatch_permit(state, probe.movement, probe.at)
    _, events, _ = play(agreement, steps)
    whole = all(h.aboard == h.size for h in probe.households)
    for event in events:
        state = state.apply(event)
        if permit.holds(state):
            assert permit.allows(state, probe.load, whole) is decide(state, probe).allowed
        else:
            permit = dispatch_permit(state, probe.movement, probe.at)
    assert permit.allows(state, probe.load, whole) is decide(state, probe).allowed
