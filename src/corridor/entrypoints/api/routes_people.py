"""Person records: register, look up, read (every read audited), erase, deduplicate.

Only coordinator, monitor and reception reach these; liaisons and observers
are refused before anything is read, and every answer passes redaction too.
Duplicate candidates and the decisions on them are for coordinator and
reception alone.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.guard import idempotency_key
from corridor.entrypoints.api.models import ID_PATTERN, Erase, Lookup, Text
from corridor.entrypoints.api.people_models import (
    KeepApart,
    Merge,
    RegistrationIn,
    Reverse,
    Search,
    TracingIn,
)
from corridor.errors import NotFound
from corridor.protection.access import Permission
from corridor.protection.linkage import DEFAULT_THRESHOLD
from corridor.protection.person import PersonRecord
from corridor.services.manifests import ManifestSheet, convoy_sheets, manifest_sheet
from corridor.services.personal_data import PersonalData
from corridor.services.registry import Registry
from corridor.services.tracing import Sought, Tracing

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
    operation: OperationId, body: RegistrationIn, who: Caller, ctx: Context, request: Request
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


@router.get("/operations/{operation}/people/duplicates")
def duplicate_candidates(
    operation: OperationId,
    who: Caller,
    ctx: Context,
    threshold: Annotated[
        float, Query(ge=-50, le=100, description="Lowest match weight listed.")
    ] = DEFAULT_THRESHOLD,
) -> Any:
    """Pairs of person ids that may be one person, with match weight and reasons.

    Coordinator and reception only; reading the records to score them is
    audited as one `personal-data-read`.
    """
    who.require(Permission.DEDUPLICATE, operation)
    _known(ctx, operation)
    found = Registry(_personal(ctx)).duplicates(who, operation, threshold)
    return shown(
        who,
        {
            "operation": operation,
            "threshold": threshold,
            "candidates": [{**asdict(pair), "reasons": list(pair.reasons)} for pair in found],
        },
    )


@router.post("/operations/{operation}/people/merge")
def merge_people(operation: OperationId, body: Merge, who: Caller, ctx: Context) -> Any:
    """Record that `duplicate` is the same person as `kept`; reversible."""
    who.require(Permission.DEDUPLICATE, operation)
    _known(ctx, operation)
    decision = Registry(_personal(ctx)).merge(who, operation, body.kept, body.duplicate)
    return shown(who, {"ok": True, **_decision(decision)})


@router.post("/operations/{operation}/people/keep-apart")
def keep_people_apart(operation: OperationId, body: KeepApart, who: Caller, ctx: Context) -> Any:
    """Record that two ids are different people; the pair is not proposed again."""
    who.require(Permission.DEDUPLICATE, operation)
    _known(ctx, operation)
    left, right = body.people
    decision = Registry(_personal(ctx)).keep_apart(who, operation, left, right)
    return shown(who, {"ok": True, **_decision(decision)})


@router.post("/operations/{operation}/people/decisions/{decision}/reverse")
def reverse_decision(
    operation: OperationId, decision: PersonId, body: Reverse, who: Caller, ctx: Context
) -> Any:
    """Undo a merge (split the ids again) or a keep-apart; both events stay in the ledger."""
    who.require(Permission.DEDUPLICATE, operation)
    _known(ctx, operation)
    undone = Registry(_personal(ctx)).reverse(who, operation, decision, body.reason)
    return shown(who, {"ok": True, "reversed": True, **_decision(undone)})


@router.post("/operations/{operation}/people/search")
def search_people(operation: OperationId, body: Search, who: Caller, ctx: Context) -> Any:
    """Ids of people whose name matches in any spelling or script; decrypts nothing."""
    who.require(Permission.READ_PERSONAL, operation)
    found = _personal(ctx).find_spellings(who, operation, body.full_name, body.purpose)
    return shown(who, {"people": found})


@router.post("/operations/{operation}/tracing", status_code=201)
def open_tracing_request(operation: OperationId, body: TracingIn, who: Caller, ctx: Context) -> Any:
    """Open a tracing request: who is sought (sealed in the vault), last seen where, which trip."""
    who.require(Permission.TRACE, operation)
    _known(ctx, operation)
    sought = Sought(body.full_name, body.birth_year, body.sex, body.origin)
    request = Tracing(_personal(ctx)).request(
        who, operation, sought, body.seeker, body.last_seen_site, body.trip
    )
    return shown(who, {"ok": True, "request": request})


@router.get("/operations/{operation}/tracing/{request}/matches")
def tracing_matches(
    operation: OperationId,
    request: PersonId,
    who: Caller,
    ctx: Context,
    threshold: Annotated[float, Query(ge=-50, le=100)] = DEFAULT_THRESHOLD,
) -> Any:
    """Registered people who may be the one sought, with the trips that boarded them."""
    who.require(Permission.TRACE, operation)
    _known(ctx, operation)
    found = Tracing(_personal(ctx)).matches(who, operation, request, threshold)
    return shown(
        who,
        {
            "request": request,
            "matches": [
                {**asdict(match), "reasons": list(match.reasons),
                 "boarded": [asdict(b) for b in match.boarded]}
                for match in found
            ],
        },
    )  # fmt: skip


@router.get("/operations/{operation}/trips/{trip}/manifest")
def trip_manifest(operation: OperationId, trip: PersonId, who: Caller, ctx: Context) -> Any:
    """A vehicle's sheet: names for coordinator, monitor and reception; counts for others."""
    _known(ctx, operation)
    return shown(who, _sheet_view(manifest_sheet(_personal(ctx), who, operation, trip)))


