"""`corridor serve`: the live operations API over one database.

Several `serve` processes may share one PostgreSQL database: every write is
checked against the ledger's stream versions, so they neither lose nor
double a command.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from corridor.bootstrap import confirm_vault_key, initialise, ledger_exists, sqlite_path
from corridor.entrypoints.cli.app import app
from corridor.entrypoints.cli.listening import listening
from corridor.entrypoints.cli.output import console, err_console
from corridor.entrypoints.web.online_tiles import checked_tile_url
from corridor.errors import NotFound
from corridor.protection.access import AccessRole
from corridor.protection.keys import MasterKey, key_file_exposure, load_key
from corridor.services.access_tokens import reissue_token
from corridor.settings import Settings

if TYPE_CHECKING:
    from corridor.entrypoints.api.context import ApiContext
    from corridor.services.playback import Playback

DEMO = "east-aleppo-2016"
DEMO_FROM = datetime(2016, 12, 15, 5, 0, tzinfo=timezone(timedelta(hours=2)))
"""The demo replays the operation from its first morning (Damascus time)..."""
DEMO_SPEED = 60.0
"""...an hour of the operation each wall minute."""


def _open_demo(context: ApiContext) -> Playback:
    """The demo operation opened as an exercise under its agreement, a coordinator token shown,
    and a simulated run of it playing into the ledger as the exercise clock passes."""
    from corridor.adapters.agreement_file import load_agreement_ref
    from corridor.services.bus import handle
    from corridor.services.commands import OpenOperation
    from corridor.services.playback import Playback
    from corridor.services.simulated_runs import run_zero_timeline
    from corridor.simulation.montecarlo import Study

    if not context.live.known(DEMO):
        opening = OpenOperation(DEMO, DEMO, clock_start=DEMO_FROM, clock_speed=DEMO_SPEED)
        handle(context.services, opening, "coordinator:demo")
    loaded = load_agreement_ref(DEMO)
    timeline = run_zero_timeline(DEMO, Study(loaded.scenario), loaded.agreement, seed=0)
    playback = Playback(context.services, DEMO, timeline)
    playback.start()
    err_console.print(
        f"demo: a simulated run plays in as the clock passes ({len(timeline)} steps, "
        f"{playback.played} already played); the first convoys board within a minute"
    )
    secret, record, revoked = reissue_token(context.tokens, DEMO, AccessRole.COORDINATOR, "demo")
    if revoked:
        ids = ", ".join(r.id for r in revoked)
        err_console.print(f"demo: the previous demo coordinator token is revoked ({ids})")
    err_console.print(f"operation {DEMO} is open; coordinator token ({record.id}, shown once):")
    console.print(secret)
    return playback


def _start_up_key(url: str, key_path: Path, value: str | None, demo: bool) -> MasterKey:
    """The vault key, checked against the vault before anything is served.

    No key is ever written here, except by `initialise` (what `corridor init`
    runs) for a demo on a database that holds no ledger yet: a lost key over
    an existing ledger is an error, never a silent new key.
    """
    if demo and not value and not key_path.exists():
        if ledger_exists(url):
            raise NotFound(
                f"vault key file {key_path} not found, and {url} already holds a ledger; "
                "restore the key file, or give --demo a fresh --db"
            )
        made = initialise(url, key_path)
        err_console.print(f"demo: new ledger {made.ledger} and key file {made.key_file} (0600)")
    master = load_key(key_path, value)
    if not value:
        warning = key_file_exposure(key_path)
        if warning:
            err_console.print(f"warning: {warning}", soft_wrap=True)
    source = "the configured vault key (--key)" if value else f"key file {key_path}"
    confirm_vault_key(url, master, source)
    return master


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
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help=f"Open the {DEMO} operation if it is not open and print a coordinator token.",
        ),
    ] = False,
    tls_cert: Annotated[
        Path | None, typer.Option("--tls-cert", help="TLS certificate chain (PEM): serve HTTPS.")
    ] = None,
    tls_key: Annotated[
        Path | None, typer.Option("--tls-key", help="The certificate's private key (PEM).")
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Reverse proxies whose X-Forwarded-Proto is trusted (comma separated; "
            "uvicorn's default: 127.0.0.1).",
        ),
    ] = None,
    tile_url: Annotated[
        str | None,
        typer.Option(
            "--tile-url",
            envvar="CORRIDOR_TILE_URL",
            help="Online map tiles under the offline basemap, e.g. "
            "https://tile.example.org/{z}/{x}/{y}.png (default: none, nothing fetched outside).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the REST API (OpenAPI at /openapi.json, docs at /docs) and the dashboard at /."""
    # The web stack is imported by this command alone, so the rest of the CLI starts fast.
    import uvicorn

    from corridor.adapters.ledger.shutdown import settle_ledger, terminate_as_exit
    from corridor.entrypoints.api.app import create_app
    from corridor.entrypoints.api.context import open_context

    where = listening(host, port, tls_cert, tls_key)
    tiles = checked_tile_url(tile_url) if tile_url else None
    settings = Settings.from_environment()
    url = db or settings.db_url
    master = _start_up_key(url, key_file or settings.key_file, key, demo)
    context = open_context(url, master, settings.ledger_pool)
    playback = _open_demo(context) if demo else None
    err_console.print(f"corridor API on {where.url}  (docs: {where.url}/docs)")
    err_console.print(f"dashboard: {where.url}/  (sign in with a token)")
    if tiles:
        err_console.print(f"map tiles: {tiles} (the dashboard loads images from that host)")
    warning = where.warning()
    if warning:
        err_console.print(f"warning: {warning}", soft_wrap=True)
    with terminate_as_exit():
        try:
            api = create_app(context)
            api.state.checkpoints = settings.checkpoints
            api.state.tile_url = tiles
            uvicorn.run(
                api,
                host=host,
                port=port,
                log_level="warning",
                ssl_certfile=where.cert,
                ssl_keyfile=where.key,
                forwarded_allow_ips=forwarded_allow_ips,
            )
        finally:
            if playback is not None:
                playback.stop()
            context.close()
            settle_ledger(sqlite_path(url))
