"""`corridor report sitrep`: the day's situation report as HTML and PDF.

Like the other exports it defaults to the `observer` role (aggregates only),
the edition that can be sent to parties and posted; `--role coordinator`
adds incident notes for the neutral cell.
"""

from __future__ import annotations

from pathlib import Path

import typer

from corridor.adapters.exports.sitrep.render import check_language, write_sitrep
from corridor.entrypoints.cli.export import DB, JSON, OPERATION, ROLE, export_world, parse_role
from corridor.entrypoints.cli.ledger import open_existing
from corridor.entrypoints.cli.output import emit_json
from corridor.errors import InvalidInput
from corridor.services.exports.reading import parse_day
from corridor.services.exports.sitrep import sitrep_for

app = typer.Typer(help="Reports for people: the daily situation report.", no_args_is_help=True)


@app.command()
def sitrep(
    db: str | None = DB,
    operation: str = OPERATION,
    day: str = typer.Option(..., "--day", help="The day reported (YYYY-MM-DD, local time)."),
    lang: str = typer.Option("en", "--lang", help="Edition: en or ar (right to left)."),
    role: str = ROLE,
    out: Path = typer.Option(..., "--out", help="Folder to write the HTML and PDF into."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Also lay out the PDF (WeasyPrint)."),
    as_json: bool = JSON,
) -> None:
    """Highlights, figures, movements and halts, incidents, custody, reception, gaps, map."""
    check_language(lang)
    who, until = parse_role(role), parse_day(day)
    if not out.is_dir():
        raise InvalidInput(f"out: {out} is not a folder")
    with open_existing(db) as store:
        report = sitrep_for(store, operation, until, who, export_world())
    written = write_sitrep(report, lang, out, pdf=pdf)
    p = report.provenance
    if as_json:
        emit_json(
            {
                "files": [str(path) for path in written],
                "operation": p.operation,
                "ledger_sequence": p.sequence,
                "ledger_hash": p.hash,
            }
        )
        return
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"operation {p.operation}, ledger event #{p.sequence}, hash {p.hash[:12]}")
