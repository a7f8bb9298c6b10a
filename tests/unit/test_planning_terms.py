"""Agreement terms become planning windows and pacing, and plans keep to them."""

from __future__ import annotations

from datetime import date

from corridor.domain.agreement.terms import Agreement, PacedLink, Stage, StagedLink
from corridor.domain.agreement.terms import Window as WindowTerm
from corridor.planning.fleet.engine import plan_scenario
from corridor.planning.model import Pacing, Staging, Window, build_model
from corridor.planning.terms import pacings_of, stagings_of, windows_of
from tests.support.plan_check import violations
from tests.support.planning_world import two_towns


def _agreement() -> Agreement:
    return Agreement(
        id="deal",
        name="Deal",
        version_note="",
        timezone="UTC",
        terms=(
            WindowTerm(
                "T1",
                "daylight only",
                ("alpha", "beta"),
                date(2020, 1, 1),
                date(2020, 1, 2),
                7 * 60,
                18 * 60,
            ),
            WindowTerm(
                "T2", "night run", ("beta",), date(2020, 1, 1), date(2020, 1, 1), 22 * 60, 2 * 60
            ),
            PacedLink("T3", "two for one", "alpha", "beta", 2.0, 40),
            StagedLink(
                "T4", "half then half", "beta", "alpha", "icrc", (Stage(75, 0), Stage(75, 100))
            ),
        ),
    )


def test_paced_links_become_pacings() -> None:
    """A paced link keeps its movements, ratio and allowance."""
    assert pacings_of(_agreement()) == (Pacing("alpha", "beta", 2.0, 40),)


def test_staged_links_become_stagings_with_cumulative_ends() -> None:
    """Stages of 75 and 75 against 0 and 100 become ends (75, 150) and needs (0, 100)."""
    assert stagings_of(_agreement()) == (Staging("beta", "alpha", (75, 150), (0, 100)),)


def test_window_hours_become_minutes_after_the_start() -> None:
    """Daily hours from a 06:00 start: 07:00-18:00 is minutes 60-720, then next day's."""
    windows = windows_of(_agreement(), "2020-01-01T06:00")
    assert windows["alpha"] == (Window(60.0, 720.0), Window(1500.0, 2160.0))
    # The overnight window 22:00-02:00 belongs to the day it opens.
    assert Window(960.0, 1200.0) in windows["beta"]


def test_a_plan_under_the_agreement_keeps_its_windows_and_pacing() -> None:
    """Planning under a deal's windows, pacing and stages gives a plan that keeps them."""
    scenario = two_towns()
    pacings = pacings_of(_agreement())
    windows = windows_of(_agreement(), scenario.start)
    stagings = stagings_of(_agreement())
    model = build_model(scenario, pacings, windows, stagings)
    plan = plan_scenario(model, iterations=5, exact=False)
    assert violations(scenario, plan, pacings, windows, stagings) == []
    assert min(t.depart for t in plan.trips) >= 60.0
