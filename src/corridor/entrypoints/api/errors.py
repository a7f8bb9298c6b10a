"""One JSON error shape for every refusal: `{"ok": false, "error": ..., "status": ...}`.

The HTTP status comes from the error class. Validation errors name the field
and what was expected but never echo the value sent: a rejected request may
carry a name, and errors reach logs and screens of every role. A command
refused at the door (an unknown site, vehicle, kind; a load too big) adds
`field`, `value` and `allowed`; its value is an id or a number, never free
text (`corridor.domain.door`).

A lost store (the database unreachable, restarting, out of connections) is
a 503 with `Retry-After`, whichever layer noticed: a `StoreUnavailable`, or
a driver error that escaped translation. It is an expected condition, so it
is answered by a handler (one warning line in the log, no traceback); the
answer says to retry with the same Idempotency-Key, which then tells whether
the command was recorded (`corridor.entrypoints.api.guard`).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import psycopg
import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from corridor.errors import CorridorError, StoreUnavailable

RETRY_AFTER_SECONDS = 2
"""What a 503 asks a client to wait before retrying."""
STORE_LOST = (StoreUnavailable, sqlite3.OperationalError, psycopg.OperationalError,
              psycopg.InterfaceError, sa.exc.OperationalError, sa.exc.InterfaceError)  # fmt: skip
"""What a lost database looks like, translated or not."""
LOST_MESSAGE = (
    "the store is unavailable; retry with the same Idempotency-Key "
    "to learn whether the command was recorded"
)
log = logging.getLogger("corridor.api")


class ErrorBody(BaseModel):
    ok: bool = False
    error: str
    status: int
    field: str | None = None
    """Refused at the door: the request's field that names what is not allowed."""
    value: str | None = None
    """Refused at the door: the id or number it named."""
    allowed: list[str] | str | None = None
    """Refused at the door: the values allowed, or a range such as '0..50'."""


DOOR_KEYS = ("field", "value", "allowed")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in [
        (400, "Malformed request"),
        (401, "No valid token"),
        (403, "Role or operation not allowed"),
        (404, "Not found"),
        (409, "Contradicts the record"),
        (413, "Request too large"),
        (422, "Invalid input"),
        (503, "Store unavailable: retry later, with the same Idempotency-Key"),
    ]
}


def error_body(error: CorridorError) -> dict[str, Any]:
    """The JSON body refusing `error`: its message, status, and what the door names."""
    extra = {key: error.context[key] for key in DOOR_KEYS if key in error.context}
    return {"ok": False, "error": str(error), "status": error.status, **extra}


def invalid_message(errors: Any) -> str:
    """A validation failure as one line naming each field and what was expected, not the value."""
    problems = [f"{_where(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors]
    return "; ".join(problems[:10])


def error_response(status: int, message: str, extra: dict[str, Any] | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 503:
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse(
        {"ok": False, "error": message, "status": status, **(extra or {})},
        status_code=status,
        headers=headers,
    )


def store_lost(error: BaseException) -> JSONResponse:
    """The 503 for a lost store, logged as one line without a traceback or request data."""
    log.warning("store unavailable: %s", type(error).__name__)
    return error_response(503, LOST_MESSAGE)


def _where(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location if part != "body") or "body"


def install_error_handlers(app: FastAPI) -> None:
    async def _lost(_: Request, error: Exception) -> JSONResponse:
        return store_lost(error)

    for kind in STORE_LOST:
        app.add_exception_handler(kind, _lost)

    @app.exception_handler(CorridorError)
    async def _corridor(_: Request, error: CorridorError) -> JSONResponse:
        extra = {key: error.context[key] for key in DOOR_KEYS if key in error.context}
        return error_response(error.status, str(error), extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, invalid_message(error.errors()))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, error: HTTPException) -> JSONResponse:
        return error_response(error.status_code, str(error.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        # A defect, not a refusal: the same shape, and no detail that could
        # carry request data into a response.
        return error_response(500, "internal error; the request may not have been recorded")
