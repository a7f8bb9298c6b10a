"""Plan files on disk: written whole or not at all, and replaced whole on a rerun."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.adapters import plan_output
from corridor.adapters.plan_output import FILES, write_plan
from corridor.errors import CorridorError
from corridor.planning.fleet.engine import plan_scenario
from corridor.planning.model import build_model
from corridor.planning.plan import Plan
from tests.support.planning_world import two_towns


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_scenario(build_model(two_towns()), iterations=2, exact=False)


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_new_directory_gets_every_file_and_no_temporary_is_left(tmp_path: Path, plan) -> None:
    """All four files appear in the new directory; no staging directory remains."""
    out = tmp_path / "plan"
    paths = write_plan(plan, out, "2020-01-01T06:00")
    assert sorted(p.name for p in paths) == sorted(FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert _leftovers(tmp_path) == []


def test_a_rerun_replaces_the_files_whole(tmp_path: Path, plan) -> None:
    """Writing a second plan into the same directory leaves only the second plan."""
    out = tmp_path / "plan"
    write_plan(plan, out)
    other = plan_scenario(build_model(two_towns(civilians=100)), iterations=2, exact=False)
    write_plan(other, out)
    assert json.loads((out / "plan.json").read_text())["people_moved"] == other.people_moved()
    assert _leftovers(tmp_path) == []


def test_a_failure_while_drawing_leaves_nothing_behind(
    tmp_path: Path, plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk error is a CorridorError, and no plan or staging directory remains."""

    def broken(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(plan_output, "_moved", broken)
    out = tmp_path / "plan"
    with pytest.raises(CorridorError, match=r"could not write the plan.*disk full"):
        write_plan(plan, out)
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_a_file_in_the_way_is_a_clear_error(tmp_path: Path, plan) -> None:
    """An existing file where the directory should go is refused, untouched."""
    out = tmp_path / "plan"
    out.write_text("keep me")
    with pytest.raises(CorridorError, match="not a directory"):
        write_plan(plan, out)
    assert out.read_text() == "keep me"


def test_plan_files_give_every_moment_in_calendar_time_with_the_offset(
    tmp_path: Path, plan: Plan
) -> None:
    """trips.csv and plan.json date each trip in the zone; plan.json still reads back."""
    import csv

    out = tmp_path / "plan"
    write_plan(plan, out, "2016-12-15T05:00", "Asia/Damascus")
    rows = list(csv.DictReader((out / "trips.csv").open()))
    first = rows[0]
    assert first["depart_at"].endswith("+02:00")
    data = json.loads((out / "plan.json").read_text())
    calendar = data["calendar"]
    assert calendar["start"] == "2016-12-15T05:00+02:00"
    assert set(calendar["movements"]) == {t.movement for t in plan.trips}
    last = max(m["completion_minutes"] for m in calendar["movements"].values())
    assert last == plan.makespan
    trip = data["trips"][0]
    assert trip["arrive_at"].endswith("+02:00")
    assert Plan.from_dict(data) == plan
