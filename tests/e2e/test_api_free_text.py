"""Free text people write reaches only neutral roles: a name seeded in every free-text field
shows nowhere a liaison or observer can read, in any GET endpoint or the event stream."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.protection.access import AccessRole
from corridor.protection.redaction import FREE_TEXT_SUMMARY
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L, OBS = (AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON,
              AccessRole.OBSERVER)  # fmt: skip
OP = f"/operations/{OPERATION}"
CONVOY = f"{OP}/convoys/convoy-1"
IN_WINDOW = "2016-12-15T10:00:00+02:00"
NAME = "Huda Saleh Barakat"
LOADS = {"amb-1": ("ambulance-aleppo-depot-1", {"wounded-stretcher": 1, "wounded-seated": 2}),
         "bus-1": ("bus-aleppo-depot-1", {"civilians": 40}),
         "bus-2": ("bus-aleppo-depot-2", {"civilians": 40, "fighters": 10})}  # fmt: skip


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """An operation where the seeded name was written into every free-text field."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        _seed(opened)
        yield opened


def _seed(world: ApiWorld) -> None:
    world.ok(world.post(L, f"{OP}/incidents", {"kind": "shooting", "severity": 2,
             "corridor": "ramouseh", "site": "rashidin", "at": IN_WINDOW,
             "note": f"{NAME} saw it"}))  # fmt: skip
    world.ok(world.post(L, f"{OP}/claims", {"movement": "east-aleppo", "figure": "arrived",
             "value": 80, "claimant": "party", "by": "turkish-presidency",
             "source": f"told by {NAME}", "stated_at": IN_WINDOW}))  # fmt: skip
    for trip, (vehicle, people) in LOADS.items():
        plan = {"trip": trip, "movement": "east-aleppo", "vehicle": vehicle, "convoy": "convoy-1"}
        world.ok(world.post(C, f"{OP}/trips", plan))
        boarding = {"site": "east-aleppo", "counts": people}
        world.ok(world.post(M, f"{OP}/trips/{trip}/boarding", boarding))
    world.ok(world.post(C, f"{CONVOY}/depart", {"site": "east-aleppo", "at": IN_WINDOW}))
    counts = {
        "amb-1": LOADS["amb-1"][1],
        "bus-1": {"civilians": 40},
        "bus-2": {"civilians": 40, "fighters": 7},
    }
    counted = world.ok(world.post(M, f"{CONVOY}/headcounts",
                       {"site": "ramouseh", "counts": counts, "at": IN_WINDOW}))  # fmt: skip
    alert = next(e["data"]["alert"] for e in counted["events"]
                 if e["type"] == "protection-alert-raised")  # fmt: skip
    world.ok(world.post(M, f"{OP}/alerts/{alert}/resolve",
             {"outcome": "exit", "explanation": f"{NAME} was detained"}))  # fmt: skip
    world.ok(world.post(M, f"{CONVOY}/halt", {"site": "ramouseh", "reason": f"{NAME} ahead"}))
    world.ok(world.post(C, f"{CONVOY}/turn-back",
             {"site": "ramouseh", "reason": f"{NAME} asked"}))  # fmt: skip


def _get_paths(world: ApiWorld) -> list[str]:
    """Every documented GET path, its parameters filled from the seeded operation."""
    fill = {"operation": OPERATION, "trip": "bus-2", "convoy": "convoy-1",
            "incident": _first(world, "incidents", "incident"),
            "alert": _first(world, "alerts", "alert"), "person": "person-none",
            "kind": "hxl", "request": "tracing-none"}  # fmt: skip
    documented = world.client.get("/openapi.json").json()["paths"]
    return [
        re.sub(r"{(\w+)}", lambda m: fill[m.group(1)], path)
        for path, methods in sorted(documented.items())
        if "get" in methods and not path.endswith("/stream")  # the stream is read below
    ]


def _first(world: ApiWorld, listing: str, key: str) -> str:
    return str(world.ok(world.get(M, f"{OP}/{listing}"))[0][key])


@pytest.mark.parametrize("role", [L, OBS])
def test_no_get_endpoint_shows_free_text_to_liaisons_or_observers(
    world: ApiWorld, role: AccessRole
) -> None:
    """Every GET endpoint, as a liaison and as an observer: the seeded name never appears."""
    paths = _get_paths(world)
    assert len(paths) > 10, paths
    for path in paths:
        answer = world.get(role, path)
        assert NAME.split()[0] not in answer.text, path


def test_the_free_text_is_there_for_neutral_roles(world: ApiWorld) -> None:
    """A monitor reads what was written, so the withholding above is not a blank record."""
    shown = " ".join(world.get(M, path).text for path in _get_paths(world))
    assert shown.count(NAME) >= 4
    liaison = world.ok(world.get(L, f"{OP}/incidents"))
    assert liaison[0]["note"] == FREE_TEXT_SUMMARY


@pytest.mark.parametrize("role", [L, OBS])
def test_the_event_stream_shows_no_free_text_to_liaisons_or_observers(
    world: ApiWorld, role: AccessRole
) -> None:
    """The SSE backlog of every seeded event, as a liaison or observer: the name never appears."""
    head = world.context.ledger.head().sequence
    seen: list[dict[str, object]] = []
    with world.client.stream("GET", f"{OP}/stream", headers=world.headers(role)) as reply:
        assert reply.status_code == 200
        for line in reply.iter_lines():
            if line.startswith("data:"):
                seen.append(json.loads(line[5:]))
                if int(str(seen[-1]["sequence"])) >= head:
                    break
    assert len(seen) > 10
    assert NAME.split()[0] not in json.dumps(seen)
