"""What one API process holds: the ledger, the live record, the vault and token stores."""

from __future__ import annotations

from dataclasses import dataclass, field

from corridor.adapters.openings import FileOpenings
from corridor.adapters.vault.store import SqlPersonVault, SqlResponseStore, SqlTokenStore
from corridor.bootstrap import open_store
from corridor.entrypoints.api.threaded_ledger import DEFAULT_POOL, LedgerPool
from corridor.protection.keys import MasterKey
from corridor.services.access_tokens import TokenCache
from corridor.services.bus import Services
from corridor.services.live import LiveOperations
from corridor.services.personal_data import PersonalData
from corridor.services.ports import LedgerStore
from corridor.services.protection_ports import PersonVault, ResponseStore, TokenStore

MAX_BODY_BYTES = 64 * 1024
"""Largest request body accepted; field devices send counts, not files."""


@dataclass
class ApiContext:
    ledger: LedgerStore
    tokens: TokenStore
    vault: PersonVault
    responses: ResponseStore
    key: MasterKey | None
    max_body: int = MAX_BODY_BYTES
    openings: FileOpenings = field(default_factory=FileOpenings)
    live: LiveOperations = field(init=False)
    services: Services = field(init=False)
    personal: PersonalData | None = field(init=False)
    callers: TokenCache = field(init=False)

    def __post_init__(self) -> None:
        self.callers = TokenCache(self.tokens)
        self.live = LiveOperations(self.ledger, self.openings.resolve)
        self.services = Services(self.live, self.openings)
        self.personal = (
            PersonalData(self.ledger, self.vault, self.key) if self.key is not None else None
        )

    def close(self) -> None:
        self.responses.close()
        self.vault.close()
        self.tokens.close()
        self.ledger.close()


def open_context(db_url: str, key: MasterKey | None, ledger_pool: int = DEFAULT_POOL) -> ApiContext:
    """Open every store on the database at `db_url` (migrating it if needed).

    The ledger is `ledger_pool` stores shared by every server thread.
    """
    open_store(db_url).close()  # creates and migrates the database once
    ledger = LedgerPool(lambda: open_store(db_url, migrate=False), ledger_pool)
    return ApiContext(
        ledger=ledger,
        tokens=SqlTokenStore(db_url),
        vault=SqlPersonVault(db_url),
        responses=SqlResponseStore(db_url),
        key=key,
    )
