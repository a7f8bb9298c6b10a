"""How the dashboard's bytes travel: gzip for its pages and files, cache headers for assets.

A coordination cell may sit behind a thin satellite link: the operation page
(about 40 KB of HTML), the panels a tick refreshes and the vendored scripts
compress to a fifth or less, so the dashboard's own addresses go through
Starlette's `GZipMiddleware` (the API's answers and every event stream are
left as they are). Vendored assets are pinned (static/vendor/VERSIONS) and
may be kept a day; the project's own script and stylesheet change with a
release and are checked again on each load (`no-cache`, answered by a 304
when unchanged). Decision 0027.
"""

from __future__ import annotations

import os

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

COMPRESSED = ("/ops/", "/static/")
"""Path prefixes of the dashboard's pages, panels and files, answered gzipped when asked."""

VENDOR_MAX_AGE = 86400
"""Seconds a browser may keep a vendored asset without asking again."""


class DashboardGZip:
    """Gzip the dashboard's answers (not the API's, not event streams) for clients that ask."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=1024, compresslevel=6)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path == "/" or path.startswith(COMPRESSED):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class CachedStatic(StaticFiles):
    """Static files with a Cache-Control header: a day for vendored assets, else revalidate."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        vendored = self.get_path(scope).replace("\\", "/").startswith("vendor/")
        response.headers["Cache-Control"] = (
            f"public, max-age={VENDOR_MAX_AGE}" if vendored else "no-cache"
        )
        return response
