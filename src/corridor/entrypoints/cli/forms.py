"""`corridor forms xlsform|import`: ODK Collect and KoboToolbox forms for an operation.

`xlsform` writes the operation's headcount, arrival and incident forms with
its own choice lists; `import` reads the submissions those servers export (a
CSV or JSON file, or ODK Central's OData feed) and hands each one to the same
handlers as the API and `corridor ops`, with its instance id as the
idempotency key, so importing a file twice appends nothing the second time.
"""

from __future__ import annotations

from pathlib import Path

import typer

from corridor.entrypoints.cli.ops_common import DB, JSON, services
from corridor.entrypoints.cli.output import emit_json

app = typer.Typer(help="ODK / KoboToolbox forms: write XLSForms, import submissions.")


@app.command()
def xlsform(
    operation: str = typer.Option(..., "--operation", "-o", help="Operation id."),
    out: Path = typer.Option(..., "--out", help="Folder to write the .xlsx forms into."),
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """Write the headcount, arrival and incident XLSForms with the operation's choice lists."""
    from corridor.adapters.forms.xlsform_file import write_xlsforms
    from corridor.services.form_choices import form_choices

    with services(db) as found:
        choices = form_choices(found, operation)
    written = write_xlsforms(choices, out)
    if as_json:
        emit_json({"version": choices.version, "forms": [str(p) for p in written]})
        return
    for path in written:
        typer.echo(str(path))
    typer.echo(f"version {choices.version}", err=True)
