"""The API refuses at the door what names no site, vehicle, kind or corridor; it appends nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M = AccessRole.COORDINATOR, AccessRole.MONITOR
OP = f"/operations/{OPERATION}"
BUS = "bus-aleppo-depot-1"
IN_WINDOW = "2016-12-15T10:00:00+02:00"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API with east-aleppo-2016 opened, on a fresh SQLite file."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def _head(world: ApiWorld) -> int:
    return world.context.ledger.head().sequence


def _refused(world: ApiWorld, role: AccessRole, path: str, body: Any) -> dict[str, Any]:
    """POST `body`; assert a 422 that appended nothing, and return its error body."""
    before = _head(world)
    response = world.post(role, path, body)
    assert response.status_code == 422, response.text
    assert _head(world) == before
    answer: dict[str, Any] = response.json()
    assert answer["ok"] is False
    return answer


def _plan(world: ApiWorld, trip: str, vehicle: str = BUS) -> None:
    body = {"trip": trip, "movement": "east-aleppo", "vehicle": vehicle}
    world.ok(world.post(C, f"{OP}/trips", body))


def test_a_trip_on_a_vehicle_not_in_the_fleet_is_refused(world: ApiWorld) -> None:
    """Planning a trip on `no-such-vehicle` names the field, the value and the fleet's ids."""
    body = {"trip": "t1", "movement": "east-aleppo", "vehicle": "no-such-vehicle"}
    answer = _refused(world, C, f"{OP}/trips", body)
    assert (answer["field"], answer["value"]) == ("vehicle", "no-such-vehicle")
    assert BUS in answer["allowed"]
    assert "ambulance-aleppo-depot-13" in answer["allowed"]
    assert "vehicle: 'no-such-vehicle' is not a vehicle of the fleet" in answer["error"]


def test_one_vehicle_cannot_be_on_two_live_trips(world: ApiWorld) -> None:
    """A second trip on a vehicle whose trip is not closed is refused, naming the live trip."""
    _plan(world, "t1")
    answer = _refused(
        world, C, f"{OP}/trips", {"trip": "t2", "movement": "east-aleppo", "vehicle": BUS}
    )
    assert (answer["field"], answer["value"]) == ("vehicle", BUS)
    assert BUS not in answer["allowed"]
    assert "live trip t1" in answer["error"]


def test_a_trip_id_is_used_once(world: ApiWorld) -> None:
    """Planning a trip under an id already taken is refused at the door."""
    _plan(world, "t1")
    body = {"trip": "t1", "movement": "east-aleppo", "vehicle": "bus-aleppo-depot-2"}
    assert _refused(world, C, f"{OP}/trips", body)["field"] == "trip"


def test_boarding_at_a_site_that_does_not_exist_is_refused(world: ApiWorld) -> None:
    """Boarding at `nowhere` is a 422 naming the movement's boarding sites; nothing is appended."""
    _plan(world, "t1")
    body = {"site": "nowhere", "counts": {"civilians": 40}}
    answer = _refused(world, M, f"{OP}/trips/t1/boarding", body)
    assert (answer["field"], answer["value"], answer["allowed"]) == (
        "site",
        "nowhere",
        ["east-aleppo"],
    )


def test_boarding_more_than_the_seats_is_refused(world: ApiWorld) -> None:
    """121 on a bus of 50 seats + 70 standing, or a stretcher case on a bus, is refused."""
    _plan(world, "t1")
    over = _refused(
        world, M, f"{OP}/trips/t1/boarding", {"site": "east-aleppo", "counts": {"civilians": 121}}
    )
    assert (over["field"], over["value"], over["allowed"]) == ("counts", "121", "0..120")
    lying = _refused(
        world,
        M,
        f"{OP}/trips/t1/boarding",
        {"site": "east-aleppo", "counts": {"wounded-stretcher": 1}},
    )
    assert (lying["field"], lying["allowed"]) == ("counts.wounded-stretcher", "0..0")
    full = {"site": "east-aleppo", "counts": {"civilians": 30, "wounded-seated": 20}}
    world.ok(world.post(M, f"{OP}/trips/t1/boarding", full))


