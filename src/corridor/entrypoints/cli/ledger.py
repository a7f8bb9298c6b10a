"""`corridor ledger ...`: check, show, export and import the operations ledger.

`verify` exits 0 when the chain holds and 1 when it does not, naming the first
bad sequence number; 1 means "the check ran and the ledger is damaged", kept
apart from 2, which (as everywhere in corridor) means the command itself could
not run: bad URL, missing file, unreachable server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from corridor.bootstrap import open_existing_store, open_store, sqlite_path
from corridor.domain.clock import SystemClock, format_instant
from corridor.domain.events import RecordedEvent
from corridor.entrypoints.cli.event_view import print_events
from corridor.entrypoints.cli.output import console, emit_json
from corridor.entrypoints.cli.writable import require_writable_file
from corridor.errors import CorridorError, InvalidInput
from corridor.services.ports import LedgerStore
from corridor.settings import Settings

app = typer.Typer(
    help="Check, show, export and import the operations ledger.", no_args_is_help=True
)

CORRUPTED_EXIT = 1
MAX_IMPORT_BYTES = 8 * 1024**3
"""An export of ten million events is about 5 GB."""

DB_HELP = "Ledger URL: sqlite:///FILE or postgresql://USER@HOST/DB (default: $CORRIDOR_DB or sqlite:///corridor.db)."


def ledger_url(db: str | None) -> str:
    """The URL given, else the one the settings name."""
    return db or Settings.from_environment().db_url


def open_existing(db: str | None) -> LedgerStore:
    """Open a ledger that must already exist; nothing is created or migrated here."""
    return open_existing_store(ledger_url(db))


@app.command()
def verify(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    expect_head: str | None = typer.Option(
        None, "--expect-head", help="The head hash kept outside the database; must be the head."
    ),
    checkpoints: Path | None = typer.Option(
        None, "--checkpoints", help="Witness file of signed checkpoints to hold the chain to."
    ),
    public_key: Path | None = typer.Option(
        None, "--public-key", help="The key that signed the checkpoints (KEY.pub)."
    ),
) -> None:
    """Recompute the hash chain and sequence, and hold it to the head and checkpoints given."""
    if expect_head is not None and not _is_hash(expect_head):
        raise InvalidInput(
            f"--expect-head: {expect_head!r} is not a hash; expected 64 lowercase hex digits"
        )
    from corridor.adapters.ledger.anchoring import verify_anchored

    with open_existing(db) as store:
        report = verify_anchored(store, expect_head, checkpoints, public_key)
        where, form = store.description, store.canonical_form
    chain = report.chain
    if as_json:
        emit_json({"ledger": where, "canonical_form": form, **report.as_dict()})
    elif report.ok:
        anchored = (
            "anchored" if report.anchored else "not anchored (no --expect-head or --checkpoints)"
        )
        console.print(
            f"ok: {chain.events} events verified in {where}; "
            f"head {chain.head.sequence} {chain.head.hash}; {anchored}",
            soft_wrap=True,
        )
    if not chain.ok:
        typer.echo(
            f"error: ledger corrupted at sequence {chain.first_bad_sequence}: {chain.problem}",
            err=True,
        )
        raise typer.Exit(CORRUPTED_EXIT)
    if report.anchor_problems:
        for problem in report.anchor_problems:
            typer.echo(f"error: ledger does not match its anchors: {problem}", err=True)
        raise typer.Exit(CORRUPTED_EXIT)


def _is_hash(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


@app.command()
def keygen(
    out: Path = typer.Option(
        ..., "--out", help="Private key file to create (0600); KEY.pub beside it."
    ),
) -> None:
    """Make the Ed25519 key that signs checkpoints; keep it apart from the database."""
    from corridor.adapters.ledger.checkpoints import write_signing_key

    key = write_signing_key(out)
    typer.echo(f"signing key {key.id} written to {out} (0600); public key in {out}.pub")


@app.command()
def checkpoint(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    signing_key: Path = typer.Option(
        ..., "--signing-key", help="Key file made by 'ledger keygen'."
    ),
    checkpoints: Path = typer.Option(
        ..., "--checkpoints", help="Witness file to append the signed head to (created 0600)."
    ),
) -> None:
    """Verify the chain, then sign its head and append the checkpoint to the witness file."""
    from corridor.adapters.ledger.checkpoints import (
        SigningKey,
        append_checkpoint,
        signing_key_exposure,
    )

    key = SigningKey.load(signing_key)
    warning = signing_key_exposure(signing_key)
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    with open_existing(db) as store:
        report = store.verify()
    if not report.ok:
        typer.echo(
            f"error: ledger corrupted at sequence {report.first_bad_sequence}: "
            f"{report.problem}; nothing signed",
            err=True,
        )
        raise typer.Exit(CORRUPTED_EXIT)
    signed_at = format_instant(SystemClock().now())
    made = append_checkpoint(checkpoints, key, report.head, signed_at)
    typer.echo(f"checkpoint: sequence {made.sequence} {made.hash} signed by {made.key}")


@app.command()
def head(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    checkpoints: Path | None = typer.Option(None, "--checkpoints", help="Witness file."),
) -> None:
    """Print the head and its newest checkpoint as JSON (what GET /ledger/head answers)."""
    from corridor.adapters.ledger.anchoring import signed_head

    with open_existing(db) as store:
        emit_json(signed_head(store, checkpoints).as_dict())


@app.command()
def backup(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    out: Path = typer.Option(
        ..., "--out", help="File to write: an SQLite copy or, for PostgreSQL, an export."
    ),
) -> None:
    """Write a consistent copy of a live ledger, then verify the copy."""
    from corridor.adapters.ledger.backup import back_up

    require_writable_file(out, "--out")
    if out.exists():
        raise InvalidInput(f"--out: {out} exists; a backup never overwrites a file")
    with open_existing(db) as store:
        made = back_up(store, out)
    typer.echo(
        f"backup of {made.events} events written to {out} ({made.kind}) and verified; "
        f"head {made.head.sequence} {made.head.hash}"
    )


@app.command()
def export(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    out: Path | None = typer.Option(None, "--out", help="Write to FILE (default: stdout)."),
) -> None:
    """Write every event as one canonical JSON line (JSON Lines), in sequence order."""
    if out is not None:
        require_writable_file(out, "--out")
    with open_existing(db) as store:
        if out is None:
            store.export(sys.stdout)
            return
        # Written beside the target and renamed at the end: a failed export
        # never leaves a truncated file under the name asked for.
        partial = out.with_name(f".{out.name}.partial")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as stream:
                count = store.export(stream)
            os.replace(partial, out)
        except OSError as error:
            raise CorridorError(f"cannot write {out}: {error.strerror or error}") from None
        finally:
            partial.unlink(missing_ok=True)
    typer.echo(f"exported {count} events to {out}", err=True)


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="JSON Lines file written by `corridor ledger export`."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Load an exported ledger into an empty one; refuse it whole if its chain is broken."""
    from corridor.adapters.bounded_files import open_bounded_text

    url = ledger_url(db)
    path = sqlite_path(url)
    created = path is not None and not path.exists()
    try:
        with (
            open_bounded_text(file, MAX_IMPORT_BYTES, "ledger export") as lines,
            open_store(url) as store,
        ):
            count = store.import_lines(lines, source=str(file))
            head = store.head()
    except UnicodeDecodeError as error:
        _remove_created(created, path)
        raise InvalidInput(
            f"{file}: not UTF-8 text (byte {error.start}); expected a ledger export"
        ) from None
    except OSError as error:
        _remove_created(created, path)
        raise CorridorError(f"cannot read {file}: {error.strerror or error}") from None
    except BaseException:
        _remove_created(created, path)
        raise
    typer.echo(f"imported {count} events; head {head.sequence} {head.hash}")


