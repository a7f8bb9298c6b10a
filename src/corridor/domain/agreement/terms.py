"""The deal's clauses as values: windows, staged and paced links, suspensions, priority, caps.

Every term carries the id a negotiator cites (T1, T2, ...) and its clause in
words. Figures are already resolved to whole people when a term is built (a
stage of "half of east Aleppo" is stored as 17,500 with that phrase kept as
its label), so the engine never needs the scenario to read a term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from corridor.domain.scenario import Group

MINUTES_PER_DAY = 24 * 60


class TermKind(StrEnum):
    """The six kinds of clause the engine understands."""

    WINDOW = "window"
    STAGED_LINK = "staged-link"
    PACED_LINK = "paced-link"
    SUSPENSION = "suspension"
    PRIORITY = "priority"
    CAP = "cap"


def clock(minute: int) -> str:
    """Minutes after midnight as HH:MM; 1440 reads as 24:00 (end of the day)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class Window:
    """Movements may move only on these dates and, each day, only in these hours.

    `opens`/`closes` are minutes after local midnight; `closes` may be 1440. When
    `closes <= opens` the hours run past midnight and belong to the day they open.
    """

    id: str
    text: str
    movements: tuple[str, ...]
    first_day: date
    last_day: date
    opens: int = 0
    closes: int = MINUTES_PER_DAY
    timezone: str = ""
    """Empty means the agreement's time zone."""

    kind = TermKind.WINDOW

    @property
    def label(self) -> str:
        return f"window for {', '.join(self.movements)}"

    @property
    def hours(self) -> str:
        return f"{clock(self.opens)}-{clock(self.closes)}"

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens

    @property
    def minutes_open_per_day(self) -> int:
        if self.overnight:
            return MINUTES_PER_DAY - self.opens + self.closes
        return self.closes - self.opens


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of a staged exchange: how many people of each side it covers."""

    movement_people: int
    linked_people: int
    movement_label: str = ""
    """How the deal put this side's figure, when not as a number ("50%", "the rest")."""
    linked_label: str = ""
    note: str = ""
    """What the stage was reported as, in words."""


@dataclass(frozen=True, slots=True)
class StagedLink:
    """Stage k of `movement` is released only once stage k of `linked` is confirmed.

    Stages partition each side's cumulative count in order: stage k of a side
    covers the people after the first k-1 stages. A stage whose linked side is 0
    is released without condition. Confirmation counts only when recorded by
    the monitor named in `confirmed_by`.
    """

    id: str
    text: str
    movement: str
    linked: str
    confirmed_by: str
    stages: tuple[Stage, ...]

    kind = TermKind.STAGED_LINK

    @property
    def label(self) -> str:
        return f"staged link {self.movement} <- {self.linked}"

    def movement_ends(self) -> tuple[int, ...]:
        """Cumulative people of `movement` at the end of each stage."""
        return _running(s.movement_people for s in self.stages)

    def linked_ends(self) -> tuple[int, ...]:
        """Cumulative people of `linked` that must be confirmed to release each stage."""
        return _running(s.linked_people for s in self.stages)


@dataclass(frozen=True, slots=True)
class PacedLink:
    """cumulative(movement) <= ratio x cumulative(linked) + allowance, at every dispatch."""

    id: str
    text: str
    movement: str
    linked: str
    ratio: float
    allowance: int = 0

    kind = TermKind.PACED_LINK

    @property
    def label(self) -> str:
        ratio = f"{self.ratio:g}"
        return f"paced link {self.movement} <= {ratio} x {self.linked} + {self.allowance:,}"

    def ceiling(self, linked_people: int) -> int:
        """Most people of `movement` allowed when `linked_people` have gone."""
        return int(self.ratio * linked_people + 1e-9) + self.allowance


@dataclass(frozen=True, slots=True)
class Suspension:
    """A verified incident of these kinds, at least this severe, halts the movements.

    The halt stands until `needed` of the guarantors in `lifted_by` record a
    resume. `corridor` empty means an incident on any corridor counts;
    `incident_kinds` empty means every kind counts; `sites` empty, any site.
    """

    id: str
    text: str
    movements: tuple[str, ...]
    lifted_by: tuple[str, ...]
    needed: int
    incident_kinds: tuple[str, ...] = ()
    min_severity: int = 1
    corridor: str = ""
    sites: tuple[str, ...] = ()
    """When given, only incidents at one of these sites count."""

    kind = TermKind.SUSPENSION

    @property
    def label(self) -> str:
        return f"suspension of {', '.join(self.movements)}"

    def matches(self, kind: str, severity: int, corridor: str, site: str = "") -> bool:
        """Whether an incident of this kind, severity, corridor and site triggers the term."""
        return (
            severity >= self.min_severity
            and (not self.incident_kinds or kind in self.incident_kinds)
            and (not self.corridor or corridor == self.corridor)
            and (not self.sites or site in self.sites)
        )


@dataclass(frozen=True, slots=True)
class Priority:
    """These groups leave first; optionally, no household is split across trips."""

    id: str
    text: str
    movements: tuple[str, ...]
    first: tuple[Group, ...]
    keep_households: bool = False
    pace: str = "strict"
    """`strict`: nobody else leaves while one of `first` waits. `proportional`:
    the share of `first` moved never falls behind the share of everyone else."""

    kind = TermKind.PRIORITY

    @property
    def label(self) -> str:
        return f"priority for {', '.join(g.value for g in self.first) or 'households'}"


@dataclass(frozen=True, slots=True)
class Cap:
    """At most `limit` people (of `group`, or of every group) leave with `movement`."""

    id: str
    text: str
    movement: str
    limit: int
    group: Group | None = None

    kind = TermKind.CAP

    @property
    def label(self) -> str:
        who = self.group.value if self.group else "people"
        return f"cap on {who} in {self.movement}"


Term = Window | StagedLink | PacedLink | Suspension | Priority | Cap


@dataclass(frozen=True, slots=True)
class MovementGroup:
    """Movements a deal counts together: the two towns of each side of an exchange.

    A staged link, paced link or cap naming the group counts the people of
    all its movements as one figure (dispatched, and confirmed); a window,
    suspension or priority naming it applies to each of its movements.
    """

    id: str
    movements: tuple[str, ...]
    name: str = ""


@dataclass(frozen=True)
class Agreement:
    """The deal: who signed it, who guarantees and monitors it, and its terms.

    Parties, guarantors and monitors are organisation ids from the scenario.
    """

    id: str
    name: str
    version_note: str
    timezone: str
    terms: tuple[Term, ...]
    parties: tuple[str, ...] = ()
    guarantors: tuple[str, ...] = ()
    monitors: tuple[str, ...] = ()
    description: str = ""
    incident_kinds: tuple[str, ...] = ()
    """The incident kinds the deal names (its closed vocabulary, with the scenario's)."""
    movement_groups: tuple[MovementGroup, ...] = ()
    """Movements counted together by terms that name the group's id."""

    def members(self, name: str) -> tuple[str, ...]:
        """The movements a name in a term stands for: a group's, or the movement itself."""
        for group in self.movement_groups:
            if group.id == name:
                return group.movements
        return (name,)

    def term(self, term_id: str) -> Term:
        for t in self.terms:
            if t.id == term_id:
                return t
        raise KeyError(term_id)


def _running(values: Iterable[int]) -> tuple[int, ...]:
    total = 0
    ends: list[int] = []
    for value in values:
        total += value
        ends.append(total)
    return tuple(ends)
