"""The agreement terms a fleet plan must respect, in the planner's minutes.

Paced links become `Pacing` values as they stand, staged links `Staging`
values (stage ends, and the partner arrivals each stage waits for). A window
term gives, for each day from its first to its last, the hours its movements
may run; those become intervals in minutes after the scenario's start. Window hours are read
in the scenario's local time (the agreement and scenario of one operation
share a time zone). Suspensions and caps act on an operation as it runs and
are the simulator's concern, not the plan's.

A term over a movement group (the two towns of one side counted together)
is shared out among the group's movements in proportion to their people: a
plan books vehicles per movement, so each movement gets its share of every
stage and of the pace, waiting on each partner movement's share. A plan
that meets every share meets the group's term.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta

from corridor.domain.agreement.terms import Agreement, PacedLink, StagedLink
from corridor.domain.agreement.terms import Window as WindowTerm
from corridor.planning.model import Pacing, Staging, Window


def _shares(
    agreement: Agreement, name: str, people: Mapping[str, int]
) -> tuple[tuple[str, float], ...]:
    """(movement, share of the group's people) for a group; (name, 1.0) for a movement."""
    members = agreement.members(name)
    if len(members) == 1:
        return ((members[0], 1.0),)
    total = sum(people.get(m, 0) for m in members)
    return tuple((m, people.get(m, 0) / total if total else 1 / len(members)) for m in members)


def pacings_of(agreement: Agreement, people: Mapping[str, int] | None = None) -> tuple[Pacing, ...]:
    """Every paced link of the agreement as planning pacings (one per pair of movements)."""
    out: list[Pacing] = []
    for t in agreement.terms:
        if not isinstance(t, PacedLink):
            continue
        for mine, share in _shares(agreement, t.movement, people or {}):
            for theirs, partner_share in _shares(agreement, t.linked, people or {}):
                ratio = t.ratio * share / partner_share if partner_share else t.ratio
                allowance = math.ceil(t.allowance * share)
                out.append(Pacing(mine, theirs, ratio, allowance))
    return tuple(out)


def stagings_of(
    agreement: Agreement, people: Mapping[str, int] | None = None
) -> tuple[Staging, ...]:
    """Every staged link: the movement's stage ends and the partner arrivals each needs.

    The agreement counts the partner's people confirmed arrived by its monitor;
    a plan counts them arrived at their destination. `people` (per movement)
    shares out terms over movement groups.
    """
    people = people or {}
    out: list[Staging] = []
    for t in agreement.terms:
        if not isinstance(t, StagedLink):
            continue
        ends, needs = t.movement_ends(), t.linked_ends()
        for mine, share in _shares(agreement, t.movement, people):
            own = _part(ends, share, people.get(mine))
            for theirs, partner_share in _shares(agreement, t.linked, people):
                wanted = tuple(
                    min(math.ceil(n * partner_share), people.get(theirs, n)) for n in needs
                )
                out.append(Staging(mine, theirs, own, wanted if partner_share < 1 else needs))
    return tuple(out)


def _part(ends: tuple[int, ...], share: float, total: int | None) -> tuple[int, ...]:
    """A movement's share of stage ends; its last end covers it all when the group's does."""
    if share >= 1:
        return ends
    part = [round(end * share) for end in ends]
    if total is not None and part and part[-1] >= total - 1:
        part[-1] = total
    return tuple(part)


def windows_of(agreement: Agreement, start: str) -> dict[str, tuple[Window, ...]]:
    """Each movement's windows in minutes after `start` (ISO 8601 local time)."""
    zero = datetime.fromisoformat(start).replace(tzinfo=None)
    found: dict[str, list[Window]] = {}
    for term in agreement.terms:
        if not isinstance(term, WindowTerm):
            continue
        day = term.first_day
        while day <= term.last_day:
            midnight = datetime(day.year, day.month, day.day)
            opens = midnight + timedelta(minutes=term.opens)
            closes = midnight + timedelta(minutes=term.closes)
            if term.overnight:
                closes += timedelta(days=1)
            open_minute = (opens - zero).total_seconds() / 60
            close_minute = (closes - zero).total_seconds() / 60
            if close_minute > 0:
                for movement in (m for name in term.movements for m in agreement.members(name)):
                    found.setdefault(movement, []).append(
                        Window(max(0.0, open_minute), close_minute)
                    )
            day += timedelta(days=1)
    return {m: _merged(ws) for m, ws in sorted(found.items())}


def _merged(windows: list[Window]) -> tuple[Window, ...]:
    """Touching or overlapping windows joined, so a run may span midnight of open days."""
    merged: list[Window] = []
    for w in sorted(windows, key=lambda w: (w.open, w.close)):
        if merged and w.open <= merged[-1].close:
            last = merged[-1]
            merged[-1] = Window(last.open, max(last.close, w.close))
        else:
            merged.append(w)
    return tuple(merged)
