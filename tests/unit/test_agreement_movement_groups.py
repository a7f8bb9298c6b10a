"""Terms over movement groups: a group term decides as one movement holding all its members.

Four towns, two on each side (a1 and a2 make `a`, b1 and b2 make `b`), under
a staged exchange, a paced link and caps that name the groups. The same
history is replayed in a world where each side is one movement; every
dispatch of a member must be decided exactly as the dispatch of that one
movement, and the simulator's remembered permits must agree with `decide`.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.domain.agreement import (
    Agreement,
    AgreementState,
    Cap,
    ConfirmStage,
    DispatchTrip,
    MovementGroup,
    PacedLink,
    Stage,
    StagedLink,
    Term,
    consequences,
    decide,
)
from corridor.domain.scenario import (
    Corridor,
    Group,
    Movement,
    Organisation,
    Population,
    Role,
    Scenario,
    Site,
    SiteKind,
)
from corridor.simulation.deal import AgreementGate
from tests.support.agreement_world import at

SIDES = {"a": ("a1", "a2"), "b": ("b1", "b2")}
PEOPLE = {"a1": 300, "a2": 200, "b1": 120, "b2": 80}
EXAMPLES = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _world(grouped: bool) -> Scenario:
    """The four towns as four movements (grouped) or as two (one per side)."""
    names = list(PEOPLE) if grouped else list(SIDES)
    people = PEOPLE if grouped else {s: sum(PEOPLE[m] for m in ms) for s, ms in SIDES.items()}
    towns = [Site(n, n, (SiteKind.ENCLAVE,)) for n in names]
    sites = (*towns, Site("camp", "Camp", (SiteKind.SHELTER,)))
    return Scenario(
        id="four-towns-test",
        name="Four towns",
        start="2016-12-15T06:00",
        timezone="Etc/GMT-2",
        sites=sites,
        links=(),
        corridors=tuple(Corridor(f"{n}-road", (n, "camp")) for n in names),
        vehicle_kinds=(),
        fleet=(),
        populations=tuple(Population(n, n, Group.CIVILIANS, people[n]) for n in names),
        movements=tuple(Movement(n, n, f"{n}-road", ("camp",), (Group.CIVILIANS,)) for n in names),
        organisations=(
            Organisation("icrc", "ICRC", Role.MONITOR),
            Organisation("qatar", "Qatar", Role.GUARANTOR),
        ),
    )


def _terms(stage_a: int, stage_b: int, ratio: float, allowance: int, cap: int) -> tuple[Term, ...]:
    return (
        StagedLink(
            "T1",
            "a in two stages, each after the matching stage of b.",
            "a",
            "b",
            "icrc",
            (Stage(stage_a, 0), Stage(500 - stage_a, stage_b)),
        ),
        PacedLink("T2", "b no faster than a.", "b", "a", ratio, allowance),
        Cap("T3", "At most this many of a.", "a", cap),
    )


def _deal(terms: tuple[Term, ...], grouped: bool) -> Agreement:
    groups = tuple(MovementGroup(s, ms) for s, ms in SIDES.items()) if grouped else ()
    return Agreement(
        id="four-towns",
        name="Four towns",
        version_note="test",
        timezone="Etc/GMT-2",
        terms=terms,
        monitors=("icrc",),
        guarantors=("qatar",),
        movement_groups=groups,
    )


def _side(movement: str) -> str:
    return next(s for s, ms in SIDES.items() if movement in ms)


steps = st.lists(
    st.tuples(
        st.sampled_from(("dispatch", "confirm")),
        st.sampled_from(tuple(PEOPLE)),
        st.integers(1, 60),
    ),
    min_size=1,
    max_size=40,
)
terms = st.builds(
    _terms,
    st.integers(0, 500),
    st.integers(0, 200),
    st.sampled_from((0.5, 1.0, 2.5)),
    st.integers(0, 80),
    st.integers(0, 520),
)


@EXAMPLES
@given(terms=terms, history=steps)
def test_a_group_term_decides_as_one_movement_summing_its_members(
    terms: tuple[Term, ...], history: list[tuple[str, str, int]]
) -> None:
    """Every dispatch and confirmation of a member is decided as that of its side."""
    grouped = AgreementState.start(_deal(terms, True), _world(True))
    merged = AgreementState.start(_deal(terms, False), _world(False))
    for i, (action, movement, people) in enumerate(history):
        when = at(16, 8) + timedelta(minutes=i)
        side = _side(movement)
        load = ((Group.CIVILIANS, people),)
        mine: DispatchTrip | ConfirmStage
        theirs: DispatchTrip | ConfirmStage
        if action == "dispatch":
            mine = DispatchTrip(movement, f"bus-{i}", when, load)
            theirs = DispatchTrip(side, f"bus-{i}", when, load)
        else:
            # Monitors confirm people of a town that left it: at most its own dispatched.
            people = min(people, grouped.people(movement) - grouped.confirmed_by(movement, "icrc"))
            if people <= 0:
                continue
            mine = ConfirmStage(movement, "icrc", people, when)
            theirs = ConfirmStage(side, "icrc", people, when)
        first, second = decide(grouped, mine), decide(merged, theirs)
        assert first.allowed == second.allowed, (first.explanation, second.explanation)
        assert first.terms == second.terms
        for event in consequences(mine, first):
            grouped = grouped.apply(event)
        for event in consequences(theirs, second):
            merged = merged.apply(event)
        for name, members in SIDES.items():
            assert grouped.people(name) == sum(grouped.people(m) for m in members)
            assert grouped.people(name) == merged.people(name)
            assert grouped.confirmed_by(name, "icrc") == merged.confirmed_by(name, "icrc")


@EXAMPLES
@given(terms=terms, history=steps)
def test_the_simulators_remembered_permits_agree_with_decide_over_groups(
    terms: tuple[Term, ...], history: list[tuple[str, str, int]]
) -> None:
    """A gate keeping permits answers every dispatch as a gate asking `decide` each time."""
    deal, scenario = _deal(terms, True), _world(True)
    remembered = AgreementGate(deal, scenario)
    recorded = AgreementGate(deal, scenario, record=True)
    for i, (action, movement, people) in enumerate(history):
        minute = 26 * 60.0 + i
        if action == "confirm":
            remembered.arrived(movement, people, minute)
            recorded.arrived(movement, people, minute)
            continue
        load = ((Group.CIVILIANS, people),)
        fast = remembered.dispatch(movement, f"bus-{i}", minute, load)
        slow = recorded.dispatch(movement, f"bus-{i}", minute, load)
        assert fast.allowed == slow.allowed
    assert remembered.state.dispatched_total == recorded.state.dispatched_total
