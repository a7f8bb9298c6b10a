"""`corridor users add|list|revoke`: API tokens scoped to an operation and a role.

A new token is printed once and never again: only its hash is stored, so a
lost token is revoked and replaced, not recovered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from corridor.bootstrap import open_existing_store
from corridor.entrypoints.cli.output import console, emit_json, err_console
from corridor.protection.tokens import TokenRecord
from corridor.services.access_tokens import issue_token, revoke_token
from corridor.settings import Settings

if TYPE_CHECKING:
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
    }


@app.command("add")
def add(
    operation: Annotated[str, typer.Option("--operation", "-o", help="Operation id.")],
    role: Annotated[
        str,
        typer.Option("--role", "-r", help="coordinator, monitor, reception, liaison or observer."),
    ],
    label: Annotated[str, typer.Option("--label", help="Who holds it (team, post).")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue a token; it is shown once, here, and stored only as a hash."""
    store = _store(db)
    try:
        secret, record = issue_token(store, operation, role, label)
    finally:
        store.close()
    if as_json:
        emit_json({**_row(record), "token": secret})
        return
    # The secret alone on stdout, so `TOKEN=$(corridor users add ...)` works;
    # what it is goes to stderr.
    err_console.print(f"token {record.id}: {record.role} on {record.operation}")
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
