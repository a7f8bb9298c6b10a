"""Bearer tokens to principals, and the shared dependencies of every route."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.context import ApiContext
from corridor.protection.access import Principal
from corridor.protection.redaction import redact
from corridor.services.live import OperationRecord

bearer = HTTPBearer(auto_error=False, description="A token from `corridor users add`.")


def context_of(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


async def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    token = credentials.credentials if credentials is not None else None
    callers = context_of(request).callers
    known = callers.cached(token)
    if known is not None:
        return known
    return await run_in_threadpool(callers.authenticate, token)


Caller = Annotated[Principal, Depends(principal)]
Context = Annotated[ApiContext, Depends(context_of)]


def shown(who: Principal, value: Any) -> Any:
    """The last step of every response: what this caller's role may see."""
    return redact(value, who.role)


async def kept_json(
    ctx: ApiContext,
    who: Principal,
    operation: str,
    name: str,
    view: Callable[[OperationRecord], Any],
) -> Response:
    """`view` of the operation as this caller may see it, as JSON kept until the record changes.

    When the ledger has not moved, the kept bytes are answered at once, without
    a worker thread; otherwise the record catches up on one.
    """
    key = f"{name}:{who.role}"
    body = ctx.live.current_view(operation, key)
    if body is None:

        def build(record: OperationRecord) -> bytes:
            return orjson.dumps(shown(who, view(record)), option=orjson.OPT_NON_STR_KEYS)

        body = await run_in_threadpool(ctx.live.view, operation, key, build)
    return Response(body, media_type="application/json")
