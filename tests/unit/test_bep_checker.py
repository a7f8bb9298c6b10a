"""The independent BEP checker, on instances generated here: it accepts plans and catches faults.

These need no published files, so they run in any clone; the published
instances are in `tests/integration/test_bep_checker.py`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corridor.planning.bep.plan import Engine
from corridor.planning.bep.reader import read_bep
from corridor.planning.bep.solver import solve_bep
from tests.support.bep_checker import check_result
from tests.support.bep_folder import DEFAULT, bep_folder, bep_missing, bep_required
from tests.support.bep_instances import BepFile, write_instance

SEEDS = range(6)


def _solved(tmp_path: Path, seed: int) -> tuple[BepFile, dict[str, Any]]:
    made = write_instance(tmp_path, seed)
    result = solve_bep(read_bep(made.path), time_limit=0.25, seed=1, engine=Engine.HEURISTIC)
    return made, result.to_json()


def test_the_generator_writes_the_same_file_for_the_same_seed(tmp_path: Path) -> None:
    """A seed names one file: two writes are byte for byte equal, another seed differs."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_instance(tmp_path / "a", 3)
    again = write_instance(tmp_path / "b", 3)
    other = write_instance(tmp_path / "b", 4)
    assert first.path.read_bytes() == again.path.read_bytes()
    assert other.path.read_bytes() != first.path.read_bytes()


@pytest.mark.parametrize("seed", SEEDS)
def test_the_checker_accepts_the_planners_plan_for_a_generated_instance(
    tmp_path: Path, seed: int
) -> None:
    """Demand met, seats and shelters respected, makespan recomputed equal to the one reported."""
    made, result = _solved(tmp_path, seed)
    assert check_result(made.path, result) == result["makespan"]
    assert result["makespan"] > 0


def _first_trip(result: dict[str, Any]) -> dict[str, Any]:
    trip: dict[str, Any] = next(t for r in result["routes"] for t in r["trips"])
    return trip


def _overload(result: dict[str, Any], made: BepFile) -> None:
    _first_trip(result)["load"] = made.seats + 1


def _drop_a_trip(result: dict[str, Any], _made: BepFile) -> None:
    next(r for r in result["routes"] if r["trips"])["trips"].pop()


def _shorter_makespan(result: dict[str, Any], _made: BepFile) -> None:
    result["makespan"] -= 1


def _wrong_depot(result: dict[str, Any], made: BepFile) -> None:
    result["routes"][0]["depot"] = 2 if result["routes"][0]["depot"] == 1 else 1


def _unknown_shelter(result: dict[str, Any], made: BepFile) -> None:
    _first_trip(result)["shelter"] = len(made.capacity) + 1


def _missing_bus(result: dict[str, Any], _made: BepFile) -> None:
    result["routes"].pop()


FAULTS: dict[str, Callable[[dict[str, Any], BepFile], None]] = {
    "a bus over its seats": _overload,
    "people left behind": _drop_a_trip,
    "a makespan shorter than the routes": _shorter_makespan,
    "a bus leaving from another depot": _wrong_depot,
    "a shelter that does not exist": _unknown_shelter,
    "a bus without a route": _missing_bus,
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_the_checker_rejects_a_plan_with(tmp_path: Path, fault: str) -> None:
    """Each kind of broken plan, made from a valid one, fails the check."""
    made, result = _solved(tmp_path, 1)
    broken = copy.deepcopy(result)
    FAULTS[fault](broken, made)
    with pytest.raises(AssertionError):
        check_result(made.path, broken)


def test_the_checker_rejects_a_shelter_filled_over_its_capacity(tmp_path: Path) -> None:
    """All people sent to one shelter too small for them fails the capacity check."""
    made = write_instance(tmp_path, 2, shelters=2)
    result = solve_bep(read_bep(made.path), time_limit=0.25, seed=1, engine=Engine.HEURISTIC)
    broken = result.to_json()
    for route in broken["routes"]:
        for trip in route["trips"]:
            trip["shelter"] = 1
    assert sum(made.demand) > made.capacity[0]
    with pytest.raises(AssertionError, match="capacity"):
        check_result(made.path, broken)


def test_the_bep_folder_comes_from_the_setting_with_the_shared_folder_as_default(
    tmp_path: Path,
) -> None:
    """CORRIDOR_BEP_DIR names the folder; without it, ../shared/benchmarks/bep is used."""
    assert bep_folder({"CORRIDOR_BEP_DIR": str(tmp_path)}) == tmp_path.resolve()
    assert bep_folder({}) == DEFAULT
    assert DEFAULT.parts[-3:] == ("shared", "benchmarks", "bep")


def test_an_absent_bep_folder_is_named_with_the_setting_to_fix_it(tmp_path: Path) -> None:
    """A folder without the instances gives a reason naming what is missing and the setting."""
    reason = bep_missing(tmp_path)
    assert reason is not None
    assert str(tmp_path) in reason
    assert "CORRIDOR_BEP_DIR" in reason


@pytest.mark.parametrize(
    ("value", "required"), [("1", True), ("true", True), ("0", False), ("", False)]
)
def test_a_run_asks_for_the_published_instances_with_a_setting(value: str, required: bool) -> None:
    """CORRIDOR_REQUIRE_BEP=1 asks for them; unset or 0 lets the tests skip."""
    assert bep_required({"CORRIDOR_REQUIRE_BEP": value}) is required
