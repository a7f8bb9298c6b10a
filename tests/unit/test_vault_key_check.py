"""The vault's key check: the first key is recorded, the same key passes, any other is refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from corridor.errors import IntegrityError
from corridor.protection.keys import MasterKey, key_file_exposure, write_key
from corridor.services.vault_key import KeyCheck, VaultKeyCheck, confirm_key

NOW = "2016-12-15T05:00:00.000000Z"


class FakeVaultKeyCheck(VaultKeyCheck):
    """In memory: at most one recorded check, and the checks of rows already sealed."""

    def __init__(self, sealed: frozenset[str] = frozenset()) -> None:
        self.recorded: KeyCheck | None = None
        self.sealed = sealed

    def stored(self) -> KeyCheck | None:
        return self.recorded

    def sealed_checks(self) -> frozenset[str]:
        return self.sealed

    def record(self, check: KeyCheck) -> None:
        if self.recorded is not None:
            raise IntegrityError("a key check is already recorded")
        self.recorded = check


def test_the_first_key_a_vault_meets_is_recorded_as_its_check() -> None:
    """A vault with no check and no sealed rows records the key's check, with its time."""
    vault, key = FakeVaultKeyCheck(), MasterKey.generate()
    assert confirm_key(vault, key, "key file k", NOW) == "recorded"
    assert vault.recorded == KeyCheck(key.check, NOW)


def test_the_same_key_passes_again() -> None:
    """Once recorded, the same key is confirmed and nothing new is written."""
    vault, key = FakeVaultKeyCheck(), MasterKey.generate()
    confirm_key(vault, key, "key file k", NOW)
    assert confirm_key(vault, key, "key file k", "2016-12-16T05:00:00.000000Z") == "matched"
    assert vault.recorded == KeyCheck(key.check, NOW)


def test_another_key_is_refused_naming_where_it_came_from() -> None:
    """A key whose check differs from the recorded one is one clear error naming its source."""
    vault = FakeVaultKeyCheck()
    confirm_key(vault, MasterKey.generate(), "key file k", NOW)
    with pytest.raises(IntegrityError) as refused:
        confirm_key(vault, MasterKey.generate(), "key file other.key", NOW)
    assert "other.key" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_vault_sealed_before_checks_were_recorded_refuses_another_key() -> None:
    """Rows sealed under one key and no check recorded yet: another key is refused, not recorded."""
    sealed_with = MasterKey.generate()
    vault = FakeVaultKeyCheck(frozenset({sealed_with.check}))
    with pytest.raises(IntegrityError, match="sealed with another key"):
        confirm_key(vault, MasterKey.generate(), "key file k", NOW)
    assert vault.recorded is None
    assert confirm_key(vault, sealed_with, "key file k", NOW) == "recorded"


def test_a_key_file_open_to_others_is_reported(tmp_path: Path) -> None:
    """A key file that group or others may read is named with its mode and the fix."""
    path = tmp_path / "corridor.key"
    write_key(path, MasterKey.generate())
    assert key_file_exposure(path) is None
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    warning = key_file_exposure(path)
    assert warning is not None
    assert str(path) in warning
    assert "0644" in warning
    assert "chmod 600" in warning
