"""What every `corridor ops` command shares: options, parsing of counts and times, the answer.

A command's answer is the one the API gives a coordinator (`--json`), or one
line per event and decision for people. A command the deal refused exits 1
(recorded, but not done); a command refused at the door exits 2 with
`error:` lines and appends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from corridor.bootstrap import open_store, services_over
from corridor.domain.custody import Counts, counts
from corridor.domain.scenario import Group
from corridor.entrypoints.cli.ledger import DB_HELP, ledger_url, open_existing
from corridor.entrypoints.cli.output import emit_json
from corridor.entrypoints.cli.times import parse_at
from corridor.errors import InvalidInput
from corridor.protection.access import AccessRole
from corridor.services.bus import Outcome, Services, handle
from corridor.services.commands import Command
from corridor.services.personal_data import PersonalData
from corridor.services.ports import LedgerStore
from corridor.services.views import outcome_view
from corridor.settings import Settings

app = typer.Typer(
    help="Run an operation under its deal: trips, counts, convoys, incidents, decisions.",
    no_args_is_help=True,
)

REFUSED_EXIT = 1
DB = typer.Option(None, "--db", help=DB_HELP)
JSON = typer.Option(False, "--json", help="Print JSON for machines.")
ACTOR = typer.Option("coordinator", "--actor", help="Who records this (kept in the ledger).")
AT = typer.Option(
    None, "--at", help="ISO 8601 time with UTC offset (default: now on the operation's clock)."
)
KEY = typer.Option(None, "--idempotency-key", help="Retry-safe key: a repeat appends nothing.")
OPERATION = typer.Argument(..., help="Operation id.")
COUNT = typer.Option([], "--count", help="GROUP=COUNT, repeatable.")


def at_option(text: str | None, option: str = "--at") -> datetime | None:
    """An instant with its UTC offset, or None (the operation's clock decides)."""
    return None if text is None else parse_at(text, option)


def parse_counts(items: list[str], option: str = "--count") -> Counts:
    """`GROUP=COUNT` items into counts by group (a group named twice adds up)."""
    found: dict[Group, int] = {}
    choices = ", ".join(g.value for g in Group)
    for item in items:
        group, _, number = item.partition("=")
        try:
            people = int(number)
            found[Group(group)] = found.get(Group(group), 0) + people
        except ValueError:
            raise InvalidInput(
                f"{option}: expected GROUP=COUNT with GROUP one of {choices}, found {item!r}"
            ) from None
        if people < 0:
            raise InvalidInput(f"{option}: {item!r}: a count must be 0 or more")
    if not found:
        raise InvalidInput(f"{option}: give at least one GROUP=COUNT")
    return counts(found)


@contextmanager
def services(db: str | None, *, existing: bool = True) -> Iterator[Services]:
    """The services over the ledger `db` names; it must exist unless an operation opens."""
    store = open_existing(db) if existing else open_store(ledger_url(db))
    with store:
        yield services_over(store)


@contextmanager
def personal_data(
    db: str | None, ledger: LedgerStore, key_file: Path | None
) -> Iterator[PersonalData]:
    """The vault beside `ledger` (the one `db` names), opened with its key, checked first."""
    from corridor.adapters.vault.store import SqlPersonVault
    from corridor.bootstrap import confirm_vault_key
    from corridor.protection.keys import load_key

    url = ledger_url(db)
    path = key_file or Settings.from_environment().key_file
    master = load_key(path, None)
    confirm_vault_key(url, master, f"key file {path}")
    vault = SqlPersonVault(url)
    try:
        yield PersonalData(ledger, vault, master)
    finally:
        vault.close()


def run(db: str | None, command: Command, actor: str, key: str | None, as_json: bool) -> None:
    """Hand `command` to its handler and print the answer; exit 1 when the deal refused."""
    with services(db) as found:
        outcome = handle(found, command, actor, key)
    show(outcome, as_json)


def show(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        emit_json(answer(outcome))
    else:
        for event in outcome.result.events:
            if event.type != "decision-recorded":
                typer.echo(f"#{event.sequence} {event.type} {_subject(event.data())}".rstrip())
        for decided in outcome.decisions:
            word = "ALLOWED" if decided["decision"]["allowed"] else "BLOCKED"
            typer.echo(f"{word}: {decided['decision']['explanation']}")
        for name, value in sorted(outcome.extras.items()):
            typer.echo(f"{name}: {value}")
    if outcome.refused:
        raise typer.Exit(REFUSED_EXIT)


def answer(outcome: Outcome) -> dict[str, Any]:
    """The API's answer to a coordinator, so scripts read one shape from both."""
    return outcome_view(outcome, AccessRole.COORDINATOR)


def _subject(data: dict[str, Any]) -> str:
    for key in ("trip", "alert", "incident", "movement", "operation"):
        if key in data:
            return str(data[key])
    return ""
