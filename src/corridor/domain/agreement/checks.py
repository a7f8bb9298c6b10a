"""One check per kind of term: what a term says about moving people of a movement now.

Each check returns findings (passed or not) with the figures it used and a
reason in words. They read the state and never change it. Reasons are
templates with arguments, rendered only when read: deciding is on the hot
path of the simulator, explaining is not.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from corridor.domain.agreement.decisions import Figure, Finding
from corridor.domain.agreement.requests import DispatchTrip
from corridor.domain.agreement.rulebook import MovementRules
from corridor.domain.agreement.state import AgreementState
from corridor.domain.agreement.terms import StagedLink, Window

ONE_DAY = timedelta(days=1)
PROPORTIONAL = "proportional"


def rules_people(state: AgreementState, movement: str) -> int:
    """Everyone the scenario has for a movement (cached on the rulebook)."""
    return state.rules.people(movement)


def inside(window: Window, zone: ZoneInfo, at: datetime) -> tuple[bool, str]:
    """Whether `at` falls in the window, and the local time it was judged at."""
    local = at.astimezone(zone)
    return _inside_local(window, local), local.isoformat(" ", "minutes")[:16]


def in_window(window: Window, zone: ZoneInfo, at: datetime) -> bool:
    """Whether `at` falls in the window (`inside` without the words)."""
    return _inside_local(window, at.astimezone(zone))


def _inside_local(window: Window, local: datetime) -> bool:
    minute = local.hour * 60 + local.minute
    day = local.date()
    if window.overnight:
        if minute >= window.opens:
            return window.first_day <= day <= window.last_day
        if minute < window.closes:
            return window.first_day <= day - ONE_DAY <= window.last_day
        return False
    in_hours = window.opens <= minute < window.closes
    return in_hours and window.first_day <= day <= window.last_day


def windows(rules: MovementRules, movement: str, at: datetime) -> list[Finding]:
    """A movement may move inside any one of its windows; none governs if it has none."""
    misses: list[Finding] = []
    for window, zone, span, hours in rules.windows:
        ok, shown = inside(window, zone, at)
        figures: tuple[tuple[str, Figure], ...] = (
            ("local_time", shown),
            ("days", span),
            ("hours", hours),
        )
        if ok:
            return [
                Finding(
                    window.id,
                    window.kind,
                    rules.labels[window.id],
                    True,
                    "{} is inside {}, {}",
                    (shown, span, hours),
                    figures,
                )
            ]
        misses.append(
            Finding(
                window.id,
                window.kind,
                rules.labels[window.id],
                False,
                "{} is outside {}, {} for {}",
                (shown, span, hours, movement),
                figures,
            )
        )
    return misses


def suspensions(state: AgreementState, rules: MovementRules, movement: str) -> list[Finding]:
    """Each suspension term over the movement blocks while one of its halts stands."""
    standing = state.halts_on(movement)
    findings: list[Finding] = []
    for term in rules.suspensions:
        mine = [h for h in standing if h[0] == term.id] if standing else []
        if not mine:
            findings.append(
                Finding(
                    term.id,
                    term.kind,
                    rules.labels[term.id],
                    True,
                    "no verified incident halts {}",
                    (movement,),
                )
            )
            continue
        _, incident_id = mine[0]
        incident = state.incidents[incident_id]
        resumed = sorted(state.halts[mine[0]])
        figures: tuple[tuple[str, Figure], ...] = (
            ("incidents", [h[1] for h in mine]),
            ("resumed_by", resumed),
            ("resumes_needed", term.needed),
        )
        template = (
            "{} halted by verified incident {} ({}, severity {}, {}); "
            "resumed by {} of {} needed guarantors" + (" ({})" if resumed else "{}")
        )
        args = (
            movement,
            incident_id,
            incident.kind,
            incident.severity,
            incident.corridor or incident.site,
            len(resumed),
            term.needed,
            ", ".join(resumed),
        )
        findings.append(
            Finding(term.id, term.kind, rules.labels[term.id], False, template, args, figures)
        )
    return findings


def caps(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    findings: list[Finding] = []
    for cap in rules.caps:
        # A cap may name a movement group: its movements' people count together.
        if cap.group is None:
            before, adding, who = state.people(cap.movement), trip.people, "people"
        else:
            before = state.people(cap.movement, cap.group)
            adding, who = trip.people_of(cap.group), cap.group.value
        after = before + adding
        ok = after <= cap.limit
        findings.append(
            Finding(
                cap.id,
                cap.kind,
                rules.labels[cap.id],
                ok,
                "{:,} {} of {} after this trip, {} the cap of {:,}",
                (after, who, cap.movement, "within" if ok else "over", cap.limit),
                (("before", before), ("this_trip", adding), ("after", after), ("cap", cap.limit)),
            )
        )
    return findings


def stage_of(ends: tuple[int, ...], people: int) -> int:
    """1-based stage holding the `people`-th person; len(ends)+1 when beyond every stage."""
    for index, end in enumerate(ends):
        if people <= end:
            return index + 1
    return len(ends) + 1


def staged(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    """Stage k of the movement needs stage k of the linked side confirmed by the named monitor.

    A trip belongs to the stage of the first person it carries: a vehicle is
    not split at a stage boundary, so a released stage may be overshot by at
    most one load. Judging by the last person instead would stall any stage
    whose size is not a multiple of the loads, and with it the other side.
    """
    findings: list[Finding] = []
    for link, ends, linked_ends in rules.staged:
        # Either side may be a movement group, counted as the sum of its movements.
        before = state.people(link.movement)
        after = before + trip.people
        stage = stage_of(ends, before + 1)
        if stage > len(ends):
            covered = ends[-1] if ends else 0
            findings.append(
                Finding(
                    link.id,
                    link.kind,
                    rules.labels[link.id],
                    False,
                    "its stages cover {:,} of {}, and {:,} have gone",
                    (covered, link.movement, before),
                    (("stage", stage), ("after", after), ("covered", covered)),
                )
            )
            continue
        findings.append(
            _stage_finding(
                state, link, stage, linked_ends, after, link.movement, rules.labels[link.id]
            )
        )
    return findings


def _stage_finding(
    state: AgreementState,
    link: StagedLink,
    stage: int,
    linked_ends: tuple[int, ...],
    after: int,
    movement: str,
    label: str,
) -> Finding:
    start = linked_ends[stage - 2] if stage > 1 else 0
    quota = linked_ends[stage - 1] - start
    confirmed = state.confirmed_by(link.linked, link.confirmed_by)
    in_stage = min(max(confirmed - start, 0), quota)
    ok = confirmed >= linked_ends[stage - 1]
    figures: tuple[tuple[str, Figure], ...] = (
        ("stage", stage),
        ("after", after),
        ("linked_confirmed", in_stage),
        ("linked_needed", quota),
    )
    if quota == 0:
        template = "stage {} of {} is released without condition"
    elif ok:
        template = "stage {} of {} released: stage {} of {} confirmed by {} ({:,} of {:,})"
    else:
        template = "stage {} of {} needs stage {} of {} confirmed by {}; {:,} of {:,} confirmed"
    args = (stage, movement, stage, link.linked, link.confirmed_by, in_stage, quota)
    return Finding(link.id, link.kind, label, ok, template, args, figures)


def paced(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    findings: list[Finding] = []
    for link in rules.paced:
        after = state.people(link.movement) + trip.people
        linked = state.people(link.linked)
        ceiling = link.ceiling(linked)
        ok = after <= ceiling
        findings.append(
            Finding(
                link.id,
                link.kind,
                rules.labels[link.id],
                ok,
                "{:,} of {} after this trip, {} the {:,} allowed by {:,} of {}",
                (after, link.movement, "within" if ok else "over", ceiling, linked, link.linked),
                (("after", after), ("linked", linked), ("ceiling", ceiling)),
            )
        )
    return findings


def priorities(state: AgreementState, rules: MovementRules, trip: DispatchTrip) -> list[Finding]:
    """Priority groups must all be gone before others leave; households travel whole."""
    findings: list[Finding] = []
    population = state.rules.population
    for term, first in rules.priorities:
        others = sum(n for g, n in trip.load if g not in term.first)
        waiting = 0
        first_total = first_after = 0
        for group in term.first:
            total = population.get((trip.movement, group), 0)
            after = state.people(trip.movement, group) + trip.people_of(group)
            waiting += max(total - after, 0)
            first_total += total
            first_after += after
        behind = False
        if term.pace == PROPORTIONAL and others and waiting:
            # Shares compared by cross-multiplying, so no rounding decides.
            everyone = rules_people(state, trip.movement)
            others_after = state.people(trip.movement) + trip.people - first_after
            behind = others_after * first_total > first_after * (everyone - first_total)
            waiting = waiting if behind else 0
        split = (
            sorted(h.household for h in trip.households if h.aboard != h.size)
            if term.keep_households and trip.households
            else []
        )
        ok = (others == 0 or waiting == 0) and not split
        args: tuple[object, ...]
        if split:
            template, args = "households {} would be split across trips", (", ".join(split),)
        elif others and waiting and behind:
            template = "{} of {} would fall behind everyone else ({:,} still wait)"
            args = (first, trip.movement, waiting)
        elif others and waiting:
            template = "{:,} {} of {} still wait to leave first"
            args = (waiting, first, trip.movement)
        elif others and term.pace == PROPORTIONAL and first_total > first_after:
            template = "{} of {} stay at least as far along as everyone else"
            args = (first, trip.movement)
        elif others:
            template = "no {} of {} left waiting" if first else "households travel whole"
            args = (first, trip.movement) if first else ()
        else:
            template = "this trip carries only {}" if first else "households travel whole"
            args = (first,) if first else ()
        figures: tuple[tuple[str, Figure], ...] = (
            ("priority_waiting", waiting),
            ("others_aboard", others),
            ("split", split),
        )
        findings.append(
            Finding(term.id, term.kind, rules.labels[term.id], ok, template, args, figures)
        )
    return findings
