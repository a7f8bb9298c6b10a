"""Decisions about duplicate candidates, folded from the ledger: merged, kept apart, reversed.

A merge says two person ids are one person (the `duplicate` id is folded
into the `kept` one); "kept apart" says two ids are different people, so the
pair is not proposed again. Either decision is reversed by a later event
naming it, never by changing the first: the ledger keeps who decided what,
when, and who undid it. Every event names person ids only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from corridor.domain.event_types import PEOPLE_DECISION_REVERSED as DECISION_REVERSED
from corridor.domain.event_types import PEOPLE_KEPT_APART, PEOPLE_MERGED

DECISION_EVENTS = frozenset({PEOPLE_MERGED, PEOPLE_KEPT_APART, DECISION_REVERSED})


@dataclass(frozen=True)
class Decision:
    id: str
    kind: str
    """`merged` or `kept-apart`."""
    people: tuple[str, str]
    """For a merge: (kept, duplicate); for kept apart: the two ids, sorted."""
    by: str
    sequence: int


@dataclass
class Decisions:
    """Decisions in force, by id, and what they imply for candidates."""

    active: dict[str, Decision] = field(default_factory=dict)
    reversed: dict[str, Decision] = field(default_factory=dict)

    def apply(self, event_type: str, data: Mapping[str, Any], actor: str, sequence: int) -> None:
        if event_type == PEOPLE_MERGED:
            people = (str(data["kept"]), str(data["duplicate"]))
            self.active[data["decision"]] = Decision(
                data["decision"], "merged", people, actor, sequence
            )
        elif event_type == PEOPLE_KEPT_APART:
            left, right = sorted(str(p) for p in data["people"])
            self.active[data["decision"]] = Decision(
                data["decision"], "kept-apart", (left, right), actor, sequence
            )
        elif event_type == DECISION_REVERSED:
            undone = self.active.pop(data["decision"], None)
            if undone is not None:
                self.reversed[undone.id] = undone

    def merged_into(self) -> dict[str, str]:
        """Each merged-away id -> the id it was merged into."""
        return {d.people[1]: d.people[0] for d in self.active.values() if d.kind == "merged"}

    def decided_pairs(self) -> set[tuple[str, str]]:
        """Pairs (sorted) that a decision in force settles either way."""
        return {(min(d.people), max(d.people)) for d in self.active.values()}


def fold_decisions(events: Iterable[tuple[str, Mapping[str, Any], str, int]]) -> Decisions:
    """Decisions from (type, data, actor, sequence) of an operation's events, in order."""
    state = Decisions()
    for event_type, data, actor, sequence in events:
        if event_type in DECISION_EVENTS:
            state.apply(event_type, data, actor, sequence)
    return state
