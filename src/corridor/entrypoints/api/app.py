"""The FastAPI application: routes, the guard, one error shape, OpenAPI at /openapi.json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from corridor.entrypoints.api import (
    routes_agreement,
    routes_convoys,
    routes_exports,
    routes_ledger,
    routes_operations,
    routes_people,
    routes_reception,
    routes_stream,
    routes_trips,
)
from corridor.entrypoints.api.context import ApiContext
from corridor.entrypoints.api.errors import install_error_handlers
from corridor.entrypoints.api.guard import Guard
from corridor.entrypoints.web.install import install_web


def create_app(context: ApiContext) -> FastAPI:
    app = FastAPI(
        title="corridor",
        summary="Live operations: trips, headcount chain of custody, incidents, figures.",
        version="0.1.0",
        openapi_url="/openapi.json",
        docs_url=None,  # served offline by the dashboard (corridor.entrypoints.web.docs)
        redoc_url=None,
    )
    app.state.context = context
    app.state.feeds = {}
    install_error_handlers(app)
    app.add_middleware(
        Guard,
        responses=context.responses,
        max_body=context.max_body,
        clock=context.services.wall,
    )

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness: the server answers and its ledger head."""
        return {"ok": True, "sequence": context.ledger.head().sequence}

    for module in (
        routes_operations,
        routes_trips,
        routes_convoys,
        routes_agreement,
        routes_people,
        routes_stream,
        routes_reception,
        routes_ledger,
        routes_exports,
    ):
        app.include_router(module.router)
    install_web(app)
    return app
