"""What the deal lets a movement dispatch now, worked out once and reused for many loads.

A simulated run asks the deal thousands of times whether a load may leave,
mostly with figures that have hardly moved. Most of a dispatch decision does
not depend on the load: whether a window is open, whether a halt stands,
which stage the movement is in and whether the other side has released it,
how far caps and paced links let the movement go. A `Permit` holds those
answers as plain numbers (an open or shut door, a ceiling on people
dispatched, per-group ceilings), so judging a load costs a few additions:
only the priority terms read the load against the figures.

A permit also records what would change it (the standing halts, the linked
sides' people for paced links, the movement's next stage boundary, and for a
stage not yet released the confirmations that release it) and says whether
it still `holds` for a later state. Confirmations only ever grow (a
confirmation counts at least one person), so a released stage stays
released and only the releasing count matters. Time is the caller's: a
permit answers for instants its windows judge alike.

`dispatch_allowed` in `allows` is `dispatch_permit(...).allows(...)`: one
code path for the yes or no, held to `decide(...).allowed` by a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from corridor.domain.agreement.checks import PROPORTIONAL, in_window, stage_of
from corridor.domain.agreement.rulebook import MovementRules
from corridor.domain.agreement.state import AgreementState, Halt
from corridor.domain.agreement.terms import Priority
from corridor.domain.scenario import Group

Load = tuple[tuple[Group, int], ...]

_NO_RULES = MovementRules()
_NO_GROUPS: frozenset[Group] = frozenset()


@dataclass(frozen=True, slots=True)
class FirstGroups:
    """A priority term with the movement's fixed figures it reads, looked up once."""

    first: frozenset[Group]
    totals: tuple[tuple[Group, int], ...]
    """Each first group with its people in the scenario."""
    first_total: int
    everyone: int
    proportional: bool
    keep_households: bool

    @classmethod
    def of(cls, state: AgreementState, movement: str, term: Priority) -> FirstGroups:
        population = state.rules.population
        totals = tuple((g, population.get((movement, g), 0)) for g in term.first)
        return cls(
            frozenset(term.first),
            totals,
            sum(n for _, n in totals),
            state.rules.people(movement),
            term.pace == PROPORTIONAL,
            term.keep_households,
        )


@dataclass(frozen=True, slots=True)
class Permit:
    """The load-independent part of a dispatch decision for one movement.

    `open` is False when no load at all may leave (movement unknown, outside
    every window, halted, its stage not released or beyond its stages).
    Otherwise a load may leave when its groups are eligible, it carries
    someone, it keeps the movement within `ceiling` and `group_ceilings`,
    and the priority terms let its groups go.
    """

    movement: str
    open: bool
    eligible: frozenset[Group] = _NO_GROUPS
    ceiling: int | None = None
    """Most people of the movement dispatched once the trip has left (caps, paced links)."""
    group_ceilings: tuple[tuple[Group, int], ...] = ()
    shared_ceilings: tuple[tuple[str, Group | None, int], ...] = ()
    """(movement group, people group or None, most dispatched): terms counting a group."""
    priorities: tuple[FirstGroups, ...] = ()
    halts: tuple[Halt, ...] = ()
    release: tuple[str, str, int] | None = None
    """(linked movement, monitor, count): the confirmations that release a held stage."""
    paced_linked: tuple[int, ...] = ()
    stage_until: int | None = None
    """The permit holds while fewer people than this have been dispatched (a stage boundary)."""
    shared_stage_until: tuple[tuple[str, int], ...] = ()
    """(movement group, boundary): stage boundaries of staged links counting a group."""

    def outgrown(self, state: AgreementState) -> bool:
        """Whether the movement reached its stage boundary or the releasing count arrived.

        The two changes a permit reads as single numbers; a caller that knows
        no halt and no paced link's figures changed need check only these. A
        boundary of a movement group is read from the group's figure, so a trip
        of another movement of the group outgrows this movement's permit too.
        """
        if self.stage_until is not None and state.people(self.movement) >= self.stage_until:
            return True
        for group, until in self.shared_stage_until:
            if state.people(group) >= until:
                return True
        release = self.release
        return release is not None and state.confirmed_by(release[0], release[1]) >= release[2]

    def holds(self, state: AgreementState) -> bool:
        """Whether `state` gives the same permit (at an instant the windows judge alike)."""
        movement = self.movement
        if state.halts_on(movement) != self.halts or self.outgrown(state):
            return False
        if not self.paced_linked:
            return True
        rules = state.rules.movements.get(movement, _NO_RULES)
        return self.paced_linked == tuple(state.people(link.linked) for link in rules.paced)

    def allows(self, state: AgreementState, load: Load, households_whole: bool = True) -> bool:
        """Whether `load` may leave now; `state` must be one the permit `holds` for."""
        if not self.open:
            return False
        eligible = self.eligible
        people = 0
        for group, n in load:
            if n < 0 or (n and group not in eligible):
                return False
            people += n
        if people <= 0:
            return False
        movement = self.movement
        if self.ceiling is not None and state.people(movement) + people > self.ceiling:
            return False
        for group, limit in self.group_ceilings:
            if state.people(movement, group) + _of(load, group) > limit:
                return False
        for shared, of, most in self.shared_ceilings:
            adding = people if of is None else _of(load, of)
            if state.people(shared, of) + adding > most:
                return False
        for term in self.priorities:
            if not _priority_allows(state, movement, term, load, people, households_whole):
                return False
        return True


