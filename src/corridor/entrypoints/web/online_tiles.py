"""An optional online tile layer under the offline basemap, and the pages' Content-Security-Policy.

By default the dashboard fetches nothing from outside: the basemap is the
bundled Natural Earth boundaries, and the policy lets images come only from
the server itself and `data:` URLs. `corridor serve --tile-url URL` (or
`CORRIDOR_TILE_URL`) lays a Leaflet tile layer under it for a cell that is
online; the policy then lets images come from that one tile origin too, and
from nothing else. The URL is checked at start: http or https, a host written
out (no `{s}` subdomains, so the policy can name it exactly), and the `{z}`,
`{x}` and `{y}` Leaflet fills in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from corridor.errors import InvalidInput

SETTING = "--tile-url"
ENV = "CORRIDOR_TILE_URL"
PLACEHOLDERS = ("{z}", "{x}", "{y}")
ALLOWED = "an http or https URL with its host written out and {z}, {x} and {y} in it"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def checked_tile_url(url: str) -> str:
    """`url` when it is a usable tile URL template; InvalidInput naming the setting otherwise."""
    given = url.strip()
    try:
        parts = urlsplit(given)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    why = ""
    if parts is None or not port_ok or parts.scheme not in ("http", "https") or not parts.hostname:
        why = "is not an http or https URL"
    elif any(c in parts.netloc for c in "{}@"):
        why = "must name its host exactly (no {s} subdomains, no credentials)"
    elif missing := [p for p in PLACEHOLDERS if p not in given]:
        why = f"lacks {', '.join(missing)}"
    elif any(c.isspace() or c in "'\";" for c in given):
        why = "holds a space, quote or semicolon"
    if why:
        raise InvalidInput(
            f"{SETTING} (or {ENV})={given!r} {why}; allowed: {ALLOWED}",
            field=SETTING,
            value=given,
        )
    return given


def tile_origin(url: str) -> str:
    """The scheme, host and port the tiles come from, as a CSP source."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def policy(tile_url: str | None) -> str:
    """The Content-Security-Policy of the dashboard's pages.

    It governs images (the one kind of request a tile layer adds), plugins,
    the base URL, form targets and framing. Scripts, styles and connections
    are not restricted by it yet: that needs the pages, Swagger UI and the
    browser tests' tooling (which evaluate script in the page) made ready first.
    """
    images = "'self' data:" + (f" {tile_origin(tile_url)}" if tile_url else "")
    return (
        f"img-src {images}; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


def tile_url(request: Any) -> str | None:
    """The tile URL the server was started with, or None (offline)."""
    found = getattr(request.app.state, "tile_url", None)
    return str(found) if found else None


class ContentSecurityPolicy:
    """ASGI middleware: every HTML response carries the policy for the app's tile host."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = getattr(scope.get("app"), "state", None)
        tiles = getattr(state, "tile_url", None) if state is not None else None
        header = policy(str(tiles) if tiles else None).encode()

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(
                    k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
                )
                if html:
                    headers.append((b"content-security-policy", header))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_policy)
