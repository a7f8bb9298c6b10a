"""Request size limits and Idempotency-Key, as one ASGI middleware.

Every POST body is read here, up to the limit, before any handler runs: a
larger body is refused with 413 whatever its Content-Length claims. A POST
with an `Idempotency-Key` whose first answer is stored gets that answer
again, and nothing is appended; the same key on a different request is a
422. The key is namespaced by the caller's token, so two callers cannot
collide, and handed on to the ledger so concurrent duplicates still append once.

The key is taken before the request runs: a pending record holds the
request's fingerprint (method, path, and the body as canonical JSON, so
other whitespace or key order is the same request) and the wall time the
request first arrived. A retry after a lost answer runs again with that
first time, so a command sent without `at` is stamped as the first one was
and the ledger returns the first command (`services.bus.handle`). Decision
record 0018.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corridor.domain.clock import Clock, SystemClock, format_instant, parse_instant
from corridor.entrypoints.api.errors import (
    LOST_MESSAGE,
    RETRY_AFTER_SECONDS,
    STORE_LOST,
    store_lost,
)
from corridor.services.protection_ports import PENDING, ResponseStore, StoredResponse

MAX_KEY = 150
IDEMPOTENCY_HEADER = b"idempotency-key"
RACE_POLLS = 200
RACE_POLL_SECONDS = 0.05


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """What identifies a request under its key: the same JSON in any layout is the same."""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        content = body
    else:
        content = json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + content).hexdigest()


KEY_RULE = f"Idempotency-Key must be 1 to {MAX_KEY} ASCII characters"


def key_allowed(text: str) -> bool:
    """Whether `text` may be an idempotency key: 1 to MAX_KEY printable ASCII characters."""
    return 0 < len(text) <= MAX_KEY and text.isascii() and text.isprintable()


def namespaced_key(authorization: bytes, text: str) -> str:
    """The key as the ledger keeps it: namespaced by the caller's Authorization header."""
    caller = hashlib.sha256(authorization).hexdigest()[:16]
    return f"{caller}:{text}"


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    headers = [(b"content-type", b"application/json")]
    if status == 503:
        headers.append((b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    def __init__(
        self, app: ASGIApp, responses: ResponseStore, max_body: int, clock: Clock | None = None
    ) -> None:
        self.app = app
        self.responses = responses
        self.max_body = max_body
        self.clock = clock or SystemClock()
        """The wall clock that dates first arrivals (the handlers' own, `Services.wall`)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _send_error(send, 413, f"request body larger than {self.max_body} bytes")
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                await _send_error(send, 413, f"request body larger than {self.max_body} bytes")
                return

        raw_key = _header(scope, IDEMPOTENCY_HEADER)
        key: str | None = None
        fingerprint = ""
        if raw_key is not None:
            try:
                text = raw_key.decode("ascii")
            except UnicodeDecodeError:
                text = ""
            if not key_allowed(text):
                await _send_error(send, 422, KEY_RULE)
                return
            key = namespaced_key(_header(scope, b"authorization") or b"", text)
            fingerprint = request_fingerprint(scope["method"], scope["path"], body)
            try:
                stored = await run_in_threadpool(self._taken, key, fingerprint)
            except STORE_LOST as error:
                store_lost(error)
                await _send_error(send, 503, LOST_MESSAGE)
                return
            if stored.request != fingerprint:
                await _send_error(
                    send, 422, "this Idempotency-Key was used for a different request"
                )
                return
            if stored.status != PENDING:
                await self._send_stored(send, stored)
                return
            scope.setdefault("state", {})["first_arrival"] = parse_instant(stored.body)
        scope.setdefault("state", {})["idempotency_key"] = key

        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        # The answer is held back until it is stored, so a retry arriving the
        # moment the client has it (at another server, too) finds it stored.
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        await self.app(scope, replay, capture)
        status = int(start.get("status", 500))
        body_out = b"".join(chunks)
        if key is not None and 200 <= status < 300:
            answer = StoredResponse(fingerprint, status, body_out.decode("utf-8"))
            when = format_instant(self.clock.now())
            try:
                await run_in_threadpool(self.responses.put, key, answer, when)
            except STORE_LOST as error:
                # Recorded, but the answer not kept: a retry finds the command
                # in the ledger and answers it again.
                store_lost(error)
        elif key is not None and status == 409 and b"idempotency key" in body_out:
            # A duplicate that raced the first request past the check above is
            # refused by the ledger (its key is taken); answer with the first
            # request's response once that is stored.
            first = await self._stored_soon(key)
            if first is not None and first.request == fingerprint:
                await self._send_stored(send, first)
                return
        await send(start)
        await send({"type": "http.response.body", "body": body_out})

    def _taken(self, key: str, request: str) -> StoredResponse:
        """The key's record: its answer, or pending with the first arrival's time."""
        stored = self.responses.get(key)
        if stored is None:
            when = format_instant(self.clock.now())
            self.responses.put(key, StoredResponse(request, PENDING, when), when)
            stored = self.responses.get(key)  # a concurrent first request may have won
        assert stored is not None
        return stored

    async def _stored_soon(self, key: str) -> StoredResponse | None:
        for _ in range(RACE_POLLS):
            try:
                found = await run_in_threadpool(self.responses.get, key)
            except STORE_LOST:
                found = None
            if found is not None and found.status != PENDING:
                return found
            await asyncio.sleep(RACE_POLL_SECONDS)
        return None

    @staticmethod
    async def _send_stored(send: Send, stored: StoredResponse) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": stored.status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"idempotent-replayed", b"true"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": stored.body.encode()})


def idempotency_key(state: Any) -> str | None:
    """The namespaced key the guard put on the request state (None without a header)."""
    return getattr(state, "idempotency_key", None)


def first_arrival(state: Any) -> datetime | None:
    """When the request with this key first arrived (None without a key)."""
    return getattr(state, "first_arrival", None)
