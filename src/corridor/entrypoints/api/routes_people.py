"""Person records: register, look up, read (every read audited) and erase.

Only coordinator, monitor and reception reach these; liaisons and observers
are refused before anything is read, and every answer passes redaction too.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.guard import idempotency_key
from corridor.entrypoints.api.models import ID_PATTERN, Erase, Lookup, PersonIn, Text
from corridor.errors import NotFound
from corridor.protection.access import Permission
from corridor.protection.person import PersonRecord
from corridor.services.personal_data import PersonalData

router = APIRouter(responses=ERROR_RESPONSES, tags=["people"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
PersonId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]


def _personal(ctx: ApiContext) -> PersonalData:
    if ctx.personal is None:
        raise NotFound("this server was started without a vault key; personal data is unavailable")
    return ctx.personal


def _known(ctx: ApiContext, operation: str, movement: str | None = None) -> None:
    if not ctx.live.known(operation):
        raise NotFound(f"operation {operation!r} has not been opened")
    if movement is not None and not ctx.live.read(operation, lambda r: movement in r.movements):
        raise NotFound(f"no movement {movement!r} in operation {operation!r}")


@router.post("/operations/{operation}/people", status_code=201)
async def register_person(
    operation: OperationId, body: PersonIn, who: Caller, ctx: Context, request: Request
) -> Any:
    """Register a person; the record is encrypted, the ledger gets only the id.

    `movement` ties the person to the movement they leave with; a manifest
    boards only people registered to the trip's movement.
    """
    who.require(Permission.WRITE_PERSONAL, operation)
    personal = _personal(ctx)
    await run_in_threadpool(_known, ctx, operation, body.movement)
    record = PersonRecord(id="new", **{**body.model_dump(), "movement": body.movement or ""})
    person = await run_in_threadpool(
        personal.register, who, operation, record, idempotency_key(request.state)
    )
    return shown(who, {"ok": True, "person": person})


@router.get("/operations/{operation}/people/{person}")
def read_person(
    operation: OperationId,
    person: PersonId,
    purpose: Annotated[Text, Query(description="Why the record is read (audited).")],
    who: Caller,
    ctx: Context,
) -> Any:
    """Open one record; who read it and why is appended to the ledger first."""
    who.require(Permission.READ_PERSONAL, operation)
    record = _personal(ctx).read(who, operation, person, purpose)
    view = asdict(record)
    view["vulnerabilities"] = list(record.vulnerabilities)
    return shown(who, view)


@router.post("/operations/{operation}/people/lookup")
def look_up_person(operation: OperationId, body: Lookup, who: Caller, ctx: Context) -> Any:
    """Ids of people registered under exactly this name; decrypts nothing."""
    who.require(Permission.READ_PERSONAL, operation)
    found = _personal(ctx).find(who, operation, body.full_name, body.purpose)
    return shown(who, {"people": found})


@router.post("/operations/{operation}/people/{person}/erase")
def erase_person(
    operation: OperationId, person: PersonId, body: Erase, who: Caller, ctx: Context
) -> Any:
    """Delete a record for good; the ledger keeps only that it was erased, and why."""
    who.require(Permission.ERASE_PERSONAL, operation)
    _personal(ctx).erase(who, operation, person, body.reason)
    return shown(who, {"ok": True, "person": person, "erased": True})
