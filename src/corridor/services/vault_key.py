"""Is this the key the vault is sealed under? Asked once, at start-up, before any sealing.

A wrong key is not an error the vault would notice by itself: lookups by
blind index simply find nobody, and new people are sealed under the wrong key
for good. So the vault keeps the fingerprint of its key (`MasterKey.check`)
and every process compares its key with it before serving. The first key a
vault meets is recorded, unless people were already sealed (by a database
older than the check) under another one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

from corridor.errors import IntegrityError
from corridor.protection.keys import MasterKey

__all__ = ["KeyCheck", "VaultKeyCheck", "confirm_key", "require_no_key"]


@dataclass(frozen=True)
class KeyCheck:
    """The fingerprint of the vault's key, and when it was recorded."""

    check: str
    recorded_at: str


class VaultKeyCheck(ABC):
    """Where a vault keeps its key check; adapters implement it beside the vault."""

    @abstractmethod
    def stored(self) -> KeyCheck | None:
        """The recorded check, if any."""

    @abstractmethod
    def sealed_checks(self) -> frozenset[str]:
        """The key checks of the rows already sealed in the vault."""

    @abstractmethod
    def record(self, check: KeyCheck) -> None:
        """Record the check; `IntegrityError` if one is recorded already."""


def _wrong(source: str, why: str) -> IntegrityError:
    return IntegrityError(
        f"the vault key from {source} {why}; use the key file 'corridor init' wrote "
        "for this database (a wrong key would seal people where nobody can find them)"
    )


def confirm_key(
    vault: VaultKeyCheck, key: MasterKey, source: str, now: str
) -> Literal["recorded", "matched"]:
    """Refuse a key that is not the vault's; record the first key a new vault meets."""
    found = vault.stored()
    if found is None:
        if vault.sealed_checks() - {key.check}:
            raise _wrong(source, "does not match: people here were sealed with another key")
        try:
            vault.record(KeyCheck(key.check, now))
        except IntegrityError:
            # Another process recorded a check between our read and our write.
            found = vault.stored()
        else:
            return "recorded"
    if found is None or found.check != key.check:
        recorded = f" recorded {found.recorded_at}" if found else ""
        raise _wrong(source, f"does not match the key check{recorded} in this database")
    return "matched"


def require_no_key(vault: VaultKeyCheck, where: str) -> None:
    """Refuse to give a vault that already has a key a new one (`corridor init` twice)."""
    found = vault.stored()
    if found is not None or vault.sealed_checks():
        since = f" (key check recorded {found.recorded_at})" if found else ""
        raise IntegrityError(
            f"{where} already has a vault key{since}; 'corridor init' writes a new key "
            "only for a new vault: keep using the key file written for it"
        )
