"""Ledger events of an operation: a page as JSON, or a live Server-Sent Events stream.

One poller per operation and process reads new events and wakes every
subscriber, so fifty screens cost one query per tick, not fifty. Each event
is redacted for the subscriber's role before it is sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from corridor.domain.events import RecordedEvent
from corridor.domain.operation import operation_stream
from corridor.entrypoints.api.auth import Caller, Context, shown
from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.errors import ERROR_RESPONSES
from corridor.entrypoints.api.models import ID_PATTERN
from corridor.errors import NotFound
from corridor.protection.access import Permission
from corridor.services.views import event_view

router = APIRouter(responses=ERROR_RESPONSES, tags=["events"])

OperationId = Annotated[str, Path(pattern=ID_PATTERN, max_length=100)]
After = Annotated[int, Query(ge=0, le=2**62, description="Only events after this sequence.")]
POLL_SECONDS = 0.05
PAGE = 1000


class Feed:
    """New events of one operation, read by one poller and shared by every subscriber."""

    def __init__(self, ctx: ApiContext, operation: str) -> None:
        self.ctx = ctx
        self.stream = operation_stream(operation)
        self.events: list[RecordedEvent] = []
        self.last = 0
        self.changed = asyncio.Condition()
        self.subscribers = 0
        self.task: asyncio.Task[None] | None = None

    async def start(self, after: int) -> None:
        # A poller that saw no subscribers has finished (`done`); one is started
        # again for the next subscriber, carrying on from the last event read.
        if self.task is None or self.task.done():
            self.last = after if self.task is None else self.last
            self.task = asyncio.create_task(self._poll())

    async def _poll(self) -> None:
        while self.subscribers > 0:
            fresh = await run_in_threadpool(
                lambda: list(self.ctx.ledger.read(after=self.last, stream=self.stream))
            )
            if fresh:
                self.last = fresh[-1].sequence
                async with self.changed:
                    self.events.extend(fresh)
                    del self.events[: max(0, len(self.events) - PAGE)]
                    self.changed.notify_all()
            await asyncio.sleep(POLL_SECONDS)


def _newer(feed: Feed, seen: int) -> bool:
    return bool(feed.events) and feed.events[-1].sequence > seen


def _feed(request: Request, operation: str) -> Feed:
    feeds: dict[str, Feed] = request.app.state.feeds
    if operation not in feeds:
        feeds[operation] = Feed(request.app.state.context, operation)
    return feeds[operation]


@router.get("/operations/{operation}/events")
def list_events(
    operation: OperationId,
    who: Caller,
    ctx: Context,
    after: After = 0,
    limit: Annotated[int, Query(ge=1, le=PAGE)] = 100,
) -> Any:
    """A page of the operation's ledger events, oldest first."""
    who.require(Permission.READ, operation)
    if not ctx.live.known(operation):
        raise NotFound(f"operation {operation!r} has not been opened")
    page = []
    for event in ctx.ledger.read(after=after, stream=operation_stream(operation)):
        page.append(event_view(event, who.role))
        if len(page) >= limit:
            break
    return shown(who, page)


async def _follow(
    feed: Feed,
    backlog: list[RecordedEvent],
    start: int,
    message: Callable[[RecordedEvent], dict[str, Any]],
) -> AsyncIterator[dict[str, Any]]:
    """The backlog, then every newer event the feed reads, for one subscriber."""
    seen = start
    for event in backlog:
        yield message(event)
    feed.subscribers += 1
    await feed.start(start)
    try:
        while True:
            async with feed.changed:
                await feed.changed.wait_for(partial(_newer, feed, seen))
                fresh = [e for e in feed.events if e.sequence > seen]
            for event in fresh:
                seen = event.sequence
                yield message(event)
    finally:
        feed.subscribers -= 1


@router.get("/operations/{operation}/stream", response_class=EventSourceResponse)
async def stream_events(
    operation: OperationId,
    who: Caller,
    ctx: Context,
    request: Request,
    after: After = 0,
    last_event_id: Annotated[str | None, Header(pattern=r"^[0-9]{1,18}$")] = None,
) -> Any:
    """Server-Sent Events: every new ledger event of the operation, as it is appended."""
    who.require(Permission.READ, operation)
    if not await run_in_threadpool(ctx.live.known, operation):
        raise NotFound(f"operation {operation!r} has not been opened")
    if last_event_id is not None:  # ASCII digits only: "²" is a digit to isdigit()
        after = max(after, int(last_event_id))
    backlog = await run_in_threadpool(
        lambda: list(ctx.ledger.read(after=after, stream=operation_stream(operation)))
    )
    start = backlog[-1].sequence if backlog else after
    feed = _feed(request, operation)

    def message(event: RecordedEvent) -> dict[str, Any]:
        view = shown(who, event_view(event, who.role))
        return {"id": str(event.sequence), "event": event.type, "data": json.dumps(view)}

    return EventSourceResponse(_follow(feed, backlog, start, message), ping=15)
