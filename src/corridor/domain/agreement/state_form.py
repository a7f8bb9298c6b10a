"""An agreement state as plain JSON values and back, for a snapshot of the fold.

The rulebook is not written: it is built again from the adopted deal and its
scenario, as the fold builds it when it meets `agreement-adopted`. What is
written is what events changed (people dispatched and confirmed, incidents,
standing halts, counts), in the state's own order, as lists.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from corridor.domain.agreement.state import AgreementState, Halt, Incident
from corridor.domain.scenario import Group

__all__ = ["state_form", "state_from_form"]

_GROUPS: dict[str, Group] = {g.value: g for g in Group}


def state_form(state: AgreementState) -> dict[str, Any]:
    """What `apply` has changed in `state`, as lists, strings and integers."""
    return {
        "dispatched": [[m, g.value, n] for (m, g), n in state.dispatched.items()],
        "dispatched_total": [[m, n] for m, n in state.dispatched_total.items()],
        "trips": [[m, n] for m, n in state.trips.items()],
        "confirmed": [[m, monitor, n] for (m, monitor), n in state.confirmed.items()],
        "incidents": [
            [i.id, i.kind, i.severity, i.corridor, i.site, i.reporter, i.at, i.status]
            for i in state.incidents.values()
        ],
        "halts": [[term, incident, sorted(by)] for (term, incident), by in state.halts.items()],
        "halted": [[m, [list(h) for h in halts]] for m, halts in state.halted.items()],
        "decisions": state.decisions,
        "events": state.events,
    }


def state_from_form(start: AgreementState, form: dict[str, Any]) -> AgreementState:
    """`start` (a fresh state on the same rulebook) with what `form` recorded."""
    groups = _GROUPS
    halted: dict[str, tuple[Halt, ...]] = {
        m: tuple((term, incident) for term, incident in halts) for m, halts in form["halted"]
    }
    return replace(
        start,
        dispatched={(m, groups[g]): n for m, g, n in form["dispatched"]},
        dispatched_total=dict(form["dispatched_total"]),
        trips=dict(form["trips"]),
        confirmed={(m, monitor): n for m, monitor, n in form["confirmed"]},
        incidents={row[0]: Incident(*row) for row in form["incidents"]},
        halts={(term, incident): frozenset(by) for term, incident, by in form["halts"]},
        halted=halted,
        decisions=form["decisions"],
        events=form["events"],
    )
