"""Defects a deal can have even when every reference resolves.

Errors make a deal unusable: two links that wait on each other (a stage
cycle) can never release anyone. Warnings flag terms that can never be
satisfied, suspensions nobody listed can lift, stages that promise more
people than a movement has, and windows that overlap with different hours.

Reachability is a least fixpoint: starting from nobody moved, each movement
advances as far as its links, caps and population allow given how far the
others have got, until nothing changes. A movement left short of its people
is stuck on the terms that bind it; if those terms lead back to it, that is
a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import combinations

from corridor.domain.agreement.terms import (
    Agreement,
    Cap,
    PacedLink,
    StagedLink,
    Suspension,
    Term,
    Window,
)
from corridor.domain.scenario import Role, Scenario

ERROR = "error"
WARNING = "warning"
MAX_ROUNDS = 100_000


@dataclass(frozen=True, slots=True)
class Defect:
    """One defect: where in the agreement (`terms[3].stages`), how bad, and what."""

    path: str
    severity: str
    message: str


def analyse(agreement: Agreement, scenario: Scenario) -> list[Defect]:
    """Every structural defect of a deal whose references already resolve."""
    index = {id(t): i for i, t in enumerate(agreement.terms)}
    defects = _links(agreement, scenario, index)
    defects += _windows(agreement, scenario, index)
    defects += _suspensions(agreement, scenario, index)
    defects += _stage_totals(agreement, scenario, index)
    return defects


def _people(scenario: Scenario, agreement: Agreement | None = None) -> dict[str, int]:
    """People per movement, and per movement group of the agreement (its members' sum)."""
    people = {m.id: scenario.people(m.id) for m in scenario.movements}
    for group in agreement.movement_groups if agreement is not None else ():
        people[group.id] = sum(people.get(m, 0) for m in group.movements)
    return people


def _grouped(agreement: Agreement, figures: dict[str, int]) -> dict[str, int]:
    """`figures` with each movement group held to the sum of its movements' figures."""
    for group in agreement.movement_groups:
        if group.id in figures:
            total = sum(figures.get(m, 0) for m in group.movements)
            figures[group.id] = min(figures[group.id], total)
    return figures


def _ceiling(term: Term, reach: dict[str, int]) -> int | None:
    """How far `term` lets its movement go, given how far every movement has got."""
    if isinstance(term, StagedLink):
        linked = reach.get(term.linked, 0)
        allowed = 0
        for end, needed in zip(term.movement_ends(), term.linked_ends(), strict=True):
            if needed > linked:
                break
            allowed = end
        return allowed
    if isinstance(term, PacedLink):
        return term.ceiling(reach.get(term.linked, 0))
    return None


def _reach(agreement: Agreement, targets: dict[str, int]) -> dict[str, int]:
    links = [t for t in agreement.terms if isinstance(t, StagedLink | PacedLink)]
    reach = dict.fromkeys(targets, 0)
    for _ in range(MAX_ROUNDS):
        advanced = dict(targets)
        for term in links:
            ceiling = _ceiling(term, reach)
            if ceiling is not None and term.movement in advanced:
                advanced[term.movement] = min(advanced[term.movement], ceiling)
        # A group goes no further than its movements; a term on the group
        # bounds their sum, which is the group's own figure.
        advanced = _grouped(agreement, advanced)
        if advanced == reach:
            break
        reach = {m: max(reach[m], advanced[m]) for m in reach}
    return reach


def _targets(agreement: Agreement, scenario: Scenario) -> dict[str, int]:
    """People each movement could move if no link held it back (caps and stages apply)."""
    targets = _people(scenario, agreement)
    for term in agreement.terms:
        if isinstance(term, Cap) and term.group is None and term.movement in targets:
            targets[term.movement] = min(targets[term.movement], term.limit)
        if isinstance(term, StagedLink) and term.movement in targets:
            ends = term.movement_ends()
            targets[term.movement] = min(targets[term.movement], ends[-1] if ends else 0)
    return _grouped(agreement, targets)


def reachable(agreement: Agreement, scenario: Scenario) -> dict[str, int]:
    """How many people of each movement the links, caps and stages ever let go."""
    return _reach(agreement, _targets(agreement, scenario))


def _links(agreement: Agreement, scenario: Scenario, index: dict[int, int]) -> list[Defect]:
    targets = _targets(agreement, scenario)
    reach = _reach(agreement, targets)
    stuck = {m for m in targets if reach[m] < targets[m]}
    binding: dict[str, list[StagedLink | PacedLink]] = {}
    for term in agreement.terms:
        if isinstance(term, StagedLink | PacedLink) and term.movement in stuck:
            ceiling = _ceiling(term, reach)
            if ceiling is not None and ceiling <= reach[term.movement]:
                binding.setdefault(term.movement, []).append(term)
    defects: list[Defect] = []
    reported: set[str] = set()
    for movement in sorted(binding):
        for term in binding[movement]:
            cycle = _cycle(term, binding)
            where = f"terms[{index[id(term)]}]"
            if cycle:
                if term.id in reported:
                    continue
                reported.update(t.id for t in cycle)
                chain = " -> ".join(f"{t.id} ({t.movement} <- {t.linked})" for t in cycle)
                message = (
                    f"stage cycle: {chain} wait on each other, so {movement} can never move "
                    f"beyond {reach[movement]:,} of {targets[movement]:,}"
                )
                defects.append(Defect(f"{where}.linked", ERROR, message))
            else:
                message = (
                    f"{term.id} can never be satisfied in full: {movement} stops at "
                    f"{reach[movement]:,} of {targets[movement]:,} because {term.linked} can "
                    f"reach only {reach.get(term.linked, 0):,}"
                )
                defects.append(Defect(where, WARNING, message))
    return defects


def _cycle(
    start: StagedLink | PacedLink, binding: dict[str, list[StagedLink | PacedLink]]
) -> list[StagedLink | PacedLink]:
    """The chain of binding links from `start` back to its own movement, if any."""
    path: list[StagedLink | PacedLink] = [start]
    seen = {start.movement}

    def walk(term: StagedLink | PacedLink) -> bool:
        for nxt in binding.get(term.linked, []):
            if nxt.linked == start.movement:
                path.append(nxt)
                return True
            if nxt.movement in seen:
                continue
            seen.add(nxt.movement)
            path.append(nxt)
            if walk(nxt):
                return True
            path.pop()
        return False

    if start.linked == start.movement:
        return path
    return path if walk(start) else []


def _windows(agreement: Agreement, scenario: Scenario, index: dict[int, int]) -> list[Defect]:
    windows = [t for t in agreement.terms if isinstance(t, Window)]
    defects: list[Defect] = []
    start = _scenario_day(scenario)
    for window in windows:
        if start is not None and window.last_day < start:
            message = (
                f"{window.id} can never be satisfied: it ends {window.last_day.isoformat()}, "
                f"before the operation starts {start.isoformat()}"
            )
            defects.append(Defect(f"terms[{index[id(window)]}].until", WARNING, message))
    for a, b in combinations(windows, 2):
        shared = sorted(set(a.movements) & set(b.movements))
        overlap = a.first_day <= b.last_day and b.first_day <= a.last_day
        if (
            shared
            and overlap
            and (a.opens, a.closes, a.timezone) != (b.opens, b.closes, b.timezone)
        ):
            message = (
                f"{a.id} and {b.id} both govern {', '.join(shared)} on "
                f"{max(a.first_day, b.first_day).isoformat()}.."
                f"{min(a.last_day, b.last_day).isoformat()} with different hours "
                f"({a.hours} vs {b.hours}); a movement may move inside either"
            )
            defects.append(Defect(f"terms[{index[id(b)]}].hours", WARNING, message))
    return defects


def _scenario_day(scenario: Scenario) -> date | None:
    try:
        return date.fromisoformat(scenario.start[:10])
    except ValueError:
        return None


def _suspensions(agreement: Agreement, scenario: Scenario, index: dict[int, int]) -> list[Defect]:
    roles = {o.id: o.role for o in scenario.organisations}
    defects: list[Defect] = []
    for term in agreement.terms:
        if not isinstance(term, Suspension):
            continue
        able = [g for g in term.lifted_by if is_guarantor(agreement, roles, g)]
        if len(able) < term.needed:
            message = (
                f"{term.id} can never be lifted: it needs {term.needed} resumes but only "
                f"{len(able)} of its listed organisations are guarantors"
                + (f" ({', '.join(able)})" if able else "")
            )
            defects.append(Defect(f"terms[{index[id(term)]}].lifted_by", WARNING, message))
    return defects


def is_guarantor(agreement: Agreement, roles: dict[str, Role], organisation: str) -> bool:
    """Guarantors are those the agreement lists, or, if it lists none, the scenario's."""
    if agreement.guarantors:
        return organisation in agreement.guarantors
    return roles.get(organisation) is Role.GUARANTOR


def _stage_totals(agreement: Agreement, scenario: Scenario, index: dict[int, int]) -> list[Defect]:
    people = _people(scenario, agreement)
    defects: list[Defect] = []
    for term in agreement.terms:
        if not isinstance(term, StagedLink):
            continue
        sides = (
            (term.movement, term.movement_ends()),
            (term.linked, term.linked_ends()),
        )
        for movement, ends in sides:
            total = ends[-1] if ends else 0
            if total > people.get(movement, 0):
                message = (
                    f"{term.id}'s stages total {total:,} people of {movement}, more than the "
                    f"{people.get(movement, 0):,} the scenario has waiting"
                )
                defects.append(Defect(f"terms[{index[id(term)]}].stages", WARNING, message))
    return defects
