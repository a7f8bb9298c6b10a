"""Typed settings, read once at the edge and passed inward; never read deep inside."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import InvalidInput

DEFAULT_DB_URL = "sqlite:///corridor.db"
DEFAULT_KEY_FILE = Path("corridor.key")
DEFAULT_LEDGER_POOL = 4


@dataclass(frozen=True)
class Settings:
    """Where the ledger lives, where the personal-data key is kept, the API's ledger pool."""

    db_url: str = DEFAULT_DB_URL
    key_file: Path = DEFAULT_KEY_FILE
    checkpoints: Path | None = None
    """The witness file of signed checkpoints `GET /ledger/head` shows (CORRIDOR_CHECKPOINTS)."""
    ledger_pool: int = DEFAULT_LEDGER_POOL
    """Ledger stores (database connections) one API process holds, whatever its threads."""

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from CORRIDOR_DB, _KEY_FILE and _LEDGER_POOL, for entry points only."""
        env = dict(os.environ if environ is None else environ)
        pool = env.get("CORRIDOR_LEDGER_POOL", str(DEFAULT_LEDGER_POOL))
        if not pool.isascii() or not pool.isdigit():
            raise InvalidInput(f"CORRIDOR_LEDGER_POOL={pool!r} is not allowed; allowed: 1..64")
        return cls(
            db_url=env.get("CORRIDOR_DB", DEFAULT_DB_URL),
            key_file=Path(env.get("CORRIDOR_KEY_FILE", str(DEFAULT_KEY_FILE))),
            checkpoints=Path(env["CORRIDOR_CHECKPOINTS"])
            if env.get("CORRIDOR_CHECKPOINTS")
            else None,
            ledger_pool=int(pool),
        )
