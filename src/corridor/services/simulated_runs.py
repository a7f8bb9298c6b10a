"""Record one simulated run in a ledger, so it can be inspected like a live operation.

The run's events are the agreement's own (incidents reported and verified,
requests with their decisions, trips dispatched, checkpoints crossed, stages
confirmed, resumes), timed on the scenario's clock. They go on the stream of
a new operation opened under the same agreement, after its opening events,
in one command: the ledger then folds to the same agreement state the run
ended with, and every reader (API, dashboard, `corridor ops`) sees it as any
other operation.
"""

from __future__ import annotations

from collections.abc import Sequence

from corridor.domain.agreement import AgreementEvent
from corridor.domain.events import AppendResult, NewEvent
from corridor.domain.operation import operation_stream
from corridor.domain.scenario import Scenario
from corridor.services.agreement import AgreementAdopted, open_with_agreement
from corridor.services.ports import LedgerStore


def record_simulated_run(
    store: LedgerStore,
    operation: str,
    scenario: Scenario,
    adoption: AgreementAdopted,
    events: Sequence[AgreementEvent],
    *,
    actor: str = "simulation",
) -> tuple[AppendResult, AppendResult | None]:
    """Open `operation` under the agreement, then append the run's events after it."""
    opened = open_with_agreement(store, operation, scenario, adoption, actor=actor)
    if not events:
        return opened, None
    stream = operation_stream(operation)
    version = opened.events[-1].version
    drafts = [NewEvent(stream, e.type, e.payload()) for e in events]
    return opened, store.append(drafts, expected_versions={stream: version}, actor=actor)
