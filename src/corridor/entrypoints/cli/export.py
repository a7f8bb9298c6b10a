"""`corridor export hxl|geojson|snapshot`: figures as HXL CSV, the map as GeoJSON.

Exports leave the coordination cell (HDX, OCHA dashboards, partners' 3W
sheets), so the default role is `observer`: aggregates only. A neutral role
(`--role coordinator`) adds trips by vehicle and incidents' free text. The
file is written whole or not at all. `snapshot` keeps the fold at each
day's end beside the ledger, so later exports fold only what came after
(decision 0029).
"""

from __future__ import annotations

from pathlib import Path

import typer

from corridor.adapters.exports.gazetteer import gazetteer_for
from corridor.adapters.exports.geojson_file import write_geojson
from corridor.adapters.exports.hxl_csv import write_hxl
from corridor.adapters.openings import FileOpenings
from corridor.adapters.scenario_file import load_scenario_ref
from corridor.bootstrap import open_store
from corridor.domain.scenario import Scenario
from corridor.entrypoints.cli.ledger import CORRUPTED_EXIT, DB_HELP, ledger_url, open_existing
from corridor.entrypoints.cli.output import emit_json
from corridor.errors import InvalidInput
from corridor.protection.access import AccessRole
from corridor.services.exports.handlers import (
    ExportWorld,
    check_table,
    geojson_export,
    hxl_export,
    keep_snapshots,
)
from corridor.services.exports.reading import Provenance, parse_day
from corridor.services.exports.snapshot_audit import SnapshotAudit, audit_snapshots
from corridor.services.exports.tables import TABLES

app = typer.Typer(
    help="Export an operation: HXL-tagged CSV tables, GeoJSON map features.",
    no_args_is_help=True,
)

DB = typer.Option(None, "--db", help=DB_HELP)
OPERATION = typer.Option(..., "--operation", help="Operation id.")
ROLE = typer.Option(
    "observer",
    "--role",
    help="Whose view: coordinator, monitor, reception, liaison or observer (aggregates only).",
)
DAY = typer.Option(None, "--day", help="Up to the end of this day (YYYY-MM-DD, local time).")
OUT = typer.Option(..., "--out", help="File to write (replaced whole, never left partial).")
JSON = typer.Option(False, "--json", help="Print what was written as JSON.")


def parse_role(text: str) -> AccessRole:
    try:
        return AccessRole(text)
    except ValueError:
        roles = ", ".join(r.value for r in AccessRole)
        raise InvalidInput(f"role: {text!r} is not a role; choose {roles}") from None


def _scenario(scenario_id: str) -> Scenario:
    return load_scenario_ref(scenario_id).scenario


def export_world() -> ExportWorld:
    """Bundled scenarios and their P-codes, the agreement as the live record resolves it."""
    return ExportWorld(
        scenario_of=_scenario, gazetteer_of=gazetteer_for, resolve=FileOpenings().resolve
    )


def _said(what: str, count: int, out: Path, p: Provenance, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "out": str(out),
                what: count,
                "operation": p.operation,
                "ledger_sequence": p.sequence,
                "ledger_hash": p.hash,
                "generated_at": p.generated_at,
            }
        )
        return
    typer.echo(
        f"wrote {count} {what} to {out} (operation {p.operation}, "
        f"ledger event #{p.sequence}, hash {p.hash[:12]})"
    )


@app.command()
def hxl(
    db: str | None = DB,
    operation: str = OPERATION,
    table: str = typer.Option("figures", "--table", help=f"Which table: {', '.join(TABLES)}."),
    role: str = ROLE,
    day: str | None = DAY,
    out: Path = OUT,
    as_json: bool = JSON,
) -> None:
    """One HXL-tagged CSV table of an operation, traced to its ledger head."""
    check_table(table)
    who, until = parse_role(role), parse_day(day)
    with open_existing(db) as store:
        exported = hxl_export(store, operation, table, who, export_world(), until)
    rows = write_hxl(exported.table, out)
    _said("rows", rows, out, exported.provenance, as_json)


@app.command()
def geojson(
    db: str | None = DB,
    operation: str = OPERATION,
    role: str = ROLE,
    day: str | None = DAY,
    out: Path = OUT,
    as_json: bool = JSON,
) -> None:
    """Sites, links, corridors, convoys' last positions and incidents as RFC 7946 GeoJSON."""
    who, until = parse_role(role), parse_day(day)
    with open_existing(db) as store:
        exported = geojson_export(store, operation, who, export_world(), until)
    features = write_geojson(exported.collection, out)
    _said("features", features, out, exported.provenance, as_json)


@app.command()
def snapshot(
    db: str | None = DB,
    operation: str = OPERATION,
    as_json: bool = JSON,
    verify: bool = typer.Option(
        False,
        "--verify",
        help="Fold from the first event and hold every kept snapshot to it; "
        "replace any that differ (exit 1 when one did).",
    ),
) -> None:
    """Keep the operation's fold at the end of each day beside the ledger (never in it)."""
    open_existing(db).close()  # an existing ledger only; then migrated to hold snapshots
    if verify:
        with open_store(ledger_url(db)) as store:
            _audited(audit_snapshots(store, operation, export_world()), as_json)
        return
    with open_store(ledger_url(db)) as store:
        kept = keep_snapshots(store, operation, export_world())
    p = kept.provenance
    if as_json:
        emit_json(
            {
                "operation": p.operation,
                "days": [{"day": d.isoformat(), "ledger_sequence": n} for d, n in kept.days],
                "ledger_sequence": p.sequence,
                "ledger_hash": p.hash,
            }
        )
        return
    for day, sequence in kept.days:
        typer.echo(f"{day.isoformat()}: fold kept at ledger event #{sequence}")
    typer.echo(
        f"operation {p.operation}: fold kept at ledger event #{p.sequence}, hash {p.hash[:12]}"
    )


def _audited(audit: SnapshotAudit, as_json: bool) -> None:
    p = audit.provenance
    assert p is not None
    if as_json:
        emit_json(
            {
                "operation": p.operation,
                "ok": audit.ok,
                **{
                    name: [{"day": d.isoformat(), "ledger_sequence": n} for d, n in days]
                    for name, days in (
                        ("sound", audit.sound),
                        ("differed", audit.differed),
                        ("added", audit.added),
                    )
                },
                "ledger_sequence": p.sequence,
                "ledger_hash": p.hash,
            }
        )
    else:
        for day, sequence in audit.added:
            typer.echo(
                f"{day.isoformat()}: no snapshot at its end; kept at ledger event #{sequence}"
            )
        typer.echo(
            f"operation {p.operation}: {len(audit.sound)} snapshot(s) are the fold of the events "
            f"up to ledger event #{p.sequence}, hash {p.hash[:12]}"
        )
    for day, sequence in audit.differed:
        typer.echo(
            f"error: the snapshot of {day.isoformat()} at ledger event #{sequence} is not the "
            "fold of the events; replaced by the fold",
            err=True,
        )
    if not audit.ok:
        raise typer.Exit(CORRUPTED_EXIT)
