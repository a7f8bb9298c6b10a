"""`corridor users add|list|revoke` against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from corridor.adapters.vault.store import SqlTokenStore
from corridor.entrypoints.cli.main import app
from corridor.errors import Unauthorized
from corridor.services.access_tokens import authenticate

runner = CliRunner()


def _run(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_token_is_shown_once_listed_without_its_secret_and_revoked(tmp_path: Path) -> None:
    """add prints the token, list never does, revoke makes it fail to authenticate."""
    db = f"sqlite:///{tmp_path / 'corridor.db'}"
    added = _run("users", "add", "-o", "east-aleppo-2016", "-r", "liaison", "--db", db, "--json")
    assert isinstance(added, dict)
    secret = added["token"]
    listing = runner.invoke(app, ["users", "list", "--db", db, "--json"])
    assert listing.exit_code == 0, listing.output
    assert secret not in listing.stdout
    assert [row["role"] for row in json.loads(listing.stdout)] == ["liaison"]
    store = SqlTokenStore(db)
    try:
        assert authenticate(store, secret).operation == "east-aleppo-2016"
        revoked = _run("users", "revoke", added["id"], "--db", db, "--json")
        assert isinstance(revoked, dict)
        assert revoked["revoked_at"]
        try:
            authenticate(store, secret)
        except Unauthorized:
            pass
        else:
            raise AssertionError("a revoked token still authenticates")
    finally:
        store.close()


def test_an_unknown_role_is_a_one_line_error(tmp_path: Path) -> None:
    """A role outside the five is refused with exit code 2 and the list of roles."""
    db = f"sqlite:///{tmp_path / 'corridor.db'}"
    result = runner.invoke(app, ["users", "add", "-o", "op", "-r", "general", "--db", db])
    assert result.exit_code == 2
    assert "unknown role 'general'" in result.output
    assert "coordinator" in result.output


def test_revoking_an_unknown_token_is_an_error(tmp_path: Path) -> None:
    """Revoking a token id that does not exist exits 2 and names it."""
    db = f"sqlite:///{tmp_path / 'corridor.db'}"
    SqlTokenStore(db).close()
    result = runner.invoke(app, ["users", "revoke", "tok-nothing", "--db", db])
    assert result.exit_code == 2
    assert "tok-nothing" in result.output
