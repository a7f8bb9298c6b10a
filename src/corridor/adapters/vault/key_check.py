"""The vault's key check on SQLite or PostgreSQL (table `vault_key`, revision 0003)."""

from __future__ import annotations

import sqlalchemy as sa

from corridor.adapters.vault.store import SqlStore
from corridor.adapters.vault.tables import vault_people
from corridor.services.vault_key import KeyCheck, VaultKeyCheck

__all__ = ["SqlVaultKeyCheck"]

ROW = "master"

vault_key = sa.Table(
    "vault_key",
    sa.MetaData(),
    sa.Column("name", sa.Text(), primary_key=True),
    sa.Column("key_check", sa.Text(), nullable=False),
    sa.Column("recorded_at", sa.Text(), nullable=False),
)


class SqlVaultKeyCheck(SqlStore, VaultKeyCheck):
    def stored(self) -> KeyCheck | None:
        query = sa.select(vault_key.c.key_check, vault_key.c.recorded_at).where(
            vault_key.c.name == ROW
        )
        with self._connect() as connection:
            found = connection.execute(query).first()
        return None if found is None else KeyCheck(found[0], found[1])

    def sealed_checks(self) -> frozenset[str]:
        query = sa.select(vault_people.c.key_check).distinct()
        with self._connect() as connection:
            return frozenset(connection.execute(query).scalars())

    def record(self, check: KeyCheck) -> None:
        with self._connect() as connection:
            connection.execute(
                vault_key.insert().values(
                    name=ROW, key_check=check.check, recorded_at=check.recorded_at
                )
            )
            connection.commit()
