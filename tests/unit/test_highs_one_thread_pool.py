"""Every HiGHS solver in one process shares its thread pool (planning/highs.py).

HiGHS makes its pool once per process; an instance asking for another thread
count afterwards does not solve. A server or a test run plans a scenario and
allocates shelters in one process, so the second must still solve.
"""

from __future__ import annotations

import highspy
import pytest

from corridor.adapters.scenario_file import load_bundled
from corridor.planning.fleet.bounds import lp_bound
from corridor.planning.highs import new_highs, solved
from corridor.planning.model import build_model
from corridor.services.reception import allocate_shelters


def test_shelters_are_allocated_after_a_plan_bound_in_the_same_process() -> None:
    """The fleet-flow LP bound runs first; the East Aleppo allocation still places everyone."""
    scenario = load_bundled("east-aleppo-2016")
    bound = lp_bound(build_model(scenario), 0.0, None)
    assert bound.minutes > 0, bound
    allocation = allocate_shelters(scenario)
    assert allocation.unmet_people == 0


def test_a_run_highs_refuses_is_an_error_not_an_answer() -> None:
    """An instance asking for another thread count than the pool's raises instead of 'full'."""
    first = new_highs()
    first.addVar(0.0, 1.0)
    solved(first)
    other = new_highs()
    other.setOptionValue("threads", 3)
    other.addVar(0.0, 1.0)
    with pytest.raises(RuntimeError, match="HiGHS refused to solve"):
        solved(other)
    assert other.getModelStatus() == highspy.HighsModelStatus.kNotset
