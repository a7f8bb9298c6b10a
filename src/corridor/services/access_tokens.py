"""Use cases for API tokens: issue (shown once), authenticate, list, revoke."""

from __future__ import annotations

from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.errors import InvalidInput, Unauthorized
from corridor.protection.access import AccessRole, Principal
from corridor.protection.tokens import (
    TokenRecord,
    generate_token,
    new_token_id,
    token_hash,
)
from corridor.services.protection_ports import TokenStore

MAX_LABEL = 200


def issue_token(
    store: TokenStore,
    operation: str,
    role: AccessRole | str,
    label: str,
    clock: Clock | None = None,
) -> tuple[str, TokenRecord]:
    """A new token for `role` on `operation`: the secret (to show once) and what is kept."""
    if not operation.strip():
        raise InvalidInput("a token needs an operation")
    try:
        role = AccessRole(role)
    except ValueError:
        roles = ", ".join(r.value for r in AccessRole)
        raise InvalidInput(f"unknown role {role!r}; expected one of {roles}") from None
    if len(label) > MAX_LABEL:
        raise InvalidInput(f"a token label is at most {MAX_LABEL} characters")
    secret = generate_token()
    record = TokenRecord(
        id=new_token_id(),
        operation=operation,
        role=role,
        label=label,
        hash=token_hash(secret),
        created_at=format_instant((clock or SystemClock()).now()),
    )
    store.add(record)
    return secret, record


def authenticate(store: TokenStore, token: str | None) -> Principal:
    """The caller a bearer token stands for; `Unauthorized` for anything else."""
    if not token:
        raise Unauthorized("a bearer token is required")
    found = store.by_hash(token_hash(token))
    if found is None or not found.active:
        raise Unauthorized("the token is unknown or revoked")
    return Principal(found.id, found.operation, found.role, found.label)


def revoke_token(store: TokenStore, token_id: str, clock: Clock | None = None) -> TokenRecord:
    return store.revoke(token_id, format_instant((clock or SystemClock()).now()))