# A page's refusals are JSON like every other answer: say so, or the schema
# would claim the HTML media type for them too.
_PAGE_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {**spec, "content": {"application/json": {}}}
    for status, spec in ERROR_RESPONSES.items()
}


@router.get(
    "/operations/{operation}/trips/{trip}/manifest.html",
    response_class=HTMLResponse,
    responses=_PAGE_ERRORS,
)
def trip_manifest_page(operation: OperationId, trip: PersonId, who: Caller, ctx: Context) -> Any:
    """The same sheet as a printable page (A4, print CSS, nothing fetched)."""
    from corridor.adapters.vault.manifest_page import render_manifest

    _known(ctx, operation)
    return HTMLResponse(render_manifest(manifest_sheet(_personal(ctx), who, operation, trip)))


@router.get("/operations/{operation}/convoys/{convoy}/manifest")
def convoy_manifest(operation: OperationId, convoy: PersonId, who: Caller, ctx: Context) -> Any:
    """Every boarded vehicle's sheet of a convoy, as for one trip."""
    _known(ctx, operation)
    sheets = convoy_sheets(_personal(ctx), who, operation, convoy)
    return shown(who, {"convoy": convoy, "vehicles": [_sheet_view(s) for s in sheets]})


@router.get(
    "/operations/{operation}/convoys/{convoy}/manifest.html",
    response_class=HTMLResponse,
    responses=_PAGE_ERRORS,
)
def convoy_manifest_page(
    operation: OperationId, convoy: PersonId, who: Caller, ctx: Context
) -> Any:
    """A convoy's sheets as one printable document, a page per vehicle."""
    from corridor.adapters.vault.manifest_page import render_sheets

    _known(ctx, operation)
    sheets = convoy_sheets(_personal(ctx), who, operation, convoy)
    return HTMLResponse(render_sheets(sheets, f"Convoy {convoy}"))


def _sheet_view(sheet: ManifestSheet) -> dict[str, Any]:
    view = asdict(sheet)
    view["people"] = [
        {**line, "vulnerabilities": list(line["vulnerabilities"])} for line in view["people"]
    ]
    return view


def _decision(decision: Any) -> dict[str, Any]:
    return {
        "decision": decision.id,
        "kind": decision.kind,
        "people": list(decision.people),
        "sequence": decision.sequence,
    }


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
