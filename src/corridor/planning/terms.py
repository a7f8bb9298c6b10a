"""The agreement terms a fleet plan must respect, in the planner's minutes.

Paced links become `Pacing` values as they stand, staged links `Staging`
values (stage ends, and the partner arrivals each stage waits for). A window
term gives, for each day from its first to its last, the hours its movements
may run; those become intervals in minutes after the scenario's start. Window hours are read
in the scenario's local time (the agreement and scenario of one operation
share a time zone). Suspensions and caps act on an operation as it runs and
are the simulator's concern, not the plan's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from corridor.domain.agreement.terms import Agreement, PacedLink, StagedLink
from corridor.domain.agreement.terms import Window as WindowTerm
from corridor.planning.model import Pacing, Staging, Window


def pacings_of(agreement: Agreement) -> tuple[Pacing, ...]:
    """Every paced link of the agreement as a planning pacing."""
    return tuple(
        Pacing(t.movement, t.linked, t.ratio, t.allowance)
        for t in agreement.terms
        if isinstance(t, PacedLink)
    )


def stagings_of(agreement: Agreement) -> tuple[Staging, ...]:
    """Every staged link: the movement's stage ends and the partner arrivals each needs.

    The agreement counts the partner's people confirmed arrived by its monitor;
    a plan counts them arrived at their destination.
    """
    return tuple(
        Staging(t.movement, t.linked, t.movement_ends(), t.linked_ends())
        for t in agreement.terms
        if isinstance(t, StagedLink)
    )


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
                for movement in term.movements:
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
