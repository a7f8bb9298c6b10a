"""Signed checkpoints of the ledger's head, kept in a witness file apart from the database.

A checkpoint is one JSON line: the head's sequence and hash, when it was
signed, the signing key's id and an Ed25519 signature over exactly those
facts (`corridor.domain.anchor.checkpoint_message`). The signing key is a
file of its own (`corridor ledger keygen`), never in the database, so whoever
can edit the database cannot sign a rewritten or extended chain; the auditor
needs only the public key (`KEY.pub`, base64 of its 32 raw bytes).

The witness file only grows (one line per checkpoint, appended and fsynced);
copying it off the machine, or to the auditor, is the export. Why Ed25519 and
a file rather than a table: docs/decisions/0017-anchored-ledger.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from corridor.adapters.bounded_files import read_bounded_text
from corridor.domain.anchor import CHECKPOINT_FORM, Anchor, checkpoint_message
from corridor.domain.events import Head
from corridor.errors import CorridorError, InvalidInput, NotFound

__all__ = [
    "Checkpoint",
    "SigningKey",
    "append_checkpoint",
    "latest_checkpoint",
    "load_public_key",
    "read_checkpoints",
    "signing_key_exposure",
    "write_signing_key",
]

MAX_WITNESS_BYTES = 256 * 1024 * 1024
"""A witness file of a million checkpoints is about 250 MB."""


def key_id(public: Ed25519PublicKey) -> str:
    """A short public name for a key: the first 16 hex digits of SHA-256 of its raw bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_text(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True, repr=False)
class SigningKey:
    """The private key that signs checkpoints; `repr` never shows it."""

    private: Ed25519PrivateKey

    def __repr__(self) -> str:
        return f"SigningKey({self.id})"

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def id(self) -> str:
        return key_id(self.public)

    @classmethod
    def load(cls, path: Path) -> SigningKey:
        """The signing key in `path` (PKCS #8 PEM, as `write_signing_key` made it)."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFound(
                f"signing key file {path} not found; make one with 'corridor ledger keygen'"
            ) from None
        except OSError as error:
            raise InvalidInput(f"signing key file {path} cannot be read: {error}") from None
        try:
            private = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            raise InvalidInput(f"signing key file {path} holds no private key") from None
        if not isinstance(private, Ed25519PrivateKey):
            raise InvalidInput(f"signing key file {path} is not an Ed25519 key")
        return cls(private)


def signing_key_exposure(path: Path) -> str | None:
    """A warning when group or others may read or write the signing key; None when private."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return (
        f"signing key file {path} is open to others (mode {mode:04o}); anyone who can read "
        f"it can sign a rewritten ledger: chmod 600 {path}"
    )


def write_signing_key(path: Path) -> SigningKey:
    """A new key in `path` (0600) and its public half in `path.pub`; never overwrites."""
    public_path = Path(f"{path}.pub")
    for target in (path, public_path):
        if target.exists():
            raise InvalidInput(f"{target} already exists; a key file is never overwritten")
    if not path.parent.is_dir():
        raise InvalidInput(f"cannot write signing key {path}: folder does not exist")
    key = SigningKey(Ed25519PrivateKey.generate())
    pem = key.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    public_path.write_text(public_text(key.public) + "\n", encoding="ascii")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The public key in `path`: base64 of 32 raw bytes (what `keygen` writes as KEY.pub)."""
    text = read_bounded_text(path, 1024, "public key file")
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            f"public key file {path} is not base64 of 32 bytes (an Ed25519 public key)"
        ) from None


@dataclass(frozen=True)
class Checkpoint:
    """One signed head, as a line of the witness file."""

    sequence: int
    hash: str
    signed_at: str
    key: str
    signature: str

    def line(self) -> str:
        return json.dumps(
            {
                "form": CHECKPOINT_FORM,
                "hash": self.hash,
                "key": self.key,
                "sequence": self.sequence,
                "signature": self.signature,
                "signed_at": self.signed_at,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "sequence": self.sequence,
            "hash": self.hash,
            "signed_at": self.signed_at,
            "key": self.key,
            "signature": self.signature,
        }


def sign_head(key: SigningKey, head: Head, signed_at: str) -> Checkpoint:
    signature = key.private.sign(checkpoint_message(head.sequence, head.hash, signed_at))
    return Checkpoint(
        head.sequence, head.hash, signed_at, key.id, base64.b64encode(signature).decode("ascii")
    )


def append_checkpoint(path: Path, key: SigningKey, head: Head, signed_at: str) -> Checkpoint:
    """Sign `head` and append it to the witness file (created 0600 if new), fsynced."""
    checkpoint = sign_head(key, head, signed_at)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(descriptor, (checkpoint.line() + "\n").encode("ascii"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise CorridorError(f"cannot write checkpoints {path}: {error.strerror or error}") from None
    return checkpoint


def _parse(line: str, where: str) -> Checkpoint:
    try:
        row = json.loads(line)
        if row.get("form") != CHECKPOINT_FORM:
            raise ValueError("form")
        checkpoint = Checkpoint(
            row["sequence"], row["hash"], row["signed_at"], row["key"], row["signature"]
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InvalidInput(f"{where}: not a checkpoint line") from None
    if not (
        type(checkpoint.sequence) is int
        and all(
            isinstance(v, str)
            for v in (checkpoint.hash, checkpoint.signed_at, checkpoint.key, checkpoint.signature)
        )
    ):
        raise InvalidInput(f"{where}: not a checkpoint line")
    return checkpoint


def _lines(path: Path) -> Iterator[tuple[str, str]]:
    text = read_bounded_text(path, MAX_WITNESS_BYTES, "checkpoints file")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield f"{path}:{number}", line


def read_checkpoints(path: Path, public: Ed25519PublicKey) -> tuple[list[Anchor], list[str]]:
    """The checkpoints whose signature holds under `public`, and a problem per one that fails."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    for where, line in _lines(path):
        checkpoint = _parse(line, where)
        try:
            signature = base64.b64decode(checkpoint.signature, validate=True)
            public.verify(
                signature,
                checkpoint_message(checkpoint.sequence, checkpoint.hash, checkpoint.signed_at),
            )
        except (InvalidSignature, binascii.Error, ValueError):
            problems.append(
                f"{where}: signature does not hold under key {key_id(public)} "
                "(checkpoint forged or changed)"
            )
            continue
        anchors.append(Anchor(checkpoint.sequence, checkpoint.hash, where))
    if not anchors and not problems:
        problems.append(f"{path}: holds no checkpoint")
    return anchors, problems


def latest_checkpoint(path: Path) -> Checkpoint | None:
    """The newest line of the witness file (signature not checked); None if there is none."""
    if not path.exists():
        return None
    last: Checkpoint | None = None
    for where, line in _lines(path):
        checkpoint = _parse(line, where)
        if last is None or checkpoint.sequence >= last.sequence:
            last = checkpoint
    return last
