"""`corridor serve`: the live operations API over one database.

Several `serve` processes may share one PostgreSQL database: every write is
checked against the ledger's stream versions, so they neither lose nor
double a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from corridor.entrypoints.api.app import create_app
from corridor.entrypoints.api.context import open_context
from corridor.entrypoints.cli.app import app
from corridor.entrypoints.cli.output import err_console
from corridor.protection.keys import load_key
from corridor.settings import Settings


@app.command()
def serve(
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (default: CORRIDOR_DB or sqlite).")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Vault key file (default: CORRIDOR_KEY_FILE)."),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            envvar="CORRIDOR_VAULT_KEY",
            help="Vault key as base64 text, instead of a key file.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the REST API (OpenAPI at /openapi.json, docs at /docs)."""
    settings = Settings.from_environment()
    master = load_key(key_file or settings.key_file, key)
    context = open_context(db or settings.db_url, master)
    err_console.print(f"corridor API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    try:
        uvicorn.run(create_app(context), host=host, port=port, log_level="warning")
    finally:
        context.close()
