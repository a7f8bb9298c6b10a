"""One check per kind of term: what a term says about moving people of a movement now.

Each check returns findings (passed or not) with the figures it used and a
reason in words. They read the state and never change it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from corridor.domain.agreement.decisions import Finding
from corridor.domain.agreement.requests import DispatchTrip
from corridor.domain.agreement.rulebook import MovementRules
from corridor.domain.agreement.state import AgreementState
from corridor.domain.agreement.terms import StagedLink, Window, clock

ONE_DAY = timedelta(days=1)


def _n(value: int) -> str:
    return f"{value:,}"


def inside(window: Window, zone: ZoneInfo, at: datetime) -> tuple[bool, str]:
    """Whether `at` falls in the window, and the local time it was judged at."""
    local = at.astimezone(zone)
    minute = local.hour * 60 + local.minute
    day = local.date()
    shown = f"{day.isoformat()} {clock(minute)}"
    if window.overnight:
        if minute >= window.opens:
            return window.first_day <= day <= window.last_day, shown
        if minute < window.closes:
            return window.first_day <= day - ONE_DAY <= window.last_day, shown
        return False, shown
    in_hours = window.opens <= minute < window.closes
    return in_hours and window.first_day <= day <= window.last_day, shown


def windows(rules: MovementRules, movement: str, at: datetime) -> list[Finding]:
    """A movement may move inside any one of its windows; none governs if it has none."""
    misses: list[Finding] = []
    for window, zone in rules.windows:
        ok, shown = inside(window, zone, at)
        span = f"{window.first_day.isoformat()}..{window.last_day.isoformat()}"
        figures = (("local_time", shown), ("days", span), ("hours", window.hours))
        if ok:
            reason = f"{shown} is inside {span}, {window.hours}"
            return [Finding(window.id, window.kind, window.label, True, reason, figures)]
        reason = f"{shown} is outside {span}, {window.hours} for {movement}"
        misses.append(Finding(window.id, window.kind, window.label, False, reason, figures))
    return misses


def suspensions(state: AgreementState, rules: MovementRules, movement: str) -> list[Finding]:
    """Each suspension term over the movement blocks while one of its halts stands."""
    standing = state.halts_on(movement)
    findings: list[Finding] = []
    for term in rules.suspensions:
        mine = [h for h in standing if h[0] == term.id]
        if not mine:
            reason = f"no verified incident halts {movement}"
            findings.append(Finding(term.id, term.kind, term.label, True, reason))
            continue
        _, incident_id = mine[0]
        incident = state.incidents[incident_id]
        resumed = sorted(state.halts[mine[0]])
        reason = (
            f"{movement} halted by verified incident {incident_id} ({incident.kind}, "
            f"severity {incident.severity}, {incident.corridor or incident.site}); "
            f"resumed by {len(resumed)} of {term.needed} needed guarantors"
            + (f" ({', '.join(resumed)})" if resumed else "")
        )
        figures: tuple[tuple[str, int | str | list[str]], ...] = (
            ("incidents", [h[1] for h in mine]),
            ("resumed_by", resumed),
            ("resumes_needed", term.needed),
        )
        findings.append(Finding(term.id, term.kind, term.label, False, reason, figures))
    return findings


def caps(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    findings: list[Finding] = []
    for cap in rules.caps:
        if cap.group is None:
            before, adding, who = state.people(trip.movement), trip.people, "people"
        else:
            before = state.people(trip.movement, cap.group)
            adding, who = trip.people_of(cap.group), cap.group.value
        after = before + adding
        ok = after <= cap.limit
        verb = "within" if ok else "over"
        reason = (
            f"{_n(after)} {who} of {trip.movement} after this trip, {verb} the cap of "
            f"{_n(cap.limit)}"
        )
        figures = (("before", before), ("this_trip", adding), ("after", after))
        findings.append(
            Finding(cap.id, cap.kind, cap.label, ok, reason, (*figures, ("cap", cap.limit)))
        )
    return findings


def stage_of(ends: tuple[int, ...], people: int) -> int:
    """1-based stage holding the `people`-th person; len(ends)+1 when beyond every stage."""
    for index, end in enumerate(ends):
        if people <= end:
            return index + 1
    return len(ends) + 1


def staged(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    """Stage k of the movement needs stage k of the linked side confirmed by the named monitor."""
    findings: list[Finding] = []
    after = state.people(trip.movement) + trip.people
    for link, ends, linked_ends in rules.staged:
        stage = stage_of(ends, after)
        if stage > len(ends):
            reason = (
                f"its stages cover {_n(ends[-1] if ends else 0)} of {trip.movement}; "
                f"this trip would bring {_n(after)}"
            )
            figures = (("stage", stage), ("after", after), ("covered", ends[-1] if ends else 0))
            findings.append(Finding(link.id, link.kind, link.label, False, reason, figures))
            continue
        findings.append(_stage_finding(state, link, stage, linked_ends, after, trip.movement))
    return findings


def _stage_finding(
    state: AgreementState,
    link: StagedLink,
    stage: int,
    linked_ends: tuple[int, ...],
    after: int,
    movement: str,
) -> Finding:
    start = linked_ends[stage - 2] if stage > 1 else 0
    quota = linked_ends[stage - 1] - start
    confirmed = state.confirmed_by(link.linked, link.confirmed_by)
    in_stage = min(max(confirmed - start, 0), quota)
    ok = confirmed >= linked_ends[stage - 1]
    figures = (
        ("stage", stage),
        ("after", after),
        ("linked_confirmed", in_stage),
        ("linked_needed", quota),
    )
    if quota == 0:
        reason = f"stage {stage} of {movement} is released without condition"
    elif ok:
        reason = (
            f"stage {stage} of {movement} released: stage {stage} of {link.linked} "
            f"confirmed by {link.confirmed_by} ({_n(in_stage)} of {_n(quota)})"
        )
    else:
        reason = (
            f"stage {stage} of {movement} needs stage {stage} of {link.linked} confirmed by "
            f"{link.confirmed_by}; {_n(in_stage)} of {_n(quota)} confirmed"
        )
    return Finding(link.id, link.kind, link.label, ok, reason, figures)


def paced(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    findings: list[Finding] = []
    after = state.people(trip.movement) + trip.people
    for link in rules.paced:
        linked = state.people(link.linked)
        ceiling = link.ceiling(linked)
        ok = after <= ceiling
        relation = "within" if ok else "over"
        reason = (
            f"{_n(after)} of {trip.movement} after this trip, {relation} the {_n(ceiling)} "
            f"allowed by {_n(linked)} of {link.linked}"
        )
        figures = (("after", after), ("linked", linked), ("ceiling", ceiling))
        findings.append(Finding(link.id, link.kind, link.label, ok, reason, figures))
    return findings


def priorities(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    """Priority groups must all be gone before others leave; households travel whole."""
    findings: list[Finding] = []
    population = state.rules.population
    for term in rules.priorities:
        others = sum(n for g, n in trip.load if g not in term.first)
        waiting = 0
        for group in term.first:
            left = population.get((trip.movement, group), 0) - state.people(trip.movement, group)
            waiting += max(left - trip.people_of(group), 0)
        split = (
            sorted(h.household for h in trip.households if h.aboard != h.size)
            if term.keep_households
            else []
        )
        ok = (others == 0 or waiting == 0) and not split
        first = ", ".join(g.value for g in term.first)
        if split:
            reason = f"households {', '.join(split)} would be split across trips"
        elif others and waiting:
            reason = f"{_n(waiting)} {first} of {trip.movement} still wait to leave first"
        elif others:
            reason = f"no {first} of {trip.movement} left waiting"
        else:
            reason = f"this trip carries only {first}" if first else "households travel whole"
        figures = (("priority_waiting", waiting), ("others_aboard", others), ("split", split))
        findings.append(Finding(term.id, term.kind, term.label, ok, reason, figures))
    return findings
