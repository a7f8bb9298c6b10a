"""`corridor forms xlsform|import`: ODK Collect and KoboToolbox forms for an operation.

`xlsform` writes the operation's headcount, arrival and incident forms with
its own choice lists; `import` reads the submissions those servers export (a
CSV or JSON file, or ODK Central's OData feed) and hands each one to the same
handlers as the API and `corridor ops`, with its instance id as the
idempotency key, so importing a file twice appends nothing the second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from corridor.entrypoints.cli.app import report
from corridor.entrypoints.cli.ops_common import DB, JSON, REFUSED_EXIT, services
from corridor.entrypoints.cli.output import emit_json
from corridor.errors import InvalidInput

if TYPE_CHECKING:
    from corridor.services.form_imports import Submission

USER_ERROR_EXIT = 2

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


@app.command("import")
def import_(
    file: Path | None = typer.Argument(None, help="A CSV or JSON export from ODK or Kobo."),
    operation: str | None = typer.Option(
        None, "--operation", "-o", help="Only this operation's submissions (others refused)."
    ),
    central: str | None = typer.Option(None, "--central", help="ODK Central URL to pull from."),
    project: int | None = typer.Option(None, "--project", help="Central project number."),
    form: str | None = typer.Option(None, "--form", help="Central form id."),
    user: str = typer.Option(
        "", "--central-user", envvar="CORRIDOR_CENTRAL_USER", help="Central user (e-mail)."
    ),
    password: str = typer.Option(
        "",
        "--central-password",
        envvar="CORRIDOR_CENTRAL_PASSWORD",
        help="Central password (better in the environment than on the command line).",
    ),
    actor: str = typer.Option("forms-import", "--actor", help="Recorded as who imported."),
    db: str | None = DB,
    as_json: bool = JSON,
) -> None:
    """Record each submission once (its instance id is the key); refuse malformed ones by row."""
    from corridor.services.form_imports import import_submissions

    submissions = _read(file, central, project, form, user, password)
    with services(db) as found:
        summary = import_submissions(found, submissions, actor, operation)
    if as_json:
        emit_json(summary.payload())
    else:
        typer.echo(
            f"{summary.total} submissions: {summary.accepted} accepted, "
            f"{summary.already_had} already had, {len(summary.refused)} refused"
            + (f" ({summary.blocked} accepted but blocked by the deal)" if summary.blocked else "")
        )
    for refusal in summary.refused:
        report(InvalidInput(str(refusal)))
    if summary.refused:
        raise typer.Exit(USER_ERROR_EXIT)
    if summary.blocked:
        raise typer.Exit(REFUSED_EXIT)


def _read(
    file: Path | None,
    central: str | None,
    project: int | None,
    form: str | None,
    user: str,
    password: str,
) -> list[Submission]:
    from corridor.adapters.forms.central import pull_submissions
    from corridor.adapters.forms.submission_files import read_submission_file

    if (file is None) == (central is None):
        raise InvalidInput("give a FILE or --central URL, one of the two")
    if file is not None:
        return read_submission_file(file)
    if central is None or project is None or not form:
        raise InvalidInput("--central needs --project N and --form ID")
    return pull_submissions(central, project, form, user, password)