def _remove_created(created: bool, path: Path | None) -> None:
    """Remove a database file this command created, so a failed import leaves nothing."""
    if created and path is not None:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)


def event_row(event: RecordedEvent) -> dict[str, Any]:
    """An event as a JSON object (payload parsed), for `--json` output."""
    return {
        "sequence": event.sequence,
        "stream": event.stream,
        "version": event.version,
        "type": event.type,
        "payload": event.data(),
        "actor": event.actor,
        "recorded_at": event.recorded_at,
        "idempotency_key": event.idempotency_key,
        "command": event.command,
        "hash": event.hash,
    }


@app.command()
def show(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    stream: str | None = typer.Option(None, "--stream", help="Only this stream."),
    after: int = typer.Option(0, "--after", min=0, help="Only events after this sequence."),
    limit: int = typer.Option(100, "--limit", min=0, help="At most this many events (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print events as a JSON array."),
) -> None:
    """List events: sequence, time, stream and version, type, actor, payload."""
    events: list[RecordedEvent] = []
    with open_existing(db) as store:
        for event in store.read(after=after, stream=stream):
            events.append(event)
            if limit and len(events) >= limit:
                break
    if as_json:
        emit_json([event_row(e) for e in events])
        return
    console.print(f"ledger events ({len(events)} shown)")
    print_events(console, events)


__all__ = ["app", "event_row", "ledger_url", "open_existing"]
