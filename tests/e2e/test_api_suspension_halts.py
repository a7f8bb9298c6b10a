"""A verified incident the deal suspends on halts every trip on the road, in the same command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from corridor.services.live import LiveOperations
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"
IN_WINDOW = "2016-12-15T10:00:00+02:00"
WOUNDED = {"wounded-stretcher": 1, "wounded-seated": 2}
"""A full ambulance of the bundled fleet: one stretcher, two seats."""
FK_WOUNDED = {"wounded-seated": 10}
VEHICLES = {
    "fk-1": "bus-aleppo-depot-11",
    "amb-1": "ambulance-aleppo-depot-1",
    "bus-9": "bus-aleppo-depot-9",
}
"""The fleet vehicle each trip runs on."""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """East Aleppo's wounded and a Foua/Kefraya trip on the road, a bus still boarding."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        trips = [
            ("fk-1", "foua-kefraya", "foua", FK_WOUNDED, True),
            ("amb-1", "east-aleppo", "east-aleppo", WOUNDED, True),
            ("bus-9", "east-aleppo", "east-aleppo", {"civilians": 40}, False),
        ]
        for trip, movement, site, people, leaves in trips:
            plan = {"trip": trip, "movement": movement, "vehicle": VEHICLES[trip]}
            opened.ok(opened.post(C, f"{OP}/trips", plan))
            body = {"site": site, "counts": people}
            opened.ok(opened.post(M, f"{OP}/trips/{trip}/boarding", body))
            if leaves:
                depart = {"site": site, "at": IN_WINDOW}
                answer = opened.ok(opened.post(M, f"{OP}/trips/{trip}/depart", depart))
                assert answer["ok"], answer["decision"]["explanation"]
        count = {"site": "ramouseh", "counts": WOUNDED, "at": IN_WINDOW}
        opened.ok(opened.post(M, f"{OP}/trips/amb-1/headcounts", count))
        yield opened


def _incident(world: ApiWorld, corridor: str = "ramouseh") -> str:
    body = {"kind": "shooting", "severity": 4, "corridor": corridor, "site": "rashidin"}
    reported = world.ok(world.post(L, f"{OP}/incidents", {**body, "at": IN_WINDOW}))
    incident: str = reported["events"][0]["data"]["incident"]
    return incident


def _stages(world: ApiWorld) -> dict[str, str]:
    return {t["trip"]: t["stage"] for t in world.ok(world.get(L, f"{OP}/trips"))}


def _check(world: ApiWorld, incident: str, verdict: str) -> Any:
    path = f"{OP}/incidents/{incident}/{verdict}"
    return world.ok(world.post(M, path, {"organisation": "icrc"}))


def test_verifying_an_attack_on_ramouseh_halts_both_sides_on_the_road(world: ApiWorld) -> None:
    """T6 links Foua/Kefraya: both trips on the road halt in the verifying command; bus-9 not."""
    incident = _incident(world)
    answer = _check(world, incident, "verify")
    assert [e["type"] for e in answer["events"]] == [
        "incident-verified", "trip-halted", "trip-halted"
    ]  # fmt: skip
    assert answer["halted"] == ["amb-1", "fk-1"]
    halts = {e["data"]["trip"]: e["data"] for e in answer["events"] if e["type"] == "trip-halted"}
    assert halts["amb-1"]["site"] == "ramouseh"
    for halt in halts.values():
        assert "T6" in halt["reason"]
        assert incident in halt["reason"]
    assert _stages(world) == {"amb-1": "halted", "fk-1": "halted", "bus-9": "boarding"}


def test_a_refuted_incident_halts_nothing(world: ApiWorld) -> None:
    """Refuted: no trip halts and the deal halts no movement."""
    before = _stages(world)
    answer = _check(world, _incident(world), "refute")
    assert answer["halted"] == []
    assert [e["type"] for e in answer["events"]] == ["incident-refuted"]
    assert _stages(world) == before
    assert world.ok(world.get(L, f"{OP}/agreement"))["halted"] == {}


def test_halted_trips_wait_for_the_resume_and_then_for_a_monitor(world: ApiWorld) -> None:
    """Departing again is refused while halted; the resume lists them; a monitor departs them."""
    _check(world, _incident(world), "verify")
    again = {"site": "ramouseh", "at": IN_WINDOW}
    refused = world.post(M, f"{OP}/trips/amb-1/depart", again)
    assert refused.status_code == 409, refused.text
    assert "halted under T6" in refused.json()["error"]
    continuing = []
    for guarantor in ("russia", "turkey"):
        body = {"term": "T6", "organisation": guarantor, "at": IN_WINDOW}
        continuing.append(world.ok(world.post(L, f"{OP}/resumes", body))["may_continue"])
    assert continuing == [[], ["amb-1", "fk-1"]]
    assert _stages(world)["amb-1"] == "halted", "a resume moves no trip by itself"
    world.ok(world.post(M, f"{OP}/trips/amb-1/depart", again))
    assert _stages(world)["amb-1"] == "departed"


def test_replaying_the_ledger_rebuilds_the_same_stages(world: ApiWorld) -> None:
    """A fresh record folded from the stored events has the halts the API answered with."""
    _check(world, _incident(world), "verify")
    fresh = LiveOperations(world.context.ledger, world.context.live.resolve)
    replayed = fresh.read(OPERATION, lambda r: {t.id: str(t.stage) for t in r.book.trips.values()})
    assert replayed == _stages(world) == {"amb-1": "halted", "fk-1": "halted", "bus-9": "boarding"}