def test_a_headcount_off_the_corridor_is_refused(world: ApiWorld) -> None:
    """A count at `narnia` is refused, naming the corridor's sites; the trip is unchanged."""
    _plan(world, "t1")
    world.ok(
        world.post(
            M, f"{OP}/trips/t1/boarding", {"site": "east-aleppo", "counts": {"civilians": 40}}
        )
    )
    body = {"site": "narnia", "counts": {"civilians": 40}, "at": IN_WINDOW}
    answer = _refused(world, M, f"{OP}/trips/t1/headcounts", body)
    assert (answer["field"], answer["value"]) == ("site", "narnia")
    assert answer["allowed"] == ["east-aleppo", "ramouseh", "rashidin", "khan-al-asal"]
    assert world.ok(world.get(M, f"{OP}/trips/t1"))["stage"] == "boarding"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "shootng"}, "kind"),
        ({"corridor": "ramousseh"}, "corridor"),
        ({"site": "narnia"}, "site"),
    ],
)
def test_an_incident_naming_an_undeclared_kind_corridor_or_site_is_refused(
    world: ApiWorld, change: dict[str, str], field: str
) -> None:
    """A misspelt incident kind, corridor or site is a 422, not a report that halts nothing."""
    body = {"kind": "shooting", "severity": 4, "corridor": "ramouseh", "site": "ramouseh"}
    answer = _refused(world, M, f"{OP}/incidents", {**body, **change})
    assert (answer["field"], answer["value"]) == (field, change[field])
    if field == "kind":
        assert "shooting" in answer["allowed"]
    assert world.ok(world.get(M, f"{OP}/incidents")) == []


def test_a_verified_shooting_on_the_corridor_halts_the_convoy(world: ApiWorld) -> None:
    """The correctly spelt report is accepted and, once verified, halts the trip on the road."""
    _plan(world, "t1")
    boarding = {"site": "east-aleppo", "counts": {"civilians": 40}}
    world.ok(world.post(M, f"{OP}/trips/t1/boarding", boarding))
    body = {"kind": "shooting", "severity": 4, "corridor": "ramouseh", "site": "ramouseh"}
    incident = world.ok(world.post(M, f"{OP}/incidents", body))
    assert incident["ok"] is True
    listed = world.ok(world.get(M, f"{OP}/incidents"))
    verified = world.ok(
        world.post(M, f"{OP}/incidents/{listed[0]['incident']}/verify", {"organisation": "icrc"})
    )
    assert verified["ok"] is True
    agreement = world.ok(world.get(M, f"{OP}/agreement"))
    assert set(agreement["halted"]) == {"east-aleppo", "foua-kefraya", "madaya-zabadani"}


def test_a_stage_confirmation_for_an_unknown_movement_is_refused(world: ApiWorld) -> None:
    """Confirming arrivals of `narnia` is a 422 naming the movements, not a recorded decision."""
    body = {"movement": "narnia", "organisation": "icrc", "people": 10, "at": IN_WINDOW}
    answer = _refused(world, M, f"{OP}/stages", body)
    assert (answer["field"], answer["value"]) == ("movement", "narnia")
    assert answer["allowed"] == ["east-aleppo", "foua-kefraya", "madaya-zabadani"]
    assert world.ok(world.get(M, f"{OP}/decisions")) == []


@pytest.mark.postgres
def test_refusals_append_nothing_on_postgresql(postgres_url: str) -> None:
    """On PostgreSQL too, a foreign vehicle, a busy vehicle and a misspelt kind append nothing."""
    with api_world(postgres_url) as world:
        body = {"trip": "t1", "movement": "east-aleppo", "vehicle": "no-such-vehicle"}
        assert _refused(world, C, f"{OP}/trips", body)["field"] == "vehicle"
        _plan(world, "t1")
        again = {"trip": "t2", "movement": "east-aleppo", "vehicle": BUS}
        assert _refused(world, C, f"{OP}/trips", again)["value"] == BUS
        incident = {"kind": "shootng", "severity": 4, "corridor": "ramouseh", "site": "ramouseh"}
        assert _refused(world, M, f"{OP}/incidents", incident)["field"] == "kind"
