"""The field app's batch route: each capture once under its own key, each refused by itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.protection.access import AccessRole
from tests.e2e.test_field_captures import CAPTURES, INCIDENT, _post, _signed_in
from tests.support.api_world import ApiWorld, api_world

BATCH = f"{CAPTURES}/batch"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def _send(client: TestClient, csrf: str, entries: list[Any]) -> Any:
    return client.post(
        BATCH, json={"captures": entries}, headers={"Authorization": f"Field {csrf}"}
    )


def _incidents(n: int) -> list[dict[str, Any]]:
    return [
        {"key": str(uuid.uuid4()), "capture": {**INCIDENT, "severity": 1 + i % 5}} for i in range(n)
    ]


def _reported(world: ApiWorld) -> int:
    events = world.context.ledger.read()
    return sum(1 for e in events if e.type == "incident-reported")


def test_a_resent_batch_appends_nothing_and_says_each_capture_was_already_had(
    world: ApiWorld,
) -> None:
    """Ten captures go in once; the same batch again is answered 'already had' for each."""
    client, csrf = _signed_in(world, AccessRole.MONITOR)
    entries = _incidents(10)
    first = _send(client, csrf, entries)
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [(r["index"], r["result"], r["status"]) for r in results] == [
        (i, "accepted", 201) for i in range(10)
    ]
    assert _reported(world) == 10
    head = world.context.ledger.head().sequence
    again = _send(client, csrf, entries).json()["results"]
    assert [r["result"] for r in again] == ["already had"] * 10
    assert [r["body"]["events"] for r in again] == [r["body"]["events"] for r in results]
    assert world.context.ledger.head().sequence == head


def test_a_bad_capture_among_good_ones_is_refused_naming_its_index_and_field(
    world: ApiWorld,
) -> None:
    """The malformed capture is a 422 naming captures.N and its field; the others go in."""
    client, csrf = _signed_in(world, AccessRole.MONITOR)
    entries = _incidents(5)
    entries[2]["capture"]["severity"] = 9
    results = _send(client, csrf, entries).json()["results"]
    assert [r["result"] for r in results] == ["accepted", "accepted", "refused", "accepted",
                                              "accepted"]  # fmt: skip
    assert results[2]["status"] == 422
    assert "captures.2.capture.severity" in results[2]["body"]["error"]
    assert _reported(world) == 4


def test_a_capture_refused_at_the_door_carries_the_single_routes_reason(world: ApiWorld) -> None:
    """An unknown site is the same 422 with field, value and allowed that the single route gives."""
    client, csrf = _signed_in(world, AccessRole.MONITOR)
    entries = _incidents(2)
    entries[0]["capture"]["site"] = "nowhere"
    alone = _post(client, csrf, entries[0]["capture"])
    assert alone.status_code == 422, alone.text
    results = _send(client, csrf, entries).json()["results"]
    assert (results[0]["status"], results[0]["body"]) == (422, alone.json())
    assert results[1]["result"] == "accepted"


def test_a_capture_sent_alone_then_in_a_batch_is_recorded_once(world: ApiWorld) -> None:
    """The batch namespaces keys as the single route does, so the ledger keeps the capture once."""
    client, csrf = _signed_in(world, AccessRole.MONITOR)
    entry = _incidents(1)[0]
    alone = _post(client, csrf, entry["capture"], entry["key"])
    assert alone.status_code == 201, alone.text
    results = _send(client, csrf, [entry]).json()["results"]
    assert results[0]["result"] == "already had"
    assert _reported(world) == 1


def test_a_batch_without_the_pages_csrf_value_or_too_long_is_refused_whole(
    world: ApiWorld,
) -> None:
    """The CSRF value is checked once for the batch, and more than 50 captures is a 422."""
    client, csrf = _signed_in(world, AccessRole.MONITOR)
    assert _send(client, "not-the-value", _incidents(1)).status_code == 403
    too_many = _send(client, csrf, _incidents(51))
    assert too_many.status_code == 422
    assert "captures" in too_many.json()["error"]
    assert _reported(world) == 0


def test_a_reception_desks_count_in_a_batch_is_refused_with_the_policys_reason(
    world: ApiWorld,
) -> None:
    """A role refusal is a 403 for that capture alone, saying what the role may not do."""
    client, csrf = _signed_in(world, AccessRole.RECEPTION)
    count = {"kind": "headcount", "trip": "t-1", "site": "ramouseh",
             "counts": {"civilians": 3}, "at": "2016-12-15T10:05:00+02:00"}  # fmt: skip
    results = _send(client, csrf, [{"key": "k-1", "capture": count}]).json()["results"]
    assert (results[0]["result"], results[0]["status"]) == ("refused", 403)
    assert "may not count" in results[0]["body"]["error"]


def test_a_reception_desk_boards_from_a_manifest_in_the_field_but_its_headcount_is_refused(
    world: ApiWorld,
) -> None:
    """Reception's manifest boarding goes in from the app; its checkpoint count is a 403."""
    op = "/operations/east-aleppo-2016"
    plan = {"trip": "bus-1", "movement": "east-aleppo", "vehicle": "bus-aleppo-depot-1"}
    world.ok(world.post(AccessRole.COORDINATOR, f"{op}/trips", plan))
    person = {"full_name": "Hiba Anwar Sabbagh", "age": 34, "movement": "east-aleppo"}
    ids = [world.ok(world.post(AccessRole.RECEPTION, f"{op}/people", person))["person"]]
    client, csrf = _signed_in(world, AccessRole.RECEPTION)
    at = "2016-12-15T08:00:00+02:00"
    boarding = {"kind": "boarding", "trip": "bus-1", "site": "east-aleppo", "manifest": ids,
                "at": at}  # fmt: skip
    count = {"kind": "headcount", "trip": "bus-1", "site": "ramouseh",
             "counts": {"civilians": 1}, "at": at}  # fmt: skip
    entries = [{"key": "b-1", "capture": boarding}, {"key": "c-1", "capture": count}]
    results = _send(client, csrf, entries).json()["results"]
    assert [(r["result"], r["status"]) for r in results] == [("accepted", 201), ("refused", 403)]
    boarded = [e for e in results[0]["body"]["events"] if e["type"] == "trip-boarded"]
    assert boarded[0]["data"]["manifest"] == ids
    again = _send(client, csrf, entries[:1]).json()["results"]
    assert again[0]["result"] == "already had"
