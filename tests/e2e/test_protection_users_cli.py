"""`corridor users add|list|revoke` against a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.adapters.vault.store import SqlTokenStore
from corridor.domain.clock import SteppingClock
from corridor.entrypoints.cli.main import app
from corridor.errors import Unauthorized
from corridor.protection.access import AccessRole
from corridor.services.access_tokens import authenticate

runner = CliRunner()


def _run(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _opened(tmp_path: Path) -> str:
    """A ledger with the operation east-aleppo-2016 open."""
    db = f"sqlite:///{tmp_path / 'corridor.db'}"
    opened = runner.invoke(app, ["ops", "open", "east-aleppo-2016", "east-aleppo-2016", "--db", db])
    assert opened.exit_code == 0, opened.output
    return db


def test_a_token_is_shown_once_listed_without_its_secret_and_revoked(tmp_path: Path) -> None:
    """add prints the token, list never does, revoke makes it fail to authenticate."""
    db = _opened(tmp_path)
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


def test_a_token_for_an_operation_not_opened_is_refused(tmp_path: Path) -> None:
    """A misspelt operation gets no token: exit 2 naming it, and nothing is stored."""
    db = _opened(tmp_path)
    result = runner.invoke(app, ["users", "add", "-o", "east-alepo", "-r", "monitor", "--db", db])
    assert result.exit_code == 2
    assert "operation 'east-alepo' has not been opened" in result.output
    assert _run("users", "list", "--db", db, "--json") == []


def test_a_token_on_a_database_without_a_ledger_is_refused(tmp_path: Path) -> None:
    """No ledger, no open operation: refused with the operation named."""
    db = f"sqlite:///{tmp_path / 'empty.db'}"
    result = runner.invoke(app, ["users", "add", "-o", "aleppo", "-r", "monitor", "--db", db])
    assert result.exit_code == 2
    assert "operation 'aleppo' has not been opened" in result.output


def test_a_token_with_a_lifetime_expires_then_and_is_refused_after(tmp_path: Path) -> None:
    """`--ttl 12h` sets the expiry twelve hours on; authentication after it is refused."""
    db = _opened(tmp_path)
    before = datetime.now(UTC)
    added = _run("users", "add", "-o", "east-aleppo-2016", "-r", "monitor", "--ttl", "12h",
                 "--db", db, "--json")  # fmt: skip
    assert isinstance(added, dict)
    expires = datetime.fromisoformat(added["expires_at"])
    assert before + timedelta(hours=12) <= expires <= datetime.now(UTC) + timedelta(hours=12)
    store = SqlTokenStore(db)
    try:
        assert authenticate(store, added["token"]).role is AccessRole.MONITOR
        later = SteppingClock(expires, timedelta(0))
        with pytest.raises(Unauthorized, match="expired"):
            authenticate(store, added["token"], later)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--expires", "2016-12-20T00:00+02:00"], "is not a future time"),
        (["--expires", "2016-12-20T00:00"], "has no UTC offset"),
        (["--ttl", "12 hours"], "expected a duration such as 30m, 12h or 7d"),
        (["--ttl", "0h"], "expected a duration"),
        (["--ttl", "1h", "--expires", "2099-01-01T00:00Z"], "not both"),
    ],
)
def test_an_expiry_that_cannot_be_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    """Past, offset-less, malformed or doubled expiries are refused, exit 2, no token."""
    db = _opened(tmp_path)
    result = runner.invoke(
        app, ["users", "add", "-o", "east-aleppo-2016", "-r", "monitor", *args, "--db", db]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert _run("users", "list", "--db", db, "--json") == []
