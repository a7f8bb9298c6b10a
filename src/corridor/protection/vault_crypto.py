"""AES-256-GCM for person records, and the keyed blind index for exact lookup.

Each record is sealed with a fresh 96-bit random nonce and its record id as
associated data: a ciphertext copied onto another row fails to open, so rows
cannot be swapped unnoticed. The blind index is HMAC-SHA256, under a key
derived from the master key, over a normalised name: the same name typed
with other case, spacing or accents finds the same rows, while the index
alone cannot be reversed or checked against a list of names without the key.
The same key makes the name keys: one HMAC per name part's sound key, so
محمد and Mohammed meet in the index while neither is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from corridor.errors import IntegrityError
from corridor.protection.keys import MasterKey
from corridor.protection.person import PersonRecord
from corridor.protection.transliteration import name_key

NONCE_BYTES = 12

# Arabic short vowels and other combining marks are dropped: names are written
# with and without them, and the index must find both spellings.
_TATWEEL = "\u0640"


def normalise_name(name: str) -> str:
    """Fold case, accents, diacritics, tatweel and spacing so spellings meet."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != _TATWEEL)
    return " ".join(unicodedata.normalize("NFKC", kept).casefold().split())


@dataclass(frozen=True)
class Sealed:
    """What the vault stores for one record."""

    nonce: bytes
    ciphertext: bytes
    blind_index: str


class VaultCipher:
    """Seals and opens person records under one master key."""

    def __init__(self, key: MasterKey) -> None:
        self._aead = AESGCM(key.encryption_key)
        self._index_key = key.blind_index_key
        self._index = hmac.new(self._index_key, digestmod=hashlib.sha256)

    def blind_index(self, name: str) -> str:
        return self.keyed(normalise_name(name))

    def keyed(self, text: str) -> str:
        """HMAC-SHA256 of `text` under the blind-index key: a blocking or lookup key."""
        digest = self._index.copy()
        digest.update(text.encode("utf-8"))
        return digest.hexdigest()

    def name_keys(self, *names: str) -> tuple[str, ...]:
        """Keyed sound keys of every part of these names (one name in either script)."""
        parts = {part for name in names if name.strip() for part in name_key(name).parts}
        return tuple(sorted(self.keyed("part:" + part) for part in parts))

    def seal(self, record: PersonRecord) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = self._aead.encrypt(nonce, record.to_bytes(), record.id.encode("utf-8"))
        return Sealed(nonce, ciphertext, self.blind_index(record.full_name))

    def open(self, record_id: str, nonce: bytes, ciphertext: bytes) -> PersonRecord:
        try:
            plain = self._aead.decrypt(nonce, ciphertext, record_id.encode("utf-8"))
        except InvalidTag:
            raise IntegrityError(
                f"vault record {record_id} does not open: wrong key, or the row was altered"
            ) from None
        record = PersonRecord.from_bytes(plain)
        if record.id != record_id:
            raise IntegrityError(f"vault record {record_id} holds another record's data")
        return record
