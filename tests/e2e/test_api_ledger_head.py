"""`GET /ledger/head`: the head and its newest signed checkpoint, over HTTP."""

from __future__ import annotations

from pathlib import Path

from corridor.adapters.ledger.checkpoints import append_checkpoint, write_signing_key
from corridor.protection.access import AccessRole
from tests.support.api_world import api_world


def test_the_head_and_its_signature_are_readable_by_any_role(tmp_path: Path) -> None:
    """Every role reads the head; with a witness file the newest checkpoint comes with it."""
    with api_world(f"sqlite:///{tmp_path / 'api.db'}") as world:
        head = world.context.ledger.head()
        for role in AccessRole:
            shown = world.ok(world.get(role, "/ledger/head"))
            assert (shown["sequence"], shown["hash"]) == (head.sequence, head.hash)
            assert shown["checkpoint"] is None
        witness = tmp_path / "witness.jsonl"
        key = write_signing_key(tmp_path / "signing.key")
        append_checkpoint(witness, key, head, "2016-12-15T05:00:00.000000Z")
        world.client.app.state.checkpoints = witness  # type: ignore[attr-defined]
        shown = world.ok(world.get(AccessRole.OBSERVER, "/ledger/head"))
        assert shown["checkpoint"]["hash"] == head.hash
        assert shown["checkpoint"]["key"] == key.id


def test_the_head_is_not_shown_without_a_token(tmp_path: Path) -> None:
    """No bearer token: 401, like every other route."""
    with api_world(f"sqlite:///{tmp_path / 'api.db'}") as world:
        assert world.client.get("/ledger/head").status_code == 401
