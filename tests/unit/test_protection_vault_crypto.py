"""Person records are sealed with AES-256-GCM and found by a keyed blind index."""

from __future__ import annotations

import dataclasses

import pytest

from corridor.errors import IntegrityError, InvalidInput
from corridor.protection.keys import MasterKey
from corridor.protection.person import PersonRecord
from corridor.protection.vault_crypto import VaultCipher, normalise_name

AMAL = PersonRecord(
    id="person-1",
    full_name="Amal Haddad",
    sex="female",
    date_of_birth="1988-03-14",
    household="hh-7",
    vulnerabilities=("pregnant",),
    consent=True,
    phone="+963 944 000 111",
)


def test_a_sealed_record_opens_to_the_same_record() -> None:
    """Seal then open gives back every field."""
    cipher = VaultCipher(MasterKey.generate())
    sealed = cipher.seal(AMAL)
    assert cipher.open(AMAL.id, sealed.nonce, sealed.ciphertext) == AMAL


def test_the_ciphertext_holds_no_plaintext() -> None:
    """Neither the name nor the phone number appears in the stored bytes."""
    sealed = VaultCipher(MasterKey.generate()).seal(AMAL)
    stored = sealed.nonce + sealed.ciphertext + sealed.blind_index.encode()
    for secret in (b"Amal", b"Haddad", b"944 000", b"1988-03-14"):
        assert secret not in stored


def test_each_seal_uses_a_fresh_nonce() -> None:
    """Sealing the same record twice gives different nonces and ciphertexts."""
    cipher = VaultCipher(MasterKey.generate())
    first, second = cipher.seal(AMAL), cipher.seal(AMAL)
    assert first.nonce != second.nonce
    assert first.ciphertext != second.ciphertext


def test_a_ciphertext_moved_to_another_record_id_does_not_open() -> None:
    """The record id is associated data: swapping rows is detected."""
    cipher = VaultCipher(MasterKey.generate())
    sealed = cipher.seal(AMAL)
    with pytest.raises(IntegrityError, match="person-2"):
        cipher.open("person-2", sealed.nonce, sealed.ciphertext)


def test_another_key_does_not_open_a_record() -> None:
    """A record sealed under one key fails to open under another."""
    sealed = VaultCipher(MasterKey.generate()).seal(AMAL)
    with pytest.raises(IntegrityError, match="wrong key"):
        VaultCipher(MasterKey.generate()).open(AMAL.id, sealed.nonce, sealed.ciphertext)


def test_a_flipped_bit_is_detected() -> None:
    """Any change to the ciphertext makes it fail to open."""
    cipher = VaultCipher(MasterKey.generate())
    sealed = cipher.seal(AMAL)
    damaged = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]
    with pytest.raises(IntegrityError):
        cipher.open(AMAL.id, sealed.nonce, damaged)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Amal Haddad", "  amal   HADDAD "),
        ("José Núñez", "jose nunez"),
        ("مُحَمَّد", "محمد"),
        ("محـــمد", "محمد"),
    ],
)
def test_spellings_of_one_name_share_a_blind_index(one: str, other: str) -> None:
    """Case, spacing, accents, Arabic short vowels and tatweel do not change the index."""
    cipher = VaultCipher(MasterKey.generate())
    assert normalise_name(one) == normalise_name(other)
    assert cipher.blind_index(one) == cipher.blind_index(other)


def test_the_blind_index_depends_on_the_key_and_the_name() -> None:
    """Other names or another key give another index; the index is not the name's hash."""
    key = MasterKey.generate()
    cipher = VaultCipher(key)
    assert cipher.blind_index("Amal Haddad") != cipher.blind_index("Amal Hadad")
    assert cipher.blind_index("Amal Haddad") != VaultCipher(MasterKey.generate()).blind_index(
        "Amal Haddad"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"full_name": " "}, "needs a name"),
        ({"age": 131}, "between 0 and 130"),
        ({"date_of_birth": "14/03/1988"}, "ISO date"),
    ],
)
def test_an_invalid_person_record_is_refused(change: dict[str, object], message: str) -> None:
    """Blank names, impossible ages and malformed dates are refused."""
    with pytest.raises(InvalidInput, match=message):
        dataclasses.replace(AMAL, **change)  # type: ignore[arg-type]
