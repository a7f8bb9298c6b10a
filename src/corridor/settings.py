"""Typed settings, read once at the edge and passed inward; never read deep inside."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///corridor.db"
DEFAULT_KEY_FILE = Path("corridor.key")


@dataclass(frozen=True)
class Settings:
    """Where the ledger lives and where the personal-data key is kept."""

    db_url: str = DEFAULT_DB_URL
    key_file: Path = DEFAULT_KEY_FILE
    checkpoints: Path | None = None
    """The witness file of signed checkpoints `GET /ledger/head` shows (CORRIDOR_CHECKPOINTS)."""

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        """Settings from CORRIDOR_DB and CORRIDOR_KEY_FILE, for entry points only."""
        env = dict(os.environ if environ is None else environ)
        return cls(
            db_url=env.get("CORRIDOR_DB", DEFAULT_DB_URL),
            key_file=Path(env.get("CORRIDOR_KEY_FILE", str(DEFAULT_KEY_FILE))),
            checkpoints=Path(env["CORRIDOR_CHECKPOINTS"])
            if env.get("CORRIDOR_CHECKPOINTS")
            else None,
        )
