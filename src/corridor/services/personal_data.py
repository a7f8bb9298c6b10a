"""Use cases for personal data: register, look up, read (audited) and erase.

The ledger records that a person was registered, read or erased, by whom and
why, but only ever by person id. Every read of a record appends its audit
event before the record is returned: a read that cannot be recorded does not
happen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from corridor.domain.clock import Clock, SystemClock, format_instant
from corridor.domain.event_types import PERSON_ERASED, PERSON_REGISTERED, PERSONAL_DATA_READ
from corridor.domain.events import NewEvent
from corridor.domain.operation import operation_stream
from corridor.errors import IntegrityError, InvalidInput, NotFound
from corridor.protection.access import Permission, Principal
from corridor.protection.keys import MasterKey
from corridor.protection.person import PersonRecord, new_person_id
from corridor.protection.vault_crypto import VaultCipher
from corridor.services.ports import LedgerStore
from corridor.services.protection_ports import PersonVault, StoredPerson

MAX_PURPOSE = 500


@dataclass
class PersonalData:
    """The vault, the ledger and the key, for one process."""

    ledger: LedgerStore
    vault: PersonVault
    key: MasterKey
    clock: Clock | None = None

    def __post_init__(self) -> None:
        self._cipher = VaultCipher(self.key)
        self._check = self.key.check

    def _now(self) -> str:
        return format_instant((self.clock or SystemClock()).now())

    def register(
        self,
        who: Principal,
        operation: str,
        record: PersonRecord,
        idempotency_key: str | None = None,
    ) -> str:
        """Seal and store a record under a new random id; returns the id."""
        who.require(Permission.WRITE_PERSONAL, operation)
        # A retried registration must rebuild the very same event, so with an
        # idempotency key the id comes from the key; without one it is random.
        person = _person_id(operation, idempotency_key)
        if idempotency_key is None or self.vault.get(operation, person) is None:
            record = replace(record, id=person)
            self.vault.put(self.sealed(operation, record), self._now())
        event = NewEvent(
            operation_stream(operation),
            PERSON_REGISTERED,
            {"operation": operation, "person": person},
        )
        self.ledger.append([event], actor=who.actor, idempotency_key=idempotency_key)
        return person

    def sealed(self, operation: str, record: PersonRecord) -> StoredPerson:
        """A record as the vault stores it: ciphertext, blind index and keyed name keys."""
        return StoredPerson(
            record.id,
            operation,
            self._cipher.seal(record),
            self._check,
            self._cipher.name_keys(record.full_name, record.other_name),
        )

    @property
    def cipher(self) -> VaultCipher:
        return self._cipher

    def open_stored(self, stored: StoredPerson) -> PersonRecord:
        """Decrypt a row already read under an audit event (see `open_many`, `registry`)."""
        if stored.key_check != self._check:
            raise IntegrityError(
                "the vault key in use is not the key these records were sealed with"
            )
        return self._cipher.open(stored.person, stored.sealed.nonce, stored.sealed.ciphertext)

    def read(self, who: Principal, operation: str, person: str, purpose: str) -> PersonRecord:
        """Open one record, after recording who read it and why."""
        who.require(Permission.READ_PERSONAL, operation)
        purpose = _purpose(purpose)
        stored = self.vault.get(operation, person)
        if stored is None:
            raise NotFound(f"no person {person} in operation {operation} (or erased)")
        if stored.key_check != self._check:
            raise IntegrityError(
                "the vault key in use is not the key these records were sealed with"
            )
        self.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PERSONAL_DATA_READ,
                    {"operation": operation, "person": person, "purpose": purpose},
                )
            ],
            actor=who.actor,
        )
        return self._cipher.open(person, stored.sealed.nonce, stored.sealed.ciphertext)

    def open_many(
        self, who: Principal, operation: str, people: Sequence[str], purpose: str
    ) -> list[PersonRecord]:
        """Open several records under one audit event (who, which records, why).

        Every id is checked before anything is recorded or decrypted: an
        unknown id names itself and nothing is read.
        """
        who.require(Permission.READ_PERSONAL, operation)
        purpose = _purpose(purpose)
        stored: list[StoredPerson] = []
        for person in people:
            found = self.vault.get(operation, person)
            if found is None:
                raise NotFound(f"no person {person} in operation {operation} (or erased)")
            if found.key_check != self._check:
                raise IntegrityError(
                    "the vault key in use is not the key these records were sealed with"
                )
            stored.append(found)
        self.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PERSONAL_DATA_READ,
                    {
                        "operation": operation,
                        "person": None,
                        "people": list(people),
                        "purpose": purpose,
                    },
                )
            ],
            actor=who.actor,
        )
        return [
            self._cipher.open(item.person, item.sealed.nonce, item.sealed.ciphertext)
            for item in stored
        ]

    def find(self, who: Principal, operation: str, name: str, purpose: str) -> list[str]:
        """Ids of people registered under exactly this name (after normalising)."""
        who.require(Permission.READ_PERSONAL, operation)
        purpose = _purpose(purpose)
        found = self.vault.find(operation, self._cipher.blind_index(name))
        self.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PERSONAL_DATA_READ,
                    {"operation": operation, "person": None, "purpose": purpose, "matches": found},
                )
            ],
            actor=who.actor,
        )
        return found

    def find_spellings(self, who: Principal, operation: str, name: str, purpose: str) -> list[str]:
        """Ids of people whose name has every part of `name` in some spelling or script.

        "Muhammad Ahmed" finds "Mohammed Ahmad" and "محمد أحمد": the parts'
        sound keys are compared as keyed blind indexes; nothing is decrypted.
        """
        who.require(Permission.READ_PERSONAL, operation)
        purpose = _purpose(purpose)
        keys = self._cipher.name_keys(name)
        if not keys:
            raise InvalidInput("the name to look up has no Arabic or Latin letters")
        found = self.vault.find_by_name_keys(operation, keys)
        self.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PERSONAL_DATA_READ,
                    {"operation": operation, "person": None, "purpose": purpose, "matches": found},
                )
            ],
            actor=who.actor,
        )
        return found

    def erase(self, who: Principal, operation: str, person: str, reason: str) -> None:
        """Delete the record for good; the ledger keeps that it was erased, and why."""
        who.require(Permission.ERASE_PERSONAL, operation)
        reason = _purpose(reason)
        if not self.vault.delete(operation, person):
            raise NotFound(f"no person {person} in operation {operation} (or already erased)")
        self.ledger.append(
            [
                NewEvent(
                    operation_stream(operation),
                    PERSON_ERASED,
                    {"operation": operation, "person": person, "reason": reason},
                )
            ],
            actor=who.actor,
        )


def _person_id(operation: str, idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return new_person_id()
    digest = hashlib.sha256(f"{operation}\n{idempotency_key}".encode()).hexdigest()
    return "person-" + digest[:24]


def _purpose(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("state the purpose of reading personal data")
    if len(text) > MAX_PURPOSE:
        raise InvalidInput(f"a stated purpose is at most {MAX_PURPOSE} characters")
    return text
