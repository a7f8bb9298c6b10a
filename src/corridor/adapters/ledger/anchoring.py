"""`verify` with anchors: the chain checked, then held against facts from outside it.

First the chain itself (`LedgerStore.verify`); if it is sound, one more pass
reads the stored hash at every anchored sequence (and where an expected head
sits, if anywhere), and `corridor.domain.anchor.anchor_problems` compares.
The head with its newest checkpoint is also what `GET /ledger/head` shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from corridor.adapters.ledger.checkpoints import (
    Checkpoint,
    latest_checkpoint,
    load_public_key,
    read_checkpoints,
)
from corridor.domain.anchor import Anchor, anchor_problems
from corridor.domain.chain import VerifyReport
from corridor.domain.events import Head
from corridor.errors import InvalidInput
from corridor.services.ports import LedgerStore

__all__ = ["AnchoredReport", "SignedHead", "signed_head", "verify_anchored"]


@dataclass(frozen=True)
class AnchoredReport:
    """The chain's report, and what it disagrees with outside the database."""

    chain: VerifyReport
    anchor_problems: list[str] = field(default_factory=list)
    anchored: bool = False
    """True when at least one outside fact was given (and so checked)."""

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.anchor_problems

    def as_dict(self) -> dict[str, object]:
        return {
            **self.chain.as_dict(),
            "ok": self.ok,
            "anchored": self.anchored,
            "anchor_problems": self.anchor_problems,
        }


def _hashes_at(store: LedgerStore, wanted: set[int], find: str | None) -> dict[int, str]:
    found: dict[int, str] = {}
    if not wanted and find is None:
        return found
    for event in store.read():
        if event.sequence in wanted or event.hash == find:
            found[event.sequence] = event.hash
    return found


def verify_anchored(
    store: LedgerStore,
    expect_head: str | None = None,
    checkpoints: Path | None = None,
    public_key: Path | None = None,
) -> AnchoredReport:
    """Verify the chain, then against `expect_head` and the signed `checkpoints`."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    if checkpoints is not None:
        if public_key is None:
            raise InvalidInput(
                "--checkpoints needs --public-key FILE: the key that signed them "
                "(KEY.pub, written by 'corridor ledger keygen')"
            )
        anchors, problems = read_checkpoints(checkpoints, load_public_key(public_key))
    chain = store.verify()
    given = expect_head is not None or checkpoints is not None
    if not chain.ok:
        return AnchoredReport(chain, problems, given)
    hashes = _hashes_at(store, {a.sequence for a in anchors}, expect_head)
    problems.extend(anchor_problems(chain.head, hashes, anchors, expect_head))
    return AnchoredReport(chain, problems, given)


@dataclass(frozen=True)
class SignedHead:
    """The ledger's head now, and the newest checkpoint in the witness file (if any)."""

    head: Head
    checkpoint: Checkpoint | None

    def as_dict(self) -> dict[str, object]:
        return {
            "sequence": self.head.sequence,
            "hash": self.head.hash,
            "checkpoint": None if self.checkpoint is None else self.checkpoint.as_dict(),
        }


def signed_head(store: LedgerStore, checkpoints: Path | None) -> SignedHead:
    """The head and its latest signature, for the API and for `ledger head`."""
    latest = None if checkpoints is None else latest_checkpoint(checkpoints)
    return SignedHead(store.head(), latest)
