"""The master key for personal data, and the separate keys derived from it.

The key lives in a file (32 random bytes, base64, mode 0600, written by
`corridor init`) or comes as a settings value; it is never stored in the
database, so a copy of the database alone reveals no names. From the one
master key HKDF derives independent keys, one per use (encryption, blind
index, key check), so a leak of one derived key does not expose the others.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from corridor.errors import InvalidInput, NotFound

KEY_BYTES = 32

_ENCRYPTION = b"corridor/vault/aes-256-gcm/v1"
_BLIND_INDEX = b"corridor/vault/blind-index/v1"
_CHECK = b"corridor/vault/key-check/v1"


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(master)


@dataclass(frozen=True, repr=False)
class MasterKey:
    """32 secret bytes; `repr` never shows them."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != KEY_BYTES:
            raise InvalidInput(f"the vault key must be {KEY_BYTES} bytes, found {len(self.secret)}")

    def __repr__(self) -> str:
        return "MasterKey(<secret>)"

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(os.urandom(KEY_BYTES))

    @classmethod
    def from_text(cls, text: str, where: str = "the vault key") -> MasterKey:
        """Parse base64 text (surrounding whitespace ignored)."""
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(f"{where} is not base64 text") from None
        if len(raw) != KEY_BYTES:
            raise InvalidInput(f"{where} holds {len(raw)} bytes; expected {KEY_BYTES}")
        return cls(raw)

    def to_text(self) -> str:
        return base64.b64encode(self.secret).decode("ascii")

    @property
    def encryption_key(self) -> bytes:
        return _derive(self.secret, _ENCRYPTION)

    @property
    def blind_index_key(self) -> bytes:
        return _derive(self.secret, _BLIND_INDEX)

    @property
    def check(self) -> str:
        """A public fingerprint: lets a store tell a wrong key from a damaged record."""
        return hmac.new(_derive(self.secret, _CHECK), b"key-check", hashlib.sha256).hexdigest()


def load_key(key_file: Path | None = None, value: str | None = None) -> MasterKey:
    """The master key from a settings value if given, else from the key file."""
    if value:
        return MasterKey.from_text(value, "the configured vault key")
    if key_file is None:
        raise NotFound("no vault key: give a key file or a key value")
    try:
        text = key_file.read_text(encoding="ascii")
    except FileNotFoundError:
        raise NotFound(f"vault key file {key_file} not found; run `corridor init`") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"vault key file {key_file} cannot be read: {error}") from None
    return MasterKey.from_text(text, f"vault key file {key_file}")


def write_key(key_file: Path, key: MasterKey) -> None:
    """Create a new key file readable by its owner only; never overwrite one."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        descriptor = os.open(key_file, flags, stat.S_IRUSR | stat.S_IWUSR)
    except FileExistsError:
        raise InvalidInput(f"{key_file} exists; a key file is never overwritten") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(key.to_text() + "\n")


def key_file_exposure(key_file: Path) -> str | None:
    """A warning when group or others may read or write the key file; None when private."""
    try:
        mode = stat.S_IMODE(key_file.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return (
        f"key file {key_file} is open to others (mode {mode:04o}); "
        f"anyone who can read it can read every name: chmod 600 {key_file}"
    )
