"""The agreement indexed for fast decisions: which terms govern each movement.

Built once per operation from the agreement and its scenario and shared by
every state derived from it, so a decision looks terms up by movement in a
dict instead of scanning the deal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from corridor.domain.agreement.analysis import is_guarantor
from corridor.domain.agreement.terms import (
    Agreement,
    Cap,
    PacedLink,
    Priority,
    StagedLink,
    Suspension,
    Window,
)
from corridor.domain.scenario import Group, Role, Scenario


@dataclass(frozen=True)
class MovementRules:
    """Every term that governs one movement, in agreement order, by kind."""

    windows: tuple[tuple[Window, ZoneInfo, str, str], ...] = ()
    """Each window with its zone and, ready for findings, its days and hours as text."""
    suspensions: tuple[Suspension, ...] = ()
    caps: tuple[Cap, ...] = ()
    staged: tuple[tuple[StagedLink, tuple[int, ...], tuple[int, ...]], ...] = ()
    """Each staged link with its cumulative stage ends (this side, linked side)."""
    paced: tuple[PacedLink, ...] = ()
    priorities: tuple[tuple[Priority, str], ...] = ()
    """Each priority term with its first groups as text."""
    confirmed_for: tuple[tuple[StagedLink, tuple[int, ...]], ...] = ()
    """Staged links that count confirmations of this movement (it is their linked side)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Term id -> its label, worded once here rather than on every decision."""


@dataclass(frozen=True)
class Rulebook:
    """The agreement plus the scenario facts the engine needs, indexed by movement."""

    agreement: Agreement
    movements: dict[str, MovementRules]
    groups: dict[str, frozenset[Group]]
    corridor: dict[str, str]
    corridor_sites: dict[str, frozenset[str]]
    population: dict[tuple[str, Group], int]
    roles: dict[str, Role]
    suspensions: dict[str, Suspension]
    totals: dict[str, int] = field(default_factory=dict)
    """People per movement, every group together (and per movement group, its members')."""
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Movement group id -> the movements it counts together."""

    @classmethod
    def build(cls, agreement: Agreement, scenario: Scenario) -> Rulebook:
        """Index `agreement` over `scenario`; both must already be validated together."""
        default_zone = ZoneInfo(agreement.timezone or scenario.timezone)
        per: dict[str, dict[str, list[object]]] = {m.id: {} for m in scenario.movements}

        def add(name: str, key: str, value: object) -> None:
            # A term naming a movement group governs each of its movements.
            for movement in agreement.members(name):
                per.setdefault(movement, {}).setdefault(key, []).append(value)

        for term in agreement.terms:
            if isinstance(term, Window):
                zone = ZoneInfo(term.timezone) if term.timezone else default_zone
                span = f"{term.first_day.isoformat()}..{term.last_day.isoformat()}"
                for m in term.movements:
                    add(m, "windows", (term, zone, span, term.hours))
            elif isinstance(term, Suspension):
                for m in term.movements:
                    add(m, "suspensions", term)
            elif isinstance(term, Cap):
                add(term.movement, "caps", term)
            elif isinstance(term, StagedLink):
                add(term.movement, "staged", (term, term.movement_ends(), term.linked_ends()))
                add(term.linked, "confirmed_for", (term, term.linked_ends()))
            elif isinstance(term, PacedLink):
                add(term.movement, "paced", term)
            else:
                first = ", ".join(g.value for g in term.first)
                for m in term.movements:
                    add(m, "priorities", (term, first))
        labels = {t.id: t.label for t in agreement.terms}
        movements = {
            m: MovementRules(
                **{k: tuple(v) for k, v in kinds.items()},  # type: ignore[arg-type]
                labels=labels,
            )
            for m, kinds in per.items()
        }
        corridors = {c.id: frozenset(c.sites) for c in scenario.corridors}
        population: dict[tuple[str, Group], int] = {}
        for p in scenario.populations:
            population[(p.movement, p.group)] = population.get((p.movement, p.group), 0) + p.count
        totals = {m.id: scenario.people(m.id) for m in scenario.movements}
        members = {g.id: g.movements for g in agreement.movement_groups}
        for group, inside in members.items():
            totals[group] = sum(totals.get(m, 0) for m in inside)
            for m in inside:
                for g in Group:
                    key = (group, g)
                    population[key] = population.get(key, 0) + population.get((m, g), 0)
        return cls(
            agreement=agreement,
            movements=movements,
            groups={m.id: frozenset(m.groups) for m in scenario.movements},
            corridor={m.id: m.corridor for m in scenario.movements},
            corridor_sites={
                m.id: corridors.get(m.corridor, frozenset()) for m in scenario.movements
            },
            population=population,
            roles={o.id: o.role for o in scenario.organisations},
            suspensions={t.id: t for t in agreement.terms if isinstance(t, Suspension)},
            totals=totals,
            members=members,
        )

    def is_monitor(self, organisation: str) -> bool:
        return (
            organisation in self.agreement.monitors or self.roles.get(organisation) is Role.MONITOR
        )

    def is_guarantor(self, organisation: str) -> bool:
        return is_guarantor(self.agreement, self.roles, organisation)

    def can_lift(self, term: Suspension, organisation: str) -> bool:
        """Only guarantors the term names may resume what it halted."""
        return organisation in term.lifted_by and self.is_guarantor(organisation)

    def people(self, movement: str) -> int:
        """Everyone the scenario has waiting for a movement."""
        return self.totals.get(movement, 0)
