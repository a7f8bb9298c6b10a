"""The field app's capture route at the door: signed in, its CSRF value, strict bodies, keys."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.protection.access import AccessRole
from tests.support.api_world import ApiWorld, api_world

CAPTURES = "/field/ops/east-aleppo-2016/captures"
INCIDENT = {"kind": "incident", "site": "ramouseh", "corridor": "ramouseh",
            "incident_kind": "shelling", "severity": 3,
            "at": "2016-12-15T10:05:00+02:00"}  # fmt: skip


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def _signed_in(world: ApiWorld, role: AccessRole) -> tuple[TestClient, str]:
    client = world.client
    client.cookies.clear()
    login = re.search(r'name="csrf" value="([^"]+)"', client.get("/field/").text)
    assert login is not None
    client.post("/field/signin", data={"token": world.tokens[role], "csrf": login.group(1)})
    csrf = re.search(r'data-csrf="([^"]+)"', client.get("/field/").text)
    assert csrf is not None
    return client, csrf.group(1)


def _post(client: TestClient, csrf: str, body: Any, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key or str(uuid.uuid4()), "Authorization": f"Field {csrf}"}
    return client.post(CAPTURES, json=body, headers=headers)


def _head(world: ApiWorld) -> int:
    return world.context.ledger.head().sequence


def test_a_capture_without_the_pages_csrf_value_is_refused_and_appends_nothing(
    world: ApiWorld,
) -> None:
    """A cookie alone is not enough: the Authorization header must carry the page's value."""
    client, _ = _signed_in(world, AccessRole.MONITOR)
    before = _head(world)
    answer = _post(client, "not-the-value", INCIDENT)
    assert answer.status_code == 403, answer.text
    assert _head(world) == before


def test_a_capture_with_no_session_is_answered_401(world: ApiWorld) -> None:
    """Without a signed-in cookie the route answers 401 in the API's error shape."""
    world.client.cookies.clear()
    answer = _post(world.client, "x", INCIDENT)
    assert answer.status_code == 401
    assert answer.json() == {"ok": False, "error": "sign in first", "status": 401}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"at": None}, "at"),
        ({"severity": 9}, "severity"),
        ({"severity": "3"}, "severity"),
        ({"incident_kind": "picnic"}, "kind"),
        ({"site": "nowhere"}, "site"),
        ({"kind": "headcount"}, "trip"),
    ],
)
def test_a_malformed_capture_is_refused_naming_its_field(
    world: ApiWorld, change: dict[str, Any], named: str
) -> None:
    """Each bad field is a 422 naming it; nothing is appended."""
    client, csrf = _signed_in(world, AccessRole.MONITOR)
    before = _head(world)
    body = {k: v for k, v in {**INCIDENT, **change}.items() if v is not None}
    answer = _post(client, csrf, body)
    assert answer.status_code == 422, answer.text
    assert named in answer.json()["error"]
    assert _head(world) == before


def test_the_same_key_is_answered_once_and_a_different_body_under_it_is_refused(
    world: ApiWorld,
) -> None:
    """A retry gets the first answer, appending nothing; another body under the key is a 422."""
    client, csrf = _signed_in(world, AccessRole.MONITOR)
    key = str(uuid.uuid4())
    first = _post(client, csrf, INCIDENT, key)
    assert first.status_code == 201, first.text
    head = _head(world)
    again = _post(client, csrf, INCIDENT, key)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = _post(client, csrf, {**INCIDENT, "severity": 4}, key)
    assert other.status_code == 422
    assert _head(world) == head


def test_a_reception_desk_may_not_record_a_count(world: ApiWorld) -> None:
    """The server's access policy decides: reception has no count permission."""
    client, csrf = _signed_in(world, AccessRole.RECEPTION)
    body = {"kind": "boarding", "trip": "t-1", "site": "foua", "counts": {"civilians": 3},
            "at": "2016-12-15T10:05:00+02:00"}  # fmt: skip
    before = _head(world)
    answer = _post(client, csrf, body)
    assert answer.status_code == 403, answer.text
    assert _head(world) == before
