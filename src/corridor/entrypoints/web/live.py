"""`/ops/{operation}/live`: a Server-Sent Events tick that tells panels the ledger moved.

The tick carries only the ledger sequence, never an event's data, so what a
screen shows always comes from its role's redacted panels. It shares the
API stream's one poller per operation (`Feed`); a reconnecting browser sends
Last-Event-ID and gets a tick at once when it missed anything, so panels catch up.

Bursts are coalesced: a tick goes out at once when the stream has been quiet
for `COALESCE_SECONDS`, and otherwise when that much has passed since the
last, naming the newest sequence; many events within half a second cost a
screen at most one refresh more (decision 0027). An app may give streams a
lifetime (`live_stream_seconds`, none by default): a stream then ends when
it is quiet that long after opening, and the browser reconnects with its last
event id, its sign-in checked again.
"""

from __future__ import annotations

import asyncio
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


COALESCE_SECONDS = 0.5
"""Least time between two ticks of one stream (the app's `live_coalesce_seconds` overrides)."""


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
    spacing = float(getattr(request.app.state, "live_coalesce_seconds", COALESCE_SECONDS))
    lifetime: float | None = getattr(request.app.state, "live_stream_seconds", None)

    async def ticks() -> AsyncIterator[dict[str, Any]]:
        nonlocal seen
        clock = asyncio.get_running_loop().time
        sent = clock() - spacing
        ends = None if lifetime is None else clock() + lifetime
        if head > seen:
            seen, sent = head, clock()
            yield {"id": str(head), "event": "changed", "data": str(head)}
        feed.subscribers += 1
        await feed.start(head)
        try:
            while True:
                left = None if ends is None else max(0.0, ends - clock())
                async with feed.changed:
                    try:
                        await asyncio.wait_for(
                            feed.changed.wait_for(partial(_moved, feed, seen)), left
                        )
                    except TimeoutError:
                        return  # the browser reconnects with Last-Event-ID, signed in again
                await asyncio.sleep(max(0.0, sent + spacing - clock()))
                seen, sent = feed.last, clock()
                yield {"id": str(seen), "event": "changed", "data": str(seen)}
        finally:
            feed.subscribers -= 1

    return EventSourceResponse(ticks(), ping=15)
