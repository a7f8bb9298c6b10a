"""The field app's routes: its shell, manifest and service worker, reference data, captures.

Sign-in is the dashboard's: the token goes into the same HttpOnly cookie.
A capture is sent with its idempotency key in `Idempotency-Key` (the API's
guard keeps the first answer) and `Authorization: Field <csrf>`: the CSRF
value is derived from the signed-in token, so it proves the request comes
from the app's own page and it namespaces the key by token, as a bearer
token does for the API. The route parses, checks the role, hands one
command to the bus and answers as the API does. The batch route takes up to
50 captures at once, each under its own key (`batch`).
"""

from __future__ import annotations

import secrets
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.answers import answered
from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.guard import first_arrival, idempotency_key
from corridor.entrypoints.api.models import ID_PATTERN
from corridor.entrypoints.web import session
from corridor.entrypoints.web.field.batch import Batch, record_batch
from corridor.entrypoints.web.field.captures import Capture, as_command
from corridor.entrypoints.web.field.reference import reference_view
from corridor.entrypoints.web.field.templates import render
from corridor.errors import NotFound
from corridor.protection.access import AccessRole, Permission, Principal
from corridor.protection.redaction import redact
from corridor.services.boarding import board_by_manifest
from corridor.services.bus import handle

router = APIRouter(include_in_schema=False)
STATIC = FilePath(__file__).parent / "static"
FIELD_ROLES = frozenset({AccessRole.MONITOR, AccessRole.RECEPTION})
LOGIN_CSRF = "corridor_field_login"
OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
NO_STORE = {"Cache-Control": "no-store"}


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(
        render(session.language(request), name, **context), status, headers=NO_STORE
    )


def _sign_in(request: Request, status: int = 200, error: str = "") -> HTMLResponse:
    login = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    page = _page(request, "field_signin.html", status, csrf=login, error=error)
    page.set_cookie(LOGIN_CSRF, login, httponly=True, samesite="strict", path="/field")
    return page


@router.get("/field")
async def field_root() -> Response:
    return RedirectResponse("/field/", status_code=308)


@router.get("/field/")
async def shell(request: Request) -> Response:
    """The app for a signed-in monitor or reception desk; the sign-in form otherwise."""
    found = await session.signed_in(request, session.context(request))
    if found is None:
        return _sign_in(request)
    who, token = found
    if who.role not in FIELD_ROLES:
        return _page(request, "field_role.html", 403, role=str(who.role), csrf="")
    return _page(
        request,
        "field.html",
        operation=who.operation,
        role=str(who.role),
        csrf=session.csrf_token(token),
    )


@router.post("/field/signin")
async def sign_in(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    who = await session.signing_in(request, token, csrf, LOGIN_CSRF)
    if isinstance(who, str):
        return _sign_in(request, 403 if who == "csrf" else 422, who)
    answer = RedirectResponse("/field/", status_code=303)
    session.remember(answer, request, token.strip())
    answer.delete_cookie(LOGIN_CSRF, path="/field")
    return answer


@router.get("/field/manifest.webmanifest")
async def web_manifest() -> Response:
    return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")


@router.get("/field/sw.js")
async def service_worker() -> Response:
    """The worker, from the app's own path so that it may control every page under /field/."""
    return FileResponse(
        STATIC / "sw.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )


async def _caller(request: Request, operation: str, writing: bool) -> Principal | JSONResponse:
    found = await session.signed_in(request, session.context(request))
    if found is None or found[0].operation != operation:
        return JSONResponse({"ok": False, "error": "sign in first", "status": 401}, 401)
    who, token = found
    if writing:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme != "Field" or not session.csrf_ok(token, value):
            return JSONResponse({"ok": False, "error": "CSRF check failed", "status": 403}, 403)
    return who


@router.get("/field/ops/{operation}/reference.json")
async def reference(request: Request, operation: OperationId) -> Response:
    """Sites, fleet, movements, trips and the closed lists, as this caller may see them."""
    who = await _caller(request, operation, writing=False)
    if isinstance(who, JSONResponse):
        return who
    who.require(Permission.READ, operation)
    view = await run_in_threadpool(session.context(request).live.read, operation, reference_view)
    return JSONResponse(redact(view, who.role), headers=NO_STORE)


@router.post("/field/ops/{operation}/captures", status_code=201)
async def capture(operation: OperationId, body: Capture, request: Request) -> Response:
    """One capture from a device's outbox, under its own Idempotency-Key."""
    who = await _caller(request, operation, writing=True)
    if isinstance(who, JSONResponse):
        return who
    return await run_in_threadpool(
        _record, session.context(request), who, operation, body, request.state
    )


@router.post("/field/ops/{operation}/captures/batch")
async def capture_batch(operation: OperationId, body: Batch, request: Request) -> Response:
    """Up to 50 captures from a device's outbox, in order, each under its own key."""
    who = await _caller(request, operation, writing=True)
    if isinstance(who, JSONResponse):
        return who
    ctx = session.context(request)
    authorization = request.headers.get("authorization", "").encode("latin-1")
    results = await run_in_threadpool(
        record_batch, ctx.services, ctx.personal, who, operation, authorization, body
    )
    return JSONResponse({"ok": True, "results": results}, headers=NO_STORE)


def _record(ctx: ApiContext, who: Principal, operation: str, body: Capture, state: Any) -> Response:
    key, first = idempotency_key(state), first_arrival(state)
    if body.kind == "boarding" and body.manifest is not None:
        if ctx.personal is None:
            raise NotFound("this server was started without a vault key; board by counts instead")
        outcome = board_by_manifest(
            ctx.services, ctx.personal, who, operation, body.trip or "", body.site,
            body.manifest, body.at, key,
        )  # fmt: skip
        return answered(who, outcome, 201)
    permission, command = as_command(operation, body, who.actor)
    who.require(permission, operation)
    return answered(who, handle(ctx.services, command, who.actor, key, first), 201)
