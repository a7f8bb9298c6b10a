"""The operation's clock in the API, and the operations a token may see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"
EXERCISE = {"start": "2016-12-15T05:00:00+02:00", "speed": 60}


@pytest.fixture
def world(tmp_path: Path) -> Any:
    """The API over a fresh SQLite ledger with the East Aleppo operation open (live)."""
    with api_world(f"sqlite:///{tmp_path / 'api.db'}") as opened:
        yield opened


def _board(world: ApiWorld) -> None:
    plan = {"trip": "f1", "movement": "foua-kefraya", "vehicle": "bus-aleppo-depot-1"}
    world.ok(world.post(C, f"{OP}/trips", plan))
    board = {"site": "kefraya", "counts": {"wounded-seated": 3}}
    world.ok(world.post(M, f"{OP}/trips/f1/boarding", board))


def test_a_live_operation_shows_the_wall_clock_and_refuses_a_2016_deal_today(
    world: ApiWorld,
) -> None:
    """Live, a depart without `at` is decided today: outside the deal's window, 409."""
    clock = world.ok(world.get(L, f"{OP}/clock"))
    assert clock["mode"] == "live"
    _board(world)
    refused = world.refused(world.post(M, f"{OP}/trips/f1/depart", {"site": "kefraya"}))
    assert "window" in [t["kind"] for t in refused["decision"]["terms"]]


def test_an_exercise_clock_decides_requests_without_a_time_in_its_own_time(
    world: ApiWorld,
) -> None:
    """Set to 15 Dec 2016 at x60, a depart without `at` is allowed and stamped in 2016."""
    set_to = world.ok(world.client.put(f"{OP}/clock", json=EXERCISE, headers=world.headers(C)))
    assert set_to["clock"]["mode"] == "exercise"
    assert world.ok(world.get(L, OP))["clock"]["speed"] == 60
    _board(world)
    departed = world.ok(world.post(M, f"{OP}/trips/f1/depart", {"site": "kefraya"}))
    assert departed["decision"]["allowed"] is True
    assert departed["events"][-1]["data"]["at"].startswith("2016-12-15")
    assert world.ok(world.get(L, f"{OP}/clock"))["now"].startswith("2016-12-15")


def test_only_a_coordinator_sets_the_clock(world: ApiWorld) -> None:
    """A monitor's clock change is refused (403) and appends nothing."""
    head = world.context.ledger.head()
    changed = world.client.put(f"{OP}/clock", json=EXERCISE, headers=world.headers(M))
    assert changed.status_code == 403
    assert world.context.ledger.head() == head


def test_an_operation_opened_as_an_exercise_runs_on_it_from_the_start(tmp_path: Path) -> None:
    """POST /operations with a clock opens on it: `clock-set` is among the opening events."""
    with api_world(f"sqlite:///{tmp_path / 'api.db'}", open_operation=False) as world:
        body = {"id": OPERATION, "scenario": "east-aleppo-2016", "clock": EXERCISE}
        opened = world.ok(world.post(C, "/operations", body))
        clocks = [e["data"]["clock"] for e in opened["events"] if e["type"] == "clock-set"]
        assert [c["mode"] for c in clocks] == ["exercise"]
        assert world.ok(world.get(L, f"{OP}/clock"))["now"].startswith("2016-12-15")


def test_a_token_lists_the_operation_it_may_see(world: ApiWorld) -> None:
    """GET /operations lists the token's own operation, with its summary."""
    listed = world.ok(world.get(L, "/operations"))
    assert [o["operation"] for o in listed] == [OPERATION]
    assert listed[0]["people"]["registered"] == 40_500
