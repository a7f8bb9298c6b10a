"""Use cases for API tokens: issue (shown once), reissue, authenticate, list, revoke.

A token is issued only for an operation the ledger has opened (a typo would
make a token that opens nothing, or the wrong operation later), and may carry
an expiry, after which it is refused like a revoked one. Reissuing revokes
the earlier active tokens of the same operation, role and label: what
`serve --demo` does at each start, so restarts never pile up live
coordinator tokens.

`TokenCache` remembers the callers of recently checked tokens, so a request
costs one hash and one lookup instead of a query. An entry lives `ttl`
seconds: a token revoked by another process (`corridor users revoke`) stops
working within that time, one revoked through the cache at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.errors import InvalidInput, NotFound, Unauthorized
from corridor.protection.access import AccessRole, Principal
from corridor.protection.tokens import (
    TokenRecord,
    generate_token,
    new_token_id,
    token_hash,
)
from corridor.services.protection_ports import TokenStore

MAX_LABEL = 200
CACHE_SECONDS = 1.0
CACHE_SIZE = 10_000


def issue_token(
    store: TokenStore,
    operation: str,
    role: AccessRole | str,
    label: str,
    clock: Clock | None = None,
    expires: datetime | None = None,
    known: Callable[[str], bool] | None = None,
) -> tuple[str, TokenRecord]:
    """A new token for `role` on `operation`: the secret (to show once) and what is kept.

    `known` says whether the ledger has opened an operation; with it, a token
    for any other operation is refused. `expires` must lie in the future.
    """
    if not operation.strip():
        raise InvalidInput("a token needs an operation")
    try:
        role = AccessRole(role)
    except ValueError:
        roles = ", ".join(r.value for r in AccessRole)
        raise InvalidInput(f"unknown role {role!r}; expected one of {roles}") from None
    if len(label) > MAX_LABEL:
        raise InvalidInput(f"a token label is at most {MAX_LABEL} characters")
    now = (clock or SystemClock()).now()
    if expires is not None and (expires.tzinfo is None or expires <= now):
        raise InvalidInput(
            f"expires: {format_instant(expires) if expires.tzinfo else expires.isoformat()} "
            f"is not a future time with a UTC offset (now {format_instant(now)})"
        )
    if known is not None and not known(operation):
        raise NotFound(f"operation {operation!r} has not been opened; a token names an open one")
    secret = generate_token()
    record = TokenRecord(
        id=new_token_id(),
        operation=operation,
        role=role,
        label=label,
        hash=token_hash(secret),
        created_at=format_instant(now),
        expires_at=None if expires is None else format_instant(expires),
    )
    store.add(record)
    return secret, record


def reissue_token(
    store: TokenStore,
    operation: str,
    role: AccessRole,
    label: str,
    clock: Clock | None = None,
) -> tuple[str, TokenRecord, list[TokenRecord]]:
    """A new token in place of the active ones of the same operation, role and label.

    The earlier ones are revoked first; the answer is the new secret, its
    record, and the records revoked.
    """
    earlier = [r for r in store.list(operation) if r.active and r.role is role and r.label == label]
    revoked = [revoke_token(store, r.id, clock) for r in earlier]
    secret, record = issue_token(store, operation, role, label, clock)
    return secret, record, revoked


def authenticate(store: TokenStore, token: str | None, clock: Clock | None = None) -> Principal:
    """The caller a bearer token stands for; `Unauthorized` for anything else."""
    if not token:
        raise Unauthorized("a bearer token is required")
    found = store.by_hash(token_hash(token))
    if found is None or not found.active:
        raise Unauthorized("the token is unknown or revoked")
    if found.expired((clock or SystemClock()).now()):
        raise Unauthorized("the token has expired")
    return Principal(found.id, found.operation, found.role, found.label)


def revoke_token(store: TokenStore, token_id: str, clock: Clock | None = None) -> TokenRecord:
    return store.revoke(token_id, format_instant((clock or SystemClock()).now()))


class TokenCache:
    """Recently authenticated tokens by hash; failures are never remembered."""

    def __init__(
        self,
        store: TokenStore,
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        size: int = CACHE_SIZE,
    ) -> None:
        self.store = store
        self.ttl = ttl
        self.clock = clock
        self.size = size
        self._known: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def cached(self, token: str | None) -> Principal | None:
        """The caller of `token` if it was checked less than `ttl` seconds ago (no query)."""
        if not token:
            return None
        hit = self._known.get(token_hash(token))
        if hit is None or hit[1] <= self.clock():
            return None
        return hit[0]

    def authenticate(self, token: str | None) -> Principal:
        """As `authenticate`, remembering the answer for `ttl` seconds."""
        found = self.cached(token)
        if found is not None:
            return found
        principal = authenticate(self.store, token)
        assert token is not None  # authenticate refuses a missing token
        with self._lock:
            if len(self._known) >= self.size:
                now = self.clock()
                self._known = {h: e for h, e in self._known.items() if e[1] > now}
                if len(self._known) >= self.size:
                    self._known.clear()
            self._known[token_hash(token)] = (principal, self.clock() + self.ttl)
        return principal

    def revoke(self, token_id: str, clock: Clock | None = None) -> TokenRecord:
        """Revoke through the store and forget the token here at once."""
        record = revoke_token(self.store, token_id, clock)
        with self._lock:
            self._known = {h: e for h, e in self._known.items() if e[0].token_id != token_id}
        return record
