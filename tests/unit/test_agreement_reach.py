"""The deal analysis agrees with the engine about how far each movement can ever get."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.domain.agreement import (
    Agreement,
    AgreementState,
    Cap,
    ConfirmStage,
    DispatchTrip,
    PacedLink,
    Stage,
    StagedLink,
    Term,
    consequences,
    decide,
)
from corridor.domain.agreement.analysis import ERROR, analyse, reachable
from corridor.domain.scenario import Group
from tests.support.agreement_world import deal, world

AT = datetime(2016, 12, 16, 9, tzinfo=timezone(timedelta(hours=2)))
STEPS = (4096, 512, 64, 8, 1)


@st.composite
def links(draw: st.DrawFn) -> Term:
    a = draw(st.sampled_from(("north", "south")))
    b = "south" if a == "north" else "north"
    if draw(st.booleans()):
        stages = draw(
            st.lists(
                st.builds(Stage, st.integers(0, 600), st.integers(0, 150)), min_size=1, max_size=3
            )
        )
        return StagedLink("", "s", a, b, "icrc", tuple(stages))
    if draw(st.booleans()):
        return Cap("", "c", a, draw(st.integers(0, 1200)))
    return PacedLink(
        "", "p", a, b, draw(st.sampled_from((0.5, 1.0, 3.0))), draw(st.integers(0, 80))
    )


@st.composite
def deals(draw: st.DrawFn) -> Agreement:
    terms = draw(st.lists(links(), min_size=1, max_size=4))
    return deal(*(replace(t, id=f"T{i + 1}") for i, t in enumerate(terms)))


def greedy(agreement: Agreement) -> dict[str, int]:
    """Move and confirm as many people as the engine allows, largest loads first."""
    state = AgreementState.start(agreement, world())
    left = {
        ("north", Group.WOUNDED_SEATED): 20,
        ("north", Group.CIVILIANS): 1000,
        ("south", Group.CIVILIANS): 200,
    }
    moved = True
    while moved:
        moved = False
        for (movement, group), waiting in sorted(left.items()):
            for step in STEPS:
                if step > waiting:
                    continue
                trip = DispatchTrip(movement, "bus", AT, ((group, step),))
                decision = decide(state, trip)
                if decision.allowed:
                    state = state.fold(consequences(trip, decision))
                    confirmation = ConfirmStage(movement, "icrc", step, AT)
                    state = state.fold(consequences(confirmation, decide(state, confirmation)))
                    left[(movement, group)] -= step
                    moved = True
                    break
    return {m: state.people(m) for m in ("north", "south")}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agreement=deals())
def test_the_analysis_reaches_exactly_as_far_as_the_engine_lets_people_go(
    agreement: Agreement,
) -> None:
    """Greedy dispatching gets at least as far as the fixpoint says, exactly so without stages.

    A trip may overshoot a released stage by its own load, so with staged
    links large loads can go further than the people-by-people fixpoint.
    """
    reach = reachable(agreement, world())
    got = greedy(agreement)
    assert all(got[m] >= reach[m] for m in reach), (got, reach)
    if not any(isinstance(t, StagedLink) for t in agreement.terms):
        assert got == reach
    cycles = [d for d in analyse(agreement, world()) if d.severity == ERROR]
    if cycles:
        assert reach["north"] < 1020 or reach["south"] < 200
