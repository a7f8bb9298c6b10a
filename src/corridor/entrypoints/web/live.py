"""`/ops/{operation}/live`: a Server-Sent Events tick that tells panels the ledger moved.

The tick carries only the ledger sequence, never an event's data, so what a
screen shows always comes from its role's redacted panels. It shares the
API stream's one poller per operation (`Feed`); a reconnecting browser sends
Last-Event-ID and gets a tick at once when it missed anything, so panels catch up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import Response
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from corridor.entrypoints.api.models import ID_PATTERN
from corridor.entrypoints.api.routes_stream import Feed
from corridor.entrypoints.web import session

router = APIRouter(include_in_schema=False)


def _feed(request: Request, operation: str) -> Feed:
    feeds: dict[str, Feed] = request.app.state.feeds
    if operation not in feeds:
        feeds[operation] = Feed(request.app.state.context, operation)
    return feeds[operation]


def _moved(feed: Feed, seen: int) -> bool:
    return feed.last > seen


@router.get("/ops/{operation}/live")
async def live(
    request: Request,
    operation: Annotated[str, Path(pattern=ID_PATTERN, max_length=100)],
    last_event_id: Annotated[str | None, Header(max_length=30)] = None,
) -> Any:
    ctx = request.app.state.context
    found = await session.signed_in(request, ctx)
    if found is None or found[0].operation != operation:
        return Response(status_code=204)  # EventSource stops retrying on 204
    head: int = await run_in_threadpool(ctx.live.read, operation, lambda r: r.last_sequence)
    seen = int(last_event_id) if last_event_id and last_event_id.isdigit() else head
    feed = _feed(request, operation)

    async def ticks() -> AsyncIterator[dict[str, Any]]:
        nonlocal seen
        if head > seen:
            seen = head
            yield {"id": str(head), "event": "changed", "data": str(head)}
        feed.subscribers += 1
        await feed.start(head)
        try:
            while True:
                async with feed.changed:
                    await feed.changed.wait_for(partial(_moved, feed, seen))
                seen = feed.last
                yield {"id": str(seen), "event": "changed", "data": str(seen)}
        finally:
            feed.subscribers -= 1

    return EventSourceResponse(ticks(), ping=15)
