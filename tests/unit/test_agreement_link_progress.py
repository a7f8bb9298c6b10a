"""A link's progress reads the figures the engine decides on, and holds exactly when it would."""

from __future__ import annotations

import pytest

from corridor.domain.agreement import AgreementState, ConfirmStage, DispatchTrip, decide
from corridor.domain.agreement.progress import link_progress
from corridor.domain.scenario import Group
from tests.support.agreement_world import at, deal, paced, staged, world
from tests.unit.test_agreement_engine import civilians, run


def _one_more_allowed(state: AgreementState, term: str) -> bool:
    """Whether the engine lets one more northerner go as far as `term` is concerned."""
    decision = decide(state, DispatchTrip("north", "bus", at(16, 9), ((Group.CIVILIANS, 1),)))
    return all(f.passed for f in decision.findings if f.term == term)


def test_a_staged_link_waits_on_the_linked_stage_and_counts_each_side_in_its_stage() -> None:
    """Stage 1 needs 100 southerners confirmed: 60 blocks; 100 releases 500 northerners."""
    state = AgreementState.start(deal(staged()), world())
    state = run(state, civilians("south", 100), ConfirmStage("south", "icrc", 60, at(16, 9)))
    (link,) = link_progress(state)
    assert (link.term, link.stage, link.stages, link.holds) == ("T2", 1, 2, False)
    assert link.case == "awaiting-confirmation"
    assert (link.linked.done, link.linked.figure, link.linked.dispatched) == (60, 100, 100)
    assert (link.movement.done, link.movement.figure) == (0, 500)
    assert link.holds is _one_more_allowed(state, "T2")
    state = run(state, ConfirmStage("south", "icrc", 40, at(16, 9)), civilians("north", 300))
    (link,) = link_progress(state)
    assert (link.holds, link.case, link.stage) == (True, "released", 1)
    assert (link.movement.done, link.movement.share) == (300, 0.6)
    assert link.holds is _one_more_allowed(state, "T2")


def test_a_staged_link_past_its_stage_shows_the_next_stage_from_zero() -> None:
    """500 northerners gone: stage 2 (520 of north, 100 more of south) starts at nought."""
    state = AgreementState.start(deal(staged()), world())
    state = run(state, civilians("south", 100), ConfirmStage("south", "icrc", 100, at(16, 9)))
    state = run(state, civilians("north", 500))
    (link,) = link_progress(state)
    assert (link.stage, link.movement.done, link.movement.figure) == (2, 0, 520)
    assert (link.linked.done, link.linked.figure, link.holds) == (0, 100, False)
    assert link.holds is _one_more_allowed(state, "T2")


@pytest.mark.parametrize(("south", "north"), [(0, 0), (0, 50), (10, 99), (10, 100)])
def test_a_paced_link_blocks_at_its_ceiling(south: int, north: int) -> None:
    """North against 5 x south + 50: the bar's figure is the ceiling; holds below it."""
    state = AgreementState.start(deal(paced()), world())
    for movement, n in (("south", south), ("north", north)):
        if n:
            state = run(state, civilians(movement, n))
    (link,) = link_progress(state)
    assert (link.movement.done, link.movement.figure) == (north, 5 * south + 50)
    assert (link.linked.done, link.linked.figure) == (south, 200)
    assert link.holds is (north < 5 * south + 50) is _one_more_allowed(state, "T4")
    assert link.case == ("within-pace" if link.holds else "at-ceiling")
