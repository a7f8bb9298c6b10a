"""Allowed or blocked, without the findings: the yes/no of `decide` for a dispatch.

A simulated run asks the deal tens of thousands of times whether a load may
leave and reads only the yes or no; building every finding with its figures
and words for that would be most of the run's cost. `dispatch_allowed` asks
the movement's `Permit` (the load-independent part of the decision, as plain
numbers) about the load, building no finding. It must agree with
`decide(state, trip).allowed` on every state and request: keep the permit in
step with `checks` (a property test compares them).
"""

from __future__ import annotations

from corridor.domain.agreement.permit import dispatch_permit
from corridor.domain.agreement.requests import DispatchTrip
from corridor.domain.agreement.state import AgreementState


def dispatch_allowed(state: AgreementState, trip: DispatchTrip) -> bool:
    """`decide(state, trip).allowed`, without building the decision."""
    whole = all(h.aboard == h.size for h in trip.households)
    return dispatch_permit(state, trip.movement, trip.at).allows(state, trip.load, whole)
