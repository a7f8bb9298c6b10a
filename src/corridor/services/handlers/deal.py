"""Handlers of requests only the deal answers: stage confirmations and resumes.

The decision is appended with its request (and, when allowed, its effect)
whether it allows or blocks, so the record shows every refusal and the
clause behind it. A resume lists the halted trips whose movements the deal
no longer halts (`may_continue`); they are not moved by it.
"""

from __future__ import annotations

from corridor.domain.agreement import ConfirmStage, RecordResume
from corridor.domain.door import check_request
from corridor.domain.suspension_halts import may_continue
from corridor.services.bus import Call, Decided, handles
from corridor.services.commands import ConfirmStageCommand, RecordResumeCommand
from corridor.services.handlers.common import deal_events, deal_of, decided_on, movement_known
from corridor.services.live import OperationRecord


@handles(ConfirmStageCommand)
def confirm_stage(record: OperationRecord, command: ConfirmStageCommand, call: Call) -> Decided:
    state = deal_of(record)
    if record.book.world is None:
        movement_known(record, command.movement)
    asked = ConfirmStage(
        command.movement,
        command.organisation,
        command.people,
        call.at(record, command.at),
        command.stage,
    )
    if record.book.world is not None:
        check_request(record.book.world, asked)
    facts, _ = decided_on(state, asked)
    return Decided(deal_events(record.id, facts))


@handles(RecordResumeCommand)
def record_resume(record: OperationRecord, command: RecordResumeCommand, call: Call) -> Decided:
    state = deal_of(record)
    asked = RecordResume(command.term, command.organisation, call.at(record, command.at))
    facts, _ = decided_on(state, asked)
    freed = may_continue(record.book, state, state.fold(facts))
    return Decided(deal_events(record.id, facts), {"may_continue": freed})
