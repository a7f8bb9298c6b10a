"""A monitor walks a convoy from boarding to arrival through the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API on a fresh SQLite file with east-aleppo-2016 opened."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def _plan_and_board(world: ApiWorld, trip: str, people: dict[str, int]) -> None:
    world.ok(
        world.post(
            C,
            f"{OP}/trips",
            {"trip": trip, "movement": "east-aleppo", "vehicle": trip, "convoy": "convoy-1"},
        )
    )
    world.ok(
        world.post(M, f"{OP}/trips/{trip}/boarding", {"site": "east-aleppo", "counts": people})
    )


def test_a_convoy_walks_from_boarding_to_arrival_and_closes(world: ApiWorld) -> None:
    """Plan, board, depart, checkpoint count, arrival and close, with stages visible."""
    _plan_and_board(world, "bus-1", {"civilians": 50, "wounded-seated": 4})
    world.ok(world.post(M, f"{OP}/trips/bus-1/depart", {"site": "east-aleppo"}))
    world.ok(
        world.post(
            M,
            f"{OP}/trips/bus-1/headcounts",
            {"site": "ramouseh", "counts": {"civilians": 50, "wounded-seated": 4}},
        )
    )
    assert world.ok(world.get(L, f"{OP}/trips/bus-1"))["stage"] == "at-checkpoint"
    world.ok(
        world.post(
            M,
            f"{OP}/trips/bus-1/arrival",
            {"site": "khan-al-asal", "counts": {"civilians": 50, "wounded-seated": 4}},
        )
    )
    world.ok(world.post(C, f"{OP}/trips/bus-1/close"))
    assert world.ok(world.get(L, f"{OP}/trips/bus-1"))["stage"] == "closed"
    convoys = world.ok(world.get(L, f"{OP}/convoys"))
    assert convoys == [{"convoy": "convoy-1", "trips": ["bus-1"], "stages": ["closed"]}]
    summary = world.ok(world.get(L, OP))
    assert summary["people"]["arrived"] == 54
    assert summary["balanced"] is True


def test_a_drop_raises_an_alert_that_blocks_closing_until_a_monitor_resolves_it(
    world: ApiWorld,
) -> None:
    """Three fewer at the checkpoint: alert; close refused; monitor resolves; close allowed."""
    _plan_and_board(world, "bus-2", {"civilians": 40, "fighters": 10})
    world.ok(world.post(M, f"{OP}/trips/bus-2/depart", {"site": "east-aleppo"}))
    counted = world.ok(
        world.post(
            M,
            f"{OP}/trips/bus-2/headcounts",
            {"site": "ramouseh", "counts": {"civilians": 40, "fighters": 7}},
        )
    )
    raised = [e["data"] for e in counted["events"] if e["type"] == "protection-alert-raised"]
    assert [
        (a["vehicle"], a["from_site"], a["to_site"], a["group"], a["missing"]) for a in raised
    ] == [("bus-2", "east-aleppo", "ramouseh", "fighters", 3)]
    world.ok(
        world.post(
            M,
            f"{OP}/trips/bus-2/arrival",
            {"site": "khan-al-asal", "counts": {"civilians": 40, "fighters": 7}},
        )
    )
    refused = world.post(C, f"{OP}/trips/bus-2/close")
    assert refused.status_code == 409
    assert refused.json() == {"ok": False, "status": 409, "error": refused.json()["error"]}
    assert "unresolved protection alerts" in refused.json()["error"]
    alert = raised[0]["alert"]
    by_coordinator = world.post(
        C,
        f"{OP}/alerts/{alert}/resolve",
        {"outcome": "exit", "explanation": "detained at Ramouseh"},
    )
    assert by_coordinator.status_code == 403
    world.ok(
        world.post(
            M,
            f"{OP}/alerts/{alert}/resolve",
            {"outcome": "exit", "explanation": "detained at Ramouseh"},
        )
    )
    world.ok(world.post(C, f"{OP}/trips/bus-2/close"))
    custody = world.ok(world.get(L, f"{OP}/custody"))
    fighters = next(t for t in custody["tallies"] if t["group"] == "fighters")
    assert (fighters["exits"], fighters["arrived"], custody["balanced"]) == (3, 7, True)


def test_a_retried_post_returns_the_first_answer_and_appends_nothing(world: ApiWorld) -> None:
    """The same Idempotency-Key twice: one ledger command, identical answers."""
    body = {"trip": "bus-3", "movement": "east-aleppo", "vehicle": "bus-3"}
    first = world.post(C, f"{OP}/trips", body, key="plan-bus-3")
    head = world.context.ledger.head().sequence
    again = world.post(C, f"{OP}/trips", body, key="plan-bus-3")
    assert (first.status_code, first.json()) == (again.status_code, again.json())
    assert world.context.ledger.head().sequence == head
    reused = world.post(C, f"{OP}/trips", {**body, "trip": "bus-4"}, key="plan-bus-3")
    assert reused.status_code == 422


def test_figures_show_claims_beside_the_ledger(world: ApiWorld) -> None:
    """A liaison records a party's claim; figures show it beside the ledger's count."""
    world.ok(
        world.post(
            L,
            f"{OP}/claims",
            {
                "movement": "east-aleppo",
                "figure": "arrived",
                "value": 8000,
                "claimant": "party",
                "by": "turkish-presidency",
                "source": "press statement",
                "stated_at": "2016-12-16T12:00:00+03:00",
            },
        )
    )
    figures = world.ok(world.get(L, f"{OP}/figures"))
    arrived = next(
        f for f in figures if f["movement"] == "east-aleppo" and f["figure"] == "arrived"
    )
    assert arrived["ledger"] == 0
    assert [(c["by"], c["value"], c["difference"]) for c in arrived["claims"]] == [
        ("turkish-presidency", 8000, 8000)
    ]


def test_incidents_are_reported_then_verified_once(world: ApiWorld) -> None:
    """Report by a liaison, verify by a monitor; a second verification is refused."""
    reported = world.ok(
        world.post(
            L,
            f"{OP}/incidents",
            {
                "kind": "shooting",
                "severity": 4,
                "corridor": "ramouseh",
                "site": "rashidin",
            },
        )
    )
    incident = reported["events"][0]["data"]["incident"]
    world.ok(world.post(M, f"{OP}/incidents/{incident}/verify"))
    assert world.post(M, f"{OP}/incidents/{incident}/refute").status_code == 409
    listed = world.ok(world.get(L, f"{OP}/incidents"))
    assert [(i["incident"], i["status"]) for i in listed] == [(incident, "verified")]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/trips", {"trip": "bad trip", "movement": "east-aleppo", "vehicle": "v"}, 422),
        ("/trips", {"trip": "t", "movement": "nowhere", "vehicle": "v"}, 404),
        ("/trips/none/boarding", {"site": "s", "counts": {"civilians": 1}}, 404),
        ("/trips/none/headcounts", {"site": "s", "counts": {"martians": 1}}, 422),
        ("/claims", {"movement": "east-aleppo"}, 422),
    ],
)
def test_bad_requests_get_one_error_shape(
    world: ApiWorld, path: str, body: dict[str, object], status: int
) -> None:
    """Malformed or unknown things give {ok: false, error, status} with the right code."""
    role = M if "/trips/" in path else C
    response = world.post(role, OP + path, body)
    assert response.status_code == status, response.text
    payload = response.json()
    assert set(payload) == {"ok", "error", "status"}
    assert (payload["ok"], payload["status"]) == (False, status)


def test_a_body_over_the_limit_is_refused_with_413(world: ApiWorld) -> None:
    """A request body larger than the limit is refused before any handler runs."""
    huge = {"trip": "t", "movement": "east-aleppo", "vehicle": "v", "convoy": "x" * 70_000}
    response = world.post(C, f"{OP}/trips", huge)
    assert response.status_code == 413
    assert response.json()["ok"] is False


def test_requests_without_a_valid_token_are_refused_with_401(world: ApiWorld) -> None:
    """No token or a made-up token gets 401 in the error shape."""
    assert world.client.get(OP).status_code == 401
    response = world.client.get(OP, headers={"Authorization": "Bearer crd_made-up"})
    assert response.status_code == 401
    assert response.json()["ok"] is False
