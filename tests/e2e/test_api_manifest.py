"""Boarding from a manifest of person ids through the API: groups from the vault, ids only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
PEOPLE = {
    "Hiba Anwar Sabbagh": {"sex": "female", "age": 34},
    "Omar Fadi Haddad": {"sex": "male", "age": 29},
    "Kinda Rami Aswad": {"sex": "female", "age": 51, "vulnerabilities": ["wounded"]},
    "Sami Walid Qudsi": {"sex": "male", "date_of_birth": "2005-03-01",
                         "vulnerabilities": ["unaccompanied"]},
}  # fmt: skip
GROUPS = {"civilians": 2, "wounded-seated": 1, "unaccompanied-minors": 1}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API on a fresh SQLite file with east-aleppo-2016 opened and trips planned."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        for trip, movement in (("bus-1", "east-aleppo"), ("bus-2", "east-aleppo")):
            plan = {"trip": trip, "movement": movement, "vehicle": f"bus-aleppo-depot-{trip[-1]}"}
            opened.ok(opened.post(C, f"{OP}/trips", plan))
        yield opened


def _register(world: ApiWorld, name: str, movement: str | None = "east-aleppo", **more: Any) -> str:
    body = {"full_name": name, **more}
    if movement is not None:
        body["movement"] = movement
    person: str = world.ok(world.post(R, f"{OP}/people", body))["person"]
    return person


def _registered(world: ApiWorld) -> list[str]:
    return [_register(world, name, **fields) for name, fields in PEOPLE.items()]


def _board(world: ApiWorld, trip: str, manifest: list[str]) -> Any:
    body = {"site": "east-aleppo", "manifest": manifest, "at": "2016-12-15T08:00:00+02:00"}
    return world.post(M, f"{OP}/trips/{trip}/boarding", body)


def _events(world: ApiWorld, role: AccessRole, kind: str) -> list[Any]:
    return [e for e in world.ok(world.get(role, f"{OP}/events", limit=1000)) if e["type"] == kind]


def test_a_manifest_boards_each_person_in_the_group_their_record_gives(world: ApiWorld) -> None:
    """Counts by group from the records; the event has ids and counts; one audited read."""
    ids = _registered(world)
    boarded = world.ok(_board(world, "bus-1", ids))
    event = next(e["data"] for e in boarded["events"] if e["type"] == "trip-boarded")
    assert (event["basis"], event["counts"], event["manifest"]) == ("manifest", GROUPS, sorted(ids))
    trip = world.ok(world.get(M, f"{OP}/trips/bus-1"))
    assert (trip["on_board"], trip["manifest"]) == (GROUPS, sorted(ids))
    reads = _events(world, C, "personal-data-read")
    assert [r["data"] for r in reads] == [
        {"operation": OPERATION, "person": None, "people": ids, "purpose": "boarding manifest"}
    ]
    assert reads[0]["actor"].startswith("monitor:")


def test_a_count_below_the_manifest_raises_an_alert(world: ApiWorld) -> None:
    """The manifest's counts stand as the boarding count: one fewer counted, one alert."""
    world.ok(_board(world, "bus-1", _registered(world)))
    body = {"site": "east-aleppo", "counts": {**GROUPS, "civilians": 1}}
    counted = world.ok(world.post(M, f"{OP}/trips/bus-1/headcounts", body))
    raised = [e["data"] for e in counted["events"] if e["type"] == "protection-alert-raised"]
    assert [(a["group"], a["missing"]) for a in raised] == [("civilians", 1)]


def test_liaisons_and_observers_see_the_counts_but_not_who_rides_where(world: ApiWorld) -> None:
    """Which ids ride in which vehicle is withheld from them; the counts are not."""
    ids = _registered(world)
    world.ok(_board(world, "bus-1", ids))
    for role in (L, OB):
        trip = world.ok(world.get(role, f"{OP}/trips/bus-1"))
        assert (trip["on_board"], trip["manifest"]) == (GROUPS, "[withheld]")
        boardings = _events(world, role, "trip-boarded")
        assert [(e["data"]["counts"], e["data"]["manifest"]) for e in boardings] == [
            (GROUPS, "[withheld]")
        ]
        trips = world.get(role, f"{OP}/trips").text
        assert not any(person in trips for person in ids)
    assert all(person in world.get(C, f"{OP}/trips").text for person in ids)


