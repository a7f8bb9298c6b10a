"""Adds the dashboard to the API application: its pages, its static files, offline /docs.

The API app calls `install_web` once; everything the browser loads is served
from this package (vendored at pinned versions, see static/vendor/VERSIONS),
so the screen works with no outside network at all.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from corridor.entrypoints.web import docs, live, pages
from corridor.entrypoints.web.delivery import CachedStatic, DashboardGZip
from corridor.entrypoints.web.field import routes as field
from corridor.entrypoints.web.online_tiles import ContentSecurityPolicy

STATIC = Path(__file__).parent / "static"


def install_web(app: FastAPI) -> None:
    app.add_middleware(ContentSecurityPolicy)  # images from here, data: and the tile host only
    app.mount("/static", CachedStatic(directory=STATIC), name="static")
    app.mount("/field/static", StaticFiles(directory=field.STATIC), name="field-static")
    for module in (docs, pages, live, field):
        app.include_router(module.router)
    app.add_middleware(DashboardGZip)
