"""A monitor walks a convoy from boarding to arrival through the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world

C, M, L = AccessRole.COORDINATOR, AccessRole.MONITOR, AccessRole.LIAISON
OP = f"/operations/{OPERATION}"
IN_WINDOW = "2016-12-15T10:00:00+02:00"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    """The API on a fresh SQLite file with east-aleppo-2016 opened."""
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


WOUNDED = {"wounded-stretcher": 1, "wounded-seated": 2}
"""A full ambulance of the bundled fleet: one stretcher, two seats."""

VEHICLES = {
    "amb-0": "ambulance-aleppo-depot-3",
    "amb-1": "ambulance-aleppo-depot-1",
    "bus-2": "bus-aleppo-depot-2",
    "bus-3": "bus-aleppo-depot-3",
    "fk-1": "ambulance-aleppo-depot-2",
    "fk-2": "bus-aleppo-depot-5",
}
"""The fleet vehicle each trip of these tests runs on."""

FK_FIRST = [("fk-1", WOUNDED), ("fk-2", {"civilians": 30})]
"""Foua/Kefraya's first trips: wounded first, then no more civilians than T5 lets follow."""
FK_PEOPLE = sum(n for _, people in FK_FIRST for n in people.values())


def _plan_and_board(world: ApiWorld, trip: str, people: dict[str, int]) -> None:
    body = {
        "trip": trip,
        "movement": "east-aleppo",
        "vehicle": VEHICLES[trip],
        "convoy": "convoy-1",
    }
    world.ok(world.post(C, f"{OP}/trips", body))
    boarding = {"site": "east-aleppo", "counts": people}
    world.ok(world.post(M, f"{OP}/trips/{trip}/boarding", boarding))


def _count(world: ApiWorld, trip: str, step: str, site: str, people: dict[str, int]) -> Any:
    body = {"site": site, "counts": people, "at": IN_WINDOW}
    answer = world.ok(world.post(M, f"{OP}/trips/{trip}/{step}", body))
    assert answer["ok"], answer.get("decision")
    return answer


def _first_from_foua_confirmed(world: ApiWorld) -> None:
    """Foua/Kefraya's first trips leave (wounded first) and arrive; the ICRC confirms them."""
    for trip, people in FK_FIRST:
        body = {"trip": trip, "movement": "foua-kefraya", "vehicle": VEHICLES[trip]}
        world.ok(world.post(C, f"{OP}/trips", body))
        world.ok(world.post(M, f"{OP}/trips/{trip}/boarding", {"site": "foua", "counts": people}))
        departed = world.ok(
            world.post(M, f"{OP}/trips/{trip}/depart", {"site": "foua", "at": IN_WINDOW})
        )
        assert departed["decision"]["allowed"], departed["decision"]["explanation"]
        _count(world, trip, "arrival", "jibreen", people)
    body = {
        "movement": "foua-kefraya",
        "organisation": "icrc",
        "people": FK_PEOPLE,
        "at": IN_WINDOW,
    }
    assert world.ok(world.post(M, f"{OP}/stages", body))["decision"]["allowed"]


def _wounded_leave_first(world: ApiWorld) -> None:
    _first_from_foua_confirmed(world)
    _plan_and_board(world, "amb-1", WOUNDED)
    departed = world.ok(
        world.post(M, f"{OP}/trips/amb-1/depart", {"site": "east-aleppo", "at": IN_WINDOW})
    )
    assert departed["decision"]["allowed"], departed["decision"]["explanation"]


def test_a_dispatch_the_deal_forbids_is_recorded_and_the_trip_stays(world: ApiWorld) -> None:
    """A dispatch outside the deal's window is blocked by it and recorded; the trip stays."""
    _plan_and_board(world, "amb-0", WOUNDED)
    late = {"site": "east-aleppo", "at": "2017-03-01T10:00:00+02:00"}
    answer = world.refused(world.post(M, f"{OP}/trips/amb-0/depart", late))
    assert answer["error"] == answer["decision"]["explanation"]
    assert "window" in [t["kind"] for t in answer["decision"]["terms"]]
    assert world.ok(world.get(L, f"{OP}/trips/amb-0"))["stage"] == "boarding"
    recorded = world.ok(world.get(L, f"{OP}/decisions"))
    assert [d["decision"]["allowed"] for d in recorded] == [False]


