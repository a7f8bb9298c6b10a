"""How far each staged or paced link has got: both sides' figures, the stage, hold or block.

The deal panel draws these as progress bars. The figures are the very ones
the engine reads when it decides the next dispatch (`checks.staged` and
`checks.paced`): the movement side's people dispatched, placed in the stage
the next trip would belong to, and the linked side's people confirmed by the
link's monitor (staged) or dispatched (paced). A link *holds* when the next
person of its movement may leave as far as this link is concerned, and
*blocks* otherwise; `case` says which of the few cases it is, with the
figures, so a page can word it in any language.
"""

from __future__ import annotations

from dataclasses import dataclass

from corridor.domain.agreement.checks import stage_of
from corridor.domain.agreement.state import AgreementState
from corridor.domain.agreement.terms import PacedLink, StagedLink

RELEASED_WITHOUT_CONDITION = "released-without-condition"
"""Staged: the stage asks nothing of the linked side."""
RELEASED = "released"
"""Staged: the linked side's stage is confirmed in full."""
AWAITING_CONFIRMATION = "awaiting-confirmation"
"""Staged: the linked side's stage is not yet confirmed in full (blocks)."""
STAGES_COVERED = "stages-covered"
"""Staged: every stage of the movement has gone (blocks)."""
WITHIN_PACE = "within-pace"
"""Paced: room for more people under the ceiling."""
AT_CEILING = "at-ceiling"
"""Paced: the movement has reached what the linked side's progress allows (blocks)."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a link: its people counted against the stage's (or pace's) figure."""

    movement: str
    counts: str
    """What is counted: `dispatched`, or `confirmed` (by the link's monitor)."""
    done: int
    """People counted towards `figure` (within the current stage, for a staged link)."""
    figure: int
    """The stage's figure for this side, or the paced ceiling."""
    dispatched: int
    """People of this movement dispatched so far, every stage together."""
    confirmed: int
    """People of this movement confirmed by the link's monitor so far (0 for a paced link)."""
    total: int
    """Everyone the scenario has for this movement."""

    @property
    def share(self) -> float | None:
        """`done` as a share of `figure`; None when the figure is 0 (nothing asked)."""
        return min(self.done / self.figure, 1.0) if self.figure else None


@dataclass(frozen=True, slots=True)
class LinkProgress:
    """One staged or paced link now: both sides, the stage, and whether it holds and why."""

    term: str
    kind: str
    movement: Side
    linked: Side
    holds: bool
    case: str
    """Which of the cases below it is: a closed code, never free text."""
    monitor: str = ""
    stage: int = 0
    """1-based current stage (0 for a paced link)."""
    stages: int = 0
    ratio: float = 0.0
    allowance: int = 0


def link_progress(state: AgreementState) -> list[LinkProgress]:
    """Every staged and paced link of the deal, in agreement order."""
    found: list[LinkProgress] = []
    for term in state.rules.agreement.terms:
        if isinstance(term, StagedLink):
            found.append(_staged(state, term))
        elif isinstance(term, PacedLink):
            found.append(_paced(state, term))
    return found


def _staged(state: AgreementState, link: StagedLink) -> LinkProgress:
    ends, linked_ends = link.movement_ends(), link.linked_ends()
    monitor = link.confirmed_by
    dispatched = state.people(link.movement)
    stage = stage_of(ends, dispatched + 1)
    covered = stage > len(ends)
    shown = min(stage, len(ends))
    confirmed = state.confirmed_by(link.linked, monitor)
    if shown == 0:  # a link without stages releases nobody
        start = end = linked_start = linked_end = 0
    else:
        start = ends[shown - 2] if shown > 1 else 0
        end = ends[shown - 1]
        linked_start = linked_ends[shown - 2] if shown > 1 else 0
        linked_end = linked_ends[shown - 1]
    this = Side(
        link.movement,
        "dispatched",
        _within(dispatched, start, end),
        end - start,
        dispatched,
        state.confirmed_by(link.movement, monitor),
        state.rules.people(link.movement),
    )
    other = Side(
        link.linked,
        "confirmed",
        _within(confirmed, linked_start, linked_end),
        linked_end - linked_start,
        state.people(link.linked),
        confirmed,
        state.rules.people(link.linked),
    )
    if covered:
        holds, reason = False, STAGES_COVERED
    elif other.figure == 0:
        holds, reason = True, RELEASED_WITHOUT_CONDITION
    elif confirmed >= linked_end:
        holds, reason = True, RELEASED
    else:
        holds, reason = False, AWAITING_CONFIRMATION
    return LinkProgress(
        link.id, str(link.kind), this, other, holds, reason, monitor, shown, len(ends)
    )


def _paced(state: AgreementState, link: PacedLink) -> LinkProgress:
    dispatched = state.people(link.movement)
    linked = state.people(link.linked)
    ceiling = link.ceiling(linked)
    total = state.rules.people(link.movement)
    linked_total = state.rules.people(link.linked)
    this = Side(link.movement, "dispatched", dispatched, ceiling, dispatched, 0, total)
    other = Side(link.linked, "dispatched", linked, linked_total, linked, 0, linked_total)
    holds = dispatched < ceiling
    return LinkProgress(
        link.id,
        str(link.kind),
        this,
        other,
        holds,
        WITHIN_PACE if holds else AT_CEILING,
        ratio=link.ratio,
        allowance=link.allowance,
    )


def _within(people: int, start: int, end: int) -> int:
    """People of a cumulative count that fall inside the stage (start, end]."""
    return min(max(people - start, 0), end - start)
