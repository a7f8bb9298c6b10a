"""Handlers of requests only the deal answers: stage confirmations and resumes.

The decision is appended with its request (and, when allowed, its effect)
whether it allows or blocks, so the record shows every refusal and the
clause behind it. A resume lists the halted trips whose movements the deal
no longer halts (`may_continue`); they are not moved by it.

A stage confirmation says people arrived, so it is checked at the door
against the arrivals the custody book knows (when the operation keeps one):
one monitor's confirmations of a movement never exceed its recorded
arrivals. The same confirmation (movement, organisation, people, time,
stage) recorded twice would double the confirmed figure; the second is
refused. Decision record 0018.
"""

from __future__ import annotations

from corridor.domain.agreement import ConfirmStage, RecordResume
from corridor.domain.door import Rejected, check_request
from corridor.domain.suspension_halts import may_continue
from corridor.errors import IntegrityError
from corridor.services.bus import Call, Decided, handles
from corridor.services.commands import ConfirmStageCommand, RecordResumeCommand
from corridor.services.door import rejected_input
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
        _within_arrivals(record, asked, state.confirmed_by(asked.movement, asked.monitor))
    _not_recorded_before(record, asked)
    facts, _ = decided_on(state, asked)
    return Decided(deal_events(record.id, facts))


def _within_arrivals(record: OperationRecord, asked: ConfirmStage, confirmed: int) -> None:
    arrived = sum(t.arrived for t in record.book.tallies() if t.movement == asked.movement)
    room = arrived - confirmed
    if asked.people > room:
        allowed = f"1..{room}" if room > 0 else "none until more arrivals are recorded"
        raise rejected_input(
            Rejected(
                "people",
                asked.people,
                allowed,
                f"is more than the {arrived} arrivals of {asked.movement} the custody book "
                f"knows, less the {confirmed} {asked.monitor} confirmed already",
            )
        )


def _not_recorded_before(record: OperationRecord, asked: ConfirmStage) -> None:
    payload = asked.payload()
    for decision in record.decisions:
        if decision["request"] == payload and decision["decision"]["allowed"]:
            raise IntegrityError(
                f"this stage confirmation was recorded already (sequence {decision['sequence']});"
                " a retry should carry the first request's Idempotency-Key"
            )


@handles(RecordResumeCommand)
def record_resume(record: OperationRecord, command: RecordResumeCommand, call: Call) -> Decided:
    state = deal_of(record)
    asked = RecordResume(command.term, command.organisation, call.at(record, command.at))
    facts, _ = decided_on(state, asked)
    freed = may_continue(record.book, state, state.fold(facts))
    return Decided(deal_events(record.id, facts), {"may_continue": freed})
