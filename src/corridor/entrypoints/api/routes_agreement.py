"""The agreement in the live API: stage confirmations, resumes, and the decisions taken.

Each request goes to the deal on the operation's current state
(`corridor.services.handlers.deal`); the decision is recorded with the
request whether it allows or blocks, and a blocked one is answered 409.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from corridor.entrypoints.api.answers import answered
from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.models import ID_PATTERN, ConfirmStageIn, ResumeIn, given
from corridor.entrypoints.api.routes_trips import run
from corridor.protection.access import Permission
from corridor.services import commands
from corridor.services.views import agreement_view

router = APIRouter(responses=ERROR_RESPONSES, tags=["agreement"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]


@router.post("/operations/{operation}/stages")
def confirm_stage(
    operation: OperationId, body: ConfirmStageIn, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """A monitor confirms that more people of a movement arrived (releasing staged terms)."""
    command = commands.ConfirmStageCommand(
        operation, body.movement, body.organisation, body.people, body.stage, given(body.at)
    )
    return answered(who, run(ctx, who, request, Permission.CONFIRM_STAGE, command))


@router.post("/operations/{operation}/resumes")
def record_resume(
    operation: OperationId, body: ResumeIn, who: Caller, ctx: Context, request: Request
) -> JSONResponse:
    """A guarantor resumes the movements a suspension term halted.

    Halted trips are not moved: `may_continue` lists those whose movements the
    deal no longer halts, for a monitor or coordinator to depart again.
    """
    command = commands.RecordResumeCommand(operation, body.term, body.organisation, given(body.at))
    return answered(who, run(ctx, who, request, Permission.RECORD_RESUME, command))


@router.get("/operations/{operation}/decisions")
def decisions(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """Every decision the engine took, with its request and the terms that decided it."""
    who.require(Permission.READ, operation)
    return shown(who, ctx.live.read(operation, lambda r: list(r.decisions)))


@router.get("/operations/{operation}/agreement")
def agreement(operation: OperationId, who: Caller, ctx: Context) -> Any:
    """The deal the operation runs under, every term in plain words, and what halts now."""
    who.require(Permission.READ, operation)
    return shown(who, ctx.live.read(operation, agreement_view))
