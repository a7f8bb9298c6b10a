"""`corridor people import|duplicates|merge|keep-apart|reverse`: the registry from a shell.

Whoever runs these holds the database and the vault key, so the command line
acts as the operation's coordinator (`coordinator:cli` in the ledger). Each
command parses, calls one handler in `services/registry.py`, and prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from corridor.entrypoints.cli.output import console, emit_json
from corridor.protection.access import AccessRole, Principal
from corridor.protection.keys import load_key
from corridor.settings import Settings

if TYPE_CHECKING:
    from corridor.services.registry import Registry

app = typer.Typer(
    help="Register people in bulk, review duplicate candidates, merge and split.",
    no_args_is_help=True,
)

OperationOption = Annotated[str, typer.Option("--operation", "-o", help="Operation id.")]
DbOption = Annotated[
    str | None, typer.Option("--db", help="Database URL (default: CORRIDOR_DB or sqlite).")
]
KeyFileOption = Annotated[
    Path | None, typer.Option("--key-file", help="Vault key file (default: CORRIDOR_KEY_FILE).")
]
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--key", envvar="CORRIDOR_VAULT_KEY", help="Vault key as base64 text.", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines.")]


def _operator(operation: str) -> Principal:
    return Principal("cli", operation, AccessRole.COORDINATOR, "command line")


@contextmanager
def _registry(db: str | None, key_file: Path | None, key: str | None) -> Iterator[Registry]:
    # Imported on use: the database stack and splink load only for these commands.
    from corridor.adapters.vault.store import SqlPersonVault
    from corridor.bootstrap import open_store
    from corridor.services.personal_data import PersonalData
    from corridor.services.registry import Registry

    settings = Settings.from_environment()
    master = load_key(key_file or settings.key_file, key)
    url = db or settings.db_url
    ledger = open_store(url)
    vault = SqlPersonVault(url)
    try:
        yield Registry(PersonalData(ledger, vault, master))
    finally:
        vault.close()
        ledger.close()


@app.command("import")
def import_people(
    file: Annotated[Path, typer.Argument(help="A .csv (UTF-8) or .xlsx registration sheet.")],
    operation: OperationOption,
    db: DbOption = None,
    key_file: KeyFileOption = None,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register every row of a spreadsheet, or none: bad rows are named by row and field."""
    from corridor.adapters.vault.spreadsheet import read_sheet

    sheet = read_sheet(file)
    with _registry(db, key_file, key) as registry:
        result = registry.import_rows(
            _operator(operation), operation, sheet.header, sheet.rows, sheet.digest, str(file)
        )
    if as_json:
        emit_json(
            {
                "ok": True,
                "operation": operation,
                "replayed": result.replayed,
                "imported": len(result.people),
                "people": [asdict(p) for p in result.people],
            }
        )
        return
    verb = "was already imported:" if result.replayed else "imported"
    console.print(f"{file} {verb} {len(result.people)} people in {operation}")
    for person in result.people[:20]:
        ref = f"  ref {person.ref}" if person.ref else ""
        console.print(f"  row {person.row}: {person.person}{ref}")
    if len(result.people) > 20:
        console.print(f"  ... {len(result.people) - 20} more (--json lists all)")
    for flag, words in (
        ("unaccompanied", "unaccompanied or separated children"),
        ("no-household", "children registered without a household"),
    ):
        flagged = [str(p.row) for p in result.people if p.flag == flag]
        if flagged:
            console.print(f"{words} (follow up): rows {', '.join(flagged)}")


@app.command("duplicates")
def duplicates(
    operation: OperationOption,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Lowest match weight shown (default: the model's)."),
    ] = None,
    db: DbOption = None,
    key_file: KeyFileOption = None,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Candidate pairs by person id, with match weight and reasons (audited read)."""
    from corridor.protection.linkage import DEFAULT_THRESHOLD

    with _registry(db, key_file, key) as registry:
        found = registry.duplicates(
            _operator(operation),
            operation,
            DEFAULT_THRESHOLD if threshold is None else threshold,
        )
    if as_json:
        emit_json({"operation": operation, "candidates": [asdict(c) for c in found]})
        return
    if not found:
        console.print(f"no duplicate candidates in {operation}")
        return
    for pair in found:
        left = f"{pair.left} (ref {pair.left_ref})" if pair.left_ref else pair.left
        right = f"{pair.right} (ref {pair.right_ref})" if pair.right_ref else pair.right
        console.print(f"{pair.weight:6.1f}  {left}  ~  {right}")
        console.print(f"        {'; '.join(pair.reasons)}")


@app.command("merge")
def merge(
    kept: Annotated[str, typer.Argument(help="The person id that stays.")],
    duplicate: Annotated[str, typer.Argument(help="The person id folded into it.")],
    operation: OperationOption,
    db: DbOption = None,
    key_file: KeyFileOption = None,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that two ids are one person (a ledger event; `reverse` splits them again)."""
    with _registry(db, key_file, key) as registry:
        decision = registry.merge(_operator(operation), operation, kept, duplicate)
    _decided(asdict(decision), as_json, f"merged {duplicate} into {kept}: {decision.id}")


@app.command("keep-apart")
def keep_apart(
    left: Annotated[str, typer.Argument(help="A person id.")],
    right: Annotated[str, typer.Argument(help="Another person id.")],
    operation: OperationOption,
    db: DbOption = None,
    key_file: KeyFileOption = None,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that two ids are different people: the pair is not proposed again."""
    with _registry(db, key_file, key) as registry:
        decision = registry.keep_apart(_operator(operation), operation, left, right)
    _decided(asdict(decision), as_json, f"{left} and {right} kept apart: {decision.id}")


@app.command("reverse")
def reverse(
    decision: Annotated[str, typer.Argument(help="A merge-... or apart-... decision id.")],
    operation: OperationOption,
    reason: Annotated[str, typer.Option("--reason", help="Why it is reversed (audited).")],
    db: DbOption = None,
    key_file: KeyFileOption = None,
    key: KeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Undo a merge (split) or a keep-apart; the ledger keeps both events."""
    with _registry(db, key_file, key) as registry:
        undone = registry.reverse(_operator(operation), operation, decision, reason)
    _decided(asdict(undone), as_json, f"reversed {undone.id} ({undone.kind})")


def _decided(view: dict[str, object], as_json: bool, line: str) -> None:
    if as_json:
        emit_json({"ok": True, **view})
    else:
        console.print(line)
