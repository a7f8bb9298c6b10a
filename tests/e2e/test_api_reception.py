"""Reception endpoints: per-site occupancy and needs for reception desks, totals for liaisons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.adapters.scenario_file import load_bundled
from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

OP = f"/operations/{OPERATION}/reception"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    path = tmp_path_factory.mktemp("reception") / "corridor.db"
    with api_world(f"sqlite:///{path}") as opened:
        yield opened


def test_a_reception_desk_sees_each_site_within_its_places(world: ApiWorld) -> None:
    """Occupancy per site never exceeds its places, and everyone is placed."""
    view = world.ok(world.get(AccessRole.RECEPTION, f"{OP}/occupancy"))
    assert view["basis"].startswith("planned: the scenario's whole population")
    assert "/reception/check-ins" in view["basis"]
    assert view["placed"] == load_bundled("east-aleppo-2016").people()
    assert view["unmet"] == 0
    for site in view["sites"]:
        assert site["people"] <= site["places"], site
    assert {s["site"] for s in view["sites"]} >= {"atareb", "sarmada", "idlib"}


@pytest.mark.parametrize("role", [AccessRole.LIAISON, AccessRole.OBSERVER])
def test_liaisons_and_observers_get_totals_only(world: ApiWorld, role: AccessRole) -> None:
    """No site-by-site placement or stock detail reaches a liaison or observer."""
    occupancy = world.ok(world.get(role, f"{OP}/occupancy"))
    assert occupancy["placed"] == load_bundled("east-aleppo-2016").people()
    assert occupancy["basis"].startswith("planned:")
    assert "placements" not in occupancy
    assert isinstance(occupancy["sites"], int)
    needs = world.ok(world.get(role, f"{OP}/needs", days=3))
    assert "days" not in needs
    assert len(needs["need_by_day"]) == 3
    assert isinstance(needs["shortfalls"], int)


def test_needs_per_site_and_day_with_shortfall_days(world: ApiWorld) -> None:
    """The reception role sees needs per site per day and the first day of each shortfall."""
    view = world.ok(world.get(AccessRole.RECEPTION, f"{OP}/needs", days=4))
    assert view["occupancy_source"] == "allocation of the scenario's whole population, from day one"
    assert {row["day"] for row in view["days"]} == {
        "2016-12-15",
        "2016-12-16",
        "2016-12-17",
        "2016-12-18",
    }
    sarmada = [s for s in view["shortfalls"] if s["site"] == "sarmada"]
    assert sarmada
    assert all(s["need"] > s["available"] for s in sarmada)


def test_a_bad_day_count_is_refused_with_422(world: ApiWorld) -> None:
    """days outside 1-90 is a 422 naming the field."""
    response = world.get(AccessRole.RECEPTION, f"{OP}/needs", days=0)
    assert response.status_code == 422
    assert "days" in response.text


BUS, AMBULANCE = "bus-aleppo-depot-1", "ambulance-aleppo-depot-1"


def test_check_ins_are_arrival_counts_at_each_shelter(tmp_path: Path) -> None:
    """A bus counted on arrival at al-Atarib is its check-in; a liaison sees the total only."""
    at = "2016-12-15T10:00:00+02:00"
    ops = f"/operations/{OPERATION}"
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as world:
        empty = world.ok(world.get(AccessRole.RECEPTION, f"{OP}/check-ins"))
        assert empty == {"sites": []}
        # The deal lets the wounded go first: one leaves by ambulance (still on the road).
        ambulance = {"trip": "amb-1", "movement": "east-aleppo", "vehicle": AMBULANCE}
        world.ok(world.post(AccessRole.COORDINATOR, f"{ops}/trips", ambulance))
        wounded = {"site": "east-aleppo", "counts": {"wounded-seated": 1}}
        world.ok(world.post(AccessRole.MONITOR, f"{ops}/trips/amb-1/boarding", wounded))
        world.ok(
            world.post(
                AccessRole.MONITOR, f"{ops}/trips/amb-1/depart", {"site": "east-aleppo", "at": at}
            )
        )
        trip = {"trip": "bus-1", "movement": "east-aleppo", "vehicle": BUS}
        world.ok(world.post(AccessRole.COORDINATOR, f"{ops}/trips", trip))
        board = {"site": "east-aleppo", "counts": {"civilians": 40}}
        world.ok(world.post(AccessRole.MONITOR, f"{ops}/trips/bus-1/boarding", board))
        depart = {"site": "east-aleppo", "at": at}
        world.ok(world.post(AccessRole.MONITOR, f"{ops}/trips/bus-1/depart", depart))
        arrive = {"site": "atareb", "counts": {"civilians": 40}, "at": at}
        world.ok(world.post(AccessRole.MONITOR, f"{ops}/trips/bus-1/arrival", arrive))
        view = world.ok(world.get(AccessRole.RECEPTION, f"{OP}/check-ins"))
        assert view["sites"] == [
            {"site": "atareb", "checked_in": {"civilians": 40}, "places": {"civilians": 10000}}
        ]
        total = world.ok(world.get(AccessRole.LIAISON, f"{OP}/check-ins"))
        assert total == {"checked_in": 40, "sites": 1}
