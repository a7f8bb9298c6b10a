"""`corridor users add|list|revoke`: API tokens scoped to an operation and a role.

A new token is printed once and never again: only its hash is stored, so a
lost token is revoked and replaced, not recovered. A token is issued only for
an operation the ledger has opened, and may expire (`--expires` or `--ttl`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from corridor.bootstrap import ledger_exists, open_existing_store, services_over
from corridor.domain.clock import SystemClock
from corridor.entrypoints.cli.output import console, emit_json, err_console
from corridor.entrypoints.cli.times import parse_at
from corridor.errors import InvalidInput
from corridor.protection.tokens import TokenRecord
from corridor.services.access_tokens import issue_token, revoke_token
from corridor.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from corridor.adapters.vault.store import SqlTokenStore

app = typer.Typer(help="Issue, list and revoke API tokens.", no_args_is_help=True)

DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: CORRIDOR_DB or sqlite)")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def _store(db: str | None, existing: bool = False) -> SqlTokenStore:
    """The token store; with `existing`, only in a ledger that is already there."""
    # Imported on use: SQLAlchemy's start-up cost belongs to the commands that need it.
    from corridor.adapters.vault.store import SqlTokenStore

    url = db or Settings.from_environment().db_url
    if existing:
        open_existing_store(url).close()
        return SqlTokenStore(url, migrate=False)
    return SqlTokenStore(url)


def _row(record: TokenRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "operation": record.operation,
        "role": str(record.role),
        "label": record.label,
        "created_at": record.created_at,
        "revoked_at": record.revoked_at,
        "expires_at": record.expires_at,
    }


TTL = re.compile(r"^(\d{1,6})([mhd])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def _expiry(expires: str | None, ttl: str | None, now: datetime) -> datetime | None:
    """The instant a new token stops working, from `--expires` or `--ttl` (not both)."""
    if expires is not None and ttl is not None:
        raise InvalidInput("give --expires or --ttl, not both")
    if expires is not None:
        return parse_at(expires, "--expires")
    if ttl is None:
        return None
    found = TTL.match(ttl.strip())
    if found is None or int(found.group(1)) == 0:
        raise InvalidInput(f"--ttl: expected a duration such as 30m, 12h or 7d, found {ttl!r}")
    return now + timedelta(**{UNITS[found.group(2)]: int(found.group(1))})


def _opened(url: str) -> Callable[[str], bool]:
    """Whether the ledger at `url` has opened an operation (no ledger: none has)."""

    def known(operation: str) -> bool:
        if not ledger_exists(url):
            return False
        with open_existing_store(url) as store:
            return services_over(store).live.known(operation)

    return known


@app.command("add")
def add(
    operation: Annotated[str, typer.Option("--operation", "-o", help="Operation id.")],
    role: Annotated[
        str,
        typer.Option("--role", "-r", help="coordinator, monitor, reception, liaison or observer."),
    ],
    label: Annotated[str, typer.Option("--label", help="Who holds it (team, post).")] = "",
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="ISO 8601 time with UTC offset when it stops working."),
    ] = None,
    ttl: Annotated[
        str | None, typer.Option("--ttl", help="Lifetime instead of --expires: 30m, 12h, 7d.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue a token for an open operation; it is shown once, here, and stored only as a hash."""
    clock = SystemClock()
    until = _expiry(expires, ttl, clock.now())
    url = db or Settings.from_environment().db_url
    store = _store(url)
    try:
        secret, record = issue_token(store, operation, role, label, clock, until, _opened(url))
    finally:
        store.close()
    if as_json:
        emit_json({**_row(record), "token": secret})
        return
    # The secret alone on stdout, so `TOKEN=$(corridor users add ...)` works;
    # what it is goes to stderr.
    until_text = f", expires {record.expires_at}" if record.expires_at else ""
    err_console.print(f"token {record.id}: {record.role} on {record.operation}{until_text}")
    console.print(secret)
    err_console.print("[dim]Shown once; only its hash is kept.[/dim]")


@app.command("list")
def list_tokens(
    operation: Annotated[
        str | None, typer.Option("--operation", "-o", help="Only this operation.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List tokens (never their secrets)."""
    store = _store(db, existing=True)
    try:
        rows = [_row(r) for r in store.list(operation)]
    finally:
        store.close()
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        if row["expires_at"] and not row["revoked_at"]:
            state += f" until {row['expires_at']}"
        console.print(f"{row['id']}  {row['operation']}  {row['role']}  {state}  {row['label']}")


@app.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token id shown by `users list`.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Revoke a token at once; requests with it are refused from now on."""
    store = _store(db, existing=True)
    try:
        record = revoke_token(store, token_id)
    finally:
        store.close()
    if as_json:
        emit_json(_row(record))
    else:
        console.print(f"token {record.id} revoked at {record.revoked_at}")