@pytest.mark.parametrize(
    ("case", "status", "named"),
    [
        ("twice", 409, "twice"),
        ("aboard", 409, "already on board trip bus-1"),
        ("unknown", 404, "person-0000"),
    ],
)
def test_a_manifest_refused_before_reading_reads_nobody(
    world: ApiWorld, case: str, status: int, named: str
) -> None:
    """Named twice, already aboard, not in the vault: refused naming the id, no read recorded."""
    ids = _registered(world)
    world.ok(_board(world, "bus-1", ids[:1]))
    manifest = {
        "twice": [ids[1], ids[2], ids[1]],
        "aboard": [ids[1], ids[0]],
        "unknown": [ids[1], "person-0000"],
    }[case]
    head = world.context.ledger.head().sequence
    refused = _board(world, "bus-2", manifest)
    assert refused.status_code == status, refused.text
    error = refused.json()["error"]
    assert named in error
    assert (ids[0] if case == "aboard" else ids[1] if case == "twice" else named) in error
    assert world.context.ledger.head().sequence == head
    assert world.ok(world.get(M, f"{OP}/trips/bus-2"))["stage"] == "planned"


def test_a_manifest_boarding_away_from_the_origin_reads_nobody(world: ApiWorld) -> None:
    """Boarding by manifest at `narnia` is a 422 naming the site, before any record is read."""
    ids = _registered(world)
    head = world.context.ledger.head().sequence
    refused = world.post(M, f"{OP}/trips/bus-1/boarding", {"site": "narnia", "manifest": ids})
    assert refused.status_code == 422, refused.text
    assert (refused.json()["field"], refused.json()["value"]) == ("site", "narnia")
    assert world.context.ledger.head().sequence == head


@pytest.mark.parametrize(
    ("movement", "expected"),
    [("foua-kefraya", "registered to foua-kefraya"), (None, "registered to no movement")],
)
def test_a_person_of_another_movement_is_refused_naming_them(
    world: ApiWorld, movement: str | None, expected: str
) -> None:
    """Registered to another movement, or to none: 422 naming the id; the read stays recorded."""
    ids = _registered(world)
    stranger = _register(world, "Lina Tarek Hamwi", movement=movement, age=40)
    refused = _board(world, "bus-1", [ids[0], stranger])
    assert refused.status_code == 422, refused.text
    assert expected in refused.json()["error"]
    assert f"manifest[1]: person {stranger}" in refused.json()["error"]
    assert world.ok(world.get(M, f"{OP}/trips/bus-1"))["stage"] == "planned"
    assert len(_events(world, C, "personal-data-read")) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"site": "east-aleppo"},
        {"site": "east-aleppo", "counts": {"civilians": 1}, "manifest": ["person-1"]},
        {"site": "east-aleppo", "counts": {"civilians": 1}, "basis": "manifest"},
    ],
)
def test_a_boarding_needs_exactly_one_of_counts_or_manifest(
    world: ApiWorld, body: dict[str, Any]
) -> None:
    """Neither, both, or a basis that does not fit: 422 naming the fields."""
    refused = world.post(M, f"{OP}/trips/bus-1/boarding", body)
    assert refused.status_code == 422, refused.text
    assert "counts" in refused.json()["error"]
    assert set(refused.json()) == {"ok", "error", "status"}


def test_registering_to_an_unknown_movement_is_refused(world: ApiWorld) -> None:
    """A person is tied only to a movement of the operation."""
    refused = world.post(R, f"{OP}/people", {"full_name": "Nour Adel", "movement": "nowhere"})
    assert refused.status_code == 404, refused.text
    assert "nowhere" in refused.json()["error"]


def test_no_name_reaches_the_database_file_in_the_clear(world: ApiWorld, tmp_path: Path) -> None:
    """After registrations and a manifest boarding, the SQLite files hold no seeded name."""
    world.ok(_board(world, "bus-1", _registered(world)))
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("corridor.db*"))
    assert stored, "the database file is where the test looks"
    for name in PEOPLE:
        for part in (name, *name.split()):
            assert part.encode() not in stored


def test_a_reception_desk_boards_from_a_manifest_but_may_not_count(world: ApiWorld) -> None:
    """A reception token's manifest boarding goes in; its headcount is a 403, adding nothing."""
    ids = _registered(world)
    body = {"site": "east-aleppo", "manifest": ids, "at": "2016-12-15T08:00:00+02:00"}
    boarded = world.ok(world.post(R, f"{OP}/trips/bus-1/boarding", body))
    event = next(e for e in boarded["events"] if e["type"] == "trip-boarded")
    assert event["data"]["counts"] == GROUPS
    assert event["actor"].startswith("reception:")
    head = world.context.ledger.head().sequence
    count = {"site": "ramouseh", "counts": GROUPS}
    refused = world.post(R, f"{OP}/trips/bus-1/headcounts", count)
    assert refused.status_code == 403, refused.text
    by_counts = {"site": "east-aleppo", "counts": {"civilians": 1}}
    assert world.post(R, f"{OP}/trips/bus-2/boarding", by_counts).status_code == 403
    assert world.context.ledger.head().sequence == head
