"""Allowed or blocked, without the findings: the yes/no of `decide` for a dispatch or confirmation.

A simulated run asks the deal tens of thousands of times whether a load may
leave and reads only the yes or no; building every finding with its figures
and words for that would be most of the run's cost. `dispatch_allowed` asks
the movement's `Permit` (the load-independent part of the decision, as plain
numbers) about the load, building no finding. It must agree with
`decide(state, trip).allowed` on every state and request: keep the permit in
step with `checks` (a property test compares them). `confirmation_allowed`
does the same for a monitor's confirmation of arrivals, which a run makes
after every trip.
"""

from __future__ import annotations

from corridor.domain.agreement.permit import dispatch_permit
from corridor.domain.agreement.requests import ConfirmStage, DispatchTrip
from corridor.domain.agreement.state import AgreementState


def dispatch_allowed(state: AgreementState, trip: DispatchTrip) -> bool:
    """`decide(state, trip).allowed`, without building the decision."""
    whole = all(h.aboard == h.size for h in trip.households)
    return dispatch_permit(state, trip.movement, trip.at).allows(state, trip.load, whole)


def confirmation_allowed(state: AgreementState, confirmation: ConfirmStage) -> bool:
    """`decide(state, confirmation).allowed`, without building the decision.

    A monitor of the agreement confirms at least one more person, and never
    more people of a movement than have been dispatched.
    """
    movement, monitor = confirmation.movement, confirmation.monitor
    if movement not in state.rules.groups or not state.rules.is_monitor(monitor):
        return False
    people = confirmation.people
    if people <= 0:
        return False
    return state.confirmed_by(movement, monitor) + people <= state.people(movement)
