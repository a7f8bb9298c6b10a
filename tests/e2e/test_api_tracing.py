"""A tracing request for a child finds the registration and the bus that boarded the child."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, R, L, OB = (
    AccessRole.COORDINATOR,
    AccessRole.MONITOR,
    AccessRole.RECEPTION,
    AccessRole.LIAISON,
    AccessRole.OBSERVER,
)
OP = f"/operations/{OPERATION}"
CHILD = {
    "full_name": "يوسف خالد درويش", "sex": "male", "age": 9, "birth_year": 2007,
    "vulnerabilities": ["unaccompanied"], "movement": "east-aleppo", "ref": "FC-77",
}  # fmt: skip
OTHER = {"full_name": "Zainab Qassem", "sex": "female", "age": 30, "movement": "east-aleppo"}
SOUGHT = {"full_name": "Youssef Khaled Darwish", "birth_year": 2007, "sex": "male",
          "last_seen_site": "east-aleppo"}  # fmt: skip


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """A child and an adult registered, both boarded on bus-1 from its manifest."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        ids = [opened.ok(opened.post(R, f"{OP}/people", body))["person"] for body in (CHILD, OTHER)]
        plan = {"trip": "bus-1", "movement": "east-aleppo", "vehicle": "bus-aleppo-depot-1"}
        opened.ok(opened.post(C, f"{OP}/trips", plan))
        manifest = {"site": "east-aleppo", "manifest": ids}
        opened.ok(opened.post(M, f"{OP}/trips/bus-1/boarding", manifest))
        yield opened


def test_a_tracing_request_finds_the_child_and_the_bus_from_its_manifest(world: ApiWorld) -> None:
    """Youssef in Latin letters finds يوسف, flagged an unaccompanied child, boarded on bus-1."""
    request = world.ok(world.post(R, f"{OP}/tracing", {**SOUGHT, "trip": "bus-1"}))["request"]
    matches = world.ok(world.get(R, f"{OP}/tracing/{request}/matches"))["matches"]
    assert len(matches) == 1
    match = matches[0]
    assert (match["ref"], match["child"], match["unaccompanied"]) == ("FC-77", True, True)
    assert match["boarded"] == [
        {
            "trip": "bus-1",
            "vehicle": "bus-aleppo-depot-1",
            "site": "east-aleppo",
            "arrived_at": None,
        }
    ]
    assert any(reason.startswith("first name agrees") for reason in match["reasons"])


@pytest.mark.parametrize("role", [M, L, OB])
def test_only_coordinator_and_reception_open_and_read_tracing(
    world: ApiWorld, role: AccessRole
) -> None:
    """Other roles get 403 opening a request and reading its matches."""
    assert world.post(role, f"{OP}/tracing", SOUGHT).status_code == 403
    request = world.ok(world.post(C, f"{OP}/tracing", SOUGHT))["request"]
    assert world.get(role, f"{OP}/tracing/{request}/matches").status_code == 403


def test_a_liaison_sees_that_a_request_was_opened_but_not_for_whom(world: ApiWorld) -> None:
    """The tracing event reaches a liaison as the operation alone; no name, site or trip."""
    world.ok(world.post(R, f"{OP}/tracing", {**SOUGHT, "trip": "bus-1"}))
    events = world.ok(world.get(L, f"{OP}/events"))
    traced = [e for e in events if e["type"] == "tracing-requested"]
    assert [e["data"] for e in traced] == [{"operation": OPERATION}]
    text = json.dumps(events, ensure_ascii=False)
    assert "Darwish" not in text
    assert "درويش" not in text


def test_a_request_for_an_unknown_seeker_is_refused(world: ApiWorld) -> None:
    """Naming a seeker who is not registered is a 404 naming the field; nothing is opened."""
    answer = world.post(R, f"{OP}/tracing", {**SOUGHT, "seeker": "person-nobody"})
    assert answer.status_code == 404
    assert "seeker: no person person-nobody" in answer.json()["error"]


def test_a_request_naming_an_unknown_trip_or_site_is_refused(world: ApiWorld) -> None:
    """A trip or a last-seen site the operation does not know is refused, naming the field."""
    trip = world.post(R, f"{OP}/tracing", {**SOUGHT, "trip": "bus-99"})
    assert trip.status_code == 404
    assert "trip: no trip 'bus-99'" in trip.json()["error"]
    site = world.post(R, f"{OP}/tracing", {**SOUGHT, "last_seen_site": "paris"})
    assert site.status_code == 422
    assert "last_seen_site: 'paris' is not a site of this operation" in site.json()["error"]
    events = world.ok(world.get(C, f"{OP}/events"))
    assert not [e for e in events if e["type"] == "tracing-requested"]


def test_a_match_shows_the_reception_site_the_bus_arrived_at(world: ApiWorld) -> None:
    """Once bus-1 arrives, the child's match names where: the placement to follow up."""
    # The deal lets the wounded go first: one leaves by ambulance, then the bus may.
    at = {"site": "east-aleppo", "at": "2016-12-15T10:00:00+02:00"}
    ambulance = {"trip": "amb-1", "movement": "east-aleppo", "vehicle": "ambulance-aleppo-depot-1"}
    world.ok(world.post(C, f"{OP}/trips", ambulance))
    wounded = {"site": "east-aleppo", "counts": {"wounded-seated": 1}}
    world.ok(world.post(M, f"{OP}/trips/amb-1/boarding", wounded))
    world.ok(world.post(C, f"{OP}/trips/amb-1/depart", at))
    world.ok(world.post(C, f"{OP}/trips/bus-1/depart", at))
    counts = {"civilians": 1, "unaccompanied-minors": 1}
    world.ok(world.post(M, f"{OP}/trips/bus-1/arrival", {"site": "idlib", "counts": counts}))
    request = world.ok(world.post(R, f"{OP}/tracing", SOUGHT))["request"]
    (match,) = world.ok(world.get(R, f"{OP}/tracing/{request}/matches"))["matches"]
    assert match["boarded"][0]["arrived_at"] == "idlib"
