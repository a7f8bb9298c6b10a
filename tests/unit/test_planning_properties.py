"""Property: for any small two-town world, every plan is valid and every bound is below it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.planning.fleet.engine import plan_scenario
from corridor.planning.model import Pacing, build_model
from tests.support.plan_check import violations
from tests.support.planning_world import two_towns

worlds = st.fixed_dictionaries(
    {
        "civilians": st.integers(0, 400),
        "stretcher": st.integers(0, 6),
        "seated": st.integers(0, 12),
        "other_civilians": st.integers(0, 200),
        "buses": st.integers(1, 4),
        "ambulances": st.integers(1, 3),
        "checkpoint_rate": st.sampled_from([None, 2.0, 7.0, 12.0, 30.0]),
        "bus_lead": st.sampled_from([0.0, 17.5, 60.0]),
    }
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds, paced=st.booleans(), seed=st.integers(0, 3))
def test_any_small_world_gets_a_valid_bounded_plan(world, paced: bool, seed: int) -> None:
    """Seats, places, headways, pacing and everyone moved hold; bounds stay below."""
    scenario = two_towns(**world, shelter_places=1_000, beds=20)
    pacings = (Pacing("alpha", "beta", 3.0, 60),) if paced else ()
    everyone = world["civilians"] + world["stretcher"] + world["seated"]
    if paced and everyone > 3 * world["other_civilians"] + 60:
        pacings = ()
    plan = plan_scenario(build_model(scenario, pacings), iterations=3, seed=seed, exact=False)
    assert violations(scenario, plan, pacings) == []
    assert all(b.minutes <= plan.makespan + 1e-6 for b in plan.bounds)
