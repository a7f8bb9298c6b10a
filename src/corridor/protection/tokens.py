"""API tokens: 256 random bits, shown once, stored only as a SHA-256 hash.

A token's hash is enough to check it and useless to present, so a copy of
the tokens table grants nothing. SHA-256 without salt is right here (unlike
for passwords): the token has 256 bits of entropy, so there is nothing to
guess. Each token also has a short public id, for listing and revoking
without handling the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from corridor.protection.access import AccessRole

TOKEN_PREFIX = "crd_"
TOKEN_BYTES = 32


def generate_token() -> str:
    """A new secret token: prefix plus 256 random bits, URL-safe base64."""
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token_id() -> str:
    return "tok-" + secrets.token_hex(6)


def matches(token: str, stored_hash: str) -> bool:
    """Compare in constant time, so response timing leaks nothing of the hash."""
    return hmac.compare_digest(token_hash(token), stored_hash)


@dataclass(frozen=True)
class TokenRecord:
    """What is stored about a token: never the token itself."""

    id: str
    operation: str
    role: AccessRole
    label: str
    hash: str
    created_at: str
    revoked_at: str | None = None
    expires_at: str | None = None
    """ISO 8601 UTC instant from which the token is refused (None: until revoked)."""

    @property
    def active(self) -> bool:
        """Not revoked (an expired token is still listed as active until it is revoked)."""
        return self.revoked_at is None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and datetime.fromisoformat(self.expires_at) <= now