def dispatch_permit(state: AgreementState, movement: str, at: datetime) -> Permit:
    """The permit for dispatching people of `movement` at `at`, in `state`."""
    eligible = state.rules.groups.get(movement)
    if eligible is None:
        return Permit(movement, False)
    rules = state.rules.movements.get(movement, _NO_RULES)
    halts = state.halts_on(movement)
    paced_linked = tuple(state.people(link.linked) for link in rules.paced)
    own = state.people(movement)
    stage_until: int | None = None
    shared_until: list[tuple[str, int]] = []
    shut = Permit(movement, False, halts=halts, paced_linked=paced_linked)
    if rules.windows and not any(
        in_window(window, zone, at) for window, zone, _, _ in rules.windows
    ):
        return shut
    if rules.suspensions:
        standing = {h[0] for h in halts}
        if any(term.id in standing for term in rules.suspensions):
            return shut
    for link, ends, linked_ends in rules.staged:
        shared = link.movement != movement
        before = state.people(link.movement) if shared else own
        stage = stage_of(ends, before + 1)
        if stage > len(ends):
            # People only ever leave: beyond the last stage stays beyond it.
            return shut
        needed = linked_ends[stage - 1]
        end = ends[stage - 1]
        if state.confirmed_by(link.linked, link.confirmed_by) < needed:
            return Permit(
                movement,
                False,
                halts=halts,
                release=(link.linked, link.confirmed_by, needed),
                paced_linked=paced_linked,
                stage_until=None if shared else end,
                shared_stage_until=((link.movement, end),) if shared else (),
            )
        if shared:
            shared_until.append((link.movement, end))
        else:
            stage_until = end if stage_until is None else min(stage_until, end)
    limits = [cap.limit for cap in rules.caps if cap.group is None and cap.movement == movement]
    limits += [
        link.ceiling(n)
        for link, n in zip(rules.paced, paced_linked, strict=True)
        if link.movement == movement
    ]
    shared_ceilings = [
        (cap.movement, cap.group, cap.limit) for cap in rules.caps if cap.movement != movement
    ]
    shared_ceilings += [
        (link.movement, None, link.ceiling(n))
        for link, n in zip(rules.paced, paced_linked, strict=True)
        if link.movement != movement
    ]
    return Permit(
        movement,
        True,
        eligible=eligible,
        ceiling=min(limits) if limits else None,
        group_ceilings=tuple(
            (cap.group, cap.limit)
            for cap in rules.caps
            if cap.group is not None and cap.movement == movement
        ),
        shared_ceilings=tuple(shared_ceilings),
        priorities=tuple(FirstGroups.of(state, movement, term) for term, _ in rules.priorities),
        halts=halts,
        paced_linked=paced_linked,
        stage_until=stage_until,
        shared_stage_until=tuple(shared_until),
    )


def _of(load: Load, group: Group) -> int:
    return sum(n for g, n in load if g is group)


def _priority_allows(
    state: AgreementState,
    movement: str,
    term: FirstGroups,
    load: Load,
    people: int,
    households_whole: bool,
) -> bool:
    """Priority groups first (or never behind, paced proportionally); households whole."""
    if term.keep_households and not households_whole:
        return False
    first = term.first
    others = 0
    for group, n in load:
        if group not in first:
            others += n
    if not others:
        return True
    waiting = first_after = 0
    dispatched = state.dispatched
    for group, total in term.totals:
        after = dispatched.get((movement, group), 0)
        for loaded, n in load:
            if loaded is group:
                after += n
        if total > after:
            waiting += total - after
        first_after += after
    if not waiting:
        return True
    if not term.proportional:
        return False
    others_after = state.people(movement) + people - first_after
    # Shares compared by cross-multiplying, so no rounding decides.
    return not others_after * term.first_total > first_after * (term.everyone - term.first_total)
