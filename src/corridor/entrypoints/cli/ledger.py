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
from corridor.domain.events import RecordedEvent
from corridor.entrypoints.cli.event_view import print_events
from corridor.entrypoints.cli.output import console, emit_json
from corridor.entrypoints.cli.writable import require_writable_file
from corridor.errors import CorridorError, InvalidInput, NotFound
from corridor.services.ports import LedgerStore
from corridor.settings import Settings

app = typer.Typer(
    help="Check, show, export and import the operations ledger.", no_args_is_help=True
)

CORRUPTED_EXIT = 1

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
) -> None:
    """Recompute the hash chain and sequence; exit 1 naming the first bad sequence."""
    with open_existing(db) as store:
        report = store.verify()
        where = store.description
    if as_json:
        emit_json({"ledger": where, **report.as_dict()})
    elif report.ok:
        console.print(
            f"ok: {report.events} events verified in {where}; "
            f"head {report.head.sequence} {report.head.hash}"
        )
    if not report.ok:
        typer.echo(
            f"error: ledger corrupted at sequence {report.first_bad_sequence}: {report.problem}",
            err=True,
        )
        raise typer.Exit(CORRUPTED_EXIT)


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
    if not file.is_file():
        raise NotFound(f"no file {file}")
    url = ledger_url(db)
    path = sqlite_path(url)
    created = path is not None and not path.exists()
    try:
        with open_store(url) as store, file.open(encoding="utf-8") as lines:
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
