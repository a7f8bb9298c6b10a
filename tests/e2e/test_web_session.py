"""Sign-in, CSRF and sign-out at the HTTP level: what a browser relies on without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corridor.protection.access import AccessRole
from tests.support.api_world import OPERATION, ApiWorld, api_world
from tests.support.web_world import seed

PAGE = f"/ops/{OPERATION}"
C = AccessRole.COORDINATOR


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def _signed_in(world: ApiWorld, role: AccessRole = C) -> TestClient:
    client = world.client
    form = {"token": world.tokens[role], "csrf": _csrf(client.get("/").text)}
    assert client.post("/signin", data=form, follow_redirects=False).status_code == 303
    return client


def _head(world: ApiWorld) -> int:
    return world.context.ledger.head().sequence


def test_a_wrong_token_is_refused_next_to_its_field(world: ApiWorld) -> None:
    """422, the token field marked invalid with its message; no session cookie is set."""
    client = world.client
    reply = client.post("/signin", data={"token": "crd_nope", "csrf": _csrf(client.get("/").text)})
    assert reply.status_code == 422
    assert 'aria-describedby="token-error"' in reply.text
    assert 'id="token-error"' in reply.text
    assert "corridor_session" not in client.cookies


def test_a_sign_in_without_the_form_csrf_token_is_refused(world: ApiWorld) -> None:
    """A sign-in posted from elsewhere (no login CSRF value) sets no session."""
    reply = world.client.post("/signin", data={"token": world.tokens[C], "csrf": "forged"})
    assert reply.status_code == 403
    assert "corridor_session" not in world.client.cookies


def test_a_command_without_the_csrf_token_is_refused_and_appends_nothing(
    world: ApiWorld,
) -> None:
    """Verify posted with a wrong CSRF value: 403, the ledger head does not move."""
    incident = seed(world)
    client = _signed_in(world)
    before = _head(world)
    path = f"{PAGE}/incidents/{incident}/verify"
    reply = client.post(path, data={"csrf": "0" * 64, "organisation": "icrc"})
    assert reply.status_code == 403
    assert _head(world) == before
    good = client.post(path, data={"csrf": _csrf(client.get(PAGE).text), "organisation": "icrc"},
                       follow_redirects=False)  # fmt: skip
    assert good.status_code == 303
    assert _head(world) > before


def test_a_role_that_may_not_verify_sees_no_form_and_is_refused_if_it_posts(
    world: ApiWorld,
) -> None:
    """An observer's page has no verify button; a forged post is answered with the refusal."""
    incident = seed(world)
    client = _signed_in(world, AccessRole.OBSERVER)
    page = client.get(PAGE).text
    assert f"/incidents/{incident}/verify" not in page
    before = _head(world)
    reply = client.post(f"{PAGE}/incidents/{incident}/verify",
                        data={"csrf": _csrf(page), "organisation": "icrc"})  # fmt: skip
    assert reply.status_code == 422
    assert "may not verify-incident" in reply.text
    assert _head(world) == before


def test_a_revoked_token_signs_its_user_out(world: ApiWorld) -> None:
    """Once the token is revoked, the operation page sends the user to sign in again."""
    client = _signed_in(world)
    assert client.get(PAGE).status_code == 200
    token_id = world.context.callers.authenticate(world.tokens[C]).token_id
    world.context.callers.revoke(token_id)
    reply = client.get(PAGE, follow_redirects=False)
    assert reply.status_code == 303
    assert reply.headers["location"] == "/"
    assert client.get(f"{PAGE}/panels/deal.json").status_code == 401


def test_sign_out_needs_the_csrf_token_and_then_clears_the_cookie(world: ApiWorld) -> None:
    """Sign-out refuses a forged post; with the token it clears the cookie."""
    client = _signed_in(world)
    assert client.post("/signout", data={"csrf": "forged"}).status_code == 403
    assert client.get(PAGE, follow_redirects=False).status_code == 200
    reply = client.post("/signout", data={"csrf": _csrf(client.get(PAGE).text)},
                        follow_redirects=False)  # fmt: skip
    assert reply.status_code == 303
    assert client.get(PAGE, follow_redirects=False).status_code == 303


def test_every_panel_s_json_twin_is_the_model_its_fragment_draws(world: ApiWorld) -> None:
    """Each panel has a JSON twin; the convoy board's counts appear in its HTML fragment."""
    seed(world)
    client = _signed_in(world)
    for name in ("convoys", "deal", "custody", "incidents", "figures", "clock"):
        assert client.get(f"{PAGE}/panels/{name}.json").status_code == 200, name
        assert client.get(f"{PAGE}/panels/{name}").status_code == 200, name
    convoys = client.get(f"{PAGE}/panels/convoys.json").json()
    assert convoys["trips"] == {"departed": 2}
    fragment = client.get(f"{PAGE}/panels/convoys").text
    assert sorted(t["trip"] for t in convoys["on_road"]) == ["amb-1", "fk-1"]
    for trip in convoys["on_road"]:
        assert f"<td>{trip['trip']}</td>" in fragment
