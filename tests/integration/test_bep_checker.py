"""Every published BEP instance gets a plan that an independent checker accepts.

The checker re-reads each file on its own, rebuilds every route from the
matrix and recomputes the makespan. Time limits are short here; the full runs
belong to the benchmark. The folder comes from `CORRIDOR_BEP_DIR` (default
`../shared/benchmarks/bep` beside the repository): absent, these tests skip
with the reason, unless the run asks for them with `CORRIDOR_REQUIRE_BEP=1`
(as `.ci/run` does). The checker's own tests, on generated instances, are in
`tests/unit/test_bep_checker.py`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corridor.planning.bep.plan import Engine
from corridor.planning.bep.reader import read_bep
from corridor.planning.bep.solver import solve_bep
from tests.support.bep_checker import check_result
from tests.support.bep_folder import REQUIRE, bep_folder, bep_missing, bep_required

BEP = bep_folder()
MISSING = bep_missing(BEP)
INSTANCES = sorted((BEP / "instances").glob("*/**/*.txt")) if MISSING is None else []


def _require_instances() -> None:
    if MISSING is not None:
        if bep_required():
            pytest.fail(f"{MISSING}; this run asks for them ({REQUIRE}=1)")
        pytest.skip(MISSING)


def test_the_instance_folder_holds_all_published_instances() -> None:
    """90 random and 5 real instances are present, so none is silently skipped."""
    _require_instances()
    assert len([p for p in INSTANCES if "rand" in p.parts]) == 90
    assert len([p for p in INSTANCES if "real" in p.parts]) == 5


@pytest.mark.slow
@pytest.mark.parametrize("path", INSTANCES, ids=[p.stem for p in INSTANCES])
def test_the_plan_for_every_instance_passes_the_independent_check(path: Path) -> None:
    """Demand met, seats and shelter capacities respected, makespan recomputed equal."""
    _require_instances()
    real = "real" in path.parts
    result = solve_bep(
        read_bep(path), time_limit=1.0 if real else 0.25, seed=1, engine=Engine.HEURISTIC
    )
    check_result(path, result.to_json())


def test_small_random_sets_reach_the_published_optimum() -> None:
    """On proven-optimal set-2 instances the planner proves the same optimum."""
    _require_instances()
    with (BEP / "reference" / "best_known_rand.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["instance"].startswith("set2/")]
    for row in rows[:4]:
        path = BEP / "instances" / "rand" / f"{row['instance']}.txt"
        result = solve_bep(read_bep(path), time_limit=5.0)
        check_result(path, result.to_json())
        assert result.proved_optimal
        assert result.makespan == int(row["cplex_objective"])
