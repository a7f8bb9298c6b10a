"""The dashboard's pages: sign-in, the operation page, its panels and their JSON twins,
and the forms (verify, refute, resume, language, sign-out).

Routes only parse, call a service and render; every command goes through the
same bus as the API, with the signed-in token's role checked the same way.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.models import ID_PATTERN
from corridor.entrypoints.api.routes_reception import DETAIL
from corridor.entrypoints.web import downloads, session
from corridor.entrypoints.web.i18n import chosen
from corridor.entrypoints.web.map_view import map_features, world_of
from corridor.entrypoints.web.names import Names
from corridor.entrypoints.web.online_tiles import tile_url
from corridor.entrypoints.web.panels import PANELS, Seen, shared, shared_panel
from corridor.entrypoints.web.refresh import (
    HEADER,
    LIVE,
    fragments,
    held,
    shared_fragments,
    versions,
)
from corridor.entrypoints.web.templates import render
from corridor.errors import CorridorError
from corridor.protection.access import Permission, Principal
from corridor.protection.redaction import redact
from corridor.services import commands
from corridor.services.bus import handle
from corridor.services.live import OperationRecord
from corridor.services.timeline import Timelines

router = APIRouter(include_in_schema=False)
router.include_router(downloads.router)

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
ItemId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
LOGIN_CSRF = "corridor_login_csrf"


def _html(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = session.language(request)
    world = context.pop("world", None)
    names = Names.of(world, lang)
    return HTMLResponse(render(lang, name, path=request.url.path, names=names, **context), status)


def _to(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _zone(record: OperationRecord) -> str:
    return record.world.timezone if record.world is not None else "UTC"


def _timelines(request: Request) -> Timelines:
    """The app's one timeline fold per operation, made on first use."""
    state = request.app.state
    if not hasattr(state, "timelines"):
        state.timelines = Timelines(session.context(request).ledger)
    found: Timelines = state.timelines
    return found


USES = {"deal": ("deal", "incidents")}
"""Panels whose fragment also reads another panel's value."""


def _seen(ctx: ApiContext, who: Principal, record: OperationRecord, timelines: Timelines) -> Seen:
    now = record.clock.now(ctx.services.wall.now())
    return Seen(record, who.role, now, partial(timelines.arrivals, record.id))


def _read_all(
    ctx: ApiContext, who: Principal, timelines: Timelines
) -> Callable[[OperationRecord], tuple[dict[str, Any], dict[Any, Any]]]:
    """A reader of every panel's value and of what screens share for this state (one read)."""

    def read(record: OperationRecord) -> tuple[dict[str, Any], dict[Any, Any]]:
        seen = _seen(ctx, who, record, timelines)
        return _panels(ctx, who, record, timelines, seen=seen), shared(seen)

    return read


def _panels(
    ctx: ApiContext,
    who: Principal,
    record: OperationRecord,
    timelines: Timelines,
    only: str | None = None,
    seen: Seen | None = None,
) -> dict[str, Any]:
    """Every panel's value (or only those `only` needs), redacted for the caller's role."""
    seen = seen or _seen(ctx, who, record, timelines)
    names = PANELS if only is None else USES.get(only, (only,))
    built: dict[str, Any] = {name: shared_panel(seen, name) for name in names if name in PANELS}
    built["clock"] = redact(ctx.services.clock_view(record), who.role)
    built["zone"] = _zone(record)
    shown = dict(built)
    shown["world"] = world_of(record)
    return shown


async def _who(request: Request, operation: str | None = None) -> tuple[Principal, str] | None:
    found = await session.signed_in(request, session.context(request))
    if found is None or (operation is not None and found[0].operation != operation):
        return None
    return found


def _sign_in_page(request: Request, status: int = 200, error: str = "") -> HTMLResponse:
    login = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    page = _html(request, "signin.html", status, csrf=login, error=error)
    page.set_cookie(
        LOGIN_CSRF, login, httponly=True, samesite="strict", secure=session.secure(request)
    )
    return page