def test_a_trip_walks_from_boarding_to_arrival_and_closes(world: ApiWorld) -> None:
    """Plan, board, depart (allowed by the deal), checkpoint, arrival and close."""
    _wounded_leave_first(world)
    _count(world, "amb-1", "headcounts", "ramouseh", WOUNDED)
    assert world.ok(world.get(L, f"{OP}/trips/amb-1"))["stage"] == "at-checkpoint"
    _count(world, "amb-1", "arrival", "atareb", WOUNDED)
    world.ok(world.post(C, f"{OP}/trips/amb-1/close"))
    assert world.ok(world.get(L, f"{OP}/trips/amb-1"))["stage"] == "closed"
    convoys = world.ok(world.get(L, f"{OP}/convoys"))
    assert convoys == [
        {"convoy": "convoy-1", "trips": ["amb-1"], "stages": ["closed"], "stage": "closed"}
    ]
    decided = world.ok(world.get(L, f"{OP}/decisions"))
    assert [(d["request"]["kind"], d["decision"]["allowed"]) for d in decided] == [
        ("dispatch-trip", True), ("dispatch-trip", True), ("confirm-stage", True),
        ("dispatch-trip", True), ("cross-checkpoint", True),
    ]  # fmt: skip
    summary = world.ok(world.get(L, OP))
    assert summary["people"]["arrived"] == sum(WOUNDED.values()) + FK_PEOPLE
    assert summary["balanced"] is True


def test_a_drop_raises_an_alert_that_blocks_closing_until_a_monitor_resolves_it(
    world: ApiWorld,
) -> None:
    """Three fewer at the checkpoint: alert; close refused; monitor resolves; close allowed."""
    _wounded_leave_first(world)
    _plan_and_board(world, "bus-2", {"civilians": 40, "fighters": 10})
    departed = world.ok(
        world.post(M, f"{OP}/trips/bus-2/depart", {"site": "east-aleppo", "at": IN_WINDOW})
    )
    assert departed["decision"]["allowed"], departed["decision"]["explanation"]
    counted = _count(world, "bus-2", "headcounts", "ramouseh", {"civilians": 40, "fighters": 7})
    raised = [e["data"] for e in counted["events"] if e["type"] == "protection-alert-raised"]
    assert [
        (a["vehicle"], a["from_site"], a["to_site"], a["group"], a["missing"]) for a in raised
    ] == [("bus-aleppo-depot-2", "east-aleppo", "ramouseh", "fighters", 3)]
    _count(world, "bus-2", "arrival", "atareb", {"civilians": 40, "fighters": 7})
    refused = world.post(C, f"{OP}/trips/bus-2/close")
    assert refused.status_code == 409
    assert refused.json() == {"ok": False, "status": 409, "error": refused.json()["error"]}
    assert "unresolved protection alerts" in refused.json()["error"]
    alert = raised[0]["alert"]
    resolution = {"outcome": "exit", "explanation": "detained at Ramouseh"}
    assert world.post(C, f"{OP}/alerts/{alert}/resolve", resolution).status_code == 403
    resolved = world.ok(world.post(M, f"{OP}/alerts/{alert}/resolve", resolution))
    assert resolved["events"][0]["data"]["explanation"] == "detained at Ramouseh"
    seen = {role: world.ok(world.get(role, f"{OP}/alerts"))[0]["resolution"] for role in (M, L)}
    assert seen[M]["explanation"] == "detained at Ramouseh"
    assert seen[L] == {**seen[M], "explanation": "[withheld]"}
    world.ok(world.post(C, f"{OP}/trips/bus-2/close"))
    custody = world.ok(world.get(L, f"{OP}/custody"))
    fighters = next(t for t in custody["tallies"] if t["group"] == "fighters")
    assert (fighters["exits"], fighters["arrived"], custody["balanced"]) == (3, 7, True)


def test_a_retried_post_returns_the_first_answer_and_appends_nothing(world: ApiWorld) -> None:
    """The same Idempotency-Key twice: one ledger command, identical answers."""
    body = {"trip": "bus-3", "movement": "east-aleppo", "vehicle": VEHICLES["bus-3"]}
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


