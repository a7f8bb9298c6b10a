"""The vault and token stores on SQLite or PostgreSQL, through SQLAlchemy Core.

They live in the ledger's database (the same URL), in their own tables, so
one backup holds everything and one migration chain creates it all. They do
not share the ledger's transaction: a vault row is written before the event
that names it and deleted on erasure, and an event naming a person whose row
is gone simply means that person was erased.

Driver errors are translated here: callers see `IntegrityError`,
`StoreUnavailable` or `NotFound`, never SQLAlchemy or driver exceptions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from corridor.adapters.ledger.migrate import upgrade_connection
from corridor.adapters.ledger.postgres import sqlalchemy_url
from corridor.adapters.vault.tables import api_responses, api_tokens, vault_name_keys, vault_people
from corridor.errors import IntegrityError, InvalidInput, NotFound, StoreUnavailable
from corridor.protection.access import AccessRole
from corridor.protection.tokens import TokenRecord
from corridor.protection.vault_crypto import Sealed
from corridor.services.protection_ports import (
    PENDING,
    PersonVault,
    ResponseStore,
    StoredPerson,
    StoredResponse,
    TokenStore,
)

SQLITE_PREFIX = "sqlite:///"
BUSY_TIMEOUT_MS = 30_000


def _engine(url: str) -> sa.Engine:
    if url.startswith(SQLITE_PREFIX):
        # A small pool: connections are reused across the server's threads, so
        # a request pays for one query, not for opening the file again.
        engine = sa.create_engine(url, pool_size=4, max_overflow=8)

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.close()

        return engine
    if url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return sa.create_engine(
            sqlalchemy_url(url), pool_size=2, max_overflow=4, pool_pre_ping=True
        )
    raise InvalidInput(f"the vault needs a sqlite:/// or postgresql:// URL, not {url!r}")


class SqlStore:
    """Shared connection handling and error translation."""

    def __init__(self, url: str, migrate: bool = True) -> None:
        self._engine = _engine(url)
        self._where = self._engine.url.render_as_string(hide_password=True)
        if migrate:
            with self._connect() as connection:
                upgrade_connection(connection)

    @contextmanager
    def _connect(self) -> Iterator[sa.Connection]:
        try:
            with self._engine.connect() as connection:
                yield connection
        except sa.exc.IntegrityError as error:
            raise IntegrityError(f"{self._where}: {str(error.orig).splitlines()[0]}") from None
        except sa.exc.DBAPIError as error:
            first = str(error.orig).splitlines()[0] if error.orig else str(error)
            raise StoreUnavailable(f"{self._where}: {first}") from None

    def close(self) -> None:
        self._engine.dispose()


def _person_row(row: StoredPerson, created_at: str) -> dict[str, Any]:
    return {
        "person": row.person,
        "operation": row.operation,
        "nonce": row.sealed.nonce,
        "ciphertext": row.sealed.ciphertext,
        "blind_index": row.sealed.blind_index,
        "key_check": row.key_check,
        "created_at": created_at,
    }


def _key_rows(rows: Sequence[StoredPerson]) -> list[dict[str, str]]:
    return [
        {"operation": row.operation, "person": row.person, "name_key": key}
        for row in rows
        for key in sorted(set(row.name_keys))
    ]


def _stored(found: Any, keys: tuple[str, ...] = ()) -> StoredPerson:
    sealed = Sealed(bytes(found["nonce"]), bytes(found["ciphertext"]), found["blind_index"])
    return StoredPerson(found["person"], found["operation"], sealed, found["key_check"], keys)


class SqlPersonVault(SqlStore, PersonVault):
    def put(self, row: StoredPerson, created_at: str) -> None:
        self.put_many([row], created_at)

    def put_many(self, rows: Sequence[StoredPerson], created_at: str) -> None:
        # One transaction for the lot: an import is stored whole or not at all.
        if not rows:
            return
        with self._connect() as connection:
            connection.execute(vault_people.insert(), [_person_row(r, created_at) for r in rows])
            keys = _key_rows(rows)
            if keys:
                connection.execute(vault_name_keys.insert(), keys)
            connection.commit()

    def get(self, operation: str, person: str) -> StoredPerson | None:
        query = sa.select(vault_people).where(
            vault_people.c.operation == operation, vault_people.c.person == person
        )
        with self._connect() as connection:
            found = connection.execute(query).mappings().first()
        return None if found is None else _stored(found)

    def all(self, operation: str) -> list[StoredPerson]:
        query = (
            sa.select(vault_people)
            .where(vault_people.c.operation == operation)
            .order_by(vault_people.c.person)
        )
        with self._connect() as connection:
            return [_stored(found) for found in connection.execute(query).mappings()]

    def find(self, operation: str, blind_index: str) -> list[str]:
        query = (
            sa.select(vault_people.c.person)
            .where(vault_people.c.operation == operation, vault_people.c.blind_index == blind_index)
            .order_by(vault_people.c.person)
        )
        with self._connect() as connection:
            return list(connection.execute(query).scalars())

    def find_by_name_keys(self, operation: str, name_keys: Sequence[str]) -> list[str]:
        wanted = sorted(set(name_keys))
        if not wanted:
            return []
        query = (
            sa.select(vault_name_keys.c.person)
            .where(
                vault_name_keys.c.operation == operation,
                vault_name_keys.c.name_key.in_(wanted),
            )
            .group_by(vault_name_keys.c.person)
            .having(sa.func.count(sa.distinct(vault_name_keys.c.name_key)) == len(wanted))
            .order_by(vault_name_keys.c.person)
        )
        with self._connect() as connection:
            return list(connection.execute(query).scalars())

    def delete(self, operation: str, person: str) -> bool:
        return self.delete_many(operation, [person]) > 0

    def delete_many(self, operation: str, people: Sequence[str]) -> int:
        removed = 0
        with self._connect() as connection:
            for start in range(0, len(people), 500):
                chunk = list(people[start : start + 500])
                connection.execute(
                    vault_name_keys.delete().where(
                        vault_name_keys.c.operation == operation,
                        vault_name_keys.c.person.in_(chunk),
                    )
                )
                removed += connection.execute(
                    vault_people.delete().where(
                        vault_people.c.operation == operation, vault_people.c.person.in_(chunk)
                    )
                ).rowcount
            connection.commit()
        return removed

    def count(self, operation: str) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(vault_people)
            .where(vault_people.c.operation == operation)
        )
        with self._connect() as connection:
            return int(connection.execute(query).scalar_one())


def _token(row: Any) -> TokenRecord:
    return TokenRecord(
        id=row["token_id"],
        operation=row["operation"],
        role=AccessRole(row["role"]),
        label=row["label"],
        hash=row["token_hash"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        expires_at=row["expires_at"],
    )


class SqlTokenStore(SqlStore, TokenStore):
    def add(self, record: TokenRecord) -> None:
        with self._connect() as connection:
            connection.execute(
                api_tokens.insert().values(
                    token_id=record.id,
                    operation=record.operation,
                    role=str(record.role),
                    label=record.label,
                    token_hash=record.hash,
                    created_at=record.created_at,
                    revoked_at=record.revoked_at,
                    expires_at=record.expires_at,
                )
            )
            connection.commit()

    def by_hash(self, token_hash: str) -> TokenRecord | None:
        query = sa.select(api_tokens).where(api_tokens.c.token_hash == token_hash)
        with self._connect() as connection:
            found = connection.execute(query).mappings().first()
        return None if found is None else _token(found)

    def list(self, operation: str | None = None) -> list[TokenRecord]:
        query = sa.select(api_tokens).order_by(api_tokens.c.created_at, api_tokens.c.token_id)
        if operation is not None:
            query = query.where(api_tokens.c.operation == operation)
        with self._connect() as connection:
            return [_token(row) for row in connection.execute(query).mappings()]

    def revoke(self, token_id: str, at: str) -> TokenRecord:
        with self._connect() as connection:
            connection.execute(
                api_tokens.update()
                .where(api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
            connection.commit()
            found = (
                connection.execute(sa.select(api_tokens).where(api_tokens.c.token_id == token_id))
                .mappings()
                .first()
            )
        if found is None:
            raise NotFound(f"no token {token_id}")
        return _token(found)


class SqlResponseStore(SqlStore, ResponseStore):
    def get(self, key: str) -> StoredResponse | None:
        query = sa.select(api_responses).where(api_responses.c.idempotency_key == key)
        with self._connect() as connection:
            found = connection.execute(query).mappings().first()
        if found is None:
            return None
        return StoredResponse(found["request"], int(found["status"]), found["body"])

    def put(self, key: str, response: StoredResponse, created_at: str) -> None:
        if response.status != PENDING:
            settle = (
                api_responses.update()
                .where(api_responses.c.idempotency_key == key)
                .where(api_responses.c.status == PENDING)
                .values(status=response.status, body=response.body)
            )
            with self._connect() as connection:
                settled = connection.execute(settle).rowcount
                connection.commit()
            if settled:
                return
        try:
            with self._connect() as connection:
                connection.execute(
                    api_responses.insert().values(
                        idempotency_key=key,
                        request=response.request,
                        status=response.status,
                        body=response.body,
                        created_at=created_at,
                    )
                )
                connection.commit()
        except IntegrityError:
            # A concurrent retry stored its answer first; both answers come from
            # the same ledger command, so keeping the first loses nothing.
            return
