"""Anchoring the chain: what a sound chain must also agree with to be the whole ledger.

A hash chain alone proves order and integrity, not completeness: cut its
last rows, empty it, or rewrite it from row k with every later hash
recomputed, and what is left is again a sound chain. So `verify` also takes
facts kept outside the database, and checks the chain against them:

- an expected head (`--expect-head HASH`): the chain must end exactly there;
  one that stops short of it (rows cut), holds it nowhere (rewritten) or goes
  on past it (events appended since, forged or not) is named as such;
- signed checkpoints (`--checkpoints FILE`): each one says "the event at
  sequence N had hash H", signed with a key the database never holds. The
  chain must hold every checkpoint's hash at its sequence, and must not go
  past the newest one: events after it are signed by nobody, which is what
  an appended forgery looks like.

This module is the comparison, pure; signatures are checked by the adapter
that reads the checkpoint file (`corridor.adapters.ledger.checkpoints`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from corridor.domain.events import Head

__all__ = ["Anchor", "anchor_problems", "checkpoint_message"]

CHECKPOINT_FORM = "corridor-checkpoint-1"


@dataclass(frozen=True)
class Anchor:
    """One fact from outside the database: the event at `sequence` has `hash`."""

    sequence: int
    hash: str
    source: str
    """Where the fact came from, for the message (a checkpoint file line, the option)."""


def checkpoint_message(sequence: int, digest: str, signed_at: str) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    return (
        f'{{"form":"{CHECKPOINT_FORM}","hash":"{digest}",'
        f'"sequence":{sequence},"signed_at":"{signed_at}"}}'
    ).encode("ascii")


def anchor_problems(
    head: Head,
    hashes: Mapping[int, str],
    anchors: Iterable[Anchor],
    expect_head: str | None = None,
) -> list[str]:
    """What a sound chain ending at `head` disagrees with; empty when anchored.

    `hashes` maps each anchored sequence the chain holds to its stored hash;
    `anchors` are the checkpoints (newest last or not: order does not matter).
    """
    problems: list[str] = []
    if expect_head is not None:
        problems.extend(_expected_head(head, hashes, expect_head))
    newest: Anchor | None = None
    for anchor in anchors:
        if newest is None or anchor.sequence > newest.sequence:
            newest = anchor
        found = hashes.get(anchor.sequence)
        if anchor.sequence > head.sequence:
            problems.append(
                f"{anchor.source}: sequence {anchor.sequence} was signed, but the ledger "
                f"ends at {head.sequence} (events removed)"
            )
        elif found != anchor.hash:
            problems.append(
                f"{anchor.source}: sequence {anchor.sequence} was signed with hash "
                f"{anchor.hash[:16]}..., the ledger holds {str(found)[:16]}... there "
                "(rewritten from there or before)"
            )
    if newest is not None and head.sequence > newest.sequence:
        count = head.sequence - newest.sequence
        problems.append(
            f"{count} event(s) after the newest checkpoint (sequence {newest.sequence}, "
            f"{newest.source}) are signed by nobody: sequences {newest.sequence + 1} to "
            f"{head.sequence} (appended since; sign them with 'corridor ledger checkpoint' "
            "if they are genuine)"
        )
    return problems


def _expected_head(head: Head, hashes: Mapping[int, str], expected: str) -> list[str]:
    if head.hash == expected:
        return []
    where = [sequence for sequence, digest in hashes.items() if digest == expected]
    if where:
        return [
            f"expected head {expected[:16]}... is sequence {where[0]}, but the ledger goes on "
            f"to {head.sequence} (events appended since)"
        ]
    return [
        f"expected head {expected[:16]}... is not in the ledger, which ends at sequence "
        f"{head.sequence} hash {head.hash[:16]}... (events removed or rewritten)"
    ]
