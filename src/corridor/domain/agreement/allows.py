"""Allowed or blocked, without the findings: the yes/no of `decide` for a dispatch.

A simulated run asks the deal tens of thousands of times whether a load may
leave and reads only the yes or no; building every finding with its figures
and words for that would be most of the run's cost. `dispatch_allowed` walks
the same checks in the same order as `decide` and stops at the first that
blocks, building nothing. It must agree with `decide(state, trip).allowed` on
every state and request: keep it in step with `checks` (a test compares them).
"""

from __future__ import annotations

from corridor.domain.agreement.checks import PROPORTIONAL, in_window, stage_of
from corridor.domain.agreement.requests import DispatchTrip
from corridor.domain.agreement.rulebook import MovementRules
from corridor.domain.agreement.state import AgreementState
from corridor.domain.agreement.terms import Priority

_NO_RULES = MovementRules()


def dispatch_allowed(state: AgreementState, trip: DispatchTrip) -> bool:
    """`decide(state, trip).allowed`, without building the decision."""
    movement = trip.movement
    eligible = state.rules.groups.get(movement)
    if eligible is None:
        return False
    load = trip.load
    if any(n and g not in eligible for g, n in load):
        return False
    people = trip.people
    if people <= 0 or min(n for _, n in load) < 0:
        return False
    rules = state.rules.movements.get(movement, _NO_RULES)
    if rules.windows and not any(
        in_window(window, zone, trip.at) for window, zone, _, _ in rules.windows
    ):
        return False
    if rules.suspensions:
        standing = {h[0] for h in state.halts_on(movement)}
        if any(term.id in standing for term in rules.suspensions):
            return False
    before = state.people(movement)
    after = before + people
    for cap in rules.caps:
        if cap.group is None:
            if after > cap.limit:
                return False
        elif state.people(movement, cap.group) + trip.people_of(cap.group) > cap.limit:
            return False
    for link, ends, linked_ends in rules.staged:
        stage = stage_of(ends, before + 1)
        if stage > len(ends):
            return False
        if state.confirmed_by(link.linked, link.confirmed_by) < linked_ends[stage - 1]:
            return False
    for paced in rules.paced:
        if after > paced.ceiling(state.people(paced.linked)):
            return False
    return all(_priority_allows(state, term, trip) for term, _ in rules.priorities)


def _priority_allows(state: AgreementState, term: Priority, trip: DispatchTrip) -> bool:
    if term.keep_households and any(h.aboard != h.size for h in trip.households):
        return False
    others = sum(n for g, n in trip.load if g not in term.first)
    if not others:
        return True
    population = state.rules.population
    waiting = first_total = first_after = 0
    for group in term.first:
        total = population.get((trip.movement, group), 0)
        after = state.people(trip.movement, group) + trip.people_of(group)
        waiting += max(total - after, 0)
        first_total += total
        first_after += after
    if not waiting:
        return True
    if term.pace != PROPORTIONAL:
        return False
    everyone = state.rules.people(trip.movement)
    others_after = state.people(trip.movement) + trip.people - first_after
    return not others_after * first_total > first_after * (everyone - first_total)
