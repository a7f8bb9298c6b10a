"""Top-level commands about an operation's database: `corridor init` and `corridor demo`.

`init` prepares a working folder: the ledger database (migrated to the newest
schema) and the key file that will encrypt personal data. `demo` shows the
whole path on the bundled East Aleppo scenario: a fresh embedded ledger, the
operation opened, the chain verified, a summary printed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from corridor.adapters.scenario_file import load_bundled
from corridor.bootstrap import initialise, open_store, services_over, sqlite_path
from corridor.domain.scenario import Scenario
from corridor.entrypoints.cli.app import app
from corridor.entrypoints.cli.ledger import DB_HELP, ledger_url
from corridor.entrypoints.cli.output import console, emit_json
from corridor.entrypoints.cli.writable import require_writable_file
from corridor.errors import CorridorError, LedgerCorrupted
from corridor.services.bus import handle
from corridor.services.commands import OpenOperation
from corridor.settings import Settings

DEMO_DB = "sqlite:///corridor-demo.db"
DEMO_SCENARIO = "east-aleppo-2016"
DEMO_OPERATION = "east-aleppo-2016"
DEMO_ACTOR = "demo-coordinator"


@app.command()
def init(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    key_file: Path | None = typer.Option(
        None, "--key-file", help="Where to write the personal-data key (default: ./corridor.key)."
    ),
) -> None:
    """Create the ledger database and a new 0600 key file for personal data."""
    key_path = key_file or Settings.from_environment().key_file
    if not key_path.exists():
        require_writable_file(key_path, "--key-file")
    made = initialise(ledger_url(db), key_path)
    console.print(f"ledger ready: {made.ledger} ({made.events} events)")
    console.print(f"key file written: {made.key_file} (mode 0600; keep a copy somewhere safe)")
    console.print("the vault records this key's check: a server given another key refuses to start")


def _fresh_sqlite(url: str) -> None:
    """Remove an earlier demo database so every run starts from nothing.

    Only a ledger the demo itself wrote (every event by the demo actor) is
    removed: `--db` pointed by mistake at a real ledger must not destroy it.
    """
    path = sqlite_path(url)
    if path is None or not path.exists():
        return
    try:
        with open_store(url, migrate=False) as earlier:
            actors = {event.actor for event in earlier.read()}
    except CorridorError:
        actors = {"<unreadable>"}
    if actors - {DEMO_ACTOR}:
        raise CorridorError(
            f"{path} holds a ledger the demo did not write; refusing to replace it "
            "(choose another --db)"
        )
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _summary(scenario: Scenario) -> dict[str, Any]:
    by_group: Counter[str] = Counter()
    for population in scenario.populations:
        by_group[str(population.group)] += population.count
    return {
        "sites": [
            {"id": s.id, "name": s.name, "kinds": [str(k) for k in s.kinds]} for s in scenario.sites
        ],
        "movements": [
            {
                "id": m.id,
                "name": m.name,
                "origin": m.origin,
                "corridor": m.corridor,
                "destinations": list(m.destinations),
                "people": scenario.people(movement=m.id),
            }
            for m in scenario.movements
        ],
        "people_by_group": dict(sorted(by_group.items())),
        "fleet": [{"kind": u.kind, "depot": u.depot, "count": u.count} for u in scenario.fleet],
    }


@app.command()
def demo(
    db: str = typer.Option(DEMO_DB, "--db", help="Where to record the demo (recreated each run)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Open the East Aleppo 2016 operation in a fresh ledger, verify it, summarise it."""
    scenario = load_bundled(DEMO_SCENARIO)
    _fresh_sqlite(db)
    with open_store(db) as store:
        if store.head().sequence:
            raise CorridorError(f"{store.description} is not empty; the demo needs a fresh ledger")
        opening = OpenOperation(DEMO_OPERATION, DEMO_SCENARIO)
        found = services_over(store)
        result = handle(found, opening, DEMO_ACTOR, f"demo/{DEMO_OPERATION}/open").result
        report = store.verify()
        if not report.ok:
            raise LedgerCorrupted(
                f"demo ledger failed verification: {report.problem}",
                sequence=report.first_bad_sequence or 0,
            )
        where = store.description
    summary = {
        "ledger": where,
        "operation": DEMO_OPERATION,
        "scenario": next(e.data() for e in result.events if e.type == "scenario-loaded"),
        "events": [{"sequence": e.sequence, "type": e.type} for e in result.events],
        "head": {"sequence": report.head.sequence, "hash": report.head.hash},
        "verified": report.ok,
        **_summary(scenario),
    }
    if as_json:
        emit_json(summary)
        return
    _print_summary(scenario, summary)


def _print_summary(scenario: Scenario, summary: dict[str, Any]) -> None:
    console.rule(f"[bold]{scenario.name}[/bold]")
    sites = Table(title=f"sites ({len(scenario.sites)})")
    for column in ("id", "name", "kinds"):
        sites.add_column(column)
    for site in summary["sites"]:
        sites.add_row(site["id"], site["name"], ", ".join(site["kinds"]))
    console.print(sites)
    movements = Table(title="movements")
    for column in ("id", "origin", "corridor", "destinations", "people"):
        movements.add_column(column)
    for m in summary["movements"]:
        movements.add_row(
            m["id"], m["origin"], m["corridor"], ", ".join(m["destinations"]), f"{m['people']:,}"
        )
    console.print(movements)
    people = Table(title="people by group")
    people.add_column("group")
    people.add_column("people", justify="right")
    for group, count in summary["people_by_group"].items():
        people.add_row(group, f"{count:,}")
    console.print(people)
    fleet = Table(title=f"fleet ({scenario.vehicles()} vehicles)")
    for column in ("kind", "depot", "count"):
        fleet.add_column(column)
    for unit in summary["fleet"]:
        fleet.add_row(unit["kind"], unit["depot"], str(unit["count"]))
    console.print(fleet)
    ledger = Table(title="ledger")
    ledger.add_column("seq", justify="right")
    ledger.add_column("event")
    for event in summary["events"]:
        ledger.add_row(str(event["sequence"]), event["type"])
    console.print(ledger)
    head = summary["head"]
    console.print(
        f"ledger {summary['ledger']}: {head['sequence']} events, chain verified; "
        f"head {head['hash']}"
    )
    console.print(f"scenario content hash: {summary['scenario']['content_hash']}")
