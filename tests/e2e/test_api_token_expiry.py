"""Tokens with an expiry: refused with 401 once expired, on the API and at sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from corridor.domain.clock import SteppingClock
from corridor.services.access_tokens import issue_token
from tests.support.api_world import OPERATION, ApiWorld, api_world

ISSUED = SteppingClock("2016-12-19T06:00:00Z", timedelta(0))
"""The token was issued on the morning of 19 December 2016..."""
SHIFT_END = datetime(2016, 12, 20, 0, 0, tzinfo=UTC)
"""...for a shift that ended at midnight: long past by the wall clock."""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ApiWorld]:
    with api_world(f"sqlite:///{tmp_path / 'corridor.db'}") as opened:
        yield opened


def test_an_expired_token_is_refused_with_401_and_an_unexpired_one_is_not(world: ApiWorld) -> None:
    """The API answers 401 to a token past its expiry, 200 to one whose expiry is ahead."""
    tokens = world.context.tokens
    expired, _ = issue_token(tokens, OPERATION, "monitor", "shift", ISSUED, SHIFT_END)
    ahead = datetime.now(UTC) + timedelta(hours=12)
    current, _ = issue_token(tokens, OPERATION, "monitor", "next shift", expires=ahead)
    path = f"/operations/{OPERATION}"
    refused = world.client.get(path, headers={"Authorization": f"Bearer {expired}"})
    assert refused.status_code == 401, refused.text
    assert refused.json()["ok"] is False
    assert "expired" in refused.json()["error"]
    answered = world.client.get(path, headers={"Authorization": f"Bearer {current}"})
    assert answered.status_code == 200, answered.text


def test_an_expired_token_cannot_sign_in_to_the_dashboard(world: ApiWorld) -> None:
    """Sign-in with an expired token sets no session cookie."""
    expired, _ = issue_token(world.context.tokens, OPERATION, "coordinator", "cell", ISSUED,
                             SHIFT_END)  # fmt: skip
    client = world.client
    page = client.get("/")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    reply = client.post("/signin", data={"token": expired, "csrf": csrf}, follow_redirects=False)
    assert reply.status_code != 303
    assert "corridor_session" not in reply.headers.get("set-cookie", "")
