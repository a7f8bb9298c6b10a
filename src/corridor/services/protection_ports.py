"""Ports for personal data and API tokens: what the use cases need from storage.

Adapters in `corridor.adapters.vault` implement them on SQLite and
PostgreSQL; tests may subclass them with in-memory fakes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from corridor.protection.tokens import TokenRecord
from corridor.protection.vault_crypto import Sealed


@dataclass(frozen=True)
class StoredPerson:
    """One vault row as stored: ciphertext, never plaintext."""

    person: str
    operation: str
    sealed: Sealed
    key_check: str
    name_keys: tuple[str, ...] = ()
    """Keyed blind indexes of the name's sound keys (never the keys themselves)."""


class PersonVault(ABC):
    """Encrypted person records of every operation."""

    @abstractmethod
    def put(self, row: StoredPerson, created_at: str) -> None:
        """Store a new row; an existing person id is an `IntegrityError`."""

    @abstractmethod
    def put_many(self, rows: Sequence[StoredPerson], created_at: str) -> None:
        """Store new rows in one transaction: all of them or, on any error, none."""

    @abstractmethod
    def get(self, operation: str, person: str) -> StoredPerson | None: ...

    @abstractmethod
    def all(self, operation: str) -> list[StoredPerson]:
        """Every row of an operation, by person id."""

    @abstractmethod
    def find_by_name_keys(self, operation: str, name_keys: Sequence[str]) -> list[str]:
        """Person ids whose name has every one of these keyed sound keys, sorted."""

    @abstractmethod
    def delete_many(self, operation: str, people: Sequence[str]) -> int:
        """Remove rows (an import undone); returns how many were there."""

    @abstractmethod
    def find(self, operation: str, blind_index: str) -> list[str]:
        """Person ids whose name has this blind index, sorted."""

    @abstractmethod
    def delete(self, operation: str, person: str) -> bool:
        """Remove a row for good; False when there was none."""

    @abstractmethod
    def count(self, operation: str) -> int: ...

    @abstractmethod
    def close(self) -> None: ...


class TokenStore(ABC):
    """API tokens, kept as hashes."""

    @abstractmethod
    def add(self, record: TokenRecord) -> None: ...

    @abstractmethod
    def by_hash(self, token_hash: str) -> TokenRecord | None: ...

    @abstractmethod
    def list(self, operation: str | None = None) -> list[TokenRecord]:
        """Tokens in creation order (of one operation when named)."""

    @abstractmethod
    def revoke(self, token_id: str, at: str) -> TokenRecord:
        """Mark a token revoked; `NotFound` if no such token."""

    @abstractmethod
    def close(self) -> None: ...


@dataclass(frozen=True)
class StoredResponse:
    """The first answer given to a request with an idempotency key (or `PENDING`)."""

    request: str
    """Fingerprint of the request (method, path, body) the key was first used for."""
    status: int
    body: str


PENDING = 0
"""Status of a key taken by a request not yet answered; its body is when it arrived."""


class ResponseStore(ABC):
    """First answers to POSTs that carried an Idempotency-Key."""

    @abstractmethod
    def get(self, key: str) -> StoredResponse | None: ...

    @abstractmethod
    def put(self, key: str, response: StoredResponse, created_at: str) -> None:
        """Keep the first answer; a second answer for the same key is ignored.

        A `PENDING` record is replaced by the answer that settles it.
        """

    @abstractmethod
    def close(self) -> None: ...
