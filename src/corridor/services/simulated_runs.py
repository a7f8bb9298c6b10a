"""Record one simulated run in a ledger, so it can be inspected like a live operation.

The run's events are the agreement's own (incidents reported and verified,
requests with their decisions, trips dispatched, checkpoints crossed, stages
confirmed, resumes), timed on the scenario's clock. They go on the stream of
a new operation opened under the same agreement, right after its opening
events, in one command: all of it is recorded or none. The ledger then folds
to the agreement state the run ended with, and every reader (API, dashboard,
`corridor ops`) sees it as any other operation.
"""

from __future__ import annotations

from collections.abc import Sequence

from corridor.domain.agreement import AgreementEvent
from corridor.domain.events import AppendResult, NewEvent
from corridor.domain.operation import opening_events, operation_stream
from corridor.domain.scenario import Scenario
from corridor.domain.state import State
from corridor.errors import IntegrityError, InvalidInput
from corridor.services.agreement import AgreementAdopted
from corridor.services.ports import LedgerStore
from corridor.services.unit_of_work import run_command


def record_simulated_run(
    store: LedgerStore,
    operation: str,
    scenario: Scenario,
    adoption: AgreementAdopted,
    events: Sequence[AgreementEvent],
    *,
    actor: str = "simulation",
) -> AppendResult:
    """Open `operation` under the agreement with the run's events after it: one command."""
    if not operation or "/" in operation:
        raise InvalidInput(f"operation id {operation!r} must be non-empty and contain no '/'")
    stream = operation_stream(operation)

    def command(state: State) -> list[NewEvent]:
        if state.version(stream):
            raise IntegrityError(f"operation {operation!r} is already open")
        opening = opening_events(operation, scenario.name, scenario, adoption.scenario_digest)
        run = [NewEvent(stream, e.type, e.payload()) for e in events]
        return [*opening, NewEvent.of(stream, adoption), *run]

    return run_command(store, command, actor=actor)
