"""Figures with sources: the ledger's own count beside what others claim.

In Aleppo the parties' counts of people evacuated differed by thousands and
each was quoted without its source. Here a figure is always one of the
ledger's counts (waiting, in transit, arrived, exits), and every claim about
it is recorded with who made it, in what capacity, and when. The view puts
them side by side with the difference, and never blends them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from corridor.domain.custody import Tally


class Figure(StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    IN_TRANSIT = "in-transit"
    ARRIVED = "arrived"
    EXITS = "exits"


class Claimant(StrEnum):
    PARTY = "party"
    GUARANTOR = "guarantor"
    AGENCY = "agency"


@dataclass(frozen=True)
class ClaimRecorded:
    """Someone other than the ledger stated a figure, at a time, with a source."""

    TYPE: ClassVar[str] = "figure-claimed"
    movement: str
    figure: Figure
    value: int
    claimant: Claimant
    by: str
    source: str
    stated_at: str


@dataclass(frozen=True)
class ClaimView:
    by: str
    claimant: Claimant
    value: int
    source: str
    stated_at: str
    difference: int
    """Claim minus the ledger's count: positive when the claim is higher."""


@dataclass(frozen=True)
class FigureView:
    movement: str
    figure: Figure
    ledger: int
    claims: tuple[ClaimView, ...]


def ledger_value(tallies: Iterable[Tally], movement: str, figure: Figure) -> int:
    picked = [t for t in tallies if t.movement == movement]
    match figure:
        case Figure.REGISTERED:
            return sum(t.registered for t in picked)
        case Figure.WAITING:
            return sum(t.waiting for t in picked)
        case Figure.IN_TRANSIT:
            return sum(t.in_transit for t in picked)
        case Figure.ARRIVED:
            return sum(t.arrived for t in picked)
        case Figure.EXITS:
            return sum(t.exits for t in picked)


def side_by_side(
    tallies: Iterable[Tally], claims: Iterable[ClaimRecorded], movements: Iterable[str]
) -> list[FigureView]:
    """Every figure of every movement: the ledger's count, then each claim in time order."""
    tallies = list(tallies)
    claims = list(claims)
    views = []
    for movement in sorted(set(movements) | {c.movement for c in claims}):
        for figure in Figure:
            own = ledger_value(tallies, movement, figure)
            about = sorted(
                (c for c in claims if c.movement == movement and c.figure is figure),
                key=lambda c: (c.stated_at, c.by),
            )
            views.append(
                FigureView(
                    movement,
                    figure,
                    own,
                    tuple(
                        ClaimView(c.by, c.claimant, c.value, c.source, c.stated_at, c.value - own)
                        for c in about
                    ),
                )
            )
    return views
