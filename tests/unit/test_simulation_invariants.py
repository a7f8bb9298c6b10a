"""Properties every run keeps, whatever the disruption: nobody is lost or counted twice."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.simulation.disruption import (
    Breakdowns,
    DisruptionModel,
    IncidentRisk,
    Scripted,
    TimelineEntry,
    Weather,
)
from corridor.simulation.engine import simulate
from corridor.simulation.metrics import RunOptions
from tests.support.simulation_world import aleppo_like

OPTIONS = RunOptions(horizon_minutes=4 * 1440, deadline_minutes=1440, step_minutes=120)


@st.composite
def disruptions(draw: st.DrawFn) -> DisruptionModel:
    halts = draw(st.lists(st.tuples(st.floats(0, 2000), st.floats(10, 900)), max_size=2))
    timeline = [
        TimelineEntry(Scripted.HALT, start, start + length, corridor="ramouseh-road")
        for start, length in halts[:1]
    ]
    if draw(st.booleans()):
        timeline.append(TimelineEntry(Scripted.TURN_BACK, 100.0, 400.0, site="amiriyah"))
    return DisruptionModel(
        incidents=(IncidentRisk("foua-road", draw(st.floats(0.1, 10.0))),),
        breakdowns=Breakdowns(draw(st.floats(0.0, 0.5))),
        weather=(Weather(0.0, draw(st.floats(1, 3000)), draw(st.floats(0.5, 3.0))),),
        timeline=tuple(timeline),
    )


@settings(max_examples=25, deadline=None)
@given(
    model=disruptions(),
    people=st.integers(1, 800),
    buses=st.integers(1, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_people_are_conserved_and_series_only_grow(
    model: DisruptionModel, people: int, buses: int, seed: int
) -> None:
    """Moved never exceeds the population; cleared means all moved; series rise to the total."""
    scenario = aleppo_like(people=people, buses=buses, ambulances=2, linked_people=people // 3)
    metrics = simulate(scenario, model, OPTIONS, seeds=(seed, seed + 1, seed + 2, seed + 3))
    assert metrics.moved <= scenario.people()
    assert metrics.cleared == (metrics.moved == scenario.people())
    assert sum(values[-1] for _, values in metrics.series) == metrics.moved
    for _, values in metrics.series:
        assert all(a <= b for a, b in pairwise(values))
    assert 0 <= metrics.moved_by_deadline <= metrics.moved
    assert metrics.clearance <= OPTIONS.horizon_minutes
    assert metrics.waiting_vehicle_total >= 0
    assert 0 <= metrics.longest_wait <= OPTIONS.horizon_minutes