def test_a_crossing_the_deal_forbids_is_recorded_with_the_count(world: ApiWorld) -> None:
    """A count at a checkpoint outside the window stands; the blocked crossing is recorded."""
    _wounded_leave_first(world)
    body = {"site": "ramouseh", "counts": WOUNDED, "at": "2017-03-01T10:00:00+02:00"}
    answer = world.refused(world.post(M, f"{OP}/trips/amb-1/headcounts", body))
    assert "window" in [t["kind"] for t in answer["decision"]["terms"]]
    assert [e["type"] for e in answer["events"]] == ["headcount-recorded", "decision-recorded"]
    assert world.ok(world.get(L, f"{OP}/trips/amb-1"))["last_site"] == "ramouseh"


def test_a_count_off_the_corridor_is_refused_and_nothing_is_recorded(world: ApiWorld) -> None:
    """A count at Jibreen, on another movement's corridor, is a 422 naming this corridor's sites."""
    _wounded_leave_first(world)
    head = world.context.ledger.head().sequence
    body = {"site": "jibreen", "counts": WOUNDED, "at": IN_WINDOW}
    refused = world.post(M, f"{OP}/trips/amb-1/headcounts", body)
    assert refused.status_code == 422, refused.text
    assert (refused.json()["field"], refused.json()["value"]) == ("site", "jibreen")
    assert world.context.ledger.head().sequence == head
    assert world.ok(world.get(L, f"{OP}/trips/amb-1"))["last_site"] == "east-aleppo"


def test_a_verified_attack_halts_every_side_until_both_brokers_resume(world: ApiWorld) -> None:
    """Report, verify (ICRC): T6 halts; Russia's resume alone is not enough, Turkey's ends it."""
    reported = world.ok(world.post(L, f"{OP}/incidents", {
        "kind": "shooting", "severity": 4, "corridor": "ramouseh", "site": "rashidin",
        "at": IN_WINDOW,
    }))  # fmt: skip
    incident = reported["events"][0]["data"]["incident"]
    world.ok(world.post(M, f"{OP}/incidents/{incident}/verify", {"organisation": "icrc"}))
    refuted = world.post(M, f"{OP}/incidents/{incident}/refute", {"organisation": "icrc"})
    assert refuted.status_code == 409
    listed = world.ok(world.get(L, f"{OP}/incidents"))
    assert [(i["incident"], i["status"]) for i in listed] == [(incident, "verified")]
    halted = world.ok(world.get(L, f"{OP}/agreement"))["halted"]
    assert sorted(halted) == ["east-aleppo", "foua-kefraya", "madaya-zabadani"]
    assert {h["term"] for hs in halted.values() for h in hs} == {"T6"}
    for guarantor in ("russia", "turkey"):
        body = {"term": "T6", "organisation": guarantor, "at": IN_WINDOW}
        assert world.ok(world.post(L, f"{OP}/resumes", body))["decision"]["allowed"]
        still = world.ok(world.get(L, f"{OP}/agreement"))["halted"]
        assert bool(still) is (guarantor == "russia")


BUS = "bus-aleppo-depot-1"


@pytest.mark.parametrize(
    ("path", "body", "status", "door"),
    [
        ("/trips", {"trip": "bad trip", "movement": "east-aleppo", "vehicle": BUS}, 422, None),
        ("/trips", {"trip": "t", "movement": "nowhere", "vehicle": BUS}, 422, "movement"),
        ("/trips", {"trip": "t", "movement": "east-aleppo", "vehicle": "v"}, 422, "vehicle"),
        ("/trips/none/boarding", {"site": "s", "counts": {"civilians": 1}}, 404, None),
        ("/trips/none/headcounts", {"site": "s", "counts": {"martians": 1}}, 422, None),
        ("/claims", {"movement": "east-aleppo"}, 422, None),
    ],
)
def test_bad_requests_get_one_error_shape(
    world: ApiWorld, path: str, body: dict[str, object], status: int, door: str | None
) -> None:
    """Malformed or unknown things give {ok: false, error, status}; a door refusal adds field."""
    role = M if "/trips/" in path else C
    response = world.post(role, OP + path, body)
    assert response.status_code == status, response.text
    payload = response.json()
    extra = {"field", "value", "allowed"} if door else set()
    assert set(payload) == {"ok", "error", "status"} | extra
    assert (payload["ok"], payload["status"], payload.get("field")) == (False, status, door)


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
