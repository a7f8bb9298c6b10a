"""The agreement in the live API: stage confirmations, resumes, and the decisions taken.

Each request goes to the agreement engine on the operation's current state;
the decision is appended with the request (and, when allowed, its effect)
whether it allows or blocks, so the record shows every refusal and its clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from corridor.domain.agreement import (
    AgreementEvent,
    AgreementState,
    ConfirmStage,
    Decision,
    RecordResume,
    consequences,
    decide,
)
from corridor.domain.agreement import Request as AgreementRequest
from corridor.domain.agreement.explain import explain
from corridor.domain.door import check_request
from corridor.domain.events import NewEvent
from corridor.domain.operation import operation_stream
from corridor.domain.suspension_halts import may_continue
from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.guard import idempotency_key
from corridor.entrypoints.api.models import ID_PATTERN, ConfirmStageIn, ResumeIn, moment
from corridor.entrypoints.api.views import command_view
from corridor.errors import NotFound
from corridor.protection.access import Permission, Principal
from corridor.services.live import OperationRecord

router = APIRouter(responses=ERROR_RESPONSES, tags=["agreement"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]


def decided_on(
    state: AgreementState, request: AgreementRequest
) -> tuple[tuple[AgreementEvent, ...], Decision]:
    """The decision on `request` in `state` and the facts recording it (decision, then effect)."""
    decision = decide(state, request)
    return consequences(request, decision), decision


def as_new_events(operation: str, facts: Iterable[AgreementEvent]) -> list[NewEvent]:
    stream = operation_stream(operation)
    return [NewEvent(stream, e.type, e.payload()) for e in facts]


def decided_events(
    record: OperationRecord, request: AgreementRequest
) -> tuple[list[NewEvent], dict[str, Any]]:
    """The decision on `request` and the events recording it (decision, then effect)."""
    if record.agreement is None:
        raise NotFound(f"operation {record.id!r} runs under no agreement")
    facts, decision = decided_on(record.agreement, request)
    return as_new_events(record.id, facts), decision.payload()


def _decide(
    operation: str,
    request: AgreementRequest,
    who: Principal,
    ctx: Context,
    http: Request,
    freed: list[str] | None = None,
) -> Any:
    """Decide and record `request`; with `freed`, list the halted trips it lets continue."""
    decisions: list[dict[str, Any]] = []

    def command(record: OperationRecord) -> list[NewEvent]:
        if record.agreement is None:
            raise NotFound(f"operation {record.id!r} runs under no agreement")
        if record.book.world is not None:
            check_request(record.book.world, request)
        facts, decision = decided_on(record.agreement, request)
        decisions.append(decision.payload())
        if freed is not None:
            freed[:] = may_continue(record.book, record.agreement, record.agreement.fold(facts))
        return as_new_events(operation, facts)

    result = ctx.live.command(operation, command, who.actor, idempotency_key(http.state))
    answer = command_view(result, who.role)
    answer["decision"] = result.events[0].data()["decision"] if result.replayed else decisions[-1]
    if freed is not None:
        answer["may_continue"] = list(freed)
    return shown(who, answer)


@router.post("/operations/{operation}/stages")
def confirm_stage(
    operation: OperationId, body: ConfirmStageIn, who: Caller, ctx: Context, request: Request
) -> Any:
    """A monitor confirms that more people of a movement arrived (releasing staged terms)."""
    who.require(Permission.CONFIRM_STAGE, operation)
    asked = ConfirmStage(body.movement, body.organisation, body.people, moment(body.at), body.stage)
    return _decide(operation, asked, who, ctx, request)


@router.post("/operations/{operation}/resumes")
def record_resume(
    operation: OperationId, body: ResumeIn, who: Caller, ctx: Context, request: Request
) -> Any:
    """A guarantor resumes the movements a suspension term halted.

    Halted trips are not moved: `may_continue` lists those whose movements the
    deal no longer halts, for a monitor or coordinator to depart again.
    """
    who.require(Permission.RECORD_RESUME, operation)
    asked = RecordResume(body.term, body.organisation, moment(body.at))
    return _decide(operation, asked, who, ctx, request, freed=[])


@router.get("/operations/{operation}/decisions")
def decisions(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """Every decision the engine took, with its request and the terms that decided it."""
    who.require(Permission.READ, operation)
    return shown(who, ctx.live.read(operation, lambda r: list(r.decisions)))


@router.get("/operations/{operation}/agreement")
def agreement(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """The deal the operation runs under, every term in plain words, and what halts now."""
    who.require(Permission.READ, operation)

    def view(record: OperationRecord) -> Any:
        if record.agreement is None:
            raise NotFound(f"operation {record.id!r} runs under no agreement")
        deal = record.agreement.rules.agreement
        return {
            "id": deal.id,
            "name": deal.name,
            "parties": list(deal.parties),
            "guarantors": list(deal.guarantors),
            "monitors": list(deal.monitors),
            "terms": [{"id": i, "kind": k, "text": t} for i, k, t in explain(deal)],
            "halted": {
                movement: [{"term": term, "incident": incident} for term, incident in halts]
                for movement, halts in sorted(record.agreement.halted.items())
                if halts
            },
        }

    return shown(who, ctx.live.read(operation, view))
