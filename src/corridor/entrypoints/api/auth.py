"""Bearer tokens to principals, and the shared dependencies of every route."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.context import ApiContext
from corridor.protection.access import Principal
from corridor.protection.redaction import redact
from corridor.services.access_tokens import authenticate

bearer = HTTPBearer(auto_error=False, description="A token from `corridor users add`.")


def context_of(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


async def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    token = credentials.credentials if credentials is not None else None
    return await run_in_threadpool(authenticate, context_of(request).tokens, token)


Caller = Annotated[Principal, Depends(principal)]
Context = Annotated[ApiContext, Depends(context_of)]


def shown(who: Principal, value: Any) -> Any:
    """The last step of every response: what this caller's role may see."""
    return redact(value, who.role)