@router.get("/")
async def home(request: Request) -> Response:
    found = await _who(request)
    if found is not None:
        return _to(f"/ops/{quote(found[0].operation)}")
    page = _sign_in_page(request)
    if request.cookies.get(session.COOKIE):
        session.forget(page, request)  # expired or revoked: signed out
    return page


@router.post("/signin")
async def sign_in(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    who = await session.signing_in(request, token, csrf, LOGIN_CSRF)
    if isinstance(who, str):
        return _sign_in_page(request, 403 if who == "csrf" else 422, who)
    answer = _to(f"/ops/{quote(who.operation)}")
    session.remember(answer, request, token.strip())
    answer.delete_cookie(LOGIN_CSRF)
    return answer


@router.post("/signout")
async def sign_out(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    found = await _who(request)
    if found is not None and not session.csrf_ok(found[1], csrf):
        return HTMLResponse("CSRF check failed", 403)
    answer = _to("/")
    session.forget(answer, request)
    return answer


@router.post("/language")
async def language(
    request: Request,
    lang: Annotated[str, Form(max_length=5)] = "en",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    found = await _who(request)
    expected = session.csrf_token(found[1]) if found else request.cookies.get(LOGIN_CSRF)
    if not expected or not secrets.compare_digest(csrf, expected):
        return HTMLResponse("CSRF check failed", 403)
    back = request.headers.get("referer", "/")
    path = "/" + back.split("://", 1)[-1].split("/", 1)[-1] if "://" in back else "/"
    answer = _to(path if path.startswith("/") and not path.startswith("//") else "/")
    session.keep_language(answer, request, chosen(lang))
    return answer


@router.get("/ops/{operation}")
async def operation_page(request: Request, operation: OperationId) -> Response:
    return await _operation(request, operation, {})


async def _operation(request: Request, operation: str, errors: dict[str, str]) -> Response:
    """The whole page; `errors` by form field, each drawn next to its field (then 422)."""
    found = await _who(request, operation)
    if found is None:
        return _to("/")
    who, token = found
    ctx = session.context(request)
    read = _read_all(ctx, who, _timelines(request))
    try:
        record_panels, store = await run_in_threadpool(ctx.live.read, operation, read)
    except CorridorError as error:
        return _html(request, "message.html", 404, message=str(error))
    held_now = ""
    if not errors:  # a page drawn with errors holds panels unlike the shared ones
        lang, role = session.language(request), str(who.role)
        drawn = await run_in_threadpool(
            partial(shared_fragments, lang, store, operation=operation, role=role,
                    panels=record_panels)
        )  # fmt: skip
        held_now = versions(drawn)
    return _html(
        request,
        "operation.html",
        422 if errors else 200,
        operation=operation,
        role=str(who.role),
        csrf=session.csrf_token(token),
        panels=record_panels,
        world=record_panels.get("world"),
        errors=errors,
        live=LIVE,
        versions=held_now,
    )


@router.get("/ops/{operation}/panels")
async def live_panels(request: Request, operation: OperationId) -> Response:
    """Every live panel's fragment, for the page's one request per tick (decision 0027)."""
    found = await _who(request, operation)
    if found is None:
        return HTMLResponse("", 401, headers={"HX-Redirect": "/"})
    who, token = found
    ctx = session.context(request)
    read = _read_all(ctx, who, _timelines(request))
    lang, csrf = session.language(request), session.csrf_token(token)
    have = held(request.headers.get(HEADER))

    def build() -> tuple[str, str]:
        built, store = ctx.live.read(operation, read)  # rendered after the record's lock
        return fragments(lang, store, operation=operation, role=str(who.role), csrf=csrf,
                         panels=built, have=have)  # fmt: skip

    try:
        html, now = await run_in_threadpool(build)
    except CorridorError:
        return HTMLResponse("", 404)
    return HTMLResponse(html, headers={"Cache-Control": "no-store", HEADER: now})


@router.get("/ops/{operation}/panels/{name}.json")
async def panel_json(request: Request, operation: OperationId, name: str) -> Response:
    found = await _who(request, operation)
    if found is None or name not in (*PANELS, "clock"):
        return JSONResponse({"ok": False, "error": "sign in first"}, 401 if not found else 404)
    ctx = session.context(request)
    timelines = _timelines(request)
    built = await run_in_threadpool(
        ctx.live.read, operation, lambda r: _panels(ctx, found[0], r, timelines, name)
    )
    return JSONResponse(built[name])


@router.get("/ops/{operation}/panels/{name}")
async def panel_html(request: Request, operation: OperationId, name: str) -> Response:
    found = await _who(request, operation)
    if found is None:
        return HTMLResponse("", 401, headers={"HX-Redirect": "/"})
    if name not in (*PANELS, "clock"):
        return HTMLResponse("", 404)
    who, token = found
    ctx = session.context(request)
    timelines = _timelines(request)
    built = await run_in_threadpool(
        ctx.live.read, operation, lambda r: _panels(ctx, who, r, timelines, name)
    )
    return _html(
        request,
        f"panels/{name}.html",
        operation=operation,
        role=str(who.role),
        csrf=session.csrf_token(token),
        panels=built,
        world=built.get("world"),
        errors={},
    )


@router.get("/ops/{operation}/map.json")
async def map_json(request: Request, operation: OperationId) -> Response:
    found = await _who(request, operation)
    if found is None:
        return JSONResponse({"ok": False, "error": "sign in first"}, 401)
    ctx = session.context(request)
    role = found[0].role
    lang, tiles = session.language(request), tile_url(request)

    def build(record: OperationRecord) -> bytes:
        drawn = map_features(record, detail=role in DETAIL, lang=lang, tiles=tiles)
        return json.dumps(redact(drawn, role), ensure_ascii=False, separators=(",", ":")).encode()

    # One build per ledger state, role and language, its JSON shared by every screen's refresh.
    key = f"dashboard-map:{role}:{lang}:{tiles or ''}"
    body = await run_in_threadpool(ctx.live.view, operation, key, build)
    return Response(body, media_type="application/json")


async def _command(
    request: Request, operation: str, csrf: str, permission: Permission, command: Any, field: str
) -> Response:
    found = await _who(request, operation)
    if found is None:
        return _to("/")
    who, token = found
    if not session.csrf_ok(token, csrf):
        return HTMLResponse("CSRF check failed", 403)
    ctx = session.context(request)
    try:
        who.require(permission, operation)
        outcome = await run_in_threadpool(handle, ctx.services, command, who.actor)
    except CorridorError as error:
        return await _operation(request, operation, {field: str(error)})
    if outcome.refused:
        blocked = next(d["decision"] for d in outcome.decisions if not d["decision"]["allowed"])
        return await _operation(request, operation, {field: str(blocked["explanation"])})
    return _to(f"/ops/{quote(operation)}")


@router.post("/ops/{operation}/incidents/{incident}/{check}")
async def check_incident(
    request: Request,
    operation: OperationId,
    incident: ItemId,
    check: Annotated[str, Path(pattern="^(verify|refute)$")],
    organisation: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    command = commands.VerifyIncident(operation, incident, organisation, check == "verify")
    field = f"incident:{incident}"
    return await _command(request, operation, csrf, Permission.VERIFY_INCIDENT, command, field)


@router.post("/ops/{operation}/resumes")
async def resume(
    request: Request,
    operation: OperationId,
    term: Annotated[str, Form(max_length=100)] = "",
    organisation: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    command = commands.RecordResumeCommand(operation, term, organisation)
    field = f"resume:{term}"
    return await _command(request, operation, csrf, Permission.RECORD_RESUME, command, field)
